//! Flows: user licences for whoever decides the runs (PA-6, PA-7), bots for unattended and
//! hosted desktop flows (S16, AMB-6), flow licences (PA-8, INC-3).

use super::*;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use rust_decimal::RoundingStrategy;

use rust_decimal::Decimal;

use super::super::PricingError;
use super::super::breakdown::Meter;
use super::super::flow_runs;
use super::super::money;
use super::super::price_book::PriceKey;
use super::super::scenario::*;

/// The kind of run, for sentences.
fn run_kind(flow: &Flow) -> &'static str {
    match (flow.mode, flow.connectors) {
        (RunMode::Cloud, FlowConnectors::Standard) => "standard cloud",
        (RunMode::Cloud, FlowConnectors::Premium) => "premium cloud",
        (RunMode::Cloud, FlowConnectors::IsvOnly) => "ISV-connector cloud",
        (RunMode::Attended, _) => "attended desktop",
        (RunMode::Unattended, _) => "unattended desktop",
        (RunMode::Hosted, _) => "hosted RPA",
    }
}

/// What every option of one flow is priced from.
#[derive(Clone, Copy)]
struct FlowItem<'a> {
    env: &'a Environment,
    flow: &'a Flow,
    who: Who,
    /// People who would each need a user licence (PA-6); 0 for a service principal's flow.
    users: u64,
    n_users: Decimal,
    /// Bots running at once (unattended and hosted flows).
    bots: u64,
    mode: RunMode,
    kind: &'static str,
    /// The meter's rate per run.
    rate: Decimal,
    /// The horizon in months.
    h: Decimal,
    monthly_runs: Decimal,
    /// Pay-as-you-go as a function of runs.
    payg_line: CostLine,
}

/// The options of one flow as they are found, in the order they are listed.
#[derive(Default)]
struct Options {
    drafts: Vec<Draft>,
    break_evens: Vec<BreakEven>,
    /// Index into `drafts` of the documentation's prepaid option.
    prepaid: Option<usize>,
}

/// Whose licence decides a flow's runs (PA-6, PA-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Who {
    Owner(Licence),
    Invokers,
    ServicePrincipal,
}

impl Who {
    pub(super) fn of(flow: &Flow) -> Who {
        match flow.owner {
            Owner::ServicePrincipal => Who::ServicePrincipal,
            Owner::User(l) if flow.trigger.uses_owner_licence() => Who::Owner(l),
            Owner::User(_) => Who::Invokers,
        }
    }
}

impl Ctx<'_> {
    pub(super) fn flow(&self, env: &Environment, index: usize) -> Result<Evaluated, PricingError> {
        let Some(flow) = env.flows.get(index) else {
            return Err(missing(env, Meter::FlowRuns));
        };
        let alone = |f: Flow| {
            let mut e = bare(env);
            e.flows = vec![f];
            e
        };
        // Flow runs are horizon totals (see `AdvisorInputs::horizon_months`): priced once.
        let payg = self.payg(alone(flow.clone()), 1, Meter::FlowRuns)?;
        let o = overflow(env, Meter::FlowRuns);
        let who = Who::of(flow);
        let sizing = self.inputs.sizing(&env.name, &flow.name);
        let mode = flow.mode;
        let kind = run_kind(flow);
        let rate = self.rate(flow_runs::price_key(mode));
        let h = self.h();
        let runs = payg.quantity;
        let monthly_runs = money::div(runs, h).map_err(o)?;

        // Who would need a user licence (PA-6).
        let (users, users_assumed) = match who {
            Who::Owner(_) => (1u64, false),
            Who::ServicePrincipal => (0, false),
            Who::Invokers => match sizing.and_then(|s| s.users) {
                Some(n) => (n, false),
                None => {
                    let classes: BTreeSet<Licence> = flow
                        .runs
                        .iter()
                        .map(|g| (g.licence, g.runs))
                        .chain(flow.daily_runs.iter().map(|d| (d.licence, d.runs)))
                        .filter(|(l, n)| *n > 0 && l.flow_run_exemption(mode).is_none())
                        .map(|(l, _)| l)
                        .collect();
                    (classes.len().max(1) as u64, true)
                }
            },
        };
        let bots = sizing.and_then(|s| s.bots).unwrap_or(1).max(1);
        let n_users = money::count(users);

        let mut usage = format!(
            "{} charged {} ({} a month)",
            plural(runs, &format!("{kind} run"), &format!("{kind} runs")),
            period(self.horizon),
            qty(monthly_runs.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
        );
        match who {
            Who::Owner(l) => {
                let _ = write!(
                    usage,
                    ", judged by the owner's licence ({}, PA-6).",
                    l.label()
                );
            }
            Who::Invokers if users_assumed => {
                let _ = write!(
                    usage,
                    ", run by people judged by their own licences (PA-6); assumed {} (the \
                     scenario does not say how many people run it).",
                    plural(n_users, "person", "people")
                );
            }
            Who::Invokers => {
                let _ = write!(
                    usage,
                    ", run by {} judged by their own licences (PA-6).",
                    plural(n_users, "person", "people")
                );
            }
            Who::ServicePrincipal => {
                usage.push_str(
                    ", owned by a service principal, so only a flow licence can exempt them \
                     (PA-8).",
                );
            }
        }

        let item = FlowItem {
            env,
            flow,
            who,
            users,
            n_users,
            bots,
            mode,
            kind,
            rate,
            h,
            monthly_runs,
            payg_line: CostLine {
                fixed: Decimal::ZERO,
                per_unit: rate,
            },
        };
        let mut out = Options::default();
        self.user_licences(&item, &mut out)?;
        self.bots(&item, &mut out)?;
        self.flow_licences(&item, &mut out)?;
        let Options {
            drafts,
            break_evens,
            mut prepaid,
        } = out;
        if prepaid.is_none() && !drafts.is_empty() {
            prepaid = cheapest(&drafts, self);
        }
        Ok(Evaluated {
            kind: SubjectKind::Flow,
            subject: flow.name.clone(),
            usage,
            payg,
            drafts,
            prepaid,
            break_evens,
        })
    }

    /// User licences for whoever decides the runs (PA-6, PA-7).
    fn user_licences(&self, item: &FlowItem<'_>, out: &mut Options) -> Result<(), PricingError> {
        let FlowItem {
            flow,
            who,
            users,
            n_users,
            mode,
            kind,
            rate,
            monthly_runs,
            payg_line,
            ..
        } = *item;
        let Options {
            drafts,
            break_evens,
            prepaid,
        } = out;
        // User licences for the people whose licence decides the runs (PA-6, PA-7). Only the
        // lowest of their break-evens is shown: a dearer licence covering the same runs never
        // wins first.
        let mut user_break_evens: Vec<BreakEven> = Vec::new();
        if who != Who::ServicePrincipal && users > 0 {
            let licences: &[(Licence, Choice, PriceKey)] = match self.era {
                Era::Legacy => &[
                    (
                        Licence::PowerAutomatePerUser,
                        Choice::PowerAutomatePerUser,
                        PriceKey::PowerAutomatePerUser,
                    ),
                    (
                        Licence::PowerAutomatePerUserRpa,
                        Choice::PowerAutomatePerUserRpa,
                        PriceKey::PowerAutomatePerUserRpa,
                    ),
                ],
                Era::Current => &[(
                    Licence::PowerAutomatePremium,
                    Choice::PowerAutomatePremium,
                    PriceKey::PowerAutomatePremium,
                )],
            };
            for &(licence, choice, key) in licences {
                if licence.flow_run_exemption(mode).is_none() {
                    continue;
                }
                let f = with_user_licence(flow, licence);
                let whom = match who {
                    Who::Owner(_) => "the owner".to_string(),
                    _ => plural(n_users, "user", "users"),
                };
                let mut d = Draft::new(
                    choice,
                    format!("{} for {whom}", choice.label()),
                    vec![self.part(key, n_users)],
                    format!(
                        "{} covers {}'s {} runs in every flow, not only this one (PA-7); the \
                         scenario does not say who runs its other flows, so the comparison \
                         counts this flow only.",
                        choice.label(),
                        if matches!(who, Who::Owner(_)) {
                            "the owner"
                        } else {
                            "each user"
                        },
                        if licence.flow_run_exemption(RunMode::Attended).is_some() {
                            "premium cloud and attended desktop"
                        } else {
                            "premium cloud"
                        }
                    ),
                );
                d.residual = self.flow_residual(item, f)?;
                if prepaid.is_none() {
                    *prepaid = Some(drafts.len());
                }
                let price = self.rate(key);
                let current = if users > 0 {
                    money::div(monthly_runs, n_users).ok()
                } else {
                    None
                };
                if let Some(be) = break_even(
                    choice,
                    choice.label(),
                    &format!("{kind} runs per user a month"),
                    payg_line,
                    CostLine {
                        fixed: price,
                        per_unit: Decimal::ZERO,
                    },
                    current,
                    true,
                    format!("({} ÷ {})", usd(price), unit_price(rate)),
                ) {
                    user_break_evens.push(be);
                }
                drafts.push(d);
            }
        }

        if let Some(lowest) = user_break_evens
            .into_iter()
            .min_by(|a, b| a.exact.cmp(&b.exact))
        {
            break_evens.push(lowest);
        }

        Ok(())
    }

    /// Bots for unattended and hosted desktop flows.
    fn bots(&self, item: &FlowItem<'_>, out: &mut Options) -> Result<(), PricingError> {
        let FlowItem {
            flow,
            bots,
            mode,
            kind,
            rate,
            monthly_runs,
            payg_line,
            ..
        } = *item;
        let Options {
            drafts,
            break_evens,
            prepaid,
        } = out;
        let o = overflow(item.env, Meter::FlowRuns);
        // Bots for unattended and hosted desktop flows (PA-7, AMB-6, G-8).
        if matches!(mode, RunMode::Unattended | RunMode::Hosted) {
            let bot = match (self.era, mode) {
                (Era::Legacy, RunMode::Unattended) => {
                    Some((Choice::UnattendedAddon, PriceKey::UnattendedRpaAddon))
                }
                (Era::Current, RunMode::Unattended) => {
                    Some((Choice::ProcessBots, PriceKey::PowerAutomateProcess))
                }
                (Era::Current, _) => Some((Choice::HostedProcessBots, PriceKey::HostedProcess)),
                // The 2023-06 table has no prepaid hosted RPA price (spec 5.2).
                (Era::Legacy, _) => None,
            };
            if let Some((choice, key)) = bot {
                let maker_key = match self.era {
                    Era::Legacy => PriceKey::PowerAutomatePerUserRpa,
                    Era::Current => PriceKey::PowerAutomatePremium,
                };
                let maker_label = match self.era {
                    Era::Legacy => "Power Automate per user with attended RPA",
                    Era::Current => "Power Automate Premium",
                };
                // The machine is registered by a maker with attended RPA rights (S16); an
                // owner who holds them already needs nothing more.
                let maker_needed = !matches!(
                    flow.owner,
                    Owner::User(l) if l.flow_run_exemption(RunMode::Attended).is_some()
                );
                let n_bots = money::count(bots);
                let mut parts = vec![self.part(key, n_bots)];
                if maker_needed {
                    parts.push(self.part(maker_key, Decimal::ONE));
                }
                let in_payg = choice != Choice::UnattendedAddon
                    && self.scenario.options.process_licence_covers_unattended;
                let mut d = Draft::new(
                    choice,
                    format!(
                        "{} for {}{}",
                        match choice {
                            Choice::UnattendedAddon => "Unattended RPA add-on",
                            Choice::HostedProcessBots => "Hosted Process",
                            _ => "Power Automate Process",
                        },
                        plural(n_bots, "bot", "bots"),
                        if maker_needed {
                            format!(" + {maker_label} for the maker")
                        } else {
                            String::new()
                        }
                    ),
                    parts,
                    format!(
                        "One licence per bot running at once; the machine is registered by a \
                         maker with {maker_label}{}, which also covers the maker's own cloud \
                         and attended runs (not counted).",
                        if maker_needed {
                            ", counted here"
                        } else {
                            " (the owner holds it already)"
                        }
                    ),
                );
                if in_payg {
                    let mut f = flow.clone();
                    f.flow_licence = match choice {
                        Choice::HostedProcessBots => FlowLicence::HostedProcess,
                        _ => FlowLicence::Process,
                    };
                    d.residual = self.flow_residual(item, f)?;
                } else {
                    d.caveat = Some(
                        "Pay-as-you-go ignores unattended bot capacity (PA-7, G-8, AMB-6): this \
                         option means running the flow in an environment that is not \
                         pay-as-you-go."
                            .to_string(),
                    );
                }
                let fixed = d
                    .parts
                    .iter()
                    .try_fold(Decimal::ZERO, |acc, p| {
                        money::add(acc, money::mul(p.quantity, p.unit_price)?)
                    })
                    .map_err(o)?;
                if prepaid.is_none() {
                    *prepaid = Some(drafts.len());
                }
                let unit = format!("{kind} runs a month");
                if let Some(be) = break_even(
                    choice,
                    &d.name,
                    &unit,
                    payg_line,
                    CostLine {
                        fixed,
                        per_unit: Decimal::ZERO,
                    },
                    Some(monthly_runs),
                    true,
                    format!("({} ÷ {})", usd(fixed), unit_price(rate)),
                ) {
                    break_evens.push(be);
                }
                drafts.push(d);
            }
        }

        Ok(())
    }

    /// Licences on the flow itself.
    fn flow_licences(&self, item: &FlowItem<'_>, out: &mut Options) -> Result<(), PricingError> {
        let FlowItem {
            flow,
            who,
            mode,
            kind,
            rate,
            h,
            monthly_runs,
            payg_line,
            ..
        } = *item;
        let Options {
            drafts,
            break_evens,
            prepaid,
        } = out;
        let o = overflow(item.env, Meter::FlowRuns);
        // Flow licences (PA-7, PA-8, AMB-6): they cover the flow's cloud runs whoever runs it.
        let flow_licences: &[(FlowLicence, Choice, PriceKey)] = match self.era {
            Era::Legacy => &[(
                FlowLicence::PerFlow,
                Choice::PerFlow,
                PriceKey::PowerAutomatePerFlow,
            )],
            Era::Current => &[(
                FlowLicence::Process,
                Choice::Process,
                PriceKey::PowerAutomateProcess,
            )],
        };
        let covers_unattended = self.scenario.options.process_licence_covers_unattended;
        for &(licence, choice, key) in flow_licences {
            // Unattended flows are advised with bots above; a flow licence that covers them
            // (the AMB-6 option) is the same licence.
            if mode != RunMode::Cloud
                || licence
                    .flow_run_exemption(mode, covers_unattended)
                    .is_none()
            {
                continue;
            }
            let mut f = flow.clone();
            f.flow_licence = licence;
            let price = self.rate(key);
            let mut d = Draft::new(
                choice,
                format!("{} for this flow", choice.label()),
                vec![self.part(key, Decimal::ONE)],
                format!(
                    "{} covers every user's cloud runs of this flow (PA-7), a service \
                     principal's too (PA-8); desktop runs it calls are still charged (AMB-6).",
                    choice.label()
                ),
            );
            d.residual = self.flow_residual(item, f)?;
            let per_flow = self.rate(PriceKey::PowerAutomatePerFlow);
            let minimum =
                money::mul(money::mul(per_flow, Decimal::from(5)).map_err(o)?, h).map_err(o)?;
            let mut sentence = format!("({} ÷ {})", usd(price), unit_price(rate));
            if choice == Choice::PerFlow {
                d.caveat = Some(format!(
                    "The documentation's table prices one per-flow licence (INC-3), but per-flow \
                     licences were sold with a minimum of 5: if this is your only per-flow \
                     flow, the real cost is {}5 × {} = {}.",
                    if self.horizon == 1 {
                        String::new()
                    } else {
                        format!("{} × ", self.horizon)
                    },
                    unit_price(per_flow),
                    usd(minimum)
                ));
                d.minimum_purchase_cost = Some(money::add(minimum, d.residual).map_err(o)?);
                let five = money::mul(per_flow, Decimal::from(5)).map_err(o)?;
                if let Ok(x) = money::div(five, rate) {
                    sentence = format!(
                        "({} ÷ {}); above {} if it is your only per-flow licence (5 × {} ÷ {})",
                        usd(price),
                        unit_price(rate),
                        floor_u64(x),
                        unit_price(per_flow),
                        unit_price(rate)
                    );
                }
            } else if who == Who::ServicePrincipal {
                d.caveat = Some(format!(
                    "Power Automate per flow ({} a flow, minimum 5 licences) left the price list \
                     on 02/01/2024 (S17); at its minimum it would cost {}5 × {} = {} (INC-3).",
                    unit_price(per_flow),
                    if self.horizon == 1 {
                        String::new()
                    } else {
                        format!("{} × ", self.horizon)
                    },
                    unit_price(per_flow),
                    usd(minimum)
                ));
            }
            if who == Who::ServicePrincipal && prepaid.is_none() {
                *prepaid = Some(drafts.len());
            }
            let unit = format!("{kind} runs a month");
            if let Some(be) = break_even(
                choice,
                choice.label(),
                &unit,
                payg_line,
                CostLine {
                    fixed: price,
                    per_unit: Decimal::ZERO,
                },
                Some(monthly_runs),
                true,
                sentence,
            ) {
                break_evens.push(be);
            }
            drafts.push(d);
        }
        Ok(())
    }

    /// What the meters still bill for `flow` (a changed copy of the item's flow) alone; runs
    /// are horizon totals, so it is priced once.
    fn flow_residual(&self, item: &FlowItem<'_>, flow: Flow) -> Result<Decimal, PricingError> {
        let mut e = bare(item.env);
        e.flows = vec![flow];
        Ok(self.payg(e, 1, Meter::FlowRuns)?.billed)
    }
}

/// The flow with user licence `licence` for whoever decides its runs and lacks cover (PA-6).
pub(super) fn with_user_licence(flow: &Flow, licence: Licence) -> Flow {
    let mut f = flow.clone();
    let mode = flow.mode;
    let upgrade = |l: Licence| {
        if l.flow_run_exemption(mode).is_none() {
            licence
        } else {
            l
        }
    };
    match Who::of(flow) {
        Who::Owner(l) => f.owner = Owner::User(upgrade(l)),
        Who::Invokers => {
            for g in &mut f.runs {
                g.licence = upgrade(g.licence);
            }
            for d in &mut f.daily_runs {
                d.licence = upgrade(d.licence);
            }
        }
        Who::ServicePrincipal => {}
    }
    f
}
