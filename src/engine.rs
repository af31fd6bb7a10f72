//! The billing engine: pure Rust, no web crate (a test guards this).
//!
//! [`price`] turns a [`Scenario`] into a [`Breakdown`]. One module per meter applies the rules
//! of `shared/spec/billing-rules.md`; the rule ids (AP-5, PA-7, DV-5 …) appear in the code
//! where each rule is applied and in the explanation the user sees.

// Every public item of the engine says what it is for: the UI, the CLI and the tests read
// it as an API.
#![deny(missing_docs)]

pub mod advisor;
pub mod advisor_inputs;
pub mod billing_month;
pub mod breakdown;
pub mod copilot_credits;
pub mod copilot_studio;
pub mod dataverse;
pub mod decode;
pub mod embed;
pub mod examples;
pub mod flow_runs;
pub mod keys;
pub mod licence;
pub mod limits;
pub mod money;
pub mod power_apps;
pub mod power_pages;
pub mod price_book;
pub mod report;
pub mod requests;
pub mod scenario;
pub mod summary;
#[cfg(test)]
pub(crate) mod test_support;

pub use breakdown::{Breakdown, ChargeLine, Exclusion, LineGroup, LineGroups, Meter, Note, Payer};
pub use licence::{FlowLicence, Licence};
pub use money::Overflow;
pub use price_book::{EffectivePrices, PriceBook, PriceBookId, PriceKey};
pub use scenario::*;

use std::collections::BTreeMap;

use breakdown::Ledger;
use rust_decimal::Decimal;

/// What every meter module needs besides its environment.
pub(crate) struct Context<'a> {
    pub prices: &'a EffectivePrices,
    pub month: BillingMonth,
    pub options: &'a RuleOptions,
    /// Whether the customer's Azure meters bill this environment's usage of the meter being
    /// priced (G-1 PAYG link, G-2 meter switch). ISV embed billing ignores it (EM-5).
    pub customer_billed: bool,
}

impl Context<'_> {
    /// Why usage of `meter` in `env` is not billed to the customer when
    /// [`Context::customer_billed`] is false: the rule id and a sentence.
    pub fn not_billed_reason(&self, env: &Environment, meter: Meter) -> (&'static str, String) {
        if !env.payg {
            (
                "G-1",
                format!(
                    "{} is not a pay-as-you-go environment, so its usage is covered by prepaid \
                     licences and capacity, not billed to Azure.",
                    env.name
                ),
            )
        } else {
            (
                "G-2",
                format!(
                    "The {} meter is switched off in the billing plan of {}.",
                    meter.label(),
                    env.name
                ),
            )
        }
    }
}

/// Pricing could not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PricingError {
    /// A quantity or amount exceeded exact decimal range.
    Overflow {
        /// The environment whose pricing overflowed.
        environment: String,
        /// The meter being priced.
        meter: Meter,
    },
}

impl std::fmt::Display for PricingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PricingError::Overflow { environment, meter } => write!(
                f,
                "{} in {environment}: the numbers are too large to price exactly",
                meter.label()
            ),
        }
    }
}

impl std::error::Error for PricingError {}

/// Prices a scenario with its own price book and overrides.
pub fn price(scenario: &Scenario) -> Result<Breakdown, PricingError> {
    let prices = EffectivePrices::new(scenario.price_book.book(), &scenario.price_overrides);
    price_with(scenario, &prices)
}

/// Prices a scenario with the given prices (the advisor prices alternatives this way).
pub fn price_with(
    scenario: &Scenario,
    prices: &EffectivePrices,
) -> Result<Breakdown, PricingError> {
    let mut ledger = Ledger::new();
    for (index, env) in scenario.environments.iter().enumerate() {
        price_environment(index, env, scenario, prices, &mut ledger)?;
    }
    finish(ledger, scenario, prices)
}

/// Prices every meter of one environment. Nothing here reads another environment: that
/// independence is what lets [`Repricer`] reuse the lines of environments an edit left alone.
fn price_environment(
    index: usize,
    env: &Environment,
    scenario: &Scenario,
    prices: &EffectivePrices,
    ledger: &mut Ledger,
) -> Result<(), PricingError> {
    let rules = prices.rules();
    ledger.set_environment(Some(index), &env.name);
    type MeterFn = fn(&Environment, &Context<'_>, &mut Ledger) -> Result<(), Overflow>;
    let meters: [(Meter, bool, MeterFn); 8] = [
        (Meter::PowerApps, env.meters.power_apps, power_apps::price),
        (Meter::FlowRuns, env.meters.flow_runs, flow_runs::price),
        (
            Meter::PowerPages,
            env.meters.power_pages,
            power_pages::price,
        ),
        (Meter::Dataverse, env.meters.dataverse, dataverse::price),
        (Meter::Requests, env.meters.requests, requests::price),
        (
            Meter::CopilotStudio,
            env.meters.copilot_studio,
            copilot_studio::price,
        ),
        (
            Meter::CopilotStudio,
            env.meters.copilot_studio,
            copilot_credits::price,
        ),
        (
            Meter::Windows365Agents,
            env.meters.windows365_agents,
            copilot_credits::price_cloud_pc,
        ),
    ];
    for (meter, switched_on, price_meter) in meters {
        // G-2: before Dec 2024 linking turned on every meter; switches only count later.
        let on = switched_on || !rules.meter_selection;
        if !switched_on && !rules.meter_selection {
            ledger.note(
                "G-2",
                format!(
                    "The {} book turns on every meter when an environment is linked; the \
                     meter switches of {} are ignored (meter selection starts Dec 2024).",
                    prices.book.id.key(),
                    env.name
                ),
            );
        }
        let ctx = Context {
            prices,
            month: scenario.month,
            options: &scenario.options,
            customer_billed: env.payg && on,
        };
        price_meter(env, &ctx, ledger).map_err(|Overflow| PricingError::Overflow {
            environment: env.name.clone(),
            meter,
        })?;
    }
    Ok(())
}

/// Adds the ISV customers (priced every time: a handful of rows) and the totals.
fn finish(
    mut ledger: Ledger,
    scenario: &Scenario,
    prices: &EffectivePrices,
) -> Result<Breakdown, PricingError> {
    ledger.set_environment(None, "ISV customers");
    embed::price_customers(&scenario.isv_customers, prices, &mut ledger).map_err(|Overflow| {
        PricingError::Overflow {
            environment: "ISV customers".to_string(),
            meter: Meter::Embed,
        }
    })?;

    let total = |payer: Payer| -> Result<Decimal, PricingError> {
        ledger
            .lines
            .iter()
            .filter(|l| l.payer == payer)
            .try_fold(Decimal::ZERO, |acc, l| money::add(acc, l.amount))
            .map_err(|Overflow| PricingError::Overflow {
                environment: "all environments".to_string(),
                meter: Meter::FlowRuns,
            })
    };
    let total_billed = total(Payer::Customer)?;
    let total_isv_billed = total(Payer::Isv)?;
    let total_reported_not_billed = total(Payer::ReportedNotBilled)?;
    // In `PriceKey::ALL` (declaration, `Ord`) order; filtering it avoids a sort.
    let overrides_used: Vec<PriceKey> = PriceKey::ALL
        .into_iter()
        .filter(|k| {
            ledger
                .lines
                .iter()
                .any(|l| l.price_overridden && l.price_key == *k)
        })
        .collect();
    let incomplete: Vec<PriceKey> = PriceKey::ALL
        .into_iter()
        .filter(|k| {
            ledger
                .lines
                .iter()
                .any(|l| l.unpublished_price && l.price_key == *k)
        })
        .collect();
    for key in &incomplete {
        ledger.note(
            "CC-8",
            format!(
                "The total is incomplete: Microsoft has published no price for \"{}\"; enter a \
                 negotiated price (price_overrides.{}).",
                key.label(),
                key.key()
            ),
        );
    }
    Ok(Breakdown {
        price_book: prices.book.id,
        price_book_title: prices.book.title,
        month: scenario.month.to_string(),
        overrides_used,
        lines: ledger.lines,
        exclusions: ledger.exclusions,
        notes: ledger.notes,
        total_billed,
        total_isv_billed,
        total_reported_not_billed,
        incomplete,
        month_after_check: prices.book.month_after_check(scenario.month),
    })
}

/// What every environment's pricing depends on besides the environment itself.
type SharedInputs = (
    PriceBookId,
    BTreeMap<PriceKey, Decimal>,
    BillingMonth,
    RuleOptions,
);

/// Prices a scenario edit after edit, as the app does on every keystroke, reusing the lines of
/// each environment that is unchanged (same position, same content) since the last call, as
/// long as the price book, the negotiated prices, the month and the rule options are unchanged.
/// Its result is always equal to [`price`]'s (a property test holds it to that).
#[derive(Default)]
pub struct Repricer {
    shared: Option<SharedInputs>,
    /// Per environment index: the environment as last priced and what it produced.
    environments: Vec<(Environment, Ledger)>,
    reused: usize,
}

impl Repricer {
    /// An empty repricer: the first call prices every environment.
    pub fn new() -> Repricer {
        Repricer::default()
    }

    /// Prices `scenario`, repricing only the environments that changed.
    pub fn price(&mut self, scenario: &Scenario) -> Result<Breakdown, PricingError> {
        let same_shared = self
            .shared
            .as_ref()
            .is_some_and(|(book, overrides, month, options)| {
                *book == scenario.price_book
                    && *overrides == scenario.price_overrides
                    && *month == scenario.month
                    && *options == scenario.options
            });
        if !same_shared {
            self.environments.clear();
            self.shared = Some((
                scenario.price_book,
                scenario.price_overrides.clone(),
                scenario.month,
                scenario.options.clone(),
            ));
        }
        self.environments.truncate(scenario.environments.len());
        self.reused = 0;
        let prices = EffectivePrices::new(scenario.price_book.book(), &scenario.price_overrides);
        let mut ledger = Ledger::new();
        for (index, env) in scenario.environments.iter().enumerate() {
            if let Some((last, part)) = self.environments.get(index)
                && last == env
            {
                ledger.append(part);
                self.reused += 1;
                continue;
            }
            let mut part = Ledger::new();
            price_environment(index, env, scenario, &prices, &mut part)?;
            ledger.append(&part);
            let entry = (env.clone(), part);
            match self.environments.get_mut(index) {
                Some(slot) => *slot = entry,
                None => self.environments.push(entry),
            }
        }
        finish(ledger, scenario, &prices)
    }

    /// How many environments the last [`Repricer::price`] reused instead of pricing.
    pub fn reused(&self) -> usize {
        self.reused
    }
}
