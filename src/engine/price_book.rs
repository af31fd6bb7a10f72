//! Dated price books: list prices and the rule variant of one version of the documentation.
//!
//! Prices are data. Every price has a [`PriceKey`]; a scenario may override any of them
//! (negotiated prices), and every charge line records whether its price was overridden.

use rust_decimal::Decimal;
use rust_decimal::dec;
use serde::Serialize;
use std::collections::BTreeMap;

use super::billing_month::BillingMonth;

crate::keyed_enum! {
    /// The price books this build knows, oldest first: [`PriceBookId::for_month`] relies on
    /// this order. The label is the key: a book is known by its month.
    pub enum PriceBookId {
        /// The meters page of 06/20/2023 (the seed): 3 Dataverse snapshots a day, no allocation,
        /// no Copilot Studio meter, no add-ons in PAYG.
        Seed2023 = "2023-06", "2023-06",
        /// The meters page of 02/07/2025 and the FAQ of 12/2024: Copilot Studio, one Dataverse
        /// snapshot a day, allocated capacity, meter selection, add-ons in PAYG.
        Newest2025 = "2025-02", "2025-02",
        /// Spring 2025 (chosen: 05/01/2025): Copilot Studio rate table version 2 and the 125 %
        /// prepaid enforcement of 04/30/2025.
        Spring2025 = "2025-05", "2025-05",
        /// 09/01/2025: messages renamed Copilot Credits, same prices.
        Credits2025 = "2025-09", "2025-09",
        /// October 2025 (chosen: 10/01/2025): AI tools per 1K tokens, content processing per page.
        Tokens2025 = "2025-10", "2025-10",
        /// 11/01/2025: AI Builder falls back to Copilot Credits; the pre-purchase plan.
        AiBuilder2025 = "2025-11", "2025-11",
        /// 2026 (chosen: 09/08/2026): Windows 365 for Agents meter (no published price), voice
        /// rates (third-party), agent flows off Power Platform requests.
        Agents2026 = "2026-09", "2026-09",
    }
}

impl PriceBookId {
    /// The default book for a month: the newest whose effective month is on or before it
    /// (a book that takes effect during a month prices that month, as Microsoft bills the
    /// monthly period at its end). Months before the oldest book get the oldest.
    pub fn for_month(month: BillingMonth) -> PriceBookId {
        PriceBookId::ALL
            .into_iter()
            .rev()
            .find(|b| b.book().effective_month().is_some_and(|m| m <= month))
            .unwrap_or(PriceBookId::Seed2023)
    }

    /// What the book changes, with the chosen dates (for the docs and the CLI).
    pub fn notes(self) -> &'static [&'static str] {
        match self {
            PriceBookId::Seed2023 => &[
                "The seed: 3 Dataverse snapshots a day at 1/90, no allocation, no Copilot Studio \
                 meter, every meter on when linked, add-ons ignored in pay-as-you-go.",
            ],
            PriceBookId::Newest2025 => &[
                "Copilot Studio meter at $0.01 a message with the rates of 02/01/2025 (classic \
                 answer 1, generative answer 2, autonomous action 25, tenant Graph grounding 30).",
                "Dataverse: 1 snapshot a day at 1/30, allocated capacity; meter selection; \
                 add-ons usable in pay-as-you-go.",
            ],
            PriceBookId::Spring2025 => &[
                "Date chosen: the sources say \"spring 2025\" (the page version carries a 03/25/2025 \
             note); 05/01/2025 is the first month in which both the table and the 125 % \
             enforcement of 04/30/2025 hold.",
                "Rate table version 2: agent action 5 (was autonomous action 25), tenant Graph \
             grounding 10 (was 30), agent flow actions 13 per 100, AI tools 1 / 15 / 100 per 10 \
             responses. Microsoft 365 Copilot-licensed users are not charged in \
             employee-facing agents, except for autonomous triggers.",
                "Above 125 % of prepaid capacity, agents stop unless pay-as-you-go is the overflow \
             (04/30/2025).",
            ],
            PriceBookId::Credits2025 => &[
                "Messages renamed Copilot Credits: $0.01 a credit, 25,000 credits a $200 pack \
             (\"no change in the quantity per prepaid pack or to the pay-as-you-go rate\").",
                "Microsoft 365 Copilot Chat and SharePoint agents can use the capacity packs \
             (09/18/2025), prepaid first, then pay-as-you-go.",
            ],
            PriceBookId::Tokens2025 => &[
                "Date chosen: the sources date the change 10/2025 (commits of 10/03 and \
             10/27/2025); 10/01/2025 prices all of October with it.",
                "AI tools per 1,000 tokens: basic 0.1, standard 1.5, premium 10 credits; content \
             processing 8 credits a page.",
            ],
            PriceBookId::AiBuilder2025 => &[
                "AI Builder in Power Apps and Power Automate falls back to Copilot Credits \
             (prepaid or pay-as-you-go) when its own credits run out.",
                "Copilot Credit pre-purchase plan: 1 CU = $1 = 100 credits, consumed before \
             pay-as-you-go.",
            ],
            PriceBookId::Agents2026 => &[
                "Date chosen: Windows 365 for Agents and the voice rates are dated only \"2026\"; \
             the requests-limits page of 09/08/2026 dates the book.",
                "Windows 365 for Agents meter (W365APAYGO), 50 free hours a tenant: Microsoft has \
             published no price, so lines ask for a negotiated one.",
                "Voice: 10 / 35 / 75 credits a minute (classic / generative / premium), from \
             third-party copies only: provisional.",
                "Agent flows are metered in Copilot Credits, not Power Platform requests; requests \
             are still not billed.",
            ],
        }
    }

    /// The book itself.
    pub fn book(self) -> PriceBook {
        match self {
            PriceBookId::Seed2023 => PriceBook::seed_2023(),
            PriceBookId::Newest2025 => PriceBook::newest_2025(),
            PriceBookId::Spring2025 => PriceBook::spring_2025(),
            PriceBookId::Credits2025 => PriceBook::credits_2025(),
            PriceBookId::Tokens2025 => PriceBook::tokens_2025(),
            PriceBookId::AiBuilder2025 => PriceBook::ai_builder_2025(),
            PriceBookId::Agents2026 => PriceBook::agents_2026(),
        }
    }
}

crate::keyed_enum! {
    /// Every price the engine or the advisor can use. The label says what the price is for,
    /// with its unit.
    pub enum PriceKey {
        // Pay-as-you-go meters (spec 5.1)
        /// PA per-app meter: a user who opens an app in a month (AP-1).
        PowerAppsPerAppUser = "power_apps_per_app_user",
            "Power Apps per active user per app, month",
        /// A premium cloud flow run (PA-3).
        FlowRunCloud = "flow_run_cloud", "Premium cloud flow run",
        /// A desktop flow run, attended (PA-3).
        FlowRunAttended = "flow_run_attended", "Attended desktop flow run",
        /// A desktop flow run, unattended (PA-3).
        FlowRunUnattended = "flow_run_unattended", "Unattended desktop flow run",
        /// A hosted RPA desktop flow run (PA-3).
        FlowRunHosted = "flow_run_hosted", "Hosted RPA desktop flow run",
        /// A Power Pages user who logs in to a website in a month (PP-1, PP-2).
        PagesAuthenticatedUser = "pages_authenticated_user",
            "Power Pages authenticated user per website, month",
        /// A Power Pages anonymous visitor of a website in a month (PP-1, PP-5).
        PagesAnonymousUser = "pages_anonymous_user",
            "Power Pages anonymous user per website, month",
        /// A GB-month of Dataverse database storage above the free capacity (DV-1).
        DataverseDatabaseGb = "dataverse_database_gb", "Dataverse database GB, month",
        /// A GB-month of Dataverse file storage above the free capacity (DV-1).
        DataverseFileGb = "dataverse_file_gb", "Dataverse file GB, month",
        /// A GB-month of Dataverse log storage (DV-1).
        DataverseLogGb = "dataverse_log_gb", "Dataverse log GB, month",
        /// A Power Platform request above the daily entitlement (PR-2).
        PlatformRequest = "platform_request", "Power Platform request above the daily entitlement",
        /// A Copilot Studio message, a Copilot Credit from 09/2025 (CS-1, CC-1).
        CopilotStudioMessage = "copilot_studio_message",
            "Copilot Studio message (Copilot Credit from 09/2025)",
        /// Windows 365 for Agents (`W365APAYGO`): Microsoft has published no price.
        Windows365AgentHour = "windows365_agent_hour", "Windows 365 for Agents Cloud PC hour",
        // Prepaid licences (spec 5.2), for the advisor
        /// Power Automate per user (legacy), a month.
        PowerAutomatePerUser = "power_automate_per_user", "Power Automate per user licence, month",
        /// Power Automate per user with attended RPA (legacy), a month.
        PowerAutomatePerUserRpa = "power_automate_per_user_rpa",
            "Power Automate per user with attended RPA, month",
        /// Power Automate Premium, a month.
        PowerAutomatePremium = "power_automate_premium", "Power Automate Premium licence, month",
        /// Unattended RPA add-on (legacy), per bot a month.
        UnattendedRpaAddon = "unattended_rpa_addon", "Unattended RPA add-on per bot, month",
        /// Power Automate per flow (legacy; minimum 5, INC-3), a month.
        PowerAutomatePerFlow = "power_automate_per_flow", "Power Automate per flow licence, month",
        /// Power Automate Process, per bot or flow a month.
        PowerAutomateProcess = "power_automate_process", "Power Automate Process per bot, month",
        /// Hosted Process, per hosted bot a month (third-party price).
        HostedProcess = "hosted_process", "Hosted Process per bot, month",
        /// Requests capacity add-on, +50,000 requests a day, a month (PR-12).
        RequestsAddonPack = "requests_addon_pack", "Requests add-on, +50,000 a day, month",
        /// Copilot Studio capacity pack, 25,000 messages (credits) a month.
        CopilotMessagePack = "copilot_message_pack",
            "Copilot Studio pack of 25,000 messages (credits), month",
        /// Copilot Credit pre-purchase plan unit (P3): 1 CU = $1 = 100 credits, from 11/2025.
        CopilotCreditUnit = "copilot_credit_unit",
            "Copilot Credit pre-purchase unit (100 credits; list price before tier discounts)",
        /// Power Apps Premium (per user), a month.
        PowerAppsPremium = "power_apps_premium", "Power Apps Premium (per user), month",
        /// Power Apps per app, per user per app a month (off EA/MPSA price lists from 01/2026,
        /// EOS-1).
        PowerAppsPerApp = "power_apps_per_app", "Power Apps per app, per user per app, month",
        /// Dataverse database capacity add-on, per GB a month.
        DataverseDatabaseCapacityGb = "dataverse_database_capacity_gb",
            "Dataverse database capacity add-on GB, month",
        /// Dataverse file capacity add-on, per GB a month.
        DataverseFileCapacityGb = "dataverse_file_capacity_gb",
            "Dataverse file capacity add-on GB, month",
        /// Dataverse log capacity add-on, per GB a month.
        DataverseLogCapacityGb = "dataverse_log_capacity_gb",
            "Dataverse log capacity add-on GB, month",
    }
}

impl PriceKey {
    /// Whether this price is a pay-as-you-go meter rate (the rest are prepaid licences).
    pub fn is_meter(self) -> bool {
        matches!(
            self,
            PriceKey::PowerAppsPerAppUser
                | PriceKey::FlowRunCloud
                | PriceKey::FlowRunAttended
                | PriceKey::FlowRunUnattended
                | PriceKey::FlowRunHosted
                | PriceKey::PagesAuthenticatedUser
                | PriceKey::PagesAnonymousUser
                | PriceKey::DataverseDatabaseGb
                | PriceKey::DataverseFileGb
                | PriceKey::DataverseLogGb
                | PriceKey::PlatformRequest
                | PriceKey::CopilotStudioMessage
                | PriceKey::Windows365AgentHour
        )
    }
}

/// Whether a source is Microsoft's own (the spec's [MS], [MS-API], [MC] tags) or a third
/// party's ([3P]: treat as provisional).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Microsoft's own page, API reference or Message Center post.
    FirstParty,
    /// Anyone else: provisional until Microsoft prints it.
    ThirdParty,
}

/// Where a price or rate comes from, kept next to it so that the app and the docs can say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The page's title.
    pub title: &'static str,
    /// Where to read it.
    pub address: &'static str,
    /// Whose page it is.
    pub kind: SourceKind,
    /// The version of the page the figure was read from (ms.date, commit or quoted date).
    pub version: &'static str,
    /// When the figure was last checked against its source (the research of
    /// `shared/spec/changes-2025-2026.md`, compiled 2026-11, unless the source says otherwise).
    pub verified: &'static str,
}

impl Source {
    /// Figures only a third party prints are provisional.
    pub fn provisional(&self) -> bool {
        self.kind == SourceKind::ThirdParty
    }
}

/// When the sources of `changes-2025-2026.md` were last checked.
const CHECKED: &str = "2026-11";

pub mod sources {
    //! The sources the books cite (tags as in `shared/spec/changes-2025-2026.md`).
    use super::{CHECKED, Source, SourceKind};

    const fn ms(title: &'static str, address: &'static str, version: &'static str) -> Source {
        Source {
            title,
            address,
            kind: SourceKind::FirstParty,
            version,
            verified: CHECKED,
        }
    }

    const fn third(title: &'static str, address: &'static str, version: &'static str) -> Source {
        Source {
            title,
            address,
            kind: SourceKind::ThirdParty,
            version,
            verified: CHECKED,
        }
    }

    const METERS: &str =
        "https://learn.microsoft.com/en-us/power-platform/admin/pay-as-you-go-meters";
    /// The meters page the seed book follows.
    pub const METERS_2023: Source = ms("Pay-as-you-go meters (the seed)", METERS, "2023-06-20");
    /// The meters page of 02/07/2025.
    pub const METERS_2025: Source = ms("Pay-as-you-go meters", METERS, "2025-02-07");
    /// Premium, Process and the legacy Power Automate prices.
    pub const PA_FAQ: Source = ms(
        "Power Automate licensing FAQ",
        "https://learn.microsoft.com/en-us/power-platform/admin/power-automate-licensing/faqs",
        "2025-06-03",
    );
    /// The requests capacity add-on's price.
    pub const PA_ADDONS: Source = ms(
        "Power Automate capacity add-ons",
        "https://learn.microsoft.com/en-us/power-platform/admin/power-automate-licensing/add-ons",
        "2024-05-01",
    );
    /// Prepaid prices only third parties print.
    pub const PREPAID_3P: Source = third(
        "Third-party list prices (no Microsoft page found; shared/spec/billing-rules.md 5.2)",
        "shared/spec/billing-rules.md#52-prepaid-licence-prices",
        "2025",
    );
    /// The Dataverse capacity add-ons' public list prices.
    pub const DATAVERSE_ADDONS_3P: Source = third(
        "Public list prices of the Dataverse capacity add-ons (docs/rules.md)",
        "docs/rules.md#price-books",
        "2025",
    );
    /// Copilot Studio rate table version 1.
    pub const RATES_V1: Source = ms(
        "Copilot Studio billing rates (\"As of February 1, 2025\")",
        "https://learn.microsoft.com/en-us/microsoft-copilot-studio/analytics-billed-sessions",
        "2025-02-01",
    );
    /// Copilot Studio rate table version 2.
    pub const RATES_V2: Source = ms(
        "Copilot Studio billing rates (version with the 03/25/2025 note)",
        "https://learn.microsoft.com/en-us/microsoft-copilot-studio/requirements-messages-management",
        "2025-03-25",
    );
    /// Messages renamed Copilot Credits.
    pub const RENAME: Source = ms(
        "Copilot Studio billing and licensing (messages renamed Copilot Credits)",
        "https://learn.microsoft.com/en-us/microsoft-copilot-studio/billing-licensing",
        "2025-09-01",
    );
    /// Copilot Credits, packs and the pre-purchase plan.
    pub const CREDITS_OVERVIEW: Source = ms(
        "Copilot Credits overview",
        "https://learn.microsoft.com/microsoft-copilot-studio/copilot-credits-overview",
        "2025-11-01",
    );
    /// AI tools per 1,000 tokens and content processing.
    pub const AI_BUILDER_TOKENS: Source = ms(
        "AI Builder: Copilot Credit management (message-management.md)",
        "https://github.com/MicrosoftDocs/ai-builder/blob/main/ai-builder-docs/message-management.md",
        "2025-10-03",
    );
    /// Voice rates, from a copy only.
    pub const VOICE_3P: Source = Source {
        verified: "2026-09-03",
        ..third(
            "Copy of Learn's Copilot Credit rates with voice (\"VERIFIED: 2026-09-03\")",
            "https://sg.midjourney.stayreal.io/en-us/microsoft-copilot-studio/requirements-messages-management",
            "2026-09-03",
        )
    };
    /// The per-app licence's end of sale and its CSP correction (EOS-1).
    pub const PER_APP_END_OF_SALE_3P: Source = third(
        "Power Apps per app license end of sale for new customers (updated 2026-03-30: not for CSP)",
        "https://www.schneider.im/lu/microsoft-power-apps-per-app-license-end-of-sale-for-new-customers/",
        "2026-03-30",
    );
    /// Microsoft's partner alert on the per-app licence, quoted (EOS-1).
    pub const PER_APP_PARTNER_ALERT_3P: Source = third(
        "What should Power Apps per app customers do now? (quotes the partner alert of 01/14/2026)",
        "https://licensing.guide/what-should-power-apps-per-app-customers-do-now",
        "2026-01-14",
    );
    /// Windows 365 for Agents, which has no published price.
    pub const CLOUD_PC: Source = ms(
        "Use a Cloud PC pool for computer use (Windows 365 for Agents; no price published)",
        "https://learn.microsoft.com/en-us/microsoft-copilot-studio/use-cloud-pc-pool",
        "2026",
    );
}

/// A source by name: rates and books carry this, and [`SourceId::source`] gives its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SourceId {
    /// See [`sources::METERS_2023`].
    Meters2023,
    /// See [`sources::METERS_2025`].
    Meters2025,
    /// See [`sources::PA_FAQ`].
    PaFaq,
    /// See [`sources::PA_ADDONS`].
    PaAddons,
    /// See [`sources::PREPAID_3P`].
    Prepaid3p,
    /// See [`sources::DATAVERSE_ADDONS_3P`].
    DataverseAddons3p,
    /// See [`sources::RATES_V1`].
    RatesV1,
    /// See [`sources::RATES_V2`].
    RatesV2,
    /// See [`sources::RENAME`].
    Rename,
    /// See [`sources::CREDITS_OVERVIEW`].
    CreditsOverview,
    /// See [`sources::AI_BUILDER_TOKENS`].
    AiBuilderTokens,
    /// See [`sources::VOICE_3P`].
    Voice3p,
    /// See [`sources::CLOUD_PC`].
    CloudPc,
}

impl SourceId {
    /// The source's title, address and dates.
    pub fn source(self) -> Source {
        use sources::*;
        match self {
            SourceId::Meters2023 => METERS_2023,
            SourceId::Meters2025 => METERS_2025,
            SourceId::PaFaq => PA_FAQ,
            SourceId::PaAddons => PA_ADDONS,
            SourceId::Prepaid3p => PREPAID_3P,
            SourceId::DataverseAddons3p => DATAVERSE_ADDONS_3P,
            SourceId::RatesV1 => RATES_V1,
            SourceId::RatesV2 => RATES_V2,
            SourceId::Rename => RENAME,
            SourceId::CreditsOverview => CREDITS_OVERVIEW,
            SourceId::AiBuilderTokens => AI_BUILDER_TOKENS,
            SourceId::Voice3p => VOICE_3P,
            SourceId::CloudPc => CLOUD_PC,
        }
    }

    /// Third-party figures are provisional (a test holds this equal to the source's kind).
    pub fn provisional(self) -> bool {
        matches!(
            self,
            SourceId::Prepaid3p | SourceId::DataverseAddons3p | SourceId::Voice3p
        )
    }
}

fn serialize_source<S: serde::Serializer>(id: &SourceId, s: S) -> Result<S::Ok, S::Error> {
    id.source().serialize(s)
}

/// Credits (former messages) per unit of one Copilot Studio feature (CS-3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rate {
    /// Credits for `per` units.
    pub credits: Decimal,
    /// How many units the credits are for (13 credits per 100 agent flow actions).
    pub per: u64,
    /// Singular unit: "answer", "action", "response", "token", "page", "minute".
    pub unit: &'static str,
    #[serde(serialize_with = "serialize_source")]
    /// Where the rate is printed.
    pub source: SourceId,
}

impl Rate {
    /// Credits for `quantity` units, exactly.
    pub fn credits_for(&self, quantity: Decimal) -> Result<Decimal, super::money::Overflow> {
        let per = super::money::count(self.per);
        super::money::div(super::money::mul(quantity, self.credits)?, per)
    }
}

const fn rate(credits: Decimal, per: u64, unit: &'static str, source: SourceId) -> Rate {
    Rate {
        credits,
        per,
        unit,
        source,
    }
}

/// A Copilot Studio rate table version (CS-3, `changes-2025-2026.md` 1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CreditRates {
    /// A classic (scripted) answer.
    pub classic_answer: Rate,
    /// A generative answer without tenant Graph grounding.
    pub generative_answer: Rate,
    /// Autonomous action in version 1 (25), agent action from version 2 (5).
    pub agent_action: Rate,
    /// Tenant Microsoft Graph grounding.
    pub graph_grounding: Rate,
    /// Agent flow actions (version 2 on: 13 per 100).
    pub agent_flow_actions: Option<Rate>,
    /// Text and generative AI tools: basic, standard, premium (per 10 responses, then per
    /// 1,000 tokens from 10/2025).
    pub ai_tools: Option<[Rate; 3]>,
    /// Content processing per page or image (10/2025 on).
    pub content_processing: Option<Rate>,
    /// Voice: classic, generative, premium generative (third-party figures).
    pub voice: Option<[Rate; 3]>,
}

impl CreditRates {
    /// Every rate with a name, for the docs and the app.
    pub fn named(&self) -> Vec<(&'static str, Rate)> {
        let mut out = vec![
            ("classic answer", self.classic_answer),
            ("generative answer", self.generative_answer),
            ("agent action", self.agent_action),
            ("tenant Graph grounding", self.graph_grounding),
        ];
        if let Some(r) = self.agent_flow_actions {
            out.push(("agent flow actions", r));
        }
        if let Some([b, s, p]) = self.ai_tools {
            out.extend([
                ("AI tools basic", b),
                ("AI tools standard", s),
                ("AI tools premium", p),
            ]);
        }
        if let Some(r) = self.content_processing {
            out.push(("content processing", r));
        }
        if let Some([c, g, p]) = self.voice {
            out.extend([
                ("voice classic", c),
                ("voice generative", g),
                ("voice premium", p),
            ]);
        }
        out
    }
}

/// The rule variant that goes with a book's date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BookRules {
    /// DV-5/DV-6: Dataverse snapshots per day (3 in the seed, 1 from 2025).
    pub dataverse_snapshots_per_day: u32,
    /// DV-5/DV-6: each snapshot is charged at monthly rate / this divisor (90 or 30).
    pub dataverse_rate_divisor: u32,
    /// DV-2/DV-3: free GB of database and of file storage per PAYG environment.
    pub dataverse_free_gb: u32,
    /// DV-3: capacity can be allocated to a PAYG environment.
    pub dataverse_allocation: bool,
    /// CS-1: the Copilot Studio meter exists.
    pub copilot_studio_meter: bool,
    /// CC-1: the meter's unit is the Copilot Credit (renamed from message on 09/01/2025).
    pub copilot_credits: bool,
    /// CS-3: credits (messages) per event, versioned.
    pub credit_rates: Option<CreditRates>,
    /// CC-4: agents stop above this percentage of prepaid capacity unless pay-as-you-go is
    /// the overflow (04/30/2025).
    pub prepaid_enforcement_percent: Option<u32>,
    /// CC-6: AI Builder falls back to Copilot Credits when its own credits run out (11/2025).
    pub ai_builder_on_credits: bool,
    /// CC-4: the Copilot Credit pre-purchase plan (P3) is sold: its units count as prepaid
    /// capacity and the advisor offers it (11/2025).
    pub prepurchase_plan: bool,
    /// CC-8: the Windows 365 for Agents meter (`W365APAYGO`) exists.
    pub windows365_agents_meter: bool,
    /// CC-8: free Cloud PC hours per tenant.
    pub windows365_free_hours: u64,
    /// G-2: meters can be switched on and off per billing plan.
    pub meter_selection: bool,
    /// G-8/PR-12: add-ons (requests, Dataverse) are usable in PAYG environments.
    pub addons_in_payg: bool,
    /// PR-1: the requests meter is billed (false in every known version).
    pub requests_billed: bool,
    /// PA-14: billed runs per flow per day during the preview.
    pub flow_daily_cap: u64,
    /// PR-3: requests a day per user (per app, AMB-9) metered by the per-app meter.
    pub per_app_meter_daily_requests: u64,
    /// PR-12: extra requests a day per add-on pack.
    pub requests_per_addon_pack: u64,
}

/// A prepaid licence taken off some sales channels from a date (EOS-1). The books keep its
/// price (existing customers still pay it); the advisor says who can still buy it when it
/// suggests the licence for a month on or after the date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EndOfSale {
    /// The licence's price key.
    pub key: PriceKey,
    /// The first month the licence is off those channels.
    pub from: BillingMonth,
    /// The day it happened, as the sources give it.
    pub date: &'static str,
    /// Who can no longer buy it.
    pub ended_for: &'static str,
    /// Who still can, on which channel.
    pub still_sold: &'static str,
    /// Where this comes from (third parties quoting Microsoft's partner alert: provisional).
    #[serde(skip)]
    pub sources: &'static [Source],
}

/// Every end of sale the calculator knows, oldest first.
pub const END_OF_SALE: [EndOfSale; 1] = [EndOfSale {
    key: PriceKey::PowerAppsPerApp,
    from: BillingMonth {
        year: 2026,
        month: 1,
    },
    date: "01/02/2026",
    ended_for: "new customers buying through an Enterprise Agreement (EA) or MPSA",
    still_sold: "through CSP (Cloud Solution Provider), to new and existing customers (Microsoft \
                 said on 03/30/2026 that the end of sale does not apply to CSP; back on CSP price \
                 lists from early April 2026); and to existing EA customers during their \
                 agreement's term, existing MPSA customers until their agreement ends",
    sources: &[
        sources::PER_APP_END_OF_SALE_3P,
        sources::PER_APP_PARTNER_ALERT_3P,
    ],
}];

/// The end of sale of the licence priced under `key` that applies in `month`, if any.
pub fn end_of_sale(key: PriceKey, month: BillingMonth) -> Option<&'static EndOfSale> {
    END_OF_SALE.iter().find(|e| e.key == key && month >= e.from)
}

/// A dated price book: list prices and rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceBook {
    /// Which book this is.
    pub id: PriceBookId,
    /// The date from which the book applies (the `ms.date` of the documentation it follows,
    /// or a chosen date where the sources give none; `notes` says which).
    pub effective: &'static str,
    /// The book's name for people.
    pub title: &'static str,
    /// The currency of every price (USD list prices).
    pub currency: &'static str,
    /// When the book's sources were last checked ("YYYY-MM").
    pub last_checked: &'static str,
    /// The list price of every key the book knows.
    pub prices: BTreeMap<PriceKey, Decimal>,
    /// The rule variant of the book's date.
    pub rules: BookRules,
}

/// "YYYY-MM…" to a month.
fn month_of(date: &str) -> Option<BillingMonth> {
    let year = date.get(0..4)?.parse().ok()?;
    let month = date.get(5..7)?.parse().ok()?;
    (1..=12)
        .contains(&month)
        .then_some(BillingMonth { year, month })
}

/// List prices shared by every book (spec 5.1, and unchanged in every 2025-2026 source).
fn meter_prices() -> BTreeMap<PriceKey, Decimal> {
    BTreeMap::from([
        (PriceKey::PowerAppsPerAppUser, dec!(10)),
        (PriceKey::FlowRunCloud, dec!(0.60)),
        (PriceKey::FlowRunAttended, dec!(0.60)),
        (PriceKey::FlowRunUnattended, dec!(3.00)),
        (PriceKey::FlowRunHosted, dec!(3.00)),
        (PriceKey::PagesAuthenticatedUser, dec!(4)),
        (PriceKey::PagesAnonymousUser, dec!(0.30)),
        (PriceKey::DataverseDatabaseGb, dec!(48)),
        (PriceKey::DataverseFileGb, dec!(2.40)),
        (PriceKey::DataverseLogGb, dec!(12)),
        (PriceKey::PlatformRequest, dec!(0.00004)),
    ])
}

/// The prepaid prices both early books carry (spec 5.2).
fn prepaid_prices() -> [(PriceKey, Decimal); 14] {
    [
        (PriceKey::PowerAutomatePerUser, dec!(15)),
        (PriceKey::PowerAutomatePerUserRpa, dec!(40)),
        (PriceKey::PowerAutomatePremium, dec!(15)),
        (PriceKey::UnattendedRpaAddon, dec!(150)),
        (PriceKey::PowerAutomatePerFlow, dec!(100)),
        (PriceKey::PowerAutomateProcess, dec!(150)),
        (PriceKey::HostedProcess, dec!(215)),
        (PriceKey::RequestsAddonPack, dec!(50)),
        (PriceKey::CopilotMessagePack, dec!(200)),
        (PriceKey::PowerAppsPremium, dec!(20)),
        (PriceKey::PowerAppsPerApp, dec!(5)),
        (PriceKey::DataverseDatabaseCapacityGb, dec!(40)),
        (PriceKey::DataverseFileCapacityGb, dec!(2)),
        (PriceKey::DataverseLogCapacityGb, dec!(10)),
    ]
}

/// Where each price of a book comes from: the meters page of the book, the licensing pages
/// for prepaid prices, third parties where Microsoft prints none. `None` for a key the book
/// has no price for, except Windows 365 for Agents from 2026 (the meter exists, its price does
/// not). A function, not a map kept in the book: the app never reads sources, and this keeps
/// them and their text out of its first load.
fn price_source(id: PriceBookId, key: PriceKey) -> Option<SourceId> {
    use SourceId::*;
    let seed = id == PriceBookId::Seed2023;
    let credits = id >= PriceBookId::Credits2025;
    let source = match key {
        PriceKey::Windows365AgentHour if id >= PriceBookId::Agents2026 => CloudPc,
        PriceKey::Windows365AgentHour => return None,
        PriceKey::CopilotStudioMessage if seed => return None,
        PriceKey::CopilotStudioMessage if credits => Rename,
        PriceKey::CopilotMessagePack if credits => CreditsOverview,
        PriceKey::CopilotCreditUnit if id >= PriceBookId::AiBuilder2025 => CreditsOverview,
        PriceKey::CopilotCreditUnit => return None,
        // Premium and Process came later (S17); the seed book carries their newer prices.
        PriceKey::PowerAutomatePremium | PriceKey::PowerAutomateProcess => PaFaq,
        PriceKey::PowerAutomatePerUser
        | PriceKey::PowerAutomatePerUserRpa
        | PriceKey::UnattendedRpaAddon
        | PriceKey::PowerAutomatePerFlow
            if !seed =>
        {
            PaFaq
        }
        PriceKey::RequestsAddonPack => PaAddons,
        PriceKey::HostedProcess
        | PriceKey::CopilotMessagePack
        | PriceKey::PowerAppsPremium
        | PriceKey::PowerAppsPerApp => Prepaid3p,
        PriceKey::DataverseDatabaseCapacityGb
        | PriceKey::DataverseFileCapacityGb
        | PriceKey::DataverseLogCapacityGb => DataverseAddons3p,
        _ if seed => Meters2023,
        _ => Meters2025,
    };
    Some(source)
}

/// Rate table version 1 (02/01/2025).
fn rates_v1() -> CreditRates {
    use SourceId::RatesV1 as S;
    CreditRates {
        classic_answer: rate(dec!(1), 1, "answer", S),
        generative_answer: rate(dec!(2), 1, "answer", S),
        agent_action: rate(dec!(25), 1, "action", S),
        graph_grounding: rate(dec!(30), 1, "answer", S),
        agent_flow_actions: None,
        ai_tools: None,
        content_processing: None,
        voice: None,
    }
}

/// Rate table version 2 (spring 2025).
fn rates_v2() -> CreditRates {
    use SourceId::RatesV2 as S;
    CreditRates {
        classic_answer: rate(dec!(1), 1, "answer", S),
        generative_answer: rate(dec!(2), 1, "answer", S),
        agent_action: rate(dec!(5), 1, "action", S),
        graph_grounding: rate(dec!(10), 1, "answer", S),
        agent_flow_actions: Some(rate(dec!(13), 100, "action", S)),
        ai_tools: Some([
            rate(dec!(1), 10, "response", S),
            rate(dec!(15), 10, "response", S),
            rate(dec!(100), 10, "response", S),
        ]),
        content_processing: None,
        voice: None,
    }
}

/// Version 2 with AI tools per 1,000 tokens and content processing per page (10/2025).
fn rates_tokens() -> CreditRates {
    use SourceId::AiBuilderTokens as S;
    CreditRates {
        ai_tools: Some([
            rate(dec!(0.1), 1_000, "token", S),
            rate(dec!(1.5), 1_000, "token", S),
            rate(dec!(10), 1_000, "token", S),
        ]),
        content_processing: Some(rate(dec!(8), 1, "page", S)),
        ..rates_v2()
    }
}

/// The 2026 table: voice minutes, from third-party copies only.
fn rates_2026() -> CreditRates {
    use SourceId::Voice3p as S;
    CreditRates {
        voice: Some([
            rate(dec!(10), 1, "minute", S),
            rate(dec!(35), 1, "minute", S),
            rate(dec!(75), 1, "minute", S),
        ]),
        ..rates_tokens()
    }
}

impl PriceBook {
    /// The seed: meters page of 06/20/2023 with the prepaid prices of its table (S4).
    pub fn seed_2023() -> PriceBook {
        let mut prices = meter_prices();
        // Power Automate Premium did not exist yet; the seed's per-user price stands in for
        // the advisor.
        prices.extend(prepaid_prices());
        PriceBook {
            id: PriceBookId::Seed2023,
            effective: "2023-06-20",
            title: "Pay-as-you-go meters, 06/20/2023 (seed)",
            currency: "USD",
            last_checked: CHECKED,
            prices,
            rules: BookRules {
                dataverse_snapshots_per_day: 3,
                dataverse_rate_divisor: 90,
                dataverse_free_gb: 1,
                dataverse_allocation: false,
                copilot_studio_meter: false,
                copilot_credits: false,
                credit_rates: None,
                prepaid_enforcement_percent: None,
                ai_builder_on_credits: false,
                prepurchase_plan: false,
                windows365_agents_meter: false,
                windows365_free_hours: 0,
                meter_selection: false,
                addons_in_payg: false,
                requests_billed: false,
                flow_daily_cap: 1_000,
                per_app_meter_daily_requests: 6_000,
                requests_per_addon_pack: 50_000,
            },
        }
    }

    /// The meters page of 02/07/2025, FAQ of 12/02/2024, licensing of 2025.
    pub fn newest_2025() -> PriceBook {
        let mut prices = meter_prices();
        prices.insert(PriceKey::CopilotStudioMessage, dec!(0.01));
        // S17: per user and per user with RPA are legacy, superseded by Premium at $15.
        prices.extend(prepaid_prices());
        PriceBook {
            id: PriceBookId::Newest2025,
            effective: "2025-02-07",
            title: "Pay-as-you-go meters, 02/07/2025",
            currency: "USD",
            last_checked: CHECKED,
            prices,
            rules: BookRules {
                dataverse_snapshots_per_day: 1,
                dataverse_rate_divisor: 30,
                dataverse_free_gb: 1,
                dataverse_allocation: true,
                copilot_studio_meter: true,
                copilot_credits: false,
                // CS-3: the rates from Feb 1, 2025 (analytics-billed-sessions).
                credit_rates: Some(rates_v1()),
                prepaid_enforcement_percent: None,
                ai_builder_on_credits: false,
                prepurchase_plan: false,
                windows365_agents_meter: false,
                windows365_free_hours: 0,
                meter_selection: true,
                addons_in_payg: true,
                requests_billed: false,
                flow_daily_cap: 1_000,
                per_app_meter_daily_requests: 6_000,
                requests_per_addon_pack: 50_000,
            },
        }
    }

    /// Spring 2025: rate table version 2 and the 125 % enforcement. The sources give no date
    /// for the table (the page version carries a 03/25/2025 note); 05/01/2025 is chosen as
    /// the first month in which both it and the enforcement of 04/30/2025 hold.
    pub fn spring_2025() -> PriceBook {
        let mut book = PriceBook::newest_2025();
        book.id = PriceBookId::Spring2025;
        book.effective = "2025-05-01";
        book.title = "Copilot Studio rate table version 2, spring 2025 (date chosen: 05/01/2025)";
        book.rules.credit_rates = Some(rates_v2());
        book.rules.prepaid_enforcement_percent = Some(125);
        book
    }

    /// 09/01/2025: messages become Copilot Credits, with no change in price or pack size.
    pub fn credits_2025() -> PriceBook {
        let mut book = PriceBook::spring_2025();
        book.id = PriceBookId::Credits2025;
        book.effective = "2025-09-01";
        book.title = "Copilot Credits, 09/01/2025";
        book.rules.copilot_credits = true;
        book
    }

    /// October 2025: AI tools per 1,000 tokens, content processing per page. The commits are
    /// of 10/03 and 10/27/2025; 10/01/2025 is chosen so the book prices all of October.
    pub fn tokens_2025() -> PriceBook {
        let mut book = PriceBook::credits_2025();
        book.id = PriceBookId::Tokens2025;
        book.effective = "2025-10-01";
        book.title = "Copilot Credits per token, 10/2025 (date chosen: 10/01/2025)";
        book.rules.credit_rates = Some(rates_tokens());
        book
    }

    /// 11/01/2025: AI Builder falls back to Copilot Credits; the Copilot Credit pre-purchase
    /// plan (1 CU = $1 = 100 credits).
    pub fn ai_builder_2025() -> PriceBook {
        let mut book = PriceBook::tokens_2025();
        book.id = PriceBookId::AiBuilder2025;
        book.effective = "2025-11-01";
        book.title = "AI Builder on Copilot Credits, 11/01/2025";
        book.rules.ai_builder_on_credits = true;
        book.rules.prepurchase_plan = true;
        // 1 CU = $1 = 100 credits; the tier discounts are not published as a table.
        book.prices.insert(PriceKey::CopilotCreditUnit, dec!(1));
        book
    }

    /// 2026: Windows 365 for Agents, voice rates, agent flows off the requests meter. The
    /// facts are dated "2026" except the requests page (09/08/2026), which dates the book.
    pub fn agents_2026() -> PriceBook {
        let mut book = PriceBook::ai_builder_2025();
        book.id = PriceBookId::Agents2026;
        book.effective = "2026-09-08";
        book.title = "Windows 365 for Agents and voice, 2026 (date chosen: 09/08/2026)";
        book.rules.credit_rates = Some(rates_2026());
        book.rules.windows365_agents_meter = true;
        book.rules.windows365_free_hours = 50;
        book
    }

    /// The list price of a key (zero if the book has none, e.g. Copilot Studio in 2023).
    pub fn list_price(&self, key: PriceKey) -> Decimal {
        self.prices.get(&key).copied().unwrap_or(Decimal::ZERO)
    }

    /// The source of the price of `key` in this book.
    pub fn source(&self, key: PriceKey) -> Option<Source> {
        price_source(self.id, key).map(SourceId::source)
    }

    /// Where a charge line's figures come from: the source of the price of `key` and, for
    /// Copilot Studio / Copilot Credits, of the rate table that converts use to credits
    /// (distinct, in table order). Empty where Microsoft publishes nothing.
    pub fn sources_for(&self, key: PriceKey) -> Vec<Source> {
        let mut out: Vec<Source> = self.source(key).into_iter().collect();
        if key == PriceKey::CopilotStudioMessage
            && let Some(rates) = self.rules.credit_rates
        {
            for (_, r) in rates.named() {
                let s = r.source.source();
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }

    /// Whether the book knows a price for `key` (Windows 365 for Agents has none).
    pub fn has_price(&self, key: PriceKey) -> bool {
        self.prices.contains_key(&key)
    }

    /// The month the book takes effect.
    pub fn effective_month(&self) -> Option<BillingMonth> {
        month_of(self.effective)
    }

    /// Whether `month` is later than the book's sources were last checked: its prices may
    /// have changed since (the app can say so).
    pub fn month_after_check(&self, month: BillingMonth) -> bool {
        month_of(&format!("{}-01", self.last_checked)).is_some_and(|checked| month > checked)
    }
}

fn source_cell(s: &Source) -> String {
    let kind = match s.kind {
        SourceKind::FirstParty => "first-party",
        SourceKind::ThirdParty => "third-party, provisional",
    };
    format!(
        "[{}]({}) ({kind}; version {}; verified {})",
        s.title, s.address, s.version, s.verified
    )
}

/// `docs/price-books.md`: the readable view of every book (a test keeps the file equal to
/// this; `power-payg books --markdown` writes it).
pub fn books_markdown() -> String {
    let mut out = String::from(
        "# Price books\n\n\
         Generated from `src/engine/price_book.rs` by `power-payg books --markdown`; a test \
         fails when this file and the data differ. A scenario names its book (`price_book`); \
         `PriceBookId::for_month` gives the default for a month: the newest book whose \
         effective month is on or before it. Every price can be overridden per scenario \
         (`price_overrides`). Third-party figures are provisional.\n\n\
         | book | effective | title | last checked |\n| --- | --- | --- | --- |\n",
    );
    for id in PriceBookId::ALL {
        let b = id.book();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            id.key(),
            b.effective,
            b.title,
            b.last_checked
        ));
    }
    for id in PriceBookId::ALL {
        let b = id.book();
        out.push_str(&format!(
            "\n## `{}`: {}\n\nEffective {}.\n\n",
            id.key(),
            b.title,
            b.effective
        ));
        for n in id.notes() {
            out.push_str(&format!("- {n}\n"));
        }
        out.push_str("\n| price | key | USD | source |\n| --- | --- | --- | --- |\n");
        for k in PriceKey::ALL {
            let Some(source) = b.source(k) else {
                continue;
            };
            let price = b
                .prices
                .get(&k)
                .map_or("not published: enter a negotiated price".to_string(), |p| {
                    p.to_string()
                });
            out.push_str(&format!(
                "| {} | `{}` | {price} | {} |\n",
                k.label(),
                k.key(),
                source_cell(&source)
            ));
        }
        if let Some(rates) = &b.rules.credit_rates {
            let unit = if b.rules.copilot_credits {
                "credits"
            } else {
                "messages"
            };
            out.push_str(&format!(
                "\n| Copilot Studio feature | {unit} | per | source |\n| --- | --- | --- | --- |\n"
            ));
            for (name, r) in rates.named() {
                out.push_str(&format!(
                    "| {name} | {} | {} {} | {} |\n",
                    r.credits,
                    r.per,
                    r.unit,
                    source_cell(&r.source.source())
                ));
            }
        }
    }
    out
}

/// A book with a scenario's overrides applied: what pricing actually uses.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectivePrices {
    /// The book whose list prices apply.
    pub book: PriceBook,
    /// The scenario's negotiated prices, by key.
    pub overrides: BTreeMap<PriceKey, Decimal>,
}

/// A price as used on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitPrice {
    /// The price per unit.
    pub amount: Decimal,
    /// Whether it is the scenario's negotiated price.
    pub overridden: bool,
}

impl EffectivePrices {
    /// The book with the scenario's overrides.
    pub fn new(book: PriceBook, overrides: &BTreeMap<PriceKey, Decimal>) -> EffectivePrices {
        EffectivePrices {
            book,
            overrides: overrides.clone(),
        }
    }

    /// The price for `key`: the override if the scenario has one, else the list price.
    pub fn get(&self, key: PriceKey) -> UnitPrice {
        match self.overrides.get(&key) {
            Some(p) => UnitPrice {
                amount: *p,
                overridden: true,
            },
            None => UnitPrice {
                amount: self.book.list_price(key),
                overridden: false,
            },
        }
    }

    /// The book's rule variant.
    pub fn rules(&self) -> &BookRules {
        &self.book.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `engine::finish` filters `ALL` for the negotiated prices used instead of sorting them.
    #[test]
    fn all_keys_are_in_ord_order() {
        assert!(PriceKey::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_price_has_a_source_and_only_unpublished_prices_lack_a_figure() {
        for id in PriceBookId::ALL {
            let b = id.book();
            assert_eq!(b.id, id);
            for k in PriceKey::ALL {
                let priced = b.prices.contains_key(&k);
                let unpublished =
                    k == PriceKey::Windows365AgentHour && b.rules.windows365_agents_meter;
                assert_eq!(
                    b.source(k).is_some(),
                    priced || unpublished,
                    "{} {}",
                    id.key(),
                    k.key()
                );
            }
            assert!(!id.notes().is_empty());
            assert!(b.effective_month().is_some(), "{}", id.key());
            assert!(b.effective.starts_with(id.key()), "{}", id.key());
        }
    }

    #[test]
    fn books_are_oldest_first_and_the_old_two_are_unchanged() {
        assert!(
            PriceBookId::ALL
                .windows(2)
                .all(|w| w[0].book().effective < w[1].book().effective)
        );
        let v1 = PriceBook::newest_2025().rules.credit_rates;
        let v1 = v1.map(|r| {
            [
                r.classic_answer,
                r.generative_answer,
                r.agent_action,
                r.graph_grounding,
            ]
            .map(|x| x.credits)
        });
        assert_eq!(v1, Some([dec!(1), dec!(2), dec!(25), dec!(30)]));
        assert_eq!(PriceBook::seed_2023().rules.credit_rates, None);
        for id in PriceBookId::ALL {
            assert_eq!(
                id.book()
                    .list_price(PriceKey::CopilotStudioMessage)
                    .is_zero(),
                id == PriceBookId::Seed2023
            );
        }
    }

    #[test]
    fn for_month_picks_the_newest_book_in_effect() {
        let m = |year, month| BillingMonth { year, month };
        assert_eq!(PriceBookId::for_month(m(2020, 1)), PriceBookId::Seed2023);
        assert_eq!(PriceBookId::for_month(m(2025, 1)), PriceBookId::Seed2023);
        assert_eq!(PriceBookId::for_month(m(2025, 2)), PriceBookId::Newest2025);
        assert_eq!(PriceBookId::for_month(m(2025, 4)), PriceBookId::Newest2025);
        assert_eq!(PriceBookId::for_month(m(2025, 5)), PriceBookId::Spring2025);
        assert_eq!(PriceBookId::for_month(m(2025, 9)), PriceBookId::Credits2025);
        assert_eq!(PriceBookId::for_month(m(2025, 10)), PriceBookId::Tokens2025);
        assert_eq!(
            PriceBookId::for_month(m(2026, 8)),
            PriceBookId::AiBuilder2025
        );
        assert_eq!(PriceBookId::for_month(m(2026, 9)), PriceBookId::Agents2026);
        assert_eq!(PriceBookId::for_month(m(2030, 1)), PriceBookId::Agents2026);
        let newest = PriceBookId::Agents2026.book();
        assert!(!newest.month_after_check(m(2026, 11)));
        assert!(newest.month_after_check(m(2026, 12)));
    }

    #[test]
    fn spring_table_prices_a_grounded_generative_answer_at_12() {
        let rates = PriceBook::spring_2025().rules.credit_rates;
        let sum = rates.map(|r| r.generative_answer.credits + r.graph_grounding.credits);
        assert_eq!(sum, Some(dec!(12)));
        let flows = rates.and_then(|r| r.agent_flow_actions);
        assert_eq!(
            flows.map(|r| r.credits_for(dec!(250))),
            Some(Ok(dec!(32.5)))
        );
    }

    #[test]
    fn voice_rates_are_provisional_and_the_rest_first_party() {
        for id in PriceBookId::ALL {
            for (name, r) in id
                .book()
                .rules
                .credit_rates
                .map(|r| r.named())
                .unwrap_or_default()
            {
                assert_eq!(r.source.provisional(), name.starts_with("voice"), "{name}");
                assert_eq!(r.source.source().provisional(), r.source.provisional());
            }
        }
    }

    #[test]
    fn docs_price_books_md_is_the_data() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/price-books.md");
        let file = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            file == books_markdown(),
            "docs/price-books.md differs from the data: run `cargo run --bin power-payg -- books --markdown > docs/price-books.md`"
        );
        for id in PriceBookId::ALL {
            let b = id.book();
            assert!(file.contains(&format!("## `{}`", id.key())));
            for (k, p) in &b.prices {
                assert!(
                    file.contains(&format!("| `{}` | {p} |", k.key())),
                    "{} {}",
                    id.key(),
                    k.key()
                );
            }
        }
    }
}
