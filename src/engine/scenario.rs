//! The scenario: everything a user tells us about a Power Platform tenant for one month.
//!
//! Two levels of detail live in one model and can be mixed freely: quick counts ("120
//! unlicensed users open App A") and detailed records (named users, runs per day by invoker,
//! storage series, daily request counts). Every collection is a plain `Vec` so the order of
//! records never matters to the price (a property the tests check).
//!
//! These types are produced by [`crate::engine::decode`] (which validates and lists every
//! problem by field path) and serialised with serde for files and links; the JSON shape is
//! documented in `docs/scenario-format.md`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::advisor_inputs::AdvisorInputs;
pub use super::billing_month::BillingMonth;
pub use super::licence::{ConnectorClass, RunMode};
use super::licence::{FlowLicence, Licence};
use super::price_book::{PriceBookId, PriceKey};

// Serialisation leaves out values equal to their default, which keeps share links short; the
// decoder reads a missing field as its default, so nothing is lost.
fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// The version of the scenario format written by this build.
pub const SCENARIO_FORMAT_VERSION: u32 = 1;

/// A whole pricing question: one billing month, one price book, any number of environments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Scenario format version (see `docs/scenario-format.md`).
    pub version: u32,
    /// A name for people; never used in pricing.
    pub name: String,
    /// Which dated price book supplies the list prices and the rule variant (seed or 2025).
    pub price_book: PriceBookId,
    /// Negotiated prices that replace the book's list price for one key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub price_overrides: BTreeMap<PriceKey, Decimal>,
    /// The calendar month being priced; its length drives Dataverse snapshots (AMB-11) and
    /// how quick-count flow runs spread over days (PA-14).
    pub month: BillingMonth,
    /// Choices for the ambiguities the documentation leaves open (spec section 8).
    #[serde(default, skip_serializing_if = "is_default")]
    pub options: RuleOptions,
    /// The environments of the tenant; only pay-as-you-go ones are billed by Azure meters.
    pub environments: Vec<Environment>,
    /// Customers of an ISV in the Power Automate embed program (EM-1..5), for the ISV's view.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub isv_customers: Vec<IsvCustomer>,
    /// What the advisor needs besides the usage (issue 6): the months the flow runs were
    /// counted over, and people and bots per flow. Never used in pricing; kept here so that
    /// they travel with the scenario (files, links, autosave).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisor: Option<AdvisorInputs>,
}

/// Decisions on the documentation's ambiguities. Defaults are the spec's [REC] choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleOptions {
    /// PA-14/AMB-8: apply the preview cap of billed runs per flow per day.
    pub flow_daily_cap: bool,
    /// AMB-6: whether a Process (or per-flow) licence also exempts unattended desktop runs.
    /// Default false: PAYG ignores unattended capacity (PA-7), so those runs are charged.
    pub process_licence_covers_unattended: bool,
    /// PR-1/AMB-20: bill the Power Platform requests meter. `None` follows the price book
    /// (not billed in every known version of the documentation).
    pub requests_billing_active: Option<bool>,
    /// PR-5/AMB-16: how several licences of one user add up for the requests entitlement.
    pub request_stacking: RequestStacking,
    /// AMB-9: whether the per-app meter's 6,000 requests/day are per user per app or per user.
    pub per_app_entitlement_per_app: bool,
    /// AMB-11: simulate the snapshots of the book, or bill the average overage × monthly rate.
    pub dataverse_measurement: DataverseMeasurement,
    /// AMB-10: how an allocated capacity combines with the free 1 GB (2025-02 book only).
    pub dataverse_allocation: AllocationMode,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            flow_daily_cap: true,
            process_licence_covers_unattended: false,
            requests_billing_active: None,
            request_stacking: RequestStacking::Sum,
            per_app_entitlement_per_app: true,
            dataverse_measurement: DataverseMeasurement::Snapshots,
            dataverse_allocation: AllocationMode::Replace,
        }
    }
}

crate::keyed_enum! {
    /// PR-5 stacking semantics (AMB-16).
    pub enum RequestStacking {
        /// Official limits: paid licences of one user add up.
        Sum = "sum", "Add up (official)",
        /// Transition period (and S13 for flows): only the highest licence counts.
        Highest = "highest", "Highest only (transition)",
    }
}

crate::keyed_enum! {
    /// AMB-11 measurement modes.
    pub enum DataverseMeasurement {
        /// Snapshots as the price book says (3 a day at 1/90, or 1 a day at 1/30).
        Snapshots = "snapshots", "Snapshots (as billed)",
        /// Average overage GB × monthly rate: reproduces the documentation's table in any month.
        MonthlyAverage = "monthly_average", "Monthly average",
    }
}

crate::keyed_enum! {
    /// AMB-10 allocation modes.
    pub enum AllocationMode {
        /// The allocation replaces the free 1 GB when it is above zero (the spec's REC).
        Replace = "replace", "Allocation replaces 1 GB",
        /// The larger of 1 GB and the allocation.
        Max = "max", "Larger of the two",
        /// 1 GB plus the allocation.
        Add = "add", "1 GB plus allocation",
    }
}

/// One Power Platform environment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// The environment's name, as in the admin center; unique in a scenario.
    pub name: String,
    /// G-1: linked to an Azure subscription through a billing policy. When false, nothing in
    /// this environment is billed by the Azure meters (ISV embed billing still applies, EM-5).
    pub payg: bool,
    /// G-2: which meters the billing plan turns on (all on by default).
    #[serde(default, skip_serializing_if = "is_default")]
    pub meters: MeterSwitches,
    /// Named users with their licences, for detailed records (app opens by user id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<NamedUser>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Canvas and model-driven apps (AP-1..12).
    pub apps: Vec<App>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Cloud and desktop flows (PA-1..17).
    pub flows: Vec<Flow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Power Pages websites (PP-1..8).
    pub websites: Vec<Website>,
    #[serde(default, skip_serializing_if = "is_default")]
    /// Dataverse storage in use and allocated (DV-1..8).
    pub storage: Storage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Users, flows and pools with a daily requests entitlement (PR-1..12).
    pub requests: Vec<RequestConsumer>,
    #[serde(default, skip_serializing_if = "is_default")]
    /// Copilot Studio billed messages and events (CS-1..4, CC-9).
    pub copilot_studio: CopilotStudio,
    /// Copilot Credits per agent, with prepaid capacity (CC-1..8).
    #[serde(default, skip_serializing_if = "is_default")]
    pub copilot_credits: CopilotCredits,
}

/// G-2 meter selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeterSwitches {
    /// Power Apps per app meter (`AppPass`).
    pub power_apps: bool,
    /// Flow runs meters (`CloudFlowRuns`, `PAAttendedRPA`, `PAUnattendedRPA`).
    pub flow_runs: bool,
    /// Power Pages meters (`PowerPagesAuthenticated`, `PowerPagesAnonymous`).
    pub power_pages: bool,
    /// Dataverse meters (`Database`, `File`, `Log`).
    pub dataverse: bool,
    /// Power Platform requests meter.
    pub requests: bool,
    /// Copilot Studio meter (`MCSMessages`).
    pub copilot_studio: bool,
    /// Windows 365 for Agents (`W365APAYGO`, 2026-09 book). Written only when off, so files
    /// and links from before it are unchanged.
    #[serde(default = "on", skip_serializing_if = "is_on")]
    pub windows365_agents: bool,
}

fn on() -> bool {
    true
}

fn is_on(b: &bool) -> bool {
    *b
}

impl Default for MeterSwitches {
    fn default() -> Self {
        MeterSwitches {
            power_apps: true,
            flow_runs: true,
            power_pages: true,
            dataverse: true,
            requests: true,
            copilot_studio: true,
            windows365_agents: true,
        }
    }
}

/// A user known by id, so that detailed records can be counted distinctly (AP-2, AMB-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedUser {
    /// The user's id, as detailed records refer to it.
    pub id: String,
    /// The user's licence (AP-5..8, PA-7, PP-3).
    pub licence: Licence,
}

/// A canvas or model-driven app (AP-1..12).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct App {
    /// The app's name, unique in its environment.
    pub name: String,
    /// Standard or premium connectors (AP-7, AMB-4).
    pub connectors: ConnectorClass,
    /// AP-10: the app is opted out of pay-as-you-go; it is never metered.
    #[serde(default, skip_serializing_if = "is_default")]
    pub opted_out: bool,
    /// Quick counts: this many distinct users with this licence opened the app this month.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_groups: Vec<UserGroup>,
    /// Detailed records: ids of users (from `Environment::users`) who opened the app. Repeat
    /// ids count once (AP-2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opened_by: Vec<String>,
}

/// A count of distinct users who share one licence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserGroup {
    /// How many distinct users.
    pub users: u64,
    /// The licence they all hold.
    pub licence: Licence,
}

crate::keyed_enum! {
    /// What starts a flow (PA-6 decides whose licence applies from this).
    pub enum Trigger {
        /// Started by an event: the owner's licence applies (PA-6).
        Automated = "automated", "Automated",
        /// Started on a schedule: the owner's licence applies (PA-6).
        Scheduled = "scheduled", "Scheduled",
        /// Button, hybrid and other manual triggers.
        Instant = "instant", "Instant (button, manual)",
        /// Triggered directly from a Power App (PA-9).
        PowerApps = "power_apps", "Triggered from a Power App",
    }
}

impl Trigger {
    /// PA-6: the owner's licence applies to automated and scheduled flows, the invoking
    /// user's to instant and Power Apps-triggered ones.
    pub fn uses_owner_licence(self) -> bool {
        matches!(self, Trigger::Automated | Trigger::Scheduled)
    }
}

crate::keyed_enum! {
    /// Which premium capability a flow uses (AMB-4, EM-5).
    pub enum FlowConnectors {
        /// Only standard connectors: excluded from the meters (PA-2).
        Standard = "standard", "Standard only",
        /// Premium or custom connectors, a gateway, or Dataverse (AMB-4).
        Premium = "premium", "Premium",
        /// Premium only because of connectors of an ISV in the embed program (EM-5).
        IsvOnly = "isv_only",
            "Premium only through an ISV's connector (embed program, EM-5)",
    }
}

/// Who owns a flow (PA-6, PA-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "licence")]
pub enum Owner {
    /// A user with this licence (PA-6).
    User(Licence),
    /// A service principal: charged unless the flow has a flow licence (PA-8).
    ServicePrincipal,
}

crate::keyed_enum! {
    /// The `kind` of an [`Owner`] (serde writes it from the variant name; a test keeps the
    /// two equal).
    pub enum OwnerKind {
        /// [`Owner::User`].
        User = "user", "A user",
        /// [`Owner::ServicePrincipal`].
        ServicePrincipal = "service_principal", "A service principal",
    }
}

impl Owner {
    /// The `kind` key this owner is written with.
    pub fn kind(self) -> OwnerKind {
        match self {
            Owner::User(_) => OwnerKind::User,
            Owner::ServicePrincipal => OwnerKind::ServicePrincipal,
        }
    }
}

/// A cloud or desktop flow (PA-1..17).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// The flow's name, unique in its environment.
    pub name: String,
    /// What starts it (PA-6).
    pub trigger: Trigger,
    /// Cloud, or desktop attended, unattended or hosted (PA-3).
    pub mode: RunMode,
    /// Standard, premium, or premium only through an ISV's connectors (PA-2, EM-5).
    pub connectors: FlowConnectors,
    /// A per-flow or Process licence assigned to the flow itself (PA-7, AMB-6).
    #[serde(
        default = "FlowLicence::none",
        skip_serializing_if = "FlowLicence::is_none"
    )]
    pub flow_licence: FlowLicence,
    /// Who owns it (PA-6, PA-8).
    pub owner: Owner,
    /// PA-10: a cloud flow linked to an app, covered by the app's licence or meter.
    #[serde(default, skip_serializing_if = "is_default")]
    pub linked_to_app: bool,
    /// PA-12: runs in the context of a Dynamics 365 app.
    #[serde(default, skip_serializing_if = "is_default")]
    pub d365_context: bool,
    /// PA-5: the flow is only ever run as a child flow of another flow.
    #[serde(default, skip_serializing_if = "is_default")]
    pub child_flow: bool,
    /// Quick counts: runs this month, grouped by the invoking user's licence. For automated
    /// and scheduled flows the owner's licence applies instead (PA-6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunGroup>,
    /// Detailed records: runs on one day by one class of invoker.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily_runs: Vec<DailyRuns>,
    /// PA-4: runs while testing in the designer (never charged).
    #[serde(default, skip_serializing_if = "is_default")]
    pub test_runs: u64,
    /// PA-4: resubmissions of failed runs (never charged).
    #[serde(default, skip_serializing_if = "is_default")]
    pub resubmitted_runs: u64,
    /// PA-14: how many of the quick-count runs happen on the busiest day; the rest spread
    /// evenly over the other days. `None` spreads all of them evenly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busiest_day_runs: Option<u64>,
}

/// Runs in a month by invokers sharing one licence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunGroup {
    /// How many runs.
    pub runs: u64,
    /// The licence of the people who started them (or of the owner, PA-6).
    pub licence: Licence,
}

/// Runs on one day of the month by invokers sharing one licence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyRuns {
    /// 1..=days in the month (UTC).
    pub day: u8,
    /// How many runs that day.
    pub runs: u64,
    /// The licence of the people who started them (or of the owner, PA-6).
    pub licence: Licence,
}

crate::keyed_enum! {
    /// Power Pages website status (PP-4).
    pub enum SiteStatus {
        /// Live: both meters count (PP-1).
        Live = "live", "Live",
        /// Trial mode: not counted (PP-4).
        Trial = "trial", "Trial",
        /// Private mode: not counted (PP-4).
        Private = "private", "Private",
    }
}

/// A Power Pages website (PP-1..8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Website {
    /// The website's name, unique in its environment.
    pub name: String,
    /// Live, trial or private (PP-4).
    pub status: SiteStatus,
    /// Distinct users who logged in this month, by licence (PP-2, PP-3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authenticated: Vec<UserGroup>,
    /// Detailed records: ids of users (from `Environment::users`) who logged in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logged_in: Vec<String>,
    /// Distinct anonymous visitors (cookie ids) seen this month, before exclusions (PP-5).
    #[serde(default, skip_serializing_if = "is_default")]
    pub anonymous_visitors: u64,
    /// How many of those visitors fall under each PP-6 exclusion.
    #[serde(default, skip_serializing_if = "is_default")]
    pub anonymous_exclusions: AnonymousExclusions,
    /// Detailed records: anonymous requests, to which PP-6 is applied one by one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anonymous_requests: Vec<AnonymousRequest>,
}

/// Counts of anonymous visitors who are not billed, one per PP-6 clause. A visitor belongs to
/// at most one clause (the first that applies), so the counts add up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnonymousExclusions {
    /// PP-6a: visited only authentication pages.
    #[serde(skip_serializing_if = "is_default")]
    pub auth_pages_only: u64,
    /// PP-6b: requested only paths starting with `/_`.
    #[serde(skip_serializing_if = "is_default")]
    pub underscore_paths_only: u64,
    /// PP-6c: every request returned 3xx, 4xx or 5xx.
    #[serde(skip_serializing_if = "is_default")]
    pub error_or_redirect_only: u64,
    /// PP-6d: fetched only static resources.
    #[serde(skip_serializing_if = "is_default")]
    pub static_only: u64,
    /// PP-6f: bots and crawlers.
    #[serde(skip_serializing_if = "is_default")]
    pub bots: u64,
    /// PP-6g: monitors with a non-browser user agent.
    #[serde(skip_serializing_if = "is_default")]
    pub monitors: u64,
    /// PP-6e: logged in later the same UTC day (counted only as authenticated).
    #[serde(skip_serializing_if = "is_default")]
    pub logged_in_same_day: u64,
}

/// One anonymous request to a website (detailed Power Pages records).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymousRequest {
    /// The anonymous user id from the browser cookie (PP-5).
    pub visitor: String,
    /// Day of the month (UTC).
    pub day: u8,
    /// The path requested; `/_…` paths are excluded (PP-6b).
    pub path: String,
    /// The HTTP status; 3xx, 4xx and 5xx count only if some request succeeded (PP-6c).
    pub status: u16,
    #[serde(default, skip_serializing_if = "is_default")]
    /// A CSS, script, image or font file (PP-6d).
    pub static_resource: bool,
    /// Browser, bot or monitor (PP-6f, PP-6g).
    pub agent: UserAgent,
    /// The user this visitor logged in as, and on which day, if they did (PP-6e).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged_in_on_day: Option<u8>,
}

crate::keyed_enum! {
    /// PP-6f/g user-agent classes.
    pub enum UserAgent {
        /// A person's browser: counted.
        Browser = "browser", "Browser",
        /// A bot or crawler (PP-6f).
        Bot = "bot", "Bot or crawler",
        /// A monitoring system with a non-browser user agent (PP-6g).
        Monitor = "monitor", "Monitor",
    }
}

/// Dataverse storage of one environment (DV-1..8), as used (not overage) GB.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Storage {
    #[serde(skip_serializing_if = "is_default")]
    /// Database storage in use.
    pub database: StorageUsage,
    #[serde(skip_serializing_if = "is_default")]
    /// File storage in use.
    pub file: StorageUsage,
    #[serde(skip_serializing_if = "is_default")]
    /// Log storage in use (auditing).
    pub log: StorageUsage,
    /// DV-3: capacity allocated to the environment from the tenant (2025-02 book).
    #[serde(skip_serializing_if = "is_default")]
    pub allocated: StorageAllocation,
}

/// Capacity allocated per category, in GB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageAllocation {
    #[serde(skip_serializing_if = "is_default")]
    /// GB of database capacity allocated.
    pub database: Decimal,
    #[serde(skip_serializing_if = "is_default")]
    /// GB of file capacity allocated.
    pub file: Decimal,
    #[serde(skip_serializing_if = "is_default")]
    /// GB of log capacity allocated.
    pub log: Decimal,
}

crate::keyed_enum! {
    /// A Dataverse storage category (DV-1, DV-4: each billed on its own). The key is the
    /// category's field name in [`Storage`] and [`StorageAllocation`].
    pub enum StorageCategory {
        /// Database storage.
        Database = "database", "Database",
        /// File storage.
        File = "file", "File",
        /// Log storage (no free GB, DV-2).
        Log = "log", "Log",
    }
}

impl StorageCategory {
    /// The used GB of this category.
    pub fn usage(self, storage: &Storage) -> &StorageUsage {
        match self {
            StorageCategory::Database => &storage.database,
            StorageCategory::File => &storage.file,
            StorageCategory::Log => &storage.log,
        }
    }

    /// The used GB of this category, to edit.
    pub fn usage_mut(self, storage: &mut Storage) -> &mut StorageUsage {
        match self {
            StorageCategory::Database => &mut storage.database,
            StorageCategory::File => &mut storage.file,
            StorageCategory::Log => &mut storage.log,
        }
    }

    /// The capacity allocated to this category, as entered (possibly negative).
    pub fn allocated(self, a: &StorageAllocation) -> Decimal {
        match self {
            StorageCategory::Database => a.database,
            StorageCategory::File => a.file,
            StorageCategory::Log => a.log,
        }
    }

    /// The capacity allocated to this category, to edit.
    pub fn allocated_mut(self, a: &mut StorageAllocation) -> &mut Decimal {
        match self {
            StorageCategory::Database => &mut a.database,
            StorageCategory::File => &mut a.file,
            StorageCategory::Log => &mut a.log,
        }
    }

    /// DV-1: the pay-as-you-go rate of this category.
    pub fn meter_price(self) -> PriceKey {
        match self {
            StorageCategory::Database => PriceKey::DataverseDatabaseGb,
            StorageCategory::File => PriceKey::DataverseFileGb,
            StorageCategory::Log => PriceKey::DataverseLogGb,
        }
    }

    /// The prepaid capacity add-on of this category (for the advisor).
    pub fn capacity_price(self) -> PriceKey {
        match self {
            StorageCategory::Database => PriceKey::DataverseDatabaseCapacityGb,
            StorageCategory::File => PriceKey::DataverseFileCapacityGb,
            StorageCategory::Log => PriceKey::DataverseLogCapacityGb,
        }
    }
}

/// How the used GB of one category move through the month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum StorageUsage {
    /// The same use all month.
    Constant {
        /// GB in use all month.
        gb: Decimal,
    },
    /// Grows (or shrinks) evenly from the first snapshot to the last.
    Linear {
        /// GB at the first snapshot.
        start_gb: Decimal,
        /// GB at the last snapshot.
        end_gb: Decimal,
    },
    /// Measured values from given days on; each holds until the next one.
    Series {
        /// The readings, each holding until the next.
        points: Vec<StoragePoint>,
    },
}

crate::keyed_enum! {
    /// The `kind` of a [`StorageUsage`] (serde writes it from the variant name; a test keeps
    /// the two equal). The labels are the form's words.
    pub enum StorageUsageKind {
        /// [`StorageUsage::Constant`].
        Constant = "constant", "constant",
        /// [`StorageUsage::Linear`].
        Linear = "linear", "linear (changes evenly from start to end of month)",
        /// [`StorageUsage::Series`] (read from files; the form cannot start one).
        Series = "series", "measured series",
    }
}

impl StorageUsage {
    /// The `kind` key this usage is written with.
    pub fn kind(&self) -> StorageUsageKind {
        match self {
            StorageUsage::Constant { .. } => StorageUsageKind::Constant,
            StorageUsage::Linear { .. } => StorageUsageKind::Linear,
            StorageUsage::Series { .. } => StorageUsageKind::Series,
        }
    }
}

impl Default for StorageUsage {
    fn default() -> Self {
        StorageUsage::Constant { gb: Decimal::ZERO }
    }
}

/// A storage reading that holds from `day` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoragePoint {
    /// Day of the month (UTC) from which the reading holds.
    pub day: u8,
    /// GB in use.
    pub gb: Decimal,
}

/// Something with a daily Power Platform requests entitlement (PR-2..8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestConsumer {
    /// A name for people, unique in its environment.
    pub name: String,
    /// Whose entitlement the requests count against (PR-4..8).
    pub entity: RequestEntity,
    /// Quick counts: each member uses this many requests on each of `days` days.
    #[serde(default, skip_serializing_if = "is_default")]
    pub requests_per_day: u64,
    #[serde(default, skip_serializing_if = "is_default")]
    /// On how many days of the month `requests_per_day` are used.
    pub days: u32,
    /// Detailed records: requests of one member on given days (a member is one user or
    /// flow; groups with several members use the same daily counts for each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily_requests: Vec<DailyRequests>,
    /// PR-12: capacity add-on packs assigned to each member (+50,000 a day each; usable in
    /// pay-as-you-go environments only from the 2025-02 book).
    #[serde(default, skip_serializing_if = "is_default")]
    pub addon_packs: u32,
}

/// Requests on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyRequests {
    /// Day of the month (UTC).
    pub day: u8,
    /// Requests of one member that day.
    pub requests: u64,
}

/// Who the daily entitlement belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RequestEntity {
    /// `users` users who each hold all of `licences` (stacking per PR-5).
    Users {
        /// How many users.
        users: u64,
        /// The licences each of them holds.
        licences: Vec<Licence>,
    },
    /// A flow with its own per-flow or Process licences (PR-6, PR-7).
    Flow {
        /// The flow licence.
        licence: FlowLicence,
        /// How many of them (Process stacks up to 10, S13).
        licence_count: u32,
    },
    /// Users metered by the per-app meter (PR-3, AMB-9): 6,000 per user per app.
    PerAppMeterUsers {
        /// How many users.
        users: u64,
        /// How many apps each opens (AMB-9).
        apps: u32,
    },
    /// Application users, service principals and other non-licensed users: the tenant pool
    /// (PR-8, AMB-17).
    NonLicensed {
        /// Which tenant pool applies.
        pool: TenantPool,
    },
}

crate::keyed_enum! {
    /// The `kind` of a [`RequestEntity`] (serde writes it from the variant name; a test keeps
    /// the two equal).
    pub enum RequestEntityKind {
        /// [`RequestEntity::Users`].
        Users = "users", "Licensed users",
        /// [`RequestEntity::Flow`].
        Flow = "flow", "A flow with its own licence",
        /// [`RequestEntity::PerAppMeterUsers`].
        PerAppMeterUsers = "per_app_meter_users", "Users metered by the per-app meter",
        /// [`RequestEntity::NonLicensed`].
        NonLicensed = "non_licensed", "Non-licensed users (tenant pool)",
    }
}

impl RequestEntity {
    /// The `kind` key this entity is written with.
    pub fn kind(&self) -> RequestEntityKind {
        match self {
            RequestEntity::Users { .. } => RequestEntityKind::Users,
            RequestEntity::Flow { .. } => RequestEntityKind::Flow,
            RequestEntity::PerAppMeterUsers { .. } => RequestEntityKind::PerAppMeterUsers,
            RequestEntity::NonLicensed { .. } => RequestEntityKind::NonLicensed,
        }
    }
}

/// PR-8 non-licensed tenant pool: the largest product line applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TenantPool {
    /// Power Apps or Power Automate licences only: 25,000 a day.
    PowerPlatform,
    /// Dynamics 365 Enterprise/Professional: 500,000 + 5,000 per user licence, up to 10M.
    Dynamics365 {
        /// Dynamics 365 user licences in the tenant (5,000 each).
        user_licences: u64,
    },
}

crate::keyed_enum! {
    /// The `kind` of a [`TenantPool`] (serde writes it from the variant name; a test keeps the
    /// two equal).
    pub enum TenantPoolKind {
        /// [`TenantPool::PowerPlatform`].
        PowerPlatform = "power_platform", "Power Apps / Power Automate (25,000 a day)",
        /// [`TenantPool::Dynamics365`].
        Dynamics365 = "dynamics365", "Dynamics 365 Enterprise/Professional",
    }
}

impl TenantPool {
    /// The `kind` key this pool is written with.
    pub fn kind(self) -> TenantPoolKind {
        match self {
            TenantPool::PowerPlatform => TenantPoolKind::PowerPlatform,
            TenantPool::Dynamics365 { .. } => TenantPoolKind::Dynamics365,
        }
    }
}

/// Copilot Studio usage (CS-1..4, 2025-02 book).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CopilotStudio {
    /// Billed messages as the Azure meter reports them.
    #[serde(skip_serializing_if = "is_default")]
    pub messages: u64,
    /// Or events, converted with the book's messages-per-event table (CS-3).
    #[serde(skip_serializing_if = "is_default")]
    pub classic_answers: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Generative answers (CS-3).
    pub generative_answers: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Autonomous (version 1) or agent (version 2 on) actions (CS-3).
    pub agent_actions: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Answers grounded in tenant Microsoft Graph (CS-3).
    pub graph_grounding: u64,
    /// AMB-22: messages of Microsoft 365 Copilot-licensed users in employee-facing agents.
    #[serde(skip_serializing_if = "is_default")]
    pub m365_licensed_messages: u64,
}

/// Copilot Credits of one environment (CC-1..8): agents, prepaid capacity allocated to the
/// environment, and Windows 365 for Agents hours.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CopilotCredits {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    /// The agents and their use this month.
    pub agents: Vec<Agent>,
    /// CC-4: Copilot Studio capacity packs (25,000 credits a month each).
    #[serde(skip_serializing_if = "is_default")]
    pub prepaid_packs: u32,
    /// CC-4: pre-purchase plan units drawn this month (1 CU = $1 = 100 credits, 2025-11 on).
    #[serde(skip_serializing_if = "is_default")]
    pub prepurchase_units: u64,
    /// CC-8: Windows 365 for Agents Cloud PC hours this month (the tenant's: 50 are free).
    #[serde(skip_serializing_if = "is_default")]
    pub cloud_pc_hours: u64,
}

crate::keyed_enum! {
    /// Which product an agent's credits are billed through (all land on the same meter).
    #[derive(Default)]
    pub enum AgentChannel {
        /// Copilot Studio agents.
        #[default]
        CopilotStudio = "copilot_studio", "Copilot Studio",
        /// Microsoft 365 Copilot Chat and SharePoint agents.
        M365CopilotChat = "m365_copilot_chat", "Microsoft 365 Copilot Chat",
        /// Dynamics 365 and Business Central agents.
        Dynamics365 = "dynamics365", "Dynamics 365 agents",
        /// AI Builder in Power Apps and Power Automate after its own credits (CC-6).
        AiBuilder = "ai_builder", "AI Builder",
    }
}

/// Quantities by AI tool tier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AiTiers {
    #[serde(skip_serializing_if = "is_default")]
    /// Basic tier.
    pub basic: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Standard tier.
    pub standard: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Premium tier.
    pub premium: u64,
}

/// Voice minutes by tier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoiceMinutes {
    #[serde(skip_serializing_if = "is_default")]
    /// Classic voice minutes.
    pub classic: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Generative voice minutes.
    pub generative: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Premium generative voice minutes (the highest rate).
    pub premium: u64,
}

/// One agent's use this month, by feature (CS-3 / CC-2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Agent {
    /// The agent's name.
    pub name: String,
    #[serde(skip_serializing_if = "is_default")]
    /// Which product bills its credits (CC-6 for AI Builder).
    pub channel: AgentChannel,
    /// CC-3: used by the tenant's employees (Microsoft 365 Copilot-licensed users are not
    /// charged there).
    #[serde(skip_serializing_if = "is_default")]
    pub employee_facing: bool,
    /// CC-3: the share of use (0 to 100) by Microsoft 365 Copilot-licensed users.
    #[serde(skip_serializing_if = "is_default")]
    pub m365_licensed_percent: Decimal,
    #[serde(skip_serializing_if = "is_default")]
    /// Classic (scripted) answers.
    pub classic_answers: u64,
    /// Generative answers without tenant Graph grounding.
    #[serde(skip_serializing_if = "is_default")]
    pub generative_answers: u64,
    /// Generative answers grounded in tenant Microsoft Graph: generative + grounding each.
    #[serde(skip_serializing_if = "is_default")]
    pub grounded_answers: u64,
    /// Agent actions in conversations (topic transitions, deep reasoning, computer use).
    #[serde(skip_serializing_if = "is_default")]
    pub agent_actions: u64,
    /// Agent actions started by autonomous triggers: charged even for licensed users.
    #[serde(skip_serializing_if = "is_default")]
    pub autonomous_actions: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Agent flow actions: Copilot Credits, not Power Platform requests, from 2026.
    pub agent_flow_actions: u64,
    /// AI tools responses (books that price per 10 responses).
    #[serde(skip_serializing_if = "is_default")]
    pub ai_tool_responses: AiTiers,
    /// AI tools tokens (books that price per 1,000 tokens, from 10/2025).
    #[serde(skip_serializing_if = "is_default")]
    pub ai_tool_tokens: AiTiers,
    #[serde(skip_serializing_if = "is_default")]
    /// Content-processing pages or images (8 credits each from 10/2025).
    pub content_pages: u64,
    #[serde(skip_serializing_if = "is_default")]
    /// Voice minutes by tier (third-party rates: provisional, CC-7).
    pub voice_minutes: VoiceMinutes,
}

/// One customer of an ISV in the Power Automate embed program (EM-1..5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsvCustomer {
    /// The customer's name.
    pub name: String,
    /// Makers who run flows that use the ISV's premium connectors.
    pub makers: u64,
    /// Of those makers, how many already hold a premium Power Automate licence (EM-3).
    pub premium_licensed_makers: u64,
    /// Flow runs per maker per month involving the ISV's connectors.
    pub runs_per_maker: u64,
}

impl Scenario {
    /// What the app's *New* starts: one empty pay-as-you-go environment in `month`, priced by
    /// the book in force that month (the newest whose date is on or before it), so a new
    /// scenario is priced by today's rules.
    pub fn new_in(month: BillingMonth) -> Scenario {
        Scenario {
            price_book: PriceBookId::for_month(month),
            month,
            ..Scenario::new_empty()
        }
    }

    /// A scenario with one empty pay-as-you-go environment, on the seed price book (fixed, so
    /// that tests built on it do not change with the date).
    pub fn new_empty() -> Scenario {
        Scenario {
            version: SCENARIO_FORMAT_VERSION,
            name: "New scenario".to_string(),
            price_book: PriceBookId::Seed2023,
            price_overrides: BTreeMap::new(),
            month: BillingMonth {
                year: 2026,
                month: 11,
            },
            options: RuleOptions::default(),
            environments: vec![Environment::new_payg("Production")],
            isv_customers: Vec::new(),
            advisor: None,
        }
    }
}

impl Environment {
    /// An empty pay-as-you-go environment with every meter on.
    pub fn new_payg(name: &str) -> Environment {
        Environment {
            name: name.to_string(),
            payg: true,
            meters: MeterSwitches::default(),
            users: Vec::new(),
            apps: Vec::new(),
            flows: Vec::new(),
            websites: Vec::new(),
            storage: Storage::default(),
            requests: Vec::new(),
            copilot_studio: CopilotStudio::default(),
            copilot_credits: CopilotCredits::default(),
        }
    }
}
