//! The result of pricing: charge lines, exclusions and totals.
//!
//! Every cost is quantity × unit price with a rule id and a sentence that shows the arithmetic,
//! so a line on screen leads to the code (grep the rule id) and to the spec in one hop.

use rust_decimal::Decimal;
use serde::Serialize;

use super::money::{self, Overflow};
use super::price_book::{PriceBookId, PriceKey, UnitPrice};

crate::keyed_enum! {
    /// The pay-as-you-go meters (the key is the `meter` of `--json` lines and CSV rows).
    pub enum Meter {
        /// Power Apps per active user per app (AP-1..12).
        PowerApps = "power_apps", "Power Apps per app",
        /// Power Automate cloud and desktop flow runs (PA-1..17).
        FlowRuns = "flow_runs", "Power Automate flow runs",
        /// Power Pages authenticated and anonymous users (PP-1..8).
        PowerPages = "power_pages", "Power Pages",
        /// Dataverse database, file and log storage (DV-1..8).
        Dataverse = "dataverse", "Dataverse storage",
        /// Power Platform requests above the daily entitlements (PR-1..12).
        Requests = "requests", "Power Platform requests",
        /// Copilot Studio messages, Copilot Credits from 09/2025 (CS-1..4, CC-1..7).
        CopilotStudio = "copilot_studio", "Copilot Studio",
        /// Windows 365 for Agents (`W365APAYGO`, CC-8).
        Windows365Agents = "windows365_agents", "Windows 365 for Agents",
        /// ISV embed program (billed to the ISV).
        Embed = "embed", "Power Automate embed (ISV)",
    }
}

/// Who pays a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// Billed to the customer's Azure subscription.
    Customer,
    /// Billed to the ISV's Azure subscription (EM-5).
    Isv,
    /// Shown in the usage report but not billed (PR-1 requests, runs above the PA-14 cap).
    ReportedNotBilled,
}

/// One priced quantity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChargeLine {
    /// Index of the environment in the scenario; `None` for ISV customers (scenario level).
    pub environment: Option<usize>,
    /// The environment's name ("ISV customers" for embed lines).
    pub environment_name: String,
    /// The meter that bills the line.
    pub meter: Meter,
    /// The app, flow, website, storage category … the line is about.
    pub item: String,
    /// How many units are billed (runs, user-apps, GB-months, requests, credits).
    pub quantity: Decimal,
    /// Singular unit name: "user-app", "run", "GB-month", "request", "message".
    pub unit: &'static str,
    /// Which price the line uses.
    pub price_key: PriceKey,
    /// The price per unit (the negotiated one when overridden).
    pub unit_price: Decimal,
    /// Whether the scenario overrides the book's price.
    pub price_overridden: bool,
    /// quantity × unit price, rounded once to cents (see `money`).
    pub amount: Decimal,
    /// Who pays: the customer, the ISV, or nobody yet (reported, not billed).
    pub payer: Payer,
    /// The spec rule that produced the line (e.g. "AP-1").
    pub rule: &'static str,
    /// One sentence with the arithmetic.
    pub explanation: String,
    /// The rate comes only from third-party sources (voice minutes, CC-7).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// Microsoft has published no price and the scenario gives none: the amount is $0.00
    /// until a negotiated price is entered, and the total is incomplete (CC-8).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unpublished_price: bool,
}

/// Something that was not charged, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exclusion {
    /// Index of the environment; `None` for lines of the scenario as a whole.
    pub environment: Option<usize>,
    /// The environment's name.
    pub environment_name: String,
    /// The meter the usage would have gone to.
    pub meter: Meter,
    /// What is not billed: a flow, an app's users, a website's visitors.
    pub item: String,
    /// How much is not billed.
    pub quantity: Decimal,
    /// The unit of `quantity`, singular.
    pub unit: &'static str,
    /// The rule that makes it free (e.g. "AP-5").
    pub rule: &'static str,
    /// Why, in a sentence ending with the rule id.
    pub reason: String,
}

/// A note on the result as a whole: a documentation discrepancy touching this scenario, or a
/// meter that this price book does not have.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    /// The rule that produced the note (a spec id, or ADV for the advisor).
    pub rule: &'static str,
    /// The note, one or two sentences.
    pub text: String,
}

/// Everything pricing produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breakdown {
    /// The book the breakdown was priced with.
    pub price_book: PriceBookId,
    /// The book's title, for people.
    pub price_book_title: &'static str,
    /// The scenario's month, YYYY-MM.
    pub month: String,
    /// Price keys whose override was used on at least one line.
    pub overrides_used: Vec<PriceKey>,
    /// Every charge, per environment and meter.
    pub lines: Vec<ChargeLine>,
    /// Usage not billed, each with its rule.
    pub exclusions: Vec<Exclusion>,
    /// Notes on rules applied and choices made.
    pub notes: Vec<Note>,
    /// Sum of the rounded customer lines.
    pub total_billed: Decimal,
    /// Sum of the rounded ISV lines.
    pub total_isv_billed: Decimal,
    /// Sum of the rounded reported-not-billed lines.
    pub total_reported_not_billed: Decimal,
    /// Prices used without a figure (no published price, no override): the totals leave
    /// them out, so they are incomplete (CC-8).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<PriceKey>,
    /// The month is later than the book's sources were last checked
    /// ([`crate::engine::PriceBook::month_after_check`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub month_after_check: bool,
}

impl Breakdown {
    /// The environments with lines (and, if `with_free_items`, with free items only), in
    /// scenario order, then the scenario level (ISV customers, `None`): (index, name).
    ///
    /// Built by index rather than sorted: each sorted type is more code in the wasm, and the
    /// breakdown, the chart and the report all group this way.
    pub fn environments(&self, with_free_items: bool) -> Vec<(Option<usize>, &str)> {
        let lines = self
            .lines
            .iter()
            .map(|l| (l.environment, l.environment_name.as_str()));
        let free = self
            .exclusions
            .iter()
            .filter(|_| with_free_items)
            .map(|x| (x.environment, x.environment_name.as_str()));
        let mut by_index: Vec<Option<&str>> = Vec::new();
        let mut scenario_level = None;
        for (environment, name) in lines.chain(free) {
            match environment {
                Some(i) => {
                    if by_index.len() <= i {
                        by_index.resize(i + 1, None);
                    }
                    by_index[i].get_or_insert(name);
                }
                None => {
                    scenario_level.get_or_insert(name);
                }
            }
        }
        by_index
            .into_iter()
            .enumerate()
            .filter_map(|(i, name)| Some((Some(i), name?)))
            .chain(scenario_level.map(|name| (None, name)))
            .collect()
    }

    /// Sum of rounded line amounts for one payer, optionally limited to an environment/meter.
    pub fn sum(&self, payer: Payer, environment: Option<usize>, meter: Option<Meter>) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.payer == payer)
            .filter(|l| environment.is_none() || l.environment == environment)
            .filter(|l| meter.is_none_or(|m| l.meter == m))
            .fold(Decimal::ZERO, |acc, l| acc.saturating_add(l.amount))
    }

    /// Customer-billed amount per meter (meters without lines are left out).
    pub fn billed_by_meter(&self) -> Vec<(Meter, Decimal)> {
        Meter::ALL
            .into_iter()
            .filter_map(|m| {
                let any = self.lines.iter().any(|l| l.meter == m);
                any.then(|| (m, self.sum(Payer::Customer, None, Some(m))))
            })
            .collect()
    }
}

/// The lines grouped for display, in one pass over them: each environment with lines (in
/// scenario order), then the scenario level (ISV customers); per group its customer-billed
/// subtotal and, per meter, where its lines are and a fingerprint of their content.
///
/// Views look their own lines up here and compare fingerprints instead of lines. Scanning all
/// lines once per group (for a subtotal, a fingerprint, a meter's lines) made every keystroke
/// quadratic in the number of environments: 200 environments took seconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineGroups {
    /// The groups, environments in scenario order, the scenario level last.
    pub groups: Vec<LineGroup>,
}

/// One environment's lines (or the scenario level's).
#[derive(Clone, Debug, PartialEq)]
pub struct LineGroup {
    /// Index of the environment; `None` for the scenario level (ISV customers).
    pub environment: Option<usize>,
    /// The environment's name.
    pub name: String,
    /// Sum of the group's customer-billed lines.
    pub billed: Decimal,
    /// Changes when any of the group's lines changes.
    pub fingerprint: u64,
    /// The meters with lines, in [`Meter::ALL`] order.
    pub meters: Vec<MeterLines>,
}

/// One meter's lines in a group.
#[derive(Clone, Debug, PartialEq)]
pub struct MeterLines {
    /// The meter.
    pub meter: Meter,
    /// Sum of these lines billed to the customer.
    pub billed: Decimal,
    /// Positions in [`Breakdown::lines`], in order.
    pub lines: Vec<usize>,
    /// Changes when any of these lines changes (item, quantity, price, amount, text …).
    pub fingerprint: u64,
}

impl LineGroups {
    /// The group of environment `e`, if it has lines (a binary search: groups are in
    /// environment order, the scenario level last).
    pub fn environment(&self, e: usize) -> Option<&LineGroup> {
        let at = self
            .groups
            .binary_search_by_key(&e, |g| g.environment.unwrap_or(usize::MAX))
            .ok()?;
        self.groups.get(at)
    }

    /// Groups the lines of a breakdown, one pass over them.
    pub fn of(b: &Breakdown) -> LineGroups {
        use std::collections::hash_map::DefaultHasher;
        use std::hash::{Hash, Hasher};

        struct Building {
            name: String,
            billed: Decimal,
            /// By `Meter as usize`, which is its place in `Meter::ALL`: positions, customer
            /// subtotal, fingerprint.
            meters: [Option<(Vec<usize>, Decimal, DefaultHasher)>; Meter::ALL.len()],
        }
        let mut by_index: Vec<Option<Building>> = Vec::new();
        let mut scenario_level: Option<Building> = None;
        for (position, l) in b.lines.iter().enumerate() {
            let slot = match l.environment {
                Some(i) => {
                    if by_index.len() <= i {
                        by_index.resize_with(i + 1, || None);
                    }
                    match by_index.get_mut(i) {
                        Some(slot) => slot,
                        None => continue,
                    }
                }
                None => &mut scenario_level,
            };
            let group = slot.get_or_insert_with(|| Building {
                name: l.environment_name.clone(),
                billed: Decimal::ZERO,
                meters: Default::default(),
            });
            if l.payer == Payer::Customer {
                group.billed = group.billed.saturating_add(l.amount);
            }
            if let Some(entry) = group.meters.get_mut(l.meter as usize) {
                let (lines, billed, h) =
                    entry.get_or_insert_with(|| (Vec::new(), Decimal::ZERO, DefaultHasher::new()));
                lines.push(position);
                if l.payer == Payer::Customer {
                    *billed = billed.saturating_add(l.amount);
                }
                (&l.item, &l.explanation, l.rule, l.unit).hash(h);
                (l.quantity, l.unit_price, l.amount).hash(h);
                (l.price_key, l.price_overridden, l.payer).hash(h);
            }
        }
        let groups = by_index
            .into_iter()
            .enumerate()
            .filter_map(|(i, g)| Some((Some(i), g?)))
            .chain(scenario_level.map(|g| (None, g)))
            .map(|(environment, g)| {
                let meters: Vec<MeterLines> = Meter::ALL
                    .into_iter()
                    .zip(g.meters)
                    .filter_map(|(meter, entry)| {
                        let (lines, billed, h) = entry?;
                        Some(MeterLines {
                            meter,
                            billed,
                            lines,
                            fingerprint: h.finish(),
                        })
                    })
                    .collect();
                let fingerprint = meters
                    .iter()
                    .fold(0u64, |a, m| a.rotate_left(7) ^ m.fingerprint);
                LineGroup {
                    environment,
                    name: g.name,
                    billed: g.billed,
                    fingerprint,
                    meters,
                }
            })
            .collect();
        LineGroups { groups }
    }
}

/// Where meter modules put what they find; computes amounts with the one rounding policy.
pub(crate) struct Ledger {
    pub lines: Vec<ChargeLine>,
    pub exclusions: Vec<Exclusion>,
    pub notes: Vec<Note>,
    environment: Option<usize>,
    environment_name: String,
}

/// A line to be priced (everything but the amount).
pub(crate) struct Charge<'a> {
    pub meter: Meter,
    pub item: &'a str,
    pub quantity: Decimal,
    pub unit: &'static str,
    pub price_key: PriceKey,
    pub price: UnitPrice,
    pub payer: Payer,
    pub rule: &'static str,
    pub explanation: String,
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger {
            lines: Vec::new(),
            exclusions: Vec::new(),
            notes: Vec::new(),
            environment: None,
            environment_name: String::new(),
        }
    }

    /// Lines and exclusions recorded from now on belong to this environment.
    pub fn set_environment(&mut self, index: Option<usize>, name: &str) {
        self.environment = index;
        self.environment_name = name.to_string();
    }

    /// Records a charge line: amount = round(quantity × unit price). Zero quantities are not
    /// recorded (a line of $0 for 0 units says nothing).
    pub fn charge(&mut self, c: Charge<'_>) -> Result<(), Overflow> {
        if c.quantity.is_zero() {
            return Ok(());
        }
        let amount = money::round_cents(money::mul(c.quantity, c.price.amount)?);
        self.lines.push(ChargeLine {
            environment: self.environment,
            environment_name: self.environment_name.clone(),
            meter: c.meter,
            item: c.item.to_string(),
            quantity: c.quantity,
            unit: c.unit,
            price_key: c.price_key,
            unit_price: c.price.amount,
            price_overridden: c.price.overridden,
            amount,
            payer: c.payer,
            rule: c.rule,
            explanation: c.explanation,
            provisional: false,
            unpublished_price: false,
        });
        Ok(())
    }

    /// Records a charge line whose amount is not quantity × price (Dataverse snapshots sum
    /// per-snapshot amounts); the amount is still rounded here, once.
    pub fn charge_amount(&mut self, c: Charge<'_>, raw_amount: Decimal) {
        if raw_amount.is_zero() {
            return;
        }
        self.lines.push(ChargeLine {
            environment: self.environment,
            environment_name: self.environment_name.clone(),
            meter: c.meter,
            item: c.item.to_string(),
            quantity: c.quantity,
            unit: c.unit,
            price_key: c.price_key,
            unit_price: c.price.amount,
            price_overridden: c.price.overridden,
            amount: money::round_cents(raw_amount),
            payer: c.payer,
            rule: c.rule,
            explanation: c.explanation,
            provisional: false,
            unpublished_price: false,
        });
    }

    /// Marks the last line recorded (CC-7, CC-8).
    pub fn mark_last(&mut self, provisional: bool, unpublished_price: bool) {
        if let Some(line) = self.lines.last_mut() {
            line.provisional = provisional;
            line.unpublished_price = unpublished_price;
        }
    }

    /// Records something free. Zero quantities are not recorded.
    pub fn exclude(
        &mut self,
        meter: Meter,
        item: &str,
        quantity: Decimal,
        unit: &'static str,
        rule: &'static str,
        reason: String,
    ) {
        if quantity.is_zero() {
            return;
        }
        self.exclusions.push(Exclusion {
            environment: self.environment,
            environment_name: self.environment_name.clone(),
            meter,
            item: item.to_string(),
            quantity,
            unit,
            rule,
            reason,
        });
    }

    /// Records a note once (same rule and text are not repeated).
    /// Adds what another ledger recorded, as if it had been recorded here (notes stay
    /// unique, in first-seen order).
    pub fn append(&mut self, other: &Ledger) {
        self.lines.extend_from_slice(&other.lines);
        self.exclusions.extend_from_slice(&other.exclusions);
        for n in &other.notes {
            self.note(n.rule, n.text.clone());
        }
    }

    pub fn note(&mut self, rule: &'static str, text: String) {
        if !self.notes.iter().any(|n| n.rule == rule && n.text == text) {
            self.notes.push(Note { rule, text });
        }
    }
}
