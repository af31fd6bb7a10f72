//! Copilot Studio message meter (CS-1..4): $0.01 per billed message, from the 2025-02 book.
//!
//! Usage is entered as billed messages (what the Azure meter reports), as events converted
//! with the book's messages-per-event table (CS-3, AMB-22), or both; they add up.
//! `m365_licensed_messages` are messages of Microsoft 365 Copilot-licensed users in
//! employee-facing agents: they are kept apart from `messages` (which already are the billed
//! ones) and are never charged (CS-3 "no charge", AMB-22).
//!
//! The 2023-06 book predates the meter (pay-as-you-go for Copilot Studio starts 1 Dec 2024),
//! so any usage there is an exclusion that points to the newer book (CS-1).

use rust_decimal::Decimal;

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::money::{self, Overflow};
use super::price_book::{CreditRates, PriceKey};
use super::scenario::CopilotStudio;
use super::{Context, Environment};

const UNIT: &str = "message";
const EVENT_UNIT: &str = "event";
const ITEM: &str = "Copilot Studio messages";
const EVENT_ITEM: &str = "Copilot Studio events";
const M365_ITEM: &str = "Microsoft 365 Copilot users' messages";

/// One kind of Copilot Studio event this month, with its CS-3 rate.
struct EventUse {
    count: u64,
    singular: &'static str,
    plural: &'static str,
    messages_each: Decimal,
}

/// The events of a month with their names, for sentences.
fn events(usage: &CopilotStudio, rates: &CreditRates) -> [EventUse; 4] {
    let event = |count, singular, plural, messages_each| EventUse {
        count,
        singular,
        plural,
        messages_each,
    };
    [
        event(
            usage.classic_answers,
            "classic answer",
            "classic answers",
            rates.classic_answer.credits,
        ),
        event(
            usage.generative_answers,
            "generative answer",
            "generative answers",
            rates.generative_answer.credits,
        ),
        event(
            usage.agent_actions,
            "agent action",
            "agent actions",
            rates.agent_action.credits,
        ),
        event(
            usage.graph_grounding,
            "tenant Microsoft Graph grounding",
            "tenant Microsoft Graph groundings",
            rates.graph_grounding.credits,
        ),
    ]
}

/// All events entered, whatever their rate (for exclusions when they cannot be converted).
fn event_count(usage: &CopilotStudio) -> Result<Decimal, Overflow> {
    [
        usage.classic_answers,
        usage.generative_answers,
        usage.agent_actions,
        usage.graph_grounding,
    ]
    .into_iter()
    .try_fold(Decimal::ZERO, |acc, n| money::add(acc, money::count(n)))
}

fn plural(n: Decimal, singular: &str, plural: &str) -> String {
    let word = if n == Decimal::ONE { singular } else { plural };
    format!("{} {word}", money::format_quantity(n))
}

/// Prices the Copilot Studio meter of one environment.
pub(crate) fn price(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let usage = &env.copilot_studio;
    let messages = money::count(usage.messages);
    let m365 = money::count(usage.m365_licensed_messages);
    let raw_events = event_count(usage)?;
    let rules = ctx.prices.rules();
    // CC-9: after the rename (09/01/2025) the same fields count Copilot Credits.
    let (unit, one, many, item) = if rules.copilot_credits {
        (
            "credit",
            "credit",
            "credits",
            "Copilot Credits (Copilot Studio usage)",
        )
    } else {
        (UNIT, "message", "messages", ITEM)
    };

    // Environment not pay-as-you-go, or the meter switched off (G-1, G-2): checked before the
    // book, since switching books would not bill such an environment either.
    if !ctx.customer_billed {
        let (rule, reason) = ctx.not_billed_reason(env, Meter::CopilotStudio);
        let all_messages = money::add(messages, m365)?;
        ledger.exclude(
            Meter::CopilotStudio,
            item,
            all_messages,
            unit,
            rule,
            reason.clone(),
        );
        ledger.exclude(
            Meter::CopilotStudio,
            EVENT_ITEM,
            raw_events,
            EVENT_UNIT,
            rule,
            reason,
        );
        return Ok(());
    }

    // CS-1: the seed book has no Copilot Studio meter.
    if !rules.copilot_studio_meter {
        let reason = "The Copilot Studio meter is not in the 2023-06 price book (pay-as-you-go \
                      for Copilot Studio messages starts 1 Dec 2024); choose the 2025-02 book."
            .to_string();
        let all_messages = money::add(messages, m365)?;
        ledger.exclude(
            Meter::CopilotStudio,
            item,
            all_messages,
            unit,
            "CS-1",
            reason.clone(),
        );
        ledger.exclude(
            Meter::CopilotStudio,
            EVENT_ITEM,
            raw_events,
            EVENT_UNIT,
            "CS-1",
            reason,
        );
        return Ok(());
    }

    // AMB-22: no charge for Microsoft 365 Copilot-licensed users in employee-facing agents.
    ledger.exclude(
        Meter::CopilotStudio,
        M365_ITEM,
        m365,
        unit,
        "CS-3",
        format!(
            "{} of Microsoft 365 Copilot-licensed users in employee-facing agents {} not \
             charged (CS-3, AMB-22): no charge for Microsoft 365 Copilot-licensed users in \
             employee-facing agents.",
            plural(m365, one, many),
            if m365 == Decimal::ONE { "is" } else { "are" }
        ),
    );

    // CS-3: events × the book's messages per event.
    let mut billed = messages;
    let mut parts: Vec<String> = Vec::new();
    match &rules.credit_rates {
        Some(rates) => {
            for event in events(usage, rates) {
                if event.count == 0 {
                    continue;
                }
                let n = money::count(event.count);
                let rate = event.messages_each;
                billed = money::add(billed, money::mul(n, rate)?)?;
                parts.push(format!(
                    "{} × {}",
                    plural(n, event.singular, event.plural),
                    plural(rate, one, many)
                ));
            }
        }
        None => ledger.exclude(
            Meter::CopilotStudio,
            EVENT_ITEM,
            raw_events,
            EVENT_UNIT,
            "CS-3",
            "This price book has no messages-per-event table, so events cannot be converted \
             to messages (CS-3); enter billed messages instead."
                .to_string(),
        ),
    }
    if billed.is_zero() {
        return Ok(());
    }

    let price = ctx.prices.get(PriceKey::CopilotStudioMessage);
    let amount = money::round_cents(money::mul(billed, price.amount)?);
    let cited = if parts.is_empty() {
        "CS-1".to_string()
    } else {
        let mut terms = Vec::with_capacity(parts.len() + 1);
        if !messages.is_zero() {
            terms.push(plural(messages, one, many));
        }
        terms.extend(parts);
        format!("CS-1, CS-3: {}", terms.join(" + "))
    };
    ledger.charge(Charge {
        meter: Meter::CopilotStudio,
        item,
        quantity: billed,
        unit,
        price_key: PriceKey::CopilotStudioMessage,
        price,
        payer: Payer::Customer,
        rule: "CS-1",
        explanation: format!(
            "{} billed this month ({cited}): {} × {} = {}.",
            plural(billed, one, many),
            money::format_quantity(billed),
            money::format_unit_price(price.amount),
            money::format_usd(amount)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::price_book::PriceBookId;
    use crate::engine::test_support::{Pricing, customer_total};
    use rust_decimal::dec;
    use std::collections::BTreeMap;

    fn env_with(usage: CopilotStudio) -> Environment {
        let mut env = Environment::new_payg("Production");
        env.copilot_studio = usage;
        env
    }

    fn run(env: &Environment, book: PriceBookId) -> Ledger {
        Pricing {
            book,
            ..Pricing::default()
        }
        .ledger(price, env)
    }

    fn messages(n: u64) -> CopilotStudio {
        CopilotStudio {
            messages: n,
            ..CopilotStudio::default()
        }
    }

    #[test]
    fn cs1_seed_book_has_no_meter() {
        let env = env_with(CopilotStudio {
            messages: 1_000,
            generative_answers: 40,
            ..CopilotStudio::default()
        });
        let ledger = run(&env, PriceBookId::Seed2023);
        assert!(ledger.lines.is_empty());
        assert_eq!(ledger.exclusions.len(), 2);
        assert!(ledger.exclusions.iter().all(|e| e.rule == "CS-1"));
        assert_eq!(ledger.exclusions[0].quantity, dec!(1000));
        assert!(
            ledger.exclusions[0]
                .reason
                .contains("choose the 2025-02 book")
        );
    }

    #[test]
    fn cs1_no_usage_no_exclusion() {
        let ledger = run(&env_with(CopilotStudio::default()), PriceBookId::Seed2023);
        assert!(ledger.lines.is_empty());
        assert!(ledger.exclusions.is_empty());
    }

    #[test]
    fn cs1_thousand_messages_bill_10_dollars() {
        let ledger = run(&env_with(messages(1_000)), PriceBookId::Newest2025);
        assert_eq!(customer_total(&ledger), dec!(10.00));
        let line = &ledger.lines[0];
        assert_eq!(line.rule, "CS-1");
        assert_eq!(line.unit, "message");
        assert_eq!(
            line.explanation,
            "1,000 messages billed this month (CS-1): 1,000 × $0.01 = $10.00."
        );
    }

    #[test]
    fn cs3_events_convert_with_the_book_rates() {
        let env = env_with(CopilotStudio {
            messages: 100,
            classic_answers: 10,
            generative_answers: 40,
            agent_actions: 2,
            graph_grounding: 1,
            ..CopilotStudio::default()
        });
        let ledger = run(&env, PriceBookId::Newest2025);
        // 100 + 10 × 1 + 40 × 2 + 2 × 25 + 1 × 30 = 270 messages.
        assert_eq!(ledger.lines[0].quantity, dec!(270));
        assert_eq!(customer_total(&ledger), dec!(2.70));
        assert!(
            ledger.lines[0]
                .explanation
                .contains("40 generative answers × 2 messages")
        );
        assert!(ledger.lines[0].explanation.contains("100 messages + "));
    }

    #[test]
    fn cs3_m365_copilot_users_messages_are_free() {
        let env = env_with(CopilotStudio {
            messages: 500,
            m365_licensed_messages: 300,
            ..CopilotStudio::default()
        });
        let ledger = run(&env, PriceBookId::Newest2025);
        assert_eq!(customer_total(&ledger), dec!(5.00));
        assert_eq!(ledger.exclusions.len(), 1);
        assert_eq!(ledger.exclusions[0].rule, "CS-3");
        assert_eq!(ledger.exclusions[0].quantity, dec!(300));
        assert!(ledger.exclusions[0].reason.contains("AMB-22"));
    }

    #[test]
    fn g2_meter_switched_off_records_exclusions_only() {
        let env = env_with(CopilotStudio {
            messages: 1_000,
            m365_licensed_messages: 5,
            ..CopilotStudio::default()
        });
        let not_billed = Pricing {
            book: PriceBookId::Newest2025,
            ..Pricing::not_billed()
        };
        let ledger = not_billed.ledger(price, &env);
        assert!(ledger.lines.is_empty());
        assert_eq!(ledger.exclusions.len(), 1);
        assert_eq!(ledger.exclusions[0].rule, "G-2");
        assert_eq!(ledger.exclusions[0].quantity, dec!(1005));
    }

    #[test]
    fn huge_counts_do_not_panic() {
        let env = env_with(CopilotStudio {
            messages: u64::MAX,
            classic_answers: u64::MAX,
            generative_answers: u64::MAX,
            agent_actions: u64::MAX,
            graph_grounding: u64::MAX,
            m365_licensed_messages: u64::MAX,
        });
        let ledger = run(&env, PriceBookId::Newest2025);
        assert_eq!(ledger.lines[0].quantity, money::count(u64::MAX) * dec!(59));
        run(&env, PriceBookId::Seed2023);
        let huge_price = Pricing {
            book: PriceBookId::Newest2025,
            overrides: BTreeMap::from([(PriceKey::CopilotStudioMessage, Decimal::MAX)]),
            ..Pricing::default()
        };
        assert_eq!(huge_price.price(price, &env).err(), Some(Overflow));
    }
}
