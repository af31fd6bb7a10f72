//! Power Apps: apps and who opens them (AP-1..12).

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::fields::{CheckField, NumberField, NumberKind, SelectField, TextField};
use super::super::state::use_state;
use super::{RemoveButton, licence_options, rows};
use crate::engine::{App, ConnectorClass, Licence, Scenario, UserGroup};

fn app_ref(s: &Scenario, e: usize, a: usize) -> Option<&App> {
    s.environments.get(e)?.apps.get(a)
}

fn app_mut(s: &mut Scenario, e: usize, a: usize) -> Option<&mut App> {
    s.environments.get_mut(e)?.apps.get_mut(a)
}

fn group_mut(s: &mut Scenario, e: usize, a: usize, g: usize) -> Option<&mut UserGroup> {
    app_mut(s, e, a)?.user_groups.get_mut(g)
}

/// The apps of one environment.
#[component]
pub fn AppsForm(env: usize) -> impl IntoView {
    let state = use_state();
    let count = move || {
        state
            .scenario
            .with_untracked(|s| s.environments.get(env).map_or(0, |x| x.apps.len()))
    };
    view! {
        <p class="section-help">
            "Each user who opens an app at least once in the month is one active user of that app (AP-1, AP-2): "
            "a user of three apps counts three times."
        </p>
        {rows(count, move |a| view! { <AppRow env=env app=a /> })}
        <button
            type="button"
            class="add"
            data-testid=format!("add-app-{env}")
            on:click=move |_| {
                state
                    .restructure(|s| {
                        if let Some(e) = s.environments.get_mut(env) {
                            let n = e.apps.len() + 1;
                            e.apps
                                .push(App {
                                    name: format!("App {n}"),
                                    connectors: ConnectorClass::Premium,
                                    opted_out: false,
                                    user_groups: vec![
                                        UserGroup { users: 0, licence: Licence::None },
                                    ],
                                    opened_by: Vec::new(),
                                });
                        }
                    })
            }
        >
            "Add app"
        </button>
    }
}

/// One app: name, connectors, opt-out and user groups.
#[component]
fn AppRow(env: usize, app: usize) -> impl IntoView {
    let state = use_state();
    let (e, a) = (env, app);
    let path = format!("environments[{e}].apps[{a}]");
    let groups = move || {
        state
            .scenario
            .with_untracked(|s| app_ref(s, e, a).map_or(0, |x| x.user_groups.len()))
    };
    let named = state
        .scenario
        .with_untracked(|s| app_ref(s, e, a).map_or(0, |x| x.opened_by.len()));
    view! {
        <fieldset class="row-card" data-testid=format!("app-{e}-{a}")>
            <legend>{super::name_of(move |s| app_ref(s, e, a).map(|x| x.name.as_str()))}</legend>
            <div class="row-fields">
                <TextField
                    label="App name".to_string()
                    testid=format!("app-{e}-{a}-name")
                    get=move |s| app_ref(s, e, a).map(|x| x.name.clone())
                    set=move |s, v| if let Some(x) = app_mut(s, e, a) { x.name = v }
                />
                <SelectField
                    label="Connectors".to_string()
                    help="Premium or custom connectors, a gateway or Dataverse make an app premium (AP-7, AMB-4)."
                    options=ConnectorClass::ALL.map(|x| (x.key(), x.label())).to_vec()
                    testid=format!("app-{e}-{a}-connectors")
                    get=move |s| app_ref(s, e, a).map(|x| x.connectors.key())
                    set=move |s, v| if let (Some(x), Some(c)) = (app_mut(s, e, a), ConnectorClass::from_key(v)) {
                        x.connectors = c;
                    }
                />
                <CheckField
                    label="Opted out of pay-as-you-go".to_string()
                    help="An opted-out app is never metered; its users need their own licences (AP-10)."
                    testid=format!("app-{e}-{a}-opted-out")
                    get=move |s| app_ref(s, e, a).map(|x| x.opted_out)
                    set=move |s, v| if let Some(x) = app_mut(s, e, a) { x.opted_out = v }
                />
            </div>
            <div class="groups">
                <p class="groups-title">"Users who opened it this month, by licence"</p>
                {rows(groups, move |g| {
                    let gpath = format!("{path}.user_groups[{g}]");
                    view! {
                        <div class="group-row">
                            <NumberField
                                label="Users".to_string()
                                path=format!("{gpath}.users")
                                kind=NumberKind::Count
                                testid=format!("app-{e}-{a}-group-{g}-users")
                                get=move |s| app_ref(s, e, a).and_then(|x| x.user_groups.get(g)).map(|x| Decimal::from(x.users))
                                set=move |s, v| if let Some(x) = group_mut(s, e, a, g) { x.users = super::to_count(v) }
                            />
                            <SelectField
                                label="Licence".to_string()
                                options=licence_options()
                                testid=format!("app-{e}-{a}-group-{g}-licence")
                                get=move |s| app_ref(s, e, a).and_then(|x| x.user_groups.get(g)).map(|x| x.licence.key())
                                set=move |s, v| if let (Some(x), Some(l)) = (group_mut(s, e, a, g), Licence::from_key(v)) { x.licence = l }
                            />
                            <RemoveButton
                                label="Remove user group".to_string()
                                on_remove=move || state.restructure(|s| {
                                    if let Some(x) = app_mut(s, e, a) && g < x.user_groups.len() {
                                        x.user_groups.remove(g);
                                    }
                                })
                            />
                        </div>
                    }
                })}
                <button
                    type="button"
                    class="add small"
                    data-testid=format!("app-{e}-{a}-add-group")
                    on:click=move |_| state.restructure(|s| if let Some(x) = app_mut(s, e, a) {
                        x.user_groups.push(UserGroup { users: 0, licence: Licence::None });
                    })
                >
                    "Add user group"
                </button>
                {(named > 0).then(|| view! {
                    <p class="note">{format!("Plus {named} named users from the scenario file (detailed records; repeat opens count once, AP-2).")}</p>
                })}
            </div>
            <div class="row-actions">
                <button type="button" class="secondary" on:click=move |_| state.restructure(|s| {
                    if let Some(mut copy) = app_ref(s, e, a).cloned()
                        && let Some(env) = s.environments.get_mut(e)
                    {
                        copy.name = format!("{} (copy)", copy.name);
                        env.apps.insert(a + 1, copy);
                    }
                })>"Duplicate app"</button>
                <RemoveButton
                    label="Remove app".to_string()
                    on_remove=move || state.restructure(|s| {
                        if let Some(env) = s.environments.get_mut(e) && a < env.apps.len() {
                            env.apps.remove(a);
                        }
                    })
                />
            </div>
        </fieldset>
    }
}
