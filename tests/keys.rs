//! The keys of the scenario format, frozen. Each enum defines its keys once (`keyed_enum!`),
//! so a renamed key is renamed everywhere at once: the decoder, serde and the forms agree, and
//! only saved files and share links, which still hold the old key, stop opening. This list is
//! what they hold; a change here is a change of the file format (see docs/scenario-format.md).

use power_payg::engine::{
    AgentChannel, AllocationMode, ConnectorClass, DataverseMeasurement, FlowConnectors,
    FlowLicence, Licence, OwnerKind, PriceBookId, PriceKey, RequestEntityKind, RequestStacking,
    RunMode, SiteStatus, StorageCategory, StorageUsageKind, TenantPoolKind, Trigger, UserAgent,
};

#[test]
fn scenario_format_keys_never_change() {
    assert_eq!(
        Licence::KEYS,
        [
            "none",
            "microsoft365",
            "power_apps_per_user",
            "power_apps_per_app",
            "power_automate_per_user",
            "power_automate_per_user_rpa",
            "power_automate_premium",
            "dynamics365",
            "dynamics365_team_member",
        ]
    );
    assert_eq!(
        FlowLicence::KEYS,
        ["none", "per_flow", "process", "hosted_process"]
    );
    assert_eq!(
        PriceBookId::KEYS,
        [
            "2023-06", "2025-02", "2025-05", "2025-09", "2025-10", "2025-11", "2026-09"
        ]
    );
    assert_eq!(
        PriceKey::KEYS,
        [
            "power_apps_per_app_user",
            "flow_run_cloud",
            "flow_run_attended",
            "flow_run_unattended",
            "flow_run_hosted",
            "pages_authenticated_user",
            "pages_anonymous_user",
            "dataverse_database_gb",
            "dataverse_file_gb",
            "dataverse_log_gb",
            "platform_request",
            "copilot_studio_message",
            "windows365_agent_hour",
            "power_automate_per_user",
            "power_automate_per_user_rpa",
            "power_automate_premium",
            "unattended_rpa_addon",
            "power_automate_per_flow",
            "power_automate_process",
            "hosted_process",
            "requests_addon_pack",
            "copilot_message_pack",
            "copilot_credit_unit",
            "power_apps_premium",
            "power_apps_per_app",
            "dataverse_database_capacity_gb",
            "dataverse_file_capacity_gb",
            "dataverse_log_capacity_gb",
        ]
    );
    assert_eq!(RequestStacking::KEYS, ["sum", "highest"]);
    assert_eq!(DataverseMeasurement::KEYS, ["snapshots", "monthly_average"]);
    assert_eq!(AllocationMode::KEYS, ["replace", "max", "add"]);
    assert_eq!(ConnectorClass::KEYS, ["standard", "premium"]);
    assert_eq!(
        Trigger::KEYS,
        ["automated", "scheduled", "instant", "power_apps"]
    );
    assert_eq!(RunMode::KEYS, ["cloud", "attended", "unattended", "hosted"]);
    assert_eq!(FlowConnectors::KEYS, ["standard", "premium", "isv_only"]);
    assert_eq!(OwnerKind::KEYS, ["user", "service_principal"]);
    assert_eq!(SiteStatus::KEYS, ["live", "trial", "private"]);
    assert_eq!(UserAgent::KEYS, ["browser", "bot", "monitor"]);
    assert_eq!(StorageCategory::KEYS, ["database", "file", "log"]);
    assert_eq!(StorageUsageKind::KEYS, ["constant", "linear", "series"]);
    assert_eq!(
        RequestEntityKind::KEYS,
        ["users", "flow", "per_app_meter_users", "non_licensed"]
    );
    assert_eq!(TenantPoolKind::KEYS, ["power_platform", "dynamics365"]);
    assert_eq!(
        AgentChannel::KEYS,
        [
            "copilot_studio",
            "m365_copilot_chat",
            "dynamics365",
            "ai_builder"
        ]
    );
}

/// A saved file with every keyed value still opens: the keys above, read by the decoder.
#[test]
fn a_file_with_every_key_opens() {
    for status in ["live", "trial", "private"] {
        let json = format!(
            r#"{{"version":1,"name":"x","price_book":"2023-06","month":{{"year":2026,"month":11}},
               "environments":[{{"name":"e","payg":true,"websites":[{{"name":"w","status":"{status}"}}]}}]}}"#
        );
        let s = power_payg::engine::decode::decode_scenario(&json);
        assert_eq!(
            s.map(|s| s.environments[0].websites[0].status.key()),
            Ok(status)
        );
    }
}
