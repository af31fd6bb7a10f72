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
        out.contains("App A: 2 user-app × $10.00 = $20.00  [AP-1]"),
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
