//! Power Platform requests: daily entitlements of users and flows (PR-1..12).

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::fields::{CheckField, NumberField, NumberKind, SelectField, TextField, dom_id};
use super::super::state::use_state;
use super::{RemoveButton, flow_licence_options, rows};
use crate::engine::{
    FlowLicence, Licence, RequestConsumer, RequestEntity, RequestEntityKind, Scenario, TenantPool,
    TenantPoolKind,
};

fn consumer_ref(s: &Scenario, e: usize, r: usize) -> Option<&RequestConsumer> {
    s.environments.get(e)?.requests.get(r)
}

fn consumer_mut(s: &mut Scenario, e: usize, r: usize) -> Option<&mut RequestConsumer> {
    s.environments.get_mut(e)?.requests.get_mut(r)
}

fn entity_ref(s: &Scenario, e: usize, r: usize) -> Option<&RequestEntity> {
    consumer_ref(s, e, r).map(|x| &x.entity)
}

fn entity_mut(s: &mut Scenario, e: usize, r: usize) -> Option<&mut RequestEntity> {
    consumer_mut(s, e, r).map(|x| &mut x.entity)
}

/// A fresh entity of the kind named by `key`.
fn default_entity(key: &str) -> Option<RequestEntity> {
    Some(match RequestEntityKind::from_key(key)? {
        RequestEntityKind::Users => RequestEntity::Users {
            users: 1,
            licences: vec![Licence::PowerAutomatePremium],
        },
        RequestEntityKind::Flow => RequestEntity::Flow {
            licence: FlowLicence::Process,
            licence_count: 1,
        },
        RequestEntityKind::PerAppMeterUsers => {
            RequestEntity::PerAppMeterUsers { users: 1, apps: 1 }
        }
        RequestEntityKind::NonLicensed => RequestEntity::NonLicensed {
            pool: TenantPool::PowerPlatform,
        },
    })
}

fn pool_from_key(key: &str) -> Option<TenantPool> {
    Some(match TenantPoolKind::from_key(key)? {
        TenantPoolKind::PowerPlatform => TenantPool::PowerPlatform,
        TenantPoolKind::Dynamics365 => TenantPool::Dynamics365 { user_licences: 0 },
    })
}

fn new_consumer(n: usize) -> RequestConsumer {
    RequestConsumer {
        name: format!("Request consumer {n}"),
        entity: RequestEntity::Users {
            users: 1,
            licences: vec![Licence::PowerAutomatePremium],
        },
        requests_per_day: 0,
        days: 0,
        daily_requests: Vec::new(),
        addon_packs: 0,
    }
}

/// The request consumers of one environment.
#[component]
pub fn RequestsForm(env: usize) -> impl IntoView {
    let state = use_state();
    let count = move || {
        state
            .scenario
            .with_untracked(|s| s.environments.get(env).map_or(0, |x| x.requests.len()))
    };
    view! {
        <p class="section-help">
            "Entitlements are daily and per user or flow; overage is never averaged or pooled (PR-2). "
            "The meter is not billed in any known version of the documentation (PR-1): amounts show as reported, not billed."
        </p>
        {rows(count, move |r| view! { <RequestRow env=env consumer=r /> })}
        <button
            type="button"
            class="add"
            data-testid=format!("add-request-{env}")
            on:click=move |_| {
                state
                    .restructure(|s| {
                        if let Some(e) = s.environments.get_mut(env) {
                            let n = e.requests.len() + 1;
                            e.requests.push(new_consumer(n));
                        }
                    })
            }
        >
            "Add request consumer"
        </button>
    }
}

/// One consumer: who holds the entitlement, and how many requests each member makes.
#[component]
fn RequestRow(env: usize, consumer: usize) -> impl IntoView {
    let state = use_state();
    let (e, r) = (env, consumer);
    let path = format!("environments[{e}].requests[{r}]");
    let detailed = state
        .scenario
        .with_untracked(|s| consumer_ref(s, e, r).map_or(0, |x| x.daily_requests.len()));
    let entity_inputs = entity_fields(e, r, &path);
    view! {
        <fieldset class="row-card" data-testid=format!("request-{e}-{r}")>
            <legend>{super::name_of(move |s| consumer_ref(s, e, r).map(|x| x.name.as_str()))}</legend>
            <div class="row-fields">
                <TextField
                    label="Name".to_string()
                    testid=format!("request-{e}-{r}-name")
                    get=move |s| consumer_ref(s, e, r).map(|x| x.name.clone())
                    set=move |s, v| if let Some(x) = consumer_mut(s, e, r) { x.name = v }
                />
                <RestructureSelect
                    label="Whose entitlement".to_string()
                    help="Users, a licensed flow, per-app meter users or the tenant pool each have their own daily entitlement (PR-4, PR-6, PR-3, PR-8)."
                    options=RequestEntityKind::ALL.map(|x| (x.key(), x.label())).to_vec()
                    testid=format!("request-{e}-{r}-kind")
                    get=move |s| entity_ref(s, e, r).map(|x| x.kind().key())
                    set=move |s, v| if let (Some(x), Some(entity)) = (consumer_mut(s, e, r), default_entity(v)) {
                        x.entity = entity;
                    }
                />
                {entity_inputs}
                <NumberField
                    label="Requests per member per day".to_string()
                    help="Each user or flow of this row makes this many requests on each day below (PR-2)."
                    path=format!("{path}.requests_per_day")
                    kind=NumberKind::Count
                    testid=format!("request-{e}-{r}-requests-per-day")
                    get=move |s| consumer_ref(s, e, r).map(|x| Decimal::from(x.requests_per_day))
                    set=move |s, v| if let Some(x) = consumer_mut(s, e, r) { x.requests_per_day = super::to_count(v) }
                />
                <NumberField
                    label="Days".to_string()
                    help="Days of the month with that use; entitlements do not roll over between days (PR-2)."
                    path=format!("{path}.days")
                    kind=NumberKind::Bounded(0, 31)
                    testid=format!("request-{e}-{r}-days")
                    get=move |s| consumer_ref(s, e, r).map(|x| Decimal::from(x.days))
                    set=move |s, v| if let Some(x) = consumer_mut(s, e, r) { x.days = super::to_u32(v) }
                />
                <NumberField
                    label="Capacity add-on packs per member".to_string()
                    help="Each pack adds 50,000 requests a day, usable in pay-as-you-go environments from the 2025-02 book (PR-12)."
                    path=format!("{path}.addon_packs")
                    kind=NumberKind::Bounded(0, 10_000)
                    testid=format!("request-{e}-{r}-addon-packs")
                    get=move |s| consumer_ref(s, e, r).map(|x| Decimal::from(x.addon_packs))
                    set=move |s, v| if let Some(x) = consumer_mut(s, e, r) { x.addon_packs = super::to_u32(v) }
                />
            </div>
            {(detailed > 0).then(|| view! {
                <p class="note" data-testid=format!("request-{e}-{r}-daily-requests-note")>
                    {format!("Plus {detailed} detailed records from the scenario file (requests per day, PR-2).")}
                </p>
            })}
            <div class="row-actions">
                <button
                    type="button"
                    class="secondary"
                    data-testid=format!("request-{e}-{r}-duplicate")
                    on:click=move |_| state.restructure(|s| {
                        if let Some(mut copy) = consumer_ref(s, e, r).cloned() && let Some(env) = s.environments.get_mut(e) {
                            copy.name = format!("{} (copy)", copy.name);
                            env.requests.insert(r + 1, copy);
                        }
                    })
                >
                    "Duplicate"
                </button>
                <RemoveButton
                    label="Remove request consumer".to_string()
                    on_remove=move || state.restructure(|s| if let Some(env) = s.environments.get_mut(e) && r < env.requests.len() {
                        env.requests.remove(r);
                    })
                />
            </div>
        </fieldset>
    }
}

/// The inputs of the row's entity kind, as it is when the row is built (changing the kind
/// restructures, which rebuilds the row).
fn entity_fields(e: usize, r: usize, path: &str) -> AnyView {
    let state = use_state();
    let kind = state
        .scenario
        .with_untracked(|s| entity_ref(s, e, r).map(RequestEntity::kind));
    let epath = format!("{path}.entity");
    match kind {
        Some(RequestEntityKind::Users) => view! {
            <NumberField
                label="Users".to_string()
                help="Users who each hold all the licences ticked below and make the requests of this row (PR-4)."
                path=format!("{epath}.users")
                kind=NumberKind::Count
                testid=format!("request-{e}-{r}-users")
                get=move |s| match entity_ref(s, e, r) {
                    Some(RequestEntity::Users { users, .. }) => Some(Decimal::from(*users)),
                    _ => None,
                }
                set=move |s, v| if let Some(RequestEntity::Users { users, .. }) = entity_mut(s, e, r) {
                    *users = super::to_count(v);
                }
            />
            <fieldset class="groups" data-testid=format!("request-{e}-{r}-licences")>
                <legend class="groups-title">"Licences each user holds"</legend>
                <p class="section-help">
                    "Each licence has a daily entitlement (PR-4); several paid licences of one user add up, "
                    "or only the highest counts under the transition option (PR-5)."
                </p>
                {Licence::ALL
                    .into_iter()
                    .map(|l| view! {
                        <CheckField
                            label=l.label().to_string()
                            testid=format!("request-{e}-{r}-licence-{}", l.key())
                            get=move |s| match entity_ref(s, e, r) {
                                Some(RequestEntity::Users { licences, .. }) => Some(licences.contains(&l)),
                                _ => None,
                            }
                            set=move |s, checked| if let Some(RequestEntity::Users { licences, .. }) = entity_mut(s, e, r) {
                                if checked {
                                    if !licences.contains(&l) { licences.push(l); }
                                } else {
                                    licences.retain(|x| *x != l);
                                }
                            }
                        />
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
        Some(RequestEntityKind::Flow) => view! {
            <SelectField
                label="Flow licence".to_string()
                help="A per-flow or Process licence gives the flow its own 250,000 requests a day per licence (PR-6)."
                options=flow_licence_options()
                testid=format!("request-{e}-{r}-flow-licence")
                get=move |s| match entity_ref(s, e, r) {
                    Some(RequestEntity::Flow { licence, .. }) => Some(licence.key()),
                    _ => None,
                }
                set=move |s, v| if let (Some(RequestEntity::Flow { licence, .. }), Some(l)) = (entity_mut(s, e, r), FlowLicence::from_key(v)) {
                    *licence = l;
                }
            />
            <NumberField
                label="Licences on the flow".to_string()
                help="Licences assigned to the flow; their entitlements add up (PR-6)."
                path=format!("{epath}.licence_count")
                kind=NumberKind::Bounded(1, 1000)
                testid=format!("request-{e}-{r}-licence-count")
                get=move |s| match entity_ref(s, e, r) {
                    Some(RequestEntity::Flow { licence_count, .. }) => Some(Decimal::from(*licence_count)),
                    _ => None,
                }
                set=move |s, v| if let Some(RequestEntity::Flow { licence_count, .. }) = entity_mut(s, e, r) {
                    *licence_count = super::to_u32(v);
                }
            />
        }
        .into_any(),
        Some(RequestEntityKind::PerAppMeterUsers) => view! {
            <NumberField
                label="Users".to_string()
                help="Users metered by the per-app meter get 6,000 requests a day (PR-3)."
                path=format!("{epath}.users")
                kind=NumberKind::Count
                testid=format!("request-{e}-{r}-users")
                get=move |s| match entity_ref(s, e, r) {
                    Some(RequestEntity::PerAppMeterUsers { users, .. }) => Some(Decimal::from(*users)),
                    _ => None,
                }
                set=move |s, v| if let Some(RequestEntity::PerAppMeterUsers { users, .. }) = entity_mut(s, e, r) {
                    *users = super::to_count(v);
                }
            />
            <NumberField
                label="Apps each user opens".to_string()
                help="The 6,000 a day apply per user per app, or per user under the option (AMB-9)."
                path=format!("{epath}.apps")
                kind=NumberKind::Bounded(0, 10_000)
                testid=format!("request-{e}-{r}-apps")
                get=move |s| match entity_ref(s, e, r) {
                    Some(RequestEntity::PerAppMeterUsers { apps, .. }) => Some(Decimal::from(*apps)),
                    _ => None,
                }
                set=move |s, v| if let Some(RequestEntity::PerAppMeterUsers { apps, .. }) = entity_mut(s, e, r) {
                    *apps = super::to_u32(v);
                }
            />
        }
        .into_any(),
        Some(RequestEntityKind::NonLicensed) => {
            let dynamics = state.scenario.with_untracked(|s| {
                matches!(
                    entity_ref(s, e, r),
                    Some(RequestEntity::NonLicensed { pool: TenantPool::Dynamics365 { .. } })
                )
            });
            view! {
                <RestructureSelect
                    label="Tenant pool".to_string()
                    help="Application users and service principals share the tenant pool of the largest product line (PR-8)."
                    options=TenantPoolKind::ALL.map(|x| (x.key(), x.label())).to_vec()
                    testid=format!("request-{e}-{r}-pool")
                    get=move |s| match entity_ref(s, e, r) {
                        Some(RequestEntity::NonLicensed { pool }) => Some(pool.kind().key()),
                        _ => None,
                    }
                    set=move |s, v| if let (Some(RequestEntity::NonLicensed { pool }), Some(p)) = (entity_mut(s, e, r), pool_from_key(v)) {
                        *pool = p;
                    }
                />
                {dynamics.then(|| view! {
                    <NumberField
                        label="Dynamics 365 user licences".to_string()
                        help="The pool is 500,000 a day plus 5,000 per user licence, up to 10,000,000 (PR-8)."
                        path=format!("{epath}.pool.user_licences")
                        kind=NumberKind::Count
                        testid=format!("request-{e}-{r}-user-licences")
                        get=move |s| match entity_ref(s, e, r) {
                            Some(RequestEntity::NonLicensed { pool: TenantPool::Dynamics365 { user_licences } }) => Some(Decimal::from(*user_licences)),
                            _ => None,
                        }
                        set=move |s, v| if let Some(RequestEntity::NonLicensed { pool: TenantPool::Dynamics365 { user_licences } }) = entity_mut(s, e, r) {
                            *user_licences = super::to_count(v);
                        }
                    />
                })}
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}

/// A select whose change alters the shape of the row (the entity kind, the tenant pool), so
/// it applies through [`super::super::state::ScenarioState::restructure`] and the row is
/// rebuilt with the inputs of the new shape.
#[component]
fn RestructureSelect(
    label: String,
    #[prop(into)] help: String,
    options: Vec<(&'static str, &'static str)>,
    get: impl Fn(&Scenario) -> Option<&'static str> + 'static,
    set: impl Fn(&mut Scenario, &str) + Send + Sync + 'static,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let state = use_state();
    let id = dom_id("s");
    let help_id = format!("{id}-help");
    let current = state.scenario.with_untracked(|s| get(s)).unwrap_or("");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                data-testid=testid
                aria-describedby=help_id.clone()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.restructure(|s| set(s, &v));
                }
            >
                {options
                    .into_iter()
                    .map(|(key, text)| {
                        view! {
                            <option value=key selected=key == current>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <small class="help" id=help_id>{help}</small>
        </div>
    }
}
