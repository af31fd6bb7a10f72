//! What the advisor answers: options, break-even points and recommendations, per item.

use super::*;

use rust_decimal::Decimal;
use serde::Serialize;

use super::super::breakdown::Note;
use super::super::money::{self, Overflow};
use super::super::price_book::{PriceBookId, PriceKey};
use super::super::scenario::*;

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
    /// The Copilot Credits of one environment's agents (CC-1..5).
    Credits,
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
    /// Copilot Studio capacity packs (25,000 credits a month each), pay-as-you-go above.
    CopilotPacks,
    /// Copilot Credit pre-purchase plan units (1 CU = $1 = 100 credits, 2025-11 book on).
    PrepurchasePlan,
    /// Capacity packs for the full 25,000s, pre-purchase units for the rest.
    PacksAndPrepurchase,
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
            Choice::CopilotPacks => "Copilot Studio capacity packs",
            Choice::PrepurchasePlan => "Copilot Credit pre-purchase plan",
            Choice::PacksAndPrepurchase => "Capacity packs + pre-purchase units",
        }
    }
}

/// One priced licence of an option: quantity × monthly unit price.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicencePart {
    /// The licence bought.
    pub price_key: PriceKey,
    /// How many, each month.
    pub quantity: Decimal,
    /// The monthly price (the scenario's override if it has one).
    pub unit_price: Decimal,
    /// Whether `unit_price` is the scenario's negotiated price, not the book's.
    pub price_overridden: bool,
}

/// One option, priced over the horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternative {
    /// Which option this is.
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
    /// The cost at zero usage (a licence's price).
    pub fixed: Decimal,
    /// What each unit of usage adds (a meter's rate).
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
    /// The prepaid option compared with pay-as-you-go.
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
    /// What kind of item this is.
    pub kind: SubjectKind,
    /// Index of the environment in the scenario.
    pub environment: usize,
    /// The environment's name, for people.
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
    /// Where the prepaid options and pay-as-you-go cost the same, in the user's terms.
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
    /// The book the advice was priced with.
    pub price_book: PriceBookId,
    /// The scenario's month (the first of the horizon).
    pub month: BillingMonth,
    /// The inputs the advice was read with.
    pub inputs: AdvisorInputs,
    /// One per item that costs something on pay-as-you-go.
    pub recommendations: Vec<Recommendation>,
    /// Σ pay-as-you-go of the recommendations.
    pub total_payg: Decimal,
    /// Σ recommended option of the recommendations.
    pub total_recommended: Decimal,
    /// Assumptions, skipped environments and documentation discrepancies (INC-3, G-8 …).
    pub notes: Vec<Note>,
}
