//! Power Platform requests meter (PR-1..12): requests above each user's or flow's daily
//! entitlement, $0.00004 each.
//!
//! Overage is computed per member (one user, one flow, or the tenant pool) per UTC day
//! (PR-2, AMB-15): never averaged over the month, never pooled between members, and unused
//! entitlement does not roll over. The month's overage is the sum of those daily overages
//! (INC-4).
//!
//! No known version of the documentation bills this meter (PR-1, AMB-20): unless the scenario
//! turns billing on, the amount is shown as reported, not billed.
//!
//! Entitlements use the official limits (PR-4, PR-6). The Power Automate transition-period
//! numbers (200k per cloud flow, 500k per Process licence, INC-12) only decide throttling,
//! which pay-as-you-go removes (PR-11); the transition's "highest licence only" semantics are
//! available as [`RequestStacking::Highest`]. D365 "base + attach" (only the base licence
//! counts, PR-5) is not modelled separately: enter such a user with the base licence only.
//!
//! AMB-14/AMB-17: entitlements are tenant-wide while billing is per environment; every
//! consumer's usage is assumed to happen in the environment it is entered in.

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::licence::{FlowLicence, Licence};
use super::money::{self, Overflow};
use super::price_book::{BookRules, PriceKey};
use super::scenario::{RequestConsumer, RequestEntity, RequestStacking, RuleOptions, TenantPool};
use super::{Context, Environment};

/// The unit of every requests line and exclusion.
const UNIT: &str = "request";

/// PR-6 (S13): at most this many Process licences stack on one flow.
const PROCESS_STACK_LIMIT: u32 = 10;

/// PR-8: the non-licensed pool of a tenant with Power Apps or Power Automate licences.
const POWER_PLATFORM_POOL: u64 = 25_000;
/// PR-8: the Dynamics 365 pool: base, per user licence, and cap.
const D365_POOL_BASE: u64 = 500_000;
const D365_POOL_PER_LICENCE: u64 = 5_000;
const D365_POOL_CAP: u64 = 10_000_000;

/// The longest month: daily usage is gathered in at most this many days.
const MAX_MONTH_DAYS: u32 = 31;

/// The daily requests entitlement of ONE member of `consumer` (one user, one flow, or the
/// tenant pool), including add-on packs where the book lets pay-as-you-go use them (PR-12).
///
/// Saturates at `u64::MAX` (an entitlement that large can never be exceeded, so saturating
/// prices correctly).
pub fn daily_entitlement(
    consumer: &RequestConsumer,
    options: &RuleOptions,
    rules: &BookRules,
) -> u64 {
    let base = base_entitlement(&consumer.entity, options, rules);
    base.saturating_add(addon_requests(consumer, rules))
}

/// The requests above the daily entitlement over the month, for all members of `consumer`
/// together: Σ over members and days of max(0, used − entitlement) (PR-2).
///
/// Days outside `1..=month_days` are ignored, quick-count days are capped at the month's
/// length. Saturates at `u64::MAX` when the true figure does not fit.
pub fn overage_requests(
    consumer: &RequestConsumer,
    options: &RuleOptions,
    rules: &BookRules,
    month_days: u32,
) -> u64 {
    let entitlement = daily_entitlement(consumer, options, rules);
    match member_usage(consumer, entitlement, month_days) {
        Ok(usage) => usage.overage.saturating_mul(members(&consumer.entity)),
        Err(Overflow) => u64::MAX,
    }
}

/// PR-12: extra requests a day from add-on packs; ignored in pay-as-you-go before Dec 2024
/// (G-8).
fn addon_requests(consumer: &RequestConsumer, rules: &BookRules) -> u64 {
    if rules.addons_in_payg {
        u64::from(consumer.addon_packs).saturating_mul(rules.requests_per_addon_pack)
    } else {
        0
    }
}

/// The entitlement of one member before add-ons (PR-3..8).
fn base_entitlement(entity: &RequestEntity, options: &RuleOptions, rules: &BookRules) -> u64 {
    match entity {
        RequestEntity::Users { licences, .. } => {
            user_entitlement(licences, options.request_stacking)
        }
        RequestEntity::Flow {
            licence,
            licence_count,
        } => flow_licence_daily(*licence)
            .saturating_mul(u64::from(effective_flow_licences(*licence, *licence_count))),
        // PR-3/AMB-9: 6,000 per user per app (meters doc) or per user (limits doc).
        RequestEntity::PerAppMeterUsers { apps, .. } => {
            let apps = if options.per_app_entitlement_per_app {
                u64::from((*apps).max(1))
            } else {
                1
            };
            rules.per_app_meter_daily_requests.saturating_mul(apps)
        }
        // PR-8: the largest product line's pool, not a sum.
        RequestEntity::NonLicensed { pool } => match pool {
            TenantPool::PowerPlatform => POWER_PLATFORM_POOL,
            TenantPool::Dynamics365 { user_licences } => D365_POOL_BASE
                .saturating_add(D365_POOL_PER_LICENCE.saturating_mul(*user_licences))
                .min(D365_POOL_CAP),
        },
    }
}

/// PR-4/PR-5: a user's entitlement from the licences they hold. Each licence counts once
/// however often it is listed.
fn user_entitlement(licences: &[Licence], stacking: RequestStacking) -> u64 {
    let free = Licence::None.daily_requests().unwrap_or(0);
    // In `Licence::ALL` order, which is the declaration (and `Ord`) order; filtering it avoids
    // a sort (more code in the wasm).
    let distinct: Vec<Licence> = Licence::ALL
        .into_iter()
        .filter(|l| licences.contains(l))
        .collect();
    match stacking {
        // Official limits: paid licences add up; free ones (and no licence) give 6,000.
        RequestStacking::Sum => {
            let paid: Vec<u64> = distinct
                .iter()
                .filter(|l| l.is_paid())
                .filter_map(|l| l.daily_requests())
                .collect();
            if paid.is_empty() {
                free
            } else {
                paid.iter().fold(0u64, |acc, r| acc.saturating_add(*r))
            }
        }
        // Transition period (and S13 for flows): the highest single licence.
        RequestStacking::Highest => distinct
            .iter()
            .filter_map(|l| l.daily_requests())
            .max()
            .unwrap_or(free),
    }
}

/// PR-6: the flow's own licence. A flow without one uses its owner's or invoker's (PR-7),
/// which this entity cannot know: it gets nothing of its own (a note says so).
fn flow_licence_daily(licence: FlowLicence) -> u64 {
    licence.daily_requests()
}

/// How many of a flow's licences count: at least one when the flow is licensed (a licensed
/// flow holds one), and at most 10 Process licences (S13).
fn effective_flow_licences(licence: FlowLicence, count: u32) -> u32 {
    match licence {
        FlowLicence::None => 0,
        FlowLicence::PerFlow => count.max(1),
        FlowLicence::Process | FlowLicence::HostedProcess => count.clamp(1, PROCESS_STACK_LIMIT),
    }
}

/// How many members share the consumer's figures (each with its own entitlement).
fn members(entity: &RequestEntity) -> u64 {
    match entity {
        RequestEntity::Users { users, .. } | RequestEntity::PerAppMeterUsers { users, .. } => {
            *users
        }
        RequestEntity::Flow { .. } | RequestEntity::NonLicensed { .. } => 1,
    }
}

/// One member's month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct MemberUsage {
    requests: u64,
    overage: u64,
    overage_days: u32,
}

/// PR-2: one member's requests gathered per day (quick counts on days 1..=days, detailed
/// records on their day, same day added up), then each day's overage on its own.
fn member_usage(
    consumer: &RequestConsumer,
    entitlement: u64,
    month_days: u32,
) -> Result<MemberUsage, Overflow> {
    let month_days = month_days.min(MAX_MONTH_DAYS);
    let mut daily = [0u64; MAX_MONTH_DAYS as usize];
    let quick_days = consumer.days.min(month_days) as usize;
    for day in daily.iter_mut().take(quick_days) {
        *day = consumer.requests_per_day;
    }
    for record in &consumer.daily_requests {
        // The decoder keeps days within the month; anything else is ignored, never indexed.
        let index = usize::from(record.day).wrapping_sub(1);
        if u32::from(record.day) > month_days {
            continue;
        }
        if let Some(day) = daily.get_mut(index) {
            *day = day.checked_add(record.requests).ok_or(Overflow)?;
        }
    }
    let mut usage = MemberUsage::default();
    for used in daily.iter().take(month_days as usize) {
        usage.requests = usage.requests.checked_add(*used).ok_or(Overflow)?;
        let over = used.saturating_sub(entitlement);
        if over > 0 {
            usage.overage = usage.overage.checked_add(over).ok_or(Overflow)?;
            usage.overage_days += 1;
        }
    }
    Ok(usage)
}

/// The rule that sets the entity's entitlement (exclusion rule id) and the ids to cite.
fn entitlement_rules(entity: &RequestEntity) -> (&'static str, &'static str) {
    match entity {
        RequestEntity::Users { licences, .. } if licences.len() > 1 => ("PR-4", "PR-4, PR-5"),
        RequestEntity::Users { .. } => ("PR-4", "PR-4"),
        RequestEntity::Flow { .. } => ("PR-6", "PR-6"),
        RequestEntity::PerAppMeterUsers { .. } => ("PR-3", "PR-3, AMB-9"),
        RequestEntity::NonLicensed { .. } => ("PR-8", "PR-8, AMB-17"),
    }
}

/// "user"/"users" for groups; `None` for single-member entities.
fn member_noun(entity: &RequestEntity, members: u64) -> Option<&'static str> {
    match entity {
        RequestEntity::Users { .. } | RequestEntity::PerAppMeterUsers { .. } => {
            Some(if members == 1 { "user" } else { "users" })
        }
        RequestEntity::Flow { .. } | RequestEntity::NonLicensed { .. } => None,
    }
}

fn days_word(n: u64) -> &'static str {
    if n == 1 { "day" } else { "days" }
}

/// Prices the Power Platform requests of one environment.
pub(crate) fn price(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let rules = ctx.prices.rules();
    // PR-1/AMB-20: not billed unless the scenario says the meter has reached GA.
    let billing_active = ctx
        .options
        .requests_billing_active
        .unwrap_or(rules.requests_billed);
    let month_days = ctx.month.days();
    let mut any_line = false;

    for consumer in &env.requests {
        let entitlement = daily_entitlement(consumer, ctx.options, rules);
        let usage = member_usage(consumer, entitlement, month_days)?;
        let members = members(&consumer.entity);
        let overage = money::mul(money::count(members), money::count(usage.overage))?;

        if !ctx.customer_billed {
            // What the meter would count is the overage; requests within the entitlement are
            // never metered, PAYG or not.
            let (rule, reason) = ctx.not_billed_reason(env, Meter::Requests);
            ledger.exclude(Meter::Requests, &consumer.name, overage, UNIT, rule, reason);
            continue;
        }
        if usage.requests == 0 || members == 0 {
            continue;
        }
        record_notes(env, consumer, ctx, ledger);

        let (entitlement_rule, cite) = entitlement_rules(&consumer.entity);
        let addons = if addon_requests(consumer, rules) > 0 {
            ", PR-12 add-ons"
        } else {
            ""
        };
        let fmt = |n: u64| money::format_quantity(money::count(n));
        let entitled = fmt(entitlement);

        // Requests within the daily entitlement are covered by the licence or pool.
        let covered = money::mul(
            money::count(members),
            money::count(usage.requests.saturating_sub(usage.overage)),
        )?;
        ledger.exclude(
            Meter::Requests,
            &consumer.name,
            covered,
            UNIT,
            entitlement_rule,
            format!(
                "{} requests of {} fall within the daily entitlement of {entitled} ({cite}{addons}), so \
                 they are not charged.",
                money::format_quantity(covered),
                consumer.name
            ),
        );
        if overage.is_zero() {
            continue;
        }

        let price = ctx.prices.get(PriceKey::PlatformRequest);
        let amount = money::format_usd(money::round_cents(money::mul(overage, price.amount)?));
        let tail = format!(
            "{} × {} = {amount}",
            money::format_quantity(overage),
            money::format_unit_price(price.amount)
        );
        let group = member_noun(&consumer.entity, members)
            .map(|noun| format!("{} {noun} × ", fmt(members)));
        let quick_only = consumer.daily_requests.is_empty();
        let sentence = if quick_only {
            // Quick counts: members × days × (requests a day − entitlement).
            format!(
                "{}: {}{} {} × ({} − {entitled} entitled a day, {cite}{addons}) requests over the \
                 daily entitlement (PR-2): {tail}",
                consumer.name,
                group.unwrap_or_default(),
                usage.overage_days,
                days_word(u64::from(usage.overage_days)),
                fmt(consumer.requests_per_day),
            )
        } else {
            format!(
                "{}: {}{} requests above the daily entitlement of {entitled} ({cite}{addons}) on {} {} \
                 (PR-2): {tail}",
                consumer.name,
                group.filter(|_| members > 1).unwrap_or_default(),
                fmt(usage.overage),
                usage.overage_days,
                days_word(u64::from(usage.overage_days)),
            )
        };
        let (payer, rule, explanation) = if billing_active {
            (Payer::Customer, "PR-2", format!("{sentence}."))
        } else {
            (
                Payer::ReportedNotBilled,
                "PR-1",
                format!(
                    "{sentence}, reported in the usage report, not billed until the meter reaches \
                     general availability (PR-1)."
                ),
            )
        };
        ledger.charge(Charge {
            meter: Meter::Requests,
            item: &consumer.name,
            quantity: overage,
            unit: UNIT,
            price_key: PriceKey::PlatformRequest,
            price,
            payer,
            rule,
            explanation,
        })?;
        any_line = true;
    }

    if any_line {
        ledger.note(
            "INC-4",
            "The documentation prints the requests price as \"$0.00004 per request/day\"; it is a \
             price per request, charged on the sum of each day's requests above the daily \
             entitlement."
                .to_string(),
        );
        if billing_active && !rules.requests_billed {
            ledger.note(
                "AMB-20",
                "Power Platform requests are billed in this scenario by choice: no known version of \
                 the documentation bills them yet (PR-1)."
                    .to_string(),
            );
        }
    }
    Ok(())
}

/// The documentation discrepancies and modelling limits one consumer touches.
fn record_notes(
    env: &Environment,
    consumer: &RequestConsumer,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) {
    let rules = ctx.prices.rules();
    let fmt = |n: u64| money::format_quantity(money::count(n));
    match &consumer.entity {
        RequestEntity::Users { licences, .. } => {
            let sum = user_entitlement(licences, RequestStacking::Sum);
            let highest = user_entitlement(licences, RequestStacking::Highest);
            if sum != highest {
                let text = match ctx.options.request_stacking {
                    RequestStacking::Sum => format!(
                        "{}'s paid licences add up to {} requests a day (PR-5); the documentation's \
                         example counts only the highest licence, {}, which is the transition-period \
                         rule (INC-2, AMB-16).",
                        consumer.name,
                        fmt(sum),
                        fmt(highest)
                    ),
                    RequestStacking::Highest => format!(
                        "{} is entitled to its highest licence only, {} requests a day, as in the \
                         documentation's example; with stacking (PR-5) the entitlement would be {} \
                         (INC-2, AMB-16).",
                        consumer.name,
                        fmt(highest),
                        fmt(sum)
                    ),
                };
                ledger.note("INC-2", text);
            }
        }
        RequestEntity::Flow {
            licence: FlowLicence::None,
            ..
        } => ledger.note(
            "PR-7",
            format!(
                "{} has no per-flow or Process licence, so it uses its owner's or invoking user's \
                 entitlement (PR-7); enter its requests under that user. Here it has no \
                 entitlement of its own.",
                consumer.name
            ),
        ),
        RequestEntity::Flow {
            licence: licence @ (FlowLicence::Process | FlowLicence::HostedProcess),
            licence_count,
        } if *licence_count > PROCESS_STACK_LIMIT => {
            ledger.note(
                "PR-6",
                format!(
                    "{} has {licence_count} {} licences but at most {PROCESS_STACK_LIMIT} stack on one \
                     flow, so its entitlement is {} requests a day.",
                    consumer.name,
                    licence.label(),
                    fmt(base_entitlement(&consumer.entity, ctx.options, rules))
                ),
            );
        }
        RequestEntity::PerAppMeterUsers { apps, .. } if *apps > 1 => {
            let how = if ctx.options.per_app_entitlement_per_app {
                "per user per app, as the meters page says"
            } else {
                "per user, as the limits page says"
            };
            ledger.note(
                "INC-11",
                format!(
                    "The per-app meter's 6,000 requests a day are counted {how} (AMB-9); the other \
                     page counts them differently."
                ),
            );
        }
        _ => {}
    }
    if consumer.addon_packs > 0 && !rules.addons_in_payg {
        ledger.note(
            "G-8",
            format!(
                "The {} book does not let pay-as-you-go environments use requests add-ons (PR-12, \
                 from Dec 2024): the {} add-on pack(s) of {} in {} are ignored.",
                ctx.prices.book.id.key(),
                consumer.addon_packs,
                consumer.name,
                env.name
            ),
        );
    }
    if consumer.requests_per_day > 0 && consumer.days > 0 && !consumer.daily_requests.is_empty() {
        ledger.note(
            "PR-2",
            format!(
                "{} has both a daily figure and daily records: the daily figure is taken on days 1 to \
                 {} and the records are added to their day before each day's overage is computed.",
                consumer.name,
                consumer.days.min(ctx.month.days())
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::price_book::PriceBookId;
    use crate::engine::scenario::DailyRequests;
    use crate::engine::test_support::{Pricing, exclusion_rows, total_for};
    use rust_decimal::{Decimal, dec};

    fn users(name: &str, count: u64, licences: &[Licence]) -> RequestConsumer {
        RequestConsumer {
            name: name.to_string(),
            entity: RequestEntity::Users {
                users: count,
                licences: licences.to_vec(),
            },
            requests_per_day: 0,
            days: 0,
            daily_requests: Vec::new(),
            addon_packs: 0,
        }
    }

    fn flow(name: &str, licence: FlowLicence, licence_count: u32) -> RequestConsumer {
        RequestConsumer {
            entity: RequestEntity::Flow {
                licence,
                licence_count,
            },
            ..users(name, 1, &[])
        }
    }

    fn entity(entity: RequestEntity) -> RequestConsumer {
        RequestConsumer {
            entity,
            ..users("Consumer", 1, &[])
        }
    }

    fn on_days(mut consumer: RequestConsumer, days: &[(u8, u64)]) -> RequestConsumer {
        consumer.daily_requests = days
            .iter()
            .map(|&(day, requests)| DailyRequests { day, requests })
            .collect();
        consumer
    }

    fn quick(mut consumer: RequestConsumer, requests_per_day: u64, days: u32) -> RequestConsumer {
        consumer.requests_per_day = requests_per_day;
        consumer.days = days;
        consumer
    }

    fn run_with(
        consumers: Vec<RequestConsumer>,
        book: PriceBookId,
        options: &RuleOptions,
        billed: bool,
    ) -> Ledger {
        let mut env = Environment::new_payg("Production");
        env.requests = consumers;
        let pricing = Pricing {
            book,
            options: options.clone(),
            customer_billed: billed,
            ..Pricing::default()
        };
        pricing.ledger(price, &env)
    }

    fn run(consumers: Vec<RequestConsumer>, options: &RuleOptions) -> Ledger {
        run_with(consumers, PriceBookId::Seed2023, options, true)
    }

    fn overage_of(ledger: &Ledger) -> Decimal {
        ledger.lines.iter().map(|l| l.quantity).sum()
    }

    fn seed_rules() -> BookRules {
        PriceBookId::Seed2023.book().rules
    }

    fn highest() -> RuleOptions {
        RuleOptions {
            request_stacking: RequestStacking::Highest,
            ..RuleOptions::default()
        }
    }

    /// TC-PR-2's consumers: User A with two 40k licences on the highest-licence rule, and
    /// Flow A on a per-flow licence.
    fn month_2() -> Vec<RequestConsumer> {
        vec![
            on_days(
                users(
                    "User A",
                    1,
                    &[Licence::PowerAppsPerUser, Licence::PowerAutomatePerUser],
                ),
                &[(3, 50_000)],
            ),
            on_days(flow("Flow A", FlowLicence::PerFlow, 1), &[(3, 350_000)]),
        ]
    }

    #[test]
    fn tc_pr_1_month_1_within_entitlement_costs_nothing() {
        let consumers = vec![
            quick(
                users(
                    "User A",
                    1,
                    &[Licence::PowerAppsPerUser, Licence::PowerAutomatePerUser],
                ),
                40_000,
                30,
            ),
            quick(flow("Flow A", FlowLicence::PerFlow, 1), 250_000, 30),
        ];
        let ledger = run(consumers, &highest());
        assert!(ledger.lines.is_empty());
        assert_eq!(ledger.exclusions.len(), 2);
    }

    #[test]
    fn tc_pr_2_month_2_is_reported_not_billed() {
        let ledger = run(month_2(), &highest());
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(0));
        assert_eq!(total_for(&ledger, Payer::ReportedNotBilled), dec!(4.40));
        assert_eq!(overage_of(&ledger), dec!(110000));
        assert!(
            ledger
                .lines
                .iter()
                .all(|l| l.rule == "PR-1" && l.unit == "request")
        );
        let user = ledger.lines.first().expect("User A line");
        assert_eq!(
            user.explanation,
            "User A: 10,000 requests above the daily entitlement of 40,000 (PR-4, PR-5) on 1 day (PR-2): \
             10,000 × $0.00004 = $0.40, reported in the usage report, not billed until the meter \
             reaches general availability (PR-1)."
        );
        assert!(
            ledger
                .notes
                .iter()
                .any(|n| n.rule == "INC-2" && n.text.contains("80,000"))
        );
        assert!(ledger.notes.iter().any(|n| n.rule == "INC-4"));
    }

    #[test]
    fn tc_pr_5_billing_turned_on_bills_4_40() {
        let options = RuleOptions {
            requests_billing_active: Some(true),
            ..highest()
        };
        let ledger = run(month_2(), &options);
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(4.40));
        assert_eq!(total_for(&ledger, Payer::ReportedNotBilled), dec!(0));
        assert!(ledger.lines.iter().all(|l| l.rule == "PR-2"));
        assert!(ledger.notes.iter().any(|n| n.rule == "AMB-20"));
    }

    #[test]
    fn tc_pr_3_month_3_flow_overage_of_50k_is_2_dollars() {
        let ledger = run(
            vec![on_days(
                flow("Flow A", FlowLicence::PerFlow, 1),
                &[(10, 300_000)],
            )],
            &highest(),
        );
        assert_eq!(total_for(&ledger, Payer::ReportedNotBilled), dec!(2.00));
    }

    #[test]
    fn pr1_not_billed_by_default_in_both_books() {
        for book in PriceBookId::ALL {
            let ledger = run_with(month_2(), book, &highest(), true);
            assert_eq!(total_for(&ledger, Payer::Customer), dec!(0), "{book:?}");
            assert_eq!(
                total_for(&ledger, Payer::ReportedNotBilled),
                dec!(4.40),
                "{book:?}"
            );
        }
    }

    #[test]
    fn pr10_45000_a_day_on_a_40k_licence_is_20_cents_a_day() {
        let options = RuleOptions {
            requests_billing_active: Some(true),
            ..RuleOptions::default()
        };
        let ledger = run(
            vec![quick(
                users("Maker", 1, &[Licence::PowerAutomatePremium]),
                45_000,
                1,
            )],
            &options,
        );
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(0.20));
        let ledger = run(
            vec![quick(
                users("Maker", 1, &[Licence::PowerAutomatePremium]),
                45_000,
                30,
            )],
            &options,
        );
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(6.00));
        let line = ledger.lines.first().expect("line");
        assert_eq!(
            line.explanation,
            "Maker: 1 user × 30 days × (45,000 − 40,000 entitled a day, PR-4) requests over the daily \
             entitlement (PR-2): 150,000 × $0.00004 = $6.00."
        );
    }

    #[test]
    fn pr2_days_are_never_averaged() {
        // 50k then 30k on a 40k licence: 10k over on day 1, even though the average is 40k.
        let consumer = on_days(
            users("User A", 1, &[Licence::PowerAppsPerUser]),
            &[(1, 50_000), (2, 30_000)],
        );
        assert_eq!(
            overage_requests(&consumer, &RuleOptions::default(), &seed_rules(), 30),
            10_000
        );
    }

    #[test]
    fn pr2_records_of_the_same_day_add_up() {
        let consumer = on_days(
            users("User A", 1, &[Licence::PowerAppsPerUser]),
            &[(4, 30_000), (4, 30_000)],
        );
        assert_eq!(
            overage_requests(&consumer, &RuleOptions::default(), &seed_rules(), 30),
            20_000
        );
    }

    #[test]
    fn pr2_each_member_of_a_group_has_its_own_entitlement() {
        let group = quick(users("Sales", 5, &[Licence::PowerAppsPerUser]), 50_000, 3);
        assert_eq!(
            overage_requests(&group, &RuleOptions::default(), &seed_rules(), 30),
            5 * 3 * 10_000
        );
        let detailed = on_days(
            users("Sales", 5, &[Licence::PowerAppsPerUser]),
            &[(1, 50_000), (2, 10_000)],
        );
        assert_eq!(
            overage_requests(&detailed, &RuleOptions::default(), &seed_rules(), 30),
            5 * 10_000
        );
        let ledger = run(vec![group], &RuleOptions::default());
        assert!(
            ledger
                .lines
                .first()
                .expect("line")
                .explanation
                .starts_with("Sales: 5 users × 3 days × ")
        );
    }

    #[test]
    fn pr2_days_outside_the_month_are_ignored() {
        let consumer = on_days(
            users("User A", 1, &[Licence::None]),
            &[(0, 99_999), (31, 99_999), (30, 7_000)],
        );
        assert_eq!(
            overage_requests(&consumer, &RuleOptions::default(), &seed_rules(), 30),
            1_000
        );
        let long = quick(users("User A", 1, &[Licence::None]), 7_000, 400);
        assert_eq!(
            overage_requests(&long, &RuleOptions::default(), &seed_rules(), 30),
            30_000
        );
    }

    #[test]
    fn pr3_per_app_meter_users_get_6000_per_app() {
        let consumer = entity(RequestEntity::PerAppMeterUsers { users: 2, apps: 3 });
        assert_eq!(
            daily_entitlement(&consumer, &RuleOptions::default(), &seed_rules()),
            18_000
        );
        let consumer = quick(consumer, 20_000, 1);
        let ledger = run(vec![consumer], &RuleOptions::default());
        assert_eq!(overage_of(&ledger), dec!(4000));
        assert!(ledger.notes.iter().any(|n| n.rule == "INC-11"));
    }

    #[test]
    fn amb9_per_user_option_gives_6000_whatever_the_apps() {
        let options = RuleOptions {
            per_app_entitlement_per_app: false,
            ..RuleOptions::default()
        };
        let consumer = entity(RequestEntity::PerAppMeterUsers { users: 2, apps: 3 });
        assert_eq!(daily_entitlement(&consumer, &options, &seed_rules()), 6_000);
    }

    #[test]
    fn pr4_licence_limits() {
        let rules = seed_rules();
        let options = RuleOptions::default();
        let ent =
            |licences: &[Licence]| daily_entitlement(&users("U", 1, licences), &options, &rules);
        assert_eq!(ent(&[Licence::PowerAppsPerUser]), 40_000);
        assert_eq!(ent(&[Licence::Dynamics365]), 40_000);
        assert_eq!(ent(&[Licence::Microsoft365]), 6_000);
        assert_eq!(ent(&[Licence::Dynamics365TeamMember]), 6_000);
        assert_eq!(ent(&[Licence::None]), 6_000);
        assert_eq!(ent(&[]), 6_000);
    }

    #[test]
    fn pr5_sum_adds_paid_licences_once_each() {
        let rules = seed_rules();
        let options = RuleOptions::default();
        let ent =
            |licences: &[Licence]| daily_entitlement(&users("U", 1, licences), &options, &rules);
        assert_eq!(
            ent(&[Licence::Dynamics365, Licence::PowerAppsPerUser]),
            80_000
        );
        assert_eq!(
            ent(&[Licence::PowerAppsPerUser, Licence::PowerAppsPerUser]),
            40_000
        );
        // The free licence doesn't stack on a paid one.
        assert_eq!(ent(&[Licence::None, Licence::PowerAppsPerUser]), 40_000);
    }

    #[test]
    fn pr5_highest_takes_the_largest_licence() {
        let rules = seed_rules();
        let ent =
            |licences: &[Licence]| daily_entitlement(&users("U", 1, licences), &highest(), &rules);
        assert_eq!(
            ent(&[Licence::Dynamics365, Licence::PowerAppsPerUser]),
            40_000
        );
        assert_eq!(
            ent(&[Licence::Microsoft365, Licence::Dynamics365TeamMember]),
            6_000
        );
        // INC-2 under Sum: the doc's 40k example would be 80k.
        let ledger = run(month_2(), &RuleOptions::default());
        assert_eq!(overage_of(&ledger), dec!(100000));
        assert!(
            ledger
                .notes
                .iter()
                .any(|n| n.rule == "INC-2" && n.text.contains("add up to 80,000"))
        );
    }

    #[test]
    fn pr6_flow_licences_multiply_and_process_stops_at_10() {
        let rules = seed_rules();
        let options = RuleOptions::default();
        assert_eq!(
            daily_entitlement(&flow("F", FlowLicence::PerFlow, 2), &options, &rules),
            500_000
        );
        assert_eq!(
            daily_entitlement(&flow("F", FlowLicence::Process, 3), &options, &rules),
            750_000
        );
        assert_eq!(
            daily_entitlement(&flow("F", FlowLicence::Process, 12), &options, &rules),
            2_500_000
        );
        assert_eq!(
            daily_entitlement(&flow("F", FlowLicence::HostedProcess, 12), &options, &rules),
            2_500_000
        );
        let ledger = run(
            vec![quick(
                flow("Big flow", FlowLicence::Process, 12),
                3_000_000,
                1,
            )],
            &options,
        );
        assert_eq!(overage_of(&ledger), dec!(500000));
        assert!(
            ledger
                .notes
                .iter()
                .any(|n| n.rule == "PR-6" && n.text.contains("2,500,000"))
        );
    }

    #[test]
    fn pr7_flow_without_its_own_licence_has_no_entitlement() {
        let ledger = run(
            vec![quick(flow("Owner's flow", FlowLicence::None, 0), 1_000, 1)],
            &RuleOptions::default(),
        );
        assert_eq!(overage_of(&ledger), dec!(1000));
        assert!(ledger.notes.iter().any(|n| n.rule == "PR-7"));
    }

    #[test]
    fn pr8_non_licensed_pools() {
        let rules = seed_rules();
        let options = RuleOptions::default();
        let pool = |pool| {
            daily_entitlement(
                &entity(RequestEntity::NonLicensed { pool }),
                &options,
                &rules,
            )
        };
        assert_eq!(pool(TenantPool::PowerPlatform), 25_000);
        assert_eq!(
            pool(TenantPool::Dynamics365 { user_licences: 100 }),
            1_000_000
        );
        assert_eq!(
            pool(TenantPool::Dynamics365 {
                user_licences: 10_000
            }),
            10_000_000
        );
        assert_eq!(
            pool(TenantPool::Dynamics365 {
                user_licences: u64::MAX
            }),
            10_000_000
        );
        let consumer = quick(
            entity(RequestEntity::NonLicensed {
                pool: TenantPool::PowerPlatform,
            }),
            30_000,
            2,
        );
        let ledger = run(vec![consumer], &RuleOptions::default());
        assert_eq!(overage_of(&ledger), dec!(10000));
    }

    #[test]
    fn pr12_addons_raise_the_entitlement_only_in_the_2025_book() {
        let mut consumer = quick(
            users("Integrator", 1, &[Licence::PowerAutomatePremium]),
            100_000,
            1,
        );
        consumer.addon_packs = 1;
        let options = RuleOptions::default();
        assert_eq!(
            daily_entitlement(&consumer, &options, &PriceBookId::Newest2025.book().rules),
            90_000
        );
        assert_eq!(
            daily_entitlement(&consumer, &options, &seed_rules()),
            40_000
        );
        let ledger = run_with(
            vec![consumer.clone()],
            PriceBookId::Seed2023,
            &options,
            true,
        );
        assert_eq!(overage_of(&ledger), dec!(60000));
        assert!(ledger.notes.iter().any(|n| n.rule == "G-8"));
        let ledger = run_with(vec![consumer], PriceBookId::Newest2025, &options, true);
        assert_eq!(overage_of(&ledger), dec!(10000));
        assert!(ledger.notes.iter().all(|n| n.rule != "G-8"));
    }

    #[test]
    fn not_billed_environment_records_the_overage_as_excluded() {
        let ledger = run_with(month_2(), PriceBookId::Seed2023, &highest(), false);
        assert!(ledger.lines.is_empty());
        assert_eq!(
            exclusion_rows(&ledger),
            vec![
                ("User A", dec!(10000), "G-2"),
                ("Flow A", dec!(100000), "G-2")
            ]
        );
    }

    #[test]
    fn quick_and_detailed_figures_add_up_per_day() {
        let consumer = on_days(
            quick(users("User A", 1, &[Licence::PowerAppsPerUser]), 30_000, 2),
            &[(2, 20_000)],
        );
        assert_eq!(
            overage_requests(&consumer, &RuleOptions::default(), &seed_rules(), 30),
            10_000
        );
    }

    #[test]
    fn huge_counts_saturate_or_overflow_without_panicking() {
        let consumer = on_days(
            users("Bots", u64::MAX, &[Licence::None]),
            &[(1, u64::MAX), (1, 1)],
        );
        assert_eq!(
            overage_requests(&consumer, &RuleOptions::default(), &seed_rules(), 30),
            u64::MAX
        );
        let mut env = Environment::new_payg("Production");
        env.requests = vec![quick(
            users("Bots", u64::MAX, &[Licence::None]),
            u64::MAX,
            30,
        )];
        assert_eq!(Pricing::default().price(price, &env).err(), Some(Overflow));
    }

    #[test]
    fn engine_totals_keep_reported_requests_apart() {
        let mut scenario = crate::engine::Scenario::new_empty();
        scenario.options.request_stacking = RequestStacking::Highest;
        scenario.environments[0].requests = month_2();
        let breakdown = crate::engine::price(&scenario).expect("priced");
        assert_eq!(breakdown.total_billed, dec!(0));
        assert_eq!(breakdown.total_reported_not_billed, dec!(4.40));
    }
}
