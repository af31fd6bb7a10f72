//! Environment cards: name, pay-as-you-go link, meter switches, and a form per meter.

use leptos::prelude::*;

use super::fields::{CheckField, TextField};
use super::forms::{self, RemoveButton, rows};
use super::state::use_state;
use crate::cards;
use crate::engine::money::format_usd;
use crate::engine::{Environment, Meter, MeterSwitches, Scenario};

fn env_ref(s: &Scenario, e: usize) -> Option<&Environment> {
    s.environments.get(e)
}

fn env_mut(s: &mut Scenario, e: usize) -> Option<&mut Environment> {
    s.environments.get_mut(e)
}

/// All environments of the scenario, with an "add" button.
#[component]
pub fn Environments() -> impl IntoView {
    let state = use_state();
    let count = move || state.scenario.with_untracked(|s| s.environments.len());
    view! {
        <section class="environments" aria-labelledby="environments-title">
            <h2 id="environments-title">"Environments"</h2>
            {rows(count, move |e| view! { <EnvironmentCard env=e /> })}
            <button
                type="button"
                class="add"
                data-testid="add-environment"
                on:click=move |_| {
                    let mut added = 0;
                    state
                        .restructure(|s| {
                            added = s.environments.len();
                            let n = added + 1;
                            s.environments.push(Environment::new_payg(&format!("Environment {n}")));
                        });
                    // What the user just added is what they fill in next.
                    state.sections.update(|m| {
                        m.insert(cards::env_key(added), true);
                        m.insert(cards::section_key(added, Meter::PowerApps.key()), true);
                    });
                }
            >
                "Add environment"
            </button>
        </section>
    }
}

/// The meters a card shows, with their switch accessor.
type SwitchLens = fn(&mut MeterSwitches) -> &mut bool;

/// Each switch with the meter ids a tenant's billing plan lists for it (`billing_plan_meters`
/// in files), so that a user can match them with what their plan shows.
fn meter_switches() -> [(&'static str, &'static str, SwitchLens); 7] {
    [
        ("power_apps", "Power Apps (AppPass)", |m| &mut m.power_apps),
        (
            "flow_runs",
            "Flow runs (CloudFlowRuns, PAAttendedRPA, PAUnattendedRPA)",
            |m| &mut m.flow_runs,
        ),
        (
            "power_pages",
            "Power Pages (PowerPagesAuthenticated, PowerPagesAnonymous)",
            |m| &mut m.power_pages,
        ),
        ("dataverse", "Dataverse (Database, File, Log)", |m| {
            &mut m.dataverse
        }),
        ("requests", "Requests", |m| &mut m.requests),
        ("copilot_studio", "Copilot Studio (MCSMessages)", |m| {
            &mut m.copilot_studio
        }),
        (
            "windows365_agents",
            "Windows 365 for Agents (W365APAYGO)",
            |m| &mut m.windows365_agents,
        ),
    ]
}

/// One environment.
#[component]
fn EnvironmentCard(env: usize) -> impl IntoView {
    let state = use_state();
    let e = env;
    let title_id = format!("env-{e}-title");
    let heading_id = title_id.clone();
    let name = super::forms::name_of(move |s| env_ref(s, e).map(|x| x.name.as_str()));
    let key = cards::env_key(e);
    let default_open = state.env_default_open.get_untracked();
    let open = Memo::new({
        let key = key.clone();
        move |_| {
            state
                .sections
                .with(|m| m.get(&key).copied().unwrap_or(default_open))
        }
    });
    // Built the first time it is opened, then kept: the DOM grows with what the user opens,
    // not with the scenario, and fields keep what was typed when the card is closed.
    let built =
        Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || open.get());
    let billed = Memo::new(move |_| {
        state.line_groups.with(|ix| {
            ix.environment(e)
                .map_or(rust_decimal::Decimal::ZERO, |g| g.billed)
        })
    });
    let items = Memo::new(move |_| {
        state
            .scenario
            .with(|s| env_ref(s, e).map_or(0, cards::env_items))
    });
    let body_id = format!("env-{e}-body");
    let toggle = move |_| {
        let now = !open.get_untracked();
        state.sections.update(|m| {
            m.insert(key.clone(), now);
        });
    };
    view! {
        <article class="env-card" data-testid=format!("env-{e}") aria-labelledby=title_id.clone()>
            <header class="env-head">
                <h3 id=heading_id>
                    <button
                        type="button"
                        class="env-toggle"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=body_id.clone()
                        data-testid=format!("env-{e}-toggle")
                        on:click=toggle
                    >
                        <span class="env-name">{name}</span>
                        <span class="env-summary" data-testid=format!("env-{e}-summary")>
                            {move || summary_text(items.get(), billed.get())}
                        </span>
                    </button>
                </h3>
                <div class="row-actions">
                    <button
                        type="button"
                        class="secondary"
                        data-testid=format!("env-{e}-duplicate")
                        on:click=move |_| {
                            state
                                .restructure(|s| {
                                    if let Some(mut copy) = env_ref(s, e).cloned() {
                                        copy.name = format!("{} (copy)", copy.name);
                                        s.environments.insert(e + 1, copy);
                                    }
                                })
                        }
                    >
                        "Duplicate"
                    </button>
                    <RemoveButton
                        label="Remove environment".to_string()
                        on_remove=move || {
                            state
                                .restructure(|s| {
                                    if e < s.environments.len() {
                                        s.environments.remove(e);
                                    }
                                })
                        }
                    />
                </div>
            </header>
            {move || built.get().then(|| view! { <EnvironmentBody env=e /> })}
        </article>
    }
}

/// "3 items · $90.00": what a card or a section holds and what it is billed.
fn summary_text(items: u64, billed: rust_decimal::Decimal) -> String {
    let s = if items == 1 { "" } else { "s" };
    format!("{items} item{s} · {}", format_usd(billed))
}

/// An environment's fields and meter forms, shown while its card is open.
#[component]
fn EnvironmentBody(env: usize) -> impl IntoView {
    let state = use_state();
    let e = env;
    let open = Memo::new(move |_| {
        state.sections.with(|m| {
            m.get(&cards::env_key(e))
                .copied()
                .unwrap_or_else(|| state.env_default_open.get_untracked())
        })
    });
    view! {
        <div class="env-body" id=format!("env-{e}-body") hidden=move || !open.get()>
            <div class="row-fields">
                <TextField
                    label="Name".to_string()
                    testid=format!("env-{e}-name")
                    get=move |s| env_ref(s, e).map(|x| x.name.clone())
                    set=move |s, v| {
                        if let Some(x) = env_mut(s, e) {
                            x.name = v;
                        }
                    }
                />
                <CheckField
                    label="Pay-as-you-go (linked to an Azure subscription)".to_string()
                    help="Only linked environments are billed by the Azure meters (G-1)."
                    testid=format!("env-{e}-payg")
                    get=move |s| env_ref(s, e).map(|x| x.payg)
                    set=move |s, v| {
                        if let Some(x) = env_mut(s, e) {
                            x.payg = v;
                        }
                    }
                />
            </div>
            <fieldset class="meter-switches">
                <legend>"Meters on in the billing plan, with the ids it lists (G-2; the 2023-06 book turns all on)"</legend>
                {meter_switches()
                    .into_iter()
                    .map(|(key, label, lens)| {
                        view! {
                            <CheckField
                                label=label.to_string()
                                testid=format!("env-{e}-meter-{key}")
                                get=move |s| {
                                    env_ref(s, e)
                                        .map(|x| {
                                            let mut m = x.meters;
                                            *lens(&mut m)
                                        })
                                }
                                set=move |s, v| {
                                    if let Some(x) = env_mut(s, e) {
                                        *lens(&mut x.meters) = v;
                                    }
                                }
                            />
                        }
                    })
                    .collect_view()}
            </fieldset>
            <MeterSection title="Power Apps" key="power_apps" env=e>
                <forms::apps::AppsForm env=e />
            </MeterSection>
            <MeterSection title="Power Automate flow runs" key="flow_runs" env=e>
                <forms::flows::FlowsForm env=e />
            </MeterSection>
            <MeterSection title="Power Pages" key="power_pages" env=e>
                <forms::pages::PagesForm env=e />
            </MeterSection>
            <MeterSection title="Dataverse storage" key="dataverse" env=e>
                <forms::dataverse::DataverseForm env=e />
            </MeterSection>
            <MeterSection title="Power Platform requests" key="requests" env=e>
                <forms::requests::RequestsForm env=e />
            </MeterSection>
            <MeterSection title="Copilot Studio and Copilot Credits" key="copilot_studio" env=e>
                <h5 class="subsection">"Agents"</h5>
                <forms::credits::CreditsForm env=e />
                <h5 class="subsection">"Or the billed messages from the Azure report"</h5>
                <forms::copilot::CopilotForm env=e />
            </MeterSection>
        </div>
    }
}

/// A collapsible section for one meter's form.
#[component]
fn MeterSection(
    title: &'static str,
    key: &'static str,
    env: usize,
    children: ChildrenFn,
) -> impl IntoView {
    let state = use_state();
    let id = cards::section_key(env, key);
    let remembered = id.clone();
    let meter = Meter::ALL.into_iter().find(|m| m.key() == key);
    // Open by default where the scenario is used (cards::section_open_by_default).
    let open = state
        .scenario
        .with_untracked(|s| meter.is_some_and(|m| cards::section_open_by_default(s, env, m)));
    // A memo, so that opening one section does not re-run every other section's view.
    let is_open = Memo::new(move |_| {
        state
            .sections
            .with(|m| m.get(&remembered).copied().unwrap_or(open))
    });
    // The form is built the first time the section opens, then kept (see EnvironmentCard).
    let built =
        Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || is_open.get());
    // The header says what the closed section holds and costs.
    // The Copilot section also holds the Cloud PC hours of Windows 365 for Agents.
    let counts = move |m: Meter| {
        Some(m) == meter || (meter == Some(Meter::CopilotStudio) && m == Meter::Windows365Agents)
    };
    let billed = Memo::new(move |_| {
        state.line_groups.with(|ix| {
            ix.environment(env)
                .map_or(rust_decimal::Decimal::ZERO, |g| {
                    g.meters
                        .iter()
                        .filter(|m| counts(m.meter))
                        .fold(rust_decimal::Decimal::ZERO, |a, m| {
                            a.saturating_add(m.billed)
                        })
                })
        })
    });
    let items = Memo::new(move |_| {
        state.scenario.with(|s| {
            s.environments
                .get(env)
                .zip(meter)
                .map_or(0, |(x, m)| cards::meter_items(x, m))
        })
    });
    let summary = move || summary_text(items.get(), billed.get());
    view! {
        <details
            class="meter-section"
            prop:open=move || is_open.get()
            data-testid=id.clone()
            on:toggle=move |ev| {
                let now_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                state.sections.update(|m| {
                    m.insert(id.clone(), now_open);
                });
            }
        >
            <summary>
                <h4>{title}</h4>
                <span class="meter-summary" data-testid=format!("env-{env}-summary-{key}")>{summary}</span>
            </summary>
            <div class="meter-body">{move || built.get().then(|| children())}</div>
        </details>
    }
}
