//! Power Automate: cloud and desktop flows and their runs (PA-1..17).

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::fields::{CheckField, NumberField, NumberKind, SelectField, TextField, dom_id};
use super::super::state::{InvalidInput, use_state};
use super::{RemoveButton, flow_licence_options, licence_options, rows};
use crate::engine::{
    Flow, FlowConnectors, FlowLicence, Licence, Owner, OwnerKind, RunGroup, RunMode, Scenario,
    Trigger,
};
use crate::input;

fn flow_ref(s: &Scenario, e: usize, f: usize) -> Option<&Flow> {
    s.environments.get(e)?.flows.get(f)
}

fn flow_mut(s: &mut Scenario, e: usize, f: usize) -> Option<&mut Flow> {
    s.environments.get_mut(e)?.flows.get_mut(f)
}

fn group_ref(s: &Scenario, e: usize, f: usize, g: usize) -> Option<&RunGroup> {
    flow_ref(s, e, f)?.runs.get(g)
}

fn group_mut(s: &mut Scenario, e: usize, f: usize, g: usize) -> Option<&mut RunGroup> {
    flow_mut(s, e, f)?.runs.get_mut(g)
}

/// The owner select's label for a user owner with licence `l`.
fn user_owner_label(l: Licence) -> &'static str {
    match l {
        Licence::None => "A user with no licence",
        Licence::Microsoft365 => "A user with Microsoft 365",
        Licence::PowerAppsPerUser => "A user with Power Apps per user",
        Licence::PowerAppsPerApp => "A user with a Power Apps per-app pass",
        Licence::PowerAutomatePerUser => "A user with Power Automate per user",
        Licence::PowerAutomatePerUserRpa => "A user with Power Automate per user with attended RPA",
        Licence::PowerAutomatePremium => "A user with Power Automate Premium",
        Licence::Dynamics365 => "A user with Dynamics 365 Enterprise/Professional",
        Licence::Dynamics365TeamMember => "A user with Dynamics 365 Team Member",
    }
}

// The owner select's values: the service principal's kind key, or a user's licence key (no
// licence key is `service_principal`, so one select holds both without a prefix).
const SERVICE_PRINCIPAL: OwnerKind = OwnerKind::ServicePrincipal;

fn owner_options() -> Vec<(&'static str, &'static str)> {
    let mut options = vec![(SERVICE_PRINCIPAL.key(), SERVICE_PRINCIPAL.label())];
    options.extend(Licence::ALL.map(|l| (l.key(), user_owner_label(l))));
    options
}

fn owner_key(o: Owner) -> &'static str {
    match o {
        Owner::ServicePrincipal => SERVICE_PRINCIPAL.key(),
        Owner::User(l) => l.key(),
    }
}

fn owner_from_key(key: &str) -> Option<Owner> {
    if key == SERVICE_PRINCIPAL.key() {
        return Some(Owner::ServicePrincipal);
    }
    Licence::from_key(key).map(Owner::User)
}

fn new_flow(n: usize) -> Flow {
    Flow {
        name: format!("Flow {n}"),
        trigger: Trigger::Automated,
        mode: RunMode::Cloud,
        connectors: FlowConnectors::Premium,
        flow_licence: FlowLicence::None,
        owner: Owner::User(Licence::None),
        linked_to_app: false,
        d365_context: false,
        child_flow: false,
        runs: vec![RunGroup {
            runs: 0,
            licence: Licence::None,
        }],
        daily_runs: Vec::new(),
        test_runs: 0,
        resubmitted_runs: 0,
        busiest_day_runs: None,
    }
}

/// The flows of one environment.
#[component]
pub fn FlowsForm(env: usize) -> impl IntoView {
    let state = use_state();
    let count = move || {
        state
            .scenario
            .with_untracked(|s| s.environments.get(env).map_or(0, |x| x.flows.len()))
    };
    view! {
        <p class="section-help">
            "Runs of premium cloud flows and of desktop flows are charged per run unless a licence covers them "
            "(PA-1, PA-7); flows with standard connectors only are not charged (PA-2)."
        </p>
        {rows(count, move |f| view! { <FlowRow env=env flow=f /> })}
        <button
            type="button"
            class="add"
            data-testid=format!("add-flow-{env}")
            on:click=move |_| {
                state
                    .restructure(|s| {
                        if let Some(e) = s.environments.get_mut(env) {
                            let n = e.flows.len() + 1;
                            e.flows.push(new_flow(n));
                        }
                    })
            }
        >
            "Add flow"
        </button>
    }
}

/// One flow: how it is triggered, runs and is licensed, and its runs.
#[component]
fn FlowRow(env: usize, flow: usize) -> impl IntoView {
    let state = use_state();
    let (e, f) = (env, flow);
    let path = format!("environments[{e}].flows[{f}]");
    let groups = move || {
        state
            .scenario
            .with_untracked(|s| flow_ref(s, e, f).map_or(0, |x| x.runs.len()))
    };
    let detailed = state
        .scenario
        .with_untracked(|s| flow_ref(s, e, f).map_or(0, |x| x.daily_runs.len()));
    // Follows the trigger select (see `ScenarioState::names`), not every keystroke.
    let owner_applies = Memo::new(move |_| {
        state.names.track();
        state.revision.track();
        state
            .scenario
            .with_untracked(|s| flow_ref(s, e, f).is_some_and(|x| x.trigger.uses_owner_licence()))
    });
    view! {
        <fieldset class="row-card" data-testid=format!("flow-{e}-{f}")>
            <legend>{super::name_of(move |s| flow_ref(s, e, f).map(|x| x.name.as_str()))}</legend>
            <div class="row-fields">
                <TextField
                    label="Flow name".to_string()
                    testid=format!("flow-{e}-{f}-name")
                    get=move |s| flow_ref(s, e, f).map(|x| x.name.clone())
                    set=move |s, v| if let Some(x) = flow_mut(s, e, f) { x.name = v }
                />
                <SelectField
                    label="Trigger".to_string()
                    help="Automated and scheduled flows use the owner's licence, instant and Power Apps-triggered ones the invoking user's (PA-6)."
                    options=Trigger::ALL.map(|x| (x.key(), x.label())).to_vec()
                    testid=format!("flow-{e}-{f}-trigger")
                    get=move |s| flow_ref(s, e, f).map(|x| x.trigger.key())
                    set=move |s, v| if let (Some(x), Some(t)) = (flow_mut(s, e, f), Trigger::from_key(v)) { x.trigger = t }
                />
                <SelectField
                    label="Runs as".to_string()
                    help="Cloud and attended desktop runs are rated $0.60, unattended and hosted desktop runs $3.00 (PA-3)."
                    options=RunMode::ALL.map(|x| (x.key(), x.label())).to_vec()
                    testid=format!("flow-{e}-{f}-mode")
                    get=move |s| flow_ref(s, e, f).map(|x| x.mode.key())
                    set=move |s, v| if let (Some(x), Some(m)) = (flow_mut(s, e, f), RunMode::from_key(v)) { x.mode = m }
                />
                <SelectField
                    label="Connectors".to_string()
                    help="Premium or custom connectors, a gateway or Dataverse make a cloud flow premium; premium only through an ISV's connector is billed to the ISV (AMB-4, EM-5)."
                    options=FlowConnectors::ALL.map(|x| (x.key(), x.label())).to_vec()
                    testid=format!("flow-{e}-{f}-connectors")
                    get=move |s| flow_ref(s, e, f).map(|x| x.connectors.key())
                    set=move |s, v| if let (Some(x), Some(c)) = (flow_mut(s, e, f), FlowConnectors::from_key(v)) { x.connectors = c }
                />
                <SelectField
                    label="Flow licence".to_string()
                    help="A per-flow or Process licence on the flow exempts its cloud runs; unattended runs only under the option (PA-7, AMB-6)."
                    options=flow_licence_options()
                    testid=format!("flow-{e}-{f}-flow-licence")
                    get=move |s| flow_ref(s, e, f).map(|x| x.flow_licence.key())
                    set=move |s, v| if let (Some(x), Some(l)) = (flow_mut(s, e, f), FlowLicence::from_key(v)) { x.flow_licence = l }
                />
                <SelectField
                    label="Owner".to_string()
                    help="The owner's licence applies to automated and scheduled runs; a service principal's runs are charged unless the flow has its own licence (PA-6, PA-8)."
                    options=owner_options()
                    testid=format!("flow-{e}-{f}-owner")
                    get=move |s| flow_ref(s, e, f).map(|x| owner_key(x.owner))
                    set=move |s, v| if let (Some(x), Some(o)) = (flow_mut(s, e, f), owner_from_key(v)) { x.owner = o }
                />
                <CheckField
                    label="Linked to an app".to_string()
                    help="A cloud flow linked to an app is covered by the app's licence or the Power Apps meter (PA-10)."
                    testid=format!("flow-{e}-{f}-linked-to-app")
                    get=move |s| flow_ref(s, e, f).map(|x| x.linked_to_app)
                    set=move |s, v| if let Some(x) = flow_mut(s, e, f) { x.linked_to_app = v }
                />
                <CheckField
                    label="Runs in the context of a Dynamics 365 app".to_string()
                    help="In-context runs of a Dynamics 365 licensee are not charged (PA-12)."
                    testid=format!("flow-{e}-{f}-d365-context")
                    get=move |s| flow_ref(s, e, f).map(|x| x.d365_context)
                    set=move |s, v| if let Some(x) = flow_mut(s, e, f) { x.d365_context = v }
                />
                <CheckField
                    label="Only run as a child flow".to_string()
                    help="Child runs of cloud and attended flows are not charged, unattended ones are (PA-5)."
                    testid=format!("flow-{e}-{f}-child-flow")
                    get=move |s| flow_ref(s, e, f).map(|x| x.child_flow)
                    set=move |s, v| if let Some(x) = flow_mut(s, e, f) { x.child_flow = v }
                />
                <NumberField
                    label="Test runs".to_string()
                    help="Runs while testing in the designer are free (PA-4)."
                    path=format!("{path}.test_runs")
                    kind=NumberKind::Count
                    testid=format!("flow-{e}-{f}-test-runs")
                    get=move |s| flow_ref(s, e, f).map(|x| Decimal::from(x.test_runs))
                    set=move |s, v| if let Some(x) = flow_mut(s, e, f) { x.test_runs = super::to_count(v) }
                />
                <NumberField
                    label="Resubmitted failed runs".to_string()
                    help="Resubmissions of failed runs are free (PA-4)."
                    path=format!("{path}.resubmitted_runs")
                    kind=NumberKind::Count
                    testid=format!("flow-{e}-{f}-resubmitted-runs")
                    get=move |s| flow_ref(s, e, f).map(|x| Decimal::from(x.resubmitted_runs))
                    set=move |s, v| if let Some(x) = flow_mut(s, e, f) { x.resubmitted_runs = super::to_count(v) }
                />
                <OptionalCountField
                    label="Runs on the busiest day".to_string()
                    help="Runs on the busiest day; billed runs above 1,000 per flow per day are reported, not billed (PA-14)."
                    placeholder="spread evenly"
                    path=format!("{path}.busiest_day_runs")
                    testid=format!("flow-{e}-{f}-busiest-day-runs")
                    get=move |s| flow_ref(s, e, f).and_then(|x| x.busiest_day_runs)
                    set=move |s, v| if let Some(x) = flow_mut(s, e, f) { x.busiest_day_runs = v }
                />
            </div>
            <div class="groups">
                <p class="groups-title">"Runs this month by the invoking user's licence"</p>
                <p class="section-help">
                    "Each run is checked against the licence of the user who starts it; for automated and scheduled flows "
                    "the owner's licence applies instead (PA-6, AMB-7)."
                </p>
                {move || owner_applies.get().then(|| view! {
                    <p class="note" data-testid=format!("flow-{e}-{f}-owner-note")>
                        "This flow is automated or scheduled: the owner's licence applies to all its runs, whatever licence a group names (PA-6)."
                    </p>
                })}
                {rows(groups, move |g| {
                    let gpath = format!("{path}.runs[{g}]");
                    view! {
                        <div class="group-row">
                            <NumberField
                                label="Runs this month".to_string()
                                help="Runs started by users with this licence (PA-3)."
                                path=format!("{gpath}.runs")
                                kind=NumberKind::Count
                                testid=format!("flow-{e}-{f}-group-{g}-runs")
                                get=move |s| group_ref(s, e, f, g).map(|x| Decimal::from(x.runs))
                                set=move |s, v| if let Some(x) = group_mut(s, e, f, g) { x.runs = super::to_count(v) }
                            />
                            <SelectField
                                label="Invoking user's licence".to_string()
                                help="A premium Power Automate licence exempts cloud runs, an RPA one also attended runs (PA-7)."
                                options=licence_options()
                                testid=format!("flow-{e}-{f}-group-{g}-licence")
                                get=move |s| group_ref(s, e, f, g).map(|x| x.licence.key())
                                set=move |s, v| if let (Some(x), Some(l)) = (group_mut(s, e, f, g), Licence::from_key(v)) { x.licence = l }
                            />
                            <RemoveButton
                                label="Remove run group".to_string()
                                on_remove=move || state.restructure(|s| if let Some(x) = flow_mut(s, e, f) && g < x.runs.len() {
                                    x.runs.remove(g);
                                })
                            />
                        </div>
                    }
                })}
                <button
                    type="button"
                    class="add small"
                    data-testid=format!("flow-{e}-{f}-add-group")
                    on:click=move |_| state.restructure(|s| if let Some(x) = flow_mut(s, e, f) {
                        x.runs.push(RunGroup { runs: 0, licence: Licence::None });
                    })
                >
                    "Add run group"
                </button>
                {(detailed > 0).then(|| view! {
                    <p class="note" data-testid=format!("flow-{e}-{f}-daily-runs-note")>
                        {format!("Plus {detailed} detailed records from the scenario file (runs per day by licence, PA-14).")}
                    </p>
                })}
            </div>
            <div class="row-actions">
                <button
                    type="button"
                    class="secondary"
                    data-testid=format!("flow-{e}-{f}-duplicate")
                    on:click=move |_| state.restructure(|s| {
                        if let Some(mut copy) = flow_ref(s, e, f).cloned() && let Some(env) = s.environments.get_mut(e) {
                            copy.name = format!("{} (copy)", copy.name);
                            env.flows.insert(f + 1, copy);
                        }
                    })
                >
                    "Duplicate flow"
                </button>
                <RemoveButton
                    label="Remove flow".to_string()
                    on_remove=move || state.restructure(|s| if let Some(env) = s.environments.get_mut(e) && f < env.flows.len() {
                        env.flows.remove(f);
                    })
                />
            </div>
        </fieldset>
    }
}

/// A whole-number input for an optional count: empty text means "not given" (`None`).
/// Invalid text is listed in `state.invalid` like [`NumberField`] does.
#[component]
fn OptionalCountField(
    label: String,
    #[prop(into)] help: String,
    /// Shown in the empty input, saying what "not given" means.
    placeholder: &'static str,
    path: String,
    #[prop(into)] testid: String,
    get: impl Fn(&Scenario) -> Option<u64> + 'static,
    set: impl Fn(&mut Scenario, Option<u64>) + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_state();
    let initial = state
        .scenario
        .with_untracked(|s| get(s))
        .map(|n| n.to_string())
        .unwrap_or_default();
    let text = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let id = dom_id("f");
    let msg_id = format!("{id}-msg");
    let help_id = format!("{id}-help");
    let describedby = {
        let (msg_id, help_id) = (msg_id.clone(), help_id.clone());
        move || {
            if error.get().is_some() {
                format!("{help_id} {msg_id}")
            } else {
                help_id.clone()
            }
        }
    };
    let path_for_cleanup = path.clone();
    on_cleanup(move || {
        state.invalid.update(|m| {
            m.remove(&path_for_cleanup);
        });
    });
    let label_for_invalid = label.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let parsed = if value.trim().is_empty() {
            Ok(None)
        } else {
            input::parse_count(&value).map(Some)
        };
        match parsed {
            Ok(v) => {
                error.set(None);
                state.invalid.update(|m| {
                    m.remove(&path);
                });
                state.scenario.update(|s| set(s, v));
            }
            Err(message) => {
                error.set(Some(message.clone()));
                state.invalid.update(|m| {
                    m.insert(
                        path.clone(),
                        InvalidInput {
                            label: label_for_invalid.clone(),
                            message,
                        },
                    );
                });
            }
        }
        text.set(value);
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type="text"
                inputmode="numeric"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                data-testid=testid
                prop:value=move || text.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=describedby
                on:input=on_input
            />
            <small class="help" id=help_id>{help}</small>
            <span class="field-error" id=msg_id role="alert">
                {move || error.get()}
            </span>
        </div>
    }
}
