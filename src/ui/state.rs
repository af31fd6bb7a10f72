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
    pub revision: RwSignal<u64>,
    /// Which collapsible sections the user opened or closed, by key, so that rebuilding rows
    /// does not fold them back.
    pub sections: RwSignal<BTreeMap<String, bool>>,
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
        let breakdown = Memo::new(move |_| scenario.with(engine::price));
        ScenarioState {
            scenario,
            breakdown,
            invalid: RwSignal::new(BTreeMap::new()),
            revision: RwSignal::new(0),
            sections: RwSignal::new(BTreeMap::new()),
        }
    }

    /// Applies a structural change (add, remove, duplicate rows) and rebuilds the rows.
    pub fn restructure(&self, change: impl FnOnce(&mut Scenario)) {
        self.scenario.update(change);
        // Paths of removed rows (and shifted indices) no longer mean what they meant.
        self.invalid.set(BTreeMap::new());
        self.revision.update(|r| *r = r.wrapping_add(1));
    }

    /// Replaces the whole scenario (an example, a file, a link).
    pub fn replace(&self, scenario: Scenario) {
        self.restructure(|s| *s = scenario);
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
