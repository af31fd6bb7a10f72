//! Dataverse storage: a capacity add-on per category (DV-3, DV-4, AMB-10).

use super::*;

use std::fmt::Write as _;

use rust_decimal::prelude::ToPrimitive;

use rust_decimal::Decimal;

use super::super::PricingError;
use super::super::breakdown::Meter;
use super::super::money::{self, Overflow};
use super::super::scenario::*;

/// A Dataverse storage category (DV-4: each billed on its own): the scenario's one definition.
pub(super) use super::super::scenario::StorageCategory as Category;

impl Category {
    /// The storage of `s` with only this category (and its allocation), the rest empty.
    pub(super) fn alone(self, s: &Storage, extra_gb: Decimal) -> Result<Storage, Overflow> {
        let mut out = Storage::default();
        let allocated = money::add(self.allocated(&s.allocated).max(Decimal::ZERO), extra_gb)?;
        let usage = self.usage(s).clone();
        match self {
            Category::Database => {
                out.database = usage;
                out.allocated.database = allocated;
            }
            Category::File => {
                out.file = usage;
                out.allocated.file = allocated;
            }
            Category::Log => {
                out.log = usage;
                out.allocated.log = allocated;
            }
        }
        Ok(out)
    }
}

impl Ctx<'_> {
    pub(super) fn storage(
        &self,
        env: &Environment,
        category: Category,
    ) -> Result<Evaluated, PricingError> {
        let o = overflow(env, Meter::Dataverse);
        let with = |extra: Decimal| -> Result<Environment, PricingError> {
            let mut e = bare(env);
            e.storage = category.alone(&env.storage, extra).map_err(o)?;
            Ok(e)
        };
        let payg = self.payg(with(Decimal::ZERO)?, self.horizon, Meter::Dataverse)?;
        let peak = peak_gb(category.usage(&env.storage));
        let allocated = category
            .allocated(&env.storage.allocated)
            .max(Decimal::ZERO);
        let mut usage = format!(
            "{} storage peaks at {} GB in use",
            capitalise(category.key()),
            qty(peak)
        );
        if !allocated.is_zero() && self.rules().dataverse_allocation {
            let _ = write!(usage, ", {} GB allocated", qty(allocated));
        }
        usage.push_str("; pay-as-you-go bills the overage per snapshot (DV-5, DV-6, AMB-11).");
        let subject = format!("Dataverse {} storage", category.key());
        let mut drafts = Vec::new();
        let mut break_evens = Vec::new();
        if self.rules().addons_in_payg
            && self.rules().dataverse_allocation
            && !payg.billed.is_zero()
        {
            // The fewest whole GB that leave no overage, found with the engine itself.
            let upper = peak.ceil().to_u64().unwrap_or(u64::MAX);
            let bill = |gb: u64| -> Result<Decimal, PricingError> {
                Ok(self.price_alone(with(money::count(gb))?)?.total_billed)
            };
            if let Some(lo) = fewest(upper, |gb| Ok::<_, PricingError>(bill(gb)?.is_zero()))? {
                let gb = money::count(lo);
                let key = category.capacity_price();
                let d = Draft::new(
                    Choice::CapacityAddon,
                    format!("{} GB of {} capacity add-on", qty(gb), category.key()),
                    vec![self.part(key, gb)],
                    format!(
                        "{} GB more allocated to {} covers the peak, so nothing is billed to \
                         Azure (DV-3, AMB-10; add-ons are usable in pay-as-you-go since Dec \
                         2024, S9).",
                        qty(gb),
                        env.name
                    ),
                );
                let fixed = money::mul(gb, self.rate(key)).map_err(o)?;
                let rate = self.rate(category.meter_price());
                if let Some(be) = break_even(
                    Choice::CapacityAddon,
                    &d.name,
                    "GB of average overage a month",
                    CostLine {
                        fixed: Decimal::ZERO,
                        per_unit: rate,
                    },
                    CostLine {
                        fixed,
                        per_unit: Decimal::ZERO,
                    },
                    None,
                    false,
                    format!("({} ÷ {})", usd(fixed), unit_price(rate)),
                ) {
                    break_evens.push(be);
                }
                drafts.push(d);
            }
        }
        let prepaid = cheapest(&drafts, self);
        Ok(Evaluated {
            kind: SubjectKind::Dataverse,
            subject,
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }
}

/// The largest GB a storage usage reaches.
pub(super) fn peak_gb(u: &StorageUsage) -> Decimal {
    let peak = match u {
        StorageUsage::Constant { gb } => *gb,
        StorageUsage::Linear { start_gb, end_gb } => (*start_gb).max(*end_gb),
        StorageUsage::Series { points } => {
            points.iter().map(|p| p.gb).max().unwrap_or(Decimal::ZERO)
        }
    };
    peak.max(Decimal::ZERO)
}
