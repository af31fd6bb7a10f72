//! What the advisor needs besides the usage: the months the flow runs were counted over,
//! people and bots per flow, the growth profile and the projection's length.
//!
//! They are part of the scenario model (a scenario's optional `advisor` field, so they travel in
//! files, links and the autosave) and never used in pricing. They live apart from the advisor
//! so that the data model does not depend on the advisor: the advisor reads them, the scenario
//! only holds them.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::billing_month::BillingMonth;
use super::money::{self, Overflow};

/// The longest horizon (and projection) the advisor takes, in months: ten years.
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// What the advisor needs besides the scenario.
///
/// ```
/// use power_payg::engine::advisor::{advise_with, AdvisorInputs, FlowSizing};
/// use power_payg::engine::examples;
/// let scenario = examples::scenario("doc-prepaid-vs-payg").unwrap();
/// let inputs = AdvisorInputs::for_example("doc-prepaid-vs-payg").unwrap();
/// assert_eq!(inputs.horizon_months, 3);
/// let advice = advise_with(&scenario, &inputs).unwrap();
/// assert_eq!(advice.recommendations.len(), 6);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorInputs {
    /// The scenario's flow runs are totals over this many months (at least 1); licences are
    /// priced for every one of them. App users, storage and daily requests are levels: they
    /// are taken as each month's figures and counted this many times on both sides.
    pub horizon_months: u32,
    /// People and bots per flow, which the scenario format does not record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<FlowSizing>,
    /// How usage moves over the projection. Written as the text the CLI's `--growth` and the
    /// app's field take (`flat`, `5%`, twelve multipliers), so a file reads like the form.
    #[serde(default, skip_serializing_if = "Growth::is_flat", with = "growth_text")]
    pub growth: Growth,
    /// How many months the projection covers (1 to [`MAX_HORIZON_MONTHS`]).
    #[serde(
        default = "default_projection_months",
        skip_serializing_if = "is_default_projection_months"
    )]
    pub projection_months: u32,
}

/// A year, the projection the documentation's advice speaks of.
pub const DEFAULT_PROJECTION_MONTHS: u32 = 12;

fn default_projection_months() -> u32 {
    DEFAULT_PROJECTION_MONTHS
}

fn is_default_projection_months(months: &u32) -> bool {
    *months == DEFAULT_PROJECTION_MONTHS
}

/// [`Growth`] as its text form in scenario files.
mod growth_text {
    use super::Growth;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(growth: &Growth, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(growth)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Growth, D::Error> {
        let text = String::deserialize(d)?;
        Growth::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// How many people run a flow and how many bots it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowSizing {
    /// The environment's name; `None` matches a flow of that name in any environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The flow's name.
    pub flow: String,
    /// Instant and Power Apps-triggered flows: the people whose runs are charged today, who
    /// would each need a user licence. Without it the advisor assumes one person per licence
    /// class of the run groups, and says so. Ignored for automated and scheduled flows (the
    /// owner is one person, PA-6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<u64>,
    /// Unattended and hosted desktop flows: bots running at once (one prepaid licence each).
    /// Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bots: Option<u64>,
}

impl Default for AdvisorInputs {
    fn default() -> Self {
        AdvisorInputs {
            horizon_months: 1,
            flows: Vec::new(),
            growth: Growth::Flat,
            projection_months: DEFAULT_PROJECTION_MONTHS,
        }
    }
}

impl AdvisorInputs {
    /// The horizon, at least one month.
    pub fn horizon(&self) -> u32 {
        self.horizon_months.max(1)
    }

    /// The sizing of a flow: an entry for its environment first, then one for any.
    pub(crate) fn sizing(&self, environment: &str, flow: &str) -> Option<&FlowSizing> {
        let named = |f: &&FlowSizing| f.flow == flow;
        self.flows
            .iter()
            .filter(named)
            .find(|f| f.environment.as_deref() == Some(environment))
            .or_else(|| {
                self.flows
                    .iter()
                    .filter(named)
                    .find(|f| f.environment.is_none())
            })
    }
}

impl FlowSizing {
    /// `users` people run `flow` (in any environment).
    pub fn users(flow: &str, users: u64) -> FlowSizing {
        FlowSizing {
            environment: None,
            flow: flow.to_string(),
            users: Some(users),
            bots: None,
        }
    }

    /// `flow` needs `bots` bots at once (in any environment).
    pub fn bots(flow: &str, bots: u64) -> FlowSizing {
        FlowSizing {
            environment: None,
            flow: flow.to_string(),
            users: None,
            bots: Some(bots),
        }
    }
}

/// How usage moves from month to month in a [`Projection`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Growth {
    /// Every month like the scenario's.
    #[default]
    Flat,
    /// Usage grows by this percentage each month (month n is × (1 + p/100)ⁿ⁻¹; negative
    /// shrinks, never below zero).
    MonthlyPercent(Decimal),
    /// Multipliers for January … December (calendar months), applied to the scenario's usage.
    Seasonal([Decimal; 12]),
}

impl Growth {
    /// Parses `flat`, `5%` / `-2.5%`, or twelve comma-separated multipliers (January first).
    ///
    /// ```
    /// use power_payg::engine::advisor::Growth;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Growth::parse("flat"), Ok(Growth::Flat));
    /// assert_eq!(Growth::parse("5%"), Ok(Growth::MonthlyPercent(Decimal::from(5))));
    /// assert!(Growth::parse("1,2").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Growth, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("flat") {
            return Ok(Growth::Flat);
        }
        let number = |s: &str| {
            let s = s.trim();
            let s = s.strip_prefix('+').unwrap_or(s);
            Decimal::from_str_exact(s).map_err(|_| format!("`{s}` is not a number"))
        };
        if let Some(p) = t.strip_suffix('%') {
            return number(p).map(Growth::MonthlyPercent);
        }
        if t.contains(',') {
            let values: Vec<Decimal> = t.split(',').map(number).collect::<Result<_, _>>()?;
            if values.iter().any(|v| v.is_sign_negative() && !v.is_zero()) {
                return Err("seasonal multipliers can't be negative".to_string());
            }
            return <[Decimal; 12]>::try_from(values)
                .map(Growth::Seasonal)
                .map_err(|v| {
                    format!(
                        "a seasonal profile has 12 multipliers (January to December), got {}",
                        v.len()
                    )
                });
        }
        Err(format!(
            "growth is `flat`, a percentage a month like `5%`, or 12 multipliers like \
             `1,1,1,1,1,1,0.5,0.5,1,1,1,2`; got `{t}`"
        ))
    }

    /// Whether every month is like the scenario's.
    pub fn is_flat(&self) -> bool {
        *self == Growth::Flat
    }

    /// The multiplier of the `n`-th projected month (0 = the scenario's month), which is
    /// calendar month `month`.
    pub(crate) fn factor(&self, n: u32, month: BillingMonth) -> Result<Decimal, Overflow> {
        let f = match self {
            Growth::Flat => Decimal::ONE,
            Growth::MonthlyPercent(p) => {
                let step = money::add(Decimal::ONE, money::div(*p, Decimal::ONE_HUNDRED)?)?;
                let step = step.max(Decimal::ZERO);
                let mut f = Decimal::ONE;
                for _ in 0..n {
                    f = money::mul(f, step)?;
                    // Keep the scale bounded: 12 decimals are far below a counted unit.
                    f = f.round_dp_with_strategy(12, RoundingStrategy::MidpointAwayFromZero);
                }
                f
            }
            Growth::Seasonal(m) => m
                .get(usize::from(month.month.clamp(1, 12)) - 1)
                .copied()
                .unwrap_or(Decimal::ONE),
        };
        Ok(f.max(Decimal::ZERO))
    }
}

/// The text [`Growth::parse`] reads back: `flat`, `5%`, or twelve multipliers.
impl std::fmt::Display for Growth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Growth::Flat => f.write_str("flat"),
            Growth::MonthlyPercent(p) => write!(f, "{}%", p.normalize()),
            Growth::Seasonal(m) => {
                for (i, x) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}", x.normalize())?;
                }
                Ok(())
            }
        }
    }
}
