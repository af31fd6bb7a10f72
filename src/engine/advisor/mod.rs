//! Prepaid or pay-as-you-go? The advisor (spec 5.2 and 6.6, issue 6).
//!
//! For every flow, group of app users, Dataverse storage category and requests consumer of the
//! pay-as-you-go environments of a scenario, [`advise`] prices the pay-as-you-go meters and each
//! prepaid alternative side by side, recommends the cheapest with a one-sentence reason, and
//! gives the break-even points where two options cost the same ("Power Automate per user wins
//! above 25 premium cloud runs per user a month ($15.00 ÷ $0.60)").
//!
//! No billing rule is repeated here. Every pay-as-you-go figure, including what an item would
//! still pay under a licence, comes from the engine ([`super::price`]) run on a copy of the
//! scenario reduced to that one item, with the licence applied where it applies; whether a
//! licence covers runs or app opens at all is asked of [`Licence`] and [`FlowLicence`], the same
//! helpers the meters use. Only the prepaid side (licence count × price × months) is computed
//! here.
//!
//! Which licences are offered follows the price book's era (spec 5.2): the 2023-06 book offers
//! the licences its table prices (per user, per user with attended RPA, the unattended add-on,
//! per flow); the 2025-02 book offers their successors (Premium, Process, Hosted Process).
//!
//! The scenario describes one month, but the documentation's comparison (TC-CH-1..6) runs over
//! three months. [`AdvisorInputs::horizon_months`] says over how many months the scenario's flow
//! runs were counted; licences are then priced for that many months. The inputs also carry what
//! the scenario format does not say and only the advisor needs: how many people run an instant
//! flow, and how many bots an unattended flow needs at once. See `docs/advisor.md`.
//!
//! [`project`] prices the scenario month by month (real month lengths) under a growth profile,
//! and holds one recommended option per item for the whole projection, as licences are bought.

mod apps;
mod break_even;
mod credits;
mod evaluate;
mod flows;
mod inputs;
mod items;
mod projection;
mod report;
mod requests;
mod results;
mod storage;

use rust_decimal::Decimal;

use super::PricingError;
use super::breakdown::{Meter, Note};
use super::licence::{FlowLicence, Licence};
use super::money;
use super::scenario::*;

pub use super::advisor_inputs::{
    AdvisorInputs, DEFAULT_PROJECTION_MONTHS, FlowSizing, Growth, MAX_HORIZON_MONTHS,
};
pub use projection::{
    ProjectedChoice, ProjectedMonth, ProjectedYear, Projection, project, project_with, scale_usage,
};
pub use report::to_text;
pub use results::{
    Advice, Alternative, BreakEven, Choice, CostLine, LicencePart, Recommendation, SubjectKind,
};

use break_even::{break_even, floor_u64};
use evaluate::{Ctx, Draft, Era, Evaluated, Payg, cheapest, fewest, missing, overflow};
use inputs::example_of;
use items::{Candidate, Target, bare, candidates};

/// The rule id of notes about the advice itself (horizon, inputs, items left out), which no
/// spec rule produces.
pub const ADVISOR_NOTE: &str = "ADV";

/// Advises on a scenario with [`AdvisorInputs::for_scenario`].
pub fn advise(scenario: &Scenario) -> Result<Advice, PricingError> {
    advise_with(scenario, &AdvisorInputs::for_scenario(scenario))
}

/// Advises on a scenario with the given inputs.
pub fn advise_with(scenario: &Scenario, inputs: &AdvisorInputs) -> Result<Advice, PricingError> {
    let ctx = Ctx::new(scenario, inputs);
    let (candidates, mut notes) = candidates(scenario, ctx.rules());
    let mut recommendations = Vec::new();
    let mut silent = 0usize;
    let mut quick_apps = false;
    for c in &candidates {
        let r = ctx.evaluate(c)?;
        if r.payg.is_zero() && r.payg_reported_not_billed.is_zero() {
            silent += 1;
        } else {
            quick_apps |= matches!(c.target, Target::AppQuick(_));
            recommendations.push(r);
        }
    }
    if silent > 0 {
        notes.push(Note {
            rule: ADVISOR_NOTE,
            text: format!(
                "{silent} {} nothing on pay-as-you-go (exempt, or no usage) and {} not listed.",
                if silent == 1 {
                    "item costs"
                } else {
                    "items cost"
                },
                if silent == 1 { "is" } else { "are" }
            ),
        });
    }
    notes.extend(ctx.notes(&recommendations, scenario, quick_apps));
    let err = |_| PricingError::Overflow {
        environment: "all environments".to_string(),
        meter: Meter::FlowRuns,
    };
    let total_payg = recommendations
        .iter()
        .try_fold(Decimal::ZERO, |acc, r| money::add(acc, r.payg))
        .map_err(err)?;
    let total_recommended = recommendations
        .iter()
        .try_fold(Decimal::ZERO, |acc, r| {
            money::add(acc, r.recommended_alternative().map_or(r.payg, |a| a.cost))
        })
        .map_err(err)?;
    Ok(Advice {
        price_book: scenario.price_book,
        month: scenario.month,
        inputs: inputs.clone(),
        recommendations,
        total_payg: cents(total_payg),
        total_recommended: cents(total_recommended),
        notes,
    })
}

/// Money as shown: rounded to cents, always two decimals.
pub(super) fn cents(d: Decimal) -> Decimal {
    let mut r = money::round_cents(d);
    if r.scale() < 2 {
        r.rescale(2);
    }
    r
}

pub(super) fn usd(d: Decimal) -> String {
    money::format_usd(d)
}

pub(super) fn qty(d: Decimal) -> String {
    money::format_quantity(d)
}

pub(super) fn unit_price(d: Decimal) -> String {
    money::format_unit_price(d)
}

/// "over 3 months" / "a month".
pub(super) fn period(h: u32) -> String {
    if h == 1 {
        "a month".to_string()
    } else {
        format!("over {h} months")
    }
}

pub(super) fn plural(n: Decimal, one: &str, many: &str) -> String {
    format!("{} {}", qty(n), if n == Decimal::ONE { one } else { many })
}

/// Labels are English words: ASCII case mapping keeps the Unicode case tables out of the wasm.
pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
