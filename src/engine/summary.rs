//! A compact account of a scenario's inputs, one line per item: what the printed report shows
//! beside the breakdown instead of every form field, so that a realistic scenario fits a page.
//!
//! Pure formatting of the scenario; nothing here prices anything.

use rust_decimal::Decimal;

use super::licence::{FlowLicence, Licence};
use super::money::format_quantity;
use super::scenario::*;

/// A heading and its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading.
    pub title: String,
    /// The section's lines, one fact each.
    pub lines: Vec<String>,
}

/// One section per environment, then the ISV customers if there are any.
///
/// ```
/// use power_payg::engine::{examples, summary};
/// let s = examples::scenario("doc-apps-month1").unwrap();
/// let sections = summary::inputs(&s);
/// assert_eq!(sections[0].lines[0], "App A (app, premium connectors): 2 named users");
/// ```
pub fn inputs(s: &Scenario) -> Vec<Section> {
    let mut out: Vec<Section> = s.environments.iter().map(environment).collect();
    if !s.isv_customers.is_empty() {
        out.push(Section {
            title: "ISV embed program customers".to_string(),
            lines: s
                .isv_customers
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} makers ({} with a premium licence), {} runs each",
                        c.name,
                        count(c.makers),
                        count(c.premium_licensed_makers),
                        count(c.runs_per_maker)
                    )
                })
                .collect(),
        });
    }
    out
}

fn count(n: u64) -> String {
    format_quantity(Decimal::from(n))
}

fn gb(d: Decimal) -> String {
    format!("{} GB", format_quantity(d))
}

/// "120 with no licence, 30 with Power Apps per user".
fn groups(groups: &[UserGroup]) -> String {
    groups
        .iter()
        .filter(|g| g.users > 0)
        .map(|g| format!("{} with {}", count(g.users), licence(g.licence)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn licence(l: Licence) -> String {
    if l == Licence::None {
        "no licence".to_string()
    } else {
        l.label().to_string()
    }
}

fn environment(env: &Environment) -> Section {
    let mut lines = Vec::new();
    let switches = [
        ("Power Apps", env.meters.power_apps),
        ("flow runs", env.meters.flow_runs),
        ("Power Pages", env.meters.power_pages),
        ("Dataverse", env.meters.dataverse),
        ("requests", env.meters.requests),
        ("Copilot Studio", env.meters.copilot_studio),
    ];
    let off: Vec<&str> = switches
        .iter()
        .filter(|(_, on)| !on)
        .map(|(name, _)| *name)
        .collect();
    if !off.is_empty() {
        lines.push(format!("Meters switched off: {}", off.join(", ")));
    }
    lines.extend(env.apps.iter().map(app));
    lines.extend(env.flows.iter().map(flow));
    lines.extend(env.websites.iter().map(website));
    if let Some(line) = storage(&env.storage) {
        lines.push(line);
    }
    lines.extend(env.requests.iter().map(requests));
    let c = &env.copilot_studio;
    if *c != CopilotStudio::default() {
        lines.push(format!(
            "Copilot Studio: {} messages, {} classic answers, {} generative answers, {} agent actions, {} Graph-grounded",
            count(c.messages),
            count(c.classic_answers),
            count(c.generative_answers),
            count(c.agent_actions),
            count(c.graph_grounding)
        ));
    }
    Section {
        title: format!(
            "{} ({})",
            env.name,
            if env.payg {
                "pay-as-you-go"
            } else {
                "not pay-as-you-go"
            }
        ),
        lines,
    }
}

fn app(a: &App) -> String {
    let mut traits = vec![
        "app",
        match a.connectors {
            ConnectorClass::Premium => "premium connectors",
            ConnectorClass::Standard => "standard connectors",
        },
    ];
    if a.opted_out {
        traits.push("opted out of pay-as-you-go");
    }
    let mut users = groups(&a.user_groups);
    if !a.opened_by.is_empty() {
        if !users.is_empty() {
            users.push_str(", ");
        }
        users.push_str(&format!("{} named users", count(a.opened_by.len() as u64)));
    }
    if users.is_empty() {
        users = "no users".to_string();
    }
    format!("{} ({}): {users}", a.name, traits.join(", "))
}

fn flow(f: &Flow) -> String {
    let mut traits = vec![
        "flow".to_string(),
        match f.trigger {
            Trigger::Automated => "automated",
            Trigger::Scheduled => "scheduled",
            Trigger::Instant => "instant",
            Trigger::PowerApps => "from Power Apps",
        }
        .to_string(),
        match f.mode {
            RunMode::Cloud => "cloud",
            RunMode::Attended => "attended desktop",
            RunMode::Unattended => "unattended desktop",
            RunMode::Hosted => "hosted RPA",
        }
        .to_string(),
        match f.connectors {
            FlowConnectors::Standard => "standard",
            FlowConnectors::Premium => "premium",
            FlowConnectors::IsvOnly => "premium only through an ISV's connector",
        }
        .to_string(),
        match f.owner {
            Owner::User(l) => format!("owner with {}", licence(l)),
            Owner::ServicePrincipal => "service principal owner".to_string(),
        },
    ];
    if f.flow_licence != FlowLicence::None {
        traits.push(f.flow_licence.label().to_string());
    }
    if f.linked_to_app {
        traits.push("linked to an app".to_string());
    }
    if f.child_flow {
        traits.push("child flow".to_string());
    }
    let mut runs: Vec<String> = f
        .runs
        .iter()
        .filter(|g| g.runs > 0)
        .map(|g| format!("{} by {}", count(g.runs), licence(g.licence)))
        .collect();
    if !f.daily_runs.is_empty() {
        runs.push(format!(
            "{} daily records",
            count(f.daily_runs.len() as u64)
        ));
    }
    if runs.is_empty() {
        runs.push("no runs".to_string());
    }
    let mut extra = String::new();
    if f.test_runs > 0 {
        extra.push_str(&format!("; {} test runs", count(f.test_runs)));
    }
    if f.resubmitted_runs > 0 {
        extra.push_str(&format!("; {} resubmitted", count(f.resubmitted_runs)));
    }
    if let Some(b) = f.busiest_day_runs {
        extra.push_str(&format!("; busiest day {}", count(b)));
    }
    format!(
        "{} ({}): runs {}{extra}",
        f.name,
        traits.join(", "),
        runs.join(", ")
    )
}

fn website(w: &Website) -> String {
    let status = w.status.label().to_ascii_lowercase();
    let mut parts = Vec::new();
    let logged_in = groups(&w.authenticated);
    if !logged_in.is_empty() {
        parts.push(format!("logged in: {logged_in}"));
    }
    if !w.logged_in.is_empty() {
        parts.push(format!("{} named users", count(w.logged_in.len() as u64)));
    }
    let e = &w.anonymous_exclusions;
    let excluded = [
        e.auth_pages_only,
        e.underscore_paths_only,
        e.error_or_redirect_only,
        e.static_only,
        e.bots,
        e.monitors,
        e.logged_in_same_day,
    ]
    .iter()
    .fold(0u64, |a, n| a.saturating_add(*n));
    if w.anonymous_visitors > 0 || excluded > 0 {
        let mut anonymous = format!("anonymous: {}", count(w.anonymous_visitors));
        if excluded > 0 {
            anonymous.push_str(&format!(" ({} of them not counted)", count(excluded)));
        }
        parts.push(anonymous);
    }
    if !w.anonymous_requests.is_empty() {
        parts.push(format!(
            "{} anonymous request records",
            count(w.anonymous_requests.len() as u64)
        ));
    }
    if parts.is_empty() {
        parts.push("no visitors".to_string());
    }
    format!("{} (website, {status}): {}", w.name, parts.join("; "))
}

fn usage(u: &StorageUsage) -> Option<String> {
    match u {
        StorageUsage::Constant { gb: g } if g.is_zero() => None,
        StorageUsage::Constant { gb: g } => Some(gb(*g)),
        StorageUsage::Linear { start_gb, end_gb } => {
            Some(format!("{} to {}", gb(*start_gb), gb(*end_gb)))
        }
        StorageUsage::Series { points } => {
            Some(format!("{} measurements", count(points.len() as u64)))
        }
    }
}

fn storage(s: &Storage) -> Option<String> {
    // The category's key is also its word here ("database 2 GB").
    let used: Vec<String> = StorageCategory::ALL
        .into_iter()
        .filter_map(|c| usage(c.usage(s)).map(|u| format!("{} {u}", c.key())))
        .collect();
    let allocated: Vec<String> = StorageCategory::ALL
        .into_iter()
        .map(|c| (c.key(), c.allocated(&s.allocated)))
        .filter(|(_, g)| !g.is_zero())
        .map(|(name, g)| format!("{name} {}", gb(g)))
        .collect();
    if used.is_empty() && allocated.is_empty() {
        return None;
    }
    let mut line = format!(
        "Dataverse: {}",
        if used.is_empty() {
            "nothing used".to_string()
        } else {
            used.join(", ")
        }
    );
    if !allocated.is_empty() {
        line.push_str(&format!("; allocated {}", allocated.join(", ")));
    }
    Some(line)
}

fn requests(r: &RequestConsumer) -> String {
    let who = match &r.entity {
        RequestEntity::Users { users, licences } => {
            let names: Vec<String> = licences.iter().map(|l| licence(*l)).collect();
            format!(
                "{} users with {}",
                count(*users),
                if names.is_empty() {
                    "no licence".to_string()
                } else {
                    names.join(" + ")
                }
            )
        }
        RequestEntity::Flow {
            licence,
            licence_count,
        } => format!(
            "a flow with {} × {}",
            count(u64::from(*licence_count)),
            licence.label()
        ),
        RequestEntity::PerAppMeterUsers { users, apps } => format!(
            "{} per-app meter users of {} apps",
            count(*users),
            count(u64::from(*apps))
        ),
        RequestEntity::NonLicensed { pool } => match pool {
            TenantPool::PowerPlatform => "non-licensed users (tenant pool)".to_string(),
            TenantPool::Dynamics365 { user_licences } => format!(
                "non-licensed users (Dynamics 365 pool of {} licences)",
                count(*user_licences)
            ),
        },
    };
    let mut line = format!(
        "{} (requests of {who}): {} a day × {} days",
        r.name,
        count(r.requests_per_day),
        count(u64::from(r.days))
    );
    if !r.daily_requests.is_empty() {
        line.push_str(&format!(
            ", {} daily records",
            count(r.daily_requests.len() as u64)
        ));
    }
    if r.addon_packs > 0 {
        line.push_str(&format!(
            ", {} add-on packs",
            count(u64::from(r.addon_packs))
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::examples;

    #[test]
    fn every_example_has_a_line_per_item() {
        for e in examples::list() {
            let Some(s) = examples::scenario(e.name) else {
                panic!("example {} is missing", e.name);
            };
            let sections = inputs(&s);
            assert_eq!(
                sections.len(),
                s.environments.len() + usize::from(!s.isv_customers.is_empty()),
                "{}",
                e.name
            );
            for (section, env) in sections.iter().zip(&s.environments) {
                assert!(section.title.starts_with(&env.name));
                let items =
                    env.apps.len() + env.flows.len() + env.websites.len() + env.requests.len();
                assert!(
                    section.lines.len() >= items,
                    "{}: {:?}",
                    e.name,
                    section.lines
                );
            }
        }
    }

    #[test]
    fn contoso_reads_like_its_forms() {
        let Some(s) = examples::scenario("contoso") else {
            panic!("contoso is missing");
        };
        let lines: Vec<String> = inputs(&s).into_iter().flat_map(|x| x.lines).collect();
        let find = |prefix: &str| {
            lines
                .iter()
                .find(|l| l.starts_with(prefix))
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(
            find("Expense Approvals"),
            "Expense Approvals (app, premium connectors): 120 with no licence, 80 with Microsoft 365, \
             30 with Power Apps per user, 10 with Power Apps per-app pass, 4 named users"
        );
        assert!(find("Legacy Timesheets").contains("opted out of pay-as-you-go"));
        assert!(find("Order sync").starts_with(
            "Order sync (flow, scheduled, cloud, premium, owner with Microsoft 365): runs 1,800 by"
        ));
        assert!(find("Order sync").contains("25 test runs"));
        assert!(find("Dataverse: database 12 GB").contains("allocated database 10 GB"));
    }
}
