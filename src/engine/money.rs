//! Money: `rust_decimal`, checked arithmetic, and the one rounding policy.
//!
//! Rounding policy (AMB-12): amounts are kept at full precision while a line is computed; each
//! charge line is rounded once, to cents, half away from zero; totals are sums of rounded lines.
//! Decimal operators panic on overflow, so every step here is checked and overflow becomes a
//! [`Overflow`] value that pricing reports instead of crashing the app.

use rust_decimal::{Decimal, RoundingStrategy};

/// An amount or quantity too large for exact decimal arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number is too large to price exactly")
    }
}

/// Rounds a line amount to cents, half away from zero (the only place money is rounded).
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `a × b`, checked.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// `a + b`, checked.
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}

/// `a − b`, checked.
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_sub(b).ok_or(Overflow)
}

/// `a ÷ b`, checked (division by zero is an overflow too).
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_div(b).ok_or(Overflow)
}

/// A count as a decimal. Every u64 fits in a Decimal's 96-bit mantissa.
pub fn count(n: u64) -> Decimal {
    Decimal::from(n)
}

/// Formats money for people: `$1,234.50` (always two decimals after rounding).
pub fn format_usd(amount: Decimal) -> String {
    let rounded = round_cents(amount);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    // `{:.2}` pads to two places; the value is already rounded so nothing is truncated.
    let plain = format!("{:.2}", rounded.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((plain.as_str(), "00"));
    format!("{}${}.{frac}", if negative { "-" } else { "" }, group(int))
}

/// Formats a plain two-decimal amount (`1234.50`) for JSON and CSV.
pub fn format_plain(amount: Decimal) -> String {
    format!("{:.2}", round_cents(amount))
}

/// Formats a quantity or unit price without trailing zeros (`0.6`, `1.5`, `110000`).
pub fn format_quantity(q: Decimal) -> String {
    let n = q.normalize();
    let s = n.to_string();
    // Group thousands of whole numbers for readability.
    match s.split_once('.') {
        Some((int, frac)) => format!("{}.{}", group(int), frac),
        None => group(&s),
    }
}

/// A quantity with its unit, the unit agreeing with the number: `1 run`, `1,000 runs`,
/// `0.5 GB-months` (every unit the meters use takes an `s`). Data (JSON, CSV) keeps the unit
/// in the singular; this is for sentences.
pub fn quantity_with_unit(q: Decimal, unit: &str) -> String {
    let s = if q == Decimal::ONE { "" } else { "s" };
    format!("{} {unit}{s}", format_quantity(q))
}

/// Formats a count for messages: `1,000,000`.
pub fn format_count(n: u64) -> String {
    group(&n.to_string())
}

/// Formats a unit price: at least two decimals, more when the price has them ($0.00004).
pub fn format_unit_price(p: Decimal) -> String {
    let n = p.normalize();
    if n.scale() <= 2 {
        format!("${:.2}", n)
    } else {
        format!("${n}")
    }
}

/// A whole number with a comma between thousands (`-1,234,567`): the one grouping every
/// amount, quantity and message uses.
fn group(int: &str) -> String {
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    out.push_str(sign);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_agree_with_their_numbers() {
        assert_eq!(quantity_with_unit(Decimal::ONE, "run"), "1 run");
        assert_eq!(quantity_with_unit(Decimal::from(1000), "run"), "1,000 runs");
        assert_eq!(quantity_with_unit(Decimal::ZERO, "user-app"), "0 user-apps");
        assert_eq!(
            quantity_with_unit(rust_decimal::dec!(0.5), "GB-month"),
            "0.5 GB-months"
        );
    }
    use rust_decimal::dec;

    #[test]
    fn rounds_half_away_from_zero_not_bankers() {
        assert_eq!(round_cents(dec!(0.125)), dec!(0.13));
        assert_eq!(round_cents(dec!(0.135)), dec!(0.14));
        assert_eq!(round_cents(dec!(-0.125)), dec!(-0.13));
    }

    #[test]
    fn formats_usd_with_grouping_and_cents() {
        assert_eq!(format_usd(dec!(90)), "$90.00");
        assert_eq!(format_usd(dec!(1234567.891)), "$1,234,567.89");
        assert_eq!(format_usd(dec!(0.004)), "$0.00");
        assert_eq!(format_plain(dec!(4.4)), "4.40");
    }

    #[test]
    fn formats_quantities_and_unit_prices() {
        assert_eq!(format_quantity(dec!(110000)), "110,000");
        assert_eq!(format_quantity(dec!(1.50)), "1.5");
        assert_eq!(format_unit_price(dec!(0.60)), "$0.60");
        assert_eq!(format_unit_price(dec!(0.00004)), "$0.00004");
    }

    #[test]
    fn overflow_is_a_value() {
        assert_eq!(mul(Decimal::MAX, dec!(2)), Err(Overflow));
        assert_eq!(div(dec!(1), Decimal::ZERO), Err(Overflow));
    }
}
