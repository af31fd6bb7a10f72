//! The app's state: the scenario signal, the breakdown derived from it, and which inputs are
//! currently invalid.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::engine::{self, Breakdown, PricingError, Scenario};

/// The scenario being edited and its price, shared through context.
#[derive(Clone, Copy)]
pub struct ScenarioState {
    pub scenario: RwSignal<Scenario>,
    /// The one derived value: pricing is microseconds, so it reruns on every valid edit.
    pub breakdown: Memo<Result<Breakdown, PricingError>>,
    /// Field path → message, for every input whose text does not parse. The scenario keeps
    /// the last valid value of such a field; the breakdown says so instead of pricing a zero.
    pub invalid: RwSignal<BTreeMap<String, InvalidInput>>,
    /// Bumped when rows are added or removed, or the whole scenario is replaced, so that
    /// row components (which own the raw text of their inputs) are rebuilt from the scenario.
    ///
    /// Why a counter rather than `reactive_stores` or keyed `<For>` over the rows: a field
    /// keeps what the user typed even when it does not parse ("1.", "12a"), and the scenario
    /// keeps the last valid value. Subscribing each field to its path would rebuild it on its
    /// own edits and rewrite that text under the cursor; a row's identity is its index in the
    /// file format, which a removal shifts, so keys would have to be invented and stored. The
    /// two events that must rebuild rows (a structural change, a replaced scenario) are
    /// exactly the ones that bump this.
    pub revision: RwSignal<u64>,
    /// Bumped when a text or choice field changes (names, triggers, modes). What shows only
    /// those (legends, notes that depend on a flow's trigger) tracks this and `revision`
    /// instead of the scenario, so a keystroke in a number field does not re-read them all.
    pub names: RwSignal<u64>,
    /// Bumped just before the browser prints, for what the printed report checks only then.
    pub printing: RwSignal<u64>,
    /// Which collapsible sections the user opened or closed, by key, so that rebuilding rows
    /// does not fold them back.
    pub sections: RwSignal<BTreeMap<String, bool>>,
    /// A message about the scenario as a whole (opened from a link, import failed, storage
    /// unavailable), shown in the scenario bar until dismissed.
    pub notice: RwSignal<Option<Notice>>,
    /// The name the current scenario is saved under in this browser, if it is.
    pub saved_as: RwSignal<Option<String>>,
    /// The breakdown's lines grouped by environment and meter (subtotals, fingerprints), for
    /// the environment cards and the breakdown panel.
    pub line_groups: Memo<engine::LineGroups>,
    /// Bumped when this browser's storage changed (another tab, the recently closed list), so
    /// that lists read from storage are read again.
    pub storage_changed: RwSignal<u64>,
    /// Whether environment cards start open: yes in a small scenario, no in a large one (a
    /// card renders its forms only once opened). Set when a scenario is opened.
    pub env_default_open: RwSignal<bool>,
}

/// A message about the scenario as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Offer a "Save" action (a scenario opened from a link or file is not saved yet).
    pub offer_save: bool,
    /// The name of the scenario this one replaced, kept in the recently closed list: the
    /// notice offers to reopen it.
    pub undo: Option<String>,
}

/// How a notice is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// An input whose text is not a valid value.
#[derive(Clone, Debug, PartialEq)]
pub struct InvalidInput {
    pub label: String,
    pub message: String,
}

impl ScenarioState {
    pub fn new(initial: Scenario) -> ScenarioState {
        let scenario = RwSignal::new(initial);
        // A keystroke changes one environment: the repricer prices that one again and reuses
        // the others' lines (always equal to pricing afresh; see engine::Repricer).
        let repricer = StoredValue::new(engine::Repricer::new());
        let breakdown = Memo::new(move |_| {
            scenario.with(|s| {
                repricer
                    .try_update_value(|r| r.price(s))
                    .unwrap_or_else(|| engine::price(s))
            })
        });
        let line_groups = Memo::new(move |_| {
            breakdown.with(|b| b.as_ref().map(engine::LineGroups::of).unwrap_or_default())
        });
        let env_default_open =
            RwSignal::new(scenario.with_untracked(crate::cards::env_open_by_default));
        ScenarioState {
            scenario,
            breakdown,
            line_groups,
            env_default_open,
            storage_changed: RwSignal::new(0),
            invalid: RwSignal::new(BTreeMap::new()),
            revision: RwSignal::new(0),
            names: RwSignal::new(0),
            printing: RwSignal::new(0),
            sections: RwSignal::new(BTreeMap::new()),
            notice: RwSignal::new(None),
            saved_as: RwSignal::new(None),
        }
    }

    /// Applies a structural change (add, remove, duplicate rows) and rebuilds the rows.
    pub fn restructure(&self, change: impl FnOnce(&mut Scenario)) {
        self.scenario.update(change);
        // Paths of removed rows (and shifted indices) no longer mean what they meant.
        self.invalid.set(BTreeMap::new());
        self.revision.update(|r| *r = r.wrapping_add(1));
    }

    /// Replaces the whole scenario (an example, a file, a link). Only the state: what the
    /// replaced scenario leaves behind (its pending save, the recently closed list, the
    /// history entry) is [`super::persistence::replace`]'s, which calls this.
    pub fn replace_scenario(&self, scenario: Scenario) {
        self.env_default_open
            .set(crate::cards::env_open_by_default(&scenario));
        // Which sections were open belongs to the scenario that was open.
        self.sections.set(BTreeMap::new());
        self.restructure(|s| *s = scenario);
    }

    /// Shows an error about the scenario as a whole; the current scenario stays as it is.
    pub fn error(&self, text: String) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Error,
            text,
            offer_save: false,
            undo: None,
        }));
    }
}

/// The scenario the app opens on: the built-in `contoso` example.
pub fn initial_scenario() -> Scenario {
    engine::examples::scenario("contoso").unwrap_or_else(Scenario::new_empty)
}

/// Access to the shared state from any component below [`crate::ui::App`].
pub fn use_state() -> ScenarioState {
    // The root always provides it before any child renders.
    expect_context::<ScenarioState>()
}
