//! One form per meter, inside an environment card. Shared pieces live here.

pub mod apps;
pub mod copilot;
pub mod credits;
pub mod dataverse;
pub mod embed;
pub mod flows;
pub mod pages;
pub mod requests;

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::state::use_state;
use crate::engine::{FlowLicence, Licence, Scenario};

/// Renders `count()` rows. Rows are rebuilt only when the structure changes
/// ([`super::state::ScenarioState::restructure`]), never on a keystroke, so a row's raw text
/// stays as typed. Each row is erased to `AnyView` at once and the list is rendered by one
/// non-generic function: a generic list would compile its rendering once per call site.
pub fn rows<V>(
    count: impl Fn() -> usize + Send + Sync + 'static,
    row: impl Fn(usize) -> V + Send + Sync + 'static,
) -> AnyView
where
    V: IntoView + 'static,
{
    rows_erased(Box::new(count), Box::new(move |i| row(i).into_any()))
}

type RowCount = Box<dyn Fn() -> usize + Send + Sync>;
type RowView = Box<dyn Fn(usize) -> AnyView + Send + Sync>;

/// Rows shown at first in one list; more on request. A scenario may hold 100,000 apps in one
/// environment or 10,000 environments: building them all at once froze and then crashed the
/// page. The list grows with what the user asks to see.
const ROWS_AT_FIRST: u64 = 50;

/// "None" in the atomics below (an atomic rather than a stored signal value: each signal type
/// is more code in the wasm).
const UNSET: usize = usize::MAX;

fn rows_erased(count: RowCount, row: RowView) -> AnyView {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    let state = use_state();
    let shown = RwSignal::new(ROWS_AT_FIRST);
    // The row count of the last build, to tell an added row from a scenario that was opened,
    // and where the rows added past the shown ones start.
    let last = Arc::new(AtomicUsize::new(UNSET));
    let added_from = Arc::new(AtomicUsize::new(UNSET));
    (move || {
        state.revision.track();
        let n = count();
        let mut limit = super::show_more::as_len(shown.get());
        let before = last.swap(n, Relaxed);
        if before != UNSET && n == before.saturating_add(1) {
            // One row added (Add, Duplicate): the user is about to fill it in, so it shows,
            // also when the rows before it are not all shown.
            if before <= limit {
                limit = limit.max(n);
                shown.update_untracked(|s| *s = u64::try_from(limit).unwrap_or(u64::MAX));
            } else if added_from.load(Relaxed) == UNSET {
                added_from.store(before, Relaxed);
            }
        } else if n != before {
            added_from.store(UNSET, Relaxed);
        }
        let from = added_from.load(Relaxed);
        let tail = (from != UNSET && from >= limit && from < n).then_some(from);
        let head_end = n.min(limit);
        let mut views: Vec<AnyView> = (0..head_end).map(&row).collect();
        let hidden = tail.unwrap_or(n).saturating_sub(head_end);
        if hidden > 0 {
            let next = u64::try_from(hidden).unwrap_or(u64::MAX).min(ROWS_AT_FIRST);
            views.push(super::show_more::show_more(
                "show-more-rows",
                format!("{hidden} more not shown. "),
                shown,
                next,
            ));
        }
        if let Some(from) = tail {
            views.extend((from..n).map(&row));
        }
        views
    })
    .into_any()
}

/// A whole-number field's value as a count. The field only accepts whole numbers up to
/// `input::MAX_COUNT`, so the conversion cannot fail; saturating keeps it total anyway.
pub fn to_count(v: Decimal) -> u64 {
    u64::try_from(v.trunc()).unwrap_or(u64::MAX)
}

/// A whole-number field's value as a small count (days, licences).
pub fn to_u32(v: Decimal) -> u32 {
    u32::try_from(to_count(v)).unwrap_or(u32::MAX)
}

/// `(key, label)` of every user licence, for selects.
pub fn licence_options() -> Vec<(&'static str, &'static str)> {
    Licence::ALL
        .into_iter()
        .map(|l| (l.key(), l.label()))
        .collect()
}

/// `(key, label)` of every flow licence, for selects.
pub fn flow_licence_options() -> Vec<(&'static str, &'static str)> {
    FlowLicence::ALL
        .into_iter()
        .map(|l| (l.key(), l.label()))
        .collect()
}

/// A button that removes a row.
#[component]
pub fn RemoveButton(
    /// Accessible label ("Remove app").
    label: String,
    on_remove: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="remove" aria-label=label.clone() title=label on:click=move |_| on_remove()>
            "✕"
        </button>
    }
}

/// A row's name for its legend: re-read when a name or the rows change (see
/// [`super::state::ScenarioState::names`]), not on every keystroke.
pub fn name_of(
    get: impl Fn(&Scenario) -> Option<&str> + Send + Sync + 'static,
) -> impl Fn() -> String + Send + Sync + 'static {
    name_memo(Box::new(get))
}

type NameGet = Box<dyn Fn(&Scenario) -> Option<&str> + Send + Sync>;

fn name_memo(get: NameGet) -> impl Fn() -> String + Send + Sync + 'static {
    let state = use_state();
    let name = Memo::new(move |_| {
        state.names.track();
        state.revision.track();
        state
            .scenario
            .with_untracked(|s| get(s).unwrap_or_default().to_string())
    });
    move || name.get()
}
