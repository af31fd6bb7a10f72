//! The items the advisor compares: every flow, group of app users, storage category, requests
//! consumer and Copilot Credits use of the pay-as-you-go environments whose meter bills.

use super::*;

use std::collections::{BTreeMap, BTreeSet};

use super::super::breakdown::Note;
use super::super::price_book::BookRules;
use super::super::scenario::*;
use super::storage::Category;

/// What an item is, by index, so the same item is found in every month of a projection.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Target {
    Flow(usize),
    /// The metered quick-count users of one app.
    AppQuick(usize),
    /// Named metered users who open exactly these apps.
    AppNamed {
        apps: Vec<usize>,
        ids: Vec<String>,
    },
    Storage(Category),
    Requests(usize),
    /// The Copilot Credits of the environment's agents.
    Credits,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Candidate {
    pub(super) environment: usize,
    pub(super) target: Target,
}

/// G-2 as the engine applies it: a switched-off meter still bills under a book without meter
/// selection.
pub(super) fn meter_on(switch: bool, rules: &BookRules) -> bool {
    switch || !rules.meter_selection
}

/// The items worth advising on: everything in pay-as-you-go environments whose meter bills.
pub(super) fn candidates(scenario: &Scenario, rules: &BookRules) -> (Vec<Candidate>, Vec<Note>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for (e, env) in scenario.environments.iter().enumerate() {
        if !env.payg {
            notes.push(Note {
                rule: "G-1",
                text: format!(
                    "{} is not a pay-as-you-go environment: its usage is covered by prepaid \
                     licences, so the advisor compares options only in pay-as-you-go \
                     environments.",
                    env.name
                ),
            });
            continue;
        }
        let push = |out: &mut Vec<Candidate>, target| {
            out.push(Candidate {
                environment: e,
                target,
            })
        };
        if meter_on(env.meters.flow_runs, rules) {
            for f in 0..env.flows.len() {
                push(&mut out, Target::Flow(f));
            }
        }
        if meter_on(env.meters.power_apps, rules) {
            for (a, app) in env.apps.iter().enumerate() {
                let metered = app
                    .user_groups
                    .iter()
                    .any(|g| g.licence.app_exemption(app.connectors).is_none());
                if !app.opted_out && metered {
                    push(&mut out, Target::AppQuick(a));
                }
            }
            for (apps, ids) in named_app_groups(env) {
                push(&mut out, Target::AppNamed { apps, ids });
            }
        }
        if meter_on(env.meters.dataverse, rules) {
            for c in Category::ALL {
                if *c.usage(&env.storage) != StorageUsage::default() {
                    push(&mut out, Target::Storage(c));
                }
            }
        }
        if meter_on(env.meters.requests, rules) {
            for r in 0..env.requests.len() {
                push(&mut out, Target::Requests(r));
            }
        }
        // CC-1: only books with the meter and a rate table convert agents' use to credits.
        let credits_priced = rules.copilot_studio_meter && rules.credit_rates.is_some();
        if meter_on(env.meters.copilot_studio, rules)
            && credits_priced
            && !env.copilot_credits.agents.is_empty()
        {
            push(&mut out, Target::Credits);
        }
    }
    (out, notes)
}

/// Named users counted by the per-app meter, grouped by the set of apps they open (AP-2: one
/// user of N apps is N meter units, but one per-user licence).
pub(super) fn named_app_groups(env: &Environment) -> Vec<(Vec<usize>, Vec<String>)> {
    let mut directory: BTreeMap<&str, Licence> = BTreeMap::new();
    for u in &env.users {
        directory.entry(u.id.as_str()).or_insert(u.licence);
    }
    let mut apps_of: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (a, app) in env.apps.iter().enumerate() {
        if app.opted_out {
            continue;
        }
        for id in &app.opened_by {
            // An undeclared id is unlicensed, as the meter counts it (AP-8).
            let licence = directory.get(id.as_str()).copied().unwrap_or(Licence::None);
            if licence.app_exemption(app.connectors).is_none() {
                apps_of.entry(id.as_str()).or_default().insert(a);
            }
        }
    }
    let mut groups: BTreeMap<Vec<usize>, Vec<String>> = BTreeMap::new();
    for (id, apps) in apps_of {
        groups
            .entry(apps.into_iter().collect())
            .or_default()
            .push(id.to_string());
    }
    groups.into_iter().collect()
}

/// An environment like `env` with nothing in it but its users and settings.
pub(super) fn bare(env: &Environment) -> Environment {
    Environment {
        name: env.name.clone(),
        payg: env.payg,
        meters: env.meters,
        users: env.users.clone(),
        apps: Vec::new(),
        flows: Vec::new(),
        websites: Vec::new(),
        storage: Storage::default(),
        requests: Vec::new(),
        copilot_studio: CopilotStudio::default(),
        copilot_credits: CopilotCredits::default(),
    }
}
