//! Power Automate embed program (EM-1..5): what an ISV pays for its customers' makers.
//!
//! An ISV in the program pays, through its own Azure subscription, for the flow runs that
//! use its premium connectors (EM-1, EM-2), at the cloud-run rate (EM-5). Makers who already
//! hold a premium Power Automate licence cost the ISV nothing (EM-3); which licences count is
//! AMB-19's choice (INC-14). This is the ISV's view, entered per customer as counts; runs of
//! ISV-only flows inside a priced environment are handled by `flow_runs` with the same rules.

use rust_decimal::Decimal;

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::money::{self, Overflow};
use super::price_book::PriceKey;
use super::{EffectivePrices, IsvCustomer};

/// The unit of every line and exclusion of the embed program.
const UNIT: &str = "run";

fn plural(n: Decimal, singular: &str, plural: &str) -> String {
    let word = if n == Decimal::ONE { singular } else { plural };
    format!("{} {word}", money::format_quantity(n))
}

/// Prices the ISV's customers: runs of makers without a premium licence are billed to the
/// ISV (EM-1, EM-5), runs of premium-licensed makers are not billed to anyone (EM-3).
pub(crate) fn price_customers(
    customers: &[IsvCustomer],
    prices: &EffectivePrices,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let price = prices.get(PriceKey::FlowRunCloud);
    let mut any_licensed = false;
    for customer in customers {
        // The decoder rejects more licensed makers than makers; saturate so such input can
        // never panic or bill a negative count.
        let licensed = customer.premium_licensed_makers.min(customer.makers);
        let unlicensed = customer.makers - licensed;
        let per_maker = money::count(customer.runs_per_maker);

        let makers = money::count(unlicensed);
        let billed = money::mul(makers, per_maker)?;
        if !billed.is_zero() {
            let amount = money::round_cents(money::mul(billed, price.amount)?);
            ledger.charge(Charge {
                meter: Meter::Embed,
                item: &customer.name,
                quantity: billed,
                unit: UNIT,
                price_key: PriceKey::FlowRunCloud,
                price,
                payer: Payer::Isv,
                rule: "EM-1",
                explanation: format!(
                    "{} without a premium Power Automate licence ran {} each with the ISV's \
                     connectors, which the ISV pays for (EM-1, EM-5): {} × {} = {}.",
                    plural(makers, "maker", "makers"),
                    plural(per_maker, "run", "runs"),
                    money::format_quantity(billed),
                    money::format_unit_price(price.amount),
                    money::format_usd(amount)
                ),
            })?;
        }

        let holders = money::count(licensed);
        let free = money::mul(holders, per_maker)?;
        if !free.is_zero() {
            any_licensed = true;
            ledger.exclude(
                Meter::Embed,
                &customer.name,
                free,
                UNIT,
                "EM-3",
                format!(
                    "{} of {} already holding a premium Power Automate licence {} not billed to \
                     the ISV, and nobody pays (EM-3).",
                    plural(free, "run", "runs"),
                    plural(holders, "maker", "makers"),
                    if free == Decimal::ONE { "is" } else { "are" }
                ),
            );
        }
    }
    if any_licensed {
        ledger.note(
            "INC-14",
            "Which licences count as \"premium Power Automate licences\" for the embed program \
             is not defined (INC-14): this calculator counts Power Automate per user, per user \
             with attended RPA and Premium, and per-flow or Process licences on the flow; Power \
             Apps and Dynamics 365 licences count only in app context (AMB-19)."
                .to_string(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::price_book::PriceBookId;
    use rust_decimal::dec;
    use std::collections::BTreeMap;

    fn customer(name: &str, makers: u64, licensed: u64, runs: u64) -> IsvCustomer {
        IsvCustomer {
            name: name.to_string(),
            makers,
            premium_licensed_makers: licensed,
            runs_per_maker: runs,
        }
    }

    fn run(customers: &[IsvCustomer]) -> Result<Ledger, Overflow> {
        let prices = EffectivePrices::new(PriceBookId::Seed2023.book(), &BTreeMap::new());
        let mut ledger = Ledger::new();
        ledger.set_environment(None, "ISV customers");
        price_customers(customers, &prices, &mut ledger)?;
        Ok(ledger)
    }

    #[test]
    fn em1_isv_pays_for_unlicensed_makers_runs() {
        let ledger = run(&[customer("Contoso", 10, 2, 5)]).expect("no overflow");
        assert_eq!(ledger.lines.len(), 1);
        let line = &ledger.lines[0];
        assert_eq!(
            (line.payer, line.meter, line.rule),
            (Payer::Isv, Meter::Embed, "EM-1")
        );
        assert_eq!(line.quantity, dec!(40));
        assert_eq!(line.amount, dec!(24.00));
        assert_eq!(
            line.explanation,
            "8 makers without a premium Power Automate licence ran 5 runs each with the ISV's \
             connectors, which the ISV pays for (EM-1, EM-5): 40 × $0.60 = $24.00."
        );
    }

    #[test]
    fn em3_premium_licensed_makers_are_not_billed() {
        let ledger = run(&[customer("Contoso", 10, 2, 5)]).expect("no overflow");
        assert_eq!(ledger.exclusions.len(), 1);
        assert_eq!(ledger.exclusions[0].rule, "EM-3");
        assert_eq!(ledger.exclusions[0].quantity, dec!(10));
        assert!(ledger.notes.iter().any(|n| n.rule == "INC-14"));
    }

    #[test]
    fn em3_more_licensed_than_makers_saturates() {
        let ledger = run(&[customer("Odd", 3, 9, 4)]).expect("no overflow");
        assert!(ledger.lines.is_empty());
        assert_eq!(ledger.exclusions[0].quantity, dec!(12));
    }

    #[test]
    fn huge_counts_overflow_as_a_value() {
        assert_eq!(
            run(&[customer("Big", u64::MAX, 0, u64::MAX)]).err(),
            Some(Overflow)
        );
        let ledger = run(&[customer("Large", u64::MAX, 0, 1_000)]).expect("fits");
        assert_eq!(ledger.lines.len(), 1);
    }
}
