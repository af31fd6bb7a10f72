//! The trend of several imported months, for the advisor's projection (issue 14, "Forecast").
//!
//! Each month's usage is rebuilt as a scenario, like the month that is built; its **usage
//! value** is every quantity the projection scales ([`crate::engine::advisor::scale_usage`])
//! at one book's list prices: app users, flow runs by mode, Dataverse GB in use, requests,
//! Power Pages users, agent messages, Cloud PC hours. The growth is a least-squares fit of
//! the logarithm of those values against the month: `ln v = a + b·t`, growth `eᵇ − 1` a month.
//!
//! Why these choices (`docs/import.md`, "Forecast"):
//! - **A single rate, from usage, not from the bill.** The projection multiplies the usage by
//!   `(1 + g)ⁿ` and lets the engine apply the free capacity, daily caps and entitlements again;
//!   a rate fitted to the bill would count that leverage twice.
//! - **Valued at fixed list prices**, because the meters' units differ (a run, a user, a GB): a
//!   unit weighs what it costs, so a thousand requests (4 cents) do not outweigh an app user
//!   ($10), and one book for every month, so a price change is not growth.
//! - **Log-linear**, because the projection compounds: with two months the rate is exactly
//!   their ratio less one, and with more it is the geometric rate that fits best; a linear fit
//!   would give a different rate depending on which month it is measured from.
//! - **Whole months only**: an export of the last 30 days starts and ends mid-month, and a
//!   half month would read as a fall or a jump. A month whose rows start after its 3rd day or
//!   end before its third-last is left out of the fit and shown as partial.
//!
//! The logarithm and exponential are computed in `Decimal` (series below), so the rate is the
//! same natively and in the browser, and no float enters the arithmetic.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::engine::money::{self, Overflow};
use crate::engine::scenario::*;
use crate::engine::{BillingMonth, PriceBook, PriceBookId, PriceKey, RunMode};

/// One imported month, as the trend sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrendMonth {
    pub month: BillingMonth,
    /// The first and last day of the month with a row (any file).
    pub first_day: u8,
    pub last_day: u8,
    /// The usage at the trend's book's list prices (see the module's documentation).
    pub usage_value: Decimal,
    /// What the engine bills for the month's rebuilt scenario (`None`: it could not be priced).
    pub billed: Option<Decimal>,
    /// Why the month is not in the fit (`None`: it is).
    pub left_out: Option<String>,
}

/// The growth the imported months show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trend {
    /// Every month with rows, first to last.
    pub months: Vec<TrendMonth>,
    /// The book whose list prices value the usage.
    pub book: PriceBookId,
    /// The growth a month, in percent rounded to a tenth (`None` when fewer than two whole
    /// months with usage remain: `reason` says why).
    pub percent: Option<Decimal>,
    /// The first and last month of the fit.
    pub from: Option<BillingMonth>,
    pub to: Option<BillingMonth>,
    pub reason: Option<String>,
}

impl Trend {
    /// Fits the months (each: month, days with rows, usage value, bill).
    pub fn fit(mut months: Vec<TrendMonth>, book: PriceBookId) -> Trend {
        months.sort_by_key(|m| m.month);
        for m in &mut months {
            let last = u8::try_from(m.month.days()).unwrap_or(31);
            if m.left_out.is_none() && (m.first_day > 3 || m.last_day < last.saturating_sub(2)) {
                m.left_out = Some(format!(
                    "partial: rows from day {} to {} of {}",
                    m.first_day, m.last_day, last
                ));
            } else if m.left_out.is_none() && m.usage_value <= Decimal::ZERO {
                m.left_out = Some("no priced usage".to_string());
            }
        }
        let points: Vec<(i64, Decimal)> = months
            .iter()
            .filter(|m| m.left_out.is_none())
            .map(|m| (month_number(m.month), m.usage_value))
            .collect();
        let fitted: Vec<BillingMonth> = months
            .iter()
            .filter(|m| m.left_out.is_none())
            .map(|m| m.month)
            .collect();
        let (percent, reason) = if points.len() < 2 {
            (
                None,
                Some(format!(
                    "a trend needs two whole months with usage; the files have {}",
                    points.len()
                )),
            )
        } else {
            match growth_percent(&points) {
                Ok(p) => (Some(p), None),
                Err(Overflow) => (None, Some("the usage is too large to fit".to_string())),
            }
        };
        Trend {
            from: fitted.first().copied().filter(|_| percent.is_some()),
            to: fitted.last().copied().filter(|_| percent.is_some()),
            months,
            book,
            percent,
            reason,
        }
    }
}

/// Months counted from year 0, so that a gap between two months is kept in the fit.
fn month_number(m: BillingMonth) -> i64 {
    i64::from(m.year) * 12 + i64::from(m.month)
}

/// The least-squares growth a month, in percent rounded half away from zero to a tenth, of
/// `ln v` against `t` (at least two points, values above zero).
pub fn growth_percent(points: &[(i64, Decimal)]) -> Result<Decimal, Overflow> {
    let n = Decimal::from(points.len());
    let logs: Vec<(Decimal, Decimal)> = points
        .iter()
        .map(|(t, v)| Ok((Decimal::from(*t), ln(*v)?)))
        .collect::<Result<_, Overflow>>()?;
    let mean = |f: fn(&(Decimal, Decimal)) -> Decimal| -> Result<Decimal, Overflow> {
        let sum = logs
            .iter()
            .try_fold(Decimal::ZERO, |acc, p| money::add(acc, f(p)))?;
        money::div(sum, n)
    };
    let t_mean = mean(|p| p.0)?;
    let y_mean = mean(|p| p.1)?;
    let (mut sxy, mut sxx) = (Decimal::ZERO, Decimal::ZERO);
    for (t, y) in &logs {
        let dt = t.checked_sub(t_mean).ok_or(Overflow)?;
        let dy = y.checked_sub(y_mean).ok_or(Overflow)?;
        sxy = money::add(sxy, money::mul(dt, dy)?)?;
        sxx = money::add(sxx, money::mul(dt, dt)?)?;
    }
    if sxx.is_zero() {
        return Err(Overflow);
    }
    let slope = money::div(sxy, sxx)?;
    let rate = exp(slope)?.checked_sub(Decimal::ONE).ok_or(Overflow)?;
    Ok(money::mul(rate, Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize())
}

/// ln 2 to 28 digits.
const LN_2: Decimal = rust_decimal::dec!(0.6931471805599453094172321215);

/// The natural logarithm of `x > 0`: `x = m·2ᵏ` with `1 ≤ m < 2`, then
/// `ln m = 2·atanh((m − 1)/(m + 1))`, whose series converges fast (the ratio is below ⅓).
pub fn ln(x: Decimal) -> Result<Decimal, Overflow> {
    if x <= Decimal::ZERO {
        return Err(Overflow);
    }
    let two = Decimal::TWO;
    let (mut m, mut k) = (x, 0i64);
    while m >= two {
        m = money::div(m, two)?;
        k += 1;
    }
    while m < Decimal::ONE {
        m = money::mul(m, two)?;
        k -= 1;
    }
    let z = money::div(m - Decimal::ONE, m + Decimal::ONE)?;
    let z2 = money::mul(z, z)?;
    let (mut term, mut sum) = (z, Decimal::ZERO);
    let mut odd = Decimal::ONE;
    // (⅓)²ⁿ: 30 terms are far below the 28 digits a Decimal holds.
    for _ in 0..30 {
        sum = money::add(sum, money::div(term, odd)?)?;
        term = money::mul(term, z2)?;
        odd = money::add(odd, two)?;
    }
    money::add(money::mul(sum, two)?, money::mul(LN_2, Decimal::from(k))?)
}

/// `eˣ` for `|x| ≤ 20` (a growth beyond e²⁰ a month is refused): `e^(x/2⁸)` by its series,
/// then squared eight times, so the series has a small argument.
pub fn exp(x: Decimal) -> Result<Decimal, Overflow> {
    if x.abs() > Decimal::from(20) {
        return Err(Overflow);
    }
    let small = money::div(x, Decimal::from(256))?;
    let (mut term, mut sum) = (Decimal::ONE, Decimal::ONE);
    for n in 1..=20u32 {
        term = money::div(money::mul(term, small)?, Decimal::from(n))?;
        sum = money::add(sum, term)?;
    }
    for _ in 0..8 {
        sum = money::mul(sum, sum)?;
    }
    Ok(sum)
}

/// The usage of a scenario at the book's list prices: every quantity the projection scales
/// (`advisor::scale_usage`), a unit at its meter's price. Child flows are left out (free,
/// PA-5); requests count every member's, within the entitlement or not.
pub fn usage_value(scenario: &Scenario, book: &PriceBook) -> Result<Decimal, Overflow> {
    let mut total = Decimal::ZERO;
    let mut add = |key: PriceKey, quantity: Decimal| -> Result<(), Overflow> {
        total = money::add(total, money::mul(quantity, book.list_price(key))?)?;
        Ok(())
    };
    let count = money::count;
    for env in &scenario.environments {
        for app in &env.apps {
            let users = app
                .user_groups
                .iter()
                .fold(0u64, |n, g| n.saturating_add(g.users));
            let named = u64::try_from(app.opened_by.len()).unwrap_or(u64::MAX);
            add(
                PriceKey::PowerAppsPerAppUser,
                count(users.saturating_add(named)),
            )?;
        }
        for flow in env.flows.iter().filter(|f| !f.child_flow) {
            let key = match flow.mode {
                RunMode::Cloud => PriceKey::FlowRunCloud,
                RunMode::Attended => PriceKey::FlowRunAttended,
                RunMode::Unattended => PriceKey::FlowRunUnattended,
                RunMode::Hosted => PriceKey::FlowRunHosted,
            };
            let runs = flow
                .daily_runs
                .iter()
                .map(|d| d.runs)
                .chain(flow.runs.iter().map(|g| g.runs))
                .fold(0u64, u64::saturating_add);
            add(key, count(runs))?;
        }
        for w in &env.websites {
            let users = w
                .authenticated
                .iter()
                .fold(0u64, |n, g| n.saturating_add(g.users));
            add(PriceKey::PagesAuthenticatedUser, count(users))?;
            add(PriceKey::PagesAnonymousUser, count(w.anonymous_visitors))?;
        }
        for (usage, key) in [
            (&env.storage.database, PriceKey::DataverseDatabaseGb),
            (&env.storage.file, PriceKey::DataverseFileGb),
            (&env.storage.log, PriceKey::DataverseLogGb),
        ] {
            add(key, mean_gb(usage)?)?;
        }
        for r in &env.requests {
            let members = match &r.entity {
                RequestEntity::Users { users, .. } => *users,
                RequestEntity::PerAppMeterUsers { users, apps } => {
                    users.saturating_mul(u64::from(*apps))
                }
                RequestEntity::Flow { .. } | RequestEntity::NonLicensed { .. } => 1,
            };
            let per_member = r.daily_requests.iter().map(|d| d.requests).fold(
                r.requests_per_day.saturating_mul(u64::from(r.days)),
                u64::saturating_add,
            );
            add(
                PriceKey::PlatformRequest,
                money::mul(count(per_member), count(members))?,
            )?;
        }
        let c = &env.copilot_studio;
        add(
            PriceKey::CopilotStudioMessage,
            count(c.messages.saturating_add(c.m365_licensed_messages)),
        )?;
        add(
            PriceKey::Windows365AgentHour,
            count(env.copilot_credits.cloud_pc_hours),
        )?;
    }
    Ok(total)
}

/// The GB in use on an average reading (a series' points weigh alike: the importer writes one
/// a day).
fn mean_gb(usage: &StorageUsage) -> Result<Decimal, Overflow> {
    match usage {
        StorageUsage::Constant { gb } => Ok(*gb),
        StorageUsage::Linear { start_gb, end_gb } => {
            money::div(money::add(*start_gb, *end_gb)?, Decimal::TWO)
        }
        StorageUsage::Series { points } if points.is_empty() => Ok(Decimal::ZERO),
        StorageUsage::Series { points } => {
            let sum = points
                .iter()
                .try_fold(Decimal::ZERO, |acc, p| money::add(acc, p.gb))?;
            money::div(sum, Decimal::from(points.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::prelude::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn ln_and_exp_agree_with_known_values() {
        assert_eq!(LN_2.round_dp(12), d("0.693147180560"));
        assert_eq!(ln(Decimal::ONE), Ok(Decimal::ZERO));
        assert_eq!(ln(d("10")).map(|v| v.round_dp(12)), Ok(d("2.302585092994")));
        assert_eq!(
            ln(d("0.5")).map(|v| v.round_dp(12)),
            Ok(d("-0.693147180560"))
        );
        assert_eq!(
            exp(Decimal::ONE).map(|v| v.round_dp(12)),
            Ok(d("2.718281828459"))
        );
        assert_eq!(
            exp(d("-2")).map(|v| v.round_dp(12)),
            Ok(d("0.135335283237"))
        );
        assert_eq!(ln(Decimal::ZERO), Err(Overflow));
        assert_eq!(exp(d("21")), Err(Overflow));
        // Round trip over a wide range, as the fit uses them.
        for s in ["0.001", "1.05", "1234.5", "123456789.5"] {
            let x = d(s);
            let back = ln(x).and_then(exp).unwrap_or_default();
            let err = (back - x).abs() / x;
            assert!(err < d("0.000000001"), "{s}: {back}");
        }
    }

    #[test]
    fn two_months_grow_by_their_ratio_and_gaps_count() {
        assert_eq!(growth_percent(&[(1, d("100")), (2, d("110"))]), Ok(d("10")));
        assert_eq!(
            growth_percent(&[(1, d("110")), (2, d("100"))]),
            Ok(d("-9.1"))
        );
        // Two months apart: 21 % over two months is 10 % a month.
        assert_eq!(growth_percent(&[(1, d("100")), (3, d("121"))]), Ok(d("10")));
        // Exactly geometric: the fit finds the rate.
        let mut v = d("1000");
        let pts: Vec<(i64, Decimal)> = (0..6)
            .map(|i| {
                let p = (i, v);
                v *= d("1.05");
                p
            })
            .collect();
        assert_eq!(growth_percent(&pts), Ok(d("5")));
        assert_eq!(growth_percent(&[(1, d("1")), (1, d("2"))]), Err(Overflow));
    }

    fn month(m: u8, first: u8, last: u8, value: &str) -> TrendMonth {
        TrendMonth {
            month: BillingMonth {
                year: 2026,
                month: m,
            },
            first_day: first,
            last_day: last,
            usage_value: d(value),
            billed: None,
            left_out: None,
        }
    }

    #[test]
    fn partial_months_are_left_out_and_say_why() {
        let t = Trend::fit(
            vec![
                month(10, 1, 12, "50"),
                month(7, 16, 31, "60"),
                month(8, 1, 31, "100"),
                month(9, 3, 28, "120"),
            ],
            PriceBookId::for_month(BillingMonth {
                year: 2026,
                month: 9,
            }),
        );
        assert_eq!(t.percent, Some(d("20")));
        assert_eq!(t.from.map(|m| m.month), Some(8));
        assert_eq!(t.to.map(|m| m.month), Some(9));
        assert_eq!(t.months[0].month.month, 7);
        assert_eq!(
            t.months[0].left_out.as_deref(),
            Some("partial: rows from day 16 to 31 of 31")
        );
        assert!(t.months[3].left_out.is_some());

        let t = Trend::fit(
            vec![month(8, 1, 31, "100"), month(9, 1, 30, "0")],
            PriceBookId::for_month(BillingMonth {
                year: 2026,
                month: 9,
            }),
        );
        assert_eq!(t.percent, None);
        assert_eq!(t.from, None);
        assert!(t.reason.is_some_and(|r| r.contains("two whole months")));
    }
}
