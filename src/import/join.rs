//! A FlowRun export joined into the scenario being edited (issue 14): each flow's runs per
//! day go to the scenario's flow of the same ID or name; flows the scenario lacks are added
//! with what the user answers for what the table cannot say (premium or standard connectors,
//! run mode, the owner's licence). Nothing else in the scenario changes.
//!
//! Opening the import as a scenario (the panel's other way) replaces the scenario; joining
//! edits it, so a priced scenario with its licences, apps and storage gains measured run
//! counts instead of being rebuilt from a file that knows only runs.

use serde::Serialize;

use crate::engine::scenario::*;
use crate::engine::{BillingMonth, FlowLicence, Licence};

/// One flow's runs from a FlowRun export, in the month built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowRuns {
    /// The `workflowid` (the name when the row had no ID).
    pub id: String,
    /// The `workflowname` (the ID when the row had no name).
    pub name: String,
    /// Child runs (a parent run, or not primary), counted apart: free for cloud flows (PA-5).
    pub child: bool,
    /// The most frequent `triggertype`.
    pub trigger: Trigger,
    /// Runs per day.
    pub daily: Vec<(u8, u64)>,
}

impl FlowRuns {
    /// Runs in the month.
    pub fn total(&self) -> u64 {
        self.daily
            .iter()
            .fold(0u64, |n, (_, r)| n.saturating_add(*r))
    }

    /// The name a flow added from these runs gets.
    pub fn flow_name(&self) -> String {
        if self.child {
            format!("{} (child runs)", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// What the FlowRun table cannot say about a flow the scenario lacks, as the user answers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewFlow {
    pub connectors: FlowConnectors,
    pub mode: RunMode,
    pub owner_licence: Licence,
}

/// The defaults, stated in the panel: the dearest reading of what the table leaves open, so
/// that a flow is never priced below its bill — premium connectors (PA-1), a cloud flow (the
/// table is the cloud flows' run history), an owner without a Power Automate licence (PA-6).
pub const NEW_FLOW_DEFAULT: NewFlow = NewFlow {
    connectors: FlowConnectors::Premium,
    mode: RunMode::Cloud,
    owner_licence: Licence::None,
};

/// A flow of the export found in the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    /// Index into the export's flows.
    pub flow: usize,
    pub environment: usize,
    /// Index of the flow in its environment.
    pub index: usize,
    /// The scenario flow's name.
    pub name: String,
    /// Its runs now (quick counts and daily records), which the export's replace.
    pub runs_before: u64,
    pub runs_after: u64,
}

/// What a join would do: the flows found (their run counts replaced) and those to add.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct JoinPlan {
    pub matched: Vec<Match>,
    /// Indices into the export's flows.
    pub added: Vec<usize>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn runs_of(flow: &Flow) -> u64 {
    flow.runs
        .iter()
        .map(|g| g.runs)
        .chain(flow.daily_runs.iter().map(|d| d.runs))
        .fold(0u64, u64::saturating_add)
}

/// Finds each exported flow in the scenario: by ID, then by name (ignoring case); child runs
/// go to a flow named "… (child runs)" or to a flow marked as only run as a child. A scenario
/// flow takes one exported flow at most.
pub fn plan(scenario: &Scenario, flows: &[FlowRuns]) -> JoinPlan {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = JoinPlan::default();
    for (i, f) in flows.iter().enumerate() {
        let names: Vec<String> = if f.child {
            vec![
                format!("{} (child runs)", f.id),
                format!("{} (child runs)", f.name),
                f.id.clone(),
                f.name.clone(),
            ]
        } else {
            vec![f.id.clone(), f.name.clone()]
        };
        let found = names.iter().enumerate().find_map(|(n, wanted)| {
            scenario
                .environments
                .iter()
                .enumerate()
                .flat_map(|(e, env)| env.flows.iter().enumerate().map(move |(k, fl)| (e, k, fl)))
                .find(|(e, k, fl)| {
                    same(&fl.name, wanted)
                        && !taken.contains(&(*e, *k))
                        // A plain name takes child runs only for a flow marked as a child;
                        // and a child flow does not take a parent's runs.
                        && (if f.child { n < 2 || fl.child_flow } else { !fl.child_flow })
                })
        });
        match found {
            Some((e, k, fl)) => {
                taken.push((e, k));
                out.matched.push(Match {
                    flow: i,
                    environment: e,
                    index: k,
                    name: fl.name.clone(),
                    runs_before: runs_of(fl),
                    runs_after: f.total(),
                });
            }
            None => out.added.push(i),
        }
    }
    out
}

/// Why a join cannot be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinError {
    /// The runs are of another month than the scenario's: days would land in the wrong month.
    OtherMonth {
        scenario: BillingMonth,
        runs: BillingMonth,
    },
    /// Flows to add, and no such environment.
    NoEnvironment,
}

impl std::fmt::Display for JoinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JoinError::OtherMonth { scenario, runs } => write!(
                f,
                "the open scenario prices {scenario} and the runs are of {runs}: build {scenario} \
                 from the export, or set the scenario's month to {runs} first"
            ),
            JoinError::NoEnvironment => {
                write!(
                    f,
                    "the environment chosen for the new flows is not in the scenario"
                )
            }
        }
    }
}

/// Where the flows the scenario lacks go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An environment of the scenario, by index.
    Environment(usize),
    /// A new pay-as-you-go environment of this name.
    New(String),
}

/// The scenario with the export joined: matched flows get the export's runs per day (their
/// quick counts and daily records replaced; connectors, owner, licences and the rest kept,
/// the invokers' licence taken from their first run record), the others are added to
/// `target` with `answers[i]` (one per [`JoinPlan::added`], the default beyond).
pub fn join(
    scenario: &Scenario,
    month: BillingMonth,
    flows: &[FlowRuns],
    plan: &JoinPlan,
    answers: &[NewFlow],
    target: &Target,
) -> Result<Scenario, JoinError> {
    if scenario.month != month {
        return Err(JoinError::OtherMonth {
            scenario: scenario.month,
            runs: month,
        });
    }
    let mut s = scenario.clone();
    for m in &plan.matched {
        let (Some(f), Some(flow)) = (
            flows.get(m.flow),
            s.environments
                .get_mut(m.environment)
                .and_then(|e| e.flows.get_mut(m.index)),
        ) else {
            continue;
        };
        let licence = flow
            .runs
            .first()
            .map(|g| g.licence)
            .or_else(|| flow.daily_runs.first().map(|d| d.licence))
            .unwrap_or(Licence::None);
        flow.runs.clear();
        flow.busiest_day_runs = None;
        flow.daily_runs = daily(f, licence);
    }
    if plan.added.is_empty() {
        return Ok(s);
    }
    let env = match target {
        Target::Environment(i) => s.environments.get_mut(*i).ok_or(JoinError::NoEnvironment)?,
        Target::New(name) => {
            let mut name = name.clone();
            let base = name.clone();
            let mut n = 2;
            while s.environments.iter().any(|e| same(&e.name, &name)) {
                name = format!("{base} ({n})");
                n += 1;
            }
            s.environments.push(Environment::new_payg(&name));
            let last = s.environments.len() - 1;
            // In bounds: an environment was just pushed.
            &mut s.environments[last]
        }
    };
    for (k, i) in plan.added.iter().enumerate() {
        let Some(f) = flows.get(*i) else {
            continue;
        };
        let a = answers.get(k).copied().unwrap_or(NEW_FLOW_DEFAULT);
        let base = f.flow_name();
        let mut name = base.clone();
        let mut n = 2;
        while env.flows.iter().any(|fl| same(&fl.name, &name)) {
            name = format!("{base} ({n})");
            n += 1;
        }
        env.flows.push(Flow {
            name,
            trigger: f.trigger,
            mode: a.mode,
            connectors: a.connectors,
            flow_licence: FlowLicence::none(),
            owner: Owner::User(a.owner_licence),
            linked_to_app: false,
            d365_context: false,
            child_flow: f.child,
            runs: Vec::new(),
            daily_runs: daily(f, a.owner_licence),
            test_runs: 0,
            resubmitted_runs: 0,
            busiest_day_runs: None,
        });
    }
    Ok(s)
}

fn daily(f: &FlowRuns, licence: Licence) -> Vec<DailyRuns> {
    f.daily
        .iter()
        .map(|(day, runs)| DailyRuns {
            day: *day,
            runs: *runs,
            licence,
        })
        .collect()
}
