//! Pricing benchmark: prints figures (no assertions; figures go in docs/benchmarks.md).
//!
//!     cargo bench --bench pricing
//!
//! - quick: a quick-count scenario like the ones people type (target: microseconds, so the UI
//!   can reprice on every keystroke);
//! - detailed: 10,000 named users, 200 apps, 500 flows and 1,000,000 daily run records
//!   (target: under 0.5 s native), priced from the typed scenario and decoded from JSON;
//! - keystroke: the browser benchmark's large scenario (20 environments, 100 apps, 100 flows,
//!   10 websites) after one edit, priced afresh and by the app's `Repricer`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use power_payg::engine::{
    self, App, ConnectorClass, DailyRuns, Flow, FlowConnectors, FlowLicence, Licence, NamedUser,
    Owner, RunMode, Scenario, Trigger, decode, examples,
};

fn time<T>(runs: u32, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    (median, p95)
}

fn detailed() -> Scenario {
    let mut s = Scenario::new_empty();
    s.name = "benchmark: detailed".into();
    let env = &mut s.environments[0];
    env.users = (0..10_000)
        .map(|i| NamedUser {
            id: format!("u{i}"),
            licence: Licence::ALL[i % Licence::ALL.len()],
        })
        .collect();
    env.apps = (0..200)
        .map(|a| App {
            name: format!("App {a}"),
            connectors: if a % 3 == 0 {
                ConnectorClass::Standard
            } else {
                ConnectorClass::Premium
            },
            opted_out: false,
            user_groups: Vec::new(),
            // 500 users per app, overlapping across apps: 100,000 opens.
            opened_by: (0..500)
                .map(|k| format!("u{}", (a * 37 + k * 13) % 10_000))
                .collect(),
        })
        .collect();
    let modes = [
        RunMode::Cloud,
        RunMode::Attended,
        RunMode::Unattended,
        RunMode::Hosted,
    ];
    env.flows = (0..500)
        .map(|f| Flow {
            name: format!("Flow {f}"),
            trigger: if f % 2 == 0 {
                Trigger::Instant
            } else {
                Trigger::Automated
            },
            mode: modes[f % 4],
            connectors: if f % 5 == 0 {
                FlowConnectors::IsvOnly
            } else {
                FlowConnectors::Premium
            },
            flow_licence: if f % 7 == 0 {
                FlowLicence::Process
            } else {
                FlowLicence::None
            },
            owner: Owner::User(Licence::ALL[f % Licence::ALL.len()]),
            linked_to_app: false,
            d365_context: f % 11 == 0,
            child_flow: false,
            runs: Vec::new(),
            // 2,000 records per flow: 1,000,000 in all.
            daily_runs: (0..2_000)
                .map(|r| DailyRuns {
                    day: (r % 30 + 1) as u8,
                    runs: (r % 17 + 1) as u64,
                    licence: Licence::ALL[(r + f) % Licence::ALL.len()],
                })
                .collect(),
            test_runs: 5,
            resubmitted_runs: 1,
            busiest_day_runs: None,
        })
        .collect();
    s
}

/// The scenario of `scripts/bench-ui.mjs`, built the same way.
fn large() -> Option<Scenario> {
    let licences = [
        "none",
        "microsoft365",
        "power_apps_per_user",
        "power_automate_premium",
        "dynamics365",
    ];
    let modes = ["cloud", "attended", "unattended", "hosted", "cloud"];
    let environments: Vec<serde_json::Value> = (0..20)
        .map(|e| {
            let apps: Vec<serde_json::Value> = (0..5)
                .map(|a| {
                    serde_json::json!({
                        "name": format!("App {e}.{a}"),
                        "connectors": if a % 2 == 1 { "premium" } else { "standard" },
                        "user_groups": [
                            { "users": 10 + a, "licence": "none" },
                            { "users": 3, "licence": licences[a] },
                        ],
                    })
                })
                .collect();
            let flows: Vec<serde_json::Value> = (0..5)
                .map(|f| {
                    serde_json::json!({
                        "name": format!("Flow {e}.{f}"),
                        "trigger": if f % 2 == 1 { "instant" } else { "automated" },
                        "mode": modes[f],
                        "connectors": "premium",
                        "owner": { "kind": "user", "licence": "none" },
                        "runs": [ { "runs": 100 * (f + 1), "licence": licences[f] } ],
                    })
                })
                .collect();
            let websites = if e < 10 {
                serde_json::json!([{ "name": format!("Site {e}"), "status": "live",
                    "authenticated": [ { "users": 50, "licence": "none" } ],
                    "anonymous_visitors": 1000 }])
            } else {
                serde_json::json!([])
            };
            serde_json::json!({
                "name": format!("Env {e}"), "payg": true, "apps": apps, "flows": flows,
                "websites": websites,
                "storage": { "database": { "kind": "constant", "gb": "2.5" },
                             "file": { "kind": "constant", "gb": "4" } },
            })
        })
        .collect();
    let file = serde_json::json!({
        "version": 1, "name": "Benchmark: large", "price_book": "2023-06",
        "month": { "year": 2026, "month": 11 }, "environments": environments,
    });
    decode::decode_scenario(&file.to_string()).ok()
}

fn main() {
    println!("power-payg pricing benchmark (native, release)");
    for name in ["doc-apps-month1", "contoso"] {
        let Some(s) = examples::scenario(name) else {
            println!("  example {name} is missing");
            continue;
        };
        let (median, p95) = time(20_000, || engine::price(&s));
        println!(
            "  quick: price `{name}`: median {median:?}, p95 {p95:?} ({} lines)",
            engine::price(&s).map(|b| b.lines.len()).unwrap_or(0)
        );
    }

    if let Some(mut s) = large() {
        // One keystroke: the first user count of the first app of the first environment.
        let mut n = 0u64;
        let mut edit = move |s: &mut Scenario| {
            n += 1;
            if let Some(g) = s.environments[0].apps[0].user_groups.get_mut(0) {
                g.users = 20 + n % 400;
            }
        };
        let (afresh, afresh_p95) = time(2_000, || {
            edit(&mut s);
            engine::price(&s)
        });
        let mut repricer = engine::Repricer::new();
        let _ = repricer.price(&s);
        let (again, again_p95) = time(2_000, || {
            edit(&mut s);
            repricer.price(&s)
        });
        println!(
            "  keystroke: {} environments, {} lines: price afresh median {afresh:?}, p95 {afresh_p95:?}; \
             Repricer median {again:?}, p95 {again_p95:?} ({} environments reused)",
            s.environments.len(),
            engine::price(&s).map(|b| b.lines.len()).unwrap_or(0),
            repricer.reused(),
        );
    }

    let s = detailed();
    let records: usize = s.environments[0]
        .flows
        .iter()
        .map(|f| f.daily_runs.len())
        .sum();
    let opens: usize = s.environments[0]
        .apps
        .iter()
        .map(|a| a.opened_by.len())
        .sum();
    let (median, p95) = time(7, || engine::price(&s));
    let b = engine::price(&s);
    println!(
        "  detailed: {} users, {} apps ({opens} opens), {} flows, {records} run records: price median {median:?}, p95 {p95:?}; total billed {}",
        s.environments[0].users.len(),
        s.environments[0].apps.len(),
        s.environments[0].flows.len(),
        b.map(|b| b.total_billed.to_string())
            .unwrap_or_else(|e| e.to_string()),
    );
    let json = serde_json::to_string(&s).unwrap_or_default();
    let (median, _) = time(3, || decode::decode_scenario(&json));
    println!(
        "  detailed: decode {} MB of JSON: median {median:?}",
        json.len() / 1_000_000
    );
}
