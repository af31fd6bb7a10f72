//! Numbers and dates as the exports write them, read exactly (no floating point).

use rust_decimal::Decimal;

use crate::engine::BillingMonth;

/// A quantity or amount. `decimal_comma`: the file is `;`-separated (see
/// [`super::csv::CsvReader::decimal_comma`]), so `2,5` means two and a half and `.` or spaces
/// may group thousands (`1.234,5`). Without a comma such a file's `2.5` is still read with a
/// decimal point: scripts write `;` files with points too, and Excel writes no grouping
/// separators into a CSV. Scientific notation (`3.2E-05`, which Azure exports write for tiny
/// quantities) is read exactly. `None` for anything else, including empty text.
pub fn decimal(text: &str, decimal_comma: bool) -> Option<Decimal> {
    // Nearly every quantity in an export is plain digits with at most one point: built from
    // the digits directly, with no text pass beyond one.
    if let Some(d) = plain_decimal(text.as_bytes()) {
        return Some(d);
    }
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    // One pass to see what the text holds; the common case (digits and at most one point)
    // goes straight to the exact parser.
    let (mut points, mut commas, mut exponent, mut other) = (0, 0, false, false);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'0'..=b'9' => {}
            b'.' => points += 1,
            b',' => commas += 1,
            b'e' | b'E' => exponent = true,
            b'-' | b'+' if i == 0 => {}
            b'-' | b'+' if exponent => {}
            _ => other = true,
        }
    }
    let owned;
    let text = if decimal_comma && commas > 0 {
        owned = text
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect::<String>();
        if owned.matches('.').count() > 1
            || owned
                .chars()
                .any(|c| !(c.is_ascii_digit() || "+-.".contains(c)))
        {
            return None;
        }
        owned.as_str()
    } else {
        if other || commas > 0 || points > 1 {
            return None;
        }
        text
    };
    if exponent {
        // from_scientific wants a plain mantissa and exponent; the scan above allowed only
        // those characters.
        return Decimal::from_scientific(text).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || digits.starts_with('.') || digits.ends_with('.') && digits.len() == 1 {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

/// Digits with at most one point between digits, at most 18 digits (so the mantissa fits an
/// `i64`): the same value and scale as `Decimal::from_str_exact` gives (`4.50` keeps its two
/// places). `None` for anything else, which the general path reads.
fn plain_decimal(bytes: &[u8]) -> Option<Decimal> {
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale = None;
    let mut digits = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' if digits < 18 => {
                mantissa = mantissa * 10 + i64::from(b - b'0');
                digits += 1;
            }
            b'.' if scale.is_none() && i > 0 && i + 1 < bytes.len() => {
                scale = Some(bytes.len() - 1 - i);
            }
            _ => return None,
        }
    }
    // At most 18 digits: below 10^18, and a scale of at most 17.
    let scale = u32::try_from(scale.unwrap_or(0)).ok()?;
    Some(Decimal::new(mantissa, scale))
}

/// A whole count, from a decimal whose fraction is zero (`4`, `4.0`, `4,00`).
pub fn count(value: Decimal) -> Option<u64> {
    // The usual case, a whole number written without a point: its mantissa.
    if value.scale() == 0 {
        return u64::try_from(value.mantissa()).ok().or_else(|| {
            // Negative: only zero is a count.
            value.is_zero().then_some(0)
        });
    }
    if value.is_sign_negative() && !value.is_zero() {
        return None;
    }
    if value.fract() != Decimal::ZERO {
        return None;
    }
    u64::try_from(value.trunc()).ok()
}

/// A calendar day (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Day {
    pub fn billing_month(self) -> BillingMonth {
        BillingMonth {
            year: self.year,
            month: self.month,
        }
    }
}

/// The day of a date or date-time: ISO (`2026-09-03`, `2026-09-03T08:00:00Z`,
/// `2026-09-03 08:00`), or with slashes or dots (`09/30/2026`, `30.09.2026`). With slashes the
/// order is month first unless `day_first` (European files) or the first number is above 12;
/// dots are always day first. Times are ignored: every export writes UTC.
pub fn day(text: &str, day_first: bool) -> Option<Day> {
    // The exports' own form first (`2026-09-03…`), without splitting; tried before trimming
    // too: trimming could only shorten what follows the day, which is not read.
    if let Some(day) = iso_day(text) {
        return day;
    }
    let text = text.trim();
    if let Some(day) = iso_day(text) {
        return day;
    }
    let date = text
        .split(['T', ' '])
        .next()
        .unwrap_or(text)
        .trim_end_matches('Z');
    let mut parts = date.split(['-', '/', '.']);
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let num = |s: &str| -> Option<u32> {
        if s.is_empty() || s.len() > 4 || !s.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        let (first, second) = (num(a)?, num(b)?);
        let dotted = date.contains('.');
        if dotted || day_first || first > 12 {
            (num(c)?, second, first)
        } else {
            (num(c)?, first, second)
        }
    } else {
        return None;
    };
    checked_day(y, m, d)
}

/// `Some` when `text` is in the ISO form (`2026-09-03`, then nothing, `T…` or ` …`): the
/// day, or `None` inside when there is no such day.
fn iso_day(text: &str) -> Option<Option<Day>> {
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, rest @ ..] = text.as_bytes()
        && rest.first().is_none_or(|b| matches!(b, b'T' | b' '))
        && [y1, y2, y3, y4, m1, m2, d1, d2]
            .iter()
            .all(|b| b.is_ascii_digit())
    {
        let n = |bytes: &[&u8]| {
            bytes
                .iter()
                .fold(0u32, |acc, b| acc * 10 + u32::from(**b - b'0'))
        };
        return Some(checked_day(
            n(&[y1, y2, y3, y4]),
            n(&[m1, m2]),
            n(&[d1, d2]),
        ));
    }
    None
}

fn checked_day(y: u32, m: u32, d: u32) -> Option<Day> {
    let month = BillingMonth {
        year: u16::try_from(y).ok()?,
        month: u8::try_from(m).ok()?,
    };
    if !(1..=12).contains(&m) || !(1900..=9999).contains(&y) || d < 1 || d > month.days() {
        return None;
    }
    Some(Day {
        year: month.year,
        month: month.month,
        day: u8::try_from(d).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn decimals_with_points_commas_and_exponents() {
        assert_eq!(decimal("2.2", false), Some(dec!(2.2)));
        assert_eq!(decimal(" 15 ", false), Some(dec!(15)));
        assert_eq!(decimal("2,5", true), Some(dec!(2.5)));
        assert_eq!(decimal("1.234,56", true), Some(dec!(1234.56)));
        assert_eq!(decimal("1 234,5", true), Some(dec!(1234.5)));
        assert_eq!(decimal("2.5", true), Some(dec!(2.5)));
        assert_eq!(decimal("3.2E-05", false), Some(dec!(0.000032)));
        assert_eq!(decimal("-0.5", false), Some(dec!(-0.5)));
        assert_eq!(
            decimal("0.0333333333333333333333", false),
            Some(dec!(0.0333333333333333333333))
        );
        for bad in [
            "", "abc", "1,5", "1.2.3", ".", "-", "1e", "NaN", "inf", "1e99999", "١٢",
        ] {
            assert_eq!(decimal(bad, false), None, "{bad}");
        }
    }

    #[test]
    fn plain_decimals_are_read_as_the_exact_parser_reads_them() {
        for text in [
            "0",
            "00",
            "1",
            "15",
            "007",
            "4.50",
            "0.0",
            "0.0001",
            "123456789012345678",
            "12345678901234567.8",
            "1.00000000000000000",
            "999999999999999999",
        ] {
            let fast = plain_decimal(text.as_bytes());
            let exact = Decimal::from_str_exact(text).ok();
            assert_eq!(fast, exact, "{text}");
            assert_eq!(
                fast.map(|d| (d.mantissa(), d.scale())),
                exact.map(|d| (d.mantissa(), d.scale())),
                "{text}"
            );
            assert_eq!(decimal(text, false), exact, "{text}");
        }
        // Left to the general path: signs, spaces, commas, exponents, lone or trailing
        // points, more than 18 digits.
        for text in [
            "",
            "-1",
            "+1",
            " 1",
            "1 ",
            "1,5",
            "1e3",
            ".5",
            "5.",
            "1.2.3",
            "1234567890123456789",
            "9999999999999999999",
            "0.12345678901234567890",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text}");
        }
        assert_eq!(
            decimal("1234567890123456789", false),
            Some(dec!(1234567890123456789))
        );
        assert_eq!(decimal("-0", false).and_then(count), Some(0));
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_general_one(text in "[0-9.]{0,21}") {
            let exact = Decimal::from_str_exact(&text).ok();
            if let Some(fast) = plain_decimal(text.as_bytes()) {
                proptest::prop_assert_eq!(Some(fast), exact);
                proptest::prop_assert_eq!(
                    Some((fast.mantissa(), fast.scale())),
                    exact.map(|d| (d.mantissa(), d.scale()))
                );
            }
            if let Some(d) = decimal(&text, false) {
                let slow = count_general(d);
                proptest::prop_assert_eq!(count(d), slow);
            }
        }
    }

    /// [`count`] without its shortcut.
    fn count_general(value: Decimal) -> Option<u64> {
        if value.is_sign_negative() && !value.is_zero() {
            return None;
        }
        if value.fract() != Decimal::ZERO {
            return None;
        }
        u64::try_from(value.trunc()).ok()
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        assert_eq!(count(dec!(4.00)), Some(4));
        assert_eq!(count(dec!(0)), Some(0));
        assert_eq!(count(dec!(4.5)), None);
        assert_eq!(count(dec!(-1)), None);
        assert_eq!(count(dec!(-0)), Some(0));
        assert_eq!(count(dec!(-0.0)), Some(0));
        assert_eq!(count(dec!(18446744073709551616)), None);
        for value in [dec!(4.00), dec!(0), dec!(4.5), dec!(-1), dec!(7), dec!(-0)] {
            assert_eq!(count(value), count_general(value), "{value}");
        }
    }

    #[test]
    fn days_in_every_written_form() {
        let d = |y, m, dd| {
            Some(Day {
                year: y,
                month: m,
                day: dd,
            })
        };
        assert_eq!(day("2026-09-03T08:00:00Z", false), d(2026, 9, 3));
        assert_eq!(day("2026-09-03 08:00:00", false), d(2026, 9, 3));
        assert_eq!(day("2026-09-30", false), d(2026, 9, 30));
        assert_eq!(day("09/30/2026", false), d(2026, 9, 30));
        assert_eq!(day("30/09/2026", false), d(2026, 9, 30));
        assert_eq!(day("03/09/2026", true), d(2026, 9, 3));
        assert_eq!(day("03/09/2026", false), d(2026, 3, 9));
        assert_eq!(day("30.09.2026", false), d(2026, 9, 30));
        // Unicode spaces around the day, as a spreadsheet may leave them.
        assert_eq!(day("2026-09-03\u{a0}", false), d(2026, 9, 3));
        assert_eq!(day("\u{a0}2026-09-03T08:00Z", false), d(2026, 9, 3));
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "2026-09",
            "yesterday",
            "2026-09-3x",
        ] {
            assert_eq!(day(bad, false), None, "{bad}");
        }
    }
}
