//! Golden tests of the importer (issue 14): the files `scripts/gen-usage.py fixtures` writes into
//! `tests/fixtures/import/`, rebuilt into scenarios and priced, against the answers the script
//! computed from the same events on its own.

use std::io::BufReader;
use std::path::PathBuf;

use power_payg::engine::{self, BillingMonth, PriceBookId, PriceKey, Scenario, decode};
use power_payg::import::layout::Layout;
use power_payg::import::reconcile::{self, Category};
use power_payg::import::{self, Conflict, ImportError, ImportOptions, ImportResult, Importer};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn answers() -> Value {
    let text = std::fs::read_to_string(fixture("answers.json")).expect("answers.json");
    serde_json::from_str(&text).expect("answers are JSON")
}

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .and_then(|s| Decimal::from_str_exact(s).ok())
        .unwrap_or_else(|| panic!("not a decimal string: {v}"))
}

fn import_with(options: ImportOptions, names: &[&str]) -> ImportResult {
    let files = names.iter().map(|n| {
        let file = std::fs::File::open(fixture(n)).expect("fixture exists");
        (n.to_string(), BufReader::new(file))
    });
    import::import_all(options, files).expect("imports")
}

fn import(names: &[&str]) -> ImportResult {
    let options = ImportOptions {
        reconcile: true,
        ..ImportOptions::default()
    };
    import_with(options, names)
}

fn scenario(result: &ImportResult) -> &Scenario {
    result.scenario.as_ref().expect("a scenario was built")
}

fn total(s: &Scenario) -> Decimal {
    engine::price(s).expect("prices").total_billed
}

/// The scenario survives the documented format: what `import` prints, `price` reads.
fn assert_round_trips(s: &Scenario) {
    let json = decode::encode_scenario(s);
    assert_eq!(decode::decode_scenario(&json).as_ref(), Ok(s), "{json}");
}

fn user_groups(s: &Scenario, env: usize) -> Vec<(String, u64)> {
    s.environments[env]
        .apps
        .iter()
        .map(|a| (a.name.clone(), a.user_groups.iter().map(|g| g.users).sum()))
        .collect()
}

#[test]
fn usage_report_2025_rebuilds_the_month_and_its_price() {
    let a = answers();
    let r = import(&["usage-2025.csv"]);
    assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
    let s = scenario(&r);
    assert_eq!(
        s.month,
        BillingMonth {
            year: 2026,
            month: 9
        }
    );
    assert_eq!(s.price_book, PriceBookId::Agents2026);
    let names: Vec<&str> = s.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["HR Prod", "Sales, EMEA"]);
    assert_eq!(
        user_groups(s, 0),
        [("app-0001".to_string(), 15), ("app-0002".to_string(), 5)]
    );
    assert_eq!(user_groups(s, 1), [("app-0003".to_string(), 7)]);
    assert_eq!(total(s), dec(&a["usage_report"]["total_billed"]));
    assert_round_trips(s);

    let file = &r.files[0];
    assert_eq!(file.layout, Layout::UsageReport2025);
    assert_eq!(file.separator, ',');
    assert_eq!(file.bad_row_count, 2);
    let bad: Vec<(u64, Option<&str>)> = file
        .bad_rows
        .iter()
        .map(|b| (b.row, b.column.as_deref()))
        .collect();
    let expected: Vec<(u64, Option<&str>)> = a["usage_report"]["bad_rows"]
        .as_array()
        .expect("list")
        .iter()
        .map(|b| (b["row"].as_u64().expect("row"), b["column"].as_str()))
        .collect();
    assert_eq!(bad, expected);
    assert_eq!(file.rows, file.rows_used + 2);
    assert!(file.unmapped.is_empty(), "{:?}", file.unmapped);
}

#[test]
fn both_usage_report_layouts_give_the_same_total_for_the_same_events() {
    let a = answers();
    let new = import(&["usage-2025.csv"]);
    let old = import(&["usage-2021.csv"]);
    assert_eq!(old.files[0].layout, Layout::UsageReport2021);
    // European Excel: `;` and decimal commas.
    assert_eq!(old.files[0].separator, ';');
    assert_eq!(old.files[0].bad_row_count, 0, "{:?}", old.files[0].bad_rows);
    let (new, old) = (scenario(&new), scenario(&old));
    assert_eq!(total(new), total(old));
    assert_eq!(total(old), dec(&a["usage_report"]["total_billed"]));
    // The 2021 layout has no environment names: the IDs stand in.
    let names: Vec<&str> = old.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["env-hr-0001", "env-sales-02"]);
    assert_eq!(new.environments[0].storage, old.environments[0].storage);
    assert_eq!(new.environments[0].flows, old.environments[0].flows);
}

#[test]
fn caller_ids_are_dropped_unless_asked_to_keep_them() {
    let a = answers();
    let callers: Vec<&str> = a["usage_report"]["callers"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let dropped = decode::encode_scenario(scenario(&import(&["usage-2025.csv"])));
    for c in &callers {
        assert!(!dropped.contains(c), "caller {c} is in the scenario");
    }
    let share = power_payg::share::encode_fragment(scenario(&import(&["usage-2025.csv"])));
    assert!(!share.is_empty());

    let options = ImportOptions {
        keep_identifiers: true,
        ..ImportOptions::default()
    };
    let kept_result = import_with(options, &["usage-2025.csv"]);
    let kept = scenario(&kept_result);
    let json = decode::encode_scenario(kept);
    assert!(callers.iter().any(|c| json.contains(c)));
    // Same users, same price: only the form of the records differs.
    assert_eq!(total(kept), dec(&a["usage_report"]["total_billed"]));
    assert_round_trips(kept);
}

#[test]
fn the_same_usage_twice_is_a_conflict() {
    let r = import(&["usage-2025.csv", "usage-2021.csv"]);
    assert!(
        r.conflicts
            .iter()
            .any(|c| matches!(c, Conflict::SameUsageTwice { .. })),
        "{:?}",
        r.conflicts
    );
}

#[test]
fn power_pages_report_counts_the_months_users_per_site() {
    let a = answers();
    let r = import(&["pages.csv"]);
    let s = scenario(&r);
    let site = &s.environments[0].websites[0];
    assert_eq!(site.name, "site-01");
    let auth: u64 = site.authenticated.iter().map(|g| g.users).sum();
    assert_eq!(auth, a["pages"]["authenticated"].as_u64().expect("n"));
    assert_eq!(
        site.anonymous_visitors,
        a["pages"]["anonymous"].as_u64().expect("n")
    );
    assert_eq!(total(s), dec(&a["pages"]["total_billed"]));
    assert_round_trips(s);
}

#[test]
fn pages_and_usage_report_of_one_environment_merge() {
    let a = answers();
    let r = import(&["usage-2025.csv", "pages.csv"]);
    assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
    let s = scenario(&r);
    assert_eq!(s.environments.len(), 2);
    assert_eq!(s.environments[0].websites.len(), 1);
    assert_eq!(
        total(s),
        dec(&a["usage_report"]["total_billed"]) + dec(&a["pages"]["total_billed"])
    );
}

fn check_azure(name: &str, layout: Layout) {
    let a = answers();
    let r = import(&[name]);
    assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
    let file = &r.files[0];
    assert_eq!(file.layout, layout);
    assert_eq!(file.bad_row_count, 0, "{:?}", file.bad_rows);
    assert_eq!(file.other_service_rows, 1);
    assert_eq!(file.unmapped.len(), 1);
    assert_eq!(file.unmapped[0].category, "Process Mining");
    assert_eq!(file.unmapped[0].quantity, Decimal::from(5));
    assert_eq!(file.unmapped[0].cost, Some(Decimal::new(1250, 2)));
    let s = scenario(&r);
    let names: Vec<&str> = s.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Billing plan HR-PAYG", "Billing plan Sales-PAYG"]);
    assert_eq!(total(s), dec(&a["azure"]["total_billed"]));
    assert_round_trips(s);

    // Reconciliation: Azure's cost per plan and meter against the engine's lines.
    let charged: Decimal = r.reconciliation.iter().map(|row| row.billed_amount).sum();
    assert_eq!(charged, dec(&a["azure"]["charged_mapped"]));
    for row in &r.reconciliation {
        let expected = if row.meter == PriceKey::CopilotStudioMessage {
            Category::Book
        } else {
            Category::Match
        };
        assert_eq!(row.category, expected, "{row:?}");
        assert!(!row.billed_amount_estimated);
    }
    let csv = reconcile::to_csv(&r.reconciliation);
    assert!(csv.starts_with("file,environment,meter,"), "{csv}");
    assert!(csv.contains(",book,"), "{csv}");
}

#[test]
fn azure_cost_details_classic_columns() {
    check_azure("azure-classic.csv", Layout::AzureCostClassic);
}

#[test]
fn azure_cost_details_focus_columns() {
    check_azure("azure-focus.csv", Layout::AzureCostFocus);
}

#[test]
fn usage_report_reconciles_with_the_engine() {
    let r = import(&["usage-2025.csv"]);
    assert!(!r.reconciliation.is_empty());
    for row in &r.reconciliation {
        let expected = if row.meter == PriceKey::PlatformRequest {
            Category::PreviewMeter
        } else {
            Category::Match
        };
        assert_eq!(row.category, expected, "{row:?}");
        assert!(row.billed_amount_estimated);
    }
}

#[test]
fn azure_with_a_usage_report_only_reconciles() {
    let a = answers();
    let r = import(&["usage-2025.csv", "azure-classic.csv"]);
    let s = scenario(&r);
    assert_eq!(total(s), dec(&a["usage_report"]["total_billed"]));
    assert!(
        r.reconciliation
            .iter()
            .any(|row| row.file == "azure-classic.csv")
    );
}

#[test]
fn flow_run_export_counts_runs_per_flow_per_day_and_child_runs_apart() {
    let a = answers();
    let r = import(&["flowrun.csv"]);
    let s = scenario(&r);
    let flows = &s.environments[0].flows;
    let runs = |child: bool| -> u64 {
        flows
            .iter()
            .filter(|f| f.child_flow == child)
            .flat_map(|f| f.daily_runs.iter().map(|d| d.runs))
            .sum()
    };
    assert_eq!(
        runs(false),
        a["flowrun"]["primary_runs"].as_u64().expect("n")
    );
    assert_eq!(runs(true), a["flowrun"]["child_runs"].as_u64().expect("n"));
    assert_eq!(total(s), dec(&a["flowrun"]["total_billed"]));
    let json = decode::encode_scenario(s);
    for owner in a["flowrun"]["owners"].as_array().expect("list") {
        let owner = owner.as_str().expect("text");
        assert!(!json.contains(owner), "owner {owner} is in the scenario");
    }
    assert!(r.assumptions.iter().any(|q| q.subject == "flows"));
    assert_round_trips(s);
}

const HEADER_2025: &str = "Billing Policy ID,Billing Policy,Environment ID,Environment Name,Environment Region,Caller ID,Caller Type,Resource Type,Resource ID,Meter Category,Meter Subcategory,Usage Datetime,Entitled Quantity,Consumed Quantity,Overage Quantity,Billed Quantity,Unit of measure,Status";

fn import_text(options: ImportOptions, text: &str) -> Result<ImportResult, ImportError> {
    import::import_all(options, [("inline.csv".to_string(), text.as_bytes())])
}

#[test]
fn several_months_are_told_apart_and_one_can_be_chosen() {
    let text = format!(
        "{HEADER_2025}\n\
         p,P,e1,Env,,u1,User,Power Apps,app,Power Apps,Launch,2026-08-03T08:00:00Z,0,1,1,1,Unique users,Billed\n\
         p,P,e1,Env,,u1,User,Power Apps,app,Power Apps,Launch,2026-09-03T08:00:00Z,0,1,1,1,Unique users,Billed\n\
         p,P,e1,Env,,u2,User,Power Apps,app,Power Apps,Launch,2026-09-04T08:00:00Z,0,1,1,1,Unique users,Billed\n"
    );
    let r = import_text(ImportOptions::default(), &text).expect("reads");
    assert!(r.scenario.is_none());
    assert!(
        matches!(&r.conflicts[..], [Conflict::SeveralMonths { months }] if months.len() == 2),
        "{:?}",
        r.conflicts
    );
    let chosen = ImportOptions {
        month: Some(BillingMonth {
            year: 2026,
            month: 9,
        }),
        ..ImportOptions::default()
    };
    let r = import_text(chosen, &text).expect("reads");
    assert!(r.conflicts.is_empty());
    assert_eq!(r.files[0].other_month_rows, 1);
    assert_eq!(user_groups(scenario(&r), 0), [("app".to_string(), 2)]);
}

#[test]
fn an_unknown_meter_category_is_listed_and_can_be_mapped() {
    let text = format!(
        "{HEADER_2025}\n\
         p,P,e1,Env,,,User,Copilot,agent-1,Agents 365,,2026-09-03T08:00:00Z,0,40,40,40,Widgets,Billed\n"
    );
    let r = import_text(ImportOptions::default(), &text).expect("reads");
    assert_eq!(r.files[0].unmapped.len(), 1);
    assert_eq!(r.files[0].unmapped[0].quantity, Decimal::from(40));
    let mapping = import::mapping::MeterMapping::from_json(
        r#"[{"category": "agents 365", "meter": "copilot_studio_message"}]"#,
    )
    .expect("mapping");
    let r = import_text(
        ImportOptions {
            mapping,
            ..ImportOptions::default()
        },
        &text,
    )
    .expect("reads");
    assert!(r.files[0].unmapped.is_empty());
    assert_eq!(scenario(&r).environments[0].copilot_studio.messages, 40);
}

#[test]
fn an_unrecognised_header_names_the_layouts_and_missing_columns() {
    let err =
        import_text(ImportOptions::default(), "Date,Amount\n2026-09-01,3\n").expect_err("refused");
    let text = err.to_string();
    for layout in Layout::ALL {
        assert!(text.contains(layout.label()), "{text}");
    }
    assert!(text.contains("Consumed Quantity"), "{text}");
}

#[test]
fn progress_is_reported_and_can_cancel() {
    let mut importer = Importer::new(ImportOptions::default());
    let file = std::fs::File::open(fixture("usage-2025.csv")).expect("fixture");
    let mut seen = 0;
    let result = importer.read("usage-2025.csv", BufReader::new(file), &mut |bytes| {
        seen = bytes;
        false
    });
    assert_eq!(result.err(), Some(ImportError::Cancelled));
    assert!(seen > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Importing never panics, whatever the bytes; a recognised header makes every other line
    /// a row that is used, left out on purpose or reported.
    #[test]
    fn importing_arbitrary_bytes_never_panics(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = import::import_all(ImportOptions::default(), [("x".to_string(), &body[..])]);
        let mut text = HEADER_2025.as_bytes().to_vec();
        text.push(b'\n');
        text.extend_from_slice(&body);
        if let Ok(r) = import::import_all(ImportOptions::default(), [("x".to_string(), &text[..])]) {
            let f = &r.files[0];
            prop_assert!(f.rows_used + f.bad_row_count + f.ignored_rows <= f.rows);
            if let Some(s) = &r.scenario {
                let _ = engine::price(s);
                let again = decode::decode_scenario(&decode::encode_scenario(s));
                prop_assert_eq!(again.as_ref(), Ok(s));
            }
        }
    }

    /// Rows made of plausible fields, so that parsing goes deep.
    #[test]
    fn importing_plausible_rows_never_panics(rows in proptest::collection::vec(
        proptest::collection::vec(prop_oneof![
            Just("".to_string()), Just("Power Apps".to_string()), Just("Dataverse".to_string()),
            Just("Database".to_string()), Just("Power Platform request".to_string()),
            Just("Cloud Flow Run".to_string()), Just("2026-09-03T08:00:00Z".to_string()),
            Just("31/02/2026".to_string()), Just("1e30".to_string()), Just("-1".to_string()),
            Just("\"q,\"\"x\"".to_string()), "[0-9]{1,20}(\\.[0-9]{1,30})?", "[a-z ;,]{0,8}",
        ], 0..20), 0..30)) {
        let mut text = String::from(HEADER_2025);
        for row in rows {
            text.push_str("\r\n");
            text.push_str(&row.join(","));
        }
        if let Ok(r) = import_text(ImportOptions::default(), &text) {
            if let Some(s) = &r.scenario {
                let _ = engine::price(s);
                let again = decode::decode_scenario(&decode::encode_scenario(s));
                prop_assert_eq!(again.as_ref(), Ok(s));
            }
            let _ = reconcile::to_csv(&r.reconciliation);
        }
    }
}

// The command line ------------------------------------------------------------------------------

fn cli(args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_power-payg"))
        .args(args)
        .current_dir(fixture(""))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(bytes)
            .expect("writes stdin");
    }
    child.wait_with_output().expect("finishes")
}

#[test]
fn cli_import_pipes_into_price() {
    let a = answers();
    let imported = cli(&["import", "usage-2025.csv"], None);
    assert_eq!(imported.status.code(), Some(0));
    let err = String::from_utf8_lossy(&imported.stderr);
    assert!(err.contains("bad row 249"), "{err}");
    assert!(err.contains("column Consumed Quantity"), "{err}");
    let priced = cli(&["price", "--json", "-"], Some(&imported.stdout));
    assert_eq!(
        priced.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&priced.stderr)
    );
    let json: Value = serde_json::from_slice(&priced.stdout).expect("JSON");
    assert_eq!(json["total_billed"], a["usage_report"]["total_billed"]);
}

#[test]
fn cli_import_reads_standard_input_and_takes_a_book() {
    let bytes = std::fs::read(fixture("pages.csv")).expect("fixture");
    let out = cli(&["import", "--book", "2025-02", "-"], Some(&bytes));
    assert_eq!(out.status.code(), Some(0));
    let s = decode::decode_scenario(&String::from_utf8_lossy(&out.stdout)).expect("a scenario");
    assert_eq!(s.price_book, PriceBookId::Newest2025);
}

#[test]
fn cli_reconcile_prints_text_json_and_csv() {
    let text = cli(&["reconcile", "azure-classic.csv"], None);
    assert_eq!(text.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&text.stdout).contains("[book]"));
    let json = cli(&["reconcile", "azure-focus.csv", "--json"], None);
    let rows: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(rows.as_array().is_some_and(|r| !r.is_empty()));
    let csv = cli(&["reconcile", "--csv", "usage-2025.csv"], None);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(csv.starts_with("file,environment,meter,"), "{csv}");
    assert!(csv.contains(",preview_meter,"), "{csv}");
}

#[test]
fn cli_refuses_what_it_cannot_import_with_status_2() {
    for (args, expected) in [
        (
            vec!["import", "usage-2025.csv", "usage-2021.csv"],
            "count it twice",
        ),
        (
            vec!["import", "answers.json"],
            "matches none of the exports",
        ),
        (vec!["import", "--month", "2026-13", "pages.csv"], "YYYY-MM"),
        (
            vec!["import", "--month", "2026-08", "pages.csv"],
            "no row of the files is in 2026-08",
        ),
        (
            vec!["import", "--book", "1999", "pages.csv"],
            "unknown price book",
        ),
        (vec!["import"], "needs one or more export files"),
        (
            vec!["reconcile", "--keep-identifiers", "pages.csv"],
            "unknown option",
        ),
    ] {
        let out = cli(&args, None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let missing = cli(&["import", "no-such-file.csv"], None);
    assert_eq!(missing.status.code(), Some(1));
}

// Guards ------------------------------------------------------------------------------------------

fn rust_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn code_lines(files: &[PathBuf]) -> Vec<(String, String)> {
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("readable");
            text.lines()
                .enumerate()
                .map(|(n, l)| {
                    (
                        format!("{}:{}", f.display(), n + 1),
                        l.split("//").next().unwrap_or("").to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The importer is pure Rust like the engine, so that it runs natively and in a worker.
#[test]
fn the_importer_imports_no_web_crate() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/import.rs")];
    rust_files(&root.join("src/import"), &mut files);
    assert!(files.len() >= 5);
    let offenders: Vec<String> = code_lines(&files)
        .into_iter()
        .filter(|(_, code)| {
            ["leptos", "web_sys", "wasm_bindgen", "js_sys", "gloo"]
                .iter()
                .any(|k| code.contains(&format!("{k}::")) || code.contains(&format!("use {k}")))
        })
        .map(|(at, code)| format!("{at}: {code}"))
        .collect();
    assert!(offenders.is_empty(), "{offenders:#?}");
}

/// The app's first load must not grow with the importer: nothing outside `src/import/` and the
/// CLI names it but `src/ui/import_panel.rs`, whose importer code runs only behind a `#[lazy]`
/// function (an on-demand chunk: `scripts/split_wasm.py`).
#[test]
fn nothing_in_the_app_reaches_the_importer() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/main.rs"), root.join("src/ui.rs")];
    rust_files(&root.join("src/ui"), &mut files);
    files.retain(|f| !f.ends_with("src/ui/import_panel.rs"));
    rust_files(&root.join("src/engine"), &mut files);
    let offenders: Vec<String> = code_lines(&files)
        .into_iter()
        .filter(|(_, code)| code.contains("import::") && !code.contains("engine::import"))
        .filter(|(_, code)| code.contains("crate::import") || code.contains("power_payg::import"))
        .map(|(at, code)| format!("{at}: {code}"))
        .collect();
    assert!(offenders.is_empty(), "{offenders:#?}");
}

/// What `import` writes, `price` reads: an absurd quantity is a bad row, and sums are held to
/// the scenario's bounds.
#[test]
fn implausibly_large_quantities_are_bad_rows_and_sums_stay_valid() {
    let mut text = format!(
        "{HEADER_2025}\n\
         p,P,e1,Env,,,User,Power Automate,flow-1,Power Automate,Cloud Flow Run,2026-09-03T00:00:00Z,0,1000000000000,0,0,Runs,Billed\n"
    );
    for _ in 0..3 {
        text.push_str("p,P,e1,Env,,,Microsoft,Dataverse,org,Dataverse,Database,2026-09-03T00:00:00Z,1,1000000000,0,0,GB,Billed\n");
        text.push_str("p,P,e1,Env,,,User,Power Automate,flow-1,Power Automate,Cloud Flow Run,2026-09-03T00:00:00Z,0,1000000000,0,0,Runs,Billed\n");
    }
    let r = import_text(ImportOptions::default(), &text).expect("reads");
    assert_eq!(r.files[0].bad_row_count, 1);
    assert!(r.files[0].bad_rows[0].problem.contains("implausibly large"));
    let s = scenario(&r);
    assert_round_trips(s);
    assert!(engine::price(s).is_ok());
}

/// The browser reads a file a slice at a time into a `Feed` and advances the importer between
/// slices: whatever the slice size (a record, a quote, a CRLF cut anywhere), the result is the
/// one reading the whole file gives.
fn import_in_slices(names: &[&str], slice: usize) -> ImportResult {
    let mut importer = Importer::new(ImportOptions {
        reconcile: true,
        ..ImportOptions::default()
    });
    for name in names {
        let bytes = std::fs::read(fixture(name)).expect("fixture exists");
        let mut chunks = bytes.chunks(slice.max(1));
        let mut feed = import::csv::Feed::new();
        while !feed.header_ready() {
            match chunks.next() {
                Some(c) => feed.push(c),
                None => feed.end(),
            }
        }
        let mut reading = importer.begin(name, feed).expect("header");
        loop {
            let done = importer
                .advance(&mut reading, &mut |_| true)
                .expect("reads");
            if done {
                break;
            }
            match chunks.next() {
                Some(c) => reading.input_mut().push(c),
                None => reading.input_mut().end(),
            }
        }
        importer.end(reading);
    }
    importer.finish()
}

#[test]
fn reading_in_slices_gives_what_reading_the_file_gives() {
    let all = [
        "usage-2025.csv",
        "usage-2021.csv",
        "pages.csv",
        "azure-classic.csv",
        "azure-focus.csv",
        "flowrun.csv",
    ];
    for name in all {
        let whole = import(&[name]);
        for slice in [1, 2, 3, 7, 64, 1000, 1 << 20] {
            let sliced = import_in_slices(&[name], slice);
            assert_eq!(
                format!("{sliced:?}"),
                format!("{whole:?}"),
                "{name} in slices of {slice}"
            );
        }
    }
}

#[test]
fn a_feed_with_bad_rows_and_quotes_across_slices_reports_the_same_rows() {
    let text = format!(
        "{HEADER_2025}\r\n\
         p,P,e1,\"Env, \"\"quoted\"\"\nname\",,,User,Power Automate,flow-1,Power Automate,Cloud Flow Run,2026-09-03T00:00:00Z,0,x,0,0,Runs,Billed\r\n\
         p,P,e1,Env,,,User,Power Automate,flow-1,Power Automate,Cloud Flow Run,2026-09-03T00:00:00Z,0,5,0,0,Runs,Billed\r\n"
    );
    let whole = import_text(ImportOptions::default(), &text).expect("reads");
    assert_eq!(whole.files[0].bad_row_count, 1);
    for slice in 1..40 {
        let mut importer = Importer::new(ImportOptions::default());
        let mut chunks = text.as_bytes().chunks(slice);
        let mut feed = import::csv::Feed::new();
        while !feed.header_ready() {
            match chunks.next() {
                Some(c) => feed.push(c),
                None => feed.end(),
            }
        }
        let mut reading = importer.begin("t.csv", feed).expect("header");
        while !importer
            .advance(&mut reading, &mut |_| true)
            .expect("reads")
        {
            match chunks.next() {
                Some(c) => reading.input_mut().push(c),
                None => reading.input_mut().end(),
            }
        }
        let summary = importer.end(reading).clone();
        assert_eq!(
            summary.bad_rows, whole.files[0].bad_rows,
            "slices of {slice}"
        );
        assert_eq!(
            summary.rows_used, whole.files[0].rows_used,
            "slices of {slice}"
        );
    }
}

// Forecast -----------------------------------------------------------------------------------

fn trend_answers() -> Value {
    let text = std::fs::read_to_string(fixture("trend-answers.json")).expect("trend-answers.json");
    serde_json::from_str(&text).expect("answers are JSON")
}

/// Several months give the growth of their trend (least squares of ln(usage value), computed
/// by the generator with floats, here with Decimal series), partial months left out.
#[test]
fn several_months_give_the_growth_of_their_trend() {
    let a = trend_answers();
    let r = import(&["trend.csv"]);
    // Six months: the scenario waits for a month to be chosen, the trend does not.
    assert!(r.scenario.is_none());
    let t = r.trend.as_ref().expect("a trend");
    let months = a["months"].as_array().expect("months");
    assert_eq!(t.months.len(), months.len());
    for (m, want) in t.months.iter().zip(months) {
        assert_eq!(m.month.to_string(), want["month"].as_str().expect("month"));
        assert_eq!(m.usage_value, dec(&want["usage_value"]), "{}", m.month);
        assert_eq!(
            m.left_out.is_none(),
            want["fitted"].as_bool().expect("fitted"),
            "{}: {:?}",
            m.month,
            m.left_out
        );
        assert!(m.billed.is_some_and(|b| b > Decimal::ZERO), "{}", m.month);
    }
    assert_eq!(t.from.map(|m| m.to_string()).as_deref(), a["from"].as_str());
    assert_eq!(t.to.map(|m| m.to_string()).as_deref(), a["to"].as_str());
    let percent = t.percent.expect("a growth");
    assert_eq!(percent, dec(&a["growth_percent"]));
    let exact = a["growth_percent_exact"].as_f64().expect("a number");
    let ours: f64 = percent.to_string().parse().expect("a number");
    assert!((ours - exact).abs() <= 0.05, "{ours} against {exact}");
}

/// The month built carries the trend's growth into the advisor, whose projection starts from
/// the imported usage; the growth stays an ordinary, editable advisor input.
#[test]
fn the_built_month_carries_the_growth_into_the_advisor() {
    use power_payg::engine::advisor::{self, AdvisorInputs, Growth};
    let a = trend_answers();
    let options = ImportOptions {
        month: Some(BillingMonth {
            year: 2026,
            month: 9,
        }),
        ..ImportOptions::default()
    };
    let r = import_with(options, &["trend.csv"]);
    let s = scenario(&r);
    let percent = dec(&a["growth_percent"]);
    let inputs = AdvisorInputs::for_scenario(s);
    assert_eq!(inputs.growth, Growth::MonthlyPercent(percent));
    assert_round_trips(s);

    let p = advisor::project_with(s, &inputs, inputs.growth.clone(), 12).expect("projects");
    assert_eq!(p.months.len(), 12);
    assert_eq!(p.months[0].payg, total(s), "month 1 is the imported month");
    let step = Decimal::ONE + percent / Decimal::ONE_HUNDRED;
    assert_eq!(p.months[1].factor, step.normalize());
    assert!(p.months[11].payg > p.months[0].payg);

    // The user's edit wins: it replaces the imported growth in the scenario, which keeps it.
    let mut edited = s.clone();
    edited.advisor = Some(AdvisorInputs {
        growth: Growth::Flat,
        ..inputs
    });
    assert_eq!(AdvisorInputs::for_scenario(&edited).growth, Growth::Flat);
    assert_round_trips(&edited);

    // One month: no trend, and the advisor's growth is left alone.
    let one = import(&["usage-2025.csv"]);
    assert!(one.trend.is_none());
    assert_eq!(scenario(&one).advisor, None);
}

/// The panel lists credits per agent where the file has agent-level rows (usage reports), and
/// not Azure's meters as if they were agents.
#[test]
fn credits_per_agent_come_from_agent_level_rows_only() {
    use power_payg::import::browser;
    let r = import(&["usage-2025.csv"]);
    let rows = browser::agent_rows(&r.agents);
    let want = [
        ("HR Prod", "agent-01", 3200, 3000, 200),
        ("Sales, EMEA", "agent-02", 500, 500, 0),
    ];
    assert_eq!(rows.len(), want.len(), "{rows:?}");
    for (got, (env, agent, consumed, billed, free)) in rows.iter().zip(want) {
        assert_eq!(
            got,
            &(
                env.to_string(),
                agent.to_string(),
                Decimal::from(consumed),
                Decimal::from(billed),
                Decimal::from(free)
            )
        );
    }
    // The scenario bills their sum per environment.
    let s = scenario(&r);
    assert_eq!(s.environments[0].copilot_studio.messages, 3000);
    assert_eq!(s.environments[0].copilot_studio.m365_licensed_messages, 200);

    let azure = import(&["azure-classic.csv"]);
    assert!(
        !azure.agents.is_empty(),
        "Azure's credits are kept per meter"
    );
    assert!(browser::agent_rows(&azure.agents).is_empty());
    assert_eq!(
        browser::agent_unit(BillingMonth {
            year: 2025,
            month: 8
        }),
        "Copilot Studio messages"
    );
    assert_eq!(browser::agent_unit(s.month), "Copilot Credits");
}

// FlowRun joined into the scenario being edited -----------------------------------------------

/// A FlowRun export joins the scenario's flows by ID or name: matched flows get the measured
/// runs per day and keep what the user set; the others are added with the user's answers;
/// nothing else changes.
#[test]
fn flow_runs_join_the_scenario_being_edited() {
    use power_payg::engine::{FlowConnectors, Licence, Owner, RunMode};
    use power_payg::import::join::{self, JoinError, NewFlow, Target};
    let a = answers();
    let r = import(&["flowrun.csv"]);
    let month = r.month.expect("one month");
    let runs = &r.flow_runs;
    assert_eq!(runs.len(), 3, "{runs:?}");
    let child: u64 = runs.iter().filter(|f| f.child).map(|f| f.total()).sum();
    let primary: u64 = runs.iter().filter(|f| !f.child).map(|f| f.total()).sum();
    assert_eq!(child, a["flowrun"]["child_runs"].as_u64().expect("count"));
    assert_eq!(
        primary,
        a["flowrun"]["primary_runs"].as_u64().expect("count")
    );

    // The scenario being edited: an example, in the export's month, with the nightly flow
    // under its ID (standard connectors, a licensed owner, quick counts) and the child flow
    // under its name.
    let mut s = engine::examples::scenario("contoso").expect("example");
    s.month = month;
    let mut nightly = s.environments[0].flows[0].clone();
    nightly.name = "3f2a-0001".to_string();
    nightly.connectors = FlowConnectors::Standard;
    nightly.owner = Owner::User(Licence::PowerAutomatePremium);
    nightly.daily_runs.clear();
    nightly.runs = vec![engine::RunGroup {
        runs: 500,
        licence: Licence::PowerAutomatePremium,
    }];
    let mut child_flow = nightly.clone();
    child_flow.name = "invoice CHILD".to_string();
    child_flow.child_flow = true;
    s.environments[0].flows.push(nightly.clone());
    s.environments[0].flows.push(child_flow);
    let n = s.environments[0].flows.len();

    let plan = join::plan(&s, runs);
    let matched: Vec<(&str, &str)> = plan
        .matched
        .iter()
        .map(|m| (runs[m.flow].name.as_str(), m.name.as_str()))
        .collect();
    assert_eq!(
        matched,
        [
            ("Nightly invoice sync", "3f2a-0001"),
            ("Invoice child", "invoice CHILD")
        ]
    );
    assert_eq!(plan.matched[0].runs_before, 500);
    assert_eq!(plan.added.len(), 1);
    assert_eq!(runs[plan.added[0]].name, "New lead router");

    let answer = NewFlow {
        connectors: FlowConnectors::Standard,
        mode: RunMode::Cloud,
        owner_licence: Licence::Microsoft365,
    };
    let joined =
        join::join(&s, month, runs, &plan, &[answer], &Target::Environment(0)).expect("joins");
    let flows = &joined.environments[0].flows;
    assert_eq!(flows.len(), n + 1);
    let got = &flows[n - 2];
    assert_eq!(got.connectors, FlowConnectors::Standard, "kept");
    assert_eq!(
        got.owner,
        Owner::User(Licence::PowerAutomatePremium),
        "kept"
    );
    assert!(got.runs.is_empty(), "quick counts replaced");
    assert_eq!(got.daily_runs.len(), 30);
    assert!(
        got.daily_runs
            .iter()
            .all(|d| d.licence == Licence::PowerAutomatePremium)
    );
    let added = &flows[n];
    assert_eq!(added.name, "New lead router");
    assert_eq!(added.connectors, FlowConnectors::Standard);
    assert_eq!(added.owner, Owner::User(Licence::Microsoft365));
    assert_eq!(added.trigger, engine::Trigger::Automated);
    // Nothing else changed: the other flows, the other environments, apps, storage, prices.
    assert_eq!(flows[..n - 2], s.environments[0].flows[..n - 2]);
    assert_eq!(joined.environments[1..], s.environments[1..]);
    assert_eq!(joined.environments[0].apps, s.environments[0].apps);
    assert_eq!(joined.environments[0].storage, s.environments[0].storage);
    assert_eq!(joined.price_overrides, s.price_overrides);
    assert!(engine::price(&joined).is_ok());
    assert_round_trips(&joined);

    // A new environment for the new flows, named apart from the others; defaults stated.
    let name = s.environments[0].name.clone();
    let joined =
        join::join(&s, month, runs, &plan, &[], &Target::New(name.clone())).expect("joins");
    let env = joined.environments.last().expect("added");
    assert_eq!(env.name, format!("{name} (2)"));
    assert_eq!(env.flows[0].connectors, join::NEW_FLOW_DEFAULT.connectors);
    assert_eq!(env.flows[0].owner, Owner::User(Licence::None));

    // Another month: refused with a reason, the scenario untouched.
    let mut other = s.clone();
    other.month = other.month.next();
    let err = join::join(&other, month, runs, &plan, &[], &Target::Environment(0));
    assert!(matches!(err, Err(JoinError::OtherMonth { .. })));
    assert!(err.err().is_some_and(|e| e.to_string().contains("2026-09")));
    assert_eq!(
        join::join(&s, month, runs, &plan, &[], &Target::Environment(99)),
        Err(JoinError::NoEnvironment)
    );
}
