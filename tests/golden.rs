//! Golden cases: the documentation's worked examples (spec section 6) and the `contoso` example,
//! priced by the engine and by the command-line tool, to the cent.

use std::io::Write;
use std::process::{Command, Stdio};

use power_payg::engine::money::format_plain;
use power_payg::engine::{self, Meter, Payer, decode, examples};
use serde_json::Value;

/// (example, billed to the customer, billed to ISVs, reported not billed).
const GOLDEN: [(&str, &str, &str, &str); 19] = [
    // TC-AP-1..3: 2 + 3 + 4 user-app pairs at $10; none; 2 users × 3 apps.
    ("doc-apps-month1", "90.00", "0.00", "0.00"),
    ("doc-apps-month2", "0.00", "0.00", "0.00"),
    ("doc-apps-month3", "60.00", "0.00", "0.00"),
    // TC-PP-1..3: 9 × $4; none; 6 × $4.
    ("doc-pages-month1", "36.00", "0.00", "0.00"),
    ("doc-pages-month2", "0.00", "0.00", "0.00"),
    ("doc-pages-month3", "24.00", "0.00", "0.00"),
    // TC-DV-1..3 (30-day month, 90 snapshots at 1/90): overage 0.5/2/0 → 24 + 4.80;
    // 1.5/5/0.2 → 72 + 12 + 2.40; 2.5/10/0.4 → 120 + 24 + 4.80.
    ("doc-dataverse-month1", "28.80", "0.00", "0.00"),
    ("doc-dataverse-month2", "86.40", "0.00", "0.00"),
    ("doc-dataverse-month3", "148.80", "0.00", "0.00"),
    // TC-PR-1..3: requests are reported, not billed (PR-1); 110,000 and 50,000 × $0.00004.
    ("doc-requests-month1", "0.00", "0.00", "0.00"),
    ("doc-requests-month2", "0.00", "0.00", "4.40"),
    ("doc-requests-month3", "0.00", "0.00", "2.00"),
    // TC-PA-1..5: $24 + $24 + $18 + $15 + $24 (INC-1: the table's 15 runs are 20 by its rules).
    ("doc-flow-runs-by-licence", "105.00", "0.00", "0.00"),
    // The six flows of the "choose the right subscription" table priced on PAYG (spec section 6.6).
    ("doc-prepaid-vs-payg", "807.00", "0.00", "0.00"),
    // Checked by hand, line by line, see `contoso_lines_checked_by_hand`.
    ("contoso", "7177.20", "1350.00", "26.00"),
    // Learn's grounded generative answer: 1,000 × (2 + 10) messages × $0.01.
    ("learn-grounded-answer", "120.00", "0.00", "0.00"),
    // 20,000 + 15,000 + 1,300 + 12,000 × 50 % + 200 × 5 = 43,300 − 25,000 = 18,300 × $0.01.
    ("learn-credits-prepaid", "183.00", "0.00", "0.00"),
    // 2,000,000 × 1.5 / 1,000 + 500 × 8 = 7,000 − 10 × 100 = 6,000 × $0.01.
    ("learn-ai-tokens", "60.00", "0.00", "0.00"),
    // 100 × 35 = 3,500 × $0.01 (provisional); 30 Cloud PC hours unpriced (incomplete).
    ("learn-windows365-unpriced", "35.00", "0.00", "0.00"),
];

#[test]
fn every_example_has_a_golden_total() {
    let mut listed: Vec<&str> = examples::list().iter().map(|e| e.name).collect();
    let mut pinned: Vec<&str> = GOLDEN.iter().map(|g| g.0).collect();
    listed.sort_unstable();
    pinned.sort_unstable();
    assert_eq!(listed, pinned);
}

#[test]
fn engine_reproduces_the_documented_totals() {
    let mut failures = Vec::new();
    for (name, billed, isv, reported) in GOLDEN {
        let scenario = examples::scenario(name).expect("example exists");
        let b = engine::price(&scenario).expect("prices");
        let got = (
            format_plain(b.total_billed),
            format_plain(b.total_isv_billed),
            format_plain(b.total_reported_not_billed),
        );
        if got != (billed.to_string(), isv.to_string(), reported.to_string()) {
            failures.push(format!(
                "{name}: expected ({billed}, {isv}, {reported}), got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn cli_reproduces_the_documented_totals() {
    let mut failures = Vec::new();
    for (name, billed, isv, reported) in GOLDEN {
        let json = decode::encode_scenario(&examples::scenario(name).expect("example exists"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_power-payg"))
            .args(["price", "-", "--json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(json.as_bytes())
            .expect("writes");
        let out = child.wait_with_output().expect("finishes");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        let got = (
            v["total_billed"].clone(),
            v["total_isv_billed"].clone(),
            v["total_reported_not_billed"].clone(),
        );
        if got != (Value::from(billed), Value::from(isv), Value::from(reported)) {
            failures.push(format!(
                "{name}: expected ({billed}, {isv}, {reported}), got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The run table per licence (TC-PA-1..5), not just its sum.
#[test]
fn flow_runs_by_licence_per_row() {
    let b = engine::price(&examples::scenario("doc-flow-runs-by-licence").unwrap()).unwrap();
    assert!(
        b.lines
            .iter()
            .all(|l| l.meter == Meter::FlowRuns && l.payer == Payer::Customer)
    );
    // Premium cloud: 10 runs for Microsoft 365, no licence and Power Apps per user (PA-11);
    // exempt for both Power Automate per-user licences (PA-7).
    let runs = |item: &str| -> rust_decimal::Decimal {
        b.lines
            .iter()
            .filter(|l| l.item == item)
            .map(|l| l.quantity)
            .sum()
    };
    assert_eq!(
        runs("Standard cloud flow"),
        0.into(),
        "PA-2: standard flows are free"
    );
    assert_eq!(runs("Premium cloud flow"), 30.into());
    assert_eq!(
        runs("Attended desktop flow"),
        20.into(),
        "only per user with attended RPA exempts"
    );
    assert_eq!(
        runs("Unattended desktop flow"),
        25.into(),
        "every licence pays unattended runs"
    );
    // 30 × 0.60 + 20 × 0.60 + 25 × 3.00 = 18 + 12 + 75 = 105.
    assert!(
        b.notes.iter().any(|n| n.rule == "INC-1"),
        "the table's 15 vs 20 is noted"
    );
}

/// Contoso, priced on the 2025-02 book for 2026-11 (30 days, one Dataverse snapshot a day at
/// 1/30). Every figure below was worked out by hand from the rules, then compared with the
/// engine; the arithmetic is in the comments.
#[test]
fn contoso_lines_checked_by_hand() {
    let b = engine::price(&examples::scenario("contoso").unwrap()).unwrap();
    let amount = |env: Option<usize>, meter: Meter, payer: Payer| {
        format_plain(b.sum(payer, env, Some(meter)))
    };
    let (prod, sandbox, default) = (Some(0), Some(1), Some(2));

    // Production, Power Apps: Expense Approvals (premium) counts 120 unlicensed + 80 Microsoft 365
    // (AP-7, premium app) + 10 per-app pass holders (AP-9) + adele (none) + alex (M365) = 212;
    // 30 per-user + megan are exempt (AP-5), lee (D365) too (AP-6). Site Inspections (standard)
    // counts only the 15 unlicensed (AP-7 exempts M365, AP-6 D365). Legacy Timesheets is opted
    // out (AP-10). (212 + 15) × $10 = $2,270.00.
    assert_eq!(amount(prod, Meter::PowerApps, Payer::Customer), "2270.00");
    // Flow runs: Order sync 1,800 × $0.60 = $1,080 (owner's Microsoft 365 licence, PA-6; 60 a
    // day, under the cap); Expense reminders 200 unlicensed × $0.60 = $120 (150 per-user runs
    // exempt, PA-7); Invoice bot 300 hosted × $3.00 = $900 (service principal, PA-8).
    // $1,080 + $120 + $900 = $2,100.00. Test runs are free (PA-4).
    assert_eq!(amount(prod, Meter::FlowRuns, Payer::Customer), "2100.00");
    // Power Pages: 300 unlicensed + adele = 301 × $4 = $1,204 (40 per-user and lee exempt,
    // PP-3); anonymous 5,000 − 400 bots − 100 monitors − 250 static − 50 same-day logins
    // = 4,200 × $0.30 = $1,260. Together $2,464.00.
    assert_eq!(amount(prod, Meter::PowerPages, Payer::Customer), "2464.00");
    // Dataverse (allocation replaces the free GB, AMB-10): database 12 − 10 = 2 × $48 = $96;
    // file 40 − 20 = 20 × $2.40 = $48; log 2 × $12 = $24. $168.00.
    assert_eq!(amount(prod, Meter::Dataverse, Payer::Customer), "168.00");
    // Copilot Studio: 12,000 + 1,000 generative × 2 + 40 actions × 25 = 15,000 × $0.01 = $150.
    assert_eq!(
        amount(prod, Meter::CopilotStudio, Payer::Customer),
        "150.00"
    );
    // Requests (reported, not billed, PR-1): 5 users × 20 days × (45,000 − 40,000) = 500,000
    // → $20; the tenant pool 30 days × (30,000 − 25,000) = 150,000 → $6. $26.00.
    assert_eq!(
        amount(prod, Meter::Requests, Payer::ReportedNotBilled),
        "26.00"
    );
    assert_eq!(amount(prod, Meter::Requests, Payer::Customer), "0.00");
    // ISV-only connector flow: 1,000 × $0.60 = $600 to the ISV (EM-5).
    assert_eq!(amount(prod, Meter::Embed, Payer::Isv), "600.00");

    // Sandbox: the Power Pages meter is off (G-2), so its website is excluded. Database 1 GB
    // until day 15, 2 GB from day 16: 15 snapshots × 1 GB over × $48/30 = $24; file 0.5 GB is
    // within the free 1 GB; log 0.1 × $12 = $1.20. $25.20.
    assert_eq!(amount(sandbox, Meter::PowerPages, Payer::Customer), "0.00");
    assert!(
        b.exclusions
            .iter()
            .any(|x| x.environment == sandbox && x.meter == Meter::PowerPages && x.rule == "G-2")
    );
    assert_eq!(amount(sandbox, Meter::Dataverse, Payer::Customer), "25.20");

    // Default is not pay-as-you-go (G-1): nothing billed to the customer, but the ISV still
    // pays its connector's runs (EM-5): 500 × $0.60 = $300.
    assert_eq!(b.sum(Payer::Customer, default, None), 0.into());
    assert!(
        b.exclusions
            .iter()
            .filter(|x| x.environment == default)
            .all(|x| x.rule == "G-1")
    );
    assert_eq!(amount(default, Meter::Embed, Payer::Isv), "300.00");

    // ISV customers: Fabrikam (40 − 10 licensed makers) × 25 runs = 750 × $0.60 = $450;
    // Northwind's makers are all licensed (EM-3).
    let scenario_level: rust_decimal::Decimal = b
        .lines
        .iter()
        .filter(|l| l.environment.is_none() && l.payer == Payer::Isv)
        .map(|l| l.amount)
        .sum();
    assert_eq!(format_plain(scenario_level), "450.00");

    // Totals: customer 2,270 + 2,100 + 2,464 + 168 + 150 + 25.20 = $7,177.20;
    // ISV 600 + 300 + 450 = $1,350.00; reported $26.00.
    assert_eq!(format_plain(b.total_billed), "7177.20");
    assert_eq!(format_plain(b.total_isv_billed), "1350.00");
    assert_eq!(format_plain(b.total_reported_not_billed), "26.00");
}

/// The json blocks of docs/scenario-format.md as written before the Copilot Credits meter, with
/// what the build before it priced them at (customer, ISV, reported, lines, free items): files
/// written before a change must keep their meaning.
const FORMAT_DOC_BEFORE_CREDITS: [(&str, &str, &str, &str, usize, usize); 13] = [
    ("Nothing yet", "0.00", "0.00", "0.00", 0, 0),
    ("Negotiated prices", "0.00", "0.00", "0.00", 0, 0),
    ("Power Apps, month 1", "90.00", "0.00", "0.00", 3, 0),
    ("Power Apps, quick counts", "1200.00", "0.00", "0.00", 1, 2),
    ("Flow runs", "3906.00", "600.00", "600.00", 4, 2),
    ("Power Pages", "2475.30", "0.00", "0.00", 3, 7),
    ("Dataverse, month 2", "86.40", "0.00", "0.00", 3, 2),
    (
        "Dataverse with allocated capacity",
        "126.60",
        "0.00",
        "0.00",
        3,
        2,
    ),
    ("Requests, month 2", "0.00", "0.00", "4.40", 2, 3),
    ("Copilot Studio", "150.00", "0.00", "0.00", 1, 0),
    ("An ISV's customers", "0.00", "450.00", "0.00", 1, 2),
    (
        "Two flows, read over three months",
        "522.00",
        "0.00",
        "0.00",
        2,
        0,
    ),
    ("Meter selection", "0.00", "0.00", "0.00", 0, 2),
];

fn format_doc_blocks() -> Vec<String> {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/scenario-format.md"
    ))
    .expect("docs/scenario-format.md exists");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match &mut current {
            None if line.trim_start().starts_with("```json") => current = Some(String::new()),
            Some(text) if line.trim_start().starts_with("```") => {
                blocks.push(std::mem::take(text));
                current = None;
            }
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn format_doc_files_price_as_before_the_credits_meter() {
    let blocks = format_doc_blocks();
    for (name, billed, isv, reported, lines, free) in FORMAT_DOC_BEFORE_CREDITS {
        let block = blocks
            .iter()
            .find(|b| b.contains(&format!("\"name\": \"{}\"", name)))
            .unwrap_or_else(|| panic!("no block named {name}"));
        let s = decode::decode_scenario(block).expect("decodes");
        let b = engine::price(&s).expect("prices");
        assert_eq!(
            (
                format_plain(b.total_billed),
                format_plain(b.total_isv_billed),
                format_plain(b.total_reported_not_billed),
                b.lines.len(),
                b.exclusions.len(),
            ),
            (
                billed.to_string(),
                isv.to_string(),
                reported.to_string(),
                lines,
                free
            ),
            "{name}"
        );
        assert!(b.incomplete.is_empty() && b.lines.iter().all(|l| !l.provisional));
    }
}
