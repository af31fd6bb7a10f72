//! The projection: the scenario month by month under a growth profile, each month priced with
//! its own length, one option held per item for the whole projection.

use super::*;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::super::PricingError;
use super::super::breakdown::Meter;
use super::super::money::{self, Overflow};
use super::super::price;
use super::super::scenario::*;

/// One projected month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedMonth {
    /// The calendar month priced.
    pub month: BillingMonth,
    /// The real number of days, which the engine prices with (DV-7, PA-14).
    pub days: u32,
    /// The usage multiplier.
    pub factor: Decimal,
    /// The engine's total billed to the customer for the month (every meter).
    pub payg: Decimal,
    /// The same month with the recommended mix: the advised items' chosen options instead of
    /// their pay-as-you-go, everything else on pay-as-you-go.
    pub recommended: Decimal,
}

/// Twelve projected months (or fewer, at the end).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedYear {
    /// 1 for months 1–12 of the projection, 2 for months 13–24 …
    pub year: u32,
    /// The projection's first month in this year.
    pub first: BillingMonth,
    /// Its last month (earlier than twelve months on at the end).
    pub last: BillingMonth,
    /// The engine's customer totals of these months.
    pub payg: Decimal,
    /// The recommended mix's totals of these months.
    pub recommended: Decimal,
}

/// The option held by one item for the whole projection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedChoice {
    /// What the item is.
    pub kind: SubjectKind,
    /// The item's environment.
    pub environment_name: String,
    /// The flow, app group, storage category, consumer or credits.
    pub subject: String,
    /// The option held for the whole projection.
    pub choice: Choice,
    /// The option's name in the first month.
    pub option: String,
    /// Its cost summed over the projection.
    pub cost: Decimal,
    /// Pay-as-you-go of the item summed over the projection.
    pub payg: Decimal,
}

/// Month-by-month prices under a growth profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Projection {
    /// The profile the months were scaled by.
    pub growth: Growth,
    /// Every projected month, first to last.
    pub months: Vec<ProjectedMonth>,
    /// Months 1–12, 13–24 … summed.
    pub years: Vec<ProjectedYear>,
    /// One option per item, chosen for the whole projection (licences are bought for months,
    /// as the documentation's Flow 5 keeps its licence through two months without runs).
    pub choices: Vec<ProjectedChoice>,
    /// Σ the months' pay-as-you-go.
    pub total_payg: Decimal,
    /// Σ the months' recommended mix.
    pub total_recommended: Decimal,
}

/// Projects a scenario over `months` months with [`AdvisorInputs::for_scenario`] (its
/// horizon does not apply: every projected month is one month).
pub fn project(
    scenario: &Scenario,
    growth: Growth,
    months: u32,
) -> Result<Projection, PricingError> {
    project_with(
        scenario,
        &AdvisorInputs::for_scenario(scenario),
        growth,
        months,
    )
}

/// Projects a scenario: month n is the scenario with its usage × the growth factor, priced in
/// its own calendar month (`BillingMonth::next`), so February has fewer Dataverse snapshots
/// than March.
pub fn project_with(
    scenario: &Scenario,
    inputs: &AdvisorInputs,
    growth: Growth,
    months: u32,
) -> Result<Projection, PricingError> {
    let inputs = AdvisorInputs {
        horizon_months: 1,
        flows: inputs.flows.clone(),
        ..AdvisorInputs::default()
    };
    let book = scenario.price_book.book();
    let (candidates, _) = candidates(scenario, &book.rules);
    let total_err = |_| PricingError::Overflow {
        environment: "all environments".to_string(),
        meter: Meter::FlowRuns,
    };

    // Per month: the engine's total, the items' pay-as-you-go, each item's options.
    struct Month {
        month: BillingMonth,
        factor: Decimal,
        payg: Decimal,
        items_payg: Decimal,
        options: Vec<Vec<(Choice, Decimal)>>,
    }
    let mut rows: Vec<Month> = Vec::new();
    let mut first: Vec<Option<Recommendation>> = vec![None; candidates.len()];
    let mut month = scenario.month;
    for n in 0..months {
        let factor = growth.factor(n, month).map_err(total_err)?;
        let mut s = scale_usage(scenario, factor)?;
        s.month = month;
        // The credits item compares whole purchase routes (all pay-as-you-go against packs or
        // units): the month's pay-as-you-go is priced without the capacity it sets aside.
        for c in &candidates {
            if c.target == Target::Credits
                && let Some(env) = s.environments.get_mut(c.environment)
            {
                env.copilot_credits.prepaid_packs = 0;
                env.copilot_credits.prepurchase_units = 0;
            }
        }
        let payg = price(&s)?.total_billed;
        let ctx = Ctx::new(&s, &inputs);
        let mut items_payg = Decimal::ZERO;
        let mut options = Vec::with_capacity(candidates.len());
        for (i, c) in candidates.iter().enumerate() {
            let r = ctx.evaluate(c)?;
            items_payg = money::add(items_payg, r.payg).map_err(total_err)?;
            options.push(r.alternatives.iter().map(|a| (a.choice, a.cost)).collect());
            if let Some(slot) = first.get_mut(i)
                && slot.is_none()
            {
                *slot = Some(r);
            }
        }
        rows.push(Month {
            month,
            factor,
            payg,
            items_payg,
            options,
        });
        month = month.next();
    }

    // One option per item for the whole projection: the cheapest total among the options
    // priced in every month (pay-as-you-go first, so it wins ties).
    let mut chosen: Vec<Choice> = Vec::with_capacity(candidates.len());
    let mut choices = Vec::new();
    for (i, rec) in first.iter().enumerate() {
        let mut totals: Vec<(Choice, Decimal, usize)> = Vec::new();
        for row in &rows {
            let Some(opts) = row.options.get(i) else {
                continue;
            };
            for &(choice, cost) in opts {
                match totals.iter_mut().find(|t| t.0 == choice) {
                    Some(t) => {
                        t.1 = money::add(t.1, cost).map_err(total_err)?;
                        t.2 += 1;
                    }
                    None => totals.push((choice, cost, 1)),
                }
            }
        }
        let mut best: Option<(Choice, Decimal)> = None;
        let mut payg_total = Decimal::ZERO;
        for &(choice, total, seen) in &totals {
            if choice == Choice::PayAsYouGo {
                payg_total = total;
            }
            if seen == rows.len() && best.is_none_or(|(_, b)| total < b) {
                best = Some((choice, total));
            }
        }
        let (choice, cost) = best.unwrap_or((Choice::PayAsYouGo, payg_total));
        chosen.push(choice);
        if let Some(r) = rec
            && !(payg_total.is_zero() && choice == Choice::PayAsYouGo)
        {
            choices.push(ProjectedChoice {
                kind: r.kind,
                environment_name: r.environment_name.clone(),
                subject: r.subject.clone(),
                choice,
                option: r
                    .alternative(choice)
                    .map_or_else(|| choice.label().to_string(), |a| a.name.clone()),
                cost: cents(cost),
                payg: cents(payg_total),
            });
        }
    }

    let mut out_months = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut recommended = money::sub(row.payg, row.items_payg).map_err(total_err)?;
        for (opts, choice) in row.options.iter().zip(&chosen) {
            let cost = opts
                .iter()
                .find(|(c, _)| c == choice)
                .map_or(Decimal::ZERO, |(_, c)| *c);
            recommended = money::add(recommended, cost).map_err(total_err)?;
        }
        out_months.push(ProjectedMonth {
            month: row.month,
            days: row.month.days(),
            factor: row.factor.normalize(),
            payg: cents(row.payg),
            recommended: cents(recommended),
        });
    }
    let mut years = Vec::new();
    for (y, chunk) in out_months.chunks(12).enumerate() {
        let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
            continue;
        };
        let sum = |f: fn(&ProjectedMonth) -> Decimal| {
            chunk
                .iter()
                .try_fold(Decimal::ZERO, |acc, m| money::add(acc, f(m)))
        };
        years.push(ProjectedYear {
            year: u32::try_from(y + 1).unwrap_or(u32::MAX),
            first: first.month,
            last: last.month,
            payg: cents(sum(|m| m.payg).map_err(total_err)?),
            recommended: cents(sum(|m| m.recommended).map_err(total_err)?),
        });
    }
    let total = |f: fn(&ProjectedMonth) -> Decimal| {
        out_months
            .iter()
            .try_fold(Decimal::ZERO, |acc, m| money::add(acc, f(m)))
            .map_err(total_err)
    };
    Ok(Projection {
        growth,
        total_payg: cents(total(|m| m.payg)?),
        total_recommended: cents(total(|m| m.recommended)?),
        months: out_months,
        years,
        choices,
    })
}

/// The scenario with every usage count × `factor`, rounded half away from zero; storage GB
/// × `factor` exactly. People who hold licences (named users, request consumers' members,
/// ISV makers) and prices stay as they are; app and website user counts are usage and scale.
pub fn scale_usage(scenario: &Scenario, factor: Decimal) -> Result<Scenario, PricingError> {
    let mut s = scenario.clone();
    if factor == Decimal::ONE {
        return Ok(s);
    }
    let n = |v: u64| -> Result<u64, Overflow> {
        money::mul(money::count(v), factor)?
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_u64()
            .ok_or(Overflow)
    };
    let gb = |v: Decimal| money::mul(v, factor);
    for env in &mut s.environments {
        let name = env.name.clone();
        let err = |meter: Meter| {
            let name = name.clone();
            move |Overflow| PricingError::Overflow {
                environment: name.clone(),
                meter,
            }
        };
        for app in &mut env.apps {
            for g in &mut app.user_groups {
                g.users = n(g.users).map_err(err(Meter::PowerApps))?;
            }
        }
        for flow in &mut env.flows {
            let e = err(Meter::FlowRuns);
            for g in &mut flow.runs {
                g.runs = n(g.runs).map_err(&e)?;
            }
            for d in &mut flow.daily_runs {
                d.runs = n(d.runs).map_err(&e)?;
            }
            flow.test_runs = n(flow.test_runs).map_err(&e)?;
            flow.resubmitted_runs = n(flow.resubmitted_runs).map_err(&e)?;
            if let Some(b) = flow.busiest_day_runs {
                flow.busiest_day_runs = Some(n(b).map_err(&e)?);
            }
        }
        for w in &mut env.websites {
            let e = err(Meter::PowerPages);
            for g in &mut w.authenticated {
                g.users = n(g.users).map_err(&e)?;
            }
            w.anonymous_visitors = n(w.anonymous_visitors).map_err(&e)?;
            let x = &mut w.anonymous_exclusions;
            for v in [
                &mut x.auth_pages_only,
                &mut x.underscore_paths_only,
                &mut x.error_or_redirect_only,
                &mut x.static_only,
                &mut x.bots,
                &mut x.monitors,
                &mut x.logged_in_same_day,
            ] {
                *v = n(*v).map_err(&e)?;
            }
        }
        {
            let e = err(Meter::Dataverse);
            for usage in [
                &mut env.storage.database,
                &mut env.storage.file,
                &mut env.storage.log,
            ] {
                match usage {
                    StorageUsage::Constant { gb: v } => *v = gb(*v).map_err(&e)?,
                    StorageUsage::Linear { start_gb, end_gb } => {
                        *start_gb = gb(*start_gb).map_err(&e)?;
                        *end_gb = gb(*end_gb).map_err(&e)?;
                    }
                    StorageUsage::Series { points } => {
                        for p in points {
                            p.gb = gb(p.gb).map_err(&e)?;
                        }
                    }
                }
            }
        }
        for r in &mut env.requests {
            let e = err(Meter::Requests);
            r.requests_per_day = n(r.requests_per_day).map_err(&e)?;
            for d in &mut r.daily_requests {
                d.requests = n(d.requests).map_err(&e)?;
            }
        }
        let c = &mut env.copilot_studio;
        let e = err(Meter::CopilotStudio);
        for v in [
            &mut c.messages,
            &mut c.classic_answers,
            &mut c.generative_answers,
            &mut c.agent_actions,
            &mut c.graph_grounding,
            &mut c.m365_licensed_messages,
        ] {
            *v = n(*v).map_err(&e)?;
        }
    }
    for customer in &mut s.isv_customers {
        customer.runs_per_maker =
            n(customer.runs_per_maker).map_err(|Overflow| PricingError::Overflow {
                environment: "ISV customers".to_string(),
                meter: Meter::Embed,
            })?;
    }
    Ok(s)
}
