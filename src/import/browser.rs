//! What the app's import panel (`src/ui/import_panel.rs`) says and decides, kept apart from
//! the view so that it is tested on the host: the text of each file's summary and of each
//! conflict, the progress of a read, and the rule a choice in the meter select adds.

use rust_decimal::Decimal;

use super::mapping::{MeterMapping, MeterRule};
use super::trend::{Trend, TrendMonth};
use super::{BadRow, Conflict, FileSummary, UnmappedMeter};
use crate::engine::money::{format_count, format_quantity, format_usd};
use crate::engine::{BillingMonth, PriceKey};

/// How much of a file the browser reads between two yields to the page: small enough that
/// the page answers input within a frame or two, large enough that the reads cost little.
pub const SLICE_BYTES: u64 = 256 * 1024;

/// The slices of a file of `size` bytes, as (start, end) byte offsets.
pub fn slices(size: u64) -> impl Iterator<Item = (u64, u64)> {
    (0..size.div_ceil(SLICE_BYTES)).map(move |i| {
        let start = i * SLICE_BYTES;
        (start, (start + SLICE_BYTES).min(size))
    })
}

/// Percent done, 0 to 100 (a file of 0 bytes is done).
pub fn percent(done: u64, total: u64) -> u64 {
    if total == 0 {
        100
    } else {
        (u128::from(done.min(total)) * 100 / u128::from(total)) as u64
    }
}

/// Why a file of this name is not read: a spreadsheet the app cannot open yet.
pub fn refused(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".xlsx") || lower.ends_with(".xls")).then(|| {
        format!(
            "“{name}” is an Excel workbook, which is not read yet: open it in Excel and save it \
             as “CSV UTF-8 (comma delimited)”, then import the .csv"
        )
    })
}

/// "usage.csv: pay-as-you-go usage report (2025 layout), `,`-separated; 1,200 rows: 1,190
/// used, 10 bad, …"
pub fn file_line(f: &FileSummary) -> String {
    let separator = match f.separator {
        '\t' => "tab".to_string(),
        c => format!("“{c}”"),
    };
    let mut parts = vec![format!("{} used", format_count(f.rows_used))];
    if f.bad_row_count > 0 {
        parts.push(format!("{} bad", format_count(f.bad_row_count)));
    }
    if f.other_service_rows > 0 {
        parts.push(format!(
            "{} of other Azure services",
            format_count(f.other_service_rows)
        ));
    }
    if f.ignored_rows > 0 {
        parts.push(format!(
            "{} ignored by the mapping",
            format_count(f.ignored_rows)
        ));
    }
    let unmapped: u64 = f.unmapped.iter().map(|u| u.rows).sum();
    if unmapped > 0 {
        parts.push(format!("{} of unmapped meters", format_count(unmapped)));
    }
    if f.other_month_rows > 0 {
        parts.push(format!(
            "{} of other months, left out",
            format_count(f.other_month_rows)
        ));
    }
    format!(
        "{}: {}, {separator}-separated; {} rows: {}",
        f.name,
        f.layout.label(),
        format_count(f.rows),
        parts.join(", ")
    )
}

/// A bad row as the panel lists it: "row 12 (line 13), column Consumed Quantity: …".
pub fn bad_row_line(b: &BadRow) -> String {
    let at = if b.line == b.row {
        format!("row {}", b.row)
    } else {
        format!("row {} (line {})", b.row, b.line)
    };
    match &b.column {
        Some(c) => format!("{at}, column {c}: {}", b.problem),
        None => format!("{at}: {}", b.problem),
    }
}

/// An unmapped meter as the panel names it: its non-empty fields.
pub fn meter_name(u: &UnmappedMeter) -> String {
    let fields: Vec<&str> = [&u.category, &u.subcategory, &u.name]
        .into_iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let mut text = if fields.is_empty() {
        "(no meter category)".to_string()
    } else {
        fields.join(" / ")
    };
    if !u.unit.is_empty() {
        text.push_str(&format!(" ({})", u.unit));
    }
    text
}

/// "12 rows, quantity 340, cost $12.50".
pub fn meter_usage(u: &UnmappedMeter) -> String {
    let mut text = format!(
        "{} row{}, quantity {}",
        format_count(u.rows),
        if u.rows == 1 { "" } else { "s" },
        format_quantity(u.quantity)
    );
    if let Some(cost) = u.cost {
        text.push_str(&format!(", cost {}", format_usd(cost)));
    }
    text
}

/// A conflict in the app's words (the CLI's mention `--month`; here the user picks below).
pub fn conflict_text(c: &Conflict) -> String {
    match c {
        Conflict::SeveralMonths { months } => {
            let list: Vec<String> = months
                .iter()
                .map(|(m, rows)| format!("{m} ({} rows)", format_count(*rows)))
                .collect();
            format!(
                "The files cover several months: {}. Choose the month to build; the rows of \
                 the others are counted and left out.",
                list.join(", ")
            )
        }
        Conflict::SameUsageTwice {
            first,
            second,
            account,
            month,
        } => format!(
            "{first} and {second} both hold the usage of {account} in {month}: importing both \
             counts it twice. Import one of them."
        ),
        Conflict::SeveralBillingAccounts { accounts } => format!(
            "The files come from several Azure billing accounts (tenants): {}. Import each \
             tenant's files separately.",
            accounts.join(", ")
        ),
    }
}

/// The meters a user can map a row to, in the engine's order.
pub fn meter_choices() -> impl Iterator<Item = PriceKey> {
    PriceKey::ALL.into_iter().filter(|k| k.is_meter())
}

/// What the meter select's value means: `""` no rule (unmapped), `"ignore"` a rule that
/// ignores the rows, else a price key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Unmapped,
    Ignore,
    Meter(PriceKey),
}

impl Choice {
    pub fn from_value(value: &str) -> Option<Choice> {
        match value {
            "" => Some(Choice::Unmapped),
            "ignore" => Some(Choice::Ignore),
            key => PriceKey::from_key(key).map(Choice::Meter),
        }
    }

    pub fn value(self) -> &'static str {
        match self {
            Choice::Unmapped => "",
            Choice::Ignore => "ignore",
            Choice::Meter(k) => k.key(),
        }
    }
}

/// The user's rule for exactly this meter: every field it has, as a pattern.
fn rule_for(u: &UnmappedMeter, meter: Option<PriceKey>) -> MeterRule {
    MeterRule {
        category: u.category.clone(),
        subcategory: u.subcategory.clone(),
        name: u.name.clone(),
        unit: u.unit.clone(),
        meter,
    }
}

fn same_patterns(a: &MeterRule, b: &MeterRule) -> bool {
    a.category == b.category
        && a.subcategory == b.subcategory
        && a.name == b.name
        && a.unit == b.unit
}

/// The mapping after the user chose `choice` for an unmapped meter: its rule (first, so that
/// it wins over the defaults and older rules) replaces any rule of the same patterns.
pub fn mapping_with(mapping: &MeterMapping, u: &UnmappedMeter, choice: Choice) -> MeterMapping {
    let rule = rule_for(u, None);
    let mut rules: Vec<MeterRule> = mapping
        .rules
        .iter()
        .filter(|r| !same_patterns(r, &rule))
        .cloned()
        .collect();
    match choice {
        Choice::Unmapped => {}
        Choice::Ignore => rules.insert(0, rule),
        Choice::Meter(key) => rules.insert(0, rule_for(u, Some(key))),
    }
    MeterMapping { rules }
}

/// The choice the mapping holds for a meter listed as unmapped (after a mapping was loaded,
/// a listed meter may already have one).
pub fn choice_for(mapping: &MeterMapping, u: &UnmappedMeter) -> Choice {
    let rule = rule_for(u, None);
    match mapping.rules.iter().find(|r| same_patterns(r, &rule)) {
        Some(MeterRule {
            meter: Some(key), ..
        }) => Choice::Meter(*key),
        Some(_) => Choice::Ignore,
        None => Choice::Unmapped,
    }
}

/// A month from the month select's value (`YYYY-MM`); anything else is none chosen.
pub fn month(value: &str) -> Option<BillingMonth> {
    let (y, m) = value.split_once('-')?;
    let year: u16 = y.parse().ok()?;
    let month: u8 = m.parse().ok()?;
    ((2000..=2100).contains(&year) && (1..=12).contains(&month))
        .then_some(BillingMonth { year, month })
}

/// "+10.6 % a month, from months 2026-06..2026-09", or why there is no growth.
pub fn trend_line(t: &Trend) -> String {
    match (t.percent, t.from, t.to) {
        (Some(p), Some(from), Some(to)) => {
            let sign = if p.is_sign_positive() && !p.is_zero() {
                "+"
            } else {
                ""
            };
            format!(
                "{sign}{} % a month, from months {from}..{to}",
                format_quantity(p)
            )
        }
        _ => format!(
            "none: {}",
            t.reason.as_deref().unwrap_or("no whole months to fit")
        ),
    }
}

/// A month's note in the trend table: in the fit, or why not.
pub fn trend_note(m: &TrendMonth) -> String {
    match &m.left_out {
        None => "in the fit".to_string(),
        Some(why) => format!("left out: {why}"),
    }
}

/// The agent-level rows of an import (usage reports: Azure has only meters), for the panel's
/// per-agent table, with what the meter bills and what licensed users used free of charge.
pub fn agent_rows(
    agents: &[super::AgentCredits],
) -> Vec<(String, String, Decimal, Decimal, Decimal)> {
    agents
        .iter()
        .filter(|a| a.per_agent)
        .map(|a| {
            let free = a
                .consumed
                .checked_sub(a.billed)
                .unwrap_or_default()
                .max(Decimal::ZERO);
            (
                a.environment.clone(),
                a.agent.clone(),
                a.consumed,
                a.billed,
                free,
            )
        })
        .collect()
}

/// What the agents' units are called in the month: messages before Copilot Credits
/// replaced them (09/2025, CC-1).
pub fn agent_unit(month: BillingMonth) -> &'static str {
    if month
        >= (BillingMonth {
            year: 2025,
            month: 9,
        })
    {
        "Copilot Credits"
    } else {
        "Copilot Studio messages"
    }
}

/// The confirmation before a FlowRun export is joined into the open scenario: what changes,
/// and that nothing else does.
pub fn join_summary(plan: &super::join::JoinPlan, scenario: &str, target: &str) -> String {
    let flows = |n: usize| format!("{n} flow{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if !plan.matched.is_empty() {
        parts.push(format!(
            "replaces the run counts of {} with the export's runs per day",
            flows(plan.matched.len())
        ));
    }
    if !plan.added.is_empty() {
        parts.push(format!("adds {} to {target}", flows(plan.added.len())));
    }
    if parts.is_empty() {
        return format!("The export has no flow runs to join into “{scenario}”.");
    }
    format!(
        "Joining {}. Nothing else in “{scenario}” changes: the flows' connectors, owners and \
         licences, the other flows, apps and storage stay as they are.",
        parts.join(" and ")
    )
}

/// A sum for a table cell: quantities as the engine prints them.
pub fn quantity(q: Decimal) -> String {
    format_quantity(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unmapped() -> UnmappedMeter {
        UnmappedMeter {
            category: "Agents 365".to_string(),
            subcategory: String::new(),
            name: "Agent Message".to_string(),
            unit: "1 Message".to_string(),
            rows: 3,
            quantity: Decimal::from(1500),
            cost: Some(Decimal::new(1500, 2)),
        }
    }

    #[test]
    fn slices_cover_the_file_without_overlap() {
        let size = SLICE_BYTES * 2 + 5;
        let all: Vec<(u64, u64)> = slices(size).collect();
        assert_eq!(
            all,
            vec![
                (0, SLICE_BYTES),
                (SLICE_BYTES, 2 * SLICE_BYTES),
                (2 * SLICE_BYTES, size)
            ]
        );
        assert_eq!(slices(0).count(), 0);
        assert_eq!(slices(SLICE_BYTES).count(), 1);
    }

    #[test]
    fn months_read_back_what_they_print() {
        let m = BillingMonth {
            year: 2026,
            month: 9,
        };
        assert_eq!(month(&m.to_string()), Some(m));
        assert_eq!(month(""), None);
        assert_eq!(month("2026-13"), None);
        assert_eq!(month("x-1"), None);
    }

    #[test]
    fn percent_is_bounded() {
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(5, 3), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }

    #[test]
    fn a_choice_adds_one_rule_first_and_replaces_its_own() {
        let u = unmapped();
        let m = mapping_with(
            &MeterMapping::default(),
            &u,
            Choice::Meter(PriceKey::CopilotStudioMessage),
        );
        assert_eq!(m.rules.len(), 1);
        assert_eq!(
            choice_for(&m, &u),
            Choice::Meter(PriceKey::CopilotStudioMessage)
        );
        let m = mapping_with(&m, &u, Choice::Ignore);
        assert_eq!(m.rules.len(), 1);
        assert_eq!(choice_for(&m, &u), Choice::Ignore);
        let m = mapping_with(&m, &u, Choice::Unmapped);
        assert!(m.rules.is_empty());
        // The rule is the meter's own: it maps it, and the JSON file round-trips.
        let m = mapping_with(&m, &u, Choice::Meter(PriceKey::CopilotStudioMessage));
        let fields = super::super::mapping::MeterFields {
            category: &u.category,
            subcategory: &u.subcategory,
            name: &u.name,
            unit: &u.unit,
        };
        assert_eq!(
            m.map(&fields),
            super::super::mapping::Mapped::Meter(PriceKey::CopilotStudioMessage)
        );
        assert_eq!(MeterMapping::from_json(&m.to_json()), Ok(m));
    }

    #[test]
    fn choice_values_round_trip() {
        for c in [Choice::Unmapped, Choice::Ignore]
            .into_iter()
            .chain(meter_choices().map(Choice::Meter))
        {
            assert_eq!(Choice::from_value(c.value()), Some(c));
        }
        assert_eq!(Choice::from_value("nonsense"), None);
    }

    #[test]
    fn the_trend_line_says_the_rate_and_the_months_or_why_not() {
        use crate::engine::PriceBookId;
        let m = |month: u8, value: i64, first: u8| TrendMonth {
            month: BillingMonth { year: 2026, month },
            first_day: first,
            last_day: 30,
            usage_value: Decimal::from(value),
            billed: None,
            left_out: None,
        };
        let book = PriceBookId::for_month(BillingMonth {
            year: 2026,
            month: 9,
        });
        let t = Trend::fit(
            vec![m(6, 100, 1), m(9, 1331, 1), m(7, 110, 1), m(8, 121, 1)],
            book,
        );
        // 1331 is not 133.1: least squares over all four (119.48 % by Python's math.log).
        assert_eq!(
            trend_line(&t),
            "+119.5 % a month, from months 2026-06..2026-09"
        );
        let t = Trend::fit(vec![m(6, 100, 1), m(7, 90, 1)], book);
        assert_eq!(
            trend_line(&t),
            "-10 % a month, from months 2026-06..2026-07"
        );
        let t = Trend::fit(vec![m(6, 100, 1), m(7, 90, 15)], book);
        assert_eq!(
            trend_line(&t),
            "none: a trend needs two whole months with usage; the files have 1"
        );
        assert_eq!(
            trend_note(&t.months[1]),
            "left out: partial: rows from day 15 to 30 of 31"
        );
        assert_eq!(trend_note(&t.months[0]), "in the fit");
    }

    #[test]
    fn the_join_summary_says_what_changes_and_what_does_not() {
        use super::super::join::{JoinPlan, Match};
        let m = Match {
            flow: 0,
            environment: 0,
            index: 0,
            name: "Sync".to_string(),
            runs_before: 1,
            runs_after: 2,
        };
        let plan = JoinPlan {
            matched: vec![m],
            added: vec![1, 2],
        };
        assert_eq!(
            join_summary(&plan, "Contoso", "“HR Prod”"),
            "Joining replaces the run counts of 1 flow with the export's runs per day and adds \
             2 flows to “HR Prod”. Nothing else in “Contoso” changes: the flows' connectors, \
             owners and licences, the other flows, apps and storage stay as they are."
        );
        assert!(join_summary(&JoinPlan::default(), "C", "x").contains("no flow runs"));
    }

    #[test]
    fn texts_name_what_the_user_needs() {
        let u = unmapped();
        assert_eq!(meter_name(&u), "Agents 365 / Agent Message (1 Message)");
        assert_eq!(meter_usage(&u), "3 rows, quantity 1,500, cost $15.00");
        let b = BadRow {
            row: 4,
            line: 5,
            column: Some("Consumed Quantity".to_string()),
            problem: "`x` is not a number".to_string(),
        };
        assert_eq!(
            bad_row_line(&b),
            "row 4 (line 5), column Consumed Quantity: `x` is not a number"
        );
        assert!(refused("Usage.XLSX").is_some());
        assert!(refused("usage.csv").is_none());
    }
}
