//! power-payg: price a Power Platform pay-as-you-go scenario from the command line.
//!
//! The same engine as the web app; arguments are parsed by hand (a handful of commands does not
//! need a parser crate, and the binary must also build for wasm32).
//!
//! Exit status: 0 success; 1 an I/O error (the message names the file); 2 invalid input, an
//! unknown example or a usage error, with every problem on stderr, one per line.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use power_payg::engine::{self, decode, examples, report};

const USAGE: &str = "\
power-payg: cost calculator for Microsoft Power Platform pay-as-you-go billing

Usage:
  power-payg price FILE [--json | --csv]   price a scenario file (FILE `-` reads stdin)
  power-payg examples                      list the built-in example scenarios
  power-payg example NAME                  print an example as a scenario file
  power-payg --help                        show this help
  power-payg --version                     show the version

The scenario format is described in docs/scenario-format.md. Start from an example:
  power-payg example contoso > contoso.json && power-payg price contoso.json

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

fn price(file: &str, format: Format) -> Result<(), Failure> {
    let bytes = read(file)?;
    let name = if file == "-" { "standard input" } else { file };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(Failure::Invalid(vec![format!(
            "{name}: not UTF-8 text; a scenario file is JSON"
        )]));
    };
    let scenario = decode::decode_scenario(&text).map_err(|problems| {
        let count = problems.len();
        let mut lines = vec![format!(
            "{name}: not a valid scenario ({count} {}):",
            if count == 1 { "problem" } else { "problems" }
        )];
        lines.extend(problems.iter().map(ToString::to_string));
        Failure::Invalid(lines)
    })?;
    let breakdown = engine::price(&scenario)
        .map_err(|e| Failure::Invalid(vec![format!("{name}: cannot be priced: {e}")]))?;
    let out = match format {
        Format::Text => report::to_text(&breakdown),
        Format::Json => format!("{}\n", report::to_json(&breakdown)),
        Format::Csv => report::to_csv(&breakdown),
    };
    print(&out)
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
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // `power-payg examples | head` closes the pipe early: not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Io(format!("cannot write the output: {e}"))),
    }
}
