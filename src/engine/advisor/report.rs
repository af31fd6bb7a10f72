//! The advice as text, as `power-payg advise` prints it.

use super::*;

use std::fmt::Write as _;

use rust_decimal::RoundingStrategy;

/// A readable report of the advice (and the projection, if given), as `power-payg advise`
/// prints it.
pub fn to_text(advice: &Advice, projection: Option<&Projection>) -> String {
    let mut out = String::new();
    let h = advice.inputs.horizon();
    let _ = writeln!(
        out,
        "Prepaid or pay-as-you-go, from {} ({} book), {}",
        advice.month,
        advice.price_book.key(),
        if h == 1 {
            "for one month".to_string()
        } else {
            format!("over {h} months")
        }
    );
    if advice.recommendations.is_empty() {
        let _ = writeln!(
            out,
            "\nNothing to advise on: no pay-as-you-go meter bills this scenario."
        );
    }
    for r in &advice.recommendations {
        let _ = writeln!(
            out,
            "\n{} · {} ({})",
            r.environment_name,
            r.subject,
            match r.kind {
                SubjectKind::Flow => "flow",
                SubjectKind::Apps => "apps",
                SubjectKind::Dataverse => "Dataverse",
                SubjectKind::Requests => "requests",
                SubjectKind::Credits => "Copilot Credits",
            }
        );
        let _ = writeln!(out, "  {}", r.usage);
        let width = r
            .alternatives
            .iter()
            .map(|a| a.name.chars().count())
            .max()
            .unwrap_or(0);
        for (i, a) in r.alternatives.iter().enumerate() {
            let mark = if i == r.recommended {
                "  ← recommended"
            } else {
                ""
            };
            let pad = width.saturating_sub(a.name.chars().count());
            let _ = writeln!(
                out,
                "  {}{} {:>12}   {}{mark}",
                a.name,
                " ".repeat(pad),
                usd(a.cost),
                a.arithmetic
            );
        }
        let _ = writeln!(out, "  Why: {}", r.reason);
        for be in &r.break_evens {
            let _ = writeln!(out, "  Break-even: {}", be.sentence);
        }
        for a in &r.alternatives {
            if a.choice != Choice::PayAsYouGo {
                let _ = writeln!(out, "  · {}", a.covers);
            }
            if let Some(c) = &a.caveat {
                let _ = writeln!(out, "  Caveat ({}): {c}", a.choice.label());
            }
        }
    }
    let _ = writeln!(
        out,
        "\nTotal {}: pay-as-you-go {}, recommended mix {}.",
        period(h),
        usd(advice.total_payg),
        usd(advice.total_recommended)
    );
    if let Some(p) = projection {
        let growth = match &p.growth {
            Growth::Flat => "flat usage".to_string(),
            Growth::MonthlyPercent(x) => format!(
                "usage {}{}% a month",
                if x.is_sign_negative() { "" } else { "+" },
                qty(*x)
            ),
            Growth::Seasonal(_) => "a seasonal profile".to_string(),
        };
        let _ = writeln!(
            out,
            "\nProjection, {} months, {growth} (each month priced alone, with its real length):",
            p.months.len()
        );
        let _ = writeln!(
            out,
            "  {:<8} {:>4} {:>8} {:>14} {:>14}",
            "month", "days", "usage", "pay-as-you-go", "recommended"
        );
        for m in &p.months {
            let _ = writeln!(
                out,
                "  {:<8} {:>4} {:>8} {:>14} {:>14}",
                m.month.to_string(),
                m.days,
                format!(
                    "× {}",
                    qty(m
                        .factor
                        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero))
                ),
                usd(m.payg),
                usd(m.recommended)
            );
        }
        for y in &p.years {
            let _ = writeln!(
                out,
                "  Year {} ({} to {}): pay-as-you-go {}, recommended mix {}.",
                y.year,
                y.first,
                y.last,
                usd(y.payg),
                usd(y.recommended)
            );
        }
        for c in &p.choices {
            let _ = writeln!(
                out,
                "  {} · {}: {} ({} against {} pay-as-you-go).",
                c.environment_name,
                c.subject,
                c.option,
                usd(c.cost),
                usd(c.payg)
            );
        }
    }
    if !advice.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for n in &advice.notes {
            let _ = writeln!(out, "  {}: {}", n.rule, n.text);
        }
    }
    out
}
