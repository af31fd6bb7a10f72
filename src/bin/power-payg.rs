//! power-payg: price a Power Platform pay-as-you-go scenario from the command line.
//!
//! The same engine as the web app; arguments are parsed by hand (a handful of commands does not
//! need a parser crate, and the binary must also build for wasm32).
//!
//! Exit status: 0 success; 1 an I/O error (the message names the file); 2 invalid input, an
//! unknown example or a usage error, with every problem on stderr, one per line.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use power_payg::engine::advisor::{self, AdvisorInputs, FlowSizing, Growth};
use power_payg::engine::{self, BillingMonth, PriceBookId, Scenario, decode, examples, report};
use power_payg::import::{self, ImportOptions, mapping::MeterMapping, reconcile};

const USAGE: &str = "\
power-payg: cost calculator for Microsoft Power Platform pay-as-you-go billing

Usage:
  power-payg price FILE [--json | --csv]   price a scenario file (FILE `-` reads stdin)
  power-payg advise FILE [--json] [--months N] [--growth flat|P%|m1,...,m12]
             [--horizon N] [--users FLOW=N]... [--bots FLOW=N]...
                                           prepaid or pay-as-you-go: options, break-even
                                           points and a month-by-month projection
  power-payg import [--month YYYY-MM] [--book ID] [--mapping FILE] [--keep-identifiers] FILE...
                                           rebuild a scenario from usage exports (the admin
                                           center's usage report, Power Pages reports, Azure
                                           cost details, a FlowRun export); the scenario goes
                                           to stdout, what was read and assumed to stderr
  power-payg reconcile [--month YYYY-MM] [--book ID] [--mapping FILE] FILE... [--json | --csv]
                                           billed (usage report, Azure cost) against what the
                                           engine computes from the same usage, per environment
                                           and meter, with the reason for each difference
  power-payg link FILE                     print the scenario's share-link fragment
                                           (`#s=2.…`; append it to the app's address)
  power-payg books [--json | --markdown]   list the dated price books (effective date, last
                                           checked); --markdown prints docs/price-books.md
  power-payg examples                      list the built-in example scenarios
  power-payg example NAME                  print an example as a scenario file
  power-payg --help                        show this help
  power-payg --version                     show the version

The scenario format is described in docs/scenario-format.md; the importer in docs/import.md:
  power-payg import usage.csv | power-payg price - Start from an example:
  power-payg example contoso > contoso.json && power-payg price contoso.json

advise: --months N projects N months (default 12, at most 120) with --growth: `flat`
(default), a percentage a month (`5%`, `-2%`), or 12 multipliers for January to December.
--horizon N reads the scenario's flow runs as totals over N months; --users and --bots say how
many people run an instant flow and how many bots an unattended flow needs (docs/advisor.md).
Without a flag, the value saved in the file's `advisor` field (as the app writes it) is used.

Exit status: 0 success, 1 a file could not be read or written, 2 invalid input.
";

/// Why the command failed, and the exit status that goes with it.
enum Failure {
    /// Exit 1: reading input or writing output failed.
    Io(String),
    /// Exit 2: the input (or the command line) is wrong; one line per problem.
    Invalid(Vec<String>),
}

enum Format {
    Text,
    Json,
    Csv,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(message)) => {
            let _ = writeln!(io::stderr(), "power-payg: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Invalid(lines)) => {
            let mut err = io::stderr().lock();
            for line in lines {
                let _ = writeln!(err, "{line}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["--help" | "-h" | "help", ..] => print(USAGE),
        ["--version" | "-V"] => print(&format!("power-payg {}\n", env!("CARGO_PKG_VERSION"))),
        ["books"] => {
            let mut out = String::from("book     effective   last checked  title\n");
            for id in engine::PriceBookId::ALL {
                let b = id.book();
                out.push_str(&format!(
                    "{:8} {:11} {:13} {}\n",
                    id.key(),
                    b.effective,
                    b.last_checked,
                    b.title
                ));
            }
            print(&out)
        }
        ["books", "--json"] => {
            // Each book with its notes and the source of every price.
            let mut books = Vec::new();
            for id in engine::PriceBookId::ALL {
                let b = id.book();
                let mut v = serde_json::to_value(&b)
                    .map_err(|e| Failure::Io(format!("cannot write JSON: {e}")))?;
                let sources: serde_json::Map<String, serde_json::Value> = engine::PriceKey::ALL
                    .into_iter()
                    .filter_map(|k| {
                        let s = serde_json::to_value(b.source(k)?).ok()?;
                        Some((k.key().to_string(), s))
                    })
                    .collect();
                v["notes"] = serde_json::json!(id.notes());
                v["sources"] = serde_json::Value::Object(sources);
                books.push(v);
            }
            let json = serde_json::to_string_pretty(&books)
                .map_err(|e| Failure::Io(format!("cannot write JSON: {e}")))?;
            print(&format!("{json}\n"))
        }
        ["books", "--markdown"] => print(&engine::price_book::books_markdown()),
        ["examples"] => {
            let width = examples::list()
                .iter()
                .map(|e| e.name.len())
                .max()
                .unwrap_or(0);
            let mut out = String::new();
            for e in examples::list() {
                out.push_str(&format!("{:width$}  {}\n", e.name, e.title));
            }
            print(&out)
        }
        ["example", name] => match examples::scenario(name) {
            Some(s) => print(&format!("{}\n", decode::encode_scenario(&s))),
            None => {
                let names: Vec<&str> = examples::list().iter().map(|e| e.name).collect();
                Err(Failure::Invalid(vec![format!(
                    "unknown example `{name}`; the examples are: {}",
                    names.join(", ")
                )]))
            }
        },
        ["price", rest @ ..] => {
            let mut file = None;
            let mut format = Format::Text;
            for word in rest {
                match *word {
                    "--json" => format = Format::Json,
                    "--csv" => format = Format::Csv,
                    "-" => file = Some("-"),
                    flag if flag.starts_with('-') => {
                        return Err(usage(&format!("unknown option `{flag}` for `price`")));
                    }
                    path if file.is_none() => file = Some(path),
                    extra => {
                        return Err(usage(&format!(
                            "`price` takes one file, got a second: `{extra}`"
                        )));
                    }
                }
            }
            let Some(file) = file else {
                return Err(usage("`price` needs a scenario file (or `-` for stdin)"));
            };
            price(file, format)
        }
        ["advise", rest @ ..] => advise(rest),
        ["import", rest @ ..] => import(rest, false),
        ["reconcile", rest @ ..] => import(rest, true),
        ["link", file] => {
            let (_, scenario) = load(file)?;
            print(&format!(
                "#{}\n",
                power_payg::share::encode_fragment(&scenario)
            ))
        }
        ["link", ..] => Err(usage("`link` takes one scenario file (or `-` for stdin)")),
        ["example", ..] => Err(usage(
            "`example` takes one NAME (`power-payg examples` lists them)",
        )),
        [command, ..] => Err(usage(&format!("unknown command `{command}`"))),
    }
}

fn usage(problem: &str) -> Failure {
    Failure::Invalid(vec![
        format!("power-payg: {problem}"),
        "run `power-payg --help` for usage".to_string(),
    ])
}

/// The longest projection `advise` accepts (and the longest horizon).
const MAX_MONTHS: u32 = advisor::MAX_HORIZON_MONTHS;

/// `advise FILE [--json] [--months N] [--growth G] [--horizon N] [--users FLOW=N] [--bots FLOW=N]`.
fn advise(rest: &[&str]) -> Result<(), Failure> {
    let mut file = None;
    let mut json = false;
    let mut months = None;
    let mut growth = None;
    let mut horizon = None;
    let mut sizing: Vec<(bool, String, u64)> = Vec::new();
    let mut words = rest.iter().copied();
    while let Some(word) = words.next() {
        // `--flag value` or `--flag=value`.
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (word, None),
        };
        let mut value = |what: &str| -> Result<String, Failure> {
            match inline {
                Some(v) => Ok(v.to_string()),
                None => words
                    .next()
                    .map(str::to_string)
                    .ok_or_else(|| usage(&format!("`{flag}` needs {what}"))),
            }
        };
        match flag {
            "--json" if inline.is_none() => json = true,
            "--months" => months = Some(month_count(&value("a number of months")?, "--months")?),
            "--horizon" => {
                horizon = Some(month_count(&value("a number of months")?, "--horizon")?);
            }
            "--growth" => {
                growth = Some(
                    Growth::parse(&value("a growth profile")?)
                        .map_err(|e| usage(&format!("--growth: {e}")))?,
                );
            }
            "--users" | "--bots" => {
                let v = value("FLOW=N")?;
                let parsed = v
                    .rsplit_once('=')
                    .and_then(|(f, n)| Some((f.trim(), n.trim().parse::<u64>().ok()?)))
                    .filter(|(f, _)| !f.is_empty());
                let Some((flow, n)) = parsed else {
                    return Err(usage(&format!(
                        "`{flag}` takes FLOW=N (a flow name and a whole number), got `{v}`"
                    )));
                };
                sizing.push((flag == "--users", flow.to_string(), n));
            }
            "-" => file = Some("-"),
            f if f.starts_with('-') => {
                return Err(usage(&format!("unknown option `{word}` for `advise`")));
            }
            path if file.is_none() => file = Some(path),
            extra => {
                return Err(usage(&format!(
                    "`advise` takes one file, got a second: `{extra}`"
                )));
            }
        }
    }
    let Some(file) = file else {
        return Err(usage("`advise` needs a scenario file (or `-` for stdin)"));
    };
    let (name, scenario) = load(file)?;
    let mut inputs = AdvisorInputs::for_scenario(&scenario);
    // Flags override what the file's `advisor` field says.
    if let Some(h) = horizon {
        inputs.horizon_months = h;
    }
    if let Some(m) = months {
        inputs.projection_months = m;
    }
    if let Some(g) = growth {
        inputs.growth = g;
    }
    for (users, flow, n) in sizing {
        let entry = match inputs.flows.iter_mut().find(|f| f.flow == flow) {
            Some(entry) => entry,
            None => {
                inputs.flows.push(FlowSizing {
                    environment: None,
                    flow,
                    users: None,
                    bots: None,
                });
                let last = inputs.flows.len() - 1;
                &mut inputs.flows[last]
            }
        };
        if users {
            entry.users = Some(n);
        } else {
            entry.bots = Some(n);
        }
    }
    let cannot =
        |e: engine::PricingError| Failure::Invalid(vec![format!("{name}: cannot be priced: {e}")]);
    let advice = advisor::advise_with(&scenario, &inputs).map_err(cannot)?;
    let projection = advisor::project_with(
        &scenario,
        &inputs,
        inputs.growth.clone(),
        inputs.projection_months,
    )
    .map_err(cannot)?;
    let out = if json {
        let value = serde_json::json!({ "advice": advice, "projection": projection });
        match serde_json::to_string_pretty(&value) {
            Ok(text) => format!("{text}\n"),
            Err(e) => return Err(Failure::Io(format!("cannot write the output: {e}"))),
        }
    } else {
        advisor::to_text(&advice, Some(&projection))
    };
    print(&out)
}

/// A number of months for `flag`: 1 to [`MAX_MONTHS`].
fn month_count(text: &str, flag: &str) -> Result<u32, Failure> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_MONTHS).contains(&n) => Ok(n),
        _ => Err(usage(&format!(
            "`{flag}` takes a whole number of months from 1 to {MAX_MONTHS}, got `{text}`"
        ))),
    }
}

/// Reads and decodes a scenario file: (the name to use in messages, the scenario).
fn load(file: &str) -> Result<(&str, Scenario), Failure> {
    let bytes = read(file)?;
    let name = if file == "-" { "standard input" } else { file };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(Failure::Invalid(vec![format!(
            "{name}: not UTF-8 text; a scenario file is JSON"
        )]));
    };
    let scenario = decode::decode_scenario(&text).map_err(|problems| {
        let mut lines = vec![format!(
            "{name}: not a valid scenario ({}):",
            decode::problem_count(&problems)
        )];
        lines.extend(problems.iter().map(ToString::to_string));
        Failure::Invalid(lines)
    })?;
    Ok((name, scenario))
}

fn price(file: &str, format: Format) -> Result<(), Failure> {
    let (name, scenario) = load(file)?;
    let breakdown = engine::price(&scenario)
        .map_err(|e| Failure::Invalid(vec![format!("{name}: cannot be priced: {e}")]))?;
    // A big scenario's breakdown and its text are each about the size of the file: the
    // scenario is not needed for them, so it does not add to their peak.
    drop(scenario);
    let out = match format {
        Format::Text => {
            let mut out = FmtToIo {
                out: io::BufWriter::new(io::stdout().lock()),
                error: None,
            };
            report::write_text(&breakdown, &mut out);
            let written = match out.error {
                Some(e) => Err(e),
                None => out.out.flush(),
            };
            return written_or_failure(written);
        }
        // Written as it is made: the JSON of a big breakdown is several times its size.
        Format::Json => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            let written = report::write_json(&breakdown, &mut out)
                .and_then(|()| out.write_all(b"\n"))
                .and_then(|()| out.flush());
            return written_or_failure(written);
        }
        Format::Csv => report::to_csv(&breakdown),
    };
    print(&out)
}

/// A text sink over an output stream that keeps the first error (and then stops writing).
struct FmtToIo<W: Write> {
    out: W,
    error: Option<io::Error>,
}

impl<W: Write> std::fmt::Write for FmtToIo<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// A write's result as the CLI reports it.
fn written_or_failure(written: io::Result<()>) -> Result<(), Failure> {
    match written {
        Ok(()) => Ok(()),
        // `power-payg examples | head` closes the pipe early: not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Io(format!("cannot write the output: {e}"))),
    }
}

fn read(file: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    if file == "-" {
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Io(format!("cannot read standard input: {e}")))?;
    } else {
        bytes = std::fs::read(file).map_err(|e| Failure::Io(format!("cannot read {file}: {e}")))?;
    }
    Ok(bytes)
}

fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    written_or_failure(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// `import …` (`reconciling` false) or `reconcile …`: files are streamed, never read whole.
fn import(rest: &[&str], reconciling: bool) -> Result<(), Failure> {
    let command = if reconciling { "reconcile" } else { "import" };
    let mut options = ImportOptions {
        reconcile: reconciling,
        ..ImportOptions::default()
    };
    let mut files: Vec<&str> = Vec::new();
    let mut format = Format::Text;
    let mut words = rest.iter().copied();
    while let Some(word) = words.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (word, None),
        };
        let mut value = |what: &str| -> Result<String, Failure> {
            match inline {
                Some(v) => Ok(v.to_string()),
                None => words
                    .next()
                    .map(str::to_string)
                    .ok_or_else(|| usage(&format!("`{flag}` needs {what}"))),
            }
        };
        match flag {
            "--month" => {
                let text = value("a month (YYYY-MM)")?;
                options.month = Some(parse_month(&text).ok_or_else(|| {
                    usage(&format!(
                        "`--month` takes YYYY-MM (e.g. 2026-09), got `{text}`"
                    ))
                })?);
            }
            "--book" => {
                let text = value("a price book id")?;
                options.book = Some(PriceBookId::from_key(&text).ok_or_else(|| {
                    let ids: Vec<&str> = PriceBookId::ALL.iter().map(|b| b.key()).collect();
                    usage(&format!(
                        "unknown price book `{text}`; the books are: {}",
                        ids.join(", ")
                    ))
                })?);
            }
            "--mapping" => {
                let path = value("a mapping file")?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Failure::Io(format!("cannot read {path}: {e}")))?;
                options.mapping = MeterMapping::from_json(&text)
                    .map_err(|e| Failure::Invalid(vec![format!("{path}: {e}")]))?;
            }
            "--keep-identifiers" if inline.is_none() && !reconciling => {
                options.keep_identifiers = true;
            }
            "--json" if inline.is_none() && reconciling => format = Format::Json,
            "--csv" if inline.is_none() && reconciling => format = Format::Csv,
            "-" => files.push("-"),
            f if f.starts_with('-') => {
                return Err(usage(&format!("unknown option `{word}` for `{command}`")));
            }
            path => files.push(path),
        }
    }
    if files.is_empty() {
        return Err(usage(&format!(
            "`{command}` needs one or more export files (CSV)"
        )));
    }
    if files.iter().filter(|f| **f == "-").count() > 1 {
        return Err(usage("standard input (`-`) can be read only once"));
    }
    let mut importer = import::Importer::new(options);
    for file in &files {
        let (name, read) = if *file == "-" {
            let input: Box<dyn io::BufRead> = Box::new(io::stdin().lock());
            (
                "standard input",
                importer.read("standard input", input, &mut |_| true),
            )
        } else {
            let opened = std::fs::File::open(file)
                .map_err(|e| Failure::Io(format!("cannot read {file}: {e}")))?;
            let input = io::BufReader::with_capacity(1 << 16, opened);
            (*file, importer.read(file, input, &mut |_| true))
        };
        if let Err(e) = read {
            return Err(match e {
                import::ImportError::Csv {
                    error: import::csv::CsvError::Io(message),
                    ..
                } => Failure::Io(format!("cannot read {name}: {message}")),
                other => Failure::Invalid(vec![format!("power-payg: {other}")]),
            });
        }
    }
    let result = importer.finish();
    let mut notes = Vec::new();
    for f in &result.files {
        notes.push(format!(
            "{}: {} ({} rows: {} used, {} bad{}{}{})",
            f.name,
            f.layout.label(),
            f.rows,
            f.rows_used,
            f.bad_row_count,
            if f.other_service_rows > 0 {
                format!(", {} of other Azure services", f.other_service_rows)
            } else {
                String::new()
            },
            if f.ignored_rows > 0 {
                format!(", {} ignored by the mapping", f.ignored_rows)
            } else {
                String::new()
            },
            if f.other_month_rows > 0 {
                format!(", {} of other months left out", f.other_month_rows)
            } else {
                String::new()
            },
        ));
        for b in &f.bad_rows {
            notes.push(format!(
                "  bad row {} (line {}){}: {}",
                b.row,
                b.line,
                b.column
                    .as_ref()
                    .map(|c| format!(", column {c}"))
                    .unwrap_or_default(),
                b.problem
            ));
        }
        if f.bad_row_count > f.bad_rows.len() as u64 {
            notes.push(format!(
                "  … and {} more bad rows",
                f.bad_row_count - f.bad_rows.len() as u64
            ));
        }
        for m in &f.unmapped {
            notes.push(format!(
                "  unmapped meter (not priced; add a --mapping rule): category `{}`, subcategory \
                 `{}`, name `{}`, unit `{}`: {} rows, quantity {}{}",
                m.category,
                m.subcategory,
                m.name,
                m.unit,
                m.rows,
                m.quantity.normalize(),
                m.cost
                    .map(|c| format!(", cost {}", engine::money::format_plain(c)))
                    .unwrap_or_default()
            ));
        }
    }
    for a in &result.assumptions {
        let place = if a.environment.is_empty() {
            String::new()
        } else {
            format!("{}: ", a.environment)
        };
        notes.push(format!("assumed ({place}{}): {}", a.subject, a.text));
    }
    if let Some(t) = &result.trend {
        notes.push(format!(
            "trend: {}",
            power_payg::import::browser::trend_line(t)
        ));
    }
    if !result.conflicts.is_empty() {
        let mut lines: Vec<String> = result
            .conflicts
            .iter()
            .map(|c| format!("power-payg: {c}"))
            .collect();
        lines.extend(notes);
        return Err(Failure::Invalid(lines));
    }
    let Some(scenario) = result.scenario.as_ref() else {
        let mut lines = vec![match result.month {
            Some(m) => format!("power-payg: no row of the files is in {m}"),
            None => "power-payg: the files hold no usable row".to_string(),
        }];
        lines.extend(notes);
        return Err(Failure::Invalid(lines));
    };
    {
        let mut err = io::stderr().lock();
        for line in &notes {
            let _ = writeln!(err, "{line}");
        }
    }
    let out = if reconciling {
        match format {
            Format::Text => reconcile::to_text(&result.reconciliation),
            Format::Csv => reconcile::to_csv(&result.reconciliation),
            Format::Json => match serde_json::to_string_pretty(&result.reconciliation) {
                Ok(text) => format!("{text}\n"),
                Err(e) => return Err(Failure::Io(format!("cannot write the output: {e}"))),
            },
        }
    } else {
        format!("{}\n", decode::encode_scenario(scenario))
    };
    print(&out)
}

/// `YYYY-MM`.
fn parse_month(text: &str) -> Option<BillingMonth> {
    let (year, month) = text.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let m = BillingMonth {
        year: year.parse().ok()?,
        month: month.parse().ok()?,
    };
    ((1..=12).contains(&m.month) && m.year >= 1900).then_some(m)
}
