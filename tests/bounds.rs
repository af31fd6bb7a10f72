//! The decoder's bounds and the engine's arithmetic agree: whatever the decoder accepts prices
//! (and advises) without overflowing, shown on a scenario with every number at its maximum, and
//! the products that would overflow are refused by the decoder, naming the field.

use power_payg::engine::decode::{MAX_COUNT, MAX_GB, MAX_PRICE, MAX_SMALL, decode_scenario};
use power_payg::engine::{self, PriceKey, advisor};
use serde_json::{Value, json};

const LICENCES: [&str; 9] = [
    "none",
    "microsoft365",
    "power_apps_per_user",
    "power_apps_per_app",
    "power_automate_per_user",
    "power_automate_per_user_rpa",
    "power_automate_premium",
    "dynamics365",
    "dynamics365_team_member",
];

/// Every count, GB figure, price and list entry at the largest value the decoder accepts (the
/// products of two counts at the largest product accepted), three entries in every list.
fn at_the_maximum(book: &str, options: Value) -> Value {
    let max = MAX_COUNT;
    let gb = MAX_GB.to_string();
    let price = MAX_PRICE.to_string();
    let groups: Vec<Value> = LICENCES
        .iter()
        .map(|l| json!({ "users": max, "licence": l }))
        .collect();
    let runs: Vec<Value> = LICENCES
        .iter()
        .map(|l| json!({ "runs": max, "licence": l }))
        .collect();
    let daily: Vec<Value> = [1, 15, 30]
        .iter()
        .flat_map(|d| {
            LICENCES
                .iter()
                .map(move |l| json!({ "day": d, "runs": max, "licence": l }))
        })
        .collect();
    let users: Vec<Value> = LICENCES
        .iter()
        .enumerate()
        .map(|(i, l)| json!({ "id": format!("u{i}"), "licence": l }))
        .collect();
    let ids: Vec<String> = (0..LICENCES.len()).map(|i| format!("u{i}")).collect();
    let mut flows = Vec::new();
    let owners = [
        ("none", json!({ "kind": "user", "licence": "none" })),
        ("process", json!({ "kind": "service_principal" })),
        (
            "per_flow",
            json!({ "kind": "user", "licence": "power_automate_premium" }),
        ),
    ];
    for (t, trigger) in ["automated", "scheduled", "instant", "power_apps"]
        .iter()
        .enumerate()
    {
        for (m, mode) in ["cloud", "attended", "unattended", "hosted"]
            .iter()
            .enumerate()
        {
            {
                let (flow_licence, owner) = &owners[(t + m) % owners.len()];
                flows.push(json!({
                    "name": format!("{trigger} {mode} {flow_licence}"),
                    "trigger": trigger, "mode": mode, "connectors": "premium",
                    "flow_licence": flow_licence, "owner": owner,
                    "runs": runs, "daily_runs": daily,
                    "test_runs": max, "resubmitted_runs": max, "busiest_day_runs": max
                }));
            }
        }
    }
    flows.push(json!({
        "name": "isv", "trigger": "instant", "mode": "cloud", "connectors": "isv_only",
        "owner": { "kind": "user", "licence": "none" }, "runs": runs, "daily_runs": daily
    }));
    let seventh = max / 7;
    let website = json!({
        "name": "w", "status": "live", "authenticated": groups, "logged_in": ids,
        "anonymous_visitors": max,
        "anonymous_exclusions": {
            "auth_pages_only": seventh, "underscore_paths_only": seventh,
            "error_or_redirect_only": seventh, "static_only": seventh, "bots": seventh,
            "monitors": seventh, "logged_in_same_day": seventh
        },
        "anonymous_requests": [
            { "visitor": "a", "day": 1, "path": "/", "status": 200, "agent": "browser" },
            { "visitor": "b", "day": 30, "path": "/_x", "status": 599, "agent": "bot", "logged_in_on_day": 30 }
        ]
    });
    // A consumer's month (members × requests) is at most MAX_COUNT: the largest of each shape.
    let month = max / 31;
    let all_licences: Vec<&str> = LICENCES.to_vec();
    let requests = json!([
        { "name": "many users", "entity": { "kind": "users", "users": month, "licences": ["none"] },
          "requests_per_day": 1, "days": 31, "addon_packs": MAX_SMALL },
        { "name": "busy user", "entity": { "kind": "users", "users": 1, "licences": all_licences },
          "requests_per_day": month, "days": 31 },
        { "name": "records", "entity": { "kind": "users", "users": 1, "licences": ["dynamics365"] },
          "daily_requests": [ { "day": 1, "requests": max / 3 }, { "day": 2, "requests": max / 3 }, { "day": 30, "requests": max / 3 } ] },
        { "name": "flow", "entity": { "kind": "flow", "licence": "process", "licence_count": MAX_SMALL },
          "requests_per_day": month, "days": 31, "addon_packs": MAX_SMALL },
        { "name": "per app", "entity": { "kind": "per_app_meter_users", "users": month, "apps": MAX_SMALL },
          "requests_per_day": 1, "days": 31 },
        { "name": "pool", "entity": { "kind": "non_licensed", "pool": { "kind": "dynamics365", "user_licences": max } },
          "requests_per_day": month, "days": 31 },
        { "name": "platform", "entity": { "kind": "non_licensed", "pool": { "kind": "power_platform" } },
          "requests_per_day": month, "days": 31 }
    ]);
    let series: Vec<Value> = (1..=30).map(|d| json!({ "day": d, "gb": gb })).collect();
    let tiers = json!({ "basic": max, "standard": max, "premium": max });
    let agent = |channel: &str| {
        json!({
            "name": channel, "channel": channel, "employee_facing": true,
            "m365_licensed_percent": "99.99", "classic_answers": max, "generative_answers": max,
            "grounded_answers": max, "agent_actions": max, "autonomous_actions": max,
            "agent_flow_actions": max, "ai_tool_responses": tiers, "ai_tool_tokens": tiers,
            "content_pages": max,
            "voice_minutes": { "classic": max, "generative": max, "premium": max }
        })
    };
    let environment = |name: &str, payg: bool| {
        json!({
            "name": name, "payg": payg, "users": users,
            "apps": [
                { "name": "a1", "connectors": "premium", "user_groups": groups, "opened_by": ids },
                { "name": "a2", "connectors": "standard", "user_groups": groups },
                { "name": "a3", "connectors": "premium", "user_groups": groups }
            ],
            "flows": flows,
            "websites": [website.clone(), website.clone(), website.clone()],
            "storage": {
                "database": { "kind": "series", "points": series },
                "file": { "kind": "linear", "start_gb": "0", "end_gb": gb },
                "log": { "kind": "constant", "gb": gb },
                "allocated": { "database": "0", "file": "1", "log": gb }
            },
            "requests": requests,
            "copilot_studio": {
                "messages": max, "classic_answers": max, "generative_answers": max,
                "agent_actions": max, "graph_grounding": max, "m365_licensed_messages": max
            },
            "copilot_credits": {
                "agents": [agent("copilot_studio"), agent("m365_copilot_chat"), agent("ai_builder")],
                "prepaid_packs": MAX_SMALL, "prepurchase_units": max, "cloud_pc_hours": max
            }
        })
    };
    let overrides: serde_json::Map<String, Value> = PriceKey::ALL
        .iter()
        .map(|k| (k.key().to_string(), json!(price)))
        .collect();
    json!({
        "version": 1, "name": "at the maximum", "price_book": book,
        "price_overrides": overrides,
        "month": { "year": 2026, "month": 12 },
        "options": options,
        "environments": [environment("e1", true), environment("e2", true), environment("e3", false)],
        "isv_customers": [
            { "name": "many makers", "makers": max, "premium_licensed_makers": 0, "runs_per_maker": 1 },
            { "name": "many runs", "makers": 1, "premium_licensed_makers": 0, "runs_per_maker": max },
            { "name": "both", "makers": 31_622_776, "premium_licensed_makers": 1, "runs_per_maker": 31_622_776 },
            { "name": "licensed", "makers": max, "premium_licensed_makers": max, "runs_per_maker": 1 }
        ],
        "advisor": { "horizon_months": 120, "growth": "5%", "projection_months": 120 }
    })
}

#[test]
fn a_scenario_with_every_number_at_its_maximum_prices_and_advises() {
    let option_sets = [
        json!({}),
        json!({
            "flow_daily_cap": false, "process_licence_covers_unattended": true,
            "requests_billing_active": true, "request_stacking": "highest",
            "per_app_entitlement_per_app": false, "dataverse_measurement": "monthly_average",
            "dataverse_allocation": "add"
        }),
        json!({ "requests_billing_active": true, "dataverse_allocation": "max" }),
    ];
    for book in engine::PriceBookId::ALL.map(engine::PriceBookId::key) {
        for options in &option_sets {
            let text = at_the_maximum(book, options.clone()).to_string();
            let scenario = match decode_scenario(&text) {
                Ok(s) => s,
                Err(p) => panic!(
                    "{book} {options}: the maximum is valid, got {:#?}",
                    &p[..3.min(p.len())]
                ),
            };
            let breakdown = engine::price(&scenario)
                .unwrap_or_else(|e| panic!("{book} {options}: prices, got {e}"));
            assert!(breakdown.total_billed > rust_decimal::Decimal::ZERO);
            let inputs = advisor::AdvisorInputs::for_scenario(&scenario);
            advisor::advise_with(&scenario, &inputs)
                .unwrap_or_else(|e| panic!("{book} {options}: advises, got {e}"));
            advisor::project_with(&scenario, &inputs, inputs.growth.clone(), 120)
                .unwrap_or_else(|e| panic!("{book} {options}: projects, got {e}"));
        }
    }
}

fn problems_of(v: &Value) -> Vec<String> {
    match decode_scenario(&v.to_string()) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

fn base() -> Value {
    json!({
        "version": 1, "name": "t", "price_book": "2025-02",
        "month": { "year": 2026, "month": 11 },
        "options": { "requests_billing_active": true },
        "environments": [ { "name": "e", "payg": true } ]
    })
}

#[test]
fn products_that_would_overflow_are_refused_where_they_are_given() {
    // The hostile sweep's file: 10^15 makers × 10^15 runs each was valid and could not be
    // priced.
    let mut v = base();
    v["isv_customers"] = json!([
        { "name": "ok", "makers": 1000, "premium_licensed_makers": 0, "runs_per_maker": 1000 },
        { "name": "huge", "makers": MAX_COUNT, "premium_licensed_makers": 0, "runs_per_maker": MAX_COUNT }
    ]);
    assert_eq!(
        problems_of(&v),
        [
            "isv_customers[1].runs_per_maker: makers × runs_per_maker must be at most 1,000,000,000,000,000 runs a month, got 1,000,000,000,000,000 × 1,000,000,000,000,000"
        ]
    );

    let mut v = base();
    v["environments"][0]["requests"] = json!([
        { "name": "fine", "entity": { "kind": "users", "users": 1000, "licences": ["none"] },
          "requests_per_day": 1000, "days": 30 },
        { "name": "users", "entity": { "kind": "users", "users": MAX_COUNT, "licences": ["none"] },
          "requests_per_day": MAX_COUNT, "days": 31 },
        { "name": "records", "entity": { "kind": "per_app_meter_users", "users": 1000, "apps": 1 },
          "daily_requests": [ { "day": 1, "requests": MAX_COUNT }, { "day": 2, "requests": 1 } ] },
        { "name": "flow", "entity": { "kind": "flow", "licence": "per_flow", "licence_count": 1 },
          "requests_per_day": MAX_COUNT, "days": 2 }
    ]);
    assert_eq!(
        problems_of(&v),
        [
            "environments[0].requests[1]: the requests of the month (users × (requests_per_day × days + daily_requests)) must be at most 1,000,000,000,000,000",
            "environments[0].requests[2]: the requests of the month (users × (requests_per_day × days + daily_requests)) must be at most 1,000,000,000,000,000",
            "environments[0].requests[3]: the requests of the month (requests_per_day × days + daily_requests) must be at most 1,000,000,000,000,000",
        ]
    );
}
