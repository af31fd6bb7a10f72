//! Dated price books: list prices and the rule variant of one version of the documentation.
//!
//! Prices are data. Every price has a [`PriceKey`]; a scenario may override any of them
//! (negotiated prices), and every charge line records whether its price was overridden.

use rust_decimal::Decimal;
use rust_decimal::dec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The price books this build knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PriceBookId {
    /// The meters page of 06/20/2023 (the seed): 3 Dataverse snapshots a day, no allocation,
    /// no Copilot Studio meter, no add-ons in PAYG.
    #[serde(rename = "2023-06")]
    Seed2023,
    /// The meters page of 02/07/2025 and the FAQ of 12/2024: Copilot Studio, one Dataverse
    /// snapshot a day, allocated capacity, meter selection, add-ons in PAYG.
    #[serde(rename = "2025-02")]
    Newest2025,
}

impl PriceBookId {
    pub const ALL: [PriceBookId; 2] = [PriceBookId::Seed2023, PriceBookId::Newest2025];

    pub fn key(self) -> &'static str {
        match self {
            PriceBookId::Seed2023 => "2023-06",
            PriceBookId::Newest2025 => "2025-02",
        }
    }

    pub fn from_key(key: &str) -> Option<PriceBookId> {
        PriceBookId::ALL.into_iter().find(|b| b.key() == key)
    }

    /// The book itself.
    pub fn book(self) -> PriceBook {
        match self {
            PriceBookId::Seed2023 => PriceBook::seed_2023(),
            PriceBookId::Newest2025 => PriceBook::newest_2025(),
        }
    }
}

/// Every price the engine or the advisor can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceKey {
    // Pay-as-you-go meters (spec 5.1)
    PowerAppsPerAppUser,
    FlowRunCloud,
    FlowRunAttended,
    FlowRunUnattended,
    FlowRunHosted,
    PagesAuthenticatedUser,
    PagesAnonymousUser,
    DataverseDatabaseGb,
    DataverseFileGb,
    DataverseLogGb,
    PlatformRequest,
    CopilotStudioMessage,
    // Prepaid licences (spec 5.2), for the advisor
    PowerAutomatePerUser,
    PowerAutomatePerUserRpa,
    PowerAutomatePremium,
    UnattendedRpaAddon,
    PowerAutomatePerFlow,
    PowerAutomateProcess,
    HostedProcess,
    RequestsAddonPack,
    CopilotMessagePack,
    PowerAppsPremium,
    PowerAppsPerApp,
    DataverseDatabaseCapacityGb,
    DataverseFileCapacityGb,
    DataverseLogCapacityGb,
}

impl PriceKey {
    pub const ALL: [PriceKey; 26] = [
        PriceKey::PowerAppsPerAppUser,
        PriceKey::FlowRunCloud,
        PriceKey::FlowRunAttended,
        PriceKey::FlowRunUnattended,
        PriceKey::FlowRunHosted,
        PriceKey::PagesAuthenticatedUser,
        PriceKey::PagesAnonymousUser,
        PriceKey::DataverseDatabaseGb,
        PriceKey::DataverseFileGb,
        PriceKey::DataverseLogGb,
        PriceKey::PlatformRequest,
        PriceKey::CopilotStudioMessage,
        PriceKey::PowerAutomatePerUser,
        PriceKey::PowerAutomatePerUserRpa,
        PriceKey::PowerAutomatePremium,
        PriceKey::UnattendedRpaAddon,
        PriceKey::PowerAutomatePerFlow,
        PriceKey::PowerAutomateProcess,
        PriceKey::HostedProcess,
        PriceKey::RequestsAddonPack,
        PriceKey::CopilotMessagePack,
        PriceKey::PowerAppsPremium,
        PriceKey::PowerAppsPerApp,
        PriceKey::DataverseDatabaseCapacityGb,
        PriceKey::DataverseFileCapacityGb,
        PriceKey::DataverseLogCapacityGb,
    ];

    /// The serialised name (stable: part of the scenario format).
    pub fn key(self) -> &'static str {
        match self {
            PriceKey::PowerAppsPerAppUser => "power_apps_per_app_user",
            PriceKey::FlowRunCloud => "flow_run_cloud",
            PriceKey::FlowRunAttended => "flow_run_attended",
            PriceKey::FlowRunUnattended => "flow_run_unattended",
            PriceKey::FlowRunHosted => "flow_run_hosted",
            PriceKey::PagesAuthenticatedUser => "pages_authenticated_user",
            PriceKey::PagesAnonymousUser => "pages_anonymous_user",
            PriceKey::DataverseDatabaseGb => "dataverse_database_gb",
            PriceKey::DataverseFileGb => "dataverse_file_gb",
            PriceKey::DataverseLogGb => "dataverse_log_gb",
            PriceKey::PlatformRequest => "platform_request",
            PriceKey::CopilotStudioMessage => "copilot_studio_message",
            PriceKey::PowerAutomatePerUser => "power_automate_per_user",
            PriceKey::PowerAutomatePerUserRpa => "power_automate_per_user_rpa",
            PriceKey::PowerAutomatePremium => "power_automate_premium",
            PriceKey::UnattendedRpaAddon => "unattended_rpa_addon",
            PriceKey::PowerAutomatePerFlow => "power_automate_per_flow",
            PriceKey::PowerAutomateProcess => "power_automate_process",
            PriceKey::HostedProcess => "hosted_process",
            PriceKey::RequestsAddonPack => "requests_addon_pack",
            PriceKey::CopilotMessagePack => "copilot_message_pack",
            PriceKey::PowerAppsPremium => "power_apps_premium",
            PriceKey::PowerAppsPerApp => "power_apps_per_app",
            PriceKey::DataverseDatabaseCapacityGb => "dataverse_database_capacity_gb",
            PriceKey::DataverseFileCapacityGb => "dataverse_file_capacity_gb",
            PriceKey::DataverseLogCapacityGb => "dataverse_log_capacity_gb",
        }
    }

    pub fn from_key(key: &str) -> Option<PriceKey> {
        PriceKey::ALL.into_iter().find(|k| k.key() == key)
    }

    /// What the price is for, with its unit.
    pub fn label(self) -> &'static str {
        match self {
            PriceKey::PowerAppsPerAppUser => "Power Apps per active user per app, month",
            PriceKey::FlowRunCloud => "Premium cloud flow run",
            PriceKey::FlowRunAttended => "Attended desktop flow run",
            PriceKey::FlowRunUnattended => "Unattended desktop flow run",
            PriceKey::FlowRunHosted => "Hosted RPA desktop flow run",
            PriceKey::PagesAuthenticatedUser => "Power Pages authenticated user per website, month",
            PriceKey::PagesAnonymousUser => "Power Pages anonymous user per website, month",
            PriceKey::DataverseDatabaseGb => "Dataverse database GB, month",
            PriceKey::DataverseFileGb => "Dataverse file GB, month",
            PriceKey::DataverseLogGb => "Dataverse log GB, month",
            PriceKey::PlatformRequest => "Power Platform request above the daily entitlement",
            PriceKey::CopilotStudioMessage => "Copilot Studio message",
            PriceKey::PowerAutomatePerUser => "Power Automate per user licence, month",
            PriceKey::PowerAutomatePerUserRpa => "Power Automate per user with attended RPA, month",
            PriceKey::PowerAutomatePremium => "Power Automate Premium licence, month",
            PriceKey::UnattendedRpaAddon => "Unattended RPA add-on per bot, month",
            PriceKey::PowerAutomatePerFlow => "Power Automate per flow licence, month",
            PriceKey::PowerAutomateProcess => "Power Automate Process per bot, month",
            PriceKey::HostedProcess => "Hosted Process per bot, month",
            PriceKey::RequestsAddonPack => "Requests add-on, +50,000 a day, month",
            PriceKey::CopilotMessagePack => "Copilot Studio pack of 25,000 messages, month",
            PriceKey::PowerAppsPremium => "Power Apps Premium (per user), month",
            PriceKey::PowerAppsPerApp => "Power Apps per app, per user per app, month",
            PriceKey::DataverseDatabaseCapacityGb => "Dataverse database capacity add-on GB, month",
            PriceKey::DataverseFileCapacityGb => "Dataverse file capacity add-on GB, month",
            PriceKey::DataverseLogCapacityGb => "Dataverse log capacity add-on GB, month",
        }
    }

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
        )
    }
}

/// Copilot Studio messages per event (CS-3), versioned with the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CopilotEventRates {
    pub classic_answer: u64,
    pub generative_answer: u64,
    pub agent_action: u64,
    pub graph_grounding: u64,
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
    /// CS-3: messages per event.
    pub copilot_event_rates: Option<CopilotEventRates>,
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

/// A dated price book: list prices and rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceBook {
    pub id: PriceBookId,
    /// The `ms.date` of the documentation it follows.
    pub effective: &'static str,
    pub title: &'static str,
    pub currency: &'static str,
    pub prices: BTreeMap<PriceKey, Decimal>,
    pub rules: BookRules,
}

/// List prices shared by both books (spec 5.1: unchanged between 2023 and 2025).
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

impl PriceBook {
    /// The seed: meters page of 06/20/2023 with the prepaid prices of its table (S4).
    pub fn seed_2023() -> PriceBook {
        let mut prices = meter_prices();
        prices.extend([
            (PriceKey::PowerAutomatePerUser, dec!(15)),
            (PriceKey::PowerAutomatePerUserRpa, dec!(40)),
            // Premium did not exist yet; the seed's per-user price stands in for the advisor.
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
        ]);
        PriceBook {
            id: PriceBookId::Seed2023,
            effective: "2023-06-20",
            title: "Pay-as-you-go meters, 06/20/2023 (seed)",
            currency: "USD",
            prices,
            rules: BookRules {
                dataverse_snapshots_per_day: 3,
                dataverse_rate_divisor: 90,
                dataverse_free_gb: 1,
                dataverse_allocation: false,
                copilot_studio_meter: false,
                copilot_event_rates: None,
                meter_selection: false,
                addons_in_payg: false,
                requests_billed: false,
                flow_daily_cap: 1_000,
                per_app_meter_daily_requests: 6_000,
                requests_per_addon_pack: 50_000,
            },
        }
    }

    /// The newest known pages: meters of 02/07/2025, FAQ of 12/02/2024, licensing of 2025.
    pub fn newest_2025() -> PriceBook {
        let mut prices = meter_prices();
        prices.extend([
            (PriceKey::CopilotStudioMessage, dec!(0.01)),
            // S17: per user and per user with RPA are legacy, superseded by Premium at $15.
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
        ]);
        PriceBook {
            id: PriceBookId::Newest2025,
            effective: "2025-02-07",
            title: "Pay-as-you-go meters, 02/07/2025",
            currency: "USD",
            prices,
            rules: BookRules {
                dataverse_snapshots_per_day: 1,
                dataverse_rate_divisor: 30,
                dataverse_free_gb: 1,
                dataverse_allocation: true,
                copilot_studio_meter: true,
                // CS-3: the rates from Feb 1, 2025 (analytics-billed-sessions).
                copilot_event_rates: Some(CopilotEventRates {
                    classic_answer: 1,
                    generative_answer: 2,
                    agent_action: 25,
                    graph_grounding: 30,
                }),
                meter_selection: true,
                addons_in_payg: true,
                requests_billed: false,
                flow_daily_cap: 1_000,
                per_app_meter_daily_requests: 6_000,
                requests_per_addon_pack: 50_000,
            },
        }
    }

    /// The list price of a key (zero if the book has none, e.g. Copilot Studio in 2023).
    pub fn list_price(&self, key: PriceKey) -> Decimal {
        self.prices.get(&key).copied().unwrap_or(Decimal::ZERO)
    }
}

/// A book with a scenario's overrides applied: what pricing actually uses.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectivePrices {
    pub book: PriceBook,
    pub overrides: BTreeMap<PriceKey, Decimal>,
}

/// A price as used on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitPrice {
    pub amount: Decimal,
    pub overridden: bool,
}

impl EffectivePrices {
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
}
