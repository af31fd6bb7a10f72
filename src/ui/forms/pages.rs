//! Power Pages: websites, who logs in and who browses anonymously (PP-1..8).

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::fields::{NumberField, NumberKind, SelectField, TextField};
use super::super::state::use_state;
use super::{RemoveButton, licence_options, rows, to_count};
use crate::engine::{AnonymousExclusions, Licence, Scenario, SiteStatus, UserGroup, Website};

fn site_ref(s: &Scenario, e: usize, w: usize) -> Option<&Website> {
    s.environments.get(e)?.websites.get(w)
}

fn site_mut(s: &mut Scenario, e: usize, w: usize) -> Option<&mut Website> {
    s.environments.get_mut(e)?.websites.get_mut(w)
}

fn group_ref(s: &Scenario, e: usize, w: usize, g: usize) -> Option<&UserGroup> {
    site_ref(s, e, w)?.authenticated.get(g)
}

fn group_mut(s: &mut Scenario, e: usize, w: usize, g: usize) -> Option<&mut UserGroup> {
    site_mut(s, e, w)?.authenticated.get_mut(g)
}

/// Reaches one count of [`AnonymousExclusions`].
type ExclusionLens = fn(&mut AnonymousExclusions) -> &mut u64;

/// One PP-6 exclusion: field name (for the path), testid key, label, help, accessor.
struct Exclusion {
    field: &'static str,
    key: &'static str,
    label: &'static str,
    help: &'static str,
    lens: ExclusionLens,
}

fn exclusions() -> [Exclusion; 7] {
    [
        Exclusion {
            field: "auth_pages_only",
            key: "auth-pages-only",
            label: "Authentication pages only",
            help: "Visitors who only opened sign-in, register, invitation or other authentication pages (PP-6a).",
            lens: |x| &mut x.auth_pages_only,
        },
        Exclusion {
            field: "underscore_paths_only",
            key: "underscore-paths-only",
            label: "Only paths starting with /_",
            help: "Visitors who only requested paths such as /_services or /_resource (PP-6b).",
            lens: |x| &mut x.underscore_paths_only,
        },
        Exclusion {
            field: "error_or_redirect_only",
            key: "error-or-redirect-only",
            label: "Only redirects or errors",
            help: "Visitors whose every request returned a 3xx, 4xx or 5xx status (PP-6c).",
            lens: |x| &mut x.error_or_redirect_only,
        },
        Exclusion {
            field: "static_only",
            key: "static-only",
            label: "Static resources only",
            help: "Visitors who only fetched CSS, JavaScript, images or fonts (PP-6d).",
            lens: |x| &mut x.static_only,
        },
        Exclusion {
            field: "logged_in_same_day",
            key: "logged-in-same-day",
            label: "Logged in later the same day",
            help: "Visitors who logged in later the same UTC day count only as authenticated users (PP-6e): count their logins above too, or they are billed on neither meter.",
            lens: |x| &mut x.logged_in_same_day,
        },
        Exclusion {
            field: "bots",
            key: "bots",
            label: "Bots and crawlers",
            help: "Search engine crawlers and other bots are never counted (PP-6f).",
            lens: |x| &mut x.bots,
        },
        Exclusion {
            field: "monitors",
            key: "monitors",
            label: "Monitors",
            help: "Monitoring systems that send a non-browser user agent are not counted (PP-6g).",
            lens: |x| &mut x.monitors,
        },
    ]
}

/// The websites of one environment.
#[component]
pub fn PagesForm(env: usize) -> impl IntoView {
    let state = use_state();
    let count = move || {
        state
            .scenario
            .with_untracked(|s| s.environments.get(env).map_or(0, |x| x.websites.len()))
    };
    view! {
        <p class="section-help">
            "Each user who logs in to a website in the month is one authenticated user of that website, and each "
            "anonymous visitor one anonymous user (PP-1, PP-2, PP-5): a user of three websites counts three times."
        </p>
        {rows(count, move |w| view! { <SiteRow env=env site=w /> })}
        <button
            type="button"
            class="add"
            data-testid=format!("add-site-{env}")
            on:click=move |_| {
                state
                    .restructure(|s| {
                        if let Some(e) = s.environments.get_mut(env) {
                            let n = e.websites.len() + 1;
                            e.websites
                                .push(Website {
                                    name: format!("Website {n}"),
                                    status: SiteStatus::Live,
                                    authenticated: vec![
                                        UserGroup { users: 0, licence: Licence::None },
                                    ],
                                    logged_in: Vec::new(),
                                    anonymous_visitors: 0,
                                    anonymous_exclusions: AnonymousExclusions::default(),
                                    anonymous_requests: Vec::new(),
                                });
                        }
                    })
            }
        >
            "Add website"
        </button>
    }
}

/// One website: name, status, authenticated user groups, anonymous visitors and exclusions.
#[component]
fn SiteRow(env: usize, site: usize) -> impl IntoView {
    let state = use_state();
    let (e, w) = (env, site);
    let path = format!("environments[{e}].websites[{w}]");
    let groups = move || {
        state
            .scenario
            .with_untracked(|s| site_ref(s, e, w).map_or(0, |x| x.authenticated.len()))
    };
    let logged_in = state
        .scenario
        .with_untracked(|s| site_ref(s, e, w).map_or(0, |x| x.logged_in.len()));
    let requests = state
        .scenario
        .with_untracked(|s| site_ref(s, e, w).map_or(0, |x| x.anonymous_requests.len()));
    // PP-6e visitors beyond the authenticated users on record are on neither meter: the
    // breakdown's note about this website, repeated next to the inputs (read from the
    // breakdown, so the form adds no pricing code to the wasm).
    let unmatched = Memo::new(move |_| {
        let name = state
            .scenario
            .with(|s| site_ref(s, e, w).map(|x| x.name.clone()))?;
        let about_this_site = name.as_str();
        state.breakdown.with(|b| {
            b.as_ref()
                .ok()?
                .notes
                .iter()
                .find(|n| n.rule == "PP-6e" && n.text.contains(about_this_site))
                .map(|n| n.text.clone())
        })
    });
    let group_path = path.clone();
    let excl_path = format!("{path}.anonymous_exclusions");
    view! {
        <fieldset class="row-card" data-testid=format!("site-{e}-{w}")>
            <legend>{super::name_of(move |s| site_ref(s, e, w).map(|x| x.name.as_str()))}</legend>
            <div class="row-fields">
                <TextField
                    label="Website name".to_string()
                    testid=format!("site-{e}-{w}-name")
                    get=move |s| site_ref(s, e, w).map(|x| x.name.clone())
                    set=move |s, v| if let Some(x) = site_mut(s, e, w) { x.name = v }
                />
                <SelectField
                    label="Status".to_string()
                    help="Trial and private sites are not counted on either meter (PP-4)."
                    options=SiteStatus::ALL.map(|x| (x.key(), x.label())).to_vec()
                    testid=format!("site-{e}-{w}-status")
                    get=move |s| site_ref(s, e, w).map(|x| x.status.key())
                    set=move |s, v| if let (Some(x), Some(st)) = (site_mut(s, e, w), SiteStatus::from_key(v)) { x.status = st }
                />
            </div>
            <div class="groups">
                <p class="groups-title">"Authenticated users who logged in this month, by licence"</p>
                {rows(groups, move |g| {
                    let gpath = format!("{group_path}.authenticated[{g}]");
                    view! {
                        <div class="group-row">
                            <NumberField
                                label="Users".to_string()
                                help="Users who logged in at least once this month; repeat logins count once (PP-2)."
                                path=format!("{gpath}.users")
                                kind=NumberKind::Count
                                testid=format!("site-{e}-{w}-group-{g}-users")
                                get=move |s| group_ref(s, e, w, g).map(|x| Decimal::from(x.users))
                                set=move |s, v| if let Some(x) = group_mut(s, e, w, g) { x.users = to_count(v) }
                            />
                            <SelectField
                                label="Licence".to_string()
                                help="Power Apps per-user and Dynamics 365 full users are not counted (PP-3)."
                                options=licence_options()
                                testid=format!("site-{e}-{w}-group-{g}-licence")
                                get=move |s| group_ref(s, e, w, g).map(|x| x.licence.key())
                                set=move |s, v| if let (Some(x), Some(l)) = (group_mut(s, e, w, g), Licence::from_key(v)) { x.licence = l }
                            />
                            <RemoveButton
                                label="Remove user group".to_string()
                                on_remove=move || state.restructure(|s| {
                                    if let Some(x) = site_mut(s, e, w) && g < x.authenticated.len() {
                                        x.authenticated.remove(g);
                                    }
                                })
                            />
                        </div>
                    }
                })}
                <button
                    type="button"
                    class="add small"
                    data-testid=format!("site-{e}-{w}-add-group")
                    on:click=move |_| state.restructure(|s| if let Some(x) = site_mut(s, e, w) {
                        x.authenticated.push(UserGroup { users: 0, licence: Licence::None });
                    })
                >
                    "Add user group"
                </button>
                {(logged_in > 0).then(|| view! {
                    <p class="note">{format!("Plus {logged_in} detailed records from the scenario file (named users who logged in; repeat logins count once, PP-2).")}</p>
                })}
            </div>
            <div class="groups">
                <div class="row-fields">
                    <NumberField
                        label="Anonymous visitors".to_string()
                        help="Distinct anonymous visitors (browser cookie ids) this month, before the exclusions below (PP-5)."
                        path=format!("{path}.anonymous_visitors")
                        kind=NumberKind::Count
                        testid=format!("site-{e}-{w}-anonymous")
                        get=move |s| site_ref(s, e, w).map(|x| Decimal::from(x.anonymous_visitors))
                        set=move |s, v| if let Some(x) = site_mut(s, e, w) { x.anonymous_visitors = to_count(v) }
                    />
                </div>
                <details class="exclusion-counts" data-testid=format!("site-{e}-{w}-exclusions")>
                    <summary>"Anonymous visitors who are not counted"</summary>
                    <p class="section-help">
                        "Of the visitors above, how many fall under each exclusion; count each visitor once, "
                        "under the first that applies (PP-6)."
                    </p>
                    <div class="row-fields">
                        {exclusions()
                            .into_iter()
                            .map(|x| {
                                let lens = x.lens;
                                view! {
                                    <NumberField
                                        label=x.label.to_string()
                                        help=x.help
                                        path=format!("{excl_path}.{}", x.field)
                                        kind=NumberKind::Count
                                        testid=format!("site-{e}-{w}-excl-{}", x.key)
                                        get=move |s| site_ref(s, e, w).map(|site| {
                                            let mut counts = site.anonymous_exclusions;
                                            Decimal::from(*lens(&mut counts))
                                        })
                                        set=move |s, v| if let Some(site) = site_mut(s, e, w) {
                                            *lens(&mut site.anonymous_exclusions) = to_count(v);
                                        }
                                    />
                                }
                            })
                            .collect_view()}
                    </div>
                </details>
                {move || unmatched.get().map(|sentence| view! {
                    <p class="note" role="status" data-testid=format!("site-{e}-{w}-unmatched-logins")>
                        {sentence}
                    </p>
                })}
                {(requests > 0).then(|| view! {
                    <p class="note">{format!("Plus {requests} detailed records from the scenario file (anonymous requests; the exclusions are applied to each one, PP-6).")}</p>
                })}
            </div>
            <div class="row-actions">
                <button
                    type="button"
                    class="secondary"
                    data-testid=format!("site-{e}-{w}-duplicate")
                    on:click=move |_| state.restructure(|s| {
                        if let Some(mut copy) = site_ref(s, e, w).cloned()
                            && let Some(env) = s.environments.get_mut(e)
                        {
                            copy.name = format!("{} (copy)", copy.name);
                            env.websites.insert(w + 1, copy);
                        }
                    })
                >
                    "Duplicate website"
                </button>
                <RemoveButton
                    label="Remove website".to_string()
                    on_remove=move || state.restructure(|s| {
                        if let Some(env) = s.environments.get_mut(e) && w < env.websites.len() {
                            env.websites.remove(w);
                        }
                    })
                />
            </div>
        </fieldset>
    }
}
