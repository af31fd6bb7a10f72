//! Prepaid or pay-as-you-go? The advisor (spec 5.2 and 6.6, issue 6).
//!
//! For every flow, group of app users, Dataverse storage category and requests consumer of the
//! pay-as-you-go environments of a scenario, [`advise`] prices the pay-as-you-go meters and each
//! prepaid alternative side by side, recommends the cheapest with a one-sentence reason, and
//! gives the break-even points where two options cost the same ("Power Automate per user wins
//! above 25 premium cloud runs per user a month ($15.00 ÷ $0.60)").
//!
//! No billing rule is repeated here. Every pay-as-you-go figure, including what an item would
//! still pay under a licence, comes from the engine ([`super::price`]) run on a copy of the
//! scenario reduced to that one item, with the licence applied where it applies; whether a
//! licence covers runs or app opens at all is asked of [`Licence`] and [`FlowLicence`], the same
//! helpers the meters use. Only the prepaid side (licence count × price × months) is computed
//! here.
//!
//! Which licences are offered follows the price book's era (spec 5.2): the 2023-06 book offers
//! the licences its table prices (per user, per user with attended RPA, the unattended add-on,
//! per flow); the 2025-02 book offers their successors (Premium, Process, Hosted Process).
//!
//! The scenario describes one month, but the documentation's comparison (TC-CH-1..6) runs over
//! three months. [`AdvisorInputs::horizon_months`] says over how many months the scenario's flow
//! runs were counted; licences are then priced for that many months. The inputs also carry what
//! the scenario format does not say and only the advisor needs: how many people run an instant
//! flow, and how many bots an unattended flow needs at once. See `docs/advisor.md`.
//!
//! [`project`] prices the scenario month by month (real month lengths) under a growth profile,
//! and holds one recommended option per item for the whole projection, as licences are bought.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::breakdown::{Breakdown, Meter, Note, Payer};
use super::examples;
use super::flow_runs;
use super::licence::{FlowLicence, Licence};
use super::money::{self, Overflow};
use super::price_book::{BookRules, EffectivePrices, PriceBookId, PriceKey};
use super::requests;
use super::scenario::*;
use super::{PricingError, price};

// ---- inputs ----------------------------------------------------------------------------------

/// The longest horizon (and projection) the advisor takes, in months: ten years.
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// What the advisor needs besides the scenario.
///
/// ```
/// use power_payg::engine::advisor::{advise_with, AdvisorInputs, FlowSizing};
/// use power_payg::engine::examples;
/// let scenario = examples::scenario("doc-prepaid-vs-payg").unwrap();
/// let inputs = AdvisorInputs::for_example("doc-prepaid-vs-payg").unwrap();
/// assert_eq!(inputs.horizon_months, 3);
/// let advice = advise_with(&scenario, &inputs).unwrap();
/// assert_eq!(advice.recommendations.len(), 6);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorInputs {
    /// The scenario's flow runs are totals over this many months (at least 1); licences are
    /// priced for every one of them. App users, storage and daily requests are levels: they
    /// are taken as each month's figures and counted this many times on both sides.
    pub horizon_months: u32,
    /// People and bots per flow, which the scenario format does not record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<FlowSizing>,
    /// How usage moves over the projection. Written as the text the CLI's `--growth` and the
    /// app's field take (`flat`, `5%`, twelve multipliers), so a file reads like the form.
    #[serde(default, skip_serializing_if = "Growth::is_flat", with = "growth_text")]
    pub growth: Growth,
    /// How many months the projection covers (1 to [`MAX_HORIZON_MONTHS`]).
    #[serde(
        default = "default_projection_months",
        skip_serializing_if = "is_default_projection_months"
    )]
    pub projection_months: u32,
}

/// A year, the projection the documentation's advice speaks of.
pub const DEFAULT_PROJECTION_MONTHS: u32 = 12;

fn default_projection_months() -> u32 {
    DEFAULT_PROJECTION_MONTHS
}

fn is_default_projection_months(months: &u32) -> bool {
    *months == DEFAULT_PROJECTION_MONTHS
}

/// [`Growth`] as its text form in scenario files.
mod growth_text {
    use super::Growth;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(growth: &Growth, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(growth)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Growth, D::Error> {
        let text = String::deserialize(d)?;
        Growth::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// How many people run a flow and how many bots it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowSizing {
    /// The environment's name; `None` matches a flow of that name in any environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The flow's name.
    pub flow: String,
    /// Instant and Power Apps-triggered flows: the people whose runs are charged today, who
    /// would each need a user licence. Without it the advisor assumes one person per licence
    /// class of the run groups, and says so. Ignored for automated and scheduled flows (the
    /// owner is one person, PA-6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<u64>,
    /// Unattended and hosted desktop flows: bots running at once (one prepaid licence each).
    /// Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bots: Option<u64>,
}

impl Default for AdvisorInputs {
    fn default() -> Self {
        AdvisorInputs {
            horizon_months: 1,
            flows: Vec::new(),
            growth: Growth::Flat,
            projection_months: DEFAULT_PROJECTION_MONTHS,
        }
    }
}

impl AdvisorInputs {
    /// The inputs that go with a built-in example, if it has any: `doc-prepaid-vs-payg` is
    /// read over 3 months, with 10 people running Flow 2 and Flow 3 and 2 bots for Flow 4.
    pub fn for_example(name: &str) -> Option<AdvisorInputs> {
        match name {
            "doc-prepaid-vs-payg" => Some(AdvisorInputs {
                horizon_months: 3,
                flows: vec![
                    FlowSizing::users("Flow 2", 10),
                    FlowSizing::users("Flow 3", 10),
                    FlowSizing::bots("Flow 4", 2),
                ],
                ..AdvisorInputs::default()
            }),
            _ => None,
        }
    }

    /// The scenario's own advisor inputs (its `advisor` field) if it has them; else those of
    /// the built-in example this scenario is (same environments, month, options and ISV
    /// customers; the name, price book and price overrides may differ, so switching the book
    /// or editing a price keeps them); else the defaults.
    pub fn for_scenario(scenario: &Scenario) -> AdvisorInputs {
        if let Some(inputs) = &scenario.advisor {
            return inputs.clone();
        }
        example_of(scenario)
            .and_then(AdvisorInputs::for_example)
            .unwrap_or_default()
    }

    /// The horizon, at least one month.
    pub fn horizon(&self) -> u32 {
        self.horizon_months.max(1)
    }

    /// The sizing of a flow: an entry for its environment first, then one for any.
    fn sizing(&self, environment: &str, flow: &str) -> Option<&FlowSizing> {
        let named = |f: &&FlowSizing| f.flow == flow;
        self.flows
            .iter()
            .filter(named)
            .find(|f| f.environment.as_deref() == Some(environment))
            .or_else(|| {
                self.flows
                    .iter()
                    .filter(named)
                    .find(|f| f.environment.is_none())
            })
    }
}

impl FlowSizing {
    /// `users` people run `flow` (in any environment).
    pub fn users(flow: &str, users: u64) -> FlowSizing {
        FlowSizing {
            environment: None,
            flow: flow.to_string(),
            users: Some(users),
            bots: None,
        }
    }

    /// `flow` needs `bots` bots at once (in any environment).
    pub fn bots(flow: &str, bots: u64) -> FlowSizing {
        FlowSizing {
            environment: None,
            flow: flow.to_string(),
            users: None,
            bots: Some(bots),
        }
    }
}

/// The name of the built-in example with advisor inputs that `scenario` is, if any.
fn example_of(scenario: &Scenario) -> Option<&'static str> {
    examples::list()
        .iter()
        .map(|e| e.name)
        .filter(|name| AdvisorInputs::for_example(name).is_some())
        .find(|name| {
            examples::scenario(name).is_some_and(|e| {
                e.environments == scenario.environments
                    && e.month == scenario.month
                    && e.options == scenario.options
                    && e.isv_customers == scenario.isv_customers
            })
        })
}

// ---- results ---------------------------------------------------------------------------------

/// What a recommendation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// One flow (runs).
    Flow,
    /// A group of app users (one app's quick counts, or named users with the same apps).
    Apps,
    /// One Dataverse storage category of an environment.
    Dataverse,
    /// One Power Platform requests consumer (users, a flow, the tenant pool).
    Requests,
}

/// An option the advisor prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// Keep paying the pay-as-you-go meters.
    PayAsYouGo,
    /// Power Automate per user (2023-06 book).
    PowerAutomatePerUser,
    /// Power Automate per user with attended RPA (2023-06 book).
    PowerAutomatePerUserRpa,
    /// Power Automate Premium (2025-02 book).
    PowerAutomatePremium,
    /// A per-flow licence on the flow (legacy; minimum 5 licences, INC-3).
    PerFlow,
    /// A Process licence on a cloud flow (2025-02 book).
    Process,
    /// Unattended RPA add-ons, one per bot, and a maker licence (2023-06 book).
    UnattendedAddon,
    /// Process licences, one per bot, and a maker licence (2025-02 book).
    ProcessBots,
    /// Hosted Process licences, one per hosted bot, and a maker licence (2025-02 book).
    HostedProcessBots,
    /// Power Apps Premium (per user) for the group's users.
    PowerAppsPremium,
    /// Power Apps per-app passes for the group's users and apps.
    PowerAppsPerApp,
    /// Dataverse capacity add-on allocated to the environment.
    CapacityAddon,
    /// Power Platform requests add-on packs.
    RequestsAddonPacks,
}

impl Choice {
    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Choice::PayAsYouGo => "Pay-as-you-go",
            Choice::PowerAutomatePerUser => "Power Automate per user",
            Choice::PowerAutomatePerUserRpa => "Power Automate per user with attended RPA",
            Choice::PowerAutomatePremium => "Power Automate Premium",
            Choice::PerFlow => "Power Automate per flow",
            Choice::Process => "Power Automate Process",
            Choice::UnattendedAddon => "Unattended RPA add-on",
            Choice::ProcessBots => "Power Automate Process (per bot)",
            Choice::HostedProcessBots => "Hosted Process",
            Choice::PowerAppsPremium => "Power Apps Premium",
            Choice::PowerAppsPerApp => "Power Apps per app",
            Choice::CapacityAddon => "Dataverse capacity add-on",
            Choice::RequestsAddonPacks => "Requests add-on packs",
        }
    }
}

/// One priced licence of an option: quantity × monthly unit price.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicencePart {
    pub price_key: PriceKey,
    pub quantity: Decimal,
    /// The monthly price (the scenario's override if it has one).
    pub unit_price: Decimal,
    pub price_overridden: bool,
}

/// One option, priced over the horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternative {
    pub choice: Choice,
    /// The option with its counts: "Power Automate per user for 10 users".
    pub name: String,
    /// The licences bought each month (empty for pay-as-you-go).
    pub parts: Vec<LicencePart>,
    /// Months × Σ round(quantity × price).
    pub licence_cost: Decimal,
    /// What the meters still bill for this item under the option (the engine's figure).
    pub residual_payg: Decimal,
    /// Pay-as-you-go of other items that the option also removes and the comparison counts.
    pub other_savings: Decimal,
    /// licence_cost + residual_payg − other_savings: the figure the comparison uses.
    pub cost: Decimal,
    /// The arithmetic: "3 × 10 × $15.00 = $450.00".
    pub arithmetic: String,
    /// What the option covers, and whether the comparison counts what it covers elsewhere.
    pub covers: String,
    /// Whether `other_savings` counts coverage beyond this item.
    pub counts_other_coverage: bool,
    /// A condition or documented discrepancy that goes with the option.
    pub caveat: Option<String>,
    /// INC-3: what the option costs when its minimum purchase applies (per flow: 5 licences).
    pub minimum_purchase_cost: Option<Decimal>,
}

/// A straight cost line: fixed + per_unit × usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CostLine {
    pub fixed: Decimal,
    pub per_unit: Decimal,
}

impl CostLine {
    /// The cost at `usage`.
    pub fn at(&self, usage: Decimal) -> Result<Decimal, Overflow> {
        money::add(self.fixed, money::mul(self.per_unit, usage)?)
    }
}

/// Where a prepaid option and pay-as-you-go cost the same.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakEven {
    pub choice: Choice,
    /// The option's name.
    pub option: String,
    /// The usage measured: "premium cloud runs per user a month".
    pub unit: String,
    /// Pay-as-you-go as a function of that usage.
    pub payg: CostLine,
    /// The option as a function of that usage.
    pub prepaid: CostLine,
    /// The usage where the two lines cross.
    pub exact: Decimal,
    /// ⌊exact⌋: up to it pay-as-you-go is no dearer; from one unit more the option is cheaper.
    pub whole: u64,
    /// The scenario's usage in the same unit.
    pub current: Option<Decimal>,
    /// "Power Automate per user wins above 25 premium cloud runs per user a month ($15.00 ÷
    /// $0.60)."
    pub sentence: String,
}

/// The advice for one item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recommendation {
    pub kind: SubjectKind,
    /// Index of the environment in the scenario.
    pub environment: usize,
    pub environment_name: String,
    /// The flow, app group, storage category or consumer.
    pub subject: String,
    /// One sentence on the usage compared.
    pub usage: String,
    /// Pay-as-you-go billed over the horizon (the engine's figure).
    pub payg: Decimal,
    /// Requests reported but not billed over the horizon (PR-1).
    pub payg_reported_not_billed: Decimal,
    /// Every option priced; the first is pay-as-you-go.
    pub alternatives: Vec<Alternative>,
    /// Index of the cheapest option (pay-as-you-go wins ties: no commitment).
    pub recommended: usize,
    /// Index of the prepaid option the documentation's table prices for this kind of item
    /// (user licences for the people who run a flow, bots for an unattended flow, a flow
    /// licence for a service principal's flow; else the cheapest prepaid option).
    pub prepaid: Option<usize>,
    /// One sentence: why the recommended option.
    pub reason: String,
    pub break_evens: Vec<BreakEven>,
}

impl Recommendation {
    /// The recommended option.
    pub fn recommended_alternative(&self) -> Option<&Alternative> {
        self.alternatives.get(self.recommended)
    }

    /// The prepaid option of the documentation's table (see [`Recommendation::prepaid`]).
    pub fn prepaid_alternative(&self) -> Option<&Alternative> {
        self.prepaid.and_then(|i| self.alternatives.get(i))
    }

    /// The option of that kind, if priced.
    pub fn alternative(&self, choice: Choice) -> Option<&Alternative> {
        self.alternatives.iter().find(|a| a.choice == choice)
    }
}

/// The advice for a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    pub price_book: PriceBookId,
    pub month: BillingMonth,
    pub inputs: AdvisorInputs,
    pub recommendations: Vec<Recommendation>,
    /// Σ pay-as-you-go of the recommendations.
    pub total_payg: Decimal,
    /// Σ recommended option of the recommendations.
    pub total_recommended: Decimal,
    /// Assumptions, skipped environments and documentation discrepancies (INC-3, G-8 …).
    pub notes: Vec<Note>,
}

// ---- advising --------------------------------------------------------------------------------

/// The rule id of notes about the advice itself (horizon, inputs, items left out), which no
/// spec rule produces.
pub const ADVISOR_NOTE: &str = "ADV";

/// Advises on a scenario with [`AdvisorInputs::for_scenario`].
pub fn advise(scenario: &Scenario) -> Result<Advice, PricingError> {
    advise_with(scenario, &AdvisorInputs::for_scenario(scenario))
}

/// Advises on a scenario with the given inputs.
pub fn advise_with(scenario: &Scenario, inputs: &AdvisorInputs) -> Result<Advice, PricingError> {
    let ctx = Ctx::new(scenario, inputs);
    let (candidates, mut notes) = candidates(scenario, ctx.rules());
    let mut recommendations = Vec::new();
    let mut silent = 0usize;
    let mut quick_apps = false;
    for c in &candidates {
        let r = ctx.evaluate(c)?;
        if r.payg.is_zero() && r.payg_reported_not_billed.is_zero() {
            silent += 1;
        } else {
            quick_apps |= matches!(c.target, Target::AppQuick(_));
            recommendations.push(r);
        }
    }
    if silent > 0 {
        notes.push(Note {
            rule: ADVISOR_NOTE,
            text: format!(
                "{silent} {} nothing on pay-as-you-go (exempt, or no usage) and {} not listed.",
                if silent == 1 {
                    "item costs"
                } else {
                    "items cost"
                },
                if silent == 1 { "is" } else { "are" }
            ),
        });
    }
    notes.extend(ctx.notes(&recommendations, scenario, quick_apps));
    let err = |_| PricingError::Overflow {
        environment: "all environments".to_string(),
        meter: Meter::FlowRuns,
    };
    let total_payg = recommendations
        .iter()
        .try_fold(Decimal::ZERO, |acc, r| money::add(acc, r.payg))
        .map_err(err)?;
    let total_recommended = recommendations
        .iter()
        .try_fold(Decimal::ZERO, |acc, r| {
            money::add(acc, r.recommended_alternative().map_or(r.payg, |a| a.cost))
        })
        .map_err(err)?;
    Ok(Advice {
        price_book: scenario.price_book,
        month: scenario.month,
        inputs: inputs.clone(),
        recommendations,
        total_payg: cents(total_payg),
        total_recommended: cents(total_recommended),
        notes,
    })
}

/// Which licences the book's era sells (spec 5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Era {
    /// 2023-06: per user, per user with attended RPA, unattended add-on, per flow.
    Legacy,
    /// 2025-02: Premium, Process, Hosted Process (per flow and the add-on are off the list).
    Current,
}

/// A Dataverse storage category (DV-4: each billed on its own): the scenario's one definition.
use super::scenario::StorageCategory as Category;

impl Category {
    /// The storage of `s` with only this category (and its allocation), the rest empty.
    fn alone(self, s: &Storage, extra_gb: Decimal) -> Result<Storage, Overflow> {
        let mut out = Storage::default();
        let allocated = money::add(self.allocated(&s.allocated).max(Decimal::ZERO), extra_gb)?;
        let usage = self.usage(s).clone();
        match self {
            Category::Database => {
                out.database = usage;
                out.allocated.database = allocated;
            }
            Category::File => {
                out.file = usage;
                out.allocated.file = allocated;
            }
            Category::Log => {
                out.log = usage;
                out.allocated.log = allocated;
            }
        }
        Ok(out)
    }
}

/// What an item is, by index, so the same item is found in every month of a projection.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
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
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    environment: usize,
    target: Target,
}

/// G-2 as the engine applies it: a switched-off meter still bills under a book without meter
/// selection.
fn meter_on(switch: bool, rules: &BookRules) -> bool {
    switch || !rules.meter_selection
}

/// The items worth advising on: everything in pay-as-you-go environments whose meter bills.
fn candidates(scenario: &Scenario, rules: &BookRules) -> (Vec<Candidate>, Vec<Note>) {
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
    }
    (out, notes)
}

/// Named users counted by the per-app meter, grouped by the set of apps they open (AP-2: one
/// user of N apps is N meter units, but one per-user licence).
fn named_app_groups(env: &Environment) -> Vec<(Vec<usize>, Vec<String>)> {
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
fn bare(env: &Environment) -> Environment {
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

/// Money as shown: rounded to cents, always two decimals.
fn cents(d: Decimal) -> Decimal {
    let mut r = money::round_cents(d);
    if r.scale() < 2 {
        r.rescale(2);
    }
    r
}

fn usd(d: Decimal) -> String {
    money::format_usd(d)
}

fn qty(d: Decimal) -> String {
    money::format_quantity(d)
}

fn unit_price(d: Decimal) -> String {
    money::format_unit_price(d)
}

/// "over 3 months" / "a month".
fn period(h: u32) -> String {
    if h == 1 {
        "a month".to_string()
    } else {
        format!("over {h} months")
    }
}

fn plural(n: Decimal, one: &str, many: &str) -> String {
    format!("{} {}", qty(n), if n == Decimal::ONE { one } else { many })
}

/// The kind of run, for sentences.
fn run_kind(flow: &Flow) -> &'static str {
    match (flow.mode, flow.connectors) {
        (RunMode::Cloud, FlowConnectors::Standard) => "standard cloud",
        (RunMode::Cloud, FlowConnectors::Premium) => "premium cloud",
        (RunMode::Cloud, FlowConnectors::IsvOnly) => "ISV-connector cloud",
        (RunMode::Attended, _) => "attended desktop",
        (RunMode::Unattended, _) => "unattended desktop",
        (RunMode::Hosted, _) => "hosted RPA",
    }
}

/// Whose licence decides a flow's runs (PA-6, PA-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Owner(Licence),
    Invokers,
    ServicePrincipal,
}

impl Who {
    fn of(flow: &Flow) -> Who {
        match flow.owner {
            Owner::ServicePrincipal => Who::ServicePrincipal,
            Owner::User(l) if flow.trigger.uses_owner_licence() => Who::Owner(l),
            Owner::User(_) => Who::Invokers,
        }
    }
}

/// Everything an evaluation needs.
struct Ctx<'a> {
    scenario: &'a Scenario,
    inputs: &'a AdvisorInputs,
    prices: EffectivePrices,
    era: Era,
    horizon: u32,
}

/// One option before it is priced over the horizon.
struct Draft {
    choice: Choice,
    name: String,
    parts: Vec<LicencePart>,
    /// Residual pay-as-you-go over the horizon.
    residual: Decimal,
    /// Other items' pay-as-you-go removed, over the horizon.
    savings: Decimal,
    covers: String,
    counts_other_coverage: bool,
    caveat: Option<String>,
    minimum_purchase_cost: Option<Decimal>,
}

impl Draft {
    fn new(choice: Choice, name: String, parts: Vec<LicencePart>, covers: String) -> Draft {
        Draft {
            choice,
            name,
            parts,
            residual: Decimal::ZERO,
            savings: Decimal::ZERO,
            covers,
            counts_other_coverage: false,
            caveat: None,
            minimum_purchase_cost: None,
        }
    }
}

/// An item's pay-as-you-go, as the engine prices it.
struct Payg {
    /// Over the horizon.
    billed: Decimal,
    reported: Decimal,
    arithmetic: String,
    /// Quantity of the customer lines (runs, user-apps …) in the priced month.
    quantity: Decimal,
}

impl<'a> Ctx<'a> {
    fn new(scenario: &'a Scenario, inputs: &'a AdvisorInputs) -> Ctx<'a> {
        let prices = EffectivePrices::new(scenario.price_book.book(), &scenario.price_overrides);
        let era = match scenario.price_book {
            PriceBookId::Seed2023 => Era::Legacy,
            _ => Era::Current,
        };
        Ctx {
            scenario,
            inputs,
            prices,
            era,
            horizon: inputs.horizon(),
        }
    }

    fn rules(&self) -> &BookRules {
        self.prices.rules()
    }

    fn h(&self) -> Decimal {
        Decimal::from(self.horizon)
    }

    fn part(&self, key: PriceKey, quantity: Decimal) -> LicencePart {
        let p = self.prices.get(key);
        LicencePart {
            price_key: key,
            quantity,
            unit_price: p.amount,
            price_overridden: p.overridden,
        }
    }

    fn rate(&self, key: PriceKey) -> Decimal {
        self.prices.get(key).amount
    }

    /// Prices `env` (a reduced copy of one of the scenario's environments) alone, with the
    /// scenario's book, overrides, month and options.
    fn price_alone(&self, env: Environment) -> Result<Breakdown, PricingError> {
        let s = Scenario {
            version: self.scenario.version,
            name: self.scenario.name.clone(),
            price_book: self.scenario.price_book,
            price_overrides: self.scenario.price_overrides.clone(),
            month: self.scenario.month,
            options: self.scenario.options.clone(),
            environments: vec![env],
            isv_customers: Vec::new(),
            advisor: None,
        };
        price(&s)
    }

    /// The engine's pay-as-you-go of a reduced environment; `times` multiplies levels over
    /// the horizon (flow runs are horizon totals already).
    fn payg(&self, env: Environment, times: u32, meter: Meter) -> Result<Payg, PricingError> {
        let environment = env.name.clone();
        let o = |Overflow| PricingError::Overflow {
            environment: environment.clone(),
            meter,
        };
        let b = self.price_alone(env)?;
        let t = Decimal::from(times);
        let billed = money::mul(b.total_billed, t).map_err(o)?;
        let reported = money::mul(b.total_reported_not_billed, t).map_err(o)?;
        let mut terms = Vec::new();
        let mut quantity = Decimal::ZERO;
        for l in b.lines.iter().filter(|l| l.payer == Payer::Customer) {
            quantity = money::add(quantity, l.quantity).map_err(o)?;
            let exact = money::mul(l.quantity, l.unit_price)
                .map(money::round_cents)
                .is_ok_and(|a| a == l.amount);
            terms.push(if exact {
                format!("{} × {}", qty(l.quantity), unit_price(l.unit_price))
            } else {
                usd(l.amount)
            });
        }
        let mut arithmetic = match (terms.len(), times) {
            (0, _) => usd(Decimal::ZERO),
            (1, 1) => format!("{} = {}", terms.join(""), usd(billed)),
            (_, 1) => format!("{} = {}", terms.join(" + "), usd(billed)),
            (1, _) => format!("{times} × {} = {}", terms.join(""), usd(billed)),
            (_, _) => format!("{times} × ({}) = {}", terms.join(" + "), usd(billed)),
        };
        if !reported.is_zero() {
            let _ = write!(
                arithmetic,
                "; {} reported, not billed (PR-1)",
                usd(reported)
            );
        }
        Ok(Payg {
            billed: cents(billed),
            reported: cents(reported),
            arithmetic,
            quantity,
        })
    }

    fn evaluate(&self, c: &Candidate) -> Result<Recommendation, PricingError> {
        let Some(env) = self.scenario.environments.get(c.environment) else {
            return Err(PricingError::Overflow {
                environment: "unknown environment".to_string(),
                meter: Meter::FlowRuns,
            });
        };
        let Evaluated {
            kind,
            subject,
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        } = match &c.target {
            Target::Flow(f) => self.flow(env, *f)?,
            Target::AppQuick(a) => self.app_quick(env, *a)?,
            Target::AppNamed { apps, ids } => self.app_named(env, apps, ids)?,
            Target::Storage(cat) => self.storage(env, *cat)?,
            Target::Requests(r) => self.requests(env, *r)?,
        };
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: match kind {
                SubjectKind::Flow => Meter::FlowRuns,
                SubjectKind::Apps => Meter::PowerApps,
                SubjectKind::Dataverse => Meter::Dataverse,
                SubjectKind::Requests => Meter::Requests,
            },
        };
        let mut alternatives = vec![Alternative {
            choice: Choice::PayAsYouGo,
            name: Choice::PayAsYouGo.label().to_string(),
            parts: Vec::new(),
            licence_cost: cents(Decimal::ZERO),
            residual_payg: payg.billed,
            other_savings: cents(Decimal::ZERO),
            cost: payg.billed,
            arithmetic: payg.arithmetic.clone(),
            covers: "Pays only for what is used, month by month, with no commitment.".to_string(),
            counts_other_coverage: false,
            caveat: None,
            minimum_purchase_cost: None,
        }];
        for d in drafts {
            alternatives.push(self.finish(d).map_err(o)?);
        }
        // The cheapest; the first of equals, so pay-as-you-go (listed first) wins ties.
        let mut recommended = 0;
        let mut best = payg.billed;
        for (i, a) in alternatives.iter().enumerate() {
            if a.cost < best {
                recommended = i;
                best = a.cost;
            }
        }
        let prepaid = prepaid.map(|i| i + 1).filter(|i| *i < alternatives.len());
        let reason = reason(&alternatives, recommended, &payg, self.horizon, kind);
        Ok(Recommendation {
            kind,
            environment: c.environment,
            environment_name: env.name.clone(),
            subject,
            usage,
            payg: payg.billed,
            payg_reported_not_billed: payg.reported,
            alternatives,
            recommended,
            prepaid,
            reason,
            break_evens,
        })
    }

    /// Prices a draft over the horizon.
    fn finish(&self, d: Draft) -> Result<Alternative, Overflow> {
        let mut monthly = Decimal::ZERO;
        let mut terms = Vec::new();
        for p in &d.parts {
            monthly = money::add(
                monthly,
                money::round_cents(money::mul(p.quantity, p.unit_price)?),
            )?;
            terms.push(if p.quantity == Decimal::ONE {
                unit_price(p.unit_price)
            } else {
                format!("{} × {}", qty(p.quantity), unit_price(p.unit_price))
            });
        }
        let licence_cost = money::mul(monthly, self.h())?;
        let cost = money::sub(money::add(licence_cost, d.residual)?, d.savings)?;
        let licences = match (terms.len(), self.horizon) {
            (0, _) => usd(Decimal::ZERO),
            (1, 1) => terms.join(""),
            (1, h) => format!("{h} × {}", terms.join("")),
            (_, 1) => terms.join(" + "),
            (_, h) => format!("{h} × ({})", terms.join(" + ")),
        };
        let mut arithmetic = licences;
        if !d.residual.is_zero() {
            let _ = write!(arithmetic, " + {} still on pay-as-you-go", usd(d.residual));
        }
        if !d.savings.is_zero() {
            let _ = write!(arithmetic, " − {} saved elsewhere", usd(d.savings));
        }
        // A lone price needs no "= the same price".
        let lone = d.residual.is_zero()
            && d.savings.is_zero()
            && self.horizon == 1
            && d.parts.len() == 1
            && d.parts.iter().all(|p| p.quantity == Decimal::ONE);
        if !lone {
            let _ = write!(arithmetic, " = {}", usd(cost));
        }
        Ok(Alternative {
            choice: d.choice,
            name: d.name,
            parts: d.parts,
            licence_cost: cents(licence_cost),
            residual_payg: cents(d.residual),
            other_savings: cents(d.savings),
            cost: cents(cost),
            arithmetic,
            covers: d.covers,
            counts_other_coverage: d.counts_other_coverage,
            caveat: d.caveat,
            minimum_purchase_cost: d.minimum_purchase_cost.map(cents),
        })
    }

    // ---- flows -----------------------------------------------------------------------------

    fn flow(&self, env: &Environment, index: usize) -> Result<Evaluated, PricingError> {
        let Some(flow) = env.flows.get(index) else {
            return Err(missing(env, Meter::FlowRuns));
        };
        let alone = |f: Flow| {
            let mut e = bare(env);
            e.flows = vec![f];
            e
        };
        // Flow runs are horizon totals (see `AdvisorInputs::horizon_months`): priced once.
        let payg = self.payg(alone(flow.clone()), 1, Meter::FlowRuns)?;
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: Meter::FlowRuns,
        };
        let residual = |f: Flow| -> Result<Decimal, PricingError> {
            Ok(self.payg(alone(f), 1, Meter::FlowRuns)?.billed)
        };
        let who = Who::of(flow);
        let sizing = self.inputs.sizing(&env.name, &flow.name);
        let mode = flow.mode;
        let kind = run_kind(flow);
        let rate = self.rate(flow_runs::price_key(mode));
        let h = self.h();
        let runs = payg.quantity;
        let monthly_runs = money::div(runs, h).map_err(o)?;

        // Who would need a user licence (PA-6).
        let (users, users_assumed) = match who {
            Who::Owner(_) => (1u64, false),
            Who::ServicePrincipal => (0, false),
            Who::Invokers => match sizing.and_then(|s| s.users) {
                Some(n) => (n, false),
                None => {
                    let classes: BTreeSet<Licence> = flow
                        .runs
                        .iter()
                        .map(|g| (g.licence, g.runs))
                        .chain(flow.daily_runs.iter().map(|d| (d.licence, d.runs)))
                        .filter(|(l, n)| *n > 0 && l.flow_run_exemption(mode).is_none())
                        .map(|(l, _)| l)
                        .collect();
                    (classes.len().max(1) as u64, true)
                }
            },
        };
        let bots = sizing.and_then(|s| s.bots).unwrap_or(1).max(1);
        let n_users = money::count(users);

        let mut usage = format!(
            "{} charged {} ({} a month)",
            plural(runs, &format!("{kind} run"), &format!("{kind} runs")),
            period(self.horizon),
            qty(monthly_runs.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
        );
        match who {
            Who::Owner(l) => {
                let _ = write!(
                    usage,
                    ", judged by the owner's licence ({}, PA-6).",
                    l.label()
                );
            }
            Who::Invokers if users_assumed => {
                let _ = write!(
                    usage,
                    ", run by people judged by their own licences (PA-6); assumed {} (the \
                     scenario does not say how many people run it).",
                    plural(n_users, "person", "people")
                );
            }
            Who::Invokers => {
                let _ = write!(
                    usage,
                    ", run by {} judged by their own licences (PA-6).",
                    plural(n_users, "person", "people")
                );
            }
            Who::ServicePrincipal => {
                usage.push_str(
                    ", owned by a service principal, so only a flow licence can exempt them \
                     (PA-8).",
                );
            }
        }

        let mut drafts = Vec::new();
        let mut break_evens = Vec::new();
        let mut prepaid = None;
        let per_user = format!("{kind} runs per user a month");
        let payg_line = CostLine {
            fixed: Decimal::ZERO,
            per_unit: rate,
        };

        // User licences for the people whose licence decides the runs (PA-6, PA-7). Only the
        // lowest of their break-evens is shown: a dearer licence covering the same runs never
        // wins first.
        let mut user_break_evens: Vec<BreakEven> = Vec::new();
        if who != Who::ServicePrincipal && users > 0 {
            let licences: &[(Licence, Choice, PriceKey)] = match self.era {
                Era::Legacy => &[
                    (
                        Licence::PowerAutomatePerUser,
                        Choice::PowerAutomatePerUser,
                        PriceKey::PowerAutomatePerUser,
                    ),
                    (
                        Licence::PowerAutomatePerUserRpa,
                        Choice::PowerAutomatePerUserRpa,
                        PriceKey::PowerAutomatePerUserRpa,
                    ),
                ],
                Era::Current => &[(
                    Licence::PowerAutomatePremium,
                    Choice::PowerAutomatePremium,
                    PriceKey::PowerAutomatePremium,
                )],
            };
            for &(licence, choice, key) in licences {
                if licence.flow_run_exemption(mode).is_none() {
                    continue;
                }
                let f = with_user_licence(flow, licence);
                let whom = match who {
                    Who::Owner(_) => "the owner".to_string(),
                    _ => plural(n_users, "user", "users"),
                };
                let mut d = Draft::new(
                    choice,
                    format!("{} for {whom}", choice.label()),
                    vec![self.part(key, n_users)],
                    format!(
                        "{} covers {}'s {} runs in every flow, not only this one (PA-7); the \
                         scenario does not say who runs its other flows, so the comparison \
                         counts this flow only.",
                        choice.label(),
                        if matches!(who, Who::Owner(_)) {
                            "the owner"
                        } else {
                            "each user"
                        },
                        if licence.flow_run_exemption(RunMode::Attended).is_some() {
                            "premium cloud and attended desktop"
                        } else {
                            "premium cloud"
                        }
                    ),
                );
                d.residual = residual(f)?;
                if prepaid.is_none() {
                    prepaid = Some(drafts.len());
                }
                let price = self.rate(key);
                let current = if users > 0 {
                    money::div(monthly_runs, n_users).ok()
                } else {
                    None
                };
                if let Some(be) = break_even(
                    choice,
                    choice.label(),
                    &per_user,
                    payg_line,
                    CostLine {
                        fixed: price,
                        per_unit: Decimal::ZERO,
                    },
                    current,
                    true,
                    format!("({} ÷ {})", usd(price), unit_price(rate)),
                ) {
                    user_break_evens.push(be);
                }
                drafts.push(d);
            }
        }

        if let Some(lowest) = user_break_evens
            .into_iter()
            .min_by(|a, b| a.exact.cmp(&b.exact))
        {
            break_evens.push(lowest);
        }

        // Bots for unattended and hosted desktop flows (PA-7, AMB-6, G-8).
        if matches!(mode, RunMode::Unattended | RunMode::Hosted) {
            let bot = match (self.era, mode) {
                (Era::Legacy, RunMode::Unattended) => {
                    Some((Choice::UnattendedAddon, PriceKey::UnattendedRpaAddon))
                }
                (Era::Current, RunMode::Unattended) => {
                    Some((Choice::ProcessBots, PriceKey::PowerAutomateProcess))
                }
                (Era::Current, _) => Some((Choice::HostedProcessBots, PriceKey::HostedProcess)),
                // The 2023-06 table has no prepaid hosted RPA price (spec 5.2).
                (Era::Legacy, _) => None,
            };
            if let Some((choice, key)) = bot {
                let maker_key = match self.era {
                    Era::Legacy => PriceKey::PowerAutomatePerUserRpa,
                    Era::Current => PriceKey::PowerAutomatePremium,
                };
                let maker_label = match self.era {
                    Era::Legacy => "Power Automate per user with attended RPA",
                    Era::Current => "Power Automate Premium",
                };
                // The machine is registered by a maker with attended RPA rights (S16); an
                // owner who holds them already needs nothing more.
                let maker_needed = !matches!(
                    flow.owner,
                    Owner::User(l) if l.flow_run_exemption(RunMode::Attended).is_some()
                );
                let n_bots = money::count(bots);
                let mut parts = vec![self.part(key, n_bots)];
                if maker_needed {
                    parts.push(self.part(maker_key, Decimal::ONE));
                }
                let in_payg = choice != Choice::UnattendedAddon
                    && self.scenario.options.process_licence_covers_unattended;
                let mut d = Draft::new(
                    choice,
                    format!(
                        "{} for {}{}",
                        match choice {
                            Choice::UnattendedAddon => "Unattended RPA add-on",
                            Choice::HostedProcessBots => "Hosted Process",
                            _ => "Power Automate Process",
                        },
                        plural(n_bots, "bot", "bots"),
                        if maker_needed {
                            format!(" + {maker_label} for the maker")
                        } else {
                            String::new()
                        }
                    ),
                    parts,
                    format!(
                        "One licence per bot running at once; the machine is registered by a \
                         maker with {maker_label}{}, which also covers the maker's own cloud \
                         and attended runs (not counted).",
                        if maker_needed {
                            ", counted here"
                        } else {
                            " (the owner holds it already)"
                        }
                    ),
                );
                if in_payg {
                    let mut f = flow.clone();
                    f.flow_licence = match choice {
                        Choice::HostedProcessBots => FlowLicence::HostedProcess,
                        _ => FlowLicence::Process,
                    };
                    d.residual = residual(f)?;
                } else {
                    d.caveat = Some(
                        "Pay-as-you-go ignores unattended bot capacity (PA-7, G-8, AMB-6): this \
                         option means running the flow in an environment that is not \
                         pay-as-you-go."
                            .to_string(),
                    );
                }
                let fixed = d
                    .parts
                    .iter()
                    .try_fold(Decimal::ZERO, |acc, p| {
                        money::add(acc, money::mul(p.quantity, p.unit_price)?)
                    })
                    .map_err(o)?;
                if prepaid.is_none() {
                    prepaid = Some(drafts.len());
                }
                let unit = format!("{kind} runs a month");
                if let Some(be) = break_even(
                    choice,
                    &d.name,
                    &unit,
                    payg_line,
                    CostLine {
                        fixed,
                        per_unit: Decimal::ZERO,
                    },
                    Some(monthly_runs),
                    true,
                    format!("({} ÷ {})", usd(fixed), unit_price(rate)),
                ) {
                    break_evens.push(be);
                }
                drafts.push(d);
            }
        }

        // Flow licences (PA-7, PA-8, AMB-6): they cover the flow's cloud runs whoever runs it.
        let flow_licences: &[(FlowLicence, Choice, PriceKey)] = match self.era {
            Era::Legacy => &[(
                FlowLicence::PerFlow,
                Choice::PerFlow,
                PriceKey::PowerAutomatePerFlow,
            )],
            Era::Current => &[(
                FlowLicence::Process,
                Choice::Process,
                PriceKey::PowerAutomateProcess,
            )],
        };
        let covers_unattended = self.scenario.options.process_licence_covers_unattended;
        for &(licence, choice, key) in flow_licences {
            // Unattended flows are advised with bots above; a flow licence that covers them
            // (the AMB-6 option) is the same licence.
            if mode != RunMode::Cloud
                || licence
                    .flow_run_exemption(mode, covers_unattended)
                    .is_none()
            {
                continue;
            }
            let mut f = flow.clone();
            f.flow_licence = licence;
            let price = self.rate(key);
            let mut d = Draft::new(
                choice,
                format!("{} for this flow", choice.label()),
                vec![self.part(key, Decimal::ONE)],
                format!(
                    "{} covers every user's cloud runs of this flow (PA-7), a service \
                     principal's too (PA-8); desktop runs it calls are still charged (AMB-6).",
                    choice.label()
                ),
            );
            d.residual = residual(f)?;
            let per_flow = self.rate(PriceKey::PowerAutomatePerFlow);
            let minimum =
                money::mul(money::mul(per_flow, Decimal::from(5)).map_err(o)?, h).map_err(o)?;
            let mut sentence = format!("({} ÷ {})", usd(price), unit_price(rate));
            if choice == Choice::PerFlow {
                d.caveat = Some(format!(
                    "The documentation's table prices one per-flow licence (INC-3), but per-flow \
                     licences were sold with a minimum of 5: if this is your only per-flow \
                     flow, the real cost is {}5 × {} = {}.",
                    if self.horizon == 1 {
                        String::new()
                    } else {
                        format!("{} × ", self.horizon)
                    },
                    unit_price(per_flow),
                    usd(minimum)
                ));
                d.minimum_purchase_cost = Some(money::add(minimum, d.residual).map_err(o)?);
                let five = money::mul(per_flow, Decimal::from(5)).map_err(o)?;
                if let Ok(x) = money::div(five, rate) {
                    sentence = format!(
                        "({} ÷ {}); above {} if it is your only per-flow licence (5 × {} ÷ {})",
                        usd(price),
                        unit_price(rate),
                        floor_u64(x),
                        unit_price(per_flow),
                        unit_price(rate)
                    );
                }
            } else if who == Who::ServicePrincipal {
                d.caveat = Some(format!(
                    "Power Automate per flow ({} a flow, minimum 5 licences) left the price list \
                     on 02/01/2024 (S17); at its minimum it would cost {}5 × {} = {} (INC-3).",
                    unit_price(per_flow),
                    if self.horizon == 1 {
                        String::new()
                    } else {
                        format!("{} × ", self.horizon)
                    },
                    unit_price(per_flow),
                    usd(minimum)
                ));
            }
            if who == Who::ServicePrincipal && prepaid.is_none() {
                prepaid = Some(drafts.len());
            }
            let unit = format!("{kind} runs a month");
            if let Some(be) = break_even(
                choice,
                choice.label(),
                &unit,
                payg_line,
                CostLine {
                    fixed: price,
                    per_unit: Decimal::ZERO,
                },
                Some(monthly_runs),
                true,
                sentence,
            ) {
                break_evens.push(be);
            }
            drafts.push(d);
        }
        if prepaid.is_none() && !drafts.is_empty() {
            prepaid = cheapest(&drafts, self);
        }
        Ok(Evaluated {
            kind: SubjectKind::Flow,
            subject: flow.name.clone(),
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }

    // ---- apps ------------------------------------------------------------------------------

    fn app_quick(&self, env: &Environment, index: usize) -> Result<Evaluated, PricingError> {
        let Some(app) = env.apps.get(index) else {
            return Err(missing(env, Meter::PowerApps));
        };
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: Meter::PowerApps,
        };
        let only = |groups: Vec<UserGroup>| {
            let mut e = bare(env);
            e.apps = vec![App {
                name: app.name.clone(),
                connectors: app.connectors,
                opted_out: app.opted_out,
                user_groups: groups,
                opened_by: Vec::new(),
            }];
            e
        };
        let payg = self.payg(
            only(app.user_groups.clone()),
            self.horizon,
            Meter::PowerApps,
        )?;
        let metered = app
            .user_groups
            .iter()
            .filter(|g| g.licence.app_exemption(app.connectors).is_none())
            .try_fold(Decimal::ZERO, |acc, g| {
                money::add(acc, money::count(g.users))
            })
            .map_err(o)?;
        let upgraded: Vec<UserGroup> = app
            .user_groups
            .iter()
            .map(|g| UserGroup {
                users: g.users,
                licence: if g.licence.app_exemption(app.connectors).is_none() {
                    Licence::PowerAppsPerUser
                } else {
                    g.licence
                },
            })
            .collect();
        let residual =
            money::mul(self.price_alone(only(upgraded))?.total_billed, self.h()).map_err(o)?;
        let usage = format!(
            "{} whom the per-app meter counts opened {} (quick counts, AP-1, AP-2).",
            plural(metered, "user", "users"),
            app.name
        );
        let premium = Draft {
            residual,
            ..Draft::new(
                Choice::PowerAppsPremium,
                format!(
                    "{} for {}",
                    Choice::PowerAppsPremium.label(),
                    plural(metered, "user", "users")
                ),
                vec![self.part(PriceKey::PowerAppsPremium, metered)],
                "Power Apps Premium covers every app these users open (AP-5), their Power Pages \
                 logins (PP-3) and flows triggered from apps (PA-9); quick counts don't say who \
                 else they are, so the comparison counts this app only."
                    .to_string(),
            )
        };
        let passes = self.passes(metered, Decimal::ONE, &app.name);
        self.apps_result(
            env,
            app.name.clone(),
            usage,
            payg,
            metered,
            Decimal::ONE,
            premium,
            passes,
        )
    }

    fn app_named(
        &self,
        env: &Environment,
        apps: &[usize],
        ids: &[String],
    ) -> Result<Evaluated, PricingError> {
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: Meter::PowerApps,
        };
        let chosen: Vec<&App> = apps.iter().filter_map(|a| env.apps.get(*a)).collect();
        let names: Vec<&str> = chosen.iter().map(|a| a.name.as_str()).collect();
        let with_users = |users: Vec<NamedUser>| {
            let mut e = bare(env);
            e.users = users;
            e.apps = chosen
                .iter()
                .map(|a| App {
                    name: a.name.clone(),
                    connectors: a.connectors,
                    opted_out: a.opted_out,
                    user_groups: Vec::new(),
                    opened_by: ids.to_vec(),
                })
                .collect();
            e
        };
        let payg = self.payg(
            with_users(env.users.clone()),
            self.horizon,
            Meter::PowerApps,
        )?;
        // The same people with Power Apps Premium (AP-5; PP-3 for their logins).
        let mut licensed: Vec<NamedUser> = env
            .users
            .iter()
            .map(|u| NamedUser {
                id: u.id.clone(),
                licence: if ids.contains(&u.id) {
                    Licence::PowerAppsPerUser
                } else {
                    u.licence
                },
            })
            .collect();
        for id in ids {
            if !env.users.iter().any(|u| &u.id == id) {
                licensed.push(NamedUser {
                    id: id.clone(),
                    licence: Licence::PowerAppsPerUser,
                });
            }
        }
        let residual = money::mul(
            self.price_alone(with_users(licensed.clone()))?.total_billed,
            self.h(),
        )
        .map_err(o)?;
        // Their Power Pages logins, which the licence also exempts (PP-3): counted.
        let pages = |users: Vec<NamedUser>| {
            let mut e = bare(env);
            e.users = users;
            e.websites = env
                .websites
                .iter()
                .map(|w| Website {
                    name: w.name.clone(),
                    status: w.status,
                    authenticated: Vec::new(),
                    logged_in: w.logged_in.clone(),
                    anonymous_visitors: 0,
                    anonymous_exclusions: AnonymousExclusions::default(),
                    anonymous_requests: Vec::new(),
                })
                .collect();
            e
        };
        let savings = if env.websites.iter().any(|w| !w.logged_in.is_empty()) {
            let before = self.price_alone(pages(env.users.clone()))?.total_billed;
            let after = self.price_alone(pages(licensed))?.total_billed;
            money::mul(money::sub(before, after).map_err(o)?, self.h())
                .map_err(o)?
                .max(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        let n = money::count(ids.len() as u64);
        let n_apps = money::count(chosen.len() as u64);
        let subject = format!(
            "{} of {}",
            plural(n, "named user", "named users"),
            names.join(", ")
        );
        let usage = format!(
            "{} each opened {} ({}), {} each (AP-2).",
            plural(n, "named user", "named users"),
            plural(n_apps, "app", "apps"),
            names.join(", "),
            plural(n_apps, "meter unit", "meter units")
        );
        let premium = Draft {
            residual,
            savings,
            counts_other_coverage: true,
            ..Draft::new(
                Choice::PowerAppsPremium,
                format!(
                    "{} for {}",
                    Choice::PowerAppsPremium.label(),
                    plural(n, "user", "users")
                ),
                vec![self.part(PriceKey::PowerAppsPremium, n)],
                format!(
                    "One Power Apps Premium licence per person covers {} they open (AP-5) and \
                     their Power Pages logins (PP-3), which the comparison counts ({} of \
                     logins); flows triggered from apps are covered too (PA-9).",
                    if n_apps == Decimal::ONE {
                        "the app".to_string()
                    } else {
                        format!("all {} apps", qty(n_apps))
                    },
                    usd(savings)
                ),
            )
        };
        let passes = self.passes(n, n_apps, &names.join(", "));
        self.apps_result(env, subject, usage, payg, n, n_apps, premium, passes)
    }

    /// Per-app passes: one per user per app; ignored in pay-as-you-go environments (AP-9).
    fn passes(&self, users: Decimal, apps: Decimal, what: &str) -> Draft {
        let quantity = users.checked_mul(apps).unwrap_or(Decimal::MAX);
        let mut d = Draft::new(
            Choice::PowerAppsPerApp,
            format!(
                "{} for {} × {}",
                Choice::PowerAppsPerApp.label(),
                plural(users, "user", "users"),
                plural(apps, "app", "apps")
            ),
            vec![self.part(PriceKey::PowerAppsPerApp, quantity)],
            format!("A per-app pass licenses one person for one app ({what})."),
        );
        d.caveat = Some(
            "Per-app passes are ignored in a pay-as-you-go environment (AP-9, G-8): this option \
             means moving the app to an environment that is not pay-as-you-go, with a pass for \
             everyone who may open it, not only this month's active users."
                .to_string(),
        );
        d
    }

    #[allow(clippy::too_many_arguments)]
    fn apps_result(
        &self,
        env: &Environment,
        subject: String,
        usage: String,
        payg: Payg,
        users: Decimal,
        apps: Decimal,
        premium: Draft,
        passes: Draft,
    ) -> Result<Evaluated, PricingError> {
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: Meter::PowerApps,
        };
        let meter = self.rate(PriceKey::PowerAppsPerAppUser);
        let premium_price = self.rate(PriceKey::PowerAppsPremium);
        let pass = self.rate(PriceKey::PowerAppsPerApp);
        let mut break_evens = Vec::new();
        if let Some(be) = break_even(
            Choice::PowerAppsPremium,
            Choice::PowerAppsPremium.label(),
            "apps per user a month",
            CostLine {
                fixed: Decimal::ZERO,
                per_unit: meter,
            },
            CostLine {
                fixed: premium_price,
                per_unit: Decimal::ZERO,
            },
            Some(apps),
            true,
            format!("({} ÷ {})", usd(premium_price), unit_price(meter)),
        ) {
            let whole = be.whole;
            break_evens.push(be.reworded(format!(
                "Power Apps Premium wins for people who open more than {} apps a month ({} ÷ {}).",
                whole,
                usd(premium_price),
                unit_price(meter)
            )));
        }
        // Passes go to everyone who may open the app; the meter counts only who did.
        let passes_fixed = money::mul(money::mul(users, apps).map_err(o)?, pass).map_err(o)?;
        let per_active = money::mul(meter, apps).map_err(o)?;
        if let Some(be) = break_even(
            Choice::PowerAppsPerApp,
            Choice::PowerAppsPerApp.label(),
            "active users a month",
            CostLine {
                fixed: Decimal::ZERO,
                per_unit: per_active,
            },
            CostLine {
                fixed: passes_fixed,
                per_unit: Decimal::ZERO,
            },
            Some(users),
            true,
            String::new(),
        ) {
            let sentence = format!(
                "Per-app passes for {} win while more than {} of them open {} in a month ({} ÷ \
                 {}).",
                plural(users, "person", "people"),
                be.whole,
                if apps == Decimal::ONE {
                    "the app".to_string()
                } else {
                    "the apps".to_string()
                },
                usd(passes_fixed),
                unit_price(per_active)
            );
            break_evens.push(be.reworded(sentence));
        }
        let drafts = vec![premium, passes];
        let prepaid = cheapest(&drafts, self);
        Ok(Evaluated {
            kind: SubjectKind::Apps,
            subject,
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }

    // ---- Dataverse -------------------------------------------------------------------------

    fn storage(&self, env: &Environment, category: Category) -> Result<Evaluated, PricingError> {
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: Meter::Dataverse,
        };
        let with = |extra: Decimal| -> Result<Environment, PricingError> {
            let mut e = bare(env);
            e.storage = category.alone(&env.storage, extra).map_err(o)?;
            Ok(e)
        };
        let payg = self.payg(with(Decimal::ZERO)?, self.horizon, Meter::Dataverse)?;
        let peak = peak_gb(category.usage(&env.storage));
        let allocated = category
            .allocated(&env.storage.allocated)
            .max(Decimal::ZERO);
        let mut usage = format!(
            "{} storage peaks at {} GB in use",
            capitalise(category.key()),
            qty(peak)
        );
        if !allocated.is_zero() && self.rules().dataverse_allocation {
            let _ = write!(usage, ", {} GB allocated", qty(allocated));
        }
        usage.push_str("; pay-as-you-go bills the overage per snapshot (DV-5, DV-6, AMB-11).");
        let subject = format!("Dataverse {} storage", category.key());
        let mut drafts = Vec::new();
        let mut break_evens = Vec::new();
        if self.rules().addons_in_payg
            && self.rules().dataverse_allocation
            && !payg.billed.is_zero()
        {
            // The fewest whole GB that leave no overage, found with the engine itself.
            let upper = peak.ceil().to_u64().unwrap_or(u64::MAX);
            let bill = |gb: u64| -> Result<Decimal, PricingError> {
                Ok(self.price_alone(with(money::count(gb))?)?.total_billed)
            };
            if bill(upper)?.is_zero() {
                let (mut lo, mut hi) = (0u64, upper);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if bill(mid)?.is_zero() {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                let gb = money::count(lo);
                let key = category.capacity_price();
                let d = Draft::new(
                    Choice::CapacityAddon,
                    format!("{} GB of {} capacity add-on", qty(gb), category.key()),
                    vec![self.part(key, gb)],
                    format!(
                        "{} GB more allocated to {} covers the peak, so nothing is billed to \
                         Azure (DV-3, AMB-10; add-ons are usable in pay-as-you-go since Dec \
                         2024, S9).",
                        qty(gb),
                        env.name
                    ),
                );
                let fixed = money::mul(gb, self.rate(key)).map_err(o)?;
                let rate = self.rate(category.meter_price());
                if let Some(be) = break_even(
                    Choice::CapacityAddon,
                    &d.name,
                    "GB of average overage a month",
                    CostLine {
                        fixed: Decimal::ZERO,
                        per_unit: rate,
                    },
                    CostLine {
                        fixed,
                        per_unit: Decimal::ZERO,
                    },
                    None,
                    false,
                    format!("({} ÷ {})", usd(fixed), unit_price(rate)),
                ) {
                    break_evens.push(be);
                }
                drafts.push(d);
            }
        }
        let prepaid = cheapest(&drafts, self);
        Ok(Evaluated {
            kind: SubjectKind::Dataverse,
            subject,
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }

    // ---- requests --------------------------------------------------------------------------

    fn requests(&self, env: &Environment, index: usize) -> Result<Evaluated, PricingError> {
        let Some(consumer) = env.requests.get(index) else {
            return Err(missing(env, Meter::Requests));
        };
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: Meter::Requests,
        };
        let mut e = bare(env);
        e.requests = vec![consumer.clone()];
        let payg = self.payg(e, self.horizon, Meter::Requests)?;
        let rules = self.rules();
        let options = &self.scenario.options;
        let days = self.scenario.month.days();
        let members = match &consumer.entity {
            RequestEntity::Users { users, .. } | RequestEntity::PerAppMeterUsers { users, .. } => {
                *users
            }
            RequestEntity::Flow { .. } | RequestEntity::NonLicensed { .. } => 1,
        };
        let overage = requests::overage_requests(consumer, options, rules, days);
        let billed = options
            .requests_billing_active
            .unwrap_or(rules.requests_billed);
        let usage = format!(
            "{} requests above the daily entitlements this month (PR-2){}.",
            qty(money::count(overage)),
            if billed {
                ""
            } else {
                "; the meter is reported, not billed (PR-1, AMB-20)"
            }
        );
        let mut drafts = Vec::new();
        let mut break_evens = Vec::new();
        let per_pack = rules.requests_per_addon_pack;
        if rules.addons_in_payg && overage > 0 && per_pack > 0 && members > 0 {
            // The fewest packs per member that leave no overage, asked of the requests meter.
            let peak = consumer
                .daily_requests
                .iter()
                .fold(consumer.requests_per_day, |acc, d| {
                    acc.saturating_add(d.requests)
                });
            let have = consumer.addon_packs;
            let upper = u32::try_from(peak / per_pack + 1)
                .unwrap_or(u32::MAX)
                .min(u32::MAX - have);
            let over = |k: u32| {
                let mut c = consumer.clone();
                c.addon_packs = have.saturating_add(k);
                requests::overage_requests(&c, options, rules, days)
            };
            if over(upper) == 0 {
                let (mut lo, mut hi) = (0u32, upper);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if over(mid) == 0 {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                let packs =
                    money::mul(money::count(u64::from(lo)), money::count(members)).map_err(o)?;
                let pack_price = self.rate(PriceKey::RequestsAddonPack);
                let d = Draft::new(
                    Choice::RequestsAddonPacks,
                    format!(
                        "{} ({} per member × {})",
                        plural(packs, "requests add-on pack", "requests add-on packs"),
                        qty(money::count(u64::from(lo))),
                        plural(money::count(members), "member", "members")
                    ),
                    vec![self.part(PriceKey::RequestsAddonPack, packs)],
                    format!(
                        "Each pack adds {} requests a day to one member's entitlement (PR-12; \
                         usable in pay-as-you-go since Dec 2024, S9).",
                        qty(money::count(per_pack))
                    ),
                );
                let fixed = money::mul(packs, pack_price).map_err(o)?;
                let rate = self.rate(PriceKey::PlatformRequest);
                if let Some(be) = break_even(
                    Choice::RequestsAddonPacks,
                    &d.name,
                    "requests above the entitlements a month",
                    CostLine {
                        fixed: Decimal::ZERO,
                        per_unit: rate,
                    },
                    CostLine {
                        fixed,
                        per_unit: Decimal::ZERO,
                    },
                    Some(money::count(overage)),
                    true,
                    format!(
                        "({} ÷ {}){}",
                        usd(fixed),
                        unit_price(rate),
                        if billed {
                            ""
                        } else {
                            ", if the meter were billed (PR-1)"
                        }
                    ),
                ) {
                    break_evens.push(be);
                }
                drafts.push(d);
            }
        }
        let prepaid = cheapest(&drafts, self);
        Ok(Evaluated {
            kind: SubjectKind::Requests,
            subject: consumer.name.clone(),
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }

    /// Notes on the advice as a whole.
    fn notes(&self, recs: &[Recommendation], scenario: &Scenario, quick_apps: bool) -> Vec<Note> {
        let mut notes = Vec::new();
        if let Some(name) = example_of(scenario)
            && AdvisorInputs::for_example(name).as_ref() == Some(self.inputs)
        {
            notes.push(Note {
                rule: ADVISOR_NOTE,
                text: format!(
                    "The advisor inputs are those of the built-in example {name}: flow runs \
                     counted over {} months, people and bots per flow as the documentation's \
                     table gives them.",
                    self.horizon
                ),
            });
        }
        if self.horizon > 1 {
            notes.push(Note {
                rule: ADVISOR_NOTE,
                text: format!(
                    "Horizon of {h} months: the scenario's flow runs are read as totals over \
                     {h} months and priced once; licences are priced for {h} months; app users, \
                     storage and daily requests are each month's figures, counted {h} times on \
                     both sides.",
                    h = self.horizon
                ),
            });
        }
        let any = |c: Choice| {
            recs.iter()
                .any(|r| r.alternatives.iter().any(|a| a.choice == c))
        };
        if any(Choice::PerFlow) {
            notes.push(Note {
                rule: "INC-3",
                text: "The documentation prices a per-flow licence at $100 a flow, but the plan \
                       had a minimum purchase of 5 licences (S15, S17): the comparison uses the \
                       table's price per flow and shows the minimum as a caveat."
                    .to_string(),
            });
        }
        if any(Choice::UnattendedAddon) || any(Choice::PowerAppsPerApp) {
            notes.push(Note {
                rule: "G-8",
                text: "Prepaid capacity assigned to a pay-as-you-go environment is ignored \
                       (per-app passes, unattended add-ons): those options mean an environment \
                       that is not pay-as-you-go."
                    .to_string(),
            });
        }
        if !self.rules().addons_in_payg
            && recs
                .iter()
                .any(|r| matches!(r.kind, SubjectKind::Dataverse | SubjectKind::Requests))
        {
            notes.push(Note {
                rule: "G-8",
                text: format!(
                    "Under the {} book, add-ons can't be used in a pay-as-you-go environment \
                     (G-8, DV-2): Dataverse and requests have no prepaid option there (from Dec \
                     2024 they do, S9).",
                    self.scenario.price_book.key()
                ),
            });
        }
        if quick_apps {
            notes.push(Note {
                rule: "AP-2",
                text: "Quick counts don't say whether the same people open several apps: each \
                       app's quick-count users are compared as separate people, so Power Apps \
                       Premium may be cheaper than shown for people who open several apps."
                    .to_string(),
            });
        }
        notes
    }
}

/// What one item's evaluation produces before the options are priced.
struct Evaluated {
    kind: SubjectKind,
    subject: String,
    usage: String,
    payg: Payg,
    drafts: Vec<Draft>,
    /// Index into `drafts` of the documentation's prepaid option.
    prepaid: Option<usize>,
    break_evens: Vec<BreakEven>,
}

/// An item index that is not in the environment. Candidates come from the same scenario (or
/// a scaled copy of it, same shape), so this cannot happen; it is an error, not a panic.
fn missing(env: &Environment, meter: Meter) -> PricingError {
    PricingError::Overflow {
        environment: env.name.clone(),
        meter,
    }
}

/// The index of the cheapest draft, by licence cost + residual − savings over the horizon.
fn cheapest(drafts: &[Draft], ctx: &Ctx<'_>) -> Option<usize> {
    let mut best: Option<(usize, Decimal)> = None;
    for (i, d) in drafts.iter().enumerate() {
        let Ok(a) = ctx.finish(Draft {
            choice: d.choice,
            name: String::new(),
            parts: d.parts.clone(),
            residual: d.residual,
            savings: d.savings,
            covers: String::new(),
            counts_other_coverage: false,
            caveat: None,
            minimum_purchase_cost: None,
        }) else {
            continue;
        };
        if best.is_none_or(|(_, c)| a.cost < c) {
            best = Some((i, a.cost));
        }
    }
    best.map(|(i, _)| i)
}

/// The flow with user licence `licence` for whoever decides its runs and lacks cover (PA-6).
fn with_user_licence(flow: &Flow, licence: Licence) -> Flow {
    let mut f = flow.clone();
    let mode = flow.mode;
    let upgrade = |l: Licence| {
        if l.flow_run_exemption(mode).is_none() {
            licence
        } else {
            l
        }
    };
    match Who::of(flow) {
        Who::Owner(l) => f.owner = Owner::User(upgrade(l)),
        Who::Invokers => {
            for g in &mut f.runs {
                g.licence = upgrade(g.licence);
            }
            for d in &mut f.daily_runs {
                d.licence = upgrade(d.licence);
            }
        }
        Who::ServicePrincipal => {}
    }
    f
}

/// The largest GB a storage usage reaches.
fn peak_gb(u: &StorageUsage) -> Decimal {
    let peak = match u {
        StorageUsage::Constant { gb } => *gb,
        StorageUsage::Linear { start_gb, end_gb } => (*start_gb).max(*end_gb),
        StorageUsage::Series { points } => {
            points.iter().map(|p| p.gb).max().unwrap_or(Decimal::ZERO)
        }
    };
    peak.max(Decimal::ZERO)
}

/// Labels are English words: ASCII case mapping keeps the Unicode case tables out of the wasm.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// ⌊x⌋ as a whole count (0 below zero, saturating above u64).
fn floor_u64(x: Decimal) -> u64 {
    if x <= Decimal::ZERO {
        return 0;
    }
    x.floor().to_u64().unwrap_or(u64::MAX)
}

/// The usage where `payg` and `prepaid` cost the same, if they cross at a positive usage.
/// `whole_units`: the sentence names the whole count (runs, users); else the exact figure to
/// two decimals (GB).
#[allow(clippy::too_many_arguments)]
fn break_even(
    choice: Choice,
    option: &str,
    unit: &str,
    payg: CostLine,
    prepaid: CostLine,
    current: Option<Decimal>,
    whole_units: bool,
    arithmetic: String,
) -> Option<BreakEven> {
    let slope = payg.per_unit.checked_sub(prepaid.per_unit)?;
    if slope <= Decimal::ZERO {
        return None;
    }
    let exact = prepaid
        .fixed
        .checked_sub(payg.fixed)?
        .checked_div(slope)?
        .normalize();
    if exact < Decimal::ZERO {
        return None;
    }
    let whole = floor_u64(exact);
    let shown = if whole_units {
        qty(money::count(whole))
    } else {
        qty(exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    };
    let sentence = format!("{option} wins above {shown} {unit} {arithmetic}.").replace(" .", ".");
    Some(BreakEven {
        choice,
        option: option.to_string(),
        unit: unit.to_string(),
        payg,
        prepaid,
        exact,
        whole,
        current: current.map(|c| c.normalize()),
        sentence,
    })
}

impl BreakEven {
    fn reworded(mut self, sentence: String) -> BreakEven {
        self.sentence = sentence;
        self
    }
}

/// One sentence: why the recommended option.
fn reason(
    alternatives: &[Alternative],
    recommended: usize,
    payg: &Payg,
    horizon: u32,
    kind: SubjectKind,
) -> String {
    let when = period(horizon);
    let Some(best) = alternatives.get(recommended) else {
        return String::new();
    };
    let others = alternatives
        .iter()
        .enumerate()
        .filter(|(i, a)| *i != recommended && a.choice != Choice::PayAsYouGo);
    let cheapest_other = others
        .min_by(|a, b| a.1.cost.cmp(&b.1.cost))
        .map(|(_, a)| a);
    if best.choice == Choice::PayAsYouGo {
        let not_billed = kind == SubjectKind::Requests && !payg.reported.is_zero();
        match cheapest_other {
            None if not_billed => format!(
                "The requests meter is reported, not billed (PR-1, AMB-20), and no add-on can \
                 be used here, so pay-as-you-go costs {} {when} (reported {}).",
                usd(best.cost),
                usd(payg.reported)
            ),
            None => format!(
                "No prepaid option can replace these meters here, so pay-as-you-go it is: {} \
                 {when}.",
                usd(best.cost)
            ),
            Some(other) if not_billed => format!(
                "The requests meter is reported, not billed (PR-1, AMB-20), so pay-as-you-go \
                 costs {} {when} (reported {}), less than {} at {}.",
                usd(best.cost),
                usd(payg.reported),
                other.name,
                usd(other.cost)
            ),
            Some(other) if other.cost == best.cost => format!(
                "Pay-as-you-go costs {} {when}, the same as {}, without a commitment.",
                usd(best.cost),
                other.name
            ),
            Some(other) => format!(
                "Pay-as-you-go costs {} {when}, {} less than the cheapest prepaid option ({} \
                 at {}).",
                usd(best.cost),
                usd(other.cost.saturating_sub(best.cost)),
                other.name,
                usd(other.cost)
            ),
        }
    } else {
        let saved = payg.billed.saturating_sub(best.cost);
        let mut s = format!(
            "{} costs {} {when}, {} less than pay-as-you-go at {}",
            best.name,
            usd(best.cost),
            usd(saved),
            usd(payg.billed)
        );
        if let Some(min) = best.minimum_purchase_cost
            && min > payg.billed
        {
            let _ = write!(
                s,
                ", but only if the 5-licence minimum is already met ({} otherwise, INC-3)",
                usd(min)
            );
        }
        s.push('.');
        s
    }
}

// ---- projection ------------------------------------------------------------------------------

/// How usage moves from month to month in a [`Projection`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Growth {
    /// Every month like the scenario's.
    #[default]
    Flat,
    /// Usage grows by this percentage each month (month n is × (1 + p/100)ⁿ⁻¹; negative
    /// shrinks, never below zero).
    MonthlyPercent(Decimal),
    /// Multipliers for January … December (calendar months), applied to the scenario's usage.
    Seasonal([Decimal; 12]),
}

impl Growth {
    /// Parses `flat`, `5%` / `-2.5%`, or twelve comma-separated multipliers (January first).
    ///
    /// ```
    /// use power_payg::engine::advisor::Growth;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Growth::parse("flat"), Ok(Growth::Flat));
    /// assert_eq!(Growth::parse("5%"), Ok(Growth::MonthlyPercent(Decimal::from(5))));
    /// assert!(Growth::parse("1,2").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Growth, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("flat") {
            return Ok(Growth::Flat);
        }
        let number = |s: &str| {
            let s = s.trim();
            let s = s.strip_prefix('+').unwrap_or(s);
            Decimal::from_str_exact(s).map_err(|_| format!("`{s}` is not a number"))
        };
        if let Some(p) = t.strip_suffix('%') {
            return number(p).map(Growth::MonthlyPercent);
        }
        if t.contains(',') {
            let values: Vec<Decimal> = t.split(',').map(number).collect::<Result<_, _>>()?;
            if values.iter().any(|v| v.is_sign_negative() && !v.is_zero()) {
                return Err("seasonal multipliers can't be negative".to_string());
            }
            return <[Decimal; 12]>::try_from(values)
                .map(Growth::Seasonal)
                .map_err(|v| {
                    format!(
                        "a seasonal profile has 12 multipliers (January to December), got {}",
                        v.len()
                    )
                });
        }
        Err(format!(
            "growth is `flat`, a percentage a month like `5%`, or 12 multipliers like \
             `1,1,1,1,1,1,0.5,0.5,1,1,1,2`; got `{t}`"
        ))
    }

    /// Whether every month is like the scenario's.
    pub fn is_flat(&self) -> bool {
        *self == Growth::Flat
    }

    /// The multiplier of the `n`-th projected month (0 = the scenario's month), which is
    /// calendar month `month`.
    fn factor(&self, n: u32, month: BillingMonth) -> Result<Decimal, Overflow> {
        let f = match self {
            Growth::Flat => Decimal::ONE,
            Growth::MonthlyPercent(p) => {
                let step = money::add(Decimal::ONE, money::div(*p, Decimal::ONE_HUNDRED)?)?;
                let step = step.max(Decimal::ZERO);
                let mut f = Decimal::ONE;
                for _ in 0..n {
                    f = money::mul(f, step)?;
                    // Keep the scale bounded: 12 decimals are far below a counted unit.
                    f = f.round_dp_with_strategy(12, RoundingStrategy::MidpointAwayFromZero);
                }
                f
            }
            Growth::Seasonal(m) => m
                .get(usize::from(month.month.clamp(1, 12)) - 1)
                .copied()
                .unwrap_or(Decimal::ONE),
        };
        Ok(f.max(Decimal::ZERO))
    }
}

/// The text [`Growth::parse`] reads back: `flat`, `5%`, or twelve multipliers.
impl std::fmt::Display for Growth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Growth::Flat => f.write_str("flat"),
            Growth::MonthlyPercent(p) => write!(f, "{}%", p.normalize()),
            Growth::Seasonal(m) => {
                for (i, x) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}", x.normalize())?;
                }
                Ok(())
            }
        }
    }
}

/// One projected month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedMonth {
    pub month: BillingMonth,
    /// The real number of days, which the engine prices with (DV-7, PA-14).
    pub days: u32,
    /// The usage multiplier.
    pub factor: Decimal,
    /// The engine's total billed to the customer for the month (every meter).
    pub payg: Decimal,
    /// The same month with the recommended mix: the advised items' chosen options instead of
    /// their pay-as-you-go, everything else on pay-as-you-go.
    pub recommended: Decimal,
}

/// Twelve projected months (or fewer, at the end).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedYear {
    /// 1 for months 1–12 of the projection, 2 for months 13–24 …
    pub year: u32,
    pub first: BillingMonth,
    pub last: BillingMonth,
    pub payg: Decimal,
    pub recommended: Decimal,
}

/// The option held by one item for the whole projection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedChoice {
    pub kind: SubjectKind,
    pub environment_name: String,
    pub subject: String,
    pub choice: Choice,
    /// The option's name in the first month.
    pub option: String,
    /// Its cost summed over the projection.
    pub cost: Decimal,
    /// Pay-as-you-go of the item summed over the projection.
    pub payg: Decimal,
}

/// Month-by-month prices under a growth profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Projection {
    pub growth: Growth,
    pub months: Vec<ProjectedMonth>,
    pub years: Vec<ProjectedYear>,
    /// One option per item, chosen for the whole projection (licences are bought for months,
    /// as the documentation's Flow 5 keeps its licence through two months without runs).
    pub choices: Vec<ProjectedChoice>,
    pub total_payg: Decimal,
    pub total_recommended: Decimal,
}

/// Projects a scenario over `months` months with [`AdvisorInputs::for_scenario`] (its
/// horizon does not apply: every projected month is one month).
pub fn project(
    scenario: &Scenario,
    growth: Growth,
    months: u32,
) -> Result<Projection, PricingError> {
    project_with(
        scenario,
        &AdvisorInputs::for_scenario(scenario),
        growth,
        months,
    )
}

/// Projects a scenario: month n is the scenario with its usage × the growth factor, priced in
/// its own calendar month (`BillingMonth::next`), so February has fewer Dataverse snapshots
/// than March.
pub fn project_with(
    scenario: &Scenario,
    inputs: &AdvisorInputs,
    growth: Growth,
    months: u32,
) -> Result<Projection, PricingError> {
    let inputs = AdvisorInputs {
        horizon_months: 1,
        flows: inputs.flows.clone(),
        ..AdvisorInputs::default()
    };
    let book = scenario.price_book.book();
    let (candidates, _) = candidates(scenario, &book.rules);
    let total_err = |_| PricingError::Overflow {
        environment: "all environments".to_string(),
        meter: Meter::FlowRuns,
    };

    // Per month: the engine's total, the items' pay-as-you-go, each item's options.
    struct Month {
        month: BillingMonth,
        factor: Decimal,
        payg: Decimal,
        items_payg: Decimal,
        options: Vec<Vec<(Choice, Decimal)>>,
    }
    let mut rows: Vec<Month> = Vec::new();
    let mut first: Vec<Option<Recommendation>> = vec![None; candidates.len()];
    let mut month = scenario.month;
    for n in 0..months {
        let factor = growth.factor(n, month).map_err(total_err)?;
        let mut s = scale_usage(scenario, factor)?;
        s.month = month;
        let payg = price(&s)?.total_billed;
        let ctx = Ctx::new(&s, &inputs);
        let mut items_payg = Decimal::ZERO;
        let mut options = Vec::with_capacity(candidates.len());
        for (i, c) in candidates.iter().enumerate() {
            let r = ctx.evaluate(c)?;
            items_payg = money::add(items_payg, r.payg).map_err(total_err)?;
            options.push(r.alternatives.iter().map(|a| (a.choice, a.cost)).collect());
            if let Some(slot) = first.get_mut(i)
                && slot.is_none()
            {
                *slot = Some(r);
            }
        }
        rows.push(Month {
            month,
            factor,
            payg,
            items_payg,
            options,
        });
        month = month.next();
    }

    // One option per item for the whole projection: the cheapest total among the options
    // priced in every month (pay-as-you-go first, so it wins ties).
    let mut chosen: Vec<Choice> = Vec::with_capacity(candidates.len());
    let mut choices = Vec::new();
    for (i, rec) in first.iter().enumerate() {
        let mut totals: Vec<(Choice, Decimal, usize)> = Vec::new();
        for row in &rows {
            let Some(opts) = row.options.get(i) else {
                continue;
            };
            for &(choice, cost) in opts {
                match totals.iter_mut().find(|t| t.0 == choice) {
                    Some(t) => {
                        t.1 = money::add(t.1, cost).map_err(total_err)?;
                        t.2 += 1;
                    }
                    None => totals.push((choice, cost, 1)),
                }
            }
        }
        let mut best: Option<(Choice, Decimal)> = None;
        let mut payg_total = Decimal::ZERO;
        for &(choice, total, seen) in &totals {
            if choice == Choice::PayAsYouGo {
                payg_total = total;
            }
            if seen == rows.len() && best.is_none_or(|(_, b)| total < b) {
                best = Some((choice, total));
            }
        }
        let (choice, cost) = best.unwrap_or((Choice::PayAsYouGo, payg_total));
        chosen.push(choice);
        if let Some(r) = rec
            && !(payg_total.is_zero() && choice == Choice::PayAsYouGo)
        {
            choices.push(ProjectedChoice {
                kind: r.kind,
                environment_name: r.environment_name.clone(),
                subject: r.subject.clone(),
                choice,
                option: r
                    .alternative(choice)
                    .map_or_else(|| choice.label().to_string(), |a| a.name.clone()),
                cost: cents(cost),
                payg: cents(payg_total),
            });
        }
    }

    let mut out_months = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut recommended = money::sub(row.payg, row.items_payg).map_err(total_err)?;
        for (opts, choice) in row.options.iter().zip(&chosen) {
            let cost = opts
                .iter()
                .find(|(c, _)| c == choice)
                .map_or(Decimal::ZERO, |(_, c)| *c);
            recommended = money::add(recommended, cost).map_err(total_err)?;
        }
        out_months.push(ProjectedMonth {
            month: row.month,
            days: row.month.days(),
            factor: row.factor.normalize(),
            payg: cents(row.payg),
            recommended: cents(recommended),
        });
    }
    let mut years = Vec::new();
    for (y, chunk) in out_months.chunks(12).enumerate() {
        let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
            continue;
        };
        let sum = |f: fn(&ProjectedMonth) -> Decimal| {
            chunk
                .iter()
                .try_fold(Decimal::ZERO, |acc, m| money::add(acc, f(m)))
        };
        years.push(ProjectedYear {
            year: u32::try_from(y + 1).unwrap_or(u32::MAX),
            first: first.month,
            last: last.month,
            payg: cents(sum(|m| m.payg).map_err(total_err)?),
            recommended: cents(sum(|m| m.recommended).map_err(total_err)?),
        });
    }
    let total = |f: fn(&ProjectedMonth) -> Decimal| {
        out_months
            .iter()
            .try_fold(Decimal::ZERO, |acc, m| money::add(acc, f(m)))
            .map_err(total_err)
    };
    Ok(Projection {
        growth,
        total_payg: cents(total(|m| m.payg)?),
        total_recommended: cents(total(|m| m.recommended)?),
        months: out_months,
        years,
        choices,
    })
}

/// The scenario with every usage count × `factor`, rounded half away from zero; storage GB
/// × `factor` exactly. People who hold licences (named users, request consumers' members,
/// ISV makers) and prices stay as they are; app and website user counts are usage and scale.
pub fn scale_usage(scenario: &Scenario, factor: Decimal) -> Result<Scenario, PricingError> {
    let mut s = scenario.clone();
    if factor == Decimal::ONE {
        return Ok(s);
    }
    let n = |v: u64| -> Result<u64, Overflow> {
        money::mul(money::count(v), factor)?
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_u64()
            .ok_or(Overflow)
    };
    let gb = |v: Decimal| money::mul(v, factor);
    for env in &mut s.environments {
        let name = env.name.clone();
        let err = |meter: Meter| {
            let name = name.clone();
            move |Overflow| PricingError::Overflow {
                environment: name.clone(),
                meter,
            }
        };
        for app in &mut env.apps {
            for g in &mut app.user_groups {
                g.users = n(g.users).map_err(err(Meter::PowerApps))?;
            }
        }
        for flow in &mut env.flows {
            let e = err(Meter::FlowRuns);
            for g in &mut flow.runs {
                g.runs = n(g.runs).map_err(&e)?;
            }
            for d in &mut flow.daily_runs {
                d.runs = n(d.runs).map_err(&e)?;
            }
            flow.test_runs = n(flow.test_runs).map_err(&e)?;
            flow.resubmitted_runs = n(flow.resubmitted_runs).map_err(&e)?;
            if let Some(b) = flow.busiest_day_runs {
                flow.busiest_day_runs = Some(n(b).map_err(&e)?);
            }
        }
        for w in &mut env.websites {
            let e = err(Meter::PowerPages);
            for g in &mut w.authenticated {
                g.users = n(g.users).map_err(&e)?;
            }
            w.anonymous_visitors = n(w.anonymous_visitors).map_err(&e)?;
            let x = &mut w.anonymous_exclusions;
            for v in [
                &mut x.auth_pages_only,
                &mut x.underscore_paths_only,
                &mut x.error_or_redirect_only,
                &mut x.static_only,
                &mut x.bots,
                &mut x.monitors,
                &mut x.logged_in_same_day,
            ] {
                *v = n(*v).map_err(&e)?;
            }
        }
        {
            let e = err(Meter::Dataverse);
            for usage in [
                &mut env.storage.database,
                &mut env.storage.file,
                &mut env.storage.log,
            ] {
                match usage {
                    StorageUsage::Constant { gb: v } => *v = gb(*v).map_err(&e)?,
                    StorageUsage::Linear { start_gb, end_gb } => {
                        *start_gb = gb(*start_gb).map_err(&e)?;
                        *end_gb = gb(*end_gb).map_err(&e)?;
                    }
                    StorageUsage::Series { points } => {
                        for p in points {
                            p.gb = gb(p.gb).map_err(&e)?;
                        }
                    }
                }
            }
        }
        for r in &mut env.requests {
            let e = err(Meter::Requests);
            r.requests_per_day = n(r.requests_per_day).map_err(&e)?;
            for d in &mut r.daily_requests {
                d.requests = n(d.requests).map_err(&e)?;
            }
        }
        let c = &mut env.copilot_studio;
        let e = err(Meter::CopilotStudio);
        for v in [
            &mut c.messages,
            &mut c.classic_answers,
            &mut c.generative_answers,
            &mut c.agent_actions,
            &mut c.graph_grounding,
            &mut c.m365_licensed_messages,
        ] {
            *v = n(*v).map_err(&e)?;
        }
    }
    for customer in &mut s.isv_customers {
        customer.runs_per_maker =
            n(customer.runs_per_maker).map_err(|Overflow| PricingError::Overflow {
                environment: "ISV customers".to_string(),
                meter: Meter::Embed,
            })?;
    }
    Ok(s)
}

// ---- text report -----------------------------------------------------------------------------

/// A readable report of the advice (and the projection, if given), as `power-payg advise`
/// prints it.
pub fn to_text(advice: &Advice, projection: Option<&Projection>) -> String {
    let mut out = String::new();
    let h = advice.inputs.horizon();
    let _ = writeln!(
        out,
        "Prepaid or pay-as-you-go, from {} ({} book), {}",
        advice.month,
        advice.price_book.key(),
        if h == 1 {
            "for one month".to_string()
        } else {
            format!("over {h} months")
        }
    );
    if advice.recommendations.is_empty() {
        let _ = writeln!(
            out,
            "\nNothing to advise on: no pay-as-you-go meter bills this scenario."
        );
    }
    for r in &advice.recommendations {
        let _ = writeln!(
            out,
            "\n{} · {} ({})",
            r.environment_name,
            r.subject,
            match r.kind {
                SubjectKind::Flow => "flow",
                SubjectKind::Apps => "apps",
                SubjectKind::Dataverse => "Dataverse",
                SubjectKind::Requests => "requests",
            }
        );
        let _ = writeln!(out, "  {}", r.usage);
        let width = r
            .alternatives
            .iter()
            .map(|a| a.name.chars().count())
            .max()
            .unwrap_or(0);
        for (i, a) in r.alternatives.iter().enumerate() {
            let mark = if i == r.recommended {
                "  ← recommended"
            } else {
                ""
            };
            let pad = width.saturating_sub(a.name.chars().count());
            let _ = writeln!(
                out,
                "  {}{} {:>12}   {}{mark}",
                a.name,
                " ".repeat(pad),
                usd(a.cost),
                a.arithmetic
            );
        }
        let _ = writeln!(out, "  Why: {}", r.reason);
        for be in &r.break_evens {
            let _ = writeln!(out, "  Break-even: {}", be.sentence);
        }
        for a in &r.alternatives {
            if a.choice != Choice::PayAsYouGo {
                let _ = writeln!(out, "  · {}", a.covers);
            }
            if let Some(c) = &a.caveat {
                let _ = writeln!(out, "  Caveat ({}): {c}", a.choice.label());
            }
        }
    }
    let _ = writeln!(
        out,
        "\nTotal {}: pay-as-you-go {}, recommended mix {}.",
        period(h),
        usd(advice.total_payg),
        usd(advice.total_recommended)
    );
    if let Some(p) = projection {
        let growth = match &p.growth {
            Growth::Flat => "flat usage".to_string(),
            Growth::MonthlyPercent(x) => format!(
                "usage {}{}% a month",
                if x.is_sign_negative() { "" } else { "+" },
                qty(*x)
            ),
            Growth::Seasonal(_) => "a seasonal profile".to_string(),
        };
        let _ = writeln!(
            out,
            "\nProjection, {} months, {growth} (each month priced alone, with its real length):",
            p.months.len()
        );
        let _ = writeln!(
            out,
            "  {:<8} {:>4} {:>8} {:>14} {:>14}",
            "month", "days", "usage", "pay-as-you-go", "recommended"
        );
        for m in &p.months {
            let _ = writeln!(
                out,
                "  {:<8} {:>4} {:>8} {:>14} {:>14}",
                m.month.to_string(),
                m.days,
                format!(
                    "× {}",
                    qty(m
                        .factor
                        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero))
                ),
                usd(m.payg),
                usd(m.recommended)
            );
        }
        for y in &p.years {
            let _ = writeln!(
                out,
                "  Year {} ({} to {}): pay-as-you-go {}, recommended mix {}.",
                y.year,
                y.first,
                y.last,
                usd(y.payg),
                usd(y.recommended)
            );
        }
        for c in &p.choices {
            let _ = writeln!(
                out,
                "  {} · {}: {} ({} against {} pay-as-you-go).",
                c.environment_name,
                c.subject,
                c.option,
                usd(c.cost),
                usd(c.payg)
            );
        }
    }
    if !advice.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for n in &advice.notes {
            let _ = writeln!(out, "  {}: {}", n.rule, n.text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn env_with(flow: Flow) -> Scenario {
        let mut s = Scenario::new_empty();
        s.month = BillingMonth {
            year: 2026,
            month: 11,
        };
        if let Some(env) = s.environments.first_mut() {
            env.flows = vec![flow];
        }
        s
    }

    fn cloud(name: &str, trigger: Trigger, owner: Owner, runs: u64) -> Flow {
        Flow {
            name: name.into(),
            trigger,
            mode: RunMode::Cloud,
            connectors: FlowConnectors::Premium,
            flow_licence: FlowLicence::None,
            owner,
            linked_to_app: false,
            d365_context: false,
            child_flow: false,
            runs: vec![RunGroup {
                runs,
                licence: Licence::None,
            }],
            daily_runs: Vec::new(),
            test_runs: 0,
            resubmitted_runs: 0,
            busiest_day_runs: None,
        }
    }

    #[test]
    fn pa6_owner_licence_is_the_one_priced_for_automated_flows() {
        let s = env_with(cloud(
            "F",
            Trigger::Automated,
            Owner::User(Licence::None),
            100,
        ));
        let a = advise(&s).unwrap();
        let r = &a.recommendations[0];
        let per_user = r.alternative(Choice::PowerAutomatePerUser).unwrap();
        assert_eq!(per_user.cost, dec!(15));
        assert_eq!(per_user.residual_payg, dec!(0));
        assert_eq!(r.payg, dec!(60));
        assert_eq!(
            r.recommended_alternative().unwrap().choice,
            Choice::PowerAutomatePerUser
        );
    }

    #[test]
    fn pa8_service_principal_flows_get_no_user_licence() {
        let s = env_with(cloud("F", Trigger::Scheduled, Owner::ServicePrincipal, 100));
        let r = &advise(&s).unwrap().recommendations[0];
        assert!(r.alternative(Choice::PowerAutomatePerUser).is_none());
        assert_eq!(r.prepaid_alternative().unwrap().choice, Choice::PerFlow);
    }

    #[test]
    fn pa7_per_user_is_not_offered_for_attended_runs() {
        let mut f = cloud("F", Trigger::Instant, Owner::User(Licence::None), 100);
        f.mode = RunMode::Attended;
        let r = &advise(&env_with(f)).unwrap().recommendations[0];
        assert!(r.alternative(Choice::PowerAutomatePerUser).is_none());
        assert!(r.alternative(Choice::PowerAutomatePerUserRpa).is_some());
        assert!(r.alternative(Choice::PerFlow).is_none());
    }

    #[test]
    fn inc3_per_flow_carries_its_minimum_purchase() {
        let s = env_with(cloud("F", Trigger::Scheduled, Owner::ServicePrincipal, 100));
        let a = advise(&s).unwrap();
        let per_flow = a.recommendations[0].alternative(Choice::PerFlow).unwrap();
        assert_eq!(per_flow.cost, dec!(100));
        assert_eq!(per_flow.minimum_purchase_cost, Some(dec!(500)));
        assert!(a.notes.iter().any(|n| n.rule == "INC-3"));
    }

    #[test]
    fn g8_add_ons_are_not_offered_in_payg_under_the_seed_book() {
        let mut s = Scenario::new_empty();
        s.environments[0].storage.database = StorageUsage::Constant { gb: dec!(3) };
        let a = advise(&s).unwrap();
        assert_eq!(a.recommendations[0].alternatives.len(), 1);
        s.price_book = PriceBookId::Newest2025;
        let a = advise(&s).unwrap();
        let addon = a.recommendations[0]
            .alternative(Choice::CapacityAddon)
            .unwrap();
        // 3 GB used with nothing allocated: an allocation of 3 GB replaces the free GB
        // (AMB-10), so 3 GB are needed.
        assert_eq!(addon.parts[0].quantity, dec!(3));
        assert_eq!(addon.residual_payg, dec!(0));
    }

    #[test]
    fn growth_parses_and_scales() {
        assert_eq!(
            Growth::parse("-2.5%"),
            Ok(Growth::MonthlyPercent(dec!(-2.5)))
        );
        let g = Growth::parse("1,1,1,1,1,1,1,1,1,1,0.5,2").unwrap();
        let nov = BillingMonth {
            year: 2026,
            month: 11,
        };
        assert_eq!(g.factor(0, nov), Ok(dec!(0.5)));
        assert_eq!(
            Growth::MonthlyPercent(dec!(10)).factor(2, nov),
            Ok(dec!(1.21))
        );
        assert_eq!(
            Growth::MonthlyPercent(dec!(-200)).factor(1, nov),
            Ok(Decimal::ZERO)
        );
        let s = env_with(cloud(
            "F",
            Trigger::Automated,
            Owner::User(Licence::None),
            5,
        ));
        let scaled = scale_usage(&s, dec!(0.5)).unwrap();
        // 2.5 rounds half away from zero.
        assert_eq!(scaled.environments[0].flows[0].runs[0].runs, 3);
    }
}
