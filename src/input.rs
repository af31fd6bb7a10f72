//! Parsing what people type into the calculator's fields.
//!
//! Pure and host-tested: the UI keeps the raw text of every field and asks these functions
//! whether it is a valid value, showing the message next to the field when it is not. The
//! text itself is never rewritten, so typing "1." or "0,5" is not disturbed under the cursor.

use rust_decimal::Decimal;

/// The bounds the decoder holds files to: a value a field accepts always reopens.
pub use crate::engine::limits::{MAX_COUNT, MAX_GB, MAX_PRICE};
use crate::engine::money::format_count as group_u64;

/// Parses a whole number ≥ 0: users, runs, requests. Accepts thousands separators written
/// as commas, spaces or underscores in well-formed groups ("12,500"), never as decimals.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("enter a whole number (0 or more)".to_string());
    }
    if let Some(rest) = t.strip_prefix('-') {
        // "-0" is zero, not a negative number (a pasted spreadsheet value can read so).
        if !rest.is_empty() && rest.bytes().all(|b| b == b'0') {
            return Ok(0);
        }
        return Err(format!("must be 0 or more, got {t}"));
    }
    let digits = strip_grouping(t).ok_or_else(|| {
        if t.contains('.') || t.contains(',') {
            format!("must be a whole number, got {t}")
        } else {
            format!("must be a whole number (digits only), got {t}")
        }
    })?;
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("must be at most {}, got {t}", group_u64(MAX_COUNT)))?;
    if n > MAX_COUNT {
        return Err(format!("must be at most {}, got {t}", group_u64(MAX_COUNT)));
    }
    Ok(n)
}

/// Parses a whole number within `min..=max` (days of a month, licence counts).
pub fn parse_bounded(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let n = parse_count(text)?;
    if n < min || n > max {
        return Err(format!(
            "must be between {min} and {max}, got {}",
            text.trim()
        ));
    }
    Ok(n)
}

/// Parses a decimal ≥ 0 with a dot as the decimal separator (GB, prices), exactly.
pub fn parse_decimal(text: &str, max: u64, what: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("enter {what} (0 or more)"));
    }
    if let Some(rest) = t.strip_prefix('-') {
        if rest.contains('0')
            && rest.matches('.').count() <= 1
            && rest.bytes().all(|b| matches!(b, b'0' | b'.'))
        {
            return Ok(Decimal::ZERO);
        }
        return Err(format!("must be 0 or more, got {t}"));
    }
    if t.contains(',') && !t.contains('.') && t.matches(',').count() == 1 {
        return Err(format!(
            "use a dot as the decimal separator: {}",
            t.replace(',', ".")
        ));
    }
    let normalised = t.strip_suffix('.').unwrap_or(t);
    if normalised.is_empty() || !normalised.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!("must be a number like 1.5, got {t}"));
    }
    let d = Decimal::from_str_exact(normalised)
        .map_err(|_| format!("must be a number like 1.5 with at most 20 decimals, got {t}"))?;
    if d > Decimal::from(max) {
        return Err(format!("must be at most {}, got {t}", group_u64(max)));
    }
    Ok(d)
}

/// Removes well-formed thousands separators; `None` if the text is not a grouped integer.
fn strip_grouping(t: &str) -> Option<String> {
    if t.chars().all(|c| c.is_ascii_digit()) {
        return Some(t.to_string());
    }
    let sep = t.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, ',' | ' ' | '_' | '\u{a0}') {
        return None;
    }
    let groups: Vec<&str> = t.split(sep).collect();
    let first_ok = matches!(groups.first(), Some(g) if (1..=3).contains(&g.len()));
    let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
    let all_digits = groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
    (first_ok && rest_ok && all_digits).then(|| groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn counts() {
        assert_eq!(parse_count("120"), Ok(120));
        assert_eq!(parse_count(" 12,500 "), Ok(12_500));
        assert_eq!(parse_count("1 000 000"), Ok(1_000_000));
        assert_eq!(
            parse_count("-3"),
            Err("must be 0 or more, got -3".to_string())
        );
        assert!(parse_count("1.5").unwrap_err().contains("whole number"));
        assert!(parse_count("12,50").is_err());
        assert!(parse_count("").is_err());
        assert!(parse_count("abc").is_err());
        assert!(
            parse_count("99999999999999999999999")
                .unwrap_err()
                .contains("at most")
        );
    }

    #[test]
    fn decimals_keep_what_was_typed_meaningful() {
        assert_eq!(parse_decimal("1.", MAX_GB, "GB"), Ok(dec!(1)));
        assert_eq!(parse_decimal("0.5", MAX_GB, "GB"), Ok(dec!(0.5)));
        assert_eq!(
            parse_decimal("0,5", MAX_GB, "GB"),
            Err("use a dot as the decimal separator: 0.5".to_string())
        );
        assert!(parse_decimal("1e3", MAX_GB, "GB").is_err());
        assert!(parse_decimal("-1", MAX_GB, "GB").is_err());
        assert!(parse_decimal("2000000000", MAX_GB, "GB").is_err());
    }

    #[test]
    fn negative_zero_is_zero() {
        assert_eq!(parse_count("-0"), Ok(0));
        assert_eq!(parse_count(" -000 "), Ok(0));
        assert_eq!(parse_bounded("-0", 0, 31), Ok(0));
        assert_eq!(parse_decimal("-0", MAX_GB, "GB"), Ok(Decimal::ZERO));
        assert_eq!(parse_decimal("-0.00", MAX_GB, "GB"), Ok(Decimal::ZERO));
        assert_eq!(
            parse_count("-1"),
            Err("must be 0 or more, got -1".to_string())
        );
        assert_eq!(
            parse_decimal("-0.01", MAX_GB, "GB"),
            Err("must be 0 or more, got -0.01".to_string())
        );
        assert!(parse_count("-").is_err());
        assert!(parse_decimal("-.", MAX_GB, "GB").is_err());
    }

    #[test]
    fn bounded() {
        assert_eq!(parse_bounded("31", 1, 31), Ok(31));
        assert!(parse_bounded("32", 1, 31).is_err());
        assert!(parse_bounded("0", 1, 31).is_err());
    }
}
