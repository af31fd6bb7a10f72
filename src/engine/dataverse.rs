//! Dataverse capacity meter (DV-1..8): storage used above the free or allocated capacity.
//!
//! Inputs are the GB *used* per category; the free threshold is subtracted here (DV-2, DV-3,
//! AMB-10). Each category is billed on its own (DV-4): unused file capacity never offsets
//! database overage. Every pay-as-you-go environment uses the database/file/log model (DV-8),
//! so there is no legacy-model branch.
//!
//! Measurement (AMB-11): by default the book's snapshots are simulated (3 a day at 1/90 of the
//! monthly rate in the seed, DV-5; 1 a day at 1/30 from 2025, DV-6), so a 31-day month bills
//! 31/30 of the monthly amount at constant usage (DV-7). The monthly-average mode bills the
//! average overage × the monthly rate instead, which reproduces the documentation's table in
//! any month.
//!
//! Precision: overage is summed over snapshots exactly (linear growth is summed scaled by
//! `N − 1` so no division happens per snapshot), divided once, and the line amount is rounded
//! once in the ledger (AMB-12).

use rust_decimal::{Decimal, RoundingStrategy};

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::money::{self, Overflow};
use super::price_book::BookRules;
use super::scenario::{AllocationMode, DataverseMeasurement, Storage, StoragePoint, StorageUsage};
use super::{Context, Environment};

/// The unit of every Dataverse line and exclusion.
const UNIT: &str = "GB-month";

/// Decimal places kept in the GB-month quantity shown on a line (the amount is computed from
/// the exact sum, so this only affects what people read).
const QUANTITY_DP: u32 = 4;

/// DV-4: the three storage categories, each billed independently (the scenario's one
/// definition, with the words of this meter's lines).
use super::scenario::StorageCategory as Category;

impl Category {
    fn item(self) -> &'static str {
        match self {
            Category::Database => "Database storage",
            Category::File => "File storage",
            Category::Log => "Log storage",
        }
    }

    fn lower(self) -> &'static str {
        match self {
            Category::Database => "database storage",
            Category::File => "file storage",
            Category::Log => "log storage",
        }
    }

    /// A negative allocation means nothing: clamp so it can never raise the overage.
    fn allocated_gb(self, storage: &Storage) -> Decimal {
        self.allocated(&storage.allocated).max(Decimal::ZERO)
    }

    /// DV-2/DV-3: only database and file storage have a free GB; log is billed at once.
    fn has_free_gb(self) -> bool {
        !matches!(self, Category::Log)
    }
}

/// The GB of one category that are not billed, and how to say why.
struct Threshold {
    gb: Decimal,
    /// "1 GB free", "3 GB allocated" …
    text: String,
    /// The rule that exempts the GB below the threshold (exclusion rule id).
    rule: &'static str,
    /// The rule ids cited in sentences.
    cite: &'static str,
}

/// DV-2 (seed), DV-3 with AMB-10 (2025): the free threshold of one category.
fn threshold(
    category: Category,
    allocated: Decimal,
    rules: &BookRules,
    mode: AllocationMode,
) -> Threshold {
    let free = if category.has_free_gb() {
        Decimal::from(rules.dataverse_free_gb)
    } else {
        Decimal::ZERO
    };
    let q = money::format_quantity;
    if !rules.dataverse_allocation {
        // DV-2: 1 GB database + 1 GB file, no log entitlement; allocation does not exist yet.
        let text = if free.is_zero() {
            "no free log storage".to_string()
        } else {
            format!("{} GB free", q(free))
        };
        return Threshold {
            gb: free,
            text,
            rule: "DV-2",
            cite: "DV-2",
        };
    }
    if !category.has_free_gb() {
        // DV-3: log storage is billed above its allocation only (default 0).
        return if allocated.is_zero() {
            Threshold {
                gb: Decimal::ZERO,
                text: "no log capacity allocated".to_string(),
                rule: "DV-3",
                cite: "DV-3",
            }
        } else {
            Threshold {
                gb: allocated,
                text: format!("{} GB allocated", q(allocated)),
                rule: "DV-3",
                cite: "DV-3",
            }
        };
    }
    match mode {
        // AMB-10 [REC]: the allocation replaces the free GB when above zero.
        AllocationMode::Replace => {
            if allocated.is_zero() {
                Threshold {
                    gb: free,
                    text: format!("{} GB free", q(free)),
                    rule: "DV-3",
                    cite: "DV-3, AMB-10",
                }
            } else {
                Threshold {
                    gb: allocated,
                    text: format!("{} GB allocated", q(allocated)),
                    rule: "DV-3",
                    cite: "DV-3, AMB-10",
                }
            }
        }
        AllocationMode::Max => {
            let gb = free.max(allocated);
            let text = if allocated.is_zero() {
                format!("{} GB free", q(free))
            } else {
                format!(
                    "the larger of {} GB free and {} GB allocated, {} GB",
                    q(free),
                    q(allocated),
                    q(gb)
                )
            };
            Threshold {
                gb,
                text,
                rule: "AMB-10",
                cite: "DV-3, AMB-10",
            }
        }
        AllocationMode::Add => {
            // `free + allocated` cannot overflow unless the allocation is near Decimal::MAX;
            // saturating keeps the threshold above any storable usage in that case.
            let gb = free.saturating_add(allocated);
            let text = if allocated.is_zero() {
                format!("{} GB free", q(free))
            } else {
                format!(
                    "{} GB free + {} GB allocated = {} GB",
                    q(free),
                    q(allocated),
                    q(gb)
                )
            };
            Threshold {
                gb,
                text,
                rule: "AMB-10",
                cite: "DV-3, AMB-10",
            }
        }
    }
}

/// Sums over the month's snapshots, scaled: the true sums are `used / scale` and
/// `over / scale` GB-snapshots. Linear usage is summed ×(N − 1) to stay exact.
struct SnapshotSums {
    /// Σ max(0, used) × scale.
    used: Decimal,
    /// Σ max(0, used − threshold) × scale.
    over: Decimal,
    scale: Decimal,
}

/// Sums usage and overage over `snapshots` snapshots taken `per_day` times a day (AMB-11).
fn snapshot_sums(
    usage: &StorageUsage,
    threshold: Decimal,
    snapshots: u32,
    per_day: u32,
) -> Result<SnapshotSums, Overflow> {
    let n = Decimal::from(snapshots);
    match usage {
        // Constant use: N identical snapshots, no loop needed.
        StorageUsage::Constant { gb } => {
            let used = (*gb).max(Decimal::ZERO);
            let over = money::sub(used, threshold)?.max(Decimal::ZERO);
            Ok(SnapshotSums {
                used: money::mul(used, n)?,
                over: money::mul(over, n)?,
                scale: Decimal::ONE,
            })
        }
        // Even growth from the first snapshot to the last: used_i = start + Δ × i / (N − 1).
        // Multiplying through by N − 1 keeps every term exact.
        StorageUsage::Linear { start_gb, end_gb } => {
            if snapshots <= 1 {
                return snapshot_sums(
                    &StorageUsage::Constant { gb: *start_gb },
                    threshold,
                    snapshots,
                    per_day,
                );
            }
            let scale = Decimal::from(snapshots - 1);
            let base = money::mul(*start_gb, scale)?;
            let delta = money::sub(*end_gb, *start_gb)?;
            let scaled_threshold = money::mul(threshold, scale)?;
            let mut used_sum = Decimal::ZERO;
            let mut over_sum = Decimal::ZERO;
            for i in 0..snapshots {
                let used =
                    money::add(base, money::mul(delta, Decimal::from(i))?)?.max(Decimal::ZERO);
                let over = money::sub(used, scaled_threshold)?.max(Decimal::ZERO);
                used_sum = money::add(used_sum, used)?;
                over_sum = money::add(over_sum, over)?;
            }
            Ok(SnapshotSums {
                used: used_sum,
                over: over_sum,
                scale,
            })
        }
        // Readings that hold from their day on; before the first reading, the first applies.
        StorageUsage::Series { points } => {
            let points = ordered_points(points);
            let mut used_sum = Decimal::ZERO;
            let mut over_sum = Decimal::ZERO;
            let mut current = 0usize;
            for i in 0..snapshots {
                // Snapshot i falls on day i / per_day + 1 (AMB-11: a 00:00 snapshot belongs
                // to the day it starts).
                let day = i / per_day.max(1) + 1;
                while points
                    .get(current + 1)
                    .is_some_and(|p| u32::from(p.day) <= day)
                {
                    current += 1;
                }
                let used = points
                    .get(current)
                    .map_or(Decimal::ZERO, |p| p.gb)
                    .max(Decimal::ZERO);
                let over = money::sub(used, threshold)?.max(Decimal::ZERO);
                used_sum = money::add(used_sum, used)?;
                over_sum = money::add(over_sum, over)?;
            }
            Ok(SnapshotSums {
                used: used_sum,
                over: over_sum,
                scale: Decimal::ONE,
            })
        }
    }
}

/// Readings by day, one per day; two readings on one day keep the larger, so the order in
/// which records are given never changes the price.
fn ordered_points(points: &[StoragePoint]) -> Vec<StoragePoint> {
    let mut ordered = points.to_vec();
    ordered.sort_by_key(|p| (p.day, p.gb));
    ordered.dedup_by(|later, kept| {
        if later.day == kept.day {
            kept.gb = later.gb;
            true
        } else {
            false
        }
    });
    ordered
}

/// How a category's use through the month reads in a sentence.
fn describe_usage(usage: &StorageUsage) -> String {
    let q = money::format_quantity;
    match usage {
        StorageUsage::Constant { gb } => format!("{} GB used", q(*gb)),
        StorageUsage::Linear { start_gb, end_gb } if start_gb == end_gb => {
            format!("{} GB used", q(*start_gb))
        }
        StorageUsage::Linear { start_gb, end_gb } => {
            let way = if end_gb > start_gb {
                "growing"
            } else {
                "shrinking"
            };
            format!("{way} evenly from {} GB to {} GB", q(*start_gb), q(*end_gb))
        }
        StorageUsage::Series { points } => match points.len() {
            1 => "with 1 reading this month".to_string(),
            n => format!("with {n} readings this month"),
        },
    }
}

/// A quantity as people read it: at most [`QUANTITY_DP`] decimals, "about" when cut.
fn shown(q: Decimal) -> String {
    let cut = display_quantity(q);
    if cut == q.normalize() {
        money::format_quantity(cut)
    } else {
        format!("about {}", money::format_quantity(cut))
    }
}

fn display_quantity(q: Decimal) -> Decimal {
    q.round_dp_with_strategy(QUANTITY_DP, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Prices the Dataverse storage of one environment.
pub(crate) fn price(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let rules = ctx.prices.rules();
    let per_day = rules.dataverse_snapshots_per_day.max(1);
    let divisor = rules.dataverse_rate_divisor.max(1);
    let days = ctx.month.days();
    // At most 31 × 3 = 93 snapshots with the known books.
    let snapshots = days.saturating_mul(per_day);
    let n = Decimal::from(snapshots);
    let mut any_usage = false;

    for category in Category::ALL {
        let usage = category.usage(&env.storage);
        let allocated = category.allocated_gb(&env.storage);
        let threshold = threshold(category, allocated, rules, ctx.options.dataverse_allocation);
        let sums = snapshot_sums(usage, threshold.gb, snapshots, per_day)?;
        if sums.used.is_zero() {
            continue;
        }
        any_usage = true;
        let per_snapshot = money::mul(sums.scale, n)?;
        let average_used = money::div(sums.used, per_snapshot)?;

        if !ctx.customer_billed {
            let (rule, reason) = ctx.not_billed_reason(env, Meter::Dataverse);
            ledger.exclude(
                Meter::Dataverse,
                category.item(),
                display_quantity(average_used),
                UNIT,
                rule,
                reason,
            );
            continue;
        }

        // DV-2/DV-3: what the threshold covers is free.
        let covered = money::div(money::sub(sums.used, sums.over)?, per_snapshot)?;
        ledger.exclude(
            Meter::Dataverse,
            category.item(),
            display_quantity(covered),
            UNIT,
            threshold.rule,
            format!(
                "On average {} GB of {} is within the {} ({}), so it is not billed.",
                shown(covered),
                category.lower(),
                threshold.text,
                threshold.cite
            ),
        );
        if sums.over.is_zero() {
            continue;
        }

        let price = ctx.prices.get(category.meter_price());
        let heading = format!(
            "{} {}, {} ({})",
            category.item(),
            describe_usage(usage),
            threshold.text,
            threshold.cite
        );
        let constant_over = match usage {
            StorageUsage::Constant { gb } => {
                Some(money::sub(*gb, threshold.gb)?.max(Decimal::ZERO))
            }
            _ => None,
        };
        let (rule, quantity, raw_amount, explanation) = match ctx.options.dataverse_measurement {
            DataverseMeasurement::Snapshots => {
                // DV-5/DV-6/DV-7: Σ overage × rate / divisor, divided once.
                let denominator = money::mul(sums.scale, Decimal::from(divisor))?;
                let raw = money::div(money::mul(sums.over, price.amount)?, denominator)?;
                let quantity = money::div(sums.over, denominator)?;
                let amount = money::format_usd(money::round_cents(raw));
                let rate = format!("{}/{}", money::format_unit_price(price.amount), divisor);
                let explanation = match constant_over {
                    Some(over) => {
                        // DV-7: constant use bills days/30 of the monthly amount when the
                        // snapshot cadence spreads the rate over 30 days.
                        let share = if divisor == per_day.saturating_mul(30) {
                            format!(
                                " (a {days}-day month bills {days}/30 of the monthly rate, DV-7)"
                            )
                        } else {
                            String::new()
                        };
                        format!(
                            "{heading}: {} GB over at {snapshots} snapshots × {rate} = {amount}{share}.",
                            money::format_quantity(over)
                        )
                    }
                    None => format!(
                        "{heading}: {} GB over summed across the {snapshots} snapshots of a {days}-day \
                         month × {rate} = {amount}.",
                        shown(money::div(sums.over, sums.scale)?)
                    ),
                };
                let rule = if per_day == 1 { "DV-6" } else { "DV-5" };
                (rule, quantity, raw, explanation)
            }
            DataverseMeasurement::MonthlyAverage => {
                // AMB-11: average overage GB × the monthly rate.
                let raw = money::div(money::mul(sums.over, price.amount)?, per_snapshot)?;
                let quantity = money::div(sums.over, per_snapshot)?;
                let amount = money::format_usd(money::round_cents(raw));
                let rate = money::format_unit_price(price.amount);
                let explanation = match constant_over {
                    Some(over) => format!(
                        "{heading}: {} GB over × {rate} = {amount} (monthly average, AMB-11).",
                        money::format_quantity(over)
                    ),
                    None => format!(
                        "{heading}: {} GB over on average across {snapshots} snapshots × {rate} = \
                         {amount} (monthly average, AMB-11).",
                        shown(quantity)
                    ),
                };
                ("AMB-11", quantity, raw, explanation)
            }
        };
        ledger.charge_amount(
            Charge {
                meter: Meter::Dataverse,
                item: category.item(),
                quantity: display_quantity(quantity),
                unit: UNIT,
                price_key: category.meter_price(),
                price,
                payer: Payer::Customer,
                rule,
                explanation,
            },
            raw_amount,
        );
    }

    if any_usage && ctx.customer_billed {
        record_notes(env, ctx, ledger);
    }
    Ok(())
}

/// The documentation discrepancies and book limits this environment's storage touches.
fn record_notes(env: &Environment, ctx: &Context<'_>, ledger: &mut Ledger) {
    let rules = ctx.prices.rules();
    let allocated = env.storage.allocated;
    let any_allocation = [allocated.database, allocated.file, allocated.log]
        .iter()
        .any(|gb| *gb > Decimal::ZERO);
    if !rules.dataverse_allocation {
        if any_allocation {
            ledger.note(
                "DV-3",
                format!(
                    "The {} book has no allocated Dataverse capacity (allocation exists only from \
                     Dec 2024), so the capacity allocated to {} is ignored and 1 GB of database \
                     and 1 GB of file storage are free (DV-2).",
                    ctx.prices.book.id.key(),
                    env.name
                ),
            );
        }
        return;
    }
    let how = match ctx.options.dataverse_allocation {
        AllocationMode::Replace => {
            "unless capacity is allocated, in which case the allocation replaces it"
        }
        AllocationMode::Max => "or the allocation where it is larger",
        AllocationMode::Add => "on top of any allocated capacity",
    };
    ledger.note(
        "INC-8",
        format!(
            "The 2025 documentation says both that all Dataverse storage is billed when no \
             capacity is allocated and that the first 1 GB of database and 1 GB of file storage \
             are free; following AMB-10, the free 1 GB applies {how}."
        ),
    );
    if ctx.options.dataverse_measurement == DataverseMeasurement::Snapshots {
        ledger.note(
            "INC-7",
            "The 2025 usage-report page still mentions three Dataverse reports a day; the meters \
             page's one snapshot a day at 1/30 of the monthly rate is used (DV-6)."
                .to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::price_book::PriceBookId;
    use crate::engine::scenario::{BillingMonth, RuleOptions, StorageAllocation};
    use crate::engine::test_support::{NOV_2026, Pricing, customer_total, exclusion_rows};
    use rust_decimal::dec;

    const DEC_2026: BillingMonth = BillingMonth {
        year: 2026,
        month: 12,
    };
    const FEB_2026: BillingMonth = BillingMonth {
        year: 2026,
        month: 2,
    };

    fn constant(gb: Decimal) -> StorageUsage {
        StorageUsage::Constant { gb }
    }

    fn storage(db: Decimal, file: Decimal, log: Decimal) -> Storage {
        Storage {
            database: constant(db),
            file: constant(file),
            log: constant(log),
            allocated: StorageAllocation::default(),
        }
    }

    fn env_with(storage: Storage) -> Environment {
        let mut env = Environment::new_payg("Production");
        env.storage = storage;
        env
    }

    fn run_with(
        env: &Environment,
        book: PriceBookId,
        month: BillingMonth,
        options: &RuleOptions,
        customer_billed: bool,
    ) -> Ledger {
        let pricing = Pricing {
            book,
            month,
            options: options.clone(),
            customer_billed,
            ..Pricing::default()
        };
        pricing.ledger(price, env)
    }

    fn run(
        env: &Environment,
        book: PriceBookId,
        month: BillingMonth,
        options: &RuleOptions,
    ) -> Ledger {
        run_with(env, book, month, options, true)
    }

    fn amount_of(ledger: &Ledger, item: &str) -> Decimal {
        ledger
            .lines
            .iter()
            .filter(|l| l.item == item)
            .map(|l| l.amount)
            .sum()
    }

    fn options(measurement: DataverseMeasurement, allocation: AllocationMode) -> RuleOptions {
        RuleOptions {
            dataverse_measurement: measurement,
            dataverse_allocation: allocation,
            ..RuleOptions::default()
        }
    }

    fn every_book_and_mode() -> Vec<(PriceBookId, RuleOptions)> {
        let mut out = Vec::new();
        for book in PriceBookId::ALL {
            for m in [
                DataverseMeasurement::Snapshots,
                DataverseMeasurement::MonthlyAverage,
            ] {
                out.push((book, options(m, AllocationMode::Replace)));
            }
        }
        out
    }

    #[test]
    fn tc_dv_1_2_3_doc_table_in_a_30_day_month() {
        let cases = [
            (storage(dec!(1.5), dec!(3), dec!(0)), dec!(28.80)),
            (storage(dec!(2.5), dec!(6), dec!(0.2)), dec!(86.40)),
            (storage(dec!(3.5), dec!(11), dec!(0.4)), dec!(148.80)),
        ];
        for (book, opts) in every_book_and_mode() {
            for (s, expected) in &cases {
                let ledger = run(&env_with(s.clone()), book, NOV_2026, &opts);
                assert_eq!(
                    customer_total(&ledger),
                    *expected,
                    "{book:?} {:?}",
                    opts.dataverse_measurement
                );
            }
        }
    }

    #[test]
    fn tc_dv_2_lines_per_category() {
        let ledger = run(
            &env_with(storage(dec!(2.5), dec!(6), dec!(0.2))),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(amount_of(&ledger, "Database storage"), dec!(72.00));
        assert_eq!(amount_of(&ledger, "File storage"), dec!(12.00));
        assert_eq!(amount_of(&ledger, "Log storage"), dec!(2.40));
        let db = ledger
            .lines
            .iter()
            .find(|l| l.item == "Database storage")
            .expect("db line");
        assert_eq!(db.quantity, dec!(1.5));
        assert_eq!(db.unit, "GB-month");
        assert_eq!(db.rule, "DV-5");
    }

    #[test]
    fn explanation_shows_the_snapshot_arithmetic() {
        let ledger = run(
            &env_with(storage(dec!(1.5), dec!(0), dec!(0))),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        let line = ledger.lines.first().expect("one line");
        assert_eq!(
            line.explanation,
            "Database storage 1.5 GB used, 1 GB free (DV-2): 0.5 GB over at 90 snapshots × $48.00/90 = \
             $24.00 (a 30-day month bills 30/30 of the monthly rate, DV-7)."
        );
    }

    #[test]
    fn dv1_rates_per_category() {
        // 1 GB over in each category for a whole 30-day month bills exactly the monthly rate.
        let ledger = run(
            &env_with(storage(dec!(2), dec!(2), dec!(1))),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(amount_of(&ledger, "Database storage"), dec!(48.00));
        assert_eq!(amount_of(&ledger, "File storage"), dec!(2.40));
        assert_eq!(amount_of(&ledger, "Log storage"), dec!(12.00));
    }

    #[test]
    fn dv2_seed_frees_1_gb_database_and_file_but_no_log() {
        let ledger = run(
            &env_with(storage(dec!(1), dec!(0.5), dec!(0.1))),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(amount_of(&ledger, "Database storage"), dec!(0));
        assert_eq!(amount_of(&ledger, "File storage"), dec!(0));
        assert_eq!(amount_of(&ledger, "Log storage"), dec!(1.20));
        assert_eq!(
            exclusion_rows(&ledger),
            vec![
                ("Database storage", dec!(1), "DV-2"),
                ("File storage", dec!(0.5), "DV-2")
            ]
        );
    }

    #[test]
    fn dv2_seed_ignores_allocation_with_a_note() {
        let mut s = storage(dec!(3), dec!(0), dec!(0));
        s.allocated.database = dec!(5);
        let ledger = run(
            &env_with(s),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(customer_total(&ledger), dec!(96.00));
        assert!(ledger.notes.iter().any(|n| n.rule == "DV-3"));
    }

    #[test]
    fn dv3_allocation_replaces_free_gb_in_2025_book() {
        let mut s = storage(dec!(3), dec!(3), dec!(1));
        s.allocated = StorageAllocation {
            database: dec!(2),
            file: dec!(0),
            log: dec!(0.5),
        };
        let ledger = run(
            &env_with(s),
            PriceBookId::Newest2025,
            NOV_2026,
            &RuleOptions::default(),
        );
        // DB 3 − 2 allocated; file 3 − 1 free; log 1 − 0.5 allocated.
        assert_eq!(amount_of(&ledger, "Database storage"), dec!(48.00));
        assert_eq!(amount_of(&ledger, "File storage"), dec!(4.80));
        assert_eq!(amount_of(&ledger, "Log storage"), dec!(6.00));
        assert!(ledger.notes.iter().any(|n| n.rule == "INC-8"));
        let db = ledger
            .lines
            .iter()
            .find(|l| l.item == "Database storage")
            .expect("db line");
        assert_eq!(db.rule, "DV-6");
        assert!(
            db.explanation.contains("2 GB allocated (DV-3, AMB-10)"),
            "{}",
            db.explanation
        );
    }

    #[test]
    fn amb10_replace_lets_a_small_allocation_lower_the_threshold() {
        let mut s = storage(dec!(1), dec!(0), dec!(0));
        s.allocated.database = dec!(0.5);
        let ledger = run(
            &env_with(s),
            PriceBookId::Newest2025,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(customer_total(&ledger), dec!(24.00));
    }

    #[test]
    fn amb10_max_mode_keeps_at_least_1_gb() {
        let mut s = storage(dec!(1), dec!(4), dec!(0));
        s.allocated.database = dec!(0.5);
        s.allocated.file = dec!(3);
        let opts = options(DataverseMeasurement::Snapshots, AllocationMode::Max);
        let ledger = run(&env_with(s), PriceBookId::Newest2025, NOV_2026, &opts);
        assert_eq!(amount_of(&ledger, "Database storage"), dec!(0));
        assert_eq!(amount_of(&ledger, "File storage"), dec!(2.40));
    }

    #[test]
    fn amb10_add_mode_adds_1_gb_to_the_allocation() {
        let mut s = storage(dec!(4), dec!(0), dec!(1));
        s.allocated.database = dec!(2);
        s.allocated.log = dec!(0.5);
        let opts = options(DataverseMeasurement::Snapshots, AllocationMode::Add);
        let ledger = run(&env_with(s), PriceBookId::Newest2025, NOV_2026, &opts);
        // DB 4 − (1 + 2); log gets no free GB, only its allocation.
        assert_eq!(amount_of(&ledger, "Database storage"), dec!(48.00));
        assert_eq!(amount_of(&ledger, "Log storage"), dec!(6.00));
    }

    #[test]
    fn dv4_categories_do_not_offset_each_other() {
        // File is well under its free GB; database is over. The unused file GB do not help.
        let ledger = run(
            &env_with(storage(dec!(2), dec!(0), dec!(0))),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(customer_total(&ledger), dec!(48.00));
    }

    #[test]
    fn dv5_seed_takes_3_snapshots_a_day_at_one_ninetieth() {
        // Usage rises to 2 GB from day 16: 15 days × 3 snapshots over by 1 GB = 45 × $48/90.
        let s = Storage {
            database: StorageUsage::Series {
                points: vec![
                    StoragePoint {
                        day: 1,
                        gb: dec!(1),
                    },
                    StoragePoint {
                        day: 16,
                        gb: dec!(2),
                    },
                ],
            },
            ..Storage::default()
        };
        let ledger = run(
            &env_with(s),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(customer_total(&ledger), dec!(24.00));
        let line = ledger.lines.first().expect("line");
        assert_eq!(line.rule, "DV-5");
        assert_eq!(line.quantity, dec!(0.5));
        assert!(
            line.explanation.contains(
                "45 GB over summed across the 90 snapshots of a 30-day month × $48.00/90"
            )
        );
    }

    #[test]
    fn dv6_2025_takes_1_snapshot_a_day_at_one_thirtieth() {
        let s = Storage {
            database: StorageUsage::Series {
                points: vec![
                    StoragePoint {
                        day: 1,
                        gb: dec!(1),
                    },
                    StoragePoint {
                        day: 16,
                        gb: dec!(2),
                    },
                ],
            },
            ..Storage::default()
        };
        let ledger = run(
            &env_with(s),
            PriceBookId::Newest2025,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert_eq!(customer_total(&ledger), dec!(24.00));
        let line = ledger.lines.first().expect("line");
        assert_eq!(line.rule, "DV-6");
        assert!(
            line.explanation.contains(
                "15 GB over summed across the 30 snapshots of a 30-day month × $48.00/30"
            )
        );
        assert!(ledger.notes.iter().any(|n| n.rule == "INC-7"));
    }

    #[test]
    fn dv7_month_length_scales_constant_usage_in_snapshot_mode() {
        let s = storage(dec!(1.5), dec!(3), dec!(0));
        for book in PriceBookId::ALL {
            let ledger = run(
                &env_with(s.clone()),
                book,
                DEC_2026,
                &RuleOptions::default(),
            );
            // 31/30 of $28.80: $24.80 + $4.96.
            assert_eq!(customer_total(&ledger), dec!(29.76), "{book:?}");
            let db = ledger
                .lines
                .iter()
                .find(|l| l.item == "Database storage")
                .expect("db");
            assert!(
                db.explanation.contains("31-day month bills 31/30"),
                "{}",
                db.explanation
            );
            let ledger = run(
                &env_with(s.clone()),
                book,
                FEB_2026,
                &RuleOptions::default(),
            );
            // 28/30 of $24.00 = $22.40; 28/30 of $4.80 = $4.48.
            assert_eq!(customer_total(&ledger), dec!(26.88), "{book:?}");
        }
    }

    #[test]
    fn amb11_monthly_average_ignores_month_length() {
        let s = storage(dec!(1.5), dec!(3), dec!(0));
        let opts = options(
            DataverseMeasurement::MonthlyAverage,
            AllocationMode::Replace,
        );
        for book in PriceBookId::ALL {
            for month in [FEB_2026, NOV_2026, DEC_2026] {
                let ledger = run(&env_with(s.clone()), book, month, &opts);
                assert_eq!(customer_total(&ledger), dec!(28.80), "{book:?} {month}");
                assert!(ledger.lines.iter().all(|l| l.rule == "AMB-11"));
            }
        }
    }

    #[test]
    fn linear_growth_averages_the_snapshots() {
        // 1 → 3 GB evenly over 30 daily snapshots: overage 0 → 2, average 1 GB → $48.
        let s = Storage {
            database: StorageUsage::Linear {
                start_gb: dec!(1),
                end_gb: dec!(3),
            },
            ..Storage::default()
        };
        for opts in [
            RuleOptions::default(),
            options(
                DataverseMeasurement::MonthlyAverage,
                AllocationMode::Replace,
            ),
        ] {
            let ledger = run(
                &env_with(s.clone()),
                PriceBookId::Newest2025,
                NOV_2026,
                &opts,
            );
            assert_eq!(customer_total(&ledger), dec!(48.00));
        }
    }

    #[test]
    fn linear_growth_clips_snapshots_below_the_threshold() {
        // 0 → 2 GB over 30 snapshots: used_i = 2i/29; overage only above 1 GB.
        let s = Storage {
            database: StorageUsage::Linear {
                start_gb: dec!(0),
                end_gb: dec!(2),
            },
            ..Storage::default()
        };
        let ledger = run(
            &env_with(s),
            PriceBookId::Newest2025,
            NOV_2026,
            &RuleOptions::default(),
        );
        // i = 15..=29: Σ (2i/29 − 1) = (2 × 330 − 29 × 15)/29 = 225/29 GB-snapshots.
        let expected = money::round_cents(dec!(225) * dec!(48) / (dec!(29) * dec!(30)));
        assert_eq!(customer_total(&ledger), expected);
        assert_eq!(expected, dec!(12.41));
    }

    #[test]
    fn series_holds_readings_and_uses_the_first_before_it_starts() {
        // First reading on day 11 (3 GB) also applies to days 1–10; 2 GB from day 21.
        let s = Storage {
            database: StorageUsage::Series {
                points: vec![
                    StoragePoint {
                        day: 21,
                        gb: dec!(2),
                    },
                    StoragePoint {
                        day: 11,
                        gb: dec!(3),
                    },
                ],
            },
            ..Storage::default()
        };
        let ledger = run(
            &env_with(s),
            PriceBookId::Newest2025,
            NOV_2026,
            &RuleOptions::default(),
        );
        // 20 days × 2 GB over + 10 days × 1 GB over = 50 GB-days × $48/30 = $80.
        assert_eq!(customer_total(&ledger), dec!(80.00));
    }

    #[test]
    fn series_order_and_duplicates_do_not_change_the_price() {
        let points = vec![
            StoragePoint {
                day: 5,
                gb: dec!(2),
            },
            StoragePoint {
                day: 5,
                gb: dec!(4),
            },
            StoragePoint {
                day: 1,
                gb: dec!(1),
            },
            StoragePoint {
                day: 40,
                gb: dec!(9),
            },
        ];
        let mut reversed = points.clone();
        reversed.reverse();
        let price_of = |points: Vec<StoragePoint>| {
            let s = Storage {
                database: StorageUsage::Series { points },
                ..Storage::default()
            };
            customer_total(&run(
                &env_with(s),
                PriceBookId::Seed2023,
                NOV_2026,
                &RuleOptions::default(),
            ))
        };
        assert_eq!(price_of(points), price_of(reversed));
    }

    #[test]
    fn empty_series_is_no_usage() {
        let s = Storage {
            database: StorageUsage::Series { points: Vec::new() },
            ..Storage::default()
        };
        let ledger = run(
            &env_with(s),
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
        );
        assert!(ledger.lines.is_empty() && ledger.exclusions.is_empty() && ledger.notes.is_empty());
    }

    #[test]
    fn not_billed_environment_records_one_exclusion_per_category_with_usage() {
        let mut env = env_with(storage(dec!(2.5), dec!(0), dec!(0.2)));
        env.payg = false;
        let ledger = run_with(
            &env,
            PriceBookId::Seed2023,
            NOV_2026,
            &RuleOptions::default(),
            false,
        );
        assert!(ledger.lines.is_empty());
        assert_eq!(
            exclusion_rows(&ledger),
            vec![
                ("Database storage", dec!(2.5), "G-1"),
                ("Log storage", dec!(0.2), "G-1")
            ]
        );
    }

    #[test]
    fn repeating_quantities_are_shown_to_four_decimals() {
        // 0 → 2 GB linear: 225/29 GB-snapshots / 30 = 0.2586… GB-month.
        let s = Storage {
            database: StorageUsage::Linear {
                start_gb: dec!(0),
                end_gb: dec!(2),
            },
            ..Storage::default()
        };
        let ledger = run(
            &env_with(s),
            PriceBookId::Newest2025,
            NOV_2026,
            &RuleOptions::default(),
        );
        let line = ledger.lines.first().expect("line");
        assert_eq!(line.quantity, dec!(0.2586));
        assert!(
            line.explanation.contains("about 7.7586 GB over"),
            "{}",
            line.explanation
        );
    }

    #[test]
    fn huge_usage_is_an_overflow_not_a_panic() {
        let env = env_with(storage(Decimal::MAX, dec!(0), dec!(0)));
        assert_eq!(Pricing::default().price(price, &env).err(), Some(Overflow));
    }

    #[test]
    fn engine_total_of_tc_dv_3_in_the_2025_book() {
        let mut scenario = crate::engine::Scenario::new_empty();
        scenario.price_book = PriceBookId::Newest2025;
        scenario.environments[0].storage = storage(dec!(3.5), dec!(11), dec!(0.4));
        let breakdown = crate::engine::price(&scenario).expect("priced");
        assert_eq!(breakdown.total_billed, dec!(148.80));
    }
}
