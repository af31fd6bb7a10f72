//! Copilot Credits (CC-1..9): the agents of one environment by feature and channel, its
//! prepaid capacity, and Windows 365 for Agents hours.
//!
//! The form is a chunk of its own (see [`super::super::chunks`]): it is fetched the first
//! time a Copilot section is opened, so the first total does not wait for it. Each agent
//! shows the features the scenario's book has a rate for, with the rate next to the input,
//! plus any feature that already holds a number (nothing the scenario holds is ever hidden).

use leptos::lazy;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::chunks::{self, ChunkUnavailable};
use super::super::fields::{NumberField, NumberKind, SelectField, TextField, dom_id};
use super::super::state::use_state;
use super::{RemoveButton, rows, to_count, to_u32};
use crate::engine::copilot_credits::{self, CREDITS_PER_PACK, CREDITS_PER_UNIT};
use crate::engine::{Agent, AgentChannel, CopilotCredits, PriceBookId, Scenario};

fn credits_ref(s: &Scenario, e: usize) -> Option<&CopilotCredits> {
    s.environments.get(e).map(|x| &x.copilot_credits)
}

fn credits_mut(s: &mut Scenario, e: usize) -> Option<&mut CopilotCredits> {
    s.environments.get_mut(e).map(|x| &mut x.copilot_credits)
}

fn agent_ref(s: &Scenario, e: usize, a: usize) -> Option<&Agent> {
    credits_ref(s, e)?.agents.get(a)
}

fn agent_mut(s: &mut Scenario, e: usize, a: usize) -> Option<&mut Agent> {
    credits_mut(s, e)?.agents.get_mut(a)
}

fn channel_options() -> Vec<(&'static str, &'static str)> {
    AgentChannel::ALL
        .into_iter()
        .map(|c| (c.key(), c.label()))
        .collect()
}

/// The agents' form, once its chunk is here; a note while it is fetched.
#[component]
pub fn CreditsForm(env: usize) -> impl IntoView {
    let form = Suspend::new(async move {
        credits_view(env).await.unwrap_or_else(|ChunkUnavailable| {
            chunks::unavailable(
                "Copilot Credits form",
                "Close this section and open it again to retry.",
            )
        })
    });
    view! { <Suspense fallback=|| view! { <p class="note">"Loading the agents' form…"</p> }>{form}</Suspense> }
}

/// The agents' form, in a chunk of its own.
#[lazy(fallible)]
fn credits_view(env: usize) -> Result<AnyView, ChunkUnavailable> {
    Ok(agents_form(env))
}

fn agents_form(env: usize) -> AnyView {
    let state = use_state();
    let e = env;
    let book = Memo::new(move |_| state.scenario.with(|s| s.price_book));
    let count = move || {
        state
            .scenario
            .with_untracked(|s| credits_ref(s, e).map_or(0, |c| c.agents.len()))
    };
    let path = format!("environments[{e}].copilot_credits");
    view! {
        <p class="section-help" data-testid=format!("credits-{e}-help")>{move || book_help(book.get())}</p>
        {rows(count, move |a| view! { <AgentRow env=e agent=a book /> })}
        <button
            type="button"
            class="add"
            data-testid=format!("add-agent-{e}")
            on:click=move |_| {
                state
                    .restructure(|s| {
                        if let Some(c) = credits_mut(s, e) {
                            let n = c.agents.len() + 1;
                            c.agents.push(Agent { name: format!("Agent {n}"), ..Agent::default() });
                        }
                    })
            }
        >
            "Add agent"
        </button>
        <div class="row-fields">
            <NumberField
                label="Copilot Studio capacity packs".to_string()
                help=format!("Each pack gives {} credits a month, consumed before pay-as-you-go (CC-4).", crate::engine::money::format_quantity(Decimal::from(CREDITS_PER_PACK)))
                path=format!("{path}.prepaid_packs")
                kind=NumberKind::Bounded(0, 1_000_000)
                testid=format!("credits-{e}-packs")
                get=move |s| credits_ref(s, e).map(|c| Decimal::from(c.prepaid_packs))
                set=move |s, v| if let Some(c) = credits_mut(s, e) { c.prepaid_packs = to_u32(v) }
            />
            <NumberField
                label="Pre-purchase plan units drawn".to_string()
                help=format!("1 unit = $1 = {CREDITS_PER_UNIT} credits, consumed before pay-as-you-go from the 2025-11 book on (CC-4).")
                path=format!("{path}.prepurchase_units")
                kind=NumberKind::Count
                testid=format!("credits-{e}-units")
                get=move |s| credits_ref(s, e).map(|c| Decimal::from(c.prepurchase_units))
                set=move |s, v| if let Some(c) = credits_mut(s, e) { c.prepurchase_units = to_count(v) }
            />
            <NumberField
                label="Windows 365 for Agents Cloud PC hours".to_string()
                help="The tenant's hours this month (50 are free a tenant: enter them in one environment). Microsoft publishes no price: enter a negotiated one under Prices (CC-8, 2026-09 book)."
                path=format!("{path}.cloud_pc_hours")
                kind=NumberKind::Count
                testid=format!("credits-{e}-cloud-pc-hours")
                get=move |s| credits_ref(s, e).map(|c| Decimal::from(c.cloud_pc_hours))
                set=move |s, v| if let Some(c) = credits_mut(s, e) { c.cloud_pc_hours = to_count(v) }
            />
        </div>
    }
    .into_any()
}

/// What the book does with agents, in one sentence.
fn book_help(id: PriceBookId) -> String {
    let book = id.book();
    let rules = &book.rules;
    let unit = if rules.copilot_credits {
        "Copilot Credits"
    } else {
        "messages"
    };
    if !rules.copilot_studio_meter || rules.credit_rates.is_none() {
        return format!(
            "The {} book has no Copilot Studio meter: agents are not billed (CS-1). Choose a book from 2025-02 on.",
            id.key()
        );
    }
    format!(
        "Describe each agent's use this month; the {} book converts it to {unit} with its rate table (CC-2) and bills what prepaid capacity does not cover at {} each (CC-1, CC-4).",
        id.key(),
        crate::engine::money::format_unit_price(
            book.list_price(crate::engine::PriceKey::CopilotStudioMessage)
        ),
    )
}

/// One agent: name, channel, who uses it, and its use by feature.
#[component]
fn AgentRow(env: usize, agent: usize, book: Memo<PriceBookId>) -> impl IntoView {
    let state = use_state();
    let (e, a) = (env, agent);
    let path = format!("environments[{e}].copilot_credits.agents[{a}]");
    let employee_facing = state
        .scenario
        .with_untracked(|s| agent_ref(s, e, a).is_some_and(|x| x.employee_facing));
    let check_id = dom_id("c");
    let check_help = format!("{check_id}-help");
    let features_path = path.clone();
    view! {
        <fieldset class="row-card" data-testid=format!("agent-{e}-{a}")>
            <legend>{super::name_of(move |s| agent_ref(s, e, a).map(|x| x.name.as_str()))}</legend>
            <div class="row-fields">
                <TextField
                    label="Name".to_string()
                    testid=format!("agent-{e}-{a}-name")
                    get=move |s| agent_ref(s, e, a).map(|x| x.name.clone())
                    set=move |s, v| if let Some(x) = agent_mut(s, e, a) { x.name = v }
                />
                <SelectField
                    label="Billed through".to_string()
                    help="Every channel lands on the same meter; AI Builder reaches it only when its own credits run out, from the 2025-11 book (CC-6)."
                    options=channel_options()
                    testid=format!("agent-{e}-{a}-channel")
                    get=move |s| agent_ref(s, e, a).map(|x| x.channel.key())
                    set=move |s, v| if let (Some(x), Some(c)) = (agent_mut(s, e, a), AgentChannel::from_key(v)) { x.channel = c }
                />
                // Ticking it shows or hides the licensed share, which files accept only for
                // employee-facing agents: so it restructures, and unticking clears the share.
                <div class="field field-check">
                    <input
                        id=check_id.clone()
                        type="checkbox"
                        data-testid=format!("agent-{e}-{a}-employee-facing")
                        aria-describedby=check_help.clone()
                        prop:checked=employee_facing
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            state.restructure(|s| if let Some(x) = agent_mut(s, e, a) {
                                x.employee_facing = on;
                                if !on {
                                    x.m365_licensed_percent = Decimal::ZERO;
                                }
                            });
                        }
                    />
                    <label for=check_id>"Used by the tenant's employees"</label>
                    <small class="help" id=check_help>"Employee-facing: use by Microsoft 365 Copilot-licensed users is not charged, except autonomous actions (CC-3)."</small>
                </div>
                {employee_facing.then(|| view! {
                    <NumberField
                        label="Share of use by Microsoft 365 Copilot-licensed users".to_string()
                        help="Percent of this agent's use by licensed users: free, except autonomous actions (CC-3)."
                        path=format!("{path}.m365_licensed_percent")
                        kind=NumberKind::Percent
                        unit="%"
                        testid=format!("agent-{e}-{a}-licensed-percent")
                        get=move |s| agent_ref(s, e, a).map(|x| x.m365_licensed_percent)
                        set=move |s, v| if let Some(x) = agent_mut(s, e, a) { x.m365_licensed_percent = v }
                    />
                })}
            </div>
            // Rebuilt when the book changes: which features have a rate, and what it is,
            // depend on it. The fields read their values from the scenario again.
            <div class="row-fields" data-testid=format!("agent-{e}-{a}-features")>
                {move || feature_fields(e, a, book.get(), &features_path)}
            </div>
            <div class="row-actions">
                <button
                    type="button"
                    class="secondary"
                    data-testid=format!("agent-{e}-{a}-duplicate")
                    on:click=move |_| state.restructure(|s| {
                        if let Some(mut copy) = agent_ref(s, e, a).cloned() && let Some(c) = credits_mut(s, e) {
                            copy.name = format!("{} (copy)", copy.name);
                            c.agents.insert(a + 1, copy);
                        }
                    })
                >
                    "Duplicate"
                </button>
                <RemoveButton
                    label="Remove agent".to_string()
                    on_remove=move || state.restructure(|s| if let Some(c) = credits_mut(s, e) && a < c.agents.len() {
                        c.agents.remove(a);
                    })
                />
            </div>
        </fieldset>
    }
}

/// The feature inputs of one agent under the book `id`: those the book rates, and those
/// that hold a number.
fn feature_fields(e: usize, a: usize, id: PriceBookId, path: &str) -> AnyView {
    let state = use_state();
    let book = id.book();
    let rates = book.rules.credit_rates;
    let agent = state
        .scenario
        .with_untracked(|s| agent_ref(s, e, a).cloned())
        .unwrap_or_default();
    copilot_credits::features()
        .into_iter()
        .filter_map(|f| {
            let rate = rates.and_then(|r| (f.rates)(&r));
            let held = (f.get)(&agent) > 0;
            if rate.is_none() && !held {
                return None;
            }
            let help = match &rate {
                Some(r) => format!(
                    "{} in the {} book (CC-2{}).",
                    copilot_credits::rate_in(r, &book.rules),
                    id.key(),
                    if f.always_charged { ", charged even for licensed users: CC-3" } else { "" }
                ),
                None => format!(
                    "The {} book has no rate for {}: they are not billed (CC-2).",
                    id.key(),
                    f.what
                ),
            };
            let get_mut = f.get_mut;
            let get = f.get;
            let key = f.path.replace(['.', '_'], "-");
            Some(view! {
                <NumberField
                    label=capitalised(f.what)
                    help
                    path=format!("{path}.{}", f.path)
                    kind=NumberKind::Count
                    testid=format!("agent-{e}-{a}-{key}")
                    get=move |s| agent_ref(s, e, a).map(|x| Decimal::from(get(x)))
                    set=move |s, v| if let Some(x) = agent_mut(s, e, a) { *get_mut(x) = to_count(v) }
                />
            })
        })
        .collect_view()
        .into_any()
}

fn capitalised(what: &str) -> String {
    let mut c = what.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
