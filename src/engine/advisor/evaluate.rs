//! The one evaluation path every item goes through: the engine prices the item alone on
//! pay-as-you-go and under each option, the options are priced over the horizon, and the
//! cheapest is recommended with a reason.

use super::*;

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::super::PricingError;
use super::super::breakdown::Meter;
use super::super::breakdown::{Breakdown, Note, Payer};
use super::super::money::{self, Overflow};
use super::super::price;
use super::super::price_book::{BookRules, EffectivePrices, PriceBookId, PriceKey, end_of_sale};
use super::super::scenario::*;

/// Which licences the book's era sells (spec 5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Era {
    /// 2023-06: per user, per user with attended RPA, unattended add-on, per flow.
    Legacy,
    /// 2025-02: Premium, Process, Hosted Process (per flow and the add-on are off the list).
    Current,
}

/// Everything an evaluation needs.
pub(super) struct Ctx<'a> {
    pub(super) scenario: &'a Scenario,
    pub(super) inputs: &'a AdvisorInputs,
    pub(super) prices: EffectivePrices,
    pub(super) era: Era,
    pub(super) horizon: u32,
}

/// One option before it is priced over the horizon.
pub(super) struct Draft {
    pub(super) choice: Choice,
    pub(super) name: String,
    pub(super) parts: Vec<LicencePart>,
    /// Residual pay-as-you-go over the horizon.
    pub(super) residual: Decimal,
    /// Other items' pay-as-you-go removed, over the horizon.
    pub(super) savings: Decimal,
    pub(super) covers: String,
    pub(super) counts_other_coverage: bool,
    pub(super) caveat: Option<String>,
    pub(super) minimum_purchase_cost: Option<Decimal>,
}

impl Draft {
    pub(super) fn new(
        choice: Choice,
        name: String,
        parts: Vec<LicencePart>,
        covers: String,
    ) -> Draft {
        Draft {
            choice,
            name,
            parts,
            residual: Decimal::ZERO,
            savings: Decimal::ZERO,
            covers,
            counts_other_coverage: false,
            caveat: None,
            minimum_purchase_cost: None,
        }
    }
}

/// An item's pay-as-you-go, as the engine prices it.
pub(super) struct Payg {
    /// Over the horizon.
    pub(super) billed: Decimal,
    pub(super) reported: Decimal,
    pub(super) arithmetic: String,
    /// Quantity of the customer lines (runs, user-apps …) in the priced month.
    pub(super) quantity: Decimal,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(scenario: &'a Scenario, inputs: &'a AdvisorInputs) -> Ctx<'a> {
        let prices = EffectivePrices::new(scenario.price_book.book(), &scenario.price_overrides);
        let era = match scenario.price_book {
            PriceBookId::Seed2023 => Era::Legacy,
            _ => Era::Current,
        };
        Ctx {
            scenario,
            inputs,
            prices,
            era,
            horizon: inputs.horizon(),
        }
    }

    pub(super) fn rules(&self) -> &BookRules {
        self.prices.rules()
    }

    pub(super) fn h(&self) -> Decimal {
        Decimal::from(self.horizon)
    }

    pub(super) fn part(&self, key: PriceKey, quantity: Decimal) -> LicencePart {
        let p = self.prices.get(key);
        LicencePart {
            price_key: key,
            quantity,
            unit_price: p.amount,
            price_overridden: p.overridden,
        }
    }

    pub(super) fn rate(&self, key: PriceKey) -> Decimal {
        self.prices.get(key).amount
    }

    /// Prices `env` (a reduced copy of one of the scenario's environments) alone, with the
    /// scenario's book, overrides, month and options.
    pub(super) fn price_alone(&self, env: Environment) -> Result<Breakdown, PricingError> {
        let s = Scenario {
            version: self.scenario.version,
            name: self.scenario.name.clone(),
            price_book: self.scenario.price_book,
            price_overrides: self.scenario.price_overrides.clone(),
            month: self.scenario.month,
            options: self.scenario.options.clone(),
            environments: vec![env],
            isv_customers: Vec::new(),
            advisor: None,
        };
        price(&s)
    }

    /// The engine's pay-as-you-go of a reduced environment; `times` multiplies levels over
    /// the horizon (flow runs are horizon totals already).
    pub(super) fn payg(
        &self,
        env: Environment,
        times: u32,
        meter: Meter,
    ) -> Result<Payg, PricingError> {
        let environment = env.name.clone();
        let o = |Overflow| PricingError::Overflow {
            environment: environment.clone(),
            meter,
        };
        let b = self.price_alone(env)?;
        let t = Decimal::from(times);
        let billed = money::mul(b.total_billed, t).map_err(o)?;
        let reported = money::mul(b.total_reported_not_billed, t).map_err(o)?;
        let mut terms = Vec::new();
        let mut quantity = Decimal::ZERO;
        for l in b.lines.iter().filter(|l| l.payer == Payer::Customer) {
            quantity = money::add(quantity, l.quantity).map_err(o)?;
            let exact = money::mul(l.quantity, l.unit_price)
                .map(money::round_cents)
                .is_ok_and(|a| a == l.amount);
            terms.push(if exact {
                format!("{} × {}", qty(l.quantity), unit_price(l.unit_price))
            } else {
                usd(l.amount)
            });
        }
        let mut arithmetic = match (terms.len(), times) {
            (0, _) => usd(Decimal::ZERO),
            (1, 1) => format!("{} = {}", terms.join(""), usd(billed)),
            (_, 1) => format!("{} = {}", terms.join(" + "), usd(billed)),
            (1, _) => format!("{times} × {} = {}", terms.join(""), usd(billed)),
            (_, _) => format!("{times} × ({}) = {}", terms.join(" + "), usd(billed)),
        };
        if !reported.is_zero() {
            let _ = write!(
                arithmetic,
                "; {} reported, not billed (PR-1)",
                usd(reported)
            );
        }
        Ok(Payg {
            billed: cents(billed),
            reported: cents(reported),
            arithmetic,
            quantity,
        })
    }

    pub(super) fn evaluate(&self, c: &Candidate) -> Result<Recommendation, PricingError> {
        let Some(env) = self.scenario.environments.get(c.environment) else {
            return Err(PricingError::Overflow {
                environment: "unknown environment".to_string(),
                meter: Meter::FlowRuns,
            });
        };
        let Evaluated {
            kind,
            subject,
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        } = match &c.target {
            Target::Flow(f) => self.flow(env, *f)?,
            Target::AppQuick(a) => self.app_quick(env, *a)?,
            Target::AppNamed { apps, ids } => self.app_named(env, apps, ids)?,
            Target::Storage(cat) => self.storage(env, *cat)?,
            Target::Requests(r) => self.requests(env, *r)?,
            Target::Credits => self.credits(env)?,
        };
        let o = |Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter: match kind {
                SubjectKind::Flow => Meter::FlowRuns,
                SubjectKind::Apps => Meter::PowerApps,
                SubjectKind::Dataverse => Meter::Dataverse,
                SubjectKind::Requests => Meter::Requests,
                SubjectKind::Credits => Meter::CopilotStudio,
            },
        };
        let mut alternatives = vec![Alternative {
            choice: Choice::PayAsYouGo,
            name: Choice::PayAsYouGo.label().to_string(),
            parts: Vec::new(),
            licence_cost: cents(Decimal::ZERO),
            residual_payg: payg.billed,
            other_savings: cents(Decimal::ZERO),
            cost: payg.billed,
            arithmetic: payg.arithmetic.clone(),
            covers: "Pays only for what is used, month by month, with no commitment.".to_string(),
            counts_other_coverage: false,
            caveat: None,
            minimum_purchase_cost: None,
        }];
        for d in drafts {
            alternatives.push(self.finish(d).map_err(o)?);
        }
        // The cheapest; the first of equals, so pay-as-you-go (listed first) wins ties.
        let mut recommended = 0;
        let mut best = payg.billed;
        for (i, a) in alternatives.iter().enumerate() {
            if a.cost < best {
                recommended = i;
                best = a.cost;
            }
        }
        let prepaid = prepaid.map(|i| i + 1).filter(|i| *i < alternatives.len());
        let mut reason = reason(&alternatives, recommended, &payg, self.horizon, kind);
        // EOS-1: a recommended licence that some channels no longer sell says where to buy it.
        if let Some(a) = alternatives.get(recommended)
            && a.choice == Choice::PowerAppsPerApp
            && let Some(eos) = self.end_of_sale(PriceKey::PowerAppsPerApp)
        {
            reason.push(' ');
            reason.push_str(&eos);
        }
        Ok(Recommendation {
            kind,
            environment: c.environment,
            environment_name: env.name.clone(),
            subject,
            usage,
            payg: payg.billed,
            payg_reported_not_billed: payg.reported,
            alternatives,
            recommended,
            prepaid,
            reason,
            break_evens,
        })
    }

    /// Prices a draft over the horizon.
    pub(super) fn finish(&self, d: Draft) -> Result<Alternative, Overflow> {
        let mut monthly = Decimal::ZERO;
        let mut terms = Vec::new();
        for p in &d.parts {
            monthly = money::add(
                monthly,
                money::round_cents(money::mul(p.quantity, p.unit_price)?),
            )?;
            terms.push(if p.quantity == Decimal::ONE {
                unit_price(p.unit_price)
            } else {
                format!("{} × {}", qty(p.quantity), unit_price(p.unit_price))
            });
        }
        let licence_cost = money::mul(monthly, self.h())?;
        let cost = money::sub(money::add(licence_cost, d.residual)?, d.savings)?;
        let licences = match (terms.len(), self.horizon) {
            (0, _) => usd(Decimal::ZERO),
            (1, 1) => terms.join(""),
            (1, h) => format!("{h} × {}", terms.join("")),
            (_, 1) => terms.join(" + "),
            (_, h) => format!("{h} × ({})", terms.join(" + ")),
        };
        let mut arithmetic = licences;
        if !d.residual.is_zero() {
            let _ = write!(arithmetic, " + {} still on pay-as-you-go", usd(d.residual));
        }
        if !d.savings.is_zero() {
            let _ = write!(arithmetic, " − {} saved elsewhere", usd(d.savings));
        }
        // A lone price needs no "= the same price".
        let lone = d.residual.is_zero()
            && d.savings.is_zero()
            && self.horizon == 1
            && d.parts.len() == 1
            && d.parts.iter().all(|p| p.quantity == Decimal::ONE);
        if !lone {
            let _ = write!(arithmetic, " = {}", usd(cost));
        }
        Ok(Alternative {
            choice: d.choice,
            name: d.name,
            parts: d.parts,
            licence_cost: cents(licence_cost),
            residual_payg: cents(d.residual),
            other_savings: cents(d.savings),
            cost: cents(cost),
            arithmetic,
            covers: d.covers,
            counts_other_coverage: d.counts_other_coverage,
            caveat: d.caveat,
            minimum_purchase_cost: d.minimum_purchase_cost.map(cents),
        })
    }

    /// Notes on the advice as a whole.
    pub(super) fn notes(
        &self,
        recs: &[Recommendation],
        scenario: &Scenario,
        quick_apps: bool,
    ) -> Vec<Note> {
        let mut notes = Vec::new();
        if let Some(name) = example_of(scenario)
            && AdvisorInputs::for_example(name).as_ref() == Some(self.inputs)
        {
            notes.push(Note {
                rule: ADVISOR_NOTE,
                text: format!(
                    "The advisor inputs are those of the built-in example {name}: flow runs \
                     counted over {} months, people and bots per flow as the documentation's \
                     table gives them.",
                    self.horizon
                ),
            });
        }
        if self.horizon > 1 {
            notes.push(Note {
                rule: ADVISOR_NOTE,
                text: format!(
                    "Horizon of {h} months: the scenario's flow runs are read as totals over \
                     {h} months and priced once; licences are priced for {h} months; app users, \
                     storage and daily requests are each month's figures, counted {h} times on \
                     both sides.",
                    h = self.horizon
                ),
            });
        }
        let any = |c: Choice| {
            recs.iter()
                .any(|r| r.alternatives.iter().any(|a| a.choice == c))
        };
        if any(Choice::PerFlow) {
            notes.push(Note {
                rule: "INC-3",
                text: "The documentation prices a per-flow licence at $100 a flow, but the plan \
                       had a minimum purchase of 5 licences (S15, S17): the comparison uses the \
                       table's price per flow and shows the minimum as a caveat."
                    .to_string(),
            });
        }
        if any(Choice::UnattendedAddon) || any(Choice::PowerAppsPerApp) {
            notes.push(Note {
                rule: "G-8",
                text: "Prepaid capacity assigned to a pay-as-you-go environment is ignored \
                       (per-app passes, unattended add-ons): those options mean an environment \
                       that is not pay-as-you-go."
                    .to_string(),
            });
        }
        if !self.rules().addons_in_payg
            && recs
                .iter()
                .any(|r| matches!(r.kind, SubjectKind::Dataverse | SubjectKind::Requests))
        {
            notes.push(Note {
                rule: "G-8",
                text: format!(
                    "Under the {} book, add-ons can't be used in a pay-as-you-go environment \
                     (G-8, DV-2): Dataverse and requests have no prepaid option there (from Dec \
                     2024 they do, S9).",
                    self.scenario.price_book.key()
                ),
            });
        }
        if any(Choice::PowerAppsPerApp)
            && let Some(eos) = end_of_sale(PriceKey::PowerAppsPerApp, self.scenario.month)
        {
            notes.push(Note {
                rule: "EOS-1",
                text: format!(
                    "Power Apps per app left the price lists on {} for {}; it is still sold {}. \
                     The per-app options say so; the pay-as-you-go per-app meter is open to all.",
                    eos.date, eos.ended_for, eos.still_sold
                ),
            });
        }
        if any(Choice::CopilotPacks) && !self.rules().prepurchase_plan {
            notes.push(Note {
                rule: "CC-10",
                text: format!(
                    "The Copilot Credit pre-purchase plan starts with the 2025-11 book; under \
                     the {} book only capacity packs are compared with pay-as-you-go.",
                    self.scenario.price_book.key()
                ),
            });
        }
        if quick_apps {
            notes.push(Note {
                rule: "AP-2",
                text: "Quick counts don't say whether the same people open several apps: each \
                       app's quick-count users are compared as separate people, so Power Apps \
                       Premium may be cheaper than shown for people who open several apps."
                    .to_string(),
            });
        }
        notes
    }
}

/// What one item's evaluation produces before the options are priced.
pub(super) struct Evaluated {
    pub(super) kind: SubjectKind,
    pub(super) subject: String,
    pub(super) usage: String,
    pub(super) payg: Payg,
    pub(super) drafts: Vec<Draft>,
    /// Index into `drafts` of the documentation's prepaid option.
    pub(super) prepaid: Option<usize>,
    pub(super) break_evens: Vec<BreakEven>,
}

/// An item index that is not in the environment. Candidates come from the same scenario (or
/// a scaled copy of it, same shape), so this cannot happen; it is an error, not a panic.
pub(super) fn missing(env: &Environment, meter: Meter) -> PricingError {
    PricingError::Overflow {
        environment: env.name.clone(),
        meter,
    }
}

/// Turns an overflow while advising on an item of `env` into the pricing error that names it.
pub(super) fn overflow(
    env: &Environment,
    meter: Meter,
) -> impl Fn(Overflow) -> PricingError + Copy + '_ {
    move |Overflow| PricingError::Overflow {
        environment: env.name.clone(),
        meter,
    }
}

/// The fewest whole units in `0..=upper` with which `covered` holds (no overage left), if
/// `upper` units are enough: the capacity add-on's GB and the requests packs are both sized by
/// asking the engine, and more units never cover less, so a binary search finds it.
pub(super) fn fewest<T, E>(
    upper: T,
    mut covered: impl FnMut(T) -> Result<bool, E>,
) -> Result<Option<T>, E>
where
    T: Copy
        + PartialOrd
        + std::ops::Add<Output = T>
        + std::ops::Sub<Output = T>
        + std::ops::Div<Output = T>
        + From<u8>,
{
    if !covered(upper)? {
        return Ok(None);
    }
    let (mut lo, mut hi) = (T::from(0), upper);
    while lo < hi {
        let mid = lo + (hi - lo) / T::from(2);
        if covered(mid)? {
            hi = mid;
        } else {
            lo = mid + T::from(1);
        }
    }
    Ok(Some(lo))
}

/// The index of the cheapest draft, by licence cost + residual − savings over the horizon.
pub(super) fn cheapest(drafts: &[Draft], ctx: &Ctx<'_>) -> Option<usize> {
    let mut best: Option<(usize, Decimal)> = None;
    for (i, d) in drafts.iter().enumerate() {
        let Ok(a) = ctx.finish(Draft {
            choice: d.choice,
            name: String::new(),
            parts: d.parts.clone(),
            residual: d.residual,
            savings: d.savings,
            covers: String::new(),
            counts_other_coverage: false,
            caveat: None,
            minimum_purchase_cost: None,
        }) else {
            continue;
        };
        if best.is_none_or(|(_, c)| a.cost < c) {
            best = Some((i, a.cost));
        }
    }
    best.map(|(i, _)| i)
}

/// One sentence: why the recommended option.
pub(super) fn reason(
    alternatives: &[Alternative],
    recommended: usize,
    payg: &Payg,
    horizon: u32,
    kind: SubjectKind,
) -> String {
    let when = period(horizon);
    let Some(best) = alternatives.get(recommended) else {
        return String::new();
    };
    let others = alternatives
        .iter()
        .enumerate()
        .filter(|(i, a)| *i != recommended && a.choice != Choice::PayAsYouGo);
    let cheapest_other = others
        .min_by(|a, b| a.1.cost.cmp(&b.1.cost))
        .map(|(_, a)| a);
    if best.choice == Choice::PayAsYouGo {
        let not_billed = kind == SubjectKind::Requests && !payg.reported.is_zero();
        match cheapest_other {
            None if not_billed => format!(
                "The requests meter is reported, not billed (PR-1, AMB-20), and no add-on can \
                 be used here, so pay-as-you-go costs {} {when} (reported {}).",
                usd(best.cost),
                usd(payg.reported)
            ),
            None => format!(
                "No prepaid option can replace these meters here, so pay-as-you-go it is: {} \
                 {when}.",
                usd(best.cost)
            ),
            Some(other) if not_billed => format!(
                "The requests meter is reported, not billed (PR-1, AMB-20), so pay-as-you-go \
                 costs {} {when} (reported {}), less than {} at {}.",
                usd(best.cost),
                usd(payg.reported),
                other.name,
                usd(other.cost)
            ),
            Some(other) if other.cost == best.cost => format!(
                "Pay-as-you-go costs {} {when}, the same as {}, without a commitment.",
                usd(best.cost),
                other.name
            ),
            Some(other) => format!(
                "Pay-as-you-go costs {} {when}, {} less than the cheapest prepaid option ({} \
                 at {}).",
                usd(best.cost),
                usd(other.cost.saturating_sub(best.cost)),
                other.name,
                usd(other.cost)
            ),
        }
    } else {
        let saved = payg.billed.saturating_sub(best.cost);
        let mut s = format!(
            "{} costs {} {when}, {} less than pay-as-you-go at {}",
            best.name,
            usd(best.cost),
            usd(saved),
            usd(payg.billed)
        );
        if let Some(min) = best.minimum_purchase_cost
            && min > payg.billed
        {
            let _ = write!(
                s,
                ", but only if the 5-licence minimum is already met ({} otherwise, INC-3)",
                usd(min)
            );
        }
        s.push('.');
        s
    }
}
