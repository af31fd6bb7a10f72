//! The scenario decoder: every problem listed by field path, exact decimals, defaults, the
//! version rule, round trips, the documentation's snippets, and no panic on any input.

use power_payg::engine::decode::{Problem, decode_scenario, encode_scenario};
use power_payg::engine::{
    AllocationMode, AnonymousExclusions, AnonymousRequest, App, BillingMonth, ConnectorClass,
    CopilotStudio, DailyRequests, DailyRuns, DataverseMeasurement, Environment, Flow,
    FlowConnectors, FlowLicence, IsvCustomer, Licence, MeterSwitches, NamedUser, Owner,
    PriceBookId, PriceKey, RequestConsumer, RequestEntity, RequestStacking, RuleOptions, RunGroup,
    RunMode, Scenario, SiteStatus, Storage, StorageAllocation, StoragePoint, StorageUsage,
    TenantPool, Trigger, UserAgent, UserGroup, Website, examples,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::dec;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A minimal valid scenario as JSON, to be altered by each test.
fn base() -> Value {
    json!({
        "version": 1,
        "name": "test",
        "price_book": "2023-06",
        "month": { "year": 2026, "month": 11 },
        "environments": [ { "name": "Contoso PAYG", "payg": true } ]
    })
}

fn problems(v: &Value) -> Vec<Problem> {
    match decode_scenario(&v.to_string()) {
        Ok(s) => panic!("expected problems, decoded {s:?}"),
        Err(p) => p,
    }
}

fn messages(v: &Value) -> Vec<String> {
    problems(v).iter().map(ToString::to_string).collect()
}

fn ok(v: &Value) -> Scenario {
    match decode_scenario(&v.to_string()) {
        Ok(s) => s,
        Err(p) => panic!("expected a scenario, got {p:#?}"),
    }
}

fn env0(s: &Scenario) -> &Environment {
    &s.environments[0]
}

#[test]
fn minimal_scenario_takes_serde_defaults() {
    let s = ok(&base());
    assert_eq!(s.version, 1);
    assert_eq!(s.price_book, PriceBookId::Seed2023);
    assert_eq!(
        s.month,
        BillingMonth {
            year: 2026,
            month: 11
        }
    );
    assert_eq!(s.options, RuleOptions::default());
    assert!(s.price_overrides.is_empty());
    assert!(s.isv_customers.is_empty());
    let e = env0(&s);
    assert_eq!(e.meters, MeterSwitches::default());
    assert_eq!(e.storage, Storage::default());
    assert_eq!(e.copilot_studio, CopilotStudio::default());
    // The same as serde's own reading of it.
    let by_serde: Scenario = serde_json::from_value(base()).unwrap();
    assert_eq!(s, by_serde);
}

#[test]
fn message_format_is_path_colon_message() {
    let mut v = base();
    v["environments"][0]["apps"] = json!([
        { "name": "A", "connectors": "premium" },
        { "name": "B", "connectors": "standard" },
        { "name": "C", "connectors": "premium", "user_groups": [ { "users": -3, "licence": "none" } ] }
    ]);
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].path, "environments[0].apps[2].user_groups[0].users");
    assert_eq!(p[0].message, "must be a whole number ≥ 0, got -3");
    assert_eq!(
        p[0].to_string(),
        "environments[0].apps[2].user_groups[0].users: must be a whole number ≥ 0, got -3"
    );
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let mut v = base();
    v["name"] = json!(7);
    v["month"]["month"] = json!(13);
    v["environments"][0]["payg"] = json!("yes");
    v["environments"][0]["apps"] = json!([
        { "name": "A", "connectors": "premium", "user_groups": [ { "users": 2.5, "licence": "none" } ] },
        { "connectors": "gold" }
    ]);
    v["isv_customers"] =
        json!([{ "name": "F", "makers": 1, "premium_licensed_makers": 2, "runs_per_maker": 1 }]);
    let m = messages(&v);
    let expected = [
        "name: must be a string \"…\", got 7",
        "month.month: must be a month from 1 to 12, got 13",
        "environments[0].payg: must be true or false, got \"yes\"",
        "environments[0].apps[0].user_groups[0].users: must be a whole number ≥ 0, got 2.5",
        "environments[0].apps[1].name: is required but missing",
        "environments[0].apps[1].connectors: unknown connector class `gold`; expected one of `standard`, `premium`",
        "isv_customers[0].premium_licensed_makers: must be at most makers (1), as they are counted among them; got 2",
    ];
    for e in expected {
        assert!(m.iter().any(|x| x == e), "missing {e:?} in {m:#?}");
    }
    assert_eq!(m.len(), expected.len(), "{m:#?}");
}

#[test]
fn unknown_fields_are_named_with_the_expected_ones_and_a_suggestion() {
    let mut v = base();
    v["environments"][0]["apps"] = json!([{ "name": "A", "connectors": "premium", "user_groups": [ { "usrs": 3, "licence": "none" } ] }]);
    v["colour"] = json!("blue");
    let m = messages(&v);
    assert!(m.contains(&"colour: unknown field `colour`; expected one of `version`, `name`, `price_book`, `price_overrides`, `month`, `options`, `environments`, `isv_customers`, `advisor`".to_string()), "{m:#?}");
    assert!(
        m.contains(&"environments[0].apps[0].user_groups[0].usrs: unknown field `usrs`; expected one of `users`, `licence`; did you mean `users`?".to_string()),
        "{m:#?}"
    );
    assert!(m.contains(
        &"environments[0].apps[0].user_groups[0].users: is required but missing".to_string()
    ));
}

#[test]
fn unknown_enum_keys_list_the_valid_ones() {
    let mut v = base();
    v["price_book"] = json!("2024-01");
    v["options"] = json!({ "request_stacking": "max" });
    v["environments"][0]["users"] = json!([{ "id": "u", "licence": "power_apps_per_usr" }]);
    let m = messages(&v);
    assert!(
        m.contains(
            &"price_book: unknown price book `2024-01`; expected one of `2023-06`, `2025-02`, \
              `2025-05`, `2025-09`, `2025-10`, `2025-11`, `2026-09`"
                .to_string()
        ),
        "{m:#?}"
    );
    assert!(
        m.contains(
            &"options.request_stacking: unknown stacking `max`; expected one of `sum`, `highest`"
                .to_string()
        ),
        "{m:#?}"
    );
    let licence = m
        .iter()
        .find(|x| {
            x.starts_with("environments[0].users[0].licence: unknown licence `power_apps_per_usr`")
        })
        .unwrap();
    assert!(
        licence.contains("`power_automate_premium`")
            && licence.ends_with("did you mean `power_apps_per_user`?"),
        "{licence}"
    );
}

#[test]
fn a_newer_format_is_one_clear_problem() {
    let mut v = base();
    v["version"] = json!(2);
    v["new_thing"] = json!(true);
    let p = problems(&v);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].path, "version");
    assert_eq!(
        p[0].message,
        "written by a newer version of power-payg (format 2); this version reads format 1"
    );
}

#[test]
fn version_is_required_and_must_be_1() {
    let mut v = base();
    v.as_object_mut().unwrap().remove("version");
    let m = messages(&v);
    assert_eq!(
        m,
        ["version: is required but missing (this version of power-payg writes format 1)"]
    );
    v["version"] = json!(0);
    assert_eq!(
        messages(&v),
        ["version: must be 1 (the scenario format), got 0"]
    );
    v["version"] = json!("1");
    assert_eq!(
        messages(&v),
        ["version: must be 1 (the scenario format), got \"1\""]
    );
}

#[test]
fn not_json_and_not_an_object() {
    let p = decode_scenario("").unwrap_err();
    assert_eq!(p.len(), 1);
    assert!(
        p[0].path.is_empty() && p[0].message.contains("empty"),
        "{p:?}"
    );

    let p = decode_scenario("{\n  \"version\": 1,\n  \"name\": }").unwrap_err();
    assert_eq!(p.len(), 1);
    assert!(
        p[0].message
            .starts_with("not valid JSON at line 3, column 11: expected value"),
        "{p:?}"
    );

    let p = decode_scenario("[1, 2]").unwrap_err();
    assert_eq!(
        p[0].to_string(),
        "a scenario must be a JSON object {…}, got a list […]"
    );

    let p = decode_scenario("\"scenario\"").unwrap_err();
    assert_eq!(
        p[0].to_string(),
        "a scenario must be a JSON object {…}, got \"scenario\""
    );
}

#[test]
fn deep_nesting_is_a_problem_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let p = decode_scenario(&deep).unwrap_err();
    assert!(
        p[0].message.contains("nested more than 128 levels"),
        "{p:?}"
    );
    let deep = format!(
        "{{\"version\": 1, \"name\": {}1{}}}",
        "{\"a\":".repeat(5_000),
        "}".repeat(5_000)
    );
    assert!(decode_scenario(&deep).is_err());
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let text = format!("\u{feff}{}", base());
    assert!(decode_scenario(&text).is_ok());
}

#[test]
fn counts_are_whole_bounded_and_never_go_through_floats_unnoticed() {
    let mut v = base();
    v["environments"][0]["copilot_studio"] = json!({
        "messages": 1_000_000_000_000_000u64,
        "classic_answers": 1_000_000_000_000_001u64,
        "generative_answers": 1e30,
        "agent_actions": 3.0,
        "graph_grounding": "12",
        "m365_licensed_messages": 1.5
    });
    let m = messages(&v);
    let at = |f: &str| format!("environments[0].copilot_studio.{f}: ");
    assert!(
        m.contains(&format!(
            "{}must be at most 1,000,000,000,000,000, got 1000000000000001",
            at("classic_answers")
        )),
        "{m:#?}"
    );
    assert!(
        m.contains(&format!(
            "{}must be at most 1,000,000,000,000,000, got 1e+30",
            at("generative_answers")
        )),
        "{m:#?}"
    );
    assert!(
        m.contains(&format!(
            "{}must be a whole number ≥ 0, got \"12\"",
            at("graph_grounding")
        )),
        "{m:#?}"
    );
    assert!(
        m.contains(&format!(
            "{}must be a whole number ≥ 0, got 1.5",
            at("m365_licensed_messages")
        )),
        "{m:#?}"
    );
    assert_eq!(
        m.len(),
        4,
        "3.0 is a whole number and 10^15 is allowed: {m:#?}"
    );

    // A number with more digits than a float keeps is not whole just because its float is.
    let text = base().to_string().replace(
        "\"payg\":true",
        "\"payg\":true,\"copilot_studio\":{\"messages\":1.0000000000000000001}",
    );
    let p = decode_scenario(&text).unwrap_err();
    assert_eq!(
        p[0].to_string(),
        "environments[0].copilot_studio.messages: must be a whole number ≥ 0, got 1.0000000000000000001"
    );

    // Numbers are read from their text: exponents far out of range, zero with any exponent,
    // negative zero; messages show the number as written in the file.
    let with = |fields: &str| {
        let text = base().to_string().replace(
            "\"payg\":true",
            &format!("\"payg\":true,\"copilot_studio\":{{{fields}}}"),
        );
        decode_scenario(&text)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    let at = |f: &str| format!("environments[0].copilot_studio.{f}: ");
    assert_eq!(
        with("\"messages\":1E99,\"classic_answers\":1e-99,\"generative_answers\":-0"),
        vec![
            format!(
                "{}must be at most 1,000,000,000,000,000, got 1E99",
                at("messages")
            ),
            format!(
                "{}must be a whole number ≥ 0, got 1e-99",
                at("classic_answers")
            ),
            // -0 is zero (issue 15: it was refused as "must be ≥ 0, got -0").
        ]
    );
    assert_eq!(
        with("\"messages\":0e99,\"classic_answers\":2.50e1,\"agent_actions\":1000e-3"),
        Vec::<String>::new()
    );
}

#[test]
fn decimals_are_exact_from_strings_and_numbers() {
    let storage = |db: &str| {
        let text = base().to_string().replace(
            "\"payg\":true",
            &format!(
                "\"payg\":true,\"storage\":{{\"database\":{{\"kind\":\"constant\",\"gb\":{db}}}}}"
            ),
        );
        decode_scenario(&text).map(|s| match &s.environments[0].storage.database {
            StorageUsage::Constant { gb } => *gb,
            other => panic!("{other:?}"),
        })
    };
    assert_eq!(storage("\"1.5\""), Ok(dec!(1.5)));
    assert_eq!(storage("1.5"), Ok(dec!(1.5)));
    assert_eq!(storage("0.1"), Ok(dec!(0.1)));
    assert_eq!(storage("3"), Ok(dec!(3)));
    assert_eq!(storage("2.5e-3"), Ok(dec!(0.0025)));
    // Beyond what an f64 holds: read from the text, every digit kept.
    assert_eq!(
        storage("1.00000000000000000001"),
        Ok(dec!(1.00000000000000000001))
    );
    assert_eq!(
        storage("\"123456789.123456789012345678\""),
        Ok(dec!(123456789.123456789012345678))
    );
    assert_eq!(storage("\"1000000000\""), Ok(dec!(1000000000)));

    let err = |db: &str| storage(db).unwrap_err()[0].to_string();
    let path = "environments[0].storage.database.gb: ";
    assert_eq!(err("\"-1\""), format!("{path}must be ≥ 0, got \"-1\""));
    assert_eq!(err("-0.5"), format!("{path}must be ≥ 0, got -0.5"));
    assert_eq!(
        err("\"1000000000.01\""),
        format!("{path}must be at most 1,000,000,000 GB, got \"1000000000.01\"")
    );
    assert_eq!(
        err("1e300"),
        format!("{path}must be at most 1,000,000,000 GB, got 1e300")
    );
    assert_eq!(
        err("\"1,5\""),
        format!("{path}must be a decimal number ≥ 0 like \"1.5\", got \"1,5\"")
    );
    assert_eq!(
        err("\"1e3\""),
        format!("{path}must be a decimal number ≥ 0 like \"1.5\", got \"1e3\"")
    );
    assert_eq!(
        err("true"),
        format!("{path}must be a decimal number ≥ 0 like \"1.5\", got true")
    );
    assert!(err("\"0.00000000000000000000000000001\"").contains("too many decimal places"));
}

#[test]
fn prices_are_bounded_and_keys_checked() {
    let mut v = base();
    v["price_overrides"] = json!({
        "flow_run_cloud": "0.5",
        "power_apps_per_app_user": 8,
        "flow_rn_cloud": "1",
        "platform_request": "1000001"
    });
    let m = messages(&v);
    assert!(m.iter().any(|x| x.starts_with("price_overrides.flow_rn_cloud: unknown price key `flow_rn_cloud`; expected one of `power_apps_per_app_user`") && x.ends_with("did you mean `flow_run_cloud`?")), "{m:#?}");
    assert!(
        m.contains(
            &"price_overrides.platform_request: must be at most 1,000,000 USD, got \"1000001\""
                .to_string()
        ),
        "{m:#?}"
    );
    assert_eq!(m.len(), 2);

    v["price_overrides"] = json!({ "flow_run_cloud": "0.5", "power_apps_per_app_user": 8 });
    let s = ok(&v);
    assert_eq!(
        s.price_overrides.get(&PriceKey::FlowRunCloud),
        Some(&dec!(0.5))
    );
    assert_eq!(
        s.price_overrides.get(&PriceKey::PowerAppsPerAppUser),
        Some(&dec!(8))
    );
}

#[test]
fn days_must_fall_in_the_scenario_month() {
    let mut v = base();
    v["environments"][0]["requests"] = json!([{
        "name": "r",
        "entity": { "kind": "users", "users": 1, "licences": [] },
        "daily_requests": [ { "day": 30, "requests": 1 }, { "day": 31, "requests": 1 }, { "day": 0, "requests": 1 } ]
    }]);
    let m = messages(&v);
    assert_eq!(
        m,
        [
            "environments[0].requests[0].daily_requests[1].day: must be a day of 2026-11 from 1 to 30, got 31",
            "environments[0].requests[0].daily_requests[2].day: must be a day of 2026-11 from 1 to 30, got 0",
        ]
    );
    // Leap years.
    v["environments"][0]["requests"][0]["daily_requests"] = json!([{ "day": 29, "requests": 1 }]);
    v["month"] = json!({ "year": 2028, "month": 2 });
    ok(&v);
    v["month"] = json!({ "year": 2026, "month": 2 });
    assert_eq!(
        messages(&v),
        [
            "environments[0].requests[0].daily_requests[0].day: must be a day of 2026-02 from 1 to 28, got 29"
        ]
    );
}

#[test]
fn months_and_years() {
    let mut v = base();
    v["month"] = json!({ "year": 1999, "month": 0 });
    assert_eq!(
        messages(&v),
        [
            "month.year: must be a year from 2000 to 2,100, got 1999",
            "month.month: must be a month from 1 to 12, got 0"
        ]
    );
}

#[test]
fn user_references_and_duplicates() {
    let mut v = base();
    v["environments"][0]["users"] = json!([
        { "id": "U1", "licence": "none" },
        { "id": "U2", "licence": "microsoft365" },
        { "id": "U1", "licence": "none" }
    ]);
    v["environments"][0]["apps"] =
        json!([{ "name": "A", "connectors": "premium", "opened_by": ["U1", "U3"] }]);
    v["environments"][0]["websites"] =
        json!([{ "name": "W", "status": "live", "logged_in": ["U2", "U9"] }]);
    assert_eq!(
        messages(&v),
        [
            "environments[0].users[2].id: duplicate user id \"U1\" (also users[0])",
            "environments[0].apps[0].opened_by[1]: unknown user \"U3\"; add it to this environment's `users` (with its licence)",
            "environments[0].websites[0].logged_in[1]: unknown user \"U9\"; add it to this environment's `users` (with its licence)",
        ]
    );
}

#[test]
fn anonymous_exclusions_cannot_exceed_visitors() {
    let mut v = base();
    v["environments"][0]["websites"] = json!([{
        "name": "W", "status": "live", "anonymous_visitors": 100,
        "anonymous_exclusions": { "bots": 60, "monitors": 50 }
    }]);
    assert_eq!(
        messages(&v),
        [
            "environments[0].websites[0].anonymous_exclusions: the excluded visitors add up to 110, more than the 100 anonymous_visitors (each visitor is excluded once, by the first PP-6 clause that applies)"
        ]
    );
    v["environments"][0]["websites"][0]["anonymous_visitors"] = json!(110);
    ok(&v);
}

#[test]
fn empty_names_and_nulls_for_optional_fields_are_fine() {
    let mut v = base();
    v["name"] = json!("");
    v["options"] = json!({ "requests_billing_active": null, "flow_daily_cap": null });
    v["environments"][0]["name"] = json!("");
    v["environments"][0]["apps"] =
        json!([{ "name": "", "connectors": "standard", "user_groups": null }]);
    let s = ok(&v);
    assert_eq!(s.name, "");
    assert_eq!(s.options, RuleOptions::default());
    assert_eq!(env0(&s).apps[0].name, "");
}

#[test]
fn tagged_variants() {
    let mut v = base();
    v["environments"][0]["flows"] = json!([
        { "name": "a", "trigger": "instant", "mode": "cloud", "connectors": "premium", "owner": { "kind": "user", "licence": "none" } },
        { "name": "b", "trigger": "automated", "mode": "hosted", "connectors": "premium", "owner": { "kind": "service_principal" } },
        { "name": "c", "trigger": "automated", "mode": "hosted", "connectors": "premium", "owner": { "kind": "service_principal", "licence": "none" } },
        { "name": "d", "trigger": "automated", "mode": "cloud", "connectors": "premium", "owner": { "kind": "user" } },
        { "name": "e", "trigger": "automated", "mode": "cloud", "connectors": "premium", "owner": { "kind": "robot" } }
    ]);
    assert_eq!(
        messages(&v),
        [
            "environments[0].flows[2].owner.licence: a service principal holds no user licence; remove `licence` (or use a flow_licence)",
            "environments[0].flows[3].owner.licence: is required but missing",
            "environments[0].flows[4].owner.kind: unknown owner kind `robot`; expected one of `user`, `service_principal`",
        ]
    );
    v["environments"][0]["flows"] = json!([
        { "name": "a", "trigger": "instant", "mode": "cloud", "connectors": "premium", "owner": { "kind": "service_principal" } }
    ]);
    v["environments"][0]["storage"] = json!({
        "database": { "kind": "linear", "start_gb": "1", "end_gb": 2 },
        "file": { "kind": "constant", "start_gb": "1" }
    });
    assert_eq!(
        messages(&v),
        [
            "environments[0].storage.file.start_gb: unknown field `start_gb`; expected one of `kind`, `gb`",
            "environments[0].storage.file.gb: is required but missing",
        ]
    );
}

/// A scenario with every type, variant and option away from its default.
fn everything() -> Scenario {
    let mut s = Scenario::new_empty();
    s.name = "everything \"quoted\", ünïcode".into();
    s.price_book = PriceBookId::Newest2025;
    s.price_overrides = BTreeMap::from([
        (PriceKey::FlowRunCloud, dec!(0.55)),
        (PriceKey::PlatformRequest, dec!(0.000035)),
    ]);
    s.month = BillingMonth {
        year: 2028,
        month: 2,
    };
    s.options = RuleOptions {
        flow_daily_cap: false,
        process_licence_covers_unattended: true,
        requests_billing_active: Some(true),
        request_stacking: RequestStacking::Highest,
        per_app_entitlement_per_app: false,
        dataverse_measurement: DataverseMeasurement::MonthlyAverage,
        dataverse_allocation: AllocationMode::Add,
    };
    let mut env = Environment::new_payg("P");
    env.meters = MeterSwitches {
        power_apps: false,
        flow_runs: true,
        power_pages: false,
        dataverse: true,
        requests: false,
        copilot_studio: true,
        windows365_agents: false,
    };
    env.users = Licence::ALL
        .iter()
        .enumerate()
        .map(|(i, l)| NamedUser {
            id: format!("u{i}"),
            licence: *l,
        })
        .collect();
    env.apps = vec![App {
        name: "A".into(),
        connectors: ConnectorClass::Standard,
        opted_out: true,
        user_groups: vec![UserGroup {
            users: 5,
            licence: Licence::Dynamics365TeamMember,
        }],
        opened_by: vec!["u0".into(), "u0".into()],
    }];
    env.flows = vec![Flow {
        name: "F".into(),
        trigger: Trigger::PowerApps,
        mode: RunMode::Unattended,
        connectors: FlowConnectors::IsvOnly,
        flow_licence: FlowLicence::HostedProcess,
        owner: Owner::ServicePrincipal,
        linked_to_app: true,
        d365_context: true,
        child_flow: true,
        runs: vec![RunGroup {
            runs: 7,
            licence: Licence::PowerAutomatePremium,
        }],
        daily_runs: vec![DailyRuns {
            day: 29,
            runs: 3,
            licence: Licence::None,
        }],
        test_runs: 1,
        resubmitted_runs: 2,
        busiest_day_runs: Some(4),
    }];
    env.websites = vec![Website {
        name: "W".into(),
        status: SiteStatus::Private,
        authenticated: vec![UserGroup {
            users: 1,
            licence: Licence::PowerAppsPerUser,
        }],
        logged_in: vec!["u1".into()],
        anonymous_visitors: 10,
        anonymous_exclusions: AnonymousExclusions {
            auth_pages_only: 1,
            underscore_paths_only: 1,
            error_or_redirect_only: 1,
            static_only: 1,
            bots: 1,
            monitors: 1,
            logged_in_same_day: 1,
        },
        anonymous_requests: vec![AnonymousRequest {
            visitor: "c1".into(),
            day: 2,
            path: "/_services/about".into(),
            status: 404,
            static_resource: true,
            agent: UserAgent::Monitor,
            logged_in_on_day: Some(3),
        }],
    }];
    env.storage = Storage {
        database: StorageUsage::Series {
            points: vec![
                StoragePoint {
                    day: 1,
                    gb: dec!(1.25),
                },
                StoragePoint {
                    day: 29,
                    gb: dec!(0),
                },
            ],
        },
        file: StorageUsage::Linear {
            start_gb: dec!(0.5),
            end_gb: dec!(1000000000),
        },
        log: StorageUsage::Constant { gb: dec!(0.000001) },
        allocated: StorageAllocation {
            database: dec!(2),
            file: dec!(0),
            log: dec!(0.5),
        },
    };
    env.requests = vec![
        RequestConsumer {
            name: "u".into(),
            entity: RequestEntity::Users {
                users: 2,
                licences: vec![],
            },
            requests_per_day: 1,
            days: 31,
            daily_requests: vec![DailyRequests {
                day: 1,
                requests: 9,
            }],
            addon_packs: 3,
        },
        RequestConsumer {
            name: "f".into(),
            entity: RequestEntity::Flow {
                licence: FlowLicence::Process,
                licence_count: 2,
            },
            requests_per_day: 0,
            days: 0,
            daily_requests: vec![],
            addon_packs: 0,
        },
        RequestConsumer {
            name: "p".into(),
            entity: RequestEntity::PerAppMeterUsers { users: 4, apps: 2 },
            requests_per_day: 5,
            days: 2,
            daily_requests: vec![],
            addon_packs: 0,
        },
        RequestConsumer {
            name: "n".into(),
            entity: RequestEntity::NonLicensed {
                pool: TenantPool::Dynamics365 { user_licences: 12 },
            },
            requests_per_day: 5,
            days: 2,
            daily_requests: vec![],
            addon_packs: 0,
        },
        RequestConsumer {
            name: "n2".into(),
            entity: RequestEntity::NonLicensed {
                pool: TenantPool::PowerPlatform,
            },
            requests_per_day: 5,
            days: 2,
            daily_requests: vec![],
            addon_packs: 0,
        },
    ];
    env.copilot_studio = CopilotStudio {
        messages: 1,
        classic_answers: 2,
        generative_answers: 3,
        agent_actions: 4,
        graph_grounding: 5,
        m365_licensed_messages: 6,
    };
    // Every Copilot Credits field away from its default, so that each one round-trips.
    env.copilot_credits = power_payg::engine::CopilotCredits {
        agents: vec![power_payg::engine::Agent {
            name: "Agent".into(),
            channel: power_payg::engine::AgentChannel::Dynamics365,
            employee_facing: true,
            m365_licensed_percent: dec!(12.5),
            classic_answers: 1,
            generative_answers: 2,
            grounded_answers: 3,
            agent_actions: 4,
            autonomous_actions: 5,
            agent_flow_actions: 6,
            ai_tool_responses: power_payg::engine::AiTiers {
                basic: 7,
                standard: 8,
                premium: 9,
            },
            ai_tool_tokens: power_payg::engine::AiTiers {
                basic: 10,
                standard: 11,
                premium: 12,
            },
            content_pages: 13,
            voice_minutes: power_payg::engine::VoiceMinutes {
                classic: 14,
                generative: 15,
                premium: 16,
            },
        }],
        prepaid_packs: 2,
        prepurchase_units: 3,
        cloud_pc_hours: 4,
    };
    let mut off = Environment::new_payg("");
    off.payg = false;
    s.environments = vec![env, off];
    s.isv_customers = vec![IsvCustomer {
        name: "I".into(),
        makers: 3,
        premium_licensed_makers: 3,
        runs_per_maker: 0,
    }];
    s
}

#[test]
fn round_trip_of_every_variant() {
    let s = everything();
    let compact = serde_json::to_string(&s).unwrap();
    assert_eq!(decode_scenario(&compact), Ok(s.clone()));
    assert_eq!(decode_scenario(&encode_scenario(&s)), Ok(s.clone()));
    // And the decoder agrees with serde's own reading.
    let by_serde: Scenario = serde_json::from_str(&compact).unwrap();
    assert_eq!(by_serde, s);
}

#[test]
fn round_trip_of_every_example() {
    for e in examples::list() {
        let s = examples::scenario(e.name).unwrap();
        assert_eq!(
            decode_scenario(&serde_json::to_string(&s).unwrap()),
            Ok(s.clone()),
            "{}",
            e.name
        );
        assert_eq!(decode_scenario(&encode_scenario(&s)), Ok(s), "{}", e.name);
    }
}

#[test]
fn many_problems_are_summarised_after_a_thousand() {
    let mut v = base();
    v["environments"][0]["flows"] = json!([{
        "name": "f", "trigger": "instant", "mode": "cloud", "connectors": "premium",
        "owner": { "kind": "user", "licence": "none" },
        "daily_runs": vec![json!({ "day": 99, "runs": 1, "licence": "none" }); 5_000]
    }]);
    let p = problems(&v);
    assert_eq!(p.len(), 1_001);
    assert_eq!(p[1_000].to_string(), "… and 4,000 more problems not listed");
}

#[test]
fn long_lists_are_accepted() {
    // Far more records than any form produces; benchmarks use a million.
    let mut s = Scenario::new_empty();
    s.environments[0].requests = vec![RequestConsumer {
        name: "r".into(),
        entity: RequestEntity::Users {
            users: 1,
            licences: vec![Licence::None],
        },
        requests_per_day: 0,
        days: 0,
        daily_requests: (0..200_000)
            .map(|i| DailyRequests {
                day: (i % 30 + 1) as u8,
                requests: i,
            })
            .collect(),
        addon_packs: 0,
    }];
    assert_eq!(decode_scenario(&serde_json::to_string(&s).unwrap()), Ok(s));
}

/// The ```json blocks of the format documentation, so the documentation cannot rot.
fn doc_json_blocks() -> Vec<(usize, String)> {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/scenario-format.md"
    ))
    .expect("docs/scenario-format.md exists");
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```json") => {
                current = Some((n + 1, String::new()))
            }
            Some((start, text)) if line.trim_start().starts_with("```") => {
                blocks.push((*start, std::mem::take(text)));
                current = None;
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn every_json_block_of_the_format_doc_decodes() {
    let blocks = doc_json_blocks();
    assert!(
        blocks.len() >= 8,
        "the doc has an example per meter, found {}",
        blocks.len()
    );
    for (line, text) in blocks {
        if let Err(p) = decode_scenario(&text) {
            panic!(
                "docs/scenario-format.md block at line {line} does not decode:\n{}",
                p.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}

fn valid_json() -> String {
    encode_scenario(&everything())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_scenario(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_strings_never_panic(s in "\\PC{0,300}") {
        let _ = decode_scenario(&s);
    }

    #[test]
    fn json_like_strings_never_panic(s in r#"[\[\]{}":,0-9eE.+\- a-z_]{0,300}"#) {
        let _ = decode_scenario(&s);
    }

    /// Damaged valid files: cut short, or one byte replaced.
    #[test]
    fn damaged_scenarios_never_panic(cut in 0usize..4_000, at in 0usize..4_000, byte in any::<u8>()) {
        let json = valid_json();
        let cut = cut.min(json.len());
        let _ = decode_scenario(json.get(..cut).unwrap_or(""));
        let mut bytes = json.into_bytes();
        if let Some(b) = bytes.get_mut(at) {
            *b = byte;
        }
        let _ = decode_scenario(&String::from_utf8_lossy(&bytes));
    }

    /// Any count the types hold either decodes exactly or is refused with a problem.
    #[test]
    fn any_count_decodes_or_is_refused(n in any::<u64>(), d in any::<u64>(), scale in 0u32..30) {
        let mut v = base();
        v["environments"][0]["copilot_studio"] = json!({ "messages": n });
        let decoded = decode_scenario(&v.to_string());
        if n <= 1_000_000_000_000_000 {
            prop_assert_eq!(decoded.map(|s| s.environments[0].copilot_studio.messages), Ok(n));
        } else {
            prop_assert!(decoded.is_err());
        }
        let gb = Decimal::try_from_i128_with_scale(i128::from(d), scale).unwrap_or_default();
        let mut s = Scenario::new_empty();
        s.environments[0].storage.file = StorageUsage::Constant { gb };
        let decoded = decode_scenario(&serde_json::to_string(&s).unwrap());
        if gb <= dec!(1000000000) {
            prop_assert_eq!(decoded, Ok(s));
        } else {
            prop_assert!(decoded.is_err());
        }
    }
}

#[test]
fn the_projection_profile_travels_as_the_text_the_form_takes() {
    use power_payg::engine::advisor::Growth;
    use power_payg::engine::decode::{decode_scenario, encode_scenario};
    for (growth, months) in [
        ("flat", 12),
        ("5%", 24),
        ("-2.5%", 1),
        ("1,1,1,1,1,1,0.5,0.5,1,1,1,2", 120),
    ] {
        let mut v = base();
        v["advisor"] = json!({ "growth": growth, "projection_months": months });
        let s = decode_scenario(&v.to_string()).expect("valid profile");
        let inputs = s.advisor.clone().expect("kept");
        assert_eq!(inputs.growth, Growth::parse(growth).expect("parses"));
        assert_eq!(inputs.projection_months, months);
        assert_eq!(inputs.horizon_months, 1, "the horizon keeps its default");
        let file = encode_scenario(&s);
        // The defaults are left out of files and links; the rest is written as typed.
        assert_eq!(file.contains("\"growth\""), growth != "flat", "{file}");
        assert_eq!(file.contains("projection_months"), months != 12, "{file}");
        if growth != "flat" {
            assert!(
                file.contains(&format!("\"growth\": \"{growth}\"")),
                "{file}"
            );
        }
        assert_eq!(decode_scenario(&file), Ok(s));
    }
}

#[test]
fn advisor_inputs_travel_with_the_scenario_and_are_checked() {
    let mut v = base();
    v["advisor"] = json!({ "horizon_months": 3, "flows": [
        { "flow": "Flow 2", "users": 10 },
        { "environment": "Production", "flow": "Flow 4", "bots": 2 }
    ] });
    let s =
        power_payg::engine::decode::decode_scenario(&v.to_string()).expect("valid advisor inputs");
    let inputs = s.advisor.clone().expect("kept");
    assert_eq!(inputs.horizon_months, 3);
    assert_eq!(inputs.flows.len(), 2);
    assert_eq!(inputs.flows[1].environment.as_deref(), Some("Production"));
    assert_eq!(inputs.flows[1].bots, Some(2));
    // They round-trip through the file format and are what the advisor uses.
    let again = power_payg::engine::decode::decode_scenario(
        &power_payg::engine::decode::encode_scenario(&s),
    )
    .expect("round trip");
    assert_eq!(again, s);
    assert_eq!(
        power_payg::engine::advisor::AdvisorInputs::for_scenario(&s),
        inputs
    );

    v["advisor"] = json!({ "horizon_months": 0, "flows": [ { "users": -1, "bot": 2 } ],
        "growth": "1,2,3", "projection_months": 121 });
    let m = messages(&v);
    for e in [
        "advisor.growth: a seasonal profile has 12 multipliers (January to December), got 3",
        "advisor.projection_months: must be a number of months from 1 to 120, got 121",
        "advisor.horizon_months: must be a number of months from 1 to 120, got 0",
        "advisor.flows[0].bot: unknown field `bot`; expected one of `environment`, `flow`, `users`, `bots`; did you mean `bots`?",
        "advisor.flows[0].flow: is required but missing",
        "advisor.flows[0].users: must be a number of people or bots from 1 to 1,000,000,000,000,000, got -1",
    ] {
        assert!(m.iter().any(|x| x == e), "missing {e:?} in {m:#?}");
    }
}

#[test]
fn duplicate_keys_are_refused_with_their_path() {
    // serde_json's tree keeps the last of two equal keys: 500 users would have been priced.
    let text = base().to_string().replace(
        "\"payg\":true",
        "\"payg\":true,\"apps\":[{\"name\":\"A\",\"connectors\":\"premium\",\
         \"user_groups\":[{\"users\":5,\"licence\":\"none\",\"users\":500}]}]",
    );
    let m: Vec<String> = decode_scenario(&text)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        m,
        [
            "environments[0].apps[0].user_groups[0].users: duplicate key: given 2 times; give it once (JSON readers disagree on which value counts)"
        ]
    );

    // At the top, in a map of prices, three times, and a key spelled with an escape.
    let text = base()
        .to_string()
        .replacen("{", "{\"name\":\"a\",\"na\\u006de\":\"b\",", 1)
        .replace(
            "\"version\":1",
            "\"version\":1,\"price_overrides\":{\"flow_run_cloud\":\"1\",\"flow_run_cloud\":\"2\"}",
        );
    let m: Vec<String> = decode_scenario(&text)
        .unwrap_err()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p.path,
                &p.message[..p.message.find(';').unwrap_or(0)]
            )
        })
        .collect();
    assert_eq!(
        m,
        [
            "name: duplicate key: given 3 times",
            "price_overrides.flow_run_cloud: duplicate key: given 2 times"
        ]
    );

    // An object of many keys (a hostile file) is checked without comparing every pair.
    let mut fields: Vec<String> = (0..50_000).map(|i| format!("\"k{i}\":1")).collect();
    fields.push("\"k7\":2".to_string());
    let text = base().to_string().replace(
        "\"payg\":true",
        &format!("\"payg\":true,\"meters\":{{{}}}", fields.join(",")),
    );
    let p = decode_scenario(&text).unwrap_err();
    assert!(
        p.iter().any(|p| p.path == "environments[0].meters.k7"
            && p.message.starts_with("duplicate key: given 2 times")),
        "{:?}",
        &p[..3]
    );
}

#[test]
fn the_problem_count_says_more_than_a_thousand_when_the_rest_are_summarised() {
    use power_payg::engine::decode::problem_count;
    let mut v = base();
    v["environments"][0]["flows"] = json!([{
        "name": "f", "trigger": "instant", "mode": "cloud", "connectors": "premium",
        "owner": { "kind": "user", "licence": "none" },
        "daily_runs": vec![json!({ "day": 99, "runs": 1, "licence": "none" }); 5_000]
    }]);
    assert_eq!(problem_count(&problems(&v)), "more than 1,000 problems");
    v["environments"][0]["flows"][0]["daily_runs"] = json!(vec![
        json!({ "day": 99, "runs": 1, "licence": "none" });
        1_000
    ]);
    assert_eq!(problem_count(&problems(&v)), "1,000 problems");
    v["environments"][0]["flows"][0]["daily_runs"] =
        json!([{ "day": 99, "runs": 1, "licence": "none" }]);
    assert_eq!(problem_count(&problems(&v)), "1 problem");
}

/// `-0` is zero, as a count as well as a decimal (it was refused as "must be ≥ 0, got -0").
#[test]
fn minus_zero_is_zero_for_counts_and_decimals() {
    let text = base()
        .to_string()
        .replace(
            r#""payg":true"#,
            r#""payg":true,"apps":[{"name":"a","connectors":"premium","user_groups":[{"users":-0,"licence":"none"}]}],"storage":{"database":{"kind":"constant","gb":-0.0}}"#,
        );
    let s = match decode_scenario(&text) {
        Ok(s) => s,
        Err(p) => panic!("-0 refused: {p:#?}"),
    };
    assert_eq!(env0(&s).apps[0].user_groups[0].users, 0);
    let negative = text.replace(r#""users":-0"#, r#""users":-1"#);
    let refused: Vec<String> = match decode_scenario(&negative) {
        Ok(_) => panic!("-1 accepted"),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    };
    assert!(
        refused
            .iter()
            .any(|m| m.contains("users: must be a whole number ≥ 0, got -1")),
        "{refused:?}"
    );
}

#[test]
fn billing_plan_meter_ids_map_onto_the_switches() {
    let mut v = base();
    v["environments"][0]["billing_plan_meters"] = json!([
        "AppPass",
        "Database",
        "File",
        "Log",
        "MCSMessages",
        "PowerPagesAuthenticated",
        "PowerPagesAnonymous"
    ]);
    let s = ok(&v);
    let m = env0(&s).meters;
    assert!(m.power_apps && m.dataverse && m.power_pages && m.copilot_studio && m.requests);
    assert!(!m.flow_runs && !m.windows365_agents);
    // Written back as the switches, which decode to the same scenario.
    assert_eq!(ok(&serde_json::from_str(&encode_scenario(&s)).unwrap()), s);

    v["environments"][0]["billing_plan_meters"] = json!([
        "CloudFlowRuns",
        "PAAttendedRPA",
        "PAUnattendedRPA",
        "W365APAYGO"
    ]);
    let m = env0(&ok(&v)).meters;
    assert!(m.flow_runs && m.windows365_agents && !m.power_apps && !m.dataverse);
    // An empty plan switches every meter off but requests (which have no id).
    v["environments"][0]["billing_plan_meters"] = json!([]);
    let m = env0(&ok(&v)).meters;
    assert!(!m.flow_runs && !m.copilot_studio && m.requests);
}

#[test]
fn billing_plan_meter_problems_are_clear() {
    let mut v = base();
    v["environments"][0]["billing_plan_meters"] = json!(["AppPas", "Database"]);
    let m = messages(&v);
    assert!(
        m.iter().any(|p| p.starts_with(
            "environments[0].billing_plan_meters[0]: unknown billing-plan meter `AppPas`; \
             expected one of `AppPass`, `CloudFlowRuns`"
        ) && p.ends_with("`MCSMessages`, `W365APAYGO`")),
        "{m:#?}"
    );
    v["environments"][0]["billing_plan_meters"] = json!(["Database"]);
    let m = messages(&v);
    assert!(
        m.contains(
            &"environments[0].billing_plan_meters: lists `Database` but not `File`, `Log`: this \
              calculator switches Dataverse as one meter; list all of them or none"
                .to_string()
        ),
        "{m:#?}"
    );
    v["environments"][0]["billing_plan_meters"] = json!(["AppPass"]);
    v["environments"][0]["meters"] = json!({ "power_apps": false });
    let m = messages(&v);
    assert!(
        m.contains(
            &"environments[0].billing_plan_meters: give either `meters` or \
              `billing_plan_meters`, not both"
                .to_string()
        ),
        "{m:#?}"
    );
}
