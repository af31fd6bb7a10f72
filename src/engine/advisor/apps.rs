//! App users: Power Apps Premium per person (AP-5, PP-3) and per-app passes (AP-9, G-8).

use super::*;

use rust_decimal::Decimal;

use super::super::PricingError;
use super::super::breakdown::Meter;
use super::super::money;
use super::super::price_book::{PriceKey, end_of_sale};
use super::super::scenario::*;

impl Ctx<'_> {
    pub(super) fn app_quick(
        &self,
        env: &Environment,
        index: usize,
    ) -> Result<Evaluated, PricingError> {
        let Some(app) = env.apps.get(index) else {
            return Err(missing(env, Meter::PowerApps));
        };
        let o = overflow(env, Meter::PowerApps);
        let only = |groups: Vec<UserGroup>| {
            let mut e = bare(env);
            e.apps = vec![App {
                name: app.name.clone(),
                connectors: app.connectors,
                opted_out: app.opted_out,
                user_groups: groups,
                opened_by: Vec::new(),
            }];
            e
        };
        let payg = self.payg(
            only(app.user_groups.clone()),
            self.horizon,
            Meter::PowerApps,
        )?;
        let metered = app
            .user_groups
            .iter()
            .filter(|g| g.licence.app_exemption(app.connectors).is_none())
            .try_fold(Decimal::ZERO, |acc, g| {
                money::add(acc, money::count(g.users))
            })
            .map_err(o)?;
        let upgraded: Vec<UserGroup> = app
            .user_groups
            .iter()
            .map(|g| UserGroup {
                users: g.users,
                licence: if g.licence.app_exemption(app.connectors).is_none() {
                    Licence::PowerAppsPerUser
                } else {
                    g.licence
                },
            })
            .collect();
        let residual =
            money::mul(self.price_alone(only(upgraded))?.total_billed, self.h()).map_err(o)?;
        let usage = format!(
            "{} whom the per-app meter counts opened {} (quick counts, AP-1, AP-2).",
            plural(metered, "user", "users"),
            app.name
        );
        let premium = Draft {
            residual,
            ..Draft::new(
                Choice::PowerAppsPremium,
                format!(
                    "{} for {}",
                    Choice::PowerAppsPremium.label(),
                    plural(metered, "user", "users")
                ),
                vec![self.part(PriceKey::PowerAppsPremium, metered)],
                "Power Apps Premium covers every app these users open (AP-5), their Power Pages \
                 logins (PP-3) and flows triggered from apps (PA-9); quick counts don't say who \
                 else they are, so the comparison counts this app only."
                    .to_string(),
            )
        };
        let passes = self.passes(metered, Decimal::ONE, &app.name);
        self.apps_result(
            env,
            app.name.clone(),
            usage,
            payg,
            metered,
            Decimal::ONE,
            premium,
            passes,
        )
    }

    pub(super) fn app_named(
        &self,
        env: &Environment,
        apps: &[usize],
        ids: &[String],
    ) -> Result<Evaluated, PricingError> {
        let o = overflow(env, Meter::PowerApps);
        let chosen: Vec<&App> = apps.iter().filter_map(|a| env.apps.get(*a)).collect();
        let names: Vec<&str> = chosen.iter().map(|a| a.name.as_str()).collect();
        let with_users = |users: Vec<NamedUser>| {
            let mut e = bare(env);
            e.users = users;
            e.apps = chosen
                .iter()
                .map(|a| App {
                    name: a.name.clone(),
                    connectors: a.connectors,
                    opted_out: a.opted_out,
                    user_groups: Vec::new(),
                    opened_by: ids.to_vec(),
                })
                .collect();
            e
        };
        let payg = self.payg(
            with_users(env.users.clone()),
            self.horizon,
            Meter::PowerApps,
        )?;
        // The same people with Power Apps Premium (AP-5; PP-3 for their logins).
        let mut licensed: Vec<NamedUser> = env
            .users
            .iter()
            .map(|u| NamedUser {
                id: u.id.clone(),
                licence: if ids.contains(&u.id) {
                    Licence::PowerAppsPerUser
                } else {
                    u.licence
                },
            })
            .collect();
        for id in ids {
            if !env.users.iter().any(|u| &u.id == id) {
                licensed.push(NamedUser {
                    id: id.clone(),
                    licence: Licence::PowerAppsPerUser,
                });
            }
        }
        let residual = money::mul(
            self.price_alone(with_users(licensed.clone()))?.total_billed,
            self.h(),
        )
        .map_err(o)?;
        // Their Power Pages logins, which the licence also exempts (PP-3): counted.
        let pages = |users: Vec<NamedUser>| {
            let mut e = bare(env);
            e.users = users;
            e.websites = env
                .websites
                .iter()
                .map(|w| Website {
                    name: w.name.clone(),
                    status: w.status,
                    authenticated: Vec::new(),
                    logged_in: w.logged_in.clone(),
                    anonymous_visitors: 0,
                    anonymous_exclusions: AnonymousExclusions::default(),
                    anonymous_requests: Vec::new(),
                })
                .collect();
            e
        };
        let savings = if env.websites.iter().any(|w| !w.logged_in.is_empty()) {
            let before = self.price_alone(pages(env.users.clone()))?.total_billed;
            let after = self.price_alone(pages(licensed))?.total_billed;
            money::mul(money::sub(before, after).map_err(o)?, self.h())
                .map_err(o)?
                .max(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        let n = money::count(ids.len() as u64);
        let n_apps = money::count(chosen.len() as u64);
        let subject = format!(
            "{} of {}",
            plural(n, "named user", "named users"),
            names.join(", ")
        );
        let usage = format!(
            "{} each opened {} ({}), {} each (AP-2).",
            plural(n, "named user", "named users"),
            plural(n_apps, "app", "apps"),
            names.join(", "),
            plural(n_apps, "meter unit", "meter units")
        );
        let premium = Draft {
            residual,
            savings,
            counts_other_coverage: true,
            ..Draft::new(
                Choice::PowerAppsPremium,
                format!(
                    "{} for {}",
                    Choice::PowerAppsPremium.label(),
                    plural(n, "user", "users")
                ),
                vec![self.part(PriceKey::PowerAppsPremium, n)],
                format!(
                    "One Power Apps Premium licence per person covers {} they open (AP-5) and \
                     their Power Pages logins (PP-3), which the comparison counts ({} of \
                     logins); flows triggered from apps are covered too (PA-9).",
                    if n_apps == Decimal::ONE {
                        "the app".to_string()
                    } else {
                        format!("all {} apps", qty(n_apps))
                    },
                    usd(savings)
                ),
            )
        };
        let passes = self.passes(n, n_apps, &names.join(", "));
        self.apps_result(env, subject, usage, payg, n, n_apps, premium, passes)
    }

    /// Per-app passes: one per user per app; ignored in pay-as-you-go environments (AP-9).
    pub(super) fn passes(&self, users: Decimal, apps: Decimal, what: &str) -> Draft {
        let quantity = users.checked_mul(apps).unwrap_or(Decimal::MAX);
        let mut d = Draft::new(
            Choice::PowerAppsPerApp,
            format!(
                "{} for {} × {}",
                Choice::PowerAppsPerApp.label(),
                plural(users, "user", "users"),
                plural(apps, "app", "apps")
            ),
            vec![self.part(PriceKey::PowerAppsPerApp, quantity)],
            format!("A per-app pass licenses one person for one app ({what})."),
        );
        let mut caveat = "Per-app passes are ignored in a pay-as-you-go environment (AP-9, G-8): \
                          this option means moving the app to an environment that is not \
                          pay-as-you-go, with a pass for everyone who may open it, not only this \
                          month's active users."
            .to_string();
        if let Some(eos) = self.end_of_sale(PriceKey::PowerAppsPerApp) {
            caveat.push(' ');
            caveat.push_str(&eos);
        }
        d.caveat = Some(caveat);
        d
    }

    /// EOS-1: who can still buy the licence priced under `key` in the scenario's month, and
    /// what everyone else has instead, if it has left some sales channels by then.
    pub(super) fn end_of_sale(&self, key: PriceKey) -> Option<String> {
        let eos = end_of_sale(key, self.scenario.month)?;
        Some(format!(
            "Since {} the licence is no longer sold to {}; it can still be bought {} (EOS-1). \
             Everyone else has the pay-as-you-go per-app meter ({} per active user per app) or \
             Power Apps Premium ({} per user).",
            eos.date,
            eos.ended_for,
            eos.still_sold,
            unit_price(self.rate(PriceKey::PowerAppsPerAppUser)),
            unit_price(self.rate(PriceKey::PowerAppsPremium)),
        ))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn apps_result(
        &self,
        env: &Environment,
        subject: String,
        usage: String,
        payg: Payg,
        users: Decimal,
        apps: Decimal,
        premium: Draft,
        passes: Draft,
    ) -> Result<Evaluated, PricingError> {
        let o = overflow(env, Meter::PowerApps);
        let meter = self.rate(PriceKey::PowerAppsPerAppUser);
        let premium_price = self.rate(PriceKey::PowerAppsPremium);
        let pass = self.rate(PriceKey::PowerAppsPerApp);
        let mut break_evens = Vec::new();
        if let Some(be) = break_even(
            Choice::PowerAppsPremium,
            Choice::PowerAppsPremium.label(),
            "apps per user a month",
            CostLine {
                fixed: Decimal::ZERO,
                per_unit: meter,
            },
            CostLine {
                fixed: premium_price,
                per_unit: Decimal::ZERO,
            },
            Some(apps),
            true,
            format!("({} ÷ {})", usd(premium_price), unit_price(meter)),
        ) {
            let whole = be.whole;
            break_evens.push(be.reworded(format!(
                "Power Apps Premium wins for people who open more than {} apps a month ({} ÷ {}).",
                whole,
                usd(premium_price),
                unit_price(meter)
            )));
        }
        // Passes go to everyone who may open the app; the meter counts only who did.
        let passes_fixed = money::mul(money::mul(users, apps).map_err(o)?, pass).map_err(o)?;
        let per_active = money::mul(meter, apps).map_err(o)?;
        if let Some(be) = break_even(
            Choice::PowerAppsPerApp,
            Choice::PowerAppsPerApp.label(),
            "active users a month",
            CostLine {
                fixed: Decimal::ZERO,
                per_unit: per_active,
            },
            CostLine {
                fixed: passes_fixed,
                per_unit: Decimal::ZERO,
            },
            Some(users),
            true,
            String::new(),
        ) {
            let sentence = format!(
                "Per-app passes for {} win while more than {} of them open {} in a month ({} ÷ \
                 {}).",
                plural(users, "person", "people"),
                be.whole,
                if apps == Decimal::ONE {
                    "the app".to_string()
                } else {
                    "the apps".to_string()
                },
                usd(passes_fixed),
                unit_price(per_active)
            );
            break_evens.push(be.reworded(sentence));
        }
        let drafts = vec![premium, passes];
        let prepaid = cheapest(&drafts, self);
        Ok(Evaluated {
            kind: SubjectKind::Apps,
            subject,
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }
}
