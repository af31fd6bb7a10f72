//! Break-even points: where a prepaid option and pay-as-you-go, as two straight cost lines
//! in one usage measure, cost the same.

use super::*;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::super::money;

/// ⌊x⌋ as a whole count (0 below zero, saturating above u64).
pub(super) fn floor_u64(x: Decimal) -> u64 {
    if x <= Decimal::ZERO {
        return 0;
    }
    x.floor().to_u64().unwrap_or(u64::MAX)
}

/// The usage where `payg` and `prepaid` cost the same, if they cross at a positive usage.
/// `whole_units`: the sentence names the whole count (runs, users); else the exact figure to
/// two decimals (GB).
#[allow(clippy::too_many_arguments)]
pub(super) fn break_even(
    choice: Choice,
    option: &str,
    unit: &str,
    payg: CostLine,
    prepaid: CostLine,
    current: Option<Decimal>,
    whole_units: bool,
    arithmetic: String,
) -> Option<BreakEven> {
    let slope = payg.per_unit.checked_sub(prepaid.per_unit)?;
    if slope <= Decimal::ZERO {
        return None;
    }
    let exact = prepaid
        .fixed
        .checked_sub(payg.fixed)?
        .checked_div(slope)?
        .normalize();
    if exact < Decimal::ZERO {
        return None;
    }
    let whole = floor_u64(exact);
    let shown = if whole_units {
        qty(money::count(whole))
    } else {
        qty(exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    };
    let sentence = format!("{option} wins above {shown} {unit} {arithmetic}.").replace(" .", ".");
    Some(BreakEven {
        choice,
        option: option.to_string(),
        unit: unit.to_string(),
        payg,
        prepaid,
        exact,
        whole,
        current: current.map(|c| c.normalize()),
        sentence,
    })
}

impl BreakEven {
    pub(super) fn reworded(mut self, sentence: String) -> BreakEven {
        self.sentence = sentence;
        self
    }
}
