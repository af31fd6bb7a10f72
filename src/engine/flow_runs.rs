//! Power Automate flow-run meters (PA-1..17): $0.60 per premium cloud or attended desktop
//! run, $3.00 per unattended or hosted RPA run, and the runs an embed-program ISV pays for
//! instead of the customer (EM-3, EM-5).
//!
//! Every group of runs (quick counts per invoking licence, or detailed runs per day) is
//! classified by [`run_treatment`], the one place the rules are applied in order, first match
//! deciding: standard-connector cloud flows (PA-2), child flows (PA-5), app context (PA-9,
//! PA-10), whose licence applies (PA-6, PA-8), flow licences (PA-7, AMB-6), user licences
//! (PA-7, PA-11), Dynamics 365 context (PA-12), the ISV embed program (EM-3, EM-5). The
//! advisor asks the same function "what if this invoker held licence X".
//!
//! The preview cap (PA-14, AMB-8) limits billed runs per flow per UTC day after exemptions.
//! One flow runs in one mode, so every capped run has the same rate and AMB-8's "remove the
//! cheapest excess" question never arises within a flow. Quick counts have no dates: they
//! are spread over the month's days, with the busiest day (when given) taken as day 1.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::licence::Licence;
use super::money::{self, Overflow};
use super::price_book::PriceKey;
use super::scenario::{Flow, FlowConnectors, Owner, RuleOptions, RunMode, Trigger};
use super::{Context, Environment};

/// The unit of every line and exclusion of these meters.
const UNIT: &str = "run";

/// The longest month: per-day counts live in a fixed array this long.
const MAX_MONTH_DAYS: usize = 31;

/// How one run is treated by the flow-run meters and the embed program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunTreatment {
    /// Billed to the customer at `price_key` (PA-3); `rule` is the rule that makes it billable
    /// ("PA-1" for an ordinary premium run, or the rule that denies an exemption).
    Charged {
        /// The meter's price for the run (PA-3).
        price_key: PriceKey,
        /// The rule that makes it billable.
        rule: &'static str,
    },
    /// Billed to the ISV of the embed program at the cloud-run rate (EM-5).
    Isv,
    /// Nobody pays; `reason` is one short sentence ending with the rule id.
    Exempt {
        /// The rule that exempts the run.
        rule: &'static str,
        /// Why, in one sentence ending with the rule id.
        reason: String,
    },
}

/// The PA-3 rate of a run in `mode`. Hosted RPA has its own price key but Azure reports it
/// under the unattended subcategory.
pub fn price_key(mode: RunMode) -> PriceKey {
    match mode {
        RunMode::Cloud => PriceKey::FlowRunCloud,
        RunMode::Attended => PriceKey::FlowRunAttended,
        RunMode::Unattended => PriceKey::FlowRunUnattended,
        RunMode::Hosted => PriceKey::FlowRunHosted,
    }
}

/// Whose licence decides a run (PA-6, PA-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Holder {
    /// Automated and scheduled flows: the owner's licence (PA-6).
    Owner(Licence),
    /// Instant and Power Apps-triggered flows: the invoking user's licence (PA-6).
    Invoker(Licence),
    /// PA-8: a service principal holds no user licence; only a flow licence can exempt.
    ServicePrincipal,
}

impl Holder {
    fn of(flow: &Flow, invoker: Licence) -> Holder {
        match flow.owner {
            Owner::ServicePrincipal => Holder::ServicePrincipal,
            Owner::User(owner) if flow.trigger.uses_owner_licence() => Holder::Owner(owner),
            Owner::User(_) => Holder::Invoker(invoker),
        }
    }

    fn licence(self) -> Option<Licence> {
        match self {
            Holder::Owner(l) | Holder::Invoker(l) => Some(l),
            Holder::ServicePrincipal => None,
        }
    }

    /// "The owner's" / "The invoking user's", to start a reason sentence.
    fn whose(self) -> &'static str {
        match self {
            Holder::Owner(_) => "The owner's",
            Holder::Invoker(_) | Holder::ServicePrincipal => "The invoking user's",
        }
    }

    /// Who ran the runs, after "10 premium cloud runs".
    fn describe(self) -> String {
        match self {
            Holder::Invoker(Licence::None) => "by users without a licence".to_string(),
            Holder::Invoker(l) => format!("by users with {}", l.label()),
            Holder::Owner(Licence::None) => {
                "of a flow owned by a user without a licence".to_string()
            }
            Holder::Owner(l) => format!("of a flow owned by a user with {}", l.label()),
            Holder::ServicePrincipal => "of a flow owned by a service principal".to_string(),
        }
    }
}

/// The kind of run, for sentences: "premium cloud", "unattended desktop" …
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

/// The mode, for "covers … runs" sentences.
fn mode_kind(mode: RunMode) -> &'static str {
    match mode {
        RunMode::Cloud => "premium cloud",
        RunMode::Attended => "attended desktop",
        RunMode::Unattended => "unattended desktop",
        RunMode::Hosted => "hosted RPA",
    }
}

/// Classifies a run of `flow` started by a user holding `invoker` (ignored where the owner's
/// licence applies, PA-6). Test and resubmitted runs (PA-4) and whether the environment is
/// billed at all (G-1, G-2) are not its concern.
///
/// ```
/// use power_payg::engine::flow_runs::{run_treatment, RunTreatment};
/// use power_payg::engine::{Flow, FlowConnectors, FlowLicence, Licence, Owner, PriceKey};
/// use power_payg::engine::{RuleOptions, RunMode, Trigger};
/// let flow = Flow {
///     name: "Approvals".into(), trigger: Trigger::Instant, mode: RunMode::Cloud,
///     connectors: FlowConnectors::Premium, flow_licence: FlowLicence::None,
///     owner: Owner::User(Licence::None), linked_to_app: false, d365_context: false,
///     child_flow: false, runs: vec![], daily_runs: vec![], test_runs: 0,
///     resubmitted_runs: 0, busiest_day_runs: None,
/// };
/// let t = run_treatment(&flow, Licence::Microsoft365, &RuleOptions::default());
/// assert_eq!(t, RunTreatment::Charged { price_key: PriceKey::FlowRunCloud, rule: "PA-1" });
/// ```
pub fn run_treatment(flow: &Flow, invoker: Licence, options: &RuleOptions) -> RunTreatment {
    let mode = flow.mode;
    let exempt = |rule: &'static str, reason: String| RunTreatment::Exempt { rule, reason };

    // PA-2/AMB-4: standard-connector cloud flows are excluded; desktop flows are billable RPA
    // whatever connectors they use.
    if mode == RunMode::Cloud && flow.connectors == FlowConnectors::Standard {
        return exempt(
            "PA-2",
            "Cloud flows that use only standard connectors are excluded from charges (PA-2)."
                .to_string(),
        );
    }
    // PA-5/AMB-5: cloud and attended child runs are part of the parent's single charge;
    // unattended and hosted children are charged as well as their parent.
    if flow.child_flow && matches!(mode, RunMode::Cloud | RunMode::Attended) {
        return exempt(
            "PA-5",
            "Child cloud and attended flow runs are covered by the single charge of the parent \
             run (PA-5, AMB-5)."
                .to_string(),
        );
    }
    // PA-9 and PA-10/AMB-18 cover cloud flows only. A Power Apps-triggered desktop flow stays
    // billable: desktop flows cannot be linked to an app (AMB-18) and Power Apps licences
    // include no RPA (S17, INC-1), so nothing in the app's licence or meter covers it.
    if mode == RunMode::Cloud && flow.trigger == Trigger::PowerApps {
        return exempt(
            "PA-9",
            "Cloud flows triggered from a Power App are covered by the app's licence or the \
             per-app meter (PA-9)."
                .to_string(),
        );
    }
    if mode == RunMode::Cloud && flow.linked_to_app {
        return exempt(
            "PA-10",
            "Cloud flows linked to an app are covered by the app's licence or the per-app \
             meter (PA-10, AMB-18)."
                .to_string(),
        );
    }

    // PA-6 decides whose licence applies; PA-8 ignores user licences on a service
    // principal's flow.
    let holder = Holder::of(flow, invoker);
    // EM-5/AMB-13: a cloud run that is premium only because of an embed ISV's connectors;
    // any exemption below then means nobody pays (EM-3, AMB-19).
    let isv = flow.connectors == FlowConnectors::IsvOnly && mode == RunMode::Cloud;
    let em3 = |what: String| {
        exempt(
            "EM-3",
            format!(
                "{what} is a premium Power Automate licence, so the ISV isn't billed and \
                 nobody pays (EM-3, AMB-19)."
            ),
        )
    };

    // PA-7/AMB-6: a per-flow or Process licence covers the flow's cloud runs; unattended and
    // hosted runs only with the AMB-6 option.
    let covers_unattended = options.process_licence_covers_unattended;
    if let Some(rule) = flow
        .flow_licence
        .flow_run_exemption(mode, covers_unattended)
    {
        if isv {
            return em3(format!("The flow's {} licence", flow.flow_licence.label()));
        }
        let reason = if rule == "AMB-6" {
            format!(
                "The flow's {} licence covers its {} runs, as the AMB-6 option chooses \
                 (PA-7, AMB-6).",
                flow.flow_licence.label(),
                mode_kind(mode)
            )
        } else {
            format!(
                "The flow's {} licence covers its {} runs (PA-7, AMB-6).",
                flow.flow_licence.label(),
                mode_kind(mode)
            )
        };
        return exempt(rule, reason);
    }

    if let Some(licence) = holder.licence() {
        // PA-7: per user covers cloud; per user with attended RPA and Premium cover cloud
        // and attended. Power Apps per user covers nothing here (PA-11).
        if licence.flow_run_exemption(mode).is_some() {
            if isv {
                return em3(format!("{} {} licence", holder.whose(), licence.label()));
            }
            return exempt(
                "PA-7",
                format!(
                    "{} {} licence covers {} runs (PA-6, PA-7).",
                    holder.whose(),
                    licence.label(),
                    mode_kind(mode)
                ),
            );
        }
        // PA-12/INC-9: following S8, flows in the context of a D365 app are not charged when
        // the runner (instant) or owner (automated) holds a D365 licence, Team Member included.
        if flow.d365_context && licence.is_dynamics365() {
            if isv {
                return exempt(
                    "EM-3",
                    format!(
                        "{} {} licence covers flows in the context of a Dynamics 365 app, so \
                         the ISV isn't billed and nobody pays (EM-3, PA-12, AMB-19).",
                        holder.whose(),
                        licence.label()
                    ),
                );
            }
            return exempt(
                "PA-12",
                format!(
                    "{} {} licence covers flows in the context of a Dynamics 365 app (PA-12, \
                     following S8, INC-9).",
                    holder.whose(),
                    licence.label()
                ),
            );
        }
    }

    if isv {
        return RunTreatment::Isv;
    }

    // Charged at the PA-3 rate; the rule names what denied an exemption, so a line leads to
    // the reason it is billed.
    let rule = if flow.child_flow {
        "PA-5"
    } else if !flow.flow_licence.is_none() {
        // INC-6/AMB-6: a flow licence that does not cover this mode.
        "PA-7"
    } else {
        match holder.licence() {
            None => "PA-8",
            Some(Licence::PowerAppsPerUser) => "PA-11",
            Some(l) if l.is_dynamics365() => "PA-12",
            Some(l) if l.flow_run_exemption(RunMode::Cloud).is_some() => "PA-7",
            Some(_) => "PA-1",
        }
    };
    RunTreatment::Charged {
        price_key: price_key(mode),
        rule,
    }
}

/// A count as a quantity (u128 sums of u64 counts; beyond Decimal range is an overflow).
fn qty(n: u128) -> Result<Decimal, Overflow> {
    Decimal::from_u128(n).ok_or(Overflow)
}

fn plus(a: u128, b: u64) -> Result<u128, Overflow> {
    a.checked_add(u128::from(b)).ok_or(Overflow)
}

/// "1 premium cloud run" / "10 premium cloud runs".
fn runs(n: Decimal, kind: &str) -> String {
    let word = if n == Decimal::ONE { "run" } else { "runs" };
    format!("{} {kind} {word}", money::format_quantity(n))
}

fn is_are(n: Decimal) -> &'static str {
    if n == Decimal::ONE { "is" } else { "are" }
}

fn days_word(n: usize) -> &'static str {
    if n == 1 { "day" } else { "days" }
}

/// The runs of one flow, sorted by treatment.
struct Tally {
    /// (rule, reason) → runs; EM-3 runs among them belong to the ISV view.
    exempt: BTreeMap<(&'static str, String), u128>,
    /// (holder, price key, rule) → runs billable to the customer.
    charged: BTreeMap<(Holder, PriceKey, &'static str), u128>,
    isv: u128,
    /// All quick-count runs (T) and the customer-billable ones among them (B), for PA-14.
    quick_total: u128,
    quick_billable: u128,
    /// Customer-billable detailed runs per day of the month (index 0 = day 1).
    detailed_billable: [u128; MAX_MONTH_DAYS],
}

impl Tally {
    fn of(flow: &Flow, options: &RuleOptions, month_days: usize) -> Result<Tally, Overflow> {
        let mut tally = Tally {
            exempt: BTreeMap::new(),
            charged: BTreeMap::new(),
            isv: 0,
            quick_total: 0,
            quick_billable: 0,
            detailed_billable: [0; MAX_MONTH_DAYS],
        };
        for group in &flow.runs {
            tally.quick_total = plus(tally.quick_total, group.runs)?;
            if tally.add(flow, group.licence, group.runs, options)? {
                tally.quick_billable = plus(tally.quick_billable, group.runs)?;
            }
        }
        for record in &flow.daily_runs {
            if tally.add(flow, record.licence, record.runs, options)? {
                // The decoder keeps days within the month; anything else is clamped onto
                // the first or last day so its runs are still billed, never indexed blindly.
                let index = usize::from(record.day).clamp(1, month_days) - 1;
                if let Some(day) = tally.detailed_billable.get_mut(index) {
                    *day = plus(*day, record.runs)?;
                }
            }
        }
        Ok(tally)
    }

    /// Adds runs of one invoker class; true when they are billable to the customer.
    fn add(
        &mut self,
        flow: &Flow,
        invoker: Licence,
        n: u64,
        options: &RuleOptions,
    ) -> Result<bool, Overflow> {
        if n == 0 {
            return Ok(false);
        }
        match run_treatment(flow, invoker, options) {
            RunTreatment::Charged { price_key, rule } => {
                let key = (Holder::of(flow, invoker), price_key, rule);
                let slot = self.charged.entry(key).or_insert(0);
                *slot = plus(*slot, n)?;
                Ok(true)
            }
            RunTreatment::Isv => {
                self.isv = plus(self.isv, n)?;
                Ok(false)
            }
            RunTreatment::Exempt { rule, reason } => {
                let slot = self.exempt.entry((rule, reason)).or_insert(0);
                *slot = plus(*slot, n)?;
                Ok(false)
            }
        }
    }

    fn billable(&self) -> Result<u128, Overflow> {
        self.charged
            .values()
            .try_fold(0u128, |acc, n| acc.checked_add(*n).ok_or(Overflow))
    }

    /// PA-14: billable runs per day, quick counts spread over the month. The busiest day
    /// carries floor(b × B / T) of the B billable quick runs (its share of billable runs is
    /// the month's), the rest spread evenly over the other days, q or q + 1 each.
    fn per_day(
        &self,
        busiest: Option<u64>,
        month_days: usize,
    ) -> Result<[u128; MAX_MONTH_DAYS], Overflow> {
        let mut days = self.detailed_billable;
        let month = days.get_mut(..month_days).ok_or(Overflow)?;
        match busiest {
            Some(b) if self.quick_total > 0 => {
                let b = u128::from(b).min(self.quick_total);
                let on_busiest = mul_div_floor(b, self.quick_billable, self.quick_total)?;
                let rest = self.quick_billable - on_busiest;
                match month.split_first_mut() {
                    Some((first, others)) if !others.is_empty() => {
                        *first = first.checked_add(on_busiest).ok_or(Overflow)?;
                        spread(rest, others)?;
                    }
                    _ => spread(self.quick_billable, month)?,
                }
            }
            _ => spread(self.quick_billable, month)?,
        }
        Ok(days)
    }
}

/// floor(a × b / c) for b ≤ c, without the 256-bit product: long multiplication over the
/// bits of `a`, keeping quotient and remainder (q × c + r = prefix × b, r < c).
fn mul_div_floor(a: u128, b: u128, c: u128) -> Result<u128, Overflow> {
    if c == 0 || b > c {
        return Err(Overflow);
    }
    if let Some(product) = a.checked_mul(b) {
        return Ok(product / c);
    }
    let (mut q, mut r) = (0u128, 0u128);
    for bit in (0..u128::BITS).rev() {
        q = q.checked_mul(2).ok_or(Overflow)?;
        r = r.checked_mul(2).ok_or(Overflow)?;
        if r >= c {
            q += 1;
            r -= c;
        }
        if (a >> bit) & 1 == 1 {
            r = r.checked_add(b).ok_or(Overflow)?;
            if r >= c {
                q = q.checked_add(1).ok_or(Overflow)?;
                r -= c;
            }
        }
    }
    Ok(q)
}

/// Adds `runs` evenly over `days`: q = runs / n each, one more on the first runs mod n days.
fn spread(runs: u128, days: &mut [u128]) -> Result<(), Overflow> {
    let n = days.len() as u128;
    if n == 0 {
        return Ok(());
    }
    let (q, r) = (runs / n, runs % n);
    for (i, day) in days.iter_mut().enumerate() {
        let share = if (i as u128) < r { q + 1 } else { q };
        *day = day.checked_add(share).ok_or(Overflow)?;
    }
    Ok(())
}

/// The runs above `cap` on each day, and on how many days the cap cut runs.
fn above_cap(per_day: &[u128], cap: u64) -> Result<(u128, usize), Overflow> {
    let cap = u128::from(cap);
    let mut excess = 0u128;
    let mut days = 0usize;
    for &runs in per_day {
        if runs > cap {
            excess = excess.checked_add(runs - cap).ok_or(Overflow)?;
            days += 1;
        }
    }
    Ok((excess, days))
}

/// What a charge line cites: "PA-1, PA-3", PA-6 when the owner's licence applied, PA-14
/// when the cap cut the flow, then a clause for the rule that denied an exemption.
fn charged_cite(flow: &Flow, holder: Holder, rule: &str, capped: bool) -> String {
    let mut cite = String::from("PA-1, PA-3");
    if matches!(holder, Holder::Owner(_)) {
        cite.push_str(", PA-6");
    }
    if capped {
        cite.push_str(", PA-14");
    }
    let mode = mode_kind(flow.mode);
    match (rule, holder.licence()) {
        ("PA-5", _) => cite.push_str(
            "; unattended and hosted child flows are charged as well as their parent, PA-5",
        ),
        ("PA-7", _) if !flow.flow_licence.is_none() => cite.push_str(&format!(
            "; its {} licence does not cover {mode} runs by default, PA-7, AMB-6",
            flow.flow_licence.label()
        )),
        ("PA-7", Some(l)) => {
            cite.push_str(&format!("; {} does not cover {mode} runs, PA-7", l.label()));
        }
        ("PA-8", _) => cite.push_str(
            "; a service principal's flow is charged unless a flow licence covers it, PA-8",
        ),
        ("PA-11", _) => cite
            .push_str("; Power Apps per user does not cover flows outside the app context, PA-11"),
        ("PA-12", _) => cite.push_str(
            "; Dynamics 365 licences cover only flows in the context of a Dynamics 365 app, PA-12",
        ),
        _ => {}
    }
    if flow.mode == RunMode::Hosted {
        cite.push_str(
            "; hosted RPA runs are reported under the unattended RPA meter subcategory, PA-3",
        );
    }
    cite
}

/// Prices the flow-run meters of one environment, and the embed runs its ISV-only flows
/// hand to the ISV (EM-5, billed whether or not the environment is billed to the customer).
pub(crate) fn price(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let month_days = (ctx.month.days() as usize).clamp(1, MAX_MONTH_DAYS);
    for flow in &env.flows {
        price_flow(env, flow, ctx, month_days, ledger)?;
    }
    Ok(())
}

fn price_flow(
    env: &Environment,
    flow: &Flow,
    ctx: &Context<'_>,
    month_days: usize,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let tally = Tally::of(flow, ctx.options, month_days)?;
    let kind = run_kind(flow);

    // EM-5: the ISV pays for runs premium only through its connectors, in any environment.
    if tally.isv > 0 {
        let n = qty(tally.isv)?;
        let price = ctx.prices.get(PriceKey::FlowRunCloud);
        let amount = money::round_cents(money::mul(n, price.amount)?);
        let verb = if n == Decimal::ONE { "uses" } else { "use" };
        ledger.charge(Charge {
            meter: Meter::Embed,
            item: &flow.name,
            quantity: n,
            unit: UNIT,
            price_key: PriceKey::FlowRunCloud,
            price,
            payer: Payer::Isv,
            rule: "EM-5",
            explanation: format!(
                "{} {verb} premium connectors only from an ISV in the embed program, so the \
                 ISV pays, not the customer (EM-5, AMB-13): {} × {} = {}.",
                runs(n, kind),
                money::format_quantity(n),
                money::format_unit_price(price.amount),
                money::format_usd(amount)
            ),
        })?;
    }
    let mut em3 = false;
    for ((rule, reason), &n) in tally.exempt.iter().filter(|((rule, _), _)| *rule == "EM-3") {
        em3 = true;
        let n = qty(n)?;
        ledger.exclude(
            Meter::Embed,
            &flow.name,
            n,
            UNIT,
            rule,
            format!(
                "{} of {} {} not charged: {reason}",
                runs(n, kind),
                flow.name,
                is_are(n)
            ),
        );
    }
    if em3 || tally.isv > 0 {
        ledger.note(
            "INC-14",
            "Which licences count as \"premium Power Automate licences\" for the embed program \
             is not defined (INC-14): this calculator counts Power Automate per user, per user \
             with attended RPA and Premium, and per-flow or Process licences on the flow; Power \
             Apps and Dynamics 365 licences count only in app context (AMB-19)."
                .to_string(),
        );
    }

    // G-1/G-2: nothing else of this flow is billed; one exclusion for all its other runs.
    if !ctx.customer_billed {
        let mut other = plus(u128::from(flow.test_runs), flow.resubmitted_runs)?;
        for ((rule, _), &n) in &tally.exempt {
            if *rule != "EM-3" {
                other = other.checked_add(n).ok_or(Overflow)?;
            }
        }
        other = other.checked_add(tally.billable()?).ok_or(Overflow)?;
        let (rule, reason) = ctx.not_billed_reason(env, Meter::FlowRuns);
        ledger.exclude(Meter::FlowRuns, &flow.name, qty(other)?, UNIT, rule, reason);
        return Ok(());
    }

    // PA-4: designer tests and resubmissions of failed runs are free.
    let test = money::count(flow.test_runs);
    ledger.exclude(
        Meter::FlowRuns,
        &flow.name,
        test,
        UNIT,
        "PA-4",
        format!(
            "{} in the designer {} not charged (PA-4).",
            runs(test, "test"),
            is_are(test)
        ),
    );
    let resubmitted = money::count(flow.resubmitted_runs);
    ledger.exclude(
        Meter::FlowRuns,
        &flow.name,
        resubmitted,
        UNIT,
        "PA-4",
        format!(
            "{} of failed runs {} not charged (PA-4).",
            if resubmitted == Decimal::ONE {
                "1 resubmission".to_string()
            } else {
                format!("{} resubmissions", money::format_quantity(resubmitted))
            },
            is_are(resubmitted)
        ),
    );
    let mut d365 = false;
    for ((rule, reason), &n) in tally.exempt.iter().filter(|((rule, _), _)| *rule != "EM-3") {
        d365 |= *rule == "PA-12";
        let n = qty(n)?;
        ledger.exclude(
            Meter::FlowRuns,
            &flow.name,
            n,
            UNIT,
            rule,
            format!(
                "{} of {} {} not charged: {reason}",
                runs(n, kind),
                flow.name,
                is_are(n)
            ),
        );
    }
    if d365 {
        ledger.note(
            "INC-9",
            "The FAQ of 10/2022 says flows in the context of a Dynamics 365 app won't be \
             charged; the FAQ of 12/2024 says they are charged yet still lists the in-context \
             criteria. This calculator follows 10/2022: in-context runs are free (PA-12, INC-9)."
                .to_string(),
        );
    }

    let billable = tally.billable()?;
    if billable == 0 {
        return Ok(());
    }
    let rules = ctx.prices.rules();
    let per_day = tally.per_day(flow.busiest_day_runs, month_days)?;
    let (excess, capped_days) = above_cap(
        per_day.get(..month_days).ok_or(Overflow)?,
        rules.flow_daily_cap,
    )?;
    let key = price_key(flow.mode);
    let price = ctx.prices.get(key);

    if ctx.options.flow_daily_cap && excess > 0 {
        // PA-14/AMB-8: which invoker's runs fall above the cap is a matter of time of day
        // that quick counts don't carry, so the billed runs of a capped flow are one line.
        // With one class of runs, the line still names whose runs they are and why billed.
        let mut classes = tally.charged.keys();
        let (who, rule, cite) = match (classes.next(), classes.next()) {
            (Some(&(holder, _, rule)), None) => (
                format!(" {}", holder.describe()),
                rule,
                charged_cite(flow, holder, rule, true),
            ),
            (Some(&(holder, _, _)), Some(_)) => (
                String::new(),
                "PA-1",
                charged_cite(flow, holder, "PA-1", true),
            ),
            _ => (String::new(), "PA-1", "PA-1, PA-3, PA-14".to_string()),
        };
        let billed = qty(billable - excess)?;
        let all = qty(billable)?;
        let amount = money::round_cents(money::mul(billed, price.amount)?);
        ledger.charge(Charge {
            meter: Meter::FlowRuns,
            item: &flow.name,
            quantity: billed,
            unit: UNIT,
            price_key: key,
            price,
            payer: Payer::Customer,
            rule,
            explanation: format!(
                "{} of the {} billable {kind} runs{who} are billed, the rest being above the \
                 daily cap ({cite}): {} × {} = {}.",
                money::format_quantity(billed),
                money::format_quantity(all),
                money::format_quantity(billed),
                money::format_unit_price(price.amount),
                money::format_usd(amount)
            ),
        })?;
        let over = qty(excess)?;
        let over_amount = money::round_cents(money::mul(over, price.amount)?);
        ledger.charge(Charge {
            meter: Meter::FlowRuns,
            item: &flow.name,
            quantity: over,
            unit: UNIT,
            price_key: key,
            price,
            payer: Payer::ReportedNotBilled,
            rule: "PA-14",
            explanation: format!(
                "{} above the preview cap of {} billed runs per flow per UTC day, on {} {}, {} \
                 reported but not billed (PA-14, AMB-8): {} × {} = {}.",
                runs(over, kind),
                money::format_quantity(money::count(rules.flow_daily_cap)),
                capped_days,
                days_word(capped_days),
                is_are(over),
                money::format_quantity(over),
                money::format_unit_price(price.amount),
                money::format_usd(over_amount)
            ),
        })?;
    } else {
        if excess > 0 {
            ledger.note(
                "PA-14",
                format!(
                    "{} runs more than {} billed runs on some days; the preview cap (PA-14, \
                     AMB-8) is switched off, so all of them are billed.",
                    flow.name,
                    money::format_quantity(money::count(rules.flow_daily_cap))
                ),
            );
        }
        for (&(holder, key, rule), &n) in &tally.charged {
            let n = qty(n)?;
            let price = ctx.prices.get(key);
            let amount = money::round_cents(money::mul(n, price.amount)?);
            ledger.charge(Charge {
                meter: Meter::FlowRuns,
                item: &flow.name,
                quantity: n,
                unit: UNIT,
                price_key: key,
                price,
                payer: Payer::Customer,
                rule,
                explanation: format!(
                    "{} {} ({}): {} × {} = {}.",
                    runs(n, kind),
                    holder.describe(),
                    charged_cite(flow, holder, rule, false),
                    money::format_quantity(n),
                    money::format_unit_price(price.amount),
                    money::format_usd(amount)
                ),
            })?;
        }
    }

    // Discrepancies the billed runs touch.
    for &(_, _, rule) in tally.charged.keys() {
        if rule == "PA-11" {
            ledger.note(
                "INC-1",
                "The documentation's run table prints 15 billable runs for a Power Apps \
                 per-user licensee running 10 premium cloud, 5 attended and 5 unattended runs \
                 outside the app context, but its own rules give 20: Power Apps licences cover \
                 no flow outside the app (PA-11) and include no RPA. This calculator follows \
                 the rules (INC-1)."
                    .to_string(),
            );
        }
        if rule == "PA-7"
            && !flow.flow_licence.is_none()
            && matches!(flow.mode, RunMode::Unattended | RunMode::Hosted)
        {
            ledger.note(
                "INC-6",
                format!(
                    "{} has a {} licence but runs {} flows: the meters table exempts licensed \
                     flows only \"within their licence entitlements\" while its body exempts \
                     every run (INC-6). By default these runs are charged, since unattended \
                     capacity is ignored in pay-as-you-go (AMB-6); the option \"Process \
                     licence covers unattended runs\" exempts them.",
                    flow.name,
                    flow.flow_licence.label(),
                    mode_kind(flow.mode)
                ),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::licence::FlowLicence;
    use crate::engine::scenario::{DailyRuns, RunGroup};
    use crate::engine::test_support::{self, Pricing, excluded_quantity, total_for};
    use rust_decimal::dec;

    fn flow(name: &str, trigger: Trigger, mode: RunMode, connectors: FlowConnectors) -> Flow {
        Flow {
            name: name.to_string(),
            trigger,
            mode,
            connectors,
            flow_licence: FlowLicence::None,
            owner: Owner::User(Licence::None),
            linked_to_app: false,
            d365_context: false,
            child_flow: false,
            runs: Vec::new(),
            daily_runs: Vec::new(),
            test_runs: 0,
            resubmitted_runs: 0,
            busiest_day_runs: None,
        }
    }

    /// An instant flow run `n` times by users holding `licence`.
    fn instant(
        name: &str,
        mode: RunMode,
        connectors: FlowConnectors,
        n: u64,
        licence: Licence,
    ) -> Flow {
        let mut f = flow(name, Trigger::Instant, mode, connectors);
        f.runs = vec![RunGroup { runs: n, licence }];
        f
    }

    fn env_with(flows: Vec<Flow>) -> Environment {
        let mut env = Environment::new_payg("Production");
        env.flows = flows;
        env
    }

    fn run_with(env: &Environment, options: &RuleOptions, customer_billed: bool) -> Ledger {
        let pricing = Pricing {
            options: options.clone(),
            customer_billed,
            ..Pricing::default()
        };
        pricing.ledger(price, env)
    }

    fn run(env: &Environment) -> Ledger {
        test_support::ledger(price, env)
    }

    fn billed_runs(ledger: &Ledger) -> Decimal {
        ledger
            .lines
            .iter()
            .filter(|l| l.payer == Payer::Customer)
            .map(|l| l.quantity)
            .sum()
    }

    fn has_note(ledger: &Ledger, rule: &str) -> bool {
        ledger.notes.iter().any(|n| n.rule == rule)
    }

    /// Spec 6.5: per user 10 standard + 10 premium cloud + 5 attended + 5 unattended runs.
    fn table_row(licence: Licence) -> Ledger {
        run(&env_with(vec![
            instant(
                "Standard",
                RunMode::Cloud,
                FlowConnectors::Standard,
                10,
                licence,
            ),
            instant(
                "Premium",
                RunMode::Cloud,
                FlowConnectors::Premium,
                10,
                licence,
            ),
            instant(
                "Attended",
                RunMode::Attended,
                FlowConnectors::Premium,
                5,
                licence,
            ),
            instant(
                "Unattended",
                RunMode::Unattended,
                FlowConnectors::Premium,
                5,
                licence,
            ),
        ]))
    }

    #[test]
    fn tc_pa_6_5_flow_runs_by_licence() {
        let cases = [
            (Licence::Microsoft365, dec!(24.00), dec!(20)),
            (Licence::None, dec!(24.00), dec!(20)),
            (Licence::PowerAutomatePerUser, dec!(18.00), dec!(10)),
            (Licence::PowerAutomatePerUserRpa, dec!(15.00), dec!(5)),
            (Licence::PowerAppsPerUser, dec!(24.00), dec!(20)),
        ];
        for (licence, dollars, billable) in cases {
            let ledger = table_row(licence);
            assert_eq!(total_for(&ledger, Payer::Customer), dollars, "{licence:?}");
            assert_eq!(billed_runs(&ledger), billable, "{licence:?}");
            assert_eq!(excluded_quantity(&ledger, "PA-2"), dec!(10), "{licence:?}");
            assert_eq!(
                has_note(&ledger, "INC-1"),
                licence == Licence::PowerAppsPerUser
            );
        }
        let ledger = table_row(Licence::Microsoft365);
        assert_eq!(
            ledger.lines[0].explanation,
            "10 premium cloud runs by users with Microsoft 365 (PA-1, PA-3): 10 × $0.60 = $6.00."
        );
    }

    #[test]
    fn pa2_standard_cloud_flow_is_excluded_desktop_is_not() {
        let ledger = run(&env_with(vec![
            instant(
                "Cloud",
                RunMode::Cloud,
                FlowConnectors::Standard,
                7,
                Licence::None,
            ),
            instant(
                "Desktop",
                RunMode::Attended,
                FlowConnectors::Standard,
                3,
                Licence::None,
            ),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PA-2"), dec!(7));
        assert_eq!(
            ledger.exclusions[0].reason,
            "7 standard cloud runs of Cloud are not charged: Cloud flows that use only standard \
             connectors are excluded from charges (PA-2)."
        );
        assert_eq!(ledger.lines.len(), 1);
        assert_eq!(ledger.lines[0].item, "Desktop");
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(1.80));
    }

    #[test]
    fn pa3_rates_per_mode() {
        let ledger = run(&env_with(vec![
            instant(
                "C",
                RunMode::Cloud,
                FlowConnectors::Premium,
                1,
                Licence::None,
            ),
            instant(
                "A",
                RunMode::Attended,
                FlowConnectors::Premium,
                1,
                Licence::None,
            ),
            instant(
                "U",
                RunMode::Unattended,
                FlowConnectors::Premium,
                1,
                Licence::None,
            ),
            instant(
                "H",
                RunMode::Hosted,
                FlowConnectors::Premium,
                1,
                Licence::None,
            ),
        ]));
        let got: Vec<(PriceKey, Decimal)> = ledger
            .lines
            .iter()
            .map(|l| (l.price_key, l.amount))
            .collect();
        assert_eq!(
            got,
            vec![
                (PriceKey::FlowRunCloud, dec!(0.60)),
                (PriceKey::FlowRunAttended, dec!(0.60)),
                (PriceKey::FlowRunUnattended, dec!(3.00)),
                (PriceKey::FlowRunHosted, dec!(3.00)),
            ]
        );
        assert!(
            ledger.lines[3]
                .explanation
                .contains("unattended RPA meter subcategory, PA-3")
        );
        assert_eq!(
            ledger.lines[0].explanation,
            "1 premium cloud run by users without a licence (PA-1, PA-3): 1 × $0.60 = $0.60."
        );
    }

    #[test]
    fn pa4_test_and_resubmitted_runs_are_free() {
        let mut f = instant(
            "Flow",
            RunMode::Cloud,
            FlowConnectors::Premium,
            2,
            Licence::None,
        );
        f.test_runs = 40;
        f.resubmitted_runs = 3;
        let ledger = run(&env_with(vec![f]));
        assert_eq!(excluded_quantity(&ledger, "PA-4"), dec!(43));
        assert_eq!(billed_runs(&ledger), dec!(2));
        assert!(
            ledger
                .exclusions
                .iter()
                .any(|e| e.reason == "40 test runs in the designer are not charged (PA-4).")
        );
    }

    #[test]
    fn pa5_child_cloud_and_attended_free_unattended_charged() {
        let children: Vec<Flow> = [
            RunMode::Cloud,
            RunMode::Attended,
            RunMode::Unattended,
            RunMode::Hosted,
        ]
        .into_iter()
        .map(|mode| {
            let mut f = instant("Child", mode, FlowConnectors::Premium, 4, Licence::None);
            f.child_flow = true;
            f
        })
        .collect();
        let ledger = run(&env_with(children));
        assert_eq!(excluded_quantity(&ledger, "PA-5"), dec!(8));
        assert_eq!(billed_runs(&ledger), dec!(8));
        assert!(ledger.lines.iter().all(|l| l.rule == "PA-5"));
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(24.00));
    }

    #[test]
    fn pa6_owner_licence_for_automated_invoker_licence_for_instant() {
        let mut automated = flow(
            "Automated",
            Trigger::Automated,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        automated.owner = Owner::User(Licence::PowerAutomatePerUser);
        automated.runs = vec![RunGroup {
            runs: 10,
            licence: Licence::None,
        }];
        let mut scheduled = flow(
            "Scheduled",
            Trigger::Scheduled,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        scheduled.owner = Owner::User(Licence::None);
        scheduled.runs = vec![RunGroup {
            runs: 5,
            licence: Licence::PowerAutomatePerUser,
        }];
        let mut inst = instant(
            "Instant",
            RunMode::Cloud,
            FlowConnectors::Premium,
            3,
            Licence::None,
        );
        inst.owner = Owner::User(Licence::PowerAutomatePerUser);
        let ledger = run(&env_with(vec![automated, scheduled, inst]));
        assert_eq!(excluded_quantity(&ledger, "PA-7"), dec!(10));
        assert!(
            ledger.exclusions[0]
                .reason
                .contains("The owner's Power Automate per user licence")
        );
        assert_eq!(billed_runs(&ledger), dec!(8));
        assert_eq!(
            ledger.lines[0].explanation,
            "5 premium cloud runs of a flow owned by a user without a licence (PA-1, PA-3, PA-6): \
             5 × $0.60 = $3.00."
        );
    }

    #[test]
    fn pa7_licence_exemptions_by_mode() {
        let opts = RuleOptions::default();
        let modes = [
            RunMode::Cloud,
            RunMode::Attended,
            RunMode::Unattended,
            RunMode::Hosted,
        ];
        let charged = |l: Licence| -> Vec<bool> {
            modes
                .iter()
                .map(|&m| {
                    let f = flow("F", Trigger::Instant, m, FlowConnectors::Premium);
                    matches!(run_treatment(&f, l, &opts), RunTreatment::Charged { .. })
                })
                .collect()
        };
        assert_eq!(
            charged(Licence::PowerAutomatePerUser),
            [false, true, true, true]
        );
        assert_eq!(
            charged(Licence::PowerAutomatePerUserRpa),
            [false, false, true, true]
        );
        assert_eq!(
            charged(Licence::PowerAutomatePremium),
            [false, false, true, true]
        );
        assert_eq!(charged(Licence::Microsoft365), [true, true, true, true]);
        // Per-flow/Process licences on the flow: cloud exempt, desktop charged (AMB-6).
        for licence in [
            FlowLicence::PerFlow,
            FlowLicence::Process,
            FlowLicence::HostedProcess,
        ] {
            let got: Vec<bool> = modes
                .iter()
                .map(|&m| {
                    let mut f = flow("F", Trigger::Automated, m, FlowConnectors::Premium);
                    f.flow_licence = licence;
                    matches!(
                        run_treatment(&f, Licence::None, &opts),
                        RunTreatment::Charged { rule: "PA-7", .. }
                    )
                })
                .collect();
            assert_eq!(got, [false, true, true, true], "{licence:?}");
        }
    }

    #[test]
    fn pa7_per_flow_unattended_runs_are_charged_with_inc6_note() {
        let mut cloud = flow(
            "Cloud",
            Trigger::Automated,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        cloud.flow_licence = FlowLicence::PerFlow;
        cloud.runs = vec![RunGroup {
            runs: 100,
            licence: Licence::None,
        }];
        let mut bot = flow(
            "Bot",
            Trigger::Scheduled,
            RunMode::Unattended,
            FlowConnectors::Premium,
        );
        bot.flow_licence = FlowLicence::Process;
        bot.runs = vec![RunGroup {
            runs: 10,
            licence: Licence::None,
        }];
        let ledger = run(&env_with(vec![cloud, bot]));
        assert_eq!(excluded_quantity(&ledger, "PA-7"), dec!(100));
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(30.00));
        assert_eq!(ledger.lines[0].rule, "PA-7");
        assert!(has_note(&ledger, "INC-6"));
    }

    #[test]
    fn amb6_toggle_exempts_unattended_runs_of_a_process_flow() {
        let mut bot = flow(
            "Bot",
            Trigger::Scheduled,
            RunMode::Unattended,
            FlowConnectors::Premium,
        );
        bot.flow_licence = FlowLicence::Process;
        bot.runs = vec![RunGroup {
            runs: 10,
            licence: Licence::None,
        }];
        let mut hosted = bot.clone();
        hosted.name = "Hosted".into();
        hosted.mode = RunMode::Hosted;
        let mut attended = bot.clone();
        attended.name = "Attended".into();
        attended.mode = RunMode::Attended;
        let options = RuleOptions {
            process_licence_covers_unattended: true,
            ..RuleOptions::default()
        };
        let ledger = run_with(&env_with(vec![bot, hosted, attended]), &options, true);
        assert_eq!(excluded_quantity(&ledger, "AMB-6"), dec!(20));
        // Attended runs of a flow licence are charged either way (AMB-6).
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(6.00));
        assert!(!has_note(&ledger, "INC-6"));
    }

    #[test]
    fn pa8_service_principal_charged_unless_flow_licence() {
        let mut sp = instant(
            "SP",
            RunMode::Cloud,
            FlowConnectors::Premium,
            6,
            Licence::PowerAutomatePremium,
        );
        sp.owner = Owner::ServicePrincipal;
        let mut licensed = sp.clone();
        licensed.name = "Licensed".into();
        licensed.flow_licence = FlowLicence::Process;
        let ledger = run(&env_with(vec![sp, licensed]));
        assert_eq!(ledger.lines.len(), 1);
        assert_eq!(ledger.lines[0].rule, "PA-8");
        assert_eq!(ledger.lines[0].quantity, dec!(6));
        assert!(
            ledger.lines[0]
                .explanation
                .contains("owned by a service principal")
        );
        assert_eq!(excluded_quantity(&ledger, "PA-7"), dec!(6));
    }

    #[test]
    fn pa9_power_apps_triggered_cloud_free_desktop_billable() {
        let mut cloud = flow(
            "Cloud",
            Trigger::PowerApps,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        cloud.runs = vec![RunGroup {
            runs: 50,
            licence: Licence::None,
        }];
        let mut desktop = cloud.clone();
        desktop.name = "Desktop".into();
        desktop.mode = RunMode::Attended;
        let ledger = run(&env_with(vec![cloud, desktop]));
        assert_eq!(excluded_quantity(&ledger, "PA-9"), dec!(50));
        assert_eq!(ledger.lines.len(), 1);
        assert_eq!(ledger.lines[0].item, "Desktop");
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(30.00));
    }

    #[test]
    fn pa10_linked_cloud_flow_free_linked_desktop_billable() {
        let mut cloud = flow(
            "Linked",
            Trigger::Automated,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        cloud.linked_to_app = true;
        cloud.runs = vec![RunGroup {
            runs: 12,
            licence: Licence::None,
        }];
        let mut desktop = cloud.clone();
        desktop.name = "Desktop".into();
        desktop.mode = RunMode::Unattended;
        let ledger = run(&env_with(vec![cloud, desktop]));
        assert_eq!(excluded_quantity(&ledger, "PA-10"), dec!(12));
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(36.00));
    }

    #[test]
    fn pa11_power_apps_per_user_charged_outside_app_context() {
        let ledger = run(&env_with(vec![instant(
            "Flow",
            RunMode::Cloud,
            FlowConnectors::Premium,
            10,
            Licence::PowerAppsPerUser,
        )]));
        assert_eq!(ledger.lines[0].rule, "PA-11");
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(6.00));
        assert!(
            ledger.lines[0]
                .explanation
                .contains("outside the app context, PA-11")
        );
        assert!(has_note(&ledger, "INC-1"));
    }

    #[test]
    fn pa12_d365_in_context_free_out_of_context_charged() {
        let mut inside = flow(
            "Inside",
            Trigger::Instant,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        inside.d365_context = true;
        inside.runs = vec![
            RunGroup {
                runs: 4,
                licence: Licence::Dynamics365,
            },
            RunGroup {
                runs: 3,
                licence: Licence::Dynamics365TeamMember,
            },
            RunGroup {
                runs: 2,
                licence: Licence::None,
            },
        ];
        let mut outside = inside.clone();
        outside.name = "Outside".into();
        outside.d365_context = false;
        let ledger = run(&env_with(vec![inside, outside]));
        assert_eq!(excluded_quantity(&ledger, "PA-12"), dec!(7));
        assert_eq!(billed_runs(&ledger), dec!(11));
        assert!(
            ledger
                .lines
                .iter()
                .any(|l| l.item == "Outside" && l.rule == "PA-12")
        );
        assert!(has_note(&ledger, "INC-9"));
    }

    #[test]
    fn pa14_cap_with_detailed_daily_runs() {
        let mut f = flow(
            "Busy",
            Trigger::Instant,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        f.daily_runs = vec![
            DailyRuns {
                day: 3,
                runs: 1_200,
                licence: Licence::None,
            },
            DailyRuns {
                day: 3,
                runs: 300,
                licence: Licence::Microsoft365,
            },
            // Exempt runs do not count towards the cap (AMB-8).
            DailyRuns {
                day: 4,
                runs: 5_000,
                licence: Licence::PowerAutomatePerUser,
            },
            DailyRuns {
                day: 4,
                runs: 800,
                licence: Licence::None,
            },
        ];
        let ledger = run(&env_with(vec![f.clone()]));
        assert_eq!(billed_runs(&ledger), dec!(1_800));
        let over: Vec<_> = ledger
            .lines
            .iter()
            .filter(|l| l.payer == Payer::ReportedNotBilled)
            .collect();
        assert_eq!(over.len(), 1);
        assert_eq!(over[0].rule, "PA-14");
        assert_eq!(over[0].quantity, dec!(500));
        assert_eq!(over[0].amount, dec!(300.00));
        assert_eq!(
            over[0].explanation,
            "500 premium cloud runs above the preview cap of 1,000 billed runs per flow per UTC \
             day, on 1 day, are reported but not billed (PA-14, AMB-8): 500 × $0.60 = $300.00."
        );
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(1_080.00));

        // The cap is a toggle (AMB-8).
        let options = RuleOptions {
            flow_daily_cap: false,
            ..RuleOptions::default()
        };
        let uncapped = run_with(&env_with(vec![f]), &options, true);
        assert_eq!(billed_runs(&uncapped), dec!(2_300));
        assert_eq!(total_for(&uncapped, Payer::ReportedNotBilled), dec!(0));
        assert!(has_note(&uncapped, "PA-14"));
    }

    #[test]
    fn pa14_cap_with_busiest_day_runs() {
        // 30,000 runs in November, 2,000 on the busiest day, 28,000 over 29 days (965 or 966).
        let mut f = instant(
            "Busy",
            RunMode::Cloud,
            FlowConnectors::Premium,
            30_000,
            Licence::None,
        );
        f.busiest_day_runs = Some(2_000);
        let ledger = run(&env_with(vec![f]));
        assert_eq!(billed_runs(&ledger), dec!(29_000));
        assert_eq!(total_for(&ledger, Payer::ReportedNotBilled), dec!(600.00));
        assert_eq!(
            ledger.lines[0].explanation,
            "29,000 of the 30,000 billable premium cloud runs by users without a licence are \
             billed, the rest being above the daily cap (PA-1, PA-3, PA-14): 29,000 × $0.60 = \
             $17,400.00."
        );

        // Only billable runs count: 1/3 exempt → 2,000 billable on the busiest day.
        let mut mixed = flow(
            "Mixed",
            Trigger::Instant,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        mixed.runs = vec![
            RunGroup {
                runs: 20_000,
                licence: Licence::None,
            },
            RunGroup {
                runs: 10_000,
                licence: Licence::PowerAutomatePerUser,
            },
        ];
        mixed.busiest_day_runs = Some(3_000);
        let ledger = run(&env_with(vec![mixed]));
        assert_eq!(billed_runs(&ledger), dec!(19_000));
        assert_eq!(excluded_quantity(&ledger, "PA-7"), dec!(10_000));

        // No busiest day: 31,000 spread evenly over 30 days (1,033 or 1,034) → 1,000 above.
        let even = instant(
            "Even",
            RunMode::Unattended,
            FlowConnectors::Premium,
            31_000,
            Licence::None,
        );
        let ledger = run(&env_with(vec![even]));
        assert_eq!(billed_runs(&ledger), dec!(30_000));
        assert_eq!(total_for(&ledger, Payer::ReportedNotBilled), dec!(3_000.00));
    }

    #[test]
    fn em3_premium_licence_means_nobody_pays() {
        let mut f = flow(
            "ISV",
            Trigger::Instant,
            RunMode::Cloud,
            FlowConnectors::IsvOnly,
        );
        f.runs = vec![
            RunGroup {
                runs: 8,
                licence: Licence::PowerAutomatePremium,
            },
            RunGroup {
                runs: 2,
                licence: Licence::None,
            },
        ];
        let mut licensed = flow(
            "Licensed ISV",
            Trigger::Automated,
            RunMode::Cloud,
            FlowConnectors::IsvOnly,
        );
        licensed.flow_licence = FlowLicence::Process;
        licensed.runs = vec![RunGroup {
            runs: 5,
            licence: Licence::None,
        }];
        let ledger = run(&env_with(vec![f, licensed]));
        assert_eq!(excluded_quantity(&ledger, "EM-3"), dec!(13));
        assert!(
            ledger
                .exclusions
                .iter()
                .filter(|e| e.rule == "EM-3")
                .all(|e| e.meter == Meter::Embed)
        );
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(0));
        assert_eq!(total_for(&ledger, Payer::Isv), dec!(1.20));
        assert!(has_note(&ledger, "INC-14"));
    }

    #[test]
    fn em5_isv_only_cloud_runs_billed_to_isv_even_outside_payg() {
        let isv = instant(
            "ISV",
            RunMode::Cloud,
            FlowConnectors::IsvOnly,
            10,
            Licence::Microsoft365,
        );
        let rpa = instant(
            "ISV bot",
            RunMode::Unattended,
            FlowConnectors::IsvOnly,
            2,
            Licence::None,
        );
        let env = env_with(vec![isv, rpa]);
        let ledger = run(&env);
        assert_eq!(total_for(&ledger, Payer::Isv), dec!(6.00));
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(6.00));
        let line = ledger
            .lines
            .iter()
            .find(|l| l.payer == Payer::Isv)
            .expect("ISV line");
        assert_eq!((line.meter, line.rule), (Meter::Embed, "EM-5"));

        let mut not_payg = env;
        not_payg.payg = false;
        let ledger = run_with(&not_payg, &RuleOptions::default(), false);
        assert_eq!(total_for(&ledger, Payer::Isv), dec!(6.00));
        assert_eq!(total_for(&ledger, Payer::Customer), dec!(0));
        assert_eq!(excluded_quantity(&ledger, "G-1"), dec!(2));
    }

    #[test]
    fn g1_not_billed_environment_records_one_exclusion_per_flow() {
        let mut f = instant(
            "Flow",
            RunMode::Cloud,
            FlowConnectors::Premium,
            10,
            Licence::None,
        );
        f.runs.push(RunGroup {
            runs: 5,
            licence: Licence::PowerAutomatePerUser,
        });
        f.test_runs = 3;
        let mut env = env_with(vec![f]);
        env.payg = false;
        let ledger = run_with(&env, &RuleOptions::default(), false);
        assert!(ledger.lines.is_empty());
        assert_eq!(ledger.exclusions.len(), 1);
        assert_eq!(excluded_quantity(&ledger, "G-1"), dec!(18));
    }

    #[test]
    fn out_of_month_days_and_huge_counts_do_not_panic() {
        let mut f = flow(
            "Odd",
            Trigger::Instant,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        f.daily_runs = vec![
            DailyRuns {
                day: 0,
                runs: 10,
                licence: Licence::None,
            },
            DailyRuns {
                day: 200,
                runs: 10,
                licence: Licence::None,
            },
        ];
        f.runs = vec![
            RunGroup {
                runs: u64::MAX,
                licence: Licence::None,
            },
            RunGroup {
                runs: u64::MAX,
                licence: Licence::Microsoft365,
            },
        ];
        f.busiest_day_runs = Some(u64::MAX);
        f.test_runs = u64::MAX;
        let ledger = run(&env_with(vec![f]));
        assert!(!ledger.lines.is_empty());
    }

    #[test]
    fn mul_div_floor_matches_exact_arithmetic() {
        assert_eq!(mul_div_floor(2_000, 20_000, 30_000), Ok(1_333));
        let max = u128::from(u64::MAX);
        // (2^64 − 1) × 2(2^64 − 1) / (3(2^64 − 1)) = floor(2(2^64 − 1) / 3).
        assert_eq!(mul_div_floor(max, 2 * max, 3 * max), Ok(2 * max / 3));
        assert_eq!(mul_div_floor(max, 2 * max, 2 * max), Ok(max));
        assert_eq!(mul_div_floor(1, 2, 1), Err(Overflow));
    }

    #[test]
    fn record_order_does_not_change_the_price() {
        let mut f = flow(
            "F",
            Trigger::Instant,
            RunMode::Cloud,
            FlowConnectors::Premium,
        );
        f.runs = vec![
            RunGroup {
                runs: 9_000,
                licence: Licence::None,
            },
            RunGroup {
                runs: 4_000,
                licence: Licence::PowerAutomatePerUser,
            },
            RunGroup {
                runs: 30_000,
                licence: Licence::Microsoft365,
            },
        ];
        f.busiest_day_runs = Some(5_000);
        let mut g = f.clone();
        g.runs.reverse();
        assert_eq!(run(&env_with(vec![f])).lines, run(&env_with(vec![g])).lines);
    }
}
