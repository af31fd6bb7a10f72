//! Reports of a [`Breakdown`]: text for people, JSON and CSV for programs and spreadsheets.
//!
//! Pure formatting: nothing here computes an amount. Money in JSON is a string with exactly two
//! decimals (`"90.00"`) so no reader turns it into a binary float; quantities and unit prices
//! are plain decimal strings without grouping (`"110000"`, `"0.00004"`).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::breakdown::{Breakdown, ChargeLine, Exclusion, Meter, Payer};
use super::money::{format_plain, format_unit_price, format_usd, quantity_with_unit};

/// How a payer is written in JSON and CSV (matches the serde name of [`Payer`]).
fn payer_key(p: Payer) -> &'static str {
    match p {
        Payer::Customer => "customer",
        Payer::Isv => "isv",
        Payer::ReportedNotBilled => "reported_not_billed",
    }
}

/// A decimal without trailing zeros or grouping (`0.6`, `110000`).
fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A readable report: per environment and meter, each line as quantity × unit price = amount
/// with its rule and explanation, then what was not charged and why, the notes and the totals.
pub fn to_text(b: &Breakdown) -> String {
    let mut out = String::new();
    write_text(b, &mut out);
    out
}

/// Writes [`to_text`]'s text to `out` as it goes (the CLI writes straight to its output: the
/// text of a big breakdown is larger than the breakdown). A failing writer stops receiving;
/// it keeps its own error.
pub fn write_text(b: &Breakdown, out: &mut impl std::fmt::Write) {
    let _ = writeln!(out, "Power Platform pay-as-you-go estimate for {}", b.month);
    let _ = writeln!(
        out,
        "Price book: {} ({})",
        b.price_book_title,
        b.price_book.key()
    );
    if b.overrides_used.is_empty() {
        let _ = writeln!(out, "Price overrides used: none");
    } else {
        let keys: Vec<&str> = b.overrides_used.iter().map(|k| k.key()).collect();
        let _ = writeln!(
            out,
            "Price overrides used: {} (lines marked *)",
            keys.join(", ")
        );
    }

    let envs = b.environments(true);
    if envs.is_empty() {
        let _ = writeln!(
            out,
            "\nNothing to charge: no meter found usage in this scenario."
        );
    }
    for (index, name) in envs {
        let _ = writeln!(out, "\n{name}");
        for meter in Meter::ALL {
            let lines: Vec<&ChargeLine> = b
                .lines
                .iter()
                .filter(|l| l.environment == index && l.meter == meter)
                .collect();
            let excluded: Vec<&Exclusion> = b
                .exclusions
                .iter()
                .filter(|x| x.environment == index && x.meter == meter)
                .collect();
            if lines.is_empty() && excluded.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  {}", meter.label());
            for l in lines {
                let payer = match l.payer {
                    Payer::Customer => "",
                    Payer::Isv => " (billed to the ISV)",
                    Payer::ReportedNotBilled => " (reported, not billed)",
                };
                // CC-7/CC-8: say on the line when its price is not a published figure.
                let mark = if l.unpublished_price {
                    " (no published price)"
                } else if l.provisional {
                    " (provisional)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "    {}: {} × {}{} = {}{payer}{mark}  [{}]",
                    l.item,
                    quantity_with_unit(l.quantity, l.unit),
                    format_unit_price(l.unit_price),
                    if l.price_overridden { "*" } else { "" },
                    format_usd(l.amount),
                    l.rule,
                );
                let _ = writeln!(out, "      {}", l.explanation);
            }
            for x in excluded {
                let _ = writeln!(
                    out,
                    "    not charged: {}: {}  [{}]",
                    x.item,
                    quantity_with_unit(x.quantity, x.unit),
                    x.rule
                );
                let _ = writeln!(out, "      {}", x.reason);
            }
        }
    }

    if !b.notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for n in &b.notes {
            let _ = writeln!(out, "  [{}] {}", n.rule, n.text);
        }
    }

    let _ = writeln!(out, "\nTotals");
    if !b.incomplete.is_empty() {
        let _ = writeln!(
            out,
            "  Incomplete: no price for {} (see Notes)",
            b.incomplete
                .iter()
                .map(|k| k.key())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if b.month_after_check {
        let _ = writeln!(
            out,
            "  The month is later than the price book was last checked ({}): prices may have \
             changed.",
            b.price_book.book().last_checked
        );
    }
    let _ = writeln!(
        out,
        "  Billed to the customer's Azure subscription: {}",
        format_usd(b.total_billed)
    );
    let _ = writeln!(
        out,
        "  Billed to ISVs (embed program):              {}",
        format_usd(b.total_isv_billed)
    );
    let _ = writeln!(
        out,
        "  Reported, not billed:                        {}",
        format_usd(b.total_reported_not_billed)
    );
}

/// The breakdown as JSON. Amounts and totals are strings with two decimals; quantities and
/// unit prices are plain decimal strings.
pub fn to_json(b: &Breakdown) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and the JSON is valid UTF-8.
    let _ = write_json(b, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes [`to_json`]'s text to `w` as it goes: one line's JSON value exists at a time, so a
/// breakdown of 500,000 lines no longer needs a `serde_json::Value` of all of them (3.3 GB) nor
/// the whole text in memory. The output is the same, byte for byte: the keys in the order a
/// `Value` map sorts them, pretty-printed.
pub fn write_json(b: &Breakdown, w: impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(w, &JsonReport(b)).map_err(std::io::Error::other)?;
    Ok(())
}

struct JsonReport<'a>(&'a Breakdown);

/// A sequence serialised from an iterator, one element at a time.
struct Lazy<I>(std::cell::RefCell<Option<I>>);

impl<I> serde::Serialize for Lazy<I>
where
    I: Iterator<Item = Value>,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(items) => s.collect_seq(items),
            None => s.collect_seq(std::iter::empty::<Value>()),
        }
    }
}

fn lazy<I: Iterator<Item = Value>>(items: I) -> Lazy<I> {
    Lazy(std::cell::RefCell::new(Some(items)))
}

impl serde::Serialize for JsonReport<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let b = self.0;
        let mut m = s.serialize_map(Some(10))?;
        // In the order a serde_json map keeps its keys (sorted), as the report always had.
        m.serialize_entry(
            "exclusions",
            &lazy(b.exclusions.iter().map(|x| {
                json!({
                    "environment": x.environment,
                    "environment_name": x.environment_name,
                    "meter": x.meter.key(),
                    "item": x.item,
                    "quantity": plain(x.quantity),
                    "unit": x.unit,
                    "rule": x.rule,
                    "reason": x.reason,
                })
            })),
        )?;
        m.serialize_entry(
            "lines",
            &lazy(b.lines.iter().map(|l| {
                json!({
                    "environment": l.environment,
                    "environment_name": l.environment_name,
                    "meter": l.meter.key(),
                    "item": l.item,
                    "quantity": plain(l.quantity),
                    "unit": l.unit,
                    "price_key": l.price_key.key(),
                    "unit_price": plain(l.unit_price),
                    "price_overridden": l.price_overridden,
                    "amount": format_plain(l.amount),
                    "payer": payer_key(l.payer),
                    "rule": l.rule,
                    "explanation": l.explanation,
                })
            })),
        )?;
        m.serialize_entry("month", &b.month)?;
        m.serialize_entry(
            "notes",
            &lazy(
                b.notes
                    .iter()
                    .map(|n| json!({ "rule": n.rule, "text": n.text })),
            ),
        )?;
        let overrides: Vec<&str> = b.overrides_used.iter().map(|k| k.key()).collect();
        m.serialize_entry("overrides_used", &overrides)?;
        m.serialize_entry("price_book", b.price_book.key())?;
        m.serialize_entry("price_book_title", b.price_book_title)?;
        m.serialize_entry("total_billed", &format_plain(b.total_billed))?;
        m.serialize_entry("total_isv_billed", &format_plain(b.total_isv_billed))?;
        m.serialize_entry(
            "total_reported_not_billed",
            &format_plain(b.total_reported_not_billed),
        )?;
        m.end()
    }
}

/// The column names of [`to_csv`].
pub const CSV_HEADER: [&str; 11] = [
    "environment",
    "meter",
    "item",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "payer",
    "rule",
    "price_overridden",
    "explanation",
];

/// One row per charge line (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
/// quote or line break). Numbers are plain: no currency sign, no grouping.
///
/// Names are typed by whoever wrote the scenario, and a shared link or file can come from anyone,
/// so text cells are neutralised against spreadsheet formula injection (OWASP CSV injection cheat
/// sheet): a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
/// `'` and is quoted, so `=HYPERLINK(…)` opens as the text `'=HYPERLINK(…)`, never as a formula.
/// The columns are typed ([`Cell`]): number columns are never prefixed, so they stay numbers a
/// spreadsheet can sum.
pub fn to_csv(b: &Breakdown) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_HEADER.map(Cell::Text));
    for l in &b.lines {
        push_row(
            &mut out,
            [
                Cell::Text(&l.environment_name),
                Cell::Text(l.meter.key()),
                Cell::Text(&l.item),
                Cell::Number(plain(l.quantity)),
                Cell::Text(l.unit),
                Cell::Number(plain(l.unit_price)),
                Cell::Number(format_plain(l.amount)),
                Cell::Text(payer_key(l.payer)),
                Cell::Text(l.rule),
                Cell::Text(if l.price_overridden { "true" } else { "false" }),
                Cell::Text(&l.explanation),
            ],
        );
    }
    out
}

/// A CSV cell, typed by its column so that only text is ever neutralised.
pub(crate) enum Cell<'a> {
    /// Text, possibly typed by a user: neutralised when it starts like a formula.
    Text(&'a str),
    /// A `Decimal` printed as `-?digits[.digits]`, which every spreadsheet reads as a number
    /// (even negative: `-1.50` is not a formula). Amounts are never negative anyway: the decoder
    /// refuses negative counts and prices. Never prefixed, so the column stays summable.
    Number(String),
}

/// First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (tab
/// and CR because some import paths strip them and then see the next character).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub(crate) fn push_row<'a>(out: &mut String, cells: impl IntoIterator<Item = Cell<'a>>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match cell {
            Cell::Number(n) => out.push_str(&n),
            Cell::Text(t) if t.starts_with(FORMULA_STARTS) => {
                // OWASP: the quote prefix and quotes around the cell, always.
                out.push_str("\"'");
                out.push_str(&t.replace('"', "\"\""));
                out.push('"');
            }
            Cell::Text(t) if t.contains([',', '"', '\r', '\n']) => {
                out.push('"');
                out.push_str(&t.replace('"', "\"\""));
                out.push('"');
            }
            Cell::Text(t) => out.push_str(t),
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::breakdown::{Exclusion, Note};
    use crate::engine::price_book::{PriceBookId, PriceKey};
    use rust_decimal::dec;

    fn line(
        item: &str,
        quantity: Decimal,
        unit_price: Decimal,
        amount: Decimal,
        payer: Payer,
    ) -> ChargeLine {
        ChargeLine {
            environment: Some(0),
            environment_name: "Contoso PAYG".to_string(),
            meter: Meter::Requests,
            item: item.to_string(),
            quantity,
            unit: "request",
            price_key: PriceKey::PlatformRequest,
            unit_price,
            price_overridden: false,
            amount,
            payer,
            rule: "PR-2",
            explanation: format!("{item} used requests above its entitlement."),
            provisional: false,
            unpublished_price: false,
        }
    }

    fn sample() -> Breakdown {
        Breakdown {
            price_book: PriceBookId::Seed2023,
            price_book_title: "Pay-as-you-go meters, 06/20/2023 (seed)",
            month: "2026-11".to_string(),
            overrides_used: Vec::new(),
            incomplete: Vec::new(),
            month_after_check: false,
            lines: vec![
                line(
                    "Flow A, \"nightly\"",
                    dec!(100000),
                    dec!(0.00004),
                    dec!(4),
                    Payer::ReportedNotBilled,
                ),
                ChargeLine {
                    meter: Meter::PowerApps,
                    item: "App A".to_string(),
                    quantity: dec!(9),
                    unit: "user-app",
                    price_key: PriceKey::PowerAppsPerAppUser,
                    unit_price: dec!(10),
                    amount: dec!(90),
                    payer: Payer::Customer,
                    rule: "AP-1",
                    explanation:
                        "9 users opened App A this month (AP-1, AP-2): 9 × $10.00 = $90.00."
                            .to_string(),
                    ..line("x", dec!(1), dec!(1), dec!(1), Payer::Customer)
                },
            ],
            exclusions: vec![Exclusion {
                environment: Some(0),
                environment_name: "Contoso PAYG".to_string(),
                meter: Meter::PowerApps,
                item: "App A".to_string(),
                quantity: dec!(30),
                unit: "user-app",
                rule: "AP-5",
                reason: "30 Power Apps per-user licensed users are not counted (AP-5).".to_string(),
            }],
            notes: vec![Note {
                rule: "INC-2",
                text: "Highest licence only.".to_string(),
            }],
            total_billed: dec!(90),
            total_isv_billed: dec!(0),
            total_reported_not_billed: dec!(4),
        }
    }

    #[test]
    fn text_shows_arithmetic_rules_exclusions_notes_and_totals() {
        let t = to_text(&sample());
        assert!(
            t.contains("Price book: Pay-as-you-go meters, 06/20/2023 (seed) (2023-06)"),
            "{t}"
        );
        assert!(
            t.contains("App A: 9 user-apps × $10.00 = $90.00  [AP-1]"),
            "{t}"
        );
        assert!(
            t.contains("100,000 requests × $0.00004 = $4.00 (reported, not billed)  [PR-2]"),
            "{t}"
        );
        assert!(
            t.contains("not charged: App A: 30 user-apps  [AP-5]"),
            "{t}"
        );
        assert!(t.contains("[INC-2] Highest licence only."), "{t}");
        assert!(
            t.contains("Billed to the customer's Azure subscription: $90.00"),
            "{t}"
        );
        assert!(
            t.contains("Reported, not billed:                        $4.00"),
            "{t}"
        );
        // Meters appear in their fixed order, apps before requests.
        assert!(t.find("Power Apps per app").unwrap() < t.find("Power Platform requests").unwrap());
    }

    #[test]
    fn json_has_totals_as_two_place_strings() {
        let v: Value = serde_json::from_str(&to_json(&sample())).unwrap();
        assert_eq!(v["total_billed"], "90.00");
        assert_eq!(v["total_isv_billed"], "0.00");
        assert_eq!(v["total_reported_not_billed"], "4.00");
        assert_eq!(v["price_book"], "2023-06");
        assert_eq!(v["month"], "2026-11");
        assert_eq!(v["overrides_used"], json!([]));
        assert_eq!(v["lines"][0]["quantity"], "100000");
        assert_eq!(v["lines"][0]["unit_price"], "0.00004");
        assert_eq!(v["lines"][0]["amount"], "4.00");
        assert_eq!(v["lines"][0]["payer"], "reported_not_billed");
        assert_eq!(v["lines"][1]["meter"], "power_apps");
        assert_eq!(v["exclusions"][0]["rule"], "AP-5");
        assert_eq!(v["notes"][0]["rule"], "INC-2");
    }

    #[test]
    fn csv_quotes_per_rfc_4180() {
        let csv = to_csv(&sample());
        let rows: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(rows[0], CSV_HEADER.join(","));
        assert!(rows[1].starts_with("Contoso PAYG,requests,\"Flow A, \"\"nightly\"\"\",100000,request,0.00004,4.00,reported_not_billed,PR-2,false,"), "{}", rows[1]);
        assert!(
            rows[2].starts_with(
                "Contoso PAYG,power_apps,App A,9,user-app,10,90.00,customer,AP-1,false,"
            ),
            "{}",
            rows[2]
        );
        // Explanations with commas are quoted.
        assert!(
            rows[2].ends_with(
                ",\"9 users opened App A this month (AP-1, AP-2): 9 × $10.00 = $90.00.\""
            ),
            "{}",
            rows[2]
        );
        assert_eq!(rows.len(), 4, "two lines, a header and the final CRLF");
    }

    #[test]
    fn empty_breakdown_says_so() {
        let mut b = sample();
        b.lines.clear();
        b.exclusions.clear();
        assert!(to_text(&b).contains("Nothing to charge"));
        assert_eq!(to_csv(&b), format!("{}\r\n", CSV_HEADER.join(",")));
    }

    /// An RFC 4180 reader, strict enough to prove the writer's output is well-formed: rows end
    /// with CRLF, a quoted field doubles its quotes, an unquoted field holds no quote.
    fn parse_csv(csv: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut chars = csv.chars().peekable();
        let mut at_field_start = true;
        while let Some(c) = chars.next() {
            if at_field_start && c == '"' {
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(other) => field.push(other),
                        None => panic!("unterminated quoted field in {csv:?}"),
                    }
                }
                at_field_start = false;
                continue;
            }
            at_field_start = false;
            match c {
                ',' => {
                    row.push(std::mem::take(&mut field));
                    at_field_start = true;
                }
                '\r' => {
                    assert_eq!(
                        chars.next(),
                        Some('\n'),
                        "a bare CR outside quotes: {csv:?}"
                    );
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                    at_field_start = true;
                }
                '"' | '\n' => panic!("{c:?} in an unquoted field: {csv:?}"),
                other => field.push(other),
            }
        }
        assert!(
            field.is_empty() && row.is_empty(),
            "the last row has no CRLF: {csv:?}"
        );
        rows
    }

    /// The sample with one line whose user-typed texts (environment, item, explanation) are
    /// all `name`.
    fn named(name: &str) -> Breakdown {
        let mut b = sample();
        b.lines.truncate(1);
        let l = &mut b.lines[0];
        l.environment_name = name.to_string();
        l.item = name.to_string();
        l.explanation = name.to_string();
        b
    }

    /// The spreadsheet formula prefixes of the OWASP CSV injection cheat sheet.
    const DANGEROUS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

    #[test]
    fn csv_text_starting_like_a_formula_gets_a_quote_prefix_and_is_quoted() {
        for first in DANGEROUS {
            let name = format!("{first}1+1");
            let csv = to_csv(&named(&name));
            let row = csv.split("\r\n").nth(1).unwrap_or_default();
            let cell = format!("\"'{name}\"");
            assert!(row.starts_with(&format!("{cell},")), "{first:?}: {row:?}");
            assert!(row.contains(&format!(",{cell},")), "{first:?}: {row:?}");
            assert!(row.ends_with(&format!(",{cell}")), "{first:?}: {row:?}");
            let rows = parse_csv(&csv);
            assert_eq!(rows[1][0], format!("'{name}"), "{first:?}");
            assert_eq!(rows[1][2], format!("'{name}"), "{first:?}");
            assert_eq!(rows[1][10], format!("'{name}"), "{first:?}");
        }
    }

    #[test]
    fn csv_neutralised_cells_keep_their_quotes_and_line_breaks() {
        let name = "=HYPERLINK(\"http://x\",\"y\")";
        let csv = to_csv(&named(name));
        assert!(
            csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
            "{csv}"
        );
        for name in [
            "@SUM(A1)\r\n=1+1",
            "-2+3\n\"x\"",
            "ok\n=1+1",
            "a,\"b\"\r\nc",
        ] {
            let rows = parse_csv(&to_csv(&named(name)));
            assert_eq!(rows.len(), 2, "{name:?}");
            let expected = if name.starts_with(DANGEROUS) {
                format!("'{name}")
            } else {
                name.to_string()
            };
            assert_eq!(rows[1][2], expected, "{name:?}");
        }
    }

    #[test]
    fn csv_safe_text_is_written_as_is() {
        for name in [
            "App A",
            "a-b",
            "1+1",
            "'=already",
            " =spaced",
            "Ünïcode ≠ formula",
            "",
        ] {
            let rows = parse_csv(&to_csv(&named(name)));
            assert_eq!(rows[1][2], name, "{name:?}");
        }
        let csv = to_csv(&named("App A"));
        assert!(csv.contains("\r\nApp A,requests,App A,"), "{csv}");
    }

    #[test]
    fn csv_numbers_stay_plain_numbers_even_negative() {
        // The engine never bills a negative amount (the decoder refuses negative counts and
        // prices), but a number column must stay a number whatever it holds.
        let mut b = named("=x");
        let l = &mut b.lines[0];
        l.quantity = dec!(-3);
        l.unit_price = dec!(-0.5);
        l.amount = dec!(-1.5);
        let csv = to_csv(&b);
        let row = csv.split("\r\n").nth(1).unwrap_or_default();
        assert!(row.contains(",-3,request,-0.5,-1.50,"), "{row}");
        let row = to_csv(&sample());
        assert!(row.contains(",100000,request,0.00004,4.00,"), "{row}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// Whatever a name holds, the CSV parses back to 11 fields per row, the name comes
        /// back (with a quote prefix when it starts like a formula) and no text cell starts
        /// like a formula.
        #[test]
        fn csv_any_name_reads_back_and_never_starts_a_formula(name in "[=+\\-@\t\r\n\",' a-zA-Z0-9()]{0,12}") {
            let rows = parse_csv(&to_csv(&named(&name)));
            proptest::prop_assert_eq!(rows.len(), 2);
            for row in &rows {
                proptest::prop_assert_eq!(row.len(), CSV_HEADER.len());
            }
            let expected = if name.starts_with(DANGEROUS) { format!("'{name}") } else { name.clone() };
            proptest::prop_assert_eq!(&rows[1][0], &expected);
            proptest::prop_assert_eq!(&rows[1][2], &expected);
            proptest::prop_assert_eq!(&rows[1][10], &expected);
            for (i, cell) in rows[1].iter().enumerate() {
                if !matches!(CSV_HEADER[i], "quantity" | "unit_price" | "amount") {
                    proptest::prop_assert!(!cell.starts_with(DANGEROUS), "{}: {:?}", CSV_HEADER[i], cell);
                }
            }
        }
    }
}
