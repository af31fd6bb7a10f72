//! One form per meter, inside an environment card. Shared pieces live here.

pub mod apps;
pub mod copilot;
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

fn rows_erased(count: RowCount, row: RowView) -> AnyView {
    let state = use_state();
    (move || {
        state.revision.track();
        (0..count()).map(&row).collect::<Vec<AnyView>>()
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
