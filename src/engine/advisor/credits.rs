//! Copilot Credits (CC-10): capacity packs against the pre-purchase plan against pay-as-you-go
//! for one environment's agents.
//!
//! The engine converts the agents' use to credits (CC-2, CC-3) and consumes prepaid capacity
//! before pay-as-you-go (CC-4); every figure here comes from it, run on the environment with
//! the capacity of each option. Only the purchase side (packs × price, units × price) is
//! computed here. The options size prepaid capacity from nothing: capacity the scenario already
//! has is set aside (the breakdown never counts what it cost), so the comparison is between
//! whole routes.
//!
//! A pack holds 25,000 credits a month for $200, $0.008 a credit against pay-as-you-go's $0.01:
//! every full pack saves, and the last, partly used pack pays for itself above 20,000 credits.
//! A pre-purchase unit is $1 for 100 credits, the pay-as-you-go rate: the plan wins only with a
//! tier discount, which Microsoft does not publish as a table, so its unit price is the book's
//! list price unless the scenario carries a negotiated one.

use std::fmt::Write as _;

use super::*;

use super::super::copilot_credits::{CREDITS_PER_PACK, CREDITS_PER_UNIT};
use super::super::money::Overflow;
use super::super::price_book::PriceKey;

/// ⌈a ÷ b⌉ for whole, non-negative counts (credits are decimals, packs and units whole).
fn ceil_div(a: Decimal, b: u64) -> Result<u64, Overflow> {
    let q = money::div(a, money::count(b))?;
    Ok(floor_u64(q.ceil()))
}

impl Ctx<'_> {
    /// The environment's credits under each purchase route.
    pub(super) fn credits(&self, env: &Environment) -> Result<Evaluated, PricingError> {
        let o = overflow(env, Meter::CopilotStudio);
        let with = |packs: u64, units: u64| {
            let mut e = bare(env);
            e.copilot_credits = CopilotCredits {
                agents: env.copilot_credits.agents.clone(),
                prepaid_packs: u32::try_from(packs).unwrap_or(u32::MAX),
                prepurchase_units: units,
                cloud_pc_hours: 0,
            };
            e
        };
        // What the meters would still bill with this capacity, over the horizon.
        let residual = |packs: u64, units: u64| -> Result<Decimal, PricingError> {
            let billed = self.price_alone(with(packs, units))?.total_billed;
            Ok(cents(money::mul(billed, self.h()).map_err(o)?))
        };
        let payg = self.payg(with(0, 0), self.horizon, Meter::CopilotStudio)?;
        // The one customer line is the credits above (no) prepaid capacity: the month's use.
        let credits = payg.quantity;
        let rules = self.rules();
        let rate = self.rate(PriceKey::CopilotStudioMessage);
        let pack_price = self.rate(PriceKey::CopilotMessagePack);
        let per_pack = money::count(CREDITS_PER_PACK);
        let words = if rules.copilot_credits {
            ("credit", "credits")
        } else {
            ("message", "messages")
        };

        let agents = env.copilot_credits.agents.len() as u64;
        let mut usage = format!(
            "{} a month by {} (CC-2, CC-3)",
            plural(credits, words.0, words.1),
            plural(money::count(agents), "agent", "agents"),
        );
        let cc = &env.copilot_credits;
        if cc.prepaid_packs > 0 || cc.prepurchase_units > 0 {
            let _ = write!(
                usage,
                "; the scenario's {} and {} are set aside: each option sizes prepaid capacity \
                 from none",
                plural(
                    money::count(u64::from(cc.prepaid_packs)),
                    "capacity pack",
                    "capacity packs"
                ),
                plural(
                    money::count(cc.prepurchase_units),
                    "pre-purchase unit",
                    "pre-purchase units"
                ),
            );
        }
        usage.push('.');

        let mut drafts = Vec::new();
        let mut break_evens = Vec::new();
        let full_packs = floor_u64(money::div(credits, per_pack).map_err(o)?);

        // Packs, pay-as-you-go above them: the full packs, or one more if the rest is worth it
        // (the engine says which is cheaper; fewer packs win a tie).
        let mut packs = full_packs.max(1);
        let mut packs_residual = residual(packs, 0)?;
        let more = full_packs.saturating_add(1);
        if more != packs {
            let r = residual(more, 0)?;
            let cost = |n: u64, r: Decimal| money::add(money::mul(money::count(n), pack_price)?, r);
            if cost(more, r).map_err(o)? < cost(packs, packs_residual).map_err(o)? {
                packs = more;
                packs_residual = r;
            }
        }
        let n_packs = money::count(packs);
        let capacity = money::mul(n_packs, per_pack).map_err(o)?;
        let mut d = Draft::new(
            Choice::CopilotPacks,
            format!(
                "{} ({} {} a month)",
                plural(n_packs, "capacity pack", "capacity packs"),
                qty(capacity),
                words.1
            ),
            vec![self.part(PriceKey::CopilotMessagePack, n_packs)],
            format!(
                "Each pack holds {} {} a month for the tenant's agents, used before \
                 pay-as-you-go (CC-4); pay-as-you-go bills what is above them.",
                qty(per_pack),
                words.1
            ),
        );
        d.residual = packs_residual;
        d.caveat = self.enforcement(capacity, credits, words);
        drafts.push(d);

        // CC-10: a pack against pay-as-you-go, in credits a month.
        if let Some(be) = break_even(
            Choice::CopilotPacks,
            "A capacity pack",
            &format!("{} a month", words.1),
            CostLine {
                fixed: Decimal::ZERO,
                per_unit: rate,
            },
            CostLine {
                fixed: pack_price,
                per_unit: Decimal::ZERO,
            },
            Some(credits),
            true,
            String::new(),
        ) {
            let sentence = format!(
                "A capacity pack pays for itself above {} {} a month ({} ÷ {}): with {} {} a \
                 pack, buy the last one when more than that is left above the full packs.",
                qty(money::count(be.whole)),
                words.1,
                usd(pack_price),
                unit_price(rate),
                qty(per_pack),
                words.1
            );
            break_evens.push(be.reworded(sentence));
        }

        // The pre-purchase plan (from the 2025-11 book): units for everything, or for what is
        // left above the full packs.
        if rules.prepurchase_plan {
            let unit = self.prices.get(PriceKey::CopilotCreditUnit);
            let per_unit = money::count(CREDITS_PER_UNIT);
            let units = ceil_div(credits, CREDITS_PER_UNIT).map_err(o)?;
            let n_units = money::count(units);
            let discount = if unit.overridden {
                format!("at the negotiated {} a unit", unit_price(unit.amount))
            } else {
                format!(
                    "at the list {} a unit, the pay-as-you-go rate; the plan's tier discounts \
                     (5 % is Microsoft's example) are not published as a table, so enter your \
                     tier's unit price under Prices (copilot_credit_unit) to compare",
                    unit_price(unit.amount)
                )
            };
            let mut d = Draft::new(
                Choice::PrepurchasePlan,
                format!(
                    "{} ({} {} a month)",
                    plural(n_units, "pre-purchase unit", "pre-purchase units"),
                    qty(money::mul(n_units, per_unit).map_err(o)?),
                    words.1
                ),
                vec![self.part(PriceKey::CopilotCreditUnit, n_units)],
                format!(
                    "1 CU = $1 = 100 credits, drawn before pay-as-you-go across Copilot Studio, \
                     Dynamics 365 and other agents (CC-4), {discount}."
                ),
            );
            d.residual = residual(0, units)?;
            d.caveat = Some(format!(
                "An annual commitment: the units are bought for the year, so a month's share \
                 is shown; use above them is billed at pay-as-you-go rates.{}",
                self.enforcement(money::mul(n_units, per_unit).map_err(o)?, credits, words)
                    .map(|c| format!(" {c}"))
                    .unwrap_or_default()
            ));
            drafts.push(d);

            let rest = money::sub(
                credits,
                money::mul(money::count(full_packs), per_pack).map_err(o)?,
            )
            .map_err(o)?;
            if full_packs > 0 && rest > Decimal::ZERO {
                let rest_units = ceil_div(rest, CREDITS_PER_UNIT).map_err(o)?;
                let n_full = money::count(full_packs);
                let n_rest = money::count(rest_units);
                let mut d = Draft::new(
                    Choice::PacksAndPrepurchase,
                    format!(
                        "{} + {}",
                        plural(n_full, "capacity pack", "capacity packs"),
                        plural(n_rest, "pre-purchase unit", "pre-purchase units")
                    ),
                    vec![
                        self.part(PriceKey::CopilotMessagePack, n_full),
                        self.part(PriceKey::CopilotCreditUnit, n_rest),
                    ],
                    format!(
                        "Packs for the full {} {}, pre-purchase units for the {} above them \
                         (CC-4), {discount}.",
                        qty(per_pack),
                        words.1,
                        qty(rest)
                    ),
                );
                d.residual = residual(full_packs, rest_units)?;
                drafts.push(d);
            }

            // CC-10: a pack against the same credits in units.
            let unit_per_credit = money::div(unit.amount, per_unit).map_err(o)?;
            if let Some(be) = break_even(
                Choice::CopilotPacks,
                "A capacity pack",
                &format!("{} a month (against pre-purchase units)", words.1),
                CostLine {
                    fixed: Decimal::ZERO,
                    per_unit: unit_per_credit,
                },
                CostLine {
                    fixed: pack_price,
                    per_unit: Decimal::ZERO,
                },
                Some(credits),
                true,
                String::new(),
            ) {
                let sentence = format!(
                    "A capacity pack beats pre-purchase units above {} {} a month ({} ÷ {} per \
                     100 {}).",
                    qty(money::count(be.whole)),
                    words.1,
                    usd(pack_price),
                    unit_price(unit.amount),
                    words.1
                );
                break_evens.push(be.reworded(sentence));
            }
        }

        let prepaid = cheapest(&drafts, self);
        Ok(Evaluated {
            kind: SubjectKind::Credits,
            subject: "Agents' Copilot Credits".to_string(),
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }

    /// CC-5: without pay-as-you-go as the overflow, agents stop above the book's percentage of
    /// prepaid capacity. The options keep pay-as-you-go on; this says what happens without it.
    fn enforcement(
        &self,
        capacity: Decimal,
        credits: Decimal,
        words: (&str, &str),
    ) -> Option<String> {
        let pct = self.rules().prepaid_enforcement_percent?;
        let limit = money::div(
            money::mul(capacity, money::count(u64::from(pct))).ok()?,
            Decimal::ONE_HUNDRED,
        )
        .ok()?;
        Some(if credits > limit {
            format!(
                "Keep pay-as-you-go on as the overflow: this use ({}) is above {pct} % of the \
                 prepaid capacity ({}), where agents stop answering without it (CC-5).",
                plural(credits, words.0, words.1),
                qty(limit)
            )
        } else {
            format!(
                "Keep pay-as-you-go on as the overflow: without it, agents stop answering above \
                 {pct} % of the prepaid capacity ({} {}, CC-5).",
                qty(limit),
                words.1
            )
        })
    }
}
