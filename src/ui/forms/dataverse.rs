//! Dataverse storage: used GB per category and allocated capacity (DV-1..8, AMB-10).

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::fields::{NumberField, NumberKind, dom_id};
use super::super::state::use_state;
// The category enum is the engine's (one definition of database/file/log); the form adds
// its own help texts.
use crate::engine::StorageCategory as Category;
use crate::engine::{Scenario, Storage, StorageUsage, StorageUsageKind};

impl Category {
    /// Help of a constant-use field.
    fn used_help(self) -> &'static str {
        match self {
            Category::Database => {
                "Database GB in use all month, before the free 1 GB is taken off (DV-2)."
            }
            Category::File => "File GB in use all month, before the free 1 GB is taken off (DV-2).",
            Category::Log => "Log GB in use all month; log storage has no free GB (DV-2).",
        }
    }

    /// Help of an allocated-capacity field.
    fn allocated_help(self) -> &'static str {
        match self {
            Category::Database => {
                "Database GB allocated to this environment from the tenant's capacity (DV-3)."
            }
            Category::File => {
                "File GB allocated to this environment from the tenant's capacity (DV-3)."
            }
            Category::Log => {
                "Log GB allocated to this environment from the tenant's capacity (DV-3)."
            }
        }
    }
}

fn storage_ref(s: &Scenario, e: usize) -> Option<&Storage> {
    s.environments.get(e).map(|x| &x.storage)
}

fn storage_mut(s: &mut Scenario, e: usize) -> Option<&mut Storage> {
    s.environments.get_mut(e).map(|x| &mut x.storage)
}

fn usage_ref(s: &Scenario, e: usize, c: Category) -> Option<&StorageUsage> {
    storage_ref(s, e).map(|x| c.usage(x))
}

fn usage_mut(s: &mut Scenario, e: usize, c: Category) -> Option<&mut StorageUsage> {
    storage_mut(s, e).map(|x| c.usage_mut(x))
}

/// The usage after switching to `key`, keeping the values the old mode had where it can.
/// `None` when the key is unknown or names a mode that cannot be chosen (a series).
fn switched(usage: &StorageUsage, key: &str) -> Option<StorageUsage> {
    let (first, last) = match usage {
        StorageUsage::Constant { gb } => (*gb, *gb),
        StorageUsage::Linear { start_gb, end_gb } => (*start_gb, *end_gb),
        StorageUsage::Series { points } => (
            points.first().map_or(Decimal::ZERO, |p| p.gb),
            points.last().map_or(Decimal::ZERO, |p| p.gb),
        ),
    };
    match StorageUsageKind::from_key(key)? {
        StorageUsageKind::Constant => Some(StorageUsage::Constant { gb: first }),
        StorageUsageKind::Linear => Some(StorageUsage::Linear {
            start_gb: first,
            end_gb: last,
        }),
        StorageUsageKind::Series => None,
    }
}

/// The storage of one environment.
#[component]
pub fn DataverseForm(env: usize) -> impl IntoView {
    let e = env;
    view! {
        <p class="section-help">
            "Used GB (not overage). 1 GB of database and 1 GB of file storage are free per pay-as-you-go "
            "environment; log storage is billed from the first GB (DV-2)."
        </p>
        {Category::ALL.into_iter().map(|c| view! { <CategoryRow env=e category=c /> }).collect_view()}
        <div class="groups">
            <p class="groups-title">"Allocated capacity"</p>
            <p class="section-help">
                "Only the 2025-02 book lets you allocate capacity to a pay-as-you-go environment (DV-3, AMB-10)."
            </p>
            <div class="row-fields">
                {Category::ALL
                    .into_iter()
                    .map(|c| {
                        let key = c.key();
                        view! {
                            <NumberField
                                label=format!("{} allocated", c.label())
                                help=c.allocated_help()
                                path=format!("environments[{e}].storage.allocated.{key}")
                                kind=NumberKind::Gigabytes
                                unit="GB"
                                testid=format!("storage-{e}-allocated-{key}-gb")
                                get=move |s| storage_ref(s, e).map(|x| c.allocated(&x.allocated))
                                set=move |s, v| if let Some(x) = storage_mut(s, e) { *c.allocated_mut(&mut x.allocated) = v }
                            />
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}

/// One storage category: how use moves through the month, and the GB.
#[component]
fn CategoryRow(env: usize, category: Category) -> impl IntoView {
    let state = use_state();
    let (e, c) = (env, category);
    let key = c.key();
    view! {
        <fieldset class="row-card" data-testid=format!("storage-{e}-{key}")>
            <legend>{format!("{} storage", c.label())}</legend>
            // Switching mode restructures the scenario, so the fields are rebuilt from it.
            {move || {
                state.revision.track();
                let usage = state.scenario.with_untracked(|s| usage_ref(s, e, c).cloned()).unwrap_or_default();
                view! {
                    <div class="row-fields">
                        <ModeSelect env=e category=c usage=usage.clone() />
                        <UsageFields env=e category=c usage=usage />
                    </div>
                }
            }}
        </fieldset>
    }
}

/// The mode select. A measured series from a file is shown as a selected option; choosing
/// another mode replaces it.
#[component]
fn ModeSelect(env: usize, category: Category, usage: StorageUsage) -> impl IntoView {
    let state = use_state();
    let (e, c) = (env, category);
    let key = c.key();
    let id = dom_id("s");
    let help_id = format!("{id}-help");
    let current = usage.kind();
    let series = match &usage {
        StorageUsage::Series { points } => Some(points.len()),
        _ => None,
    };
    view! {
        <div class="field">
            <label for=id.clone()>{format!("{} use over the month", c.label())}</label>
            <select
                id=id
                data-testid=format!("storage-{e}-{key}-mode")
                aria-describedby=help_id.clone()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state
                        .restructure(|s| {
                            if let Some(u) = usage_mut(s, e, c)
                                && let Some(next) = switched(u, &v)
                            {
                                *u = next;
                            }
                        })
                }
            >
                {series.map(|n| view! {
                    <option value=StorageUsageKind::Series.key() selected=true>
                        {format!("{} ({n} points, from the file)", StorageUsageKind::Series.label())}
                    </option>
                })}
                {[StorageUsageKind::Constant, StorageUsageKind::Linear]
                    .map(|k| view! {
                        <option value=k.key() selected=current == k>{k.label()}</option>
                    })}
            </select>
            <small class="help" id=help_id>
                "Each snapshot of the month is billed on the GB in use at that moment (DV-5, DV-6)."
            </small>
        </div>
    }
}

/// The GB inputs of the current mode.
#[component]
fn UsageFields(env: usize, category: Category, usage: StorageUsage) -> impl IntoView {
    let (e, c) = (env, category);
    let key = c.key();
    let path = format!("environments[{e}].storage.{key}");
    match usage {
        StorageUsage::Constant { .. } => view! {
            <NumberField
                label=format!("{} GB used", c.label())
                help=c.used_help()
                path=format!("{path}.gb")
                kind=NumberKind::Gigabytes
                unit="GB"
                testid=format!("storage-{e}-{key}-gb")
                get=move |s| match usage_ref(s, e, c) {
                    Some(StorageUsage::Constant { gb }) => Some(*gb),
                    _ => None,
                }
                set=move |s, v| if let Some(StorageUsage::Constant { gb }) = usage_mut(s, e, c) { *gb = v }
            />
        }
        .into_any(),
        StorageUsage::Linear { .. } => view! {
            <NumberField
                label=format!("{} GB at the start", c.label())
                help="GB in use at the first snapshot of the month; use changes evenly to the end value (DV-5, DV-6)."
                path=format!("{path}.start_gb")
                kind=NumberKind::Gigabytes
                unit="GB"
                testid=format!("storage-{e}-{key}-start-gb")
                get=move |s| match usage_ref(s, e, c) {
                    Some(StorageUsage::Linear { start_gb, .. }) => Some(*start_gb),
                    _ => None,
                }
                set=move |s, v| if let Some(StorageUsage::Linear { start_gb, .. }) = usage_mut(s, e, c) { *start_gb = v }
            />
            <NumberField
                label=format!("{} GB at the end", c.label())
                help="GB in use at the last snapshot of the month (DV-5, DV-6)."
                path=format!("{path}.end_gb")
                kind=NumberKind::Gigabytes
                unit="GB"
                testid=format!("storage-{e}-{key}-end-gb")
                get=move |s| match usage_ref(s, e, c) {
                    Some(StorageUsage::Linear { end_gb, .. }) => Some(*end_gb),
                    _ => None,
                }
                set=move |s, v| if let Some(StorageUsage::Linear { end_gb, .. }) = usage_mut(s, e, c) { *end_gb = v }
            />
        }
        .into_any(),
        StorageUsage::Series { points } => {
            let n = points.len();
            view! {
                <p class="note" data-testid=format!("storage-{e}-{key}-series")>
                    {format!(
                        "Plus {n} detailed records from the scenario file (measured GB; each holds until the next one). Choose another mode to replace them.",
                    )}
                </p>
            }
            .into_any()
        }
    }
}
