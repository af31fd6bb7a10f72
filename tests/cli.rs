//! The command-line tool, run as a process: commands, stdin, output formats, exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use power_payg::engine::{decode, examples};
use serde_json::Value;

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_power-payg"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("writes stdin");
    }
    child.wait_with_output().expect("finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn example_json(name: &str) -> String {
    decode::encode_scenario(&examples::scenario(name).expect("example exists"))
}

/// A file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("power-payg-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("writes temp file");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn help_and_no_arguments_print_usage() {
    for args in [&["--help"][..], &["-h"], &[]] {
        let o = run(args, None);
        assert!(o.status.success(), "{args:?}");
        assert!(
            stdout(&o).contains("power-payg price FILE"),
            "{}",
            stdout(&o)
        );
    }
    let o = run(&["--version"], None);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("power-payg "));
}

#[test]
fn examples_lists_every_name_with_its_title() {
    let o = run(&["examples"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for e in examples::list() {
        assert!(
            out.lines()
                .any(|l| l.starts_with(e.name) && l.ends_with(e.title)),
            "{} missing:\n{out}",
            e.name
        );
    }
}

#[test]
fn example_prints_a_scenario_file_that_decodes_to_the_example() {
    let o = run(&["example", "contoso"], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        decode::decode_scenario(&stdout(&o)),
        Ok(examples::scenario("contoso").unwrap())
    );
}

#[test]
fn unknown_example_exits_2_and_lists_the_names() {
    let o = run(&["example", "doc-apps-month9"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("unknown example `doc-apps-month9`") && err.contains("doc-apps-month1"),
        "{err}"
    );
}

#[test]
fn price_reads_stdin_and_prints_text() {
    let o = run(&["price", "-"], Some(&example_json("doc-apps-month1")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("App A: 2 user-apps × $10.00 = $20.00  [AP-1]"),
        "{out}"
    );
    assert!(
        out.contains("Billed to the customer's Azure subscription: $90.00"),
        "{out}"
    );
    assert!(
        out.contains("Price book: Pay-as-you-go meters, 06/20/2023 (seed) (2023-06)"),
        "{out}"
    );
}

#[test]
fn price_reads_a_file_and_prints_json() {
    let file = TempFile::new("requests.json", &example_json("doc-requests-month2"));
    let o = run(&["price", file.path(), "--json"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["total_billed"], "0.00");
    assert_eq!(v["total_isv_billed"], "0.00");
    assert_eq!(v["total_reported_not_billed"], "4.40");
    assert_eq!(v["price_book"], "2023-06");
    assert_eq!(v["month"], "2026-11");
    assert_eq!(v["overrides_used"], serde_json::json!([]));
    let lines = v["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 2);
    for l in lines {
        assert_eq!(l["payer"], "reported_not_billed");
        assert_eq!(l["unit_price"], "0.00004");
        assert!(
            l["amount"]
                .as_str()
                .is_some_and(|a| a.split_once('.').is_some_and(|(_, c)| c.len() == 2))
        );
    }
    assert!(v["exclusions"].is_array() && v["notes"].is_array());
    // Option order does not matter.
    let again = run(&["price", "--json", file.path()], None);
    assert_eq!(stdout(&again), stdout(&o));
}

#[test]
fn price_prints_csv() {
    let o = run(
        &["price", "-", "--csv"],
        Some(&example_json("doc-apps-month1")),
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let rows: Vec<&str> = out.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(
        rows[0],
        "environment,meter,item,quantity,unit,unit_price,amount,payer,rule,price_overridden,explanation"
    );
    assert_eq!(rows.len(), 4);
    assert!(
        rows[1]
            .starts_with("Contoso PAYG,power_apps,App A,2,user-app,10,20.00,customer,AP-1,false,"),
        "{}",
        rows[1]
    );
}

/// Splits RFC 4180 text into rows of fields (quoted fields may hold commas, quotes, line breaks).
fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, csv.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (_, '"') => quoted = !quoted,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (_, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn price_csv_neutralises_names_that_start_like_formulas() {
    let names = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "@SUM(A1)",
        "-2+3",
        "+1",
        "\t=1+1",
        "\r=1+1",
        "Plain, \"quoted\"",
    ];
    let mut v: Value = serde_json::from_str(&example_json("doc-apps-month1")).unwrap();
    let app = v["environments"][0]["apps"][0].clone();
    v["environments"][0]["name"] = Value::from("+Contoso");
    v["environments"][0]["apps"] = names
        .iter()
        .map(|name| {
            let mut app = app.clone();
            app["name"] = Value::from(*name);
            app
        })
        .collect();
    let o = run(&["price", "--csv", "-"], Some(&v.to_string()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // The exact bytes of the first line: the prefix sits inside the quotes, quotes are doubled,
    // and the numbers between are untouched.
    assert!(
        out.contains("\r\n\"'+Contoso\",power_apps,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2,user-app,10,20.00,customer,AP-1,false,"),
        "{out}"
    );
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 1 + names.len(), "{out}");
    for (name, row) in names.iter().zip(&rows[1..]) {
        assert_eq!(row.len(), 11, "{row:?}");
        assert_eq!(row[0], "'+Contoso");
        let item = if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{name}")
        } else {
            name.to_string()
        };
        assert_eq!(row[2], item, "{out}");
        assert_eq!(&row[3..7], ["2", "user-app", "10", "20.00"], "{row:?}");
        // The explanation names the app, but starts with the count.
        assert!(row[10].starts_with("2 users opened "), "{row:?}");
    }
}

#[test]
fn invalid_input_exits_2_and_lists_every_problem() {
    let mut v: Value = serde_json::from_str(&example_json("doc-apps-month1")).unwrap();
    v["month"]["month"] = Value::from(13);
    v["environments"][0]["apps"][1]["opened_by"][0] = Value::from("U42");
    let o = run(&["price", "-"], Some(&v.to_string()));
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "standard input: not a valid scenario (2 problems):"
    );
    assert_eq!(
        lines[1],
        "month.month: must be a month from 1 to 12, got 13"
    );
    assert_eq!(
        lines[2],
        "environments[0].apps[1].opened_by[0]: unknown user \"U42\"; add it to this environment's `users` (with its licence)"
    );
    assert_eq!(lines.len(), 3);
}

#[test]
fn not_json_exits_2_with_the_position() {
    let file = TempFile::new("broken.json", "{\n  \"version\": 1,\n}");
    let o = run(&["price", file.path()], None);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(file.path()) && err.contains("line 3, column 1"),
        "{err}"
    );

    let o = run(&["price", "-"], Some(""));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty"));
}

#[test]
fn a_newer_format_exits_2_saying_so() {
    let o = run(&["price", "-"], Some(r#"{"version": 7, "whatever": []}"#));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(
        "version: written by a newer version of power-payg (format 7); this version reads format 1"
    ));
}

#[test]
fn a_missing_file_exits_1_naming_it() {
    let o = run(&["price", "/nonexistent/dir/scenario.json"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("/nonexistent/dir/scenario.json"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["price"][..],
        &["price", "a.json", "b.json"],
        &["price", "a.json", "--xml"],
        &["frobnicate"],
        &["example"],
    ] {
        let o = run(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("power-payg --help"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn advise_reproduces_the_six_flow_table_from_the_example() {
    let o = run(&["advise", "-"], Some(&example_json("doc-prepaid-vs-payg")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for expected in [
        "Prepaid or pay-as-you-go, from 2026-11 (2023-06 book), over 3 months",
        "Contoso PAYG · Flow 1 (flow)",
        "3 × $15.00 = $45.00  ← recommended",
        "3 × 10 × $15.00 = $450.00",
        "3 × 10 × $40.00 = $1,200.00",
        "3 × (2 × $150.00 + $40.00) = $1,020.00",
        "40 × $0.60 = $24.00  ← recommended",
        "the real cost is 3 × 5 × $100.00 = $1,500.00",
        "Break-even: Power Automate per user wins above 25 premium cloud runs per user a month ($15.00 ÷ $0.60).",
        "Total over 3 months: pay-as-you-go $807.00, recommended mix $765.00.",
        "Projection, 12 months, flat usage",
    ] {
        assert!(out.contains(expected), "missing {expected:?}:\n{out}");
    }
    assert_eq!(out.matches("← recommended").count(), 6, "{out}");
}

#[test]
fn advise_prints_json_with_the_projection() {
    let file = TempFile::new("six-flows.json", &example_json("doc-prepaid-vs-payg"));
    let o = run(
        &[
            "advise",
            file.path(),
            "--json",
            "--months",
            "3",
            "--growth=10%",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let recs = v["advice"]["recommendations"].as_array().expect("list");
    let table = [
        ("Flow 1", "45.00", "87.00", "power_automate_per_user"),
        ("Flow 2", "450.00", "87.00", "pay_as_you_go"),
        ("Flow 3", "1200.00", "87.00", "pay_as_you_go"),
        ("Flow 4", "1020.00", "435.00", "pay_as_you_go"),
        ("Flow 5", "45.00", "24.00", "pay_as_you_go"),
        ("Flow 6", "300.00", "87.00", "pay_as_you_go"),
    ];
    assert_eq!(recs.len(), table.len());
    for (r, (name, prepaid, payg, recommended)) in recs.iter().zip(table) {
        assert_eq!(r["subject"], name);
        assert_eq!(r["payg"], payg, "{name}");
        let alt = |i: &Value| &r["alternatives"][i.as_u64().expect("index") as usize];
        assert_eq!(alt(&r["prepaid"])["cost"], prepaid, "{name}");
        assert_eq!(alt(&r["recommended"])["choice"], recommended, "{name}");
    }
    assert_eq!(v["advice"]["inputs"]["horizon_months"], 3);
    assert_eq!(v["advice"]["total_payg"], "807.00");
    let p = &v["projection"];
    assert_eq!(p["months"].as_array().map(Vec::len), Some(3));
    assert_eq!(p["months"][2]["month"]["month"], 1);
    assert_eq!(p["months"][2]["days"], 31);
    assert_eq!(
        p["growth"],
        serde_json::json!({ "kind": "monthly_percent", "value": "10" })
    );
}

#[test]
fn advise_options_override_the_example_inputs() {
    let json = example_json("doc-prepaid-vs-payg");
    let recommended = |args: &[&str], flow: &str| {
        let mut all = vec!["advise", "-", "--json", "--months", "1"];
        all.extend_from_slice(args);
        let o = run(&all, Some(&json));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        let r = v["advice"]["recommendations"]
            .as_array()
            .expect("list")
            .iter()
            .find(|r| r["subject"] == flow)
            .cloned()
            .expect("flow advised");
        let i = r["recommended"].as_u64().expect("index") as usize;
        r["alternatives"][i]["choice"].clone()
    };
    assert_eq!(recommended(&[], "Flow 5"), "pay_as_you_go");
    // 40 runs in one month ($24) against one month of per user ($15).
    assert_eq!(
        recommended(&["--horizon", "1"], "Flow 5"),
        "power_automate_per_user"
    );
    // One person runs Flow 2: 3 × $15 < $87.
    assert_eq!(
        recommended(&["--users", "Flow 2=1"], "Flow 2"),
        "power_automate_per_user"
    );
    // One bot for Flow 4: 3 × ($150 + $40) = $570, still above $435.
    assert_eq!(recommended(&["--bots=Flow 4=1"], "Flow 4"), "pay_as_you_go");
}

#[test]
fn advise_projects_with_the_files_profile_unless_a_flag_says_otherwise() {
    let mut file: Value =
        serde_json::from_str(&example_json("doc-dataverse-month1")).expect("JSON");
    file["advisor"] = serde_json::json!({ "growth": "10%", "projection_months": 3 });
    let file = file.to_string();
    let projection = |args: &[&str]| {
        let mut all = vec!["advise", "-", "--json"];
        all.extend_from_slice(args);
        let o = run(&all, Some(&file));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        v["projection"].clone()
    };
    let p = projection(&[]);
    assert_eq!(p["months"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        p["growth"],
        serde_json::json!({ "kind": "monthly_percent", "value": "10" })
    );
    assert_eq!(p["months"][1]["factor"], "1.1");
    let p = projection(&["--months", "5", "--growth", "flat"]);
    assert_eq!(p["months"].as_array().map(Vec::len), Some(5));
    assert_eq!(p["growth"], serde_json::json!({ "kind": "flat" }));
}

#[test]
fn advise_errors_exit_like_price() {
    for args in [
        &["advise"][..],
        &["advise", "a.json", "b.json"],
        &["advise", "-", "--xml"],
        &["advise", "-", "--growth", "fast"],
        &["advise", "-", "--growth", "1,2,3"],
        &["advise", "-", "--months", "0"],
        &["advise", "-", "--months", "121"],
        &["advise", "-", "--horizon"],
        &["advise", "-", "--users", "Flow 2"],
        &["advise", "-", "--bots", "Flow 4=two"],
    ] {
        // No stdin: a usage error exits before reading it.
        let o = run(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stdout(&o).is_empty(), "{args:?}");
        assert!(
            stderr(&o).contains("power-payg --help"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let o = run(&["advise", "/nonexistent/dir/scenario.json"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/dir/scenario.json"));
    let o = run(&["advise", "-"], Some(r#"{"version": 1}"#));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("standard input: not a valid scenario"));
}

#[test]
fn link_prints_a_fragment_that_opens_the_same_scenario() {
    let file = examples::scenario("doc-apps-month1").expect("example");
    let json = decode::encode_scenario(&file);
    let out = run(&["link", "-"], Some(&json));
    assert!(out.status.success(), "{}", stderr(&out));
    let link = stdout(&out);
    let link = link.trim_end();
    assert!(link.starts_with("#s=2."), "{link}");
    // The documentation's three-app example travels in well under 500 characters.
    assert!(link.len() < 500, "{} characters", link.len());
    match power_payg::share::decode_link(link) {
        Ok(power_payg::share::LinkTarget::Scenario(s)) => assert_eq!(*s, file),
        other => panic!("the link does not open the scenario: {other:?}"),
    }
    let bad = run(&["link"], None);
    assert_eq!(bad.status.code(), Some(2));
    let invalid = run(
        &["link", "-"],
        Some("{\"version\": 1, \"environments\": 3}"),
    );
    assert_eq!(invalid.status.code(), Some(2));
}

#[test]
fn duplicate_keys_exit_2_naming_the_key() {
    let json = example_json("doc-apps-month2");
    let text = json.replacen("\"name\": ", "\"name\": \"first\", \"name\": ", 1);
    let o = run(&["price", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with("name: duplicate key: given 2 times")),
        "{err}"
    );
}

#[test]
fn thousands_of_problems_are_counted_as_more_than_a_thousand() {
    let runs = vec![r#"{"day": 99, "runs": 1, "licence": "none"}"#; 5_000].join(",");
    let text = format!(
        r#"{{"version": 1, "name": "x", "price_book": "2023-06", "month": {{"year": 2026, "month": 11}},
        "environments": [{{"name": "e", "payg": true, "flows": [{{"name": "f", "trigger": "instant",
        "mode": "cloud", "connectors": "premium", "owner": {{"kind": "user", "licence": "none"}},
        "daily_runs": [{runs}]}}]}}]}}"#
    );
    let o = run(&["price", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "standard input: not a valid scenario (more than 1,000 problems):"
    );
    assert_eq!(lines.len(), 1_002);
    assert_eq!(lines[1_001], "… and 4,000 more problems not listed");

    let one = run(&["price", "-"], Some(r#"{"version": 1}"#));
    assert!(stderr(&one).starts_with("standard input: not a valid scenario (4 problems):"));
    let text =
        example_json("doc-apps-month1").replacen("\"version\": 1", "\"version\": 1, \"x\": 0", 1);
    let one = run(&["price", "-"], Some(&text));
    assert!(
        stderr(&one).starts_with("standard input: not a valid scenario (1 problem):"),
        "{}",
        stderr(&one)
    );
}

#[test]
fn books_lists_every_book_with_its_effective_date() {
    let o = run(&["books"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for id in power_payg::engine::PriceBookId::ALL {
        let b = id.book();
        assert!(text.contains(&format!("{} ", id.key())), "{text}");
        assert!(text.contains(b.effective), "{text}");
    }
    let o = run(&["books", "--json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "2023-06", "2025-02", "2025-05", "2025-09", "2025-10", "2025-11", "2026-09"
        ]
    );
    assert_eq!(v[6]["effective"], "2026-09-08");
    assert_eq!(
        v[6]["sources"]["windows365_agent_hour"]["kind"],
        "first_party"
    );
    assert!(v[6]["prices"].get("windows365_agent_hour").is_none());
}
