//! Power Platform requests: add-on packs per member (PR-12), reported but not billed (PR-1).

use super::*;

use rust_decimal::Decimal;

use super::super::PricingError;
use super::super::breakdown::Meter;
use super::super::money;
use super::super::price_book::PriceKey;
use super::super::requests;
use super::super::scenario::*;

impl Ctx<'_> {
    pub(super) fn requests(
        &self,
        env: &Environment,
        index: usize,
    ) -> Result<Evaluated, PricingError> {
        let Some(consumer) = env.requests.get(index) else {
            return Err(missing(env, Meter::Requests));
        };
        let o = overflow(env, Meter::Requests);
        let mut e = bare(env);
        e.requests = vec![consumer.clone()];
        let payg = self.payg(e, self.horizon, Meter::Requests)?;
        let rules = self.rules();
        let options = &self.scenario.options;
        let days = self.scenario.month.days();
        let members = match &consumer.entity {
            RequestEntity::Users { users, .. } | RequestEntity::PerAppMeterUsers { users, .. } => {
                *users
            }
            RequestEntity::Flow { .. } | RequestEntity::NonLicensed { .. } => 1,
        };
        let overage = requests::overage_requests(consumer, options, rules, days);
        let billed = options
            .requests_billing_active
            .unwrap_or(rules.requests_billed);
        let usage = format!(
            "{} requests above the daily entitlements this month (PR-2){}.",
            qty(money::count(overage)),
            if billed {
                ""
            } else {
                "; the meter is reported, not billed (PR-1, AMB-20)"
            }
        );
        let mut drafts = Vec::new();
        let mut break_evens = Vec::new();
        let per_pack = rules.requests_per_addon_pack;
        if rules.addons_in_payg && overage > 0 && per_pack > 0 && members > 0 {
            // The fewest packs per member that leave no overage, asked of the requests meter.
            let peak = consumer
                .daily_requests
                .iter()
                .fold(consumer.requests_per_day, |acc, d| {
                    acc.saturating_add(d.requests)
                });
            let have = consumer.addon_packs;
            let upper = u32::try_from(peak / per_pack + 1)
                .unwrap_or(u32::MAX)
                .min(u32::MAX - have);
            let over = |k: u32| {
                let mut c = consumer.clone();
                c.addon_packs = have.saturating_add(k);
                requests::overage_requests(&c, options, rules, days)
            };
            let covered = |k: u32| Ok::<_, PricingError>(over(k) == 0);
            if let Some(lo) = fewest(upper, covered)? {
                let packs =
                    money::mul(money::count(u64::from(lo)), money::count(members)).map_err(o)?;
                let pack_price = self.rate(PriceKey::RequestsAddonPack);
                let d = Draft::new(
                    Choice::RequestsAddonPacks,
                    format!(
                        "{} ({} per member × {})",
                        plural(packs, "requests add-on pack", "requests add-on packs"),
                        qty(money::count(u64::from(lo))),
                        plural(money::count(members), "member", "members")
                    ),
                    vec![self.part(PriceKey::RequestsAddonPack, packs)],
                    format!(
                        "Each pack adds {} requests a day to one member's entitlement (PR-12; \
                         usable in pay-as-you-go since Dec 2024, S9).",
                        qty(money::count(per_pack))
                    ),
                );
                let fixed = money::mul(packs, pack_price).map_err(o)?;
                let rate = self.rate(PriceKey::PlatformRequest);
                if let Some(be) = break_even(
                    Choice::RequestsAddonPacks,
                    &d.name,
                    "requests above the entitlements a month",
                    CostLine {
                        fixed: Decimal::ZERO,
                        per_unit: rate,
                    },
                    CostLine {
                        fixed,
                        per_unit: Decimal::ZERO,
                    },
                    Some(money::count(overage)),
                    true,
                    format!(
                        "({} ÷ {}){}",
                        usd(fixed),
                        unit_price(rate),
                        if billed {
                            ""
                        } else {
                            ", if the meter were billed (PR-1)"
                        }
                    ),
                ) {
                    break_evens.push(be);
                }
                drafts.push(d);
            }
        }
        let prepaid = cheapest(&drafts, self);
        Ok(Evaluated {
            kind: SubjectKind::Requests,
            subject: consumer.name.clone(),
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }
}
