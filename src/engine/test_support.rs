//! Scaffolding for the meter modules' tests: price one environment with one meter, as
//! [`super::price_with`] would, and read sums back from the ledger.
//!
//! Each meter is tested on its own so that a failing number points at one module's rules; the
//! whole-scenario path has its own tests (the `engine_total…` ones, tests/golden.rs).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::breakdown::Ledger;
use super::{
    BillingMonth, Context, EffectivePrices, Environment, Licence, NamedUser, Overflow, Payer,
    PriceBookId, PriceKey, RuleOptions,
};

/// The month most tests price: 30 days, so a monthly rate prorates to exactly itself (DV-7).
pub(crate) const NOV_2026: BillingMonth = BillingMonth {
    year: 2026,
    month: 11,
};

pub(crate) type MeterFn = fn(&Environment, &Context<'_>, &mut Ledger) -> Result<(), Overflow>;

/// What a test varies around one meter. The default is the seed book at list prices,
/// [`NOV_2026`], the spec's rule options, and usage billed to the customer.
pub(crate) struct Pricing {
    pub book: PriceBookId,
    pub overrides: BTreeMap<PriceKey, Decimal>,
    pub month: BillingMonth,
    pub options: RuleOptions,
    pub customer_billed: bool,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing {
            book: PriceBookId::Seed2023,
            overrides: BTreeMap::new(),
            month: NOV_2026,
            options: RuleOptions::default(),
            customer_billed: true,
        }
    }
}

impl Pricing {
    /// Prices `env` as the first environment of a scenario. Overflow stays a value, so the
    /// tests with huge counts can assert it.
    pub fn price(&self, meter: MeterFn, env: &Environment) -> Result<Ledger, Overflow> {
        let prices = EffectivePrices::new(self.book.book(), &self.overrides);
        let ctx = Context {
            prices: &prices,
            month: self.month,
            options: &self.options,
            customer_billed: self.customer_billed,
        };
        let mut ledger = Ledger::new();
        ledger.set_environment(Some(0), &env.name);
        meter(env, &ctx, &mut ledger)?;
        Ok(ledger)
    }

    /// G-1/G-2: usage that the customer's Azure meters do not bill.
    pub fn not_billed() -> Self {
        Pricing {
            customer_billed: false,
            ..Pricing::default()
        }
    }

    /// [`Pricing::price`] for the tests whose numbers are meant to fit.
    pub fn ledger(&self, meter: MeterFn, env: &Environment) -> Ledger {
        self.price(meter, env).expect("no overflow")
    }
}

pub(crate) fn ledger(meter: MeterFn, env: &Environment) -> Ledger {
    Pricing::default().ledger(meter, env)
}

/// Users known by id, for the meters that count who opened or logged in.
pub(crate) fn named_users(ids: &[&str], licence: Licence) -> Vec<NamedUser> {
    ids.iter()
        .map(|id| NamedUser {
            id: id.to_string(),
            licence,
        })
        .collect()
}

pub(crate) fn unlicensed(ids: &[&str]) -> Vec<NamedUser> {
    named_users(ids, Licence::None)
}

pub(crate) fn total_for(ledger: &Ledger, payer: Payer) -> Decimal {
    ledger
        .lines
        .iter()
        .filter(|l| l.payer == payer)
        .map(|l| l.amount)
        .sum()
}

pub(crate) fn customer_total(ledger: &Ledger) -> Decimal {
    total_for(ledger, Payer::Customer)
}

/// Summed over every item, since most rules free usage item by item.
pub(crate) fn excluded_quantity(ledger: &Ledger, rule: &str) -> Decimal {
    ledger
        .exclusions
        .iter()
        .filter(|e| e.rule == rule)
        .map(|e| e.quantity)
        .sum()
}

/// (item, quantity, rule) in recording order, so one assertion checks every exclusion.
pub(crate) fn exclusion_rows(ledger: &Ledger) -> Vec<(&str, Decimal, &'static str)> {
    ledger
        .exclusions
        .iter()
        .map(|e| (e.item.as_str(), e.quantity, e.rule))
        .collect()
}
