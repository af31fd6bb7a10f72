//! What a file says was billed, against what the engine computes from the same usage, per
//! environment (or billing plan) and meter, with the reason for each difference.
//!
//! The usage report carries billed quantities (no money: the billed amount is the quantity at
//! the book's price, marked as estimated); Azure's cost details carry quantities and cost.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Billed, FileSummary};
use crate::engine::breakdown::Payer;
use crate::engine::money;
use crate::engine::price_book::EffectivePrices;
use crate::engine::{self, PriceKey, Scenario};

/// Why billed and computed differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// They agree.
    Match,
    /// Azure charged another unit price than the book's (a negotiated price, or another book).
    Book,
    /// Cents from rounding each line (or each Azure row) to the cent.
    Rounding,
    /// Dataverse: the file's readings are not the snapshots Azure billed (AMB-11).
    SnapshotTiming,
    /// The meter is reported but not billed (PR-1), or billed rows are marked preview.
    PreviewMeter,
    /// Fewer billed than used: a licence the file cannot see exempts some (AP-5, PA-7 …).
    Licence,
    /// None of the above explains it.
    Unexplained,
}

impl Category {
    pub fn key(self) -> &'static str {
        match self {
            Category::Match => "match",
            Category::Book => "book",
            Category::Rounding => "rounding",
            Category::SnapshotTiming => "snapshot_timing",
            Category::PreviewMeter => "preview_meter",
            Category::Licence => "licence",
            Category::Unexplained => "unexplained",
        }
    }
}

/// One environment and meter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReconcileRow {
    pub file: String,
    pub environment: String,
    pub meter: PriceKey,
    pub billed_quantity: Decimal,
    pub computed_quantity: Decimal,
    /// Azure's cost, or (usage reports) the billed quantity at the book's price.
    pub billed_amount: Decimal,
    /// Whether `billed_amount` is the book-price estimate rather than a charged amount.
    pub billed_amount_estimated: bool,
    pub computed_amount: Decimal,
    /// computed − billed.
    pub difference: Decimal,
    pub category: Category,
    pub explanation: String,
}

/// The rows of one file: each environment's billed meters against the engine's lines for the
/// file's own scenario.
pub(crate) fn reconcile_file<'a>(
    file: &FileSummary,
    envs: impl Iterator<Item = (&'a str, &'a BTreeMap<PriceKey, Billed>)>,
    scenario: &Scenario,
) -> Vec<ReconcileRow> {
    let breakdown = engine::price(scenario).ok();
    let prices = EffectivePrices::new(scenario.price_book.book(), &scenario.price_overrides);
    let mut rows = Vec::new();
    for (env, billed) in envs {
        for (key, b) in billed {
            let mut computed_quantity = Decimal::ZERO;
            let mut computed_amount = Decimal::ZERO;
            let mut reported_quantity = Decimal::ZERO;
            let mut lines = 0u32;
            for l in breakdown.iter().flat_map(|b| b.lines.iter()) {
                if l.environment_name != env || l.price_key != *key {
                    continue;
                }
                match l.payer {
                    Payer::Customer => {
                        computed_amount =
                            money::add(computed_amount, l.amount).unwrap_or(computed_amount);
                        computed_quantity =
                            money::add(computed_quantity, l.quantity).unwrap_or(computed_quantity);
                        lines += 1;
                    }
                    // Runs above the daily cap (PA-14) and requests while the meter is not
                    // billed (PR-1): shown, not charged.
                    Payer::ReportedNotBilled => {
                        reported_quantity =
                            money::add(reported_quantity, l.quantity).unwrap_or(reported_quantity);
                    }
                    Payer::Isv => {}
                }
            }
            let not_billed = lines == 0 && !reported_quantity.is_zero();
            if not_billed {
                computed_quantity = reported_quantity;
            }
            let unit_price = prices.get(*key).amount;
            let (billed_amount, estimated) = match b.cost {
                Some(cost) => (cost, false),
                None => (
                    if b.preview_rows == b.rows {
                        Decimal::ZERO
                    } else {
                        money::round_cents(money::mul(b.quantity, unit_price).unwrap_or_default())
                    },
                    true,
                ),
            };
            let difference = money::sub(computed_amount, billed_amount).unwrap_or_default();
            let (category, explanation) = explain(&Facts {
                key: *key,
                billed: b,
                billed_amount,
                computed_quantity,
                computed_amount,
                difference,
                unit_price,
                not_billed,
                lines,
            });
            rows.push(ReconcileRow {
                file: file.name.clone(),
                environment: env.to_string(),
                meter: *key,
                billed_quantity: b.quantity,
                computed_quantity,
                billed_amount,
                billed_amount_estimated: estimated,
                computed_amount,
                difference,
                category,
                explanation,
            });
        }
    }
    rows
}

struct Facts<'a> {
    key: PriceKey,
    billed: &'a Billed,
    billed_amount: Decimal,
    computed_quantity: Decimal,
    computed_amount: Decimal,
    difference: Decimal,
    unit_price: Decimal,
    not_billed: bool,
    lines: u32,
}

fn explain(f: &Facts<'_>) -> (Category, String) {
    let q = money::format_quantity;
    let usd = money::format_usd;
    let same_quantity = f.computed_quantity == f.billed.quantity;
    if f.not_billed || (f.billed.rows > 0 && f.billed.preview_rows == f.billed.rows) {
        return (
            Category::PreviewMeter,
            format!(
                "The meter is reported but not billed (PR-1, status Preview): {} reported, {} \
                 computed as reported-not-billed; nothing is charged.",
                q(f.billed.quantity),
                q(f.computed_quantity)
            ),
        );
    }
    if f.difference.is_zero() && same_quantity {
        return (Category::Match, "Billed and computed agree.".to_string());
    }
    let storage = matches!(
        f.key,
        PriceKey::DataverseDatabaseGb | PriceKey::DataverseFileGb | PriceKey::DataverseLogGb
    );
    // Each Azure row and each engine line is rounded to the cent once.
    let cents = Decimal::new(1, 2)
        .checked_mul(Decimal::from(f.billed.rows.max(u64::from(f.lines)).max(1)))
        .unwrap_or(Decimal::ONE);
    if let Some(cost) = f.billed.cost
        && !f.billed.quantity.is_zero()
    {
        let charged = cost.checked_div(f.billed.quantity).unwrap_or_default();
        let off_by = (charged - f.unit_price).abs();
        // A unit price that differs by more than rounding a row can explain.
        if off_by
            > Decimal::new(5, 3)
                .checked_div(f.billed.quantity.max(Decimal::ONE))
                .unwrap_or_default()
                .max(Decimal::new(1, 6))
            && f.difference.abs() > cents
        {
            return (
                Category::Book,
                format!(
                    "Azure charged about {} a unit where the book says {}: a negotiated price \
                     or another price book (enter it as a price override).",
                    money::format_unit_price(charged.round_dp(6)),
                    money::format_unit_price(f.unit_price)
                ),
            );
        }
    }
    if storage {
        return (
            Category::SnapshotTiming,
            format!(
                "{} GB-months billed, {} computed: the file's daily readings are not the \
                 snapshots Azure billed (DV-5/DV-6, AMB-11), and readings missing for a day hold \
                 the previous one.",
                q(f.billed.quantity),
                q(f.computed_quantity)
            ),
        );
    }
    if f.difference.abs() <= cents && (same_quantity || f.billed.cost.is_some()) {
        return (
            Category::Rounding,
            format!(
                "{} of difference: each line (and each Azure row) is rounded to the cent.",
                usd(f.difference.abs())
            ),
        );
    }
    if f.billed.quantity < f.computed_quantity {
        return (
            Category::Licence,
            format!(
                "{} billed, {} computed: users or flows exempt by a licence the file cannot see \
                 are billed nothing (AP-5, PA-7, PP-3); set their licences in the scenario.",
                q(f.billed.quantity),
                q(f.computed_quantity)
            ),
        );
    }
    (
        Category::Unexplained,
        format!(
            "{} billed ({}), {} computed ({}): no known reason; check the meter mapping.",
            q(f.billed.quantity),
            usd(f.billed_amount),
            q(f.computed_quantity),
            usd(f.computed_amount)
        ),
    )
}

/// The column names of [`to_csv`].
pub const CSV_HEADER: [&str; 12] = [
    "file",
    "environment",
    "meter",
    "billed_quantity",
    "computed_quantity",
    "billed_amount",
    "billed_amount_estimated",
    "computed_amount",
    "difference",
    "category",
    "explanation",
    "meter_label",
];

/// The reconciliation as CSV, with the conventions of the breakdown's CSV (RFC 4180, CRLF,
/// plain numbers, text cells neutralised against formula injection: file and environment
/// names come from the files).
pub fn to_csv(rows: &[ReconcileRow]) -> String {
    use crate::engine::report::{Cell, push_row};
    let mut out = String::new();
    push_row(&mut out, CSV_HEADER.map(Cell::Text));
    for r in rows {
        push_row(
            &mut out,
            [
                Cell::Text(&r.file),
                Cell::Text(&r.environment),
                Cell::Text(r.meter.key()),
                Cell::Number(r.billed_quantity.normalize().to_string()),
                Cell::Number(r.computed_quantity.normalize().to_string()),
                Cell::Number(money::format_plain(r.billed_amount)),
                Cell::Text(if r.billed_amount_estimated {
                    "true"
                } else {
                    "false"
                }),
                Cell::Number(money::format_plain(r.computed_amount)),
                Cell::Number(money::format_plain(r.difference)),
                Cell::Text(r.category.key()),
                Cell::Text(&r.explanation),
                Cell::Text(r.meter.label()),
            ],
        );
    }
    out
}

/// The reconciliation as text, one paragraph per row.
pub fn to_text(rows: &[ReconcileRow]) -> String {
    if rows.is_empty() {
        return "No file says what was billed: nothing to reconcile.\n".to_string();
    }
    let mut out = String::new();
    for r in rows {
        out.push_str(&format!(
            "{} / {}: billed {} ({}{}), computed {} ({}), difference {} [{}]\n  {}\n",
            r.environment,
            r.meter.label(),
            money::format_quantity(r.billed_quantity),
            money::format_usd(r.billed_amount),
            if r.billed_amount_estimated {
                " at the book's price"
            } else {
                ""
            },
            money::format_quantity(r.computed_quantity),
            money::format_usd(r.computed_amount),
            money::format_usd(r.difference),
            r.category.key(),
            r.explanation
        ));
    }
    out
}
