//! Prepaid or pay-as-you-go? The advisor panel: a view over [`crate::engine::advisor`].
//!
//! The engine prices every alternative; this panel only collects what the scenario format does
//! not hold (the months the runs were counted over, people and bots per flow, the growth
//! profile) and shows the result. Advising prices the scenario once per item and option, and
//! the projection once per month, so it runs only while the panel is open and a moment after
//! the last keystroke, keeping the breakdown's per-keystroke repricing fast.

use gloo::timers::callback::Timeout;
use leptos::lazy;
use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::chunks::{self, ChunkUnavailable};
use super::fields::dom_id;
use super::state::use_state;
use crate::engine::advisor::{
    self, Advice, AdvisorInputs, FlowSizing, Growth, Projection, Recommendation, SubjectKind,
};
use crate::engine::money::format_usd;
use crate::engine::{PricingError, RunMode, Scenario};
use crate::input;

/// Quiet time after an edit before the advisor reprices.
const SETTLE_MS: u32 = 120;
/// The longest horizon and projection offered, as in the CLI.
const MAX_MONTHS: u64 = advisor::MAX_HORIZON_MONTHS as u64;

/// What the panel shows: the advice and the projection, or why they could not be priced.
#[derive(Clone, PartialEq)]
struct Advised {
    advice: Result<Advice, PricingError>,
    projection: Result<Projection, PricingError>,
}

fn advised(s: &Scenario, inputs: &AdvisorInputs) -> Advised {
    Advised {
        advice: advisor::advise_with(s, inputs),
        projection: advisor::project_with(
            s,
            inputs,
            inputs.growth.clone(),
            inputs.projection_months,
        ),
    }
}

/// The advice and its view. Split into a chunk of its own (see [`super::chunks`]): the
/// advisor is a tenth of the app's code and the first total needs none of it.
#[lazy(fallible)]
fn advice_view(
    scenario: Scenario,
    inputs: AdvisorInputs,
    signal: RwSignal<AdvisorInputs>,
) -> Result<AnyView, ChunkUnavailable> {
    let advised = advised(&scenario, &inputs);
    Ok(view! { <AdvisedView advised inputs=signal /> }.into_any())
}

/// The advisor. `open` lives with the caller so that replacing the scenario, which rebuilds
/// this panel with the new scenario's inputs, keeps it open.
#[component]
pub fn AdvisorPanel(open: RwSignal<bool>) -> impl IntoView {
    let state = use_state();
    let inputs = RwSignal::new(state.scenario.with_untracked(AdvisorInputs::for_scenario));

    // Edited inputs are written into the scenario, so they autosave and travel in links and
    // files. The first run is the scenario's own (or its example's) inputs: nothing to write.
    Effect::new(move |previous: Option<()>| {
        let current = inputs.get();
        if previous.is_some() {
            state.scenario.update(|s| s.advisor = Some(current));
        }
    });

    let settled = RwSignal::new(0u64);
    let timer = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |_| {
        state.scenario.track();
        inputs.track();
        if open.get() {
            // Replacing the handle drops (cancels) the previous timer.
            timer.set_value(Some(Timeout::new(SETTLE_MS, move || {
                settled.update(|n| *n = n.wrapping_add(1));
            })));
        }
    });
    view! {
        <details
            class="advisor"
            data-testid="advisor"
            prop:open=move || open.get()
            on:toggle=move |ev| {
                use wasm_bindgen::JsCast;
                let now_open = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                    .is_some_and(|d| d.open());
                if now_open != open.get_untracked() {
                    open.set(now_open);
                }
            }
        >
            <summary>
                <h2>"Prepaid or pay-as-you-go?"</h2>
                <span class="summary-note">"the advisor: licences vs meters, break-even points, 12-month projection"</span>
            </summary>
            <p class="section-help">
                "For every flow, group of app users, storage category and requests consumer of the pay-as-you-go environments, the advisor prices the meters and each prepaid licence with this scenario's prices (edit them under Prices), and recommends the cheapest. A licence that also covers other meters (a per-user licence exempts the user's runs and app use) is credited with them, and the option says so."
            </p>
            <AdvisorControls inputs />
            // `settled` ticks a moment after the panel opens and after each edit while it is
            // open; until the first tick there is nothing to show yet. The note stays while the
            // advisor's chunk is fetched (the first time only); CSS hides it once the advice
            // follows it (`.pending`).
            {move || {
                let pending = view! { <p class="note pending">"Pricing the alternatives…"</p> };
                if settled.get() == 0 {
                    return pending.into_any();
                }
                let scenario = state.scenario.get_untracked();
                let current = inputs.get_untracked();
                let advice = Suspend::new(async move {
                    advice_view(scenario, current, inputs).await.unwrap_or_else(|ChunkUnavailable| {
                        chunks::unavailable("advisor", "Close it and open it again to retry.")
                    })
                });
                view! { {pending} {advice} }.into_any()
            }}
        </details>
    }
}

/// Horizon, growth profile and projection length.
#[component]
fn AdvisorControls(inputs: RwSignal<AdvisorInputs>) -> impl IntoView {
    let (horizon, growth, months) = inputs.with_untracked(|i| {
        (
            i.horizon().to_string(),
            i.growth.to_string(),
            i.projection_months.to_string(),
        )
    });
    view! {
        <div class="row-fields">
            <SmallInput
                label="Runs counted over (months)"
                help="The documentation's table counts three months of runs; licences are priced for as many months."
                testid="advisor-horizon"
                initial=horizon
                parse=|t| input::parse_bounded(t, 1, MAX_MONTHS).map(|_| ())
                apply=move |t: String| {
                    if let Ok(n) = input::parse_bounded(&t, 1, MAX_MONTHS) {
                        let n = u32::try_from(n).unwrap_or(1);
                        inputs.update(|i| i.horizon_months = n);
                    }
                }
            />
            <SmallInput
                label="Usage growth"
                help="flat, a percentage a month (5%, -2%), or 12 multipliers January to December (1,1,1,1,1,1,0.5,0.5,1,1,1,2)."
                testid="advisor-growth"
                initial=growth
                parse=|t| Growth::parse(t).map(|_| ())
                apply=move |t: String| {
                    if let Ok(g) = Growth::parse(&t) {
                        inputs.update(|i| i.growth = g);
                    }
                }
            />
            <SmallInput
                label="Projection (months)"
                help="Each month priced with its own number of days (Dataverse snapshots, DV-7)."
                testid="advisor-months"
                initial=months
                parse=|t| input::parse_bounded(t, 1, MAX_MONTHS).map(|_| ())
                apply=move |t: String| {
                    if let Ok(n) = input::parse_bounded(&t, 1, MAX_MONTHS) {
                        let n = u32::try_from(n).unwrap_or(advisor::DEFAULT_PROJECTION_MONTHS);
                        inputs.update(|i| i.projection_months = n);
                    }
                }
            />
        </div>
    }
}

/// A text input that keeps what the user typed, shows why it is invalid next to it, and
/// applies only valid text.
#[component]
fn SmallInput(
    label: &'static str,
    help: &'static str,
    testid: &'static str,
    initial: String,
    parse: fn(&str) -> Result<(), String>,
    #[prop(into)] apply: Callback<String>,
) -> impl IntoView {
    let id = dom_id("adv");
    let help_id = format!("{id}-help");
    let msg_id = format!("{id}-msg");
    let text = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let described = format!("{help_id} {msg_id}");
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                autocomplete="off"
                data-testid=testid
                prop:value=move || text.get()
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    match parse(&v) {
                        Ok(()) => {
                            error.set(None);
                            apply.run(v.clone());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    text.set(v);
                }
            />
            <span class="help" id=help_id>{help}</span>
            <span class="field-error" id=msg_id role="alert">{move || error.get()}</span>
        </div>
    }
}

/// The recommendations and the projection.
#[component]
fn AdvisedView(advised: Advised, inputs: RwSignal<AdvisorInputs>) -> impl IntoView {
    let state = use_state();
    let advice = match advised.advice {
        Ok(a) => a,
        Err(e) => {
            return view! {
                <p class="pricing-error" role="alert" data-testid="advisor-error">
                    {format!("Cannot advise on this scenario: {e}.")}
                </p>
            }
            .into_any();
        }
    };
    let invalid = move || {
        (!state.invalid.with(|m| m.is_empty())).then(|| {
            view! {
                <p class="note" role="status">
                    "Some inputs are invalid; the advice uses their last valid values."
                </p>
            }
        })
    };
    let horizon = advice.inputs.horizon();
    let period = if horizon == 1 {
        "a month".to_string()
    } else {
        format!("over {horizon} months")
    };
    let saving = advice.total_payg.saturating_sub(advice.total_recommended);
    view! {
        <div class="advice" data-testid="advice">
            {invalid}
            <dl class="totals advice-totals">
                <div>
                    <dt>{format!("Pay-as-you-go, {period}")}</dt>
                    <dd data-testid="advice-total-payg">{format_usd(advice.total_payg)}</dd>
                </div>
                <div class="total-main">
                    <dt>{format!("Recommended mix, {period}")}</dt>
                    <dd data-testid="advice-total-recommended">{format_usd(advice.total_recommended)}</dd>
                </div>
                <div>
                    <dt>"Saving"</dt>
                    <dd data-testid="advice-saving">{format_usd(saving)}</dd>
                </div>
            </dl>
            {if advice.recommendations.is_empty() {
                view! {
                    <p class="note" data-testid="advice-empty">
                        "Nothing to compare: no pay-as-you-go environment has billed usage a licence could replace."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ol class="recommendations">
                        {advice
                            .recommendations
                            .into_iter()
                            .map(|r| view! { <RecommendationView r inputs /> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            {(!advice.notes.is_empty()).then(|| view! {
                <ul class="advice-notes">
                    {advice
                        .notes
                        .into_iter()
                        .map(|n| view! { <li><span class="rule">{n.rule}</span>" "{n.text}</li> })
                        .collect_view()}
                </ul>
            })}
            {match advised.projection {
                Ok(p) => view! { <ProjectionView p horizon /> }.into_any(),
                Err(e) => view! {
                    <p class="pricing-error" role="alert">{format!("Cannot project this scenario: {e}.")}</p>
                }
                    .into_any(),
            }}
        </div>
    }
    .into_any()
}

/// One item: its alternatives side by side, the recommendation and the break-even points.
#[component]
fn RecommendationView(r: Recommendation, inputs: RwSignal<AdvisorInputs>) -> impl IntoView {
    let best = r
        .recommended_alternative()
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let sizing = (r.kind == SubjectKind::Flow).then(|| flow_sizing(&r, inputs));
    let kind = match r.kind {
        SubjectKind::Flow => "Flow",
        SubjectKind::Apps => "Apps",
        SubjectKind::Dataverse => "Dataverse",
        SubjectKind::Requests => "Requests",
        SubjectKind::Credits => "Copilot Credits",
    };
    let recommended = r.recommended;
    view! {
        <li class="recommendation" data-testid="advice-row">
            <h3>
                <span class="payer">{kind}</span>" "
                <span data-testid="advice-subject">{r.subject.clone()}</span>
                <span class="env-name">{format!(" · {}", r.environment_name)}</span>
            </h3>
            <p class="usage">{r.usage.clone()}</p>
            <p class="verdict">
                "Recommended: "<strong data-testid="advice-recommended">{best}</strong>
            </p>
            <p class="reason" data-testid="advice-reason">{r.reason.clone()}</p>
            {sizing}
            <div class="table-scroll">
                <table class="alternatives">
                    <caption class="sr-only">{format!("Options for {}", r.subject)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Option"</th>
                            <th scope="col">"Cost"</th>
                            <th scope="col">"How"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r
                            .alternatives
                            .iter()
                            .enumerate()
                            .map(|(i, a)| {
                                let caveat = a.caveat.clone();
                                let overridden = a.parts.iter().any(|p| p.price_overridden);
                                view! {
                                    <tr class:best=i == recommended data-testid="advice-option">
                                        <th scope="row">
                                            {a.name.clone()}
                                            {(i == recommended).then(|| view! { <span class="best-mark">" ✓ cheapest"</span> })}
                                            {overridden.then(|| view! { <span class="overridden">"negotiated price"</span> })}
                                        </th>
                                        <td class="amount">{format_usd(a.cost)}</td>
                                        <td>
                                            <span class="arithmetic">{a.arithmetic.clone()}</span>
                                            {(!a.covers.is_empty()).then(|| view! { <br /><span class="help">{a.covers.clone()}</span> })}
                                            {caveat.map(|c| view! { <br /><span class="caveat">{c}</span> })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(!r.break_evens.is_empty()).then(|| view! {
                <ul class="break-evens">
                    {r
                        .break_evens
                        .iter()
                        .map(|b| view! { <li data-testid="break-even">{b.sentence.clone()}</li> })
                        .collect_view()}
                </ul>
            })}
        </li>
    }
}

/// People and bots of a flow, which the scenario format does not record.
fn flow_sizing(r: &Recommendation, inputs: RwSignal<AdvisorInputs>) -> impl IntoView + use<> {
    let state = use_state();
    let flow = state.scenario.with_untracked(|s| {
        s.environments
            .get(r.environment)
            .and_then(|e| e.flows.iter().find(|f| f.name == r.subject))
            .map(|f| (f.trigger.uses_owner_licence(), f.mode))
    });
    let (owner_licence, mode) = flow?;
    let env = r.environment_name.clone();
    let name = r.subject.clone();
    let current = inputs.with_untracked(|i| {
        i.flows
            .iter()
            .filter(|f| f.flow == name)
            .find(|f| f.environment.as_deref() == Some(&env))
            .or_else(|| {
                i.flows
                    .iter()
                    .find(|f| f.flow == name && f.environment.is_none())
            })
            .cloned()
    });
    let people = (!owner_licence).then(|| {
        let (env, name) = (env.clone(), name.clone());
        view! {
            <SmallInput
                label="People who run it"
                help="Each would need a user licence; empty assumes one per licence class of the runs."
                testid="advisor-users"
                initial=current.as_ref().and_then(|c| c.users).map(|n| n.to_string()).unwrap_or_default()
                parse=optional_count
                apply=move |t: String| set_sizing(inputs, &env, &name, |s| s.users = parsed_optional(&t))
            />
        }
    });
    let bots = matches!(mode, RunMode::Unattended | RunMode::Hosted).then(|| {
        view! {
            <SmallInput
                label="Bots at once"
                help="One prepaid unattended licence per bot running at the same time; empty means 1."
                testid="advisor-bots"
                initial=current.as_ref().and_then(|c| c.bots).map(|n| n.to_string()).unwrap_or_default()
                parse=optional_count
                apply=move |t: String| set_sizing(inputs, &env, &name, |s| s.bots = parsed_optional(&t))
            />
        }
    });
    (people.is_some() || bots.is_some())
        .then(|| view! { <div class="row-fields">{people}{bots}</div> })
}

fn optional_count(t: &str) -> Result<(), String> {
    if t.trim().is_empty() {
        return Ok(());
    }
    input::parse_bounded(t, 1, input::MAX_COUNT).map(|_| ())
}

fn parsed_optional(t: &str) -> Option<u64> {
    if t.trim().is_empty() {
        None
    } else {
        input::parse_bounded(t, 1, input::MAX_COUNT).ok()
    }
}

/// Edits the sizing entry of one flow in one environment, creating it from the any-environment
/// entry (or empty) the first time.
fn set_sizing(
    inputs: RwSignal<AdvisorInputs>,
    env: &str,
    flow: &str,
    edit: impl FnOnce(&mut FlowSizing),
) {
    inputs.update(|i| {
        let pos = i
            .flows
            .iter()
            .position(|f| f.flow == flow && f.environment.as_deref() == Some(env));
        let pos = match pos {
            Some(p) => p,
            None => {
                let base = i
                    .flows
                    .iter()
                    .find(|f| f.flow == flow && f.environment.is_none())
                    .cloned();
                let mut entry = base.unwrap_or(FlowSizing {
                    environment: None,
                    flow: flow.to_string(),
                    users: None,
                    bots: None,
                });
                entry.environment = Some(env.to_string());
                i.flows.push(entry);
                i.flows.len() - 1
            }
        };
        if let Some(entry) = i.flows.get_mut(pos) {
            edit(entry);
        }
    });
}

/// Month by month: pay-as-you-go against the recommended mix, as bars with a table behind.
#[component]
fn ProjectionView(p: Projection, horizon: u32) -> impl IntoView {
    // The projection prices each month on its own: a scenario whose runs were counted over
    // several months is read as one month's usage there, which the user should see.
    let reading = (horizon > 1).then(|| {
        format!(
            "The projection reads the scenario's usage as one month's usage (the comparison above reads its runs as {horizon} months' worth)."
        )
    });
    let max = p
        .months
        .iter()
        .map(|m| m.payg.max(m.recommended))
        .max()
        .unwrap_or(Decimal::ZERO);
    let n = u32::try_from(p.months.len()).unwrap_or(0);
    let slot = 36u32;
    let chart_h = 160u32;
    let width = slot * n.max(1) + 8;
    let bar_px = |v: Decimal| -> u32 {
        if max.is_zero() {
            return 0;
        }
        (v * Decimal::from(chart_h) / max)
            .round()
            .to_u32()
            .unwrap_or(0)
            .min(chart_h)
    };
    let months = p.months.clone();
    view! {
        <figure class="chart projection" data-testid="projection">
            <figcaption>
                <h3>"Projection"</h3>
                <span class="legend"><span class="swatch payg"></span>" pay-as-you-go "<span class="swatch mix"></span>" recommended mix"</span>
            </figcaption>
            <svg
                viewBox=format!("0 0 {width} {}", chart_h + 22)
                width="100%"
                role="img"
                aria-hidden="true"
                focusable="false"
            >
                {months
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let x = slot * u32::try_from(i).unwrap_or(0) + 4;
                        let hp = bar_px(m.payg);
                        let hr = bar_px(m.recommended);
                        view! {
                            <g>
                                <rect x=x y=chart_h - hp width="14" height=hp class="chart-bar payg" />
                                <rect x=x + 15 y=chart_h - hr width="14" height=hr class="chart-bar mix" />
                                <text x=x y=chart_h + 16 class="chart-label">{format!("{:02}", m.month.month)}</text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            {reading.map(|r| view! { <p class="note" data-testid="projection-reading">{r}</p> })}
            <div class="table-scroll">
                <table class="projection-table" data-testid="projection-table">
                    <caption>"Cost per month: pay-as-you-go against the recommended mix (each item keeps one option for the whole projection)"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Month"</th>
                            <th scope="col">"Days"</th>
                            <th scope="col">"Usage"</th>
                            <th scope="col">"Pay-as-you-go"</th>
                            <th scope="col">"Recommended"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p
                            .months
                            .into_iter()
                            .map(|m| view! {
                                <tr data-testid="projection-month">
                                    <th scope="row">{m.month.to_string()}</th>
                                    <td>{m.days}</td>
                                    <td>{format!("× {}", m.factor.normalize())}</td>
                                    <td class="amount">{format_usd(m.payg)}</td>
                                    <td class="amount">{format_usd(m.recommended)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                    <tfoot>
                        {p
                            .years
                            .into_iter()
                            .map(|y| view! {
                                <tr>
                                    <th scope="row" colspan="3">{format!("Year {} ({} to {})", y.year, y.first, y.last)}</th>
                                    <td class="amount" data-testid="projection-year-payg">{format_usd(y.payg)}</td>
                                    <td class="amount" data-testid="projection-year-recommended">{format_usd(y.recommended)}</td>
                                </tr>
                            })
                            .collect_view()}
                        <tr>
                            <th scope="row" colspan="3">"Whole projection"</th>
                            <td class="amount" data-testid="projection-total-payg">{format_usd(p.total_payg)}</td>
                            <td class="amount" data-testid="projection-total-recommended">{format_usd(p.total_recommended)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </figure>
    }
}
