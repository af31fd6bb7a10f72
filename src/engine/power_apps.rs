//! Power Apps per-app meter (AP-1..12): $10 per active (user, app) pair per calendar month.
//!
//! An active user is someone who opened the app at least once in the month (AP-1); repeat
//! opens count once and a user of N apps counts N times (AP-2), so the distinct key is
//! (environment, app, user) (AP-12, AMB-2). The month is the scenario's calendar month in UTC
//! (AMB-1), so nothing here looks at dates.
//!
//! Users come in two shapes that add up: quick counts (`user_groups`, distinct users per
//! licence) and detailed ids (`opened_by`, looked up in `Environment::users`). The two are
//! taken to describe different people, as the scenario format documents; a repeated id within
//! `opened_by` counts once (AP-2).
//!
//! Whether a licence is counted is answered by [`Licence::app_exemption`] (AP-5, AP-6, AP-7),
//! the same question the advisor asks. Per-app passes are ignored in pay-as-you-go
//! environments (AP-9, G-8), so their holders are charged like unlicensed users (AP-8).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::licence::Licence;
use super::money::{self, Overflow};
use super::price_book::PriceKey;
use super::scenario::{App, ConnectorClass, NamedUser, UserGroup};
use super::{Context, Environment};

/// The unit of every line and exclusion of this meter.
const UNIT: &str = "user-app";

/// Named users by id. A repeated id keeps its first licence, so the order of records never
/// changes which licence applies (the decoder rejects repeated ids anyway).
pub(super) struct Directory<'a> {
    licences: BTreeMap<&'a str, Licence>,
}

impl<'a> Directory<'a> {
    pub(super) fn new(users: &'a [NamedUser]) -> Directory<'a> {
        let mut licences = BTreeMap::new();
        for user in users {
            licences.entry(user.id.as_str()).or_insert(user.licence);
        }
        Directory { licences }
    }

    fn licence(&self, id: &str) -> Option<Licence> {
        self.licences.get(id).copied()
    }
}

/// Distinct users of one app or website this month, by licence.
pub(super) struct ActiveUsers<'a> {
    pub(super) by_licence: BTreeMap<Licence, Decimal>,
    /// Detailed ids, de-duplicated, with the licence they were counted under.
    pub(super) named: BTreeMap<&'a str, Licence>,
    /// Detailed ids that are not among the environment's named users (counted unlicensed).
    pub(super) unknown: Vec<&'a str>,
}

impl<'a> ActiveUsers<'a> {
    /// Quick counts plus distinct detailed ids (AP-2 / PP-2: repeats count once).
    pub(super) fn count(
        groups: &[UserGroup],
        ids: &'a [String],
        directory: &Directory<'_>,
    ) -> Result<ActiveUsers<'a>, Overflow> {
        let mut by_licence: BTreeMap<Licence, Decimal> = BTreeMap::new();
        for group in groups {
            let slot = by_licence.entry(group.licence).or_insert(Decimal::ZERO);
            *slot = money::add(*slot, money::count(group.users))?;
        }
        let mut named = BTreeMap::new();
        let mut unknown = Vec::new();
        // Repeats are skipped through the map (collecting a set would sort, and each sorted
        // type is more code in the wasm); unknown ids keep the order they first appear in.
        for id in ids.iter().map(String::as_str) {
            if named.contains_key(id) {
                continue;
            }
            // An id nobody declared has no known licence: treat it as unlicensed (AP-8), the
            // cautious reading that never under-prices, and say so.
            let licence = directory.licence(id).unwrap_or_else(|| {
                unknown.push(id);
                Licence::None
            });
            named.insert(id, licence);
            let slot = by_licence.entry(licence).or_insert(Decimal::ZERO);
            *slot = money::add(*slot, Decimal::ONE)?;
        }
        by_licence.retain(|_, n| !n.is_zero());
        Ok(ActiveUsers {
            by_licence,
            named,
            unknown,
        })
    }

    pub(super) fn total(&self) -> Result<Decimal, Overflow> {
        self.by_licence
            .values()
            .try_fold(Decimal::ZERO, |acc, n| money::add(acc, *n))
    }
}

/// "1 user", "9 users" (with thousands grouped).
pub(super) fn people(n: Decimal, singular: &str, plural: &str) -> String {
    let word = if n == Decimal::ONE { singular } else { plural };
    format!("{} {word}", money::format_quantity(n))
}

/// "is" or "are" for a count.
pub(super) fn is_are(n: Decimal) -> &'static str {
    if n == Decimal::ONE { "is" } else { "are" }
}

/// Why an exempt licence group is not counted: one sentence (AP-5, AP-6, AP-7).
fn exemption_reason(rule: &str, licence: Licence, n: Decimal, app: &App) -> String {
    let users = people(n, "user", "users");
    let verb = is_are(n);
    match rule {
        "AP-5" => format!(
            "{users} of {} with a Power Apps per-user licence {verb} not counted (AP-5): \
             their licence covers every app.",
            app.name
        ),
        "AP-6" => format!(
            "{users} of {} with a Dynamics 365 Enterprise/Professional licence {verb} not \
             counted (AP-6, AMB-3): their licence includes per-user Power Apps rights.",
            app.name
        ),
        "AP-7" => format!(
            "{users} of {} with a Microsoft 365 licence {verb} not counted (AP-7): the app \
             uses only standard connectors, which Power Apps for Microsoft 365 covers.",
            app.name
        ),
        other => format!(
            "{users} of {} with a {} licence {verb} not counted ({other}).",
            app.name,
            licence.label()
        ),
    }
}

/// Prices the per-app meter of one environment.
pub(crate) fn price(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let directory = Directory::new(&env.users);
    let price = ctx.prices.get(PriceKey::PowerAppsPerAppUser);
    // INC-10: how many billed apps each named user is counted on.
    let mut apps_per_user: BTreeMap<&str, u32> = BTreeMap::new();

    for app in &env.apps {
        let active = ActiveUsers::count(&app.user_groups, &app.opened_by, &directory)?;
        for id in &active.unknown {
            ledger.note(
                "AP-8",
                format!(
                    "User id \"{id}\" opened {} but is not among the named users of {}; it \
                     is counted as an unlicensed user (AP-8).",
                    app.name, env.name
                ),
            );
        }
        let total = active.total()?;
        // AP-3 / TC-AP-2: an app nobody opened this month costs nothing and says nothing.
        if total.is_zero() {
            continue;
        }

        if !ctx.customer_billed {
            let (rule, reason) = ctx.not_billed_reason(env, Meter::PowerApps);
            ledger.exclude(Meter::PowerApps, &app.name, total, UNIT, rule, reason);
            continue;
        }

        // AP-10: an opted-out app is not metered at all, whatever its users hold.
        if app.opted_out {
            ledger.exclude(
                Meter::PowerApps,
                &app.name,
                total,
                UNIT,
                "AP-10",
                format!(
                    "{} is opted out of pay-as-you-go, so its {} {} not metered; its users \
                     need per-user licences (AP-10).",
                    app.name,
                    people(total, "active user", "active users"),
                    is_are(total)
                ),
            );
            continue;
        }

        let mut counted = Decimal::ZERO;
        let mut m365_premium = Decimal::ZERO;
        let mut passes = Decimal::ZERO;
        for (&licence, &n) in &active.by_licence {
            match licence.app_exemption(app.connectors) {
                Some(rule) => ledger.exclude(
                    Meter::PowerApps,
                    &app.name,
                    n,
                    UNIT,
                    rule,
                    exemption_reason(rule, licence, n, app),
                ),
                // AP-7 (M365 on a premium app), AP-8 (unlicensed, Team Member, Power
                // Automate licences), AP-9 (per-app passes are not consumed).
                None => {
                    counted = money::add(counted, n)?;
                    match (licence, app.connectors) {
                        (Licence::Microsoft365, ConnectorClass::Premium) => m365_premium = n,
                        (Licence::PowerAppsPerApp, _) => passes = n,
                        _ => {}
                    }
                }
            }
        }
        for (&id, &licence) in &active.named {
            if licence.app_exemption(app.connectors).is_none() {
                let slot = apps_per_user.entry(id).or_insert(0);
                *slot = slot.saturating_add(1);
            }
        }
        if counted.is_zero() {
            continue;
        }

        if !passes.is_zero() {
            ledger.note(
                "AP-9",
                format!(
                    "Per-app passes are ignored in the pay-as-you-go environment {}: their \
                     holders are charged via Azure, the passes aren't consumed and can be \
                     reassigned (AP-9, G-8).",
                    env.name
                ),
            );
        }

        let mut cited = String::from("AP-1, AP-2");
        if !m365_premium.is_zero() {
            cited.push_str(&format!(
                "; {} with Microsoft 365 on a premium-connector app, AP-7",
                money::format_quantity(m365_premium)
            ));
        }
        if !passes.is_zero() {
            cited.push_str(&format!(
                "; {} with per-app passes, which aren't consumed, AP-9",
                money::format_quantity(passes)
            ));
        }
        let amount = money::round_cents(money::mul(counted, price.amount)?);
        let explanation = format!(
            "{} opened {} this month ({cited}): {} × {} = {}.",
            people(counted, "user", "users"),
            app.name,
            money::format_quantity(counted),
            money::format_unit_price(price.amount),
            money::format_usd(amount)
        );
        ledger.charge(Charge {
            meter: Meter::PowerApps,
            item: &app.name,
            quantity: counted,
            unit: UNIT,
            price_key: PriceKey::PowerAppsPerAppUser,
            price,
            payer: Payer::Customer,
            rule: "AP-1",
            explanation,
        })?;
    }

    // INC-10: the FAQ and usage report speak of "unique users" who opened "an app or a
    // portal"; the meter counts (user, app) pairs and portals are on the Pages meters.
    let multi = apps_per_user.values().filter(|&&n| n > 1).count();
    if multi > 0 {
        ledger.note(
            "INC-10",
            format!(
                "In {}, {} counted once per app opened (AP-2): the meter counts (user, app) \
                 pairs, not unique users as the usage report's wording suggests (INC-10).",
                env.name,
                if multi == 1 {
                    "1 user who opened several apps is".to_string()
                } else {
                    format!("{multi} users who opened several apps are")
                }
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_support::{
        self, Pricing, customer_total, excluded_quantity, named_users, unlicensed,
    };
    use rust_decimal::dec;
    use std::collections::BTreeMap;

    fn app(name: &str, connectors: ConnectorClass) -> App {
        App {
            name: name.to_string(),
            connectors,
            opted_out: false,
            user_groups: Vec::new(),
            opened_by: Vec::new(),
        }
    }

    fn group(users: u64, licence: Licence) -> UserGroup {
        UserGroup { users, licence }
    }

    fn opened_by(mut app: App, ids: &[&str]) -> App {
        app.opened_by = ids.iter().map(|s| s.to_string()).collect();
        app
    }

    fn env_with(apps: Vec<App>, users: Vec<NamedUser>) -> Environment {
        let mut env = Environment::new_payg("Production");
        env.apps = apps;
        env.users = users;
        env
    }

    fn run(env: &Environment) -> Ledger {
        test_support::ledger(price, env)
    }

    #[test]
    fn tc_ap_1_three_apps_nine_unlicensed_users_bill_90() {
        let env = env_with(
            vec![
                opened_by(app("App A", ConnectorClass::Premium), &["U1", "U2"]),
                opened_by(app("App B", ConnectorClass::Premium), &["U3", "U4", "U5"]),
                opened_by(
                    app("App C", ConnectorClass::Standard),
                    &["U6", "U7", "U8", "U9"],
                ),
            ],
            unlicensed(&["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]),
        );
        let ledger = run(&env);
        assert_eq!(customer_total(&ledger), dec!(90.00));
        assert_eq!(ledger.lines.len(), 3);
        assert_eq!(
            ledger.lines[0].explanation,
            "2 users opened App A this month (AP-1, AP-2): 2 × $10.00 = $20.00."
        );
        assert!(
            ledger
                .lines
                .iter()
                .all(|l| l.rule == "AP-1" && l.unit == UNIT)
        );
        assert!(ledger.exclusions.is_empty());
    }

    #[test]
    fn tc_ap_1_with_quick_counts_bills_90() {
        let mut a = app("App A", ConnectorClass::Premium);
        a.user_groups = vec![group(2, Licence::None)];
        let mut b = app("App B", ConnectorClass::Premium);
        b.user_groups = vec![group(3, Licence::None)];
        let mut c = app("App C", ConnectorClass::Premium);
        c.user_groups = vec![group(4, Licence::Microsoft365)];
        let ledger = run(&env_with(vec![a, b, c], Vec::new()));
        assert_eq!(customer_total(&ledger), dec!(90.00));
    }

    #[test]
    fn tc_ap_2_no_opens_bill_nothing() {
        let env = env_with(
            vec![
                app("App A", ConnectorClass::Premium),
                app("App B", ConnectorClass::Premium),
                app("App C", ConnectorClass::Standard),
            ],
            unlicensed(&["U1", "U2"]),
        );
        let ledger = run(&env);
        assert_eq!(customer_total(&ledger), dec!(0));
        assert!(ledger.lines.is_empty());
        assert!(ledger.exclusions.is_empty());
    }

    #[test]
    fn tc_ap_3_two_users_three_apps_bill_60() {
        let both = ["U1", "U2"];
        let env = env_with(
            vec![
                opened_by(app("App A", ConnectorClass::Premium), &both),
                opened_by(app("App B", ConnectorClass::Premium), &both),
                opened_by(app("App C", ConnectorClass::Premium), &both),
            ],
            unlicensed(&both),
        );
        let ledger = run(&env);
        assert_eq!(customer_total(&ledger), dec!(60.00));
        // INC-10: the pairs, not unique users, are what is counted.
        assert!(ledger.notes.iter().any(|n| n.rule == "INC-10"));
    }

    #[test]
    fn ap2_repeat_opens_count_once() {
        let env = env_with(
            vec![opened_by(
                app("App A", ConnectorClass::Premium),
                &["U1", "U1", "U2", "U1", "U2"],
            )],
            unlicensed(&["U1", "U2"]),
        );
        let ledger = run(&env);
        assert_eq!(ledger.lines[0].quantity, dec!(2));
        assert_eq!(customer_total(&ledger), dec!(20.00));
        assert!(ledger.notes.iter().all(|n| n.rule != "INC-10"));
    }

    #[test]
    fn ap5_per_user_licence_is_not_counted() {
        let mut a = app("App A", ConnectorClass::Premium);
        a.user_groups = vec![
            group(30, Licence::PowerAppsPerUser),
            group(5, Licence::None),
        ];
        let ledger = run(&env_with(vec![a], Vec::new()));
        assert_eq!(customer_total(&ledger), dec!(50.00));
        assert_eq!(excluded_quantity(&ledger, "AP-5"), dec!(30));
        assert_eq!(
            ledger.exclusions[0].reason,
            "30 users of App A with a Power Apps per-user licence are not counted (AP-5): \
             their licence covers every app."
        );
    }

    #[test]
    fn ap6_dynamics_full_user_is_not_counted_team_member_is() {
        let env = env_with(
            vec![opened_by(
                app("App A", ConnectorClass::Premium),
                &["D1", "T1"],
            )],
            [
                named_users(&["D1"], Licence::Dynamics365),
                named_users(&["T1"], Licence::Dynamics365TeamMember),
            ]
            .concat(),
        );
        let ledger = run(&env);
        assert_eq!(excluded_quantity(&ledger, "AP-6"), dec!(1));
        assert_eq!(ledger.lines[0].quantity, dec!(1));
        assert_eq!(customer_total(&ledger), dec!(10.00));
    }

    #[test]
    fn ap7_microsoft_365_counted_on_premium_apps_only() {
        let mut standard = app("Standard app", ConnectorClass::Standard);
        standard.user_groups = vec![group(4, Licence::Microsoft365)];
        let mut premium = app("Premium app", ConnectorClass::Premium);
        premium.user_groups = vec![group(4, Licence::Microsoft365)];
        let ledger = run(&env_with(vec![standard, premium], Vec::new()));
        assert_eq!(excluded_quantity(&ledger, "AP-7"), dec!(4));
        assert_eq!(ledger.exclusions[0].item, "Standard app");
        assert_eq!(ledger.lines.len(), 1);
        assert_eq!(ledger.lines[0].item, "Premium app");
        assert_eq!(customer_total(&ledger), dec!(40.00));
        assert!(ledger.lines[0].explanation.contains("AP-7"));
    }

    #[test]
    fn ap8_unlicensed_and_other_licences_charged_on_standard_and_premium() {
        let mut standard = app("Standard app", ConnectorClass::Standard);
        standard.user_groups = vec![
            group(1, Licence::None),
            group(1, Licence::PowerAutomatePremium),
            group(1, Licence::Dynamics365TeamMember),
        ];
        let mut premium = app("Premium app", ConnectorClass::Premium);
        premium.user_groups = vec![group(1, Licence::None)];
        let ledger = run(&env_with(vec![standard, premium], Vec::new()));
        assert_eq!(customer_total(&ledger), dec!(40.00));
        assert!(ledger.exclusions.is_empty());
    }

    #[test]
    fn ap8_unknown_id_is_counted_unlicensed_with_a_note() {
        let env = env_with(
            vec![opened_by(
                app("App A", ConnectorClass::Standard),
                &["ghost"],
            )],
            Vec::new(),
        );
        let ledger = run(&env);
        assert_eq!(customer_total(&ledger), dec!(10.00));
        assert!(
            ledger
                .notes
                .iter()
                .any(|n| n.rule == "AP-8" && n.text.contains("\"ghost\""))
        );
    }

    #[test]
    fn ap9_app_passes_are_not_consumed() {
        let mut a = app("App A", ConnectorClass::Premium);
        a.user_groups = vec![group(3, Licence::PowerAppsPerApp)];
        let ledger = run(&env_with(vec![a], Vec::new()));
        assert_eq!(customer_total(&ledger), dec!(30.00));
        assert!(
            ledger.lines[0]
                .explanation
                .contains("aren't consumed, AP-9")
        );
        assert!(ledger.notes.iter().any(|n| n.rule == "AP-9"));
    }

    #[test]
    fn ap10_opted_out_app_is_not_metered() {
        let mut a = app("App A", ConnectorClass::Premium);
        a.opted_out = true;
        a.user_groups = vec![group(7, Licence::None), group(2, Licence::PowerAppsPerUser)];
        let ledger = run(&env_with(vec![a], Vec::new()));
        assert_eq!(customer_total(&ledger), dec!(0));
        assert_eq!(ledger.exclusions.len(), 1);
        assert_eq!(excluded_quantity(&ledger, "AP-10"), dec!(9));
        assert!(ledger.exclusions[0].reason.contains("per-user licences"));
    }

    #[test]
    fn g1_not_billed_environment_records_one_exclusion_per_app() {
        let mut a = app("App A", ConnectorClass::Premium);
        a.user_groups = vec![group(5, Licence::None), group(2, Licence::PowerAppsPerUser)];
        let mut env = env_with(vec![a, app("Unused", ConnectorClass::Standard)], Vec::new());
        env.payg = false;
        let ledger = Pricing::not_billed().ledger(price, &env);
        assert!(ledger.lines.is_empty());
        assert_eq!(ledger.exclusions.len(), 1);
        assert_eq!(ledger.exclusions[0].rule, "G-1");
        assert_eq!(ledger.exclusions[0].quantity, dec!(7));
    }

    #[test]
    fn huge_counts_do_not_panic() {
        let mut a = app("App A", ConnectorClass::Premium);
        a.user_groups = vec![
            group(u64::MAX, Licence::None),
            group(u64::MAX, Licence::None),
        ];
        let env = env_with(vec![a], Vec::new());
        let ledger = run(&env);
        assert_eq!(
            ledger.lines[0].quantity,
            money::count(u64::MAX) * Decimal::TWO
        );
        let huge_price = Pricing {
            overrides: BTreeMap::from([(PriceKey::PowerAppsPerAppUser, Decimal::MAX)]),
            ..Pricing::default()
        };
        assert_eq!(huge_price.price(price, &env).err(), Some(Overflow));
    }
}
