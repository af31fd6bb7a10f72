//! Copilot Credits (CC-1..8): per-agent use converted with the book's rate table, prepaid
//! capacity first, pay-as-you-go for the rest; and Windows 365 for Agents hours.
//!
//! The meter is the Copilot Studio meter (entitlement `MCSMessages`, which kept its name when
//! messages became Copilot Credits on 09/01/2025), so its lines go under
//! [`Meter::CopilotStudio`] and use the same price key; on books before the rename the unit is
//! called a message. The old `copilot_studio` section keeps its meaning (billed messages, or
//! credits after the rename, plus events) and is priced by `copilot_studio.rs`; it does not draw
//! on the prepaid capacity entered here, as its `messages` already are the billed ones.
//!
//! Prepaid capacity is consumed for the environment as a whole, so the pay-as-you-go part is
//! one line per environment whose explanation lists every agent: the total cannot depend on
//! the order of the agents, and there is one rounding.

use rust_decimal::Decimal;

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::money::{self, Overflow};
use super::price_book::{BookRules, CreditRates, PriceKey, Rate};
use super::scenario::{Agent, AgentChannel};
use super::{Context, Environment};

/// Credits in a Copilot Studio capacity pack (CC-4).
pub const CREDITS_PER_PACK: u64 = 25_000;
/// Credits per pre-purchase plan unit: 1 CU = $1 = 100 credits (CC-4).
pub const CREDITS_PER_UNIT: u64 = 100;

fn unit(rules: &BookRules) -> (&'static str, &'static str) {
    if rules.copilot_credits {
        ("credit", "credits")
    } else {
        ("message", "messages")
    }
}

fn plural(n: Decimal, singular: &str, plural: &str) -> String {
    let word = if n == Decimal::ONE { singular } else { plural };
    format!("{} {word}", money::format_quantity(n))
}

/// One feature of an agent whose use is counted in credits (CC-2): what the file, the
/// engine and the app's form all read, so a feature is defined once.
pub struct Feature {
    /// Where it is in an agent of the scenario file (`ai_tool_tokens.basic`).
    pub path: &'static str,
    /// What it is, in the breakdown's sentences ("generative answers").
    pub what: &'static str,
    /// Reads the quantity.
    pub get: fn(&Agent) -> u64,
    /// Reaches the quantity to change it.
    pub get_mut: fn(&mut Agent) -> &mut u64,
    /// The book's rates for one unit (`None`: the book's table has none). Several rates add
    /// up: a grounded answer is a generative answer plus tenant Graph grounding.
    pub rates: fn(&CreditRates) -> Option<Vec<Rate>>,
    /// Autonomous actions are charged even for Microsoft 365 Copilot-licensed users (CC-3).
    pub always_charged: bool,
}

fn ai_tier(rates: &CreditRates, i: usize, per_tokens: bool) -> Option<Vec<Rate>> {
    rates
        .ai_tools
        .filter(|t| (t[i].unit == "token") == per_tokens)
        .map(|t| vec![t[i]])
}

fn voice_tier(rates: &CreditRates, i: usize) -> Option<Vec<Rate>> {
    rates.voice.map(|v| vec![v[i]])
}

/// Every feature, in the order of the breakdown's arithmetic and of the app's form.
pub fn features() -> [Feature; 16] {
    fn f(
        path: &'static str,
        what: &'static str,
        get: fn(&Agent) -> u64,
        get_mut: fn(&mut Agent) -> &mut u64,
        rates: fn(&CreditRates) -> Option<Vec<Rate>>,
    ) -> Feature {
        Feature {
            path,
            what,
            get,
            get_mut,
            rates,
            always_charged: false,
        }
    }
    [
        f(
            "classic_answers",
            "classic answers",
            |a| a.classic_answers,
            |a| &mut a.classic_answers,
            |r| Some(vec![r.classic_answer]),
        ),
        f(
            "generative_answers",
            "generative answers",
            |a| a.generative_answers,
            |a| &mut a.generative_answers,
            |r| Some(vec![r.generative_answer]),
        ),
        // A grounded answer is a generative answer plus tenant Graph grounding (2 + 10 = 12).
        f(
            "grounded_answers",
            "generative answers with tenant Graph grounding",
            |a| a.grounded_answers,
            |a| &mut a.grounded_answers,
            |r| Some(vec![r.generative_answer, r.graph_grounding]),
        ),
        f(
            "agent_actions",
            "agent actions",
            |a| a.agent_actions,
            |a| &mut a.agent_actions,
            |r| Some(vec![r.agent_action]),
        ),
        Feature {
            always_charged: true,
            ..f(
                "autonomous_actions",
                "autonomous agent actions",
                |a| a.autonomous_actions,
                |a| &mut a.autonomous_actions,
                |r| Some(vec![r.agent_action]),
            )
        },
        f(
            "agent_flow_actions",
            "agent flow actions",
            |a| a.agent_flow_actions,
            |a| &mut a.agent_flow_actions,
            |r| r.agent_flow_actions.map(|x| vec![x]),
        ),
        f(
            "ai_tool_responses.basic",
            "AI tools basic responses",
            |a| a.ai_tool_responses.basic,
            |a| &mut a.ai_tool_responses.basic,
            |r| ai_tier(r, 0, false),
        ),
        f(
            "ai_tool_responses.standard",
            "AI tools standard responses",
            |a| a.ai_tool_responses.standard,
            |a| &mut a.ai_tool_responses.standard,
            |r| ai_tier(r, 1, false),
        ),
        f(
            "ai_tool_responses.premium",
            "AI tools premium responses",
            |a| a.ai_tool_responses.premium,
            |a| &mut a.ai_tool_responses.premium,
            |r| ai_tier(r, 2, false),
        ),
        f(
            "ai_tool_tokens.basic",
            "AI tools basic tokens",
            |a| a.ai_tool_tokens.basic,
            |a| &mut a.ai_tool_tokens.basic,
            |r| ai_tier(r, 0, true),
        ),
        f(
            "ai_tool_tokens.standard",
            "AI tools standard tokens",
            |a| a.ai_tool_tokens.standard,
            |a| &mut a.ai_tool_tokens.standard,
            |r| ai_tier(r, 1, true),
        ),
        f(
            "ai_tool_tokens.premium",
            "AI tools premium tokens",
            |a| a.ai_tool_tokens.premium,
            |a| &mut a.ai_tool_tokens.premium,
            |r| ai_tier(r, 2, true),
        ),
        f(
            "content_pages",
            "content processing pages",
            |a| a.content_pages,
            |a| &mut a.content_pages,
            |r| r.content_processing.map(|x| vec![x]),
        ),
        f(
            "voice_minutes.classic",
            "classic voice minutes",
            |a| a.voice_minutes.classic,
            |a| &mut a.voice_minutes.classic,
            |r| voice_tier(r, 0),
        ),
        f(
            "voice_minutes.generative",
            "generative voice minutes",
            |a| a.voice_minutes.generative,
            |a| &mut a.voice_minutes.generative,
            |r| voice_tier(r, 1),
        ),
        f(
            "voice_minutes.premium",
            "premium voice minutes",
            |a| a.voice_minutes.premium,
            |a| &mut a.voice_minutes.premium,
            |r| voice_tier(r, 2),
        ),
    ]
}

/// The rate of a feature in the book's unit: "(2 + 10) 12 credits", "13 credits per 100
/// actions" (the app's form says it next to each input).
pub fn rate_in(rates: &[Rate], rules: &BookRules) -> String {
    rate_text(rates, unit(rules))
}

/// "2 + 10 = 12 credits each" or "13 credits per 100".
fn rate_text(rates: &[Rate], words: (&str, &str)) -> String {
    match rates {
        [r] if r.per == 1 => plural(r.credits, words.0, words.1),
        [r] => format!(
            "{} per {} {}s",
            plural(r.credits, words.0, words.1),
            money::format_quantity(money::count(r.per)),
            r.unit
        ),
        _ => {
            let parts: Vec<String> = rates.iter().map(|r| r.credits.to_string()).collect();
            let sum = rates
                .iter()
                .fold(Decimal::ZERO, |a, r| a.saturating_add(r.credits));
            format!("({}) {}", parts.join(" + "), plural(sum, words.0, words.1))
        }
    }
}

/// What one agent adds to the environment's credits.
struct AgentCredits {
    charged: Decimal,
    provisional: bool,
    terms: Vec<String>,
}

fn agent_credits(
    agent: &Agent,
    rates: &CreditRates,
    rules: &BookRules,
    ledger: &mut Ledger,
) -> Result<AgentCredits, Overflow> {
    let words = unit(rules);
    let item = format!("{} ({})", agent.name, agent.channel.label());
    let mut out = AgentCredits {
        charged: Decimal::ZERO,
        provisional: false,
        terms: Vec::new(),
    };
    // CC-6: AI Builder reached Copilot Credits only from 11/01/2025.
    if agent.channel == AgentChannel::AiBuilder && !rules.ai_builder_on_credits {
        let all = features().iter().try_fold(Decimal::ZERO, |a, u| {
            money::add(a, money::count((u.get)(agent)))
        })?;
        ledger.exclude(
            Meter::CopilotStudio,
            &item,
            all,
            "unit",
            "CC-6",
            "AI Builder used its own AI Builder credits before 11/01/2025; it falls back to \
             Copilot Credits from the 2025-11 book on."
                .to_string(),
        );
        return Ok(out);
    }
    // CC-3: the licensed share is free in employee-facing agents.
    let free_share = if agent.employee_facing {
        money::mul(agent.m365_licensed_percent, Decimal::new(1, 2))?
    } else {
        Decimal::ZERO
    };
    let mut free = Decimal::ZERO;
    for u in features() {
        let quantity = (u.get)(agent);
        if quantity == 0 {
            continue;
        }
        let n = money::count(quantity);
        let Some(rs) = (u.rates)(rates) else {
            ledger.exclude(
                Meter::CopilotStudio,
                &format!("{item}: {}", u.what),
                n,
                "unit",
                "CC-2",
                format!(
                    "The {} book's rate table has no rate for {}; they are not converted \
                     to {} (see docs/price-books.md for the books that have one).",
                    rules_book_hint(rules),
                    u.what,
                    words.1
                ),
            );
            continue;
        };
        let mut credits = Decimal::ZERO;
        for r in &rs {
            credits = money::add(credits, r.credits_for(n)?)?;
            out.provisional |= r.source.provisional();
        }
        out.terms.push(format!(
            "{} {} × {} = {}",
            money::format_quantity(n),
            u.what,
            rate_text(&rs, words),
            money::format_quantity(credits)
        ));
        if !u.always_charged && !free_share.is_zero() {
            let f = money::mul(credits, free_share)?;
            free = money::add(free, f)?;
            credits = money::sub(credits, f)?;
        }
        out.charged = money::add(out.charged, credits)?;
    }
    ledger.exclude(
        Meter::CopilotStudio,
        &format!("{item}: Microsoft 365 Copilot-licensed users"),
        free,
        words.0,
        "CC-3",
        format!(
            "{} of {} of use by Microsoft 365 Copilot-licensed users in this employee-facing \
             agent {} not charged (CC-3); autonomous actions are charged.",
            plural(free, words.0, words.1),
            format_args!("{}%", agent.m365_licensed_percent.normalize()),
            if free == Decimal::ONE { "is" } else { "are" }
        ),
    );
    Ok(out)
}

fn rules_book_hint(rules: &BookRules) -> &'static str {
    if rules.copilot_credits {
        "Copilot Credits"
    } else {
        "Copilot Studio"
    }
}

/// Prices the Copilot Credits of one environment (CC-1..7).
pub(crate) fn price(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let cc = &env.copilot_credits;
    if cc.agents.is_empty() {
        return Ok(());
    }
    let rules = ctx.prices.rules();
    let words = unit(rules);
    let Some(rates) = rules.credit_rates.filter(|_| rules.copilot_studio_meter) else {
        for agent in &cc.agents {
            ledger.exclude(
                Meter::CopilotStudio,
                &agent.name,
                Decimal::ONE,
                "agent",
                "CS-1",
                "The Copilot Studio meter is not in the 2023-06 price book (pay-as-you-go for \
                 Copilot Studio starts 1 Dec 2024); choose a book from 2025-02 on."
                    .to_string(),
            );
        }
        return Ok(());
    };

    let mut total = Decimal::ZERO;
    let mut provisional = false;
    let mut parts = Vec::new();
    for agent in &cc.agents {
        let a = agent_credits(agent, &rates, rules, ledger)?;
        if a.charged.is_zero() && a.terms.is_empty() {
            continue;
        }
        total = money::add(total, a.charged)?;
        provisional |= a.provisional;
        parts.push(format!(
            "{} ({}): {}; {} charged",
            agent.name,
            agent.channel.label(),
            a.terms.join(" + "),
            money::format_quantity(a.charged)
        ));
    }
    if total.is_zero() {
        return Ok(());
    }

    // CC-4: prepaid capacity first.
    let packs = money::mul(
        money::count(u64::from(cc.prepaid_packs)),
        money::count(CREDITS_PER_PACK),
    )?;
    let units = if rules.prepurchase_plan {
        money::mul(
            money::count(cc.prepurchase_units),
            money::count(CREDITS_PER_UNIT),
        )?
    } else {
        if cc.prepurchase_units > 0 {
            ledger.note(
                "CC-4",
                "The Copilot Credit pre-purchase plan starts 11/01/2025: its units are not \
                 counted before the 2025-11 book."
                    .to_string(),
            );
        }
        Decimal::ZERO
    };
    let capacity = money::add(packs, units)?;
    let covered = total.min(capacity);
    let rest = money::sub(total, covered)?;
    ledger.exclude(
        Meter::CopilotStudio,
        "Prepaid Copilot capacity",
        covered,
        words.0,
        "CC-4",
        format!(
            "{} of the {} prepaid capacity ({} packs × 25,000 + {} pre-purchase units × 100) \
             are consumed before pay-as-you-go (CC-4); prepaid capacity is paid for outside \
             the meter.",
            plural(covered, words.0, words.1),
            money::format_quantity(capacity),
            cc.prepaid_packs,
            money::format_quantity(money::count(cc.prepurchase_units)),
        ),
    );
    let agents_text = parts.join("; ");

    if !ctx.customer_billed {
        let (rule, reason) = ctx.not_billed_reason(env, Meter::CopilotStudio);
        ledger.exclude(
            Meter::CopilotStudio,
            "Copilot Credits above prepaid capacity",
            rest,
            words.0,
            rule,
            reason,
        );
        // CC-5: without pay-as-you-go as overflow, agents stop above 125 % of capacity.
        if let Some(pct) = rules.prepaid_enforcement_percent {
            let limit = money::mul(
                capacity,
                money::mul(money::count(u64::from(pct)), Decimal::new(1, 2))?,
            )?;
            if total > limit {
                ledger.note(
                    "CC-5",
                    format!(
                        "{}: {} are above {pct} % of the prepaid capacity ({}) with no \
                         pay-as-you-go overflow, so custom agents stop answering at {} (CC-5).",
                        env.name,
                        plural(total, words.0, words.1),
                        money::format_quantity(capacity),
                        plural(limit, words.0, words.1)
                    ),
                );
            }
        }
        return Ok(());
    }

    let price = ctx.prices.get(PriceKey::CopilotStudioMessage);
    let amount = money::round_cents(money::mul(rest, price.amount)?);
    ledger.charge(Charge {
        meter: Meter::CopilotStudio,
        item: if rules.copilot_credits {
            "Copilot Credits (pay-as-you-go)"
        } else {
            "Copilot Studio messages (pay-as-you-go)"
        },
        quantity: rest,
        unit: words.0,
        price_key: PriceKey::CopilotStudioMessage,
        price,
        payer: Payer::Customer,
        rule: "CC-1",
        explanation: format!(
            "{agents_text} (CC-2). {} − {} prepaid (CC-4) = {} × {} = {} (CC-1){}.",
            plural(total, words.0, words.1),
            money::format_quantity(covered),
            plural(rest, words.0, words.1),
            money::format_unit_price(price.amount),
            money::format_usd(amount),
            if provisional {
                "; voice rates come only from third-party copies: provisional (CC-7)"
            } else {
                ""
            }
        ),
    })?;
    if provisional && !rest.is_zero() {
        ledger.mark_last(true, false);
    }
    Ok(())
}

/// Prices Windows 365 for Agents hours (CC-8): 50 free hours a tenant, then a price Microsoft
/// has not published, so a line without a negotiated price is marked and priced at $0.00.
pub(crate) fn price_cloud_pc(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let hours = money::count(env.copilot_credits.cloud_pc_hours);
    if hours.is_zero() {
        return Ok(());
    }
    let rules = ctx.prices.rules();
    const ITEM: &str = "Windows 365 for Agents Cloud PC hours";
    if !rules.windows365_agents_meter {
        ledger.exclude(
            Meter::Windows365Agents,
            ITEM,
            hours,
            "hour",
            "CC-8",
            "The Windows 365 for Agents meter (W365APAYGO) is not in this price book; choose \
             the 2026-09 book."
                .to_string(),
        );
        return Ok(());
    }
    if !ctx.customer_billed {
        let (rule, reason) = ctx.not_billed_reason(env, Meter::Windows365Agents);
        ledger.exclude(Meter::Windows365Agents, ITEM, hours, "hour", rule, reason);
        return Ok(());
    }
    let free = hours.min(money::count(rules.windows365_free_hours));
    ledger.exclude(
        Meter::Windows365Agents,
        ITEM,
        free,
        "hour",
        "CC-8",
        format!(
            "The first {} hours a tenant are free (CC-8); enter the tenant's hours in one \
             environment.",
            rules.windows365_free_hours
        ),
    );
    let billed = money::sub(hours, free)?;
    let key = PriceKey::Windows365AgentHour;
    let price = ctx.prices.get(key);
    let unpublished = !price.overridden && !ctx.prices.book.has_price(key);
    let amount = money::round_cents(money::mul(billed, price.amount)?);
    let explanation = if unpublished {
        format!(
            "{} above the free {}: Microsoft has published no price for Windows 365 for \
             Agents; enter a negotiated price (price_overrides.{}). Priced at $0.00 until then, \
             so the total is incomplete (CC-8).",
            plural(billed, "hour", "hours"),
            rules.windows365_free_hours,
            key.key()
        )
    } else {
        format!(
            "{} above the free {} (CC-8): {} × {} = {}.",
            plural(billed, "hour", "hours"),
            rules.windows365_free_hours,
            money::format_quantity(billed),
            money::format_unit_price(price.amount),
            money::format_usd(amount)
        )
    };
    ledger.charge(Charge {
        meter: Meter::Windows365Agents,
        item: ITEM,
        quantity: billed,
        unit: "hour",
        price_key: key,
        price,
        payer: Payer::Customer,
        rule: "CC-8",
        explanation,
    })?;
    if unpublished && !billed.is_zero() {
        ledger.mark_last(false, true);
    }
    Ok(())
}
