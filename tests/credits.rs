//! Copilot Credits (CC-1..9) across the dated price books: what each book charges, prepaid
//! capacity, the licensed share, enforcement, unpublished and provisional prices.

use power_payg::engine::money::format_plain;
use power_payg::engine::{
    self, Agent, AgentChannel, CopilotCredits, CopilotStudio, Environment, Meter, PriceBookId,
    PriceKey, Scenario, decode, examples,
};
use rust_decimal::dec;

fn scenario(book: PriceBookId, credits: CopilotCredits) -> Scenario {
    let mut s = Scenario::new_empty();
    s.price_book = book;
    s.environments[0].copilot_credits = credits;
    s
}

fn agent(f: impl FnOnce(&mut Agent)) -> Agent {
    let mut a = Agent {
        name: "A".to_string(),
        ..Agent::default()
    };
    f(&mut a);
    a
}

fn one_agent(book: PriceBookId, f: impl FnOnce(&mut Agent)) -> engine::Breakdown {
    let s = scenario(
        book,
        CopilotCredits {
            agents: vec![agent(f)],
            ..CopilotCredits::default()
        },
    );
    engine::price(&s).expect("prices")
}

#[test]
fn each_rate_table_prices_its_own_features() {
    // v1: agent action 25, grounding 30; v2: 5 and 10.
    let use_ = |a: &mut Agent| {
        a.grounded_answers = 10;
        a.agent_actions = 10;
    };
    assert_eq!(
        one_agent(PriceBookId::Newest2025, use_).total_billed,
        dec!(5.70)
    );
    assert_eq!(
        one_agent(PriceBookId::Spring2025, use_).total_billed,
        dec!(1.70)
    );
    assert_eq!(
        one_agent(PriceBookId::Agents2026, use_).total_billed,
        dec!(1.70)
    );
    let b = one_agent(PriceBookId::Spring2025, use_);
    assert_eq!(b.lines[0].unit, "message");
    assert_eq!(b.lines[0].rule, "CC-1");
    assert!(
        b.lines[0].explanation.contains(
            "10 generative answers with tenant Graph grounding × (2 + 10) 12 messages = 120"
        ),
        "{}",
        b.lines[0].explanation
    );
    assert!(
        b.lines[0]
            .explanation
            .contains("170 messages − 0 prepaid (CC-4) = 170 messages × $0.01 = $1.70")
    );
    let b = one_agent(PriceBookId::Credits2025, use_);
    assert_eq!(b.lines[0].unit, "credit");
}

#[test]
fn features_a_book_has_no_rate_for_are_not_converted() {
    let b = one_agent(PriceBookId::Newest2025, |a| {
        a.agent_flow_actions = 100;
        a.classic_answers = 3;
    });
    assert_eq!(b.total_billed, dec!(0.03));
    let x = b
        .exclusions
        .iter()
        .find(|x| x.rule == "CC-2")
        .expect("CC-2");
    assert_eq!(x.quantity, dec!(100));
    // Responses are priced until 10/2025, tokens after.
    let responses = |a: &mut Agent| a.ai_tool_responses.premium = 10;
    assert_eq!(
        one_agent(PriceBookId::Credits2025, responses).total_billed,
        dec!(1.00)
    );
    assert_eq!(
        one_agent(PriceBookId::Tokens2025, responses).total_billed,
        dec!(0)
    );
    let tokens = |a: &mut Agent| a.ai_tool_tokens.premium = 1_000;
    assert_eq!(
        one_agent(PriceBookId::Credits2025, tokens).total_billed,
        dec!(0)
    );
    assert_eq!(
        one_agent(PriceBookId::Tokens2025, tokens).total_billed,
        dec!(0.10)
    );
    // 13 credits per 100 agent flow actions, kept exact until the line is rounded.
    let flows = |a: &mut Agent| a.agent_flow_actions = 150;
    let b = one_agent(PriceBookId::Spring2025, flows);
    assert_eq!(b.lines[0].quantity, dec!(19.5));
    assert_eq!(b.total_billed, dec!(0.20));
}

#[test]
fn seed_book_has_no_meter() {
    let b = one_agent(PriceBookId::Seed2023, |a| a.classic_answers = 5);
    assert!(b.lines.is_empty());
    assert_eq!(b.exclusions[0].rule, "CS-1");
}

#[test]
fn licensed_share_is_free_in_employee_facing_agents_except_autonomous_actions() {
    let b = one_agent(PriceBookId::Credits2025, |a| {
        a.employee_facing = true;
        a.m365_licensed_percent = dec!(75);
        a.generative_answers = 1_000;
        a.autonomous_actions = 100;
    });
    // 2,000 × 25 % + 500 = 1,000 credits.
    assert_eq!(b.lines[0].quantity, dec!(1000));
    assert_eq!(b.total_billed, dec!(10.00));
    let x = b
        .exclusions
        .iter()
        .find(|x| x.rule == "CC-3")
        .expect("CC-3");
    assert_eq!(x.quantity, dec!(1500));
}

#[test]
fn prepaid_capacity_is_consumed_first() {
    let credits = |packs, units| CopilotCredits {
        agents: vec![agent(|a| a.generative_answers = 20_000)],
        prepaid_packs: packs,
        prepurchase_units: units,
        ..CopilotCredits::default()
    };
    let price = |book, c| engine::price(&scenario(book, c)).expect("prices");
    // 40,000 credits − 25,000 = 15,000 × $0.01.
    assert_eq!(
        price(PriceBookId::Credits2025, credits(1, 0)).total_billed,
        dec!(150.00)
    );
    assert_eq!(
        price(PriceBookId::Credits2025, credits(2, 0)).total_billed,
        dec!(0)
    );
    // Pre-purchase units count from the 2025-11 book: 100 credits each.
    let b = price(PriceBookId::Credits2025, credits(1, 50));
    assert_eq!(b.total_billed, dec!(150.00));
    assert!(b.notes.iter().any(|n| n.rule == "CC-4"));
    assert_eq!(
        price(PriceBookId::AiBuilder2025, credits(1, 50)).total_billed,
        dec!(100.00)
    );
    let b = price(PriceBookId::AiBuilder2025, credits(1, 0));
    let x = b
        .exclusions
        .iter()
        .find(|x| x.rule == "CC-4")
        .expect("CC-4");
    assert_eq!(x.quantity, dec!(25000));
}

#[test]
fn above_125_percent_without_payg_overflow_agents_stop() {
    let mut s = scenario(
        PriceBookId::Credits2025,
        CopilotCredits {
            agents: vec![agent(|a| a.generative_answers = 16_000)],
            prepaid_packs: 1,
            ..CopilotCredits::default()
        },
    );
    // 32,000 credits > 31,250 = 125 % of 25,000.
    s.environments[0].meters.copilot_studio = false;
    let b = engine::price(&s).expect("prices");
    assert_eq!(b.total_billed, dec!(0));
    assert!(
        b.notes
            .iter()
            .any(|n| n.rule == "CC-5" && n.text.contains("stop"))
    );
    // Pay-as-you-go as overflow: billed, agents keep answering.
    s.environments[0].meters.copilot_studio = true;
    let b = engine::price(&s).expect("prices");
    assert_eq!(b.total_billed, dec!(70.00));
    assert!(!b.notes.iter().any(|n| n.rule == "CC-5"));
    // Within 125 %: no stop.
    s.environments[0].meters.copilot_studio = false;
    s.environments[0].copilot_credits.agents[0].generative_answers = 15_000;
    let b = engine::price(&s).expect("prices");
    assert!(!b.notes.iter().any(|n| n.rule == "CC-5"));
    // The 2025-02 book predates the enforcement.
    s.price_book = PriceBookId::Newest2025;
    s.environments[0].copilot_credits.agents[0].generative_answers = 100_000;
    let b = engine::price(&s).expect("prices");
    assert!(!b.notes.iter().any(|n| n.rule == "CC-5"));
}

#[test]
fn ai_builder_reaches_credits_only_from_november_2025() {
    let use_ = |a: &mut Agent| {
        a.channel = AgentChannel::AiBuilder;
        a.content_pages = 100;
    };
    let b = one_agent(PriceBookId::Tokens2025, use_);
    assert_eq!(b.total_billed, dec!(0));
    assert!(b.exclusions.iter().any(|x| x.rule == "CC-6"));
    assert_eq!(
        one_agent(PriceBookId::AiBuilder2025, use_).total_billed,
        dec!(8.00)
    );
}

#[test]
fn unpublished_price_marks_the_line_and_the_total_incomplete() {
    let s = examples::scenario("learn-windows365-unpriced").expect("example");
    let b = engine::price(&s).expect("prices");
    assert_eq!(b.incomplete, vec![PriceKey::Windows365AgentHour]);
    let line = b
        .lines
        .iter()
        .find(|l| l.meter == Meter::Windows365Agents)
        .expect("line");
    assert!(line.unpublished_price);
    assert_eq!(line.quantity, dec!(30));
    assert_eq!(line.amount, dec!(0));
    assert!(
        b.notes
            .iter()
            .any(|n| n.rule == "CC-8" && n.text.contains("incomplete"))
    );
    let voice = b
        .lines
        .iter()
        .find(|l| l.meter == Meter::CopilotStudio)
        .expect("voice");
    assert!(voice.provisional && !voice.unpublished_price);
    // A negotiated price completes it.
    let mut s = s;
    s.price_overrides
        .insert(PriceKey::Windows365AgentHour, dec!(0.50));
    let b = engine::price(&s).expect("prices");
    assert!(b.incomplete.is_empty());
    assert_eq!(format_plain(b.total_billed), "50.00");
    assert!(b.overrides_used.contains(&PriceKey::Windows365AgentHour));
    // Before the 2026 book there is no such meter.
    s.price_book = PriceBookId::AiBuilder2025;
    let b = engine::price(&s).expect("prices");
    assert!(b.lines.iter().all(|l| l.meter != Meter::Windows365Agents));
}

#[test]
fn old_copilot_studio_fields_are_credits_after_the_rename() {
    let mut s = Scenario::new_empty();
    s.environments[0].copilot_studio = CopilotStudio {
        messages: 1_000,
        agent_actions: 2,
        ..CopilotStudio::default()
    };
    let total = |s: &Scenario| engine::price(s).expect("prices").total_billed;
    s.price_book = PriceBookId::Newest2025;
    assert_eq!(total(&s), dec!(10.50));
    s.price_book = PriceBookId::Spring2025;
    assert_eq!(total(&s), dec!(10.10));
    s.price_book = PriceBookId::Credits2025;
    let b = engine::price(&s).expect("prices");
    assert_eq!(b.total_billed, dec!(10.10));
    assert_eq!(b.lines[0].unit, "credit");
    assert!(b.lines[0].explanation.starts_with("1,010 credits billed"));
}

#[test]
fn month_after_the_last_check_is_flagged() {
    let mut s = scenario(PriceBookId::Agents2026, CopilotCredits::default());
    s.month = power_payg::engine::BillingMonth {
        year: 2026,
        month: 11,
    };
    assert!(!engine::price(&s).expect("prices").month_after_check);
    s.month = power_payg::engine::BillingMonth {
        year: 2027,
        month: 1,
    };
    assert!(engine::price(&s).expect("prices").month_after_check);
}

#[test]
fn decoder_reads_the_section_and_reports_problems_by_path() {
    let s = examples::scenario("learn-credits-prepaid").expect("example");
    assert_eq!(
        decode::decode_scenario(&decode::encode_scenario(&s)).expect("decodes"),
        s
    );
    let json = serde_json::to_string(&s).expect("serialises");
    let bad = json
        .replace("\"m365_copilot_chat\"", "\"teams\"")
        .replace("\"employee_facing\":true", "\"employee_facing\":false")
        .replace("\"prepaid_packs\":1", "\"prepaid_packs\":-1");
    let problems: Vec<String> = decode::decode_scenario(&bad)
        .expect_err("problems")
        .iter()
        .map(ToString::to_string)
        .collect();
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(
        has("environments[0].copilot_credits.agents[1].channel: unknown channel `teams`"),
        "{problems:#?}"
    );
    assert!(
        has("environments[0].copilot_credits.agents[1].m365_licensed_percent: must be 0 unless"),
        "{problems:#?}"
    );
    assert!(
        has("environments[0].copilot_credits.prepaid_packs:"),
        "{problems:#?}"
    );
    let over = json.replace(
        "\"m365_licensed_percent\":\"50\"",
        "\"m365_licensed_percent\":\"100.5\"",
    );
    assert_ne!(over, json);
    assert!(decode::decode_scenario(&over).is_err());
}

#[test]
fn the_new_meter_keeps_old_environments_unchanged() {
    let env = Environment::new_payg("P");
    let json = serde_json::to_string(&env).expect("serialises");
    assert!(!json.contains("copilot_credits") && !json.contains("windows365"));
}

#[test]
fn a_new_scenario_is_priced_by_the_book_in_force_that_month() {
    use power_payg::engine::BillingMonth;
    let m = |year, month| BillingMonth { year, month };
    assert_eq!(
        Scenario::new_in(m(2026, 12)).price_book,
        PriceBookId::Agents2026
    );
    assert_eq!(
        Scenario::new_in(m(2025, 10)).price_book,
        PriceBookId::Tokens2025
    );
    assert_eq!(
        Scenario::new_in(m(2025, 4)).price_book,
        PriceBookId::Newest2025
    );
    assert_eq!(
        Scenario::new_in(m(2024, 1)).price_book,
        PriceBookId::Seed2023
    );
    assert_eq!(Scenario::new_in(m(2026, 12)).month, m(2026, 12));
}

/// The app's form, the engine and the file format read an agent's features through one
/// list (`copilot_credits::features`): each feature's path is where the file holds it, and
/// its reader and writer reach the same number.
#[test]
fn every_agent_feature_is_where_the_file_holds_it() {
    use power_payg::engine::copilot_credits::features;
    let mut a = agent(|_| {});
    for (i, f) in features().iter().enumerate() {
        *(f.get_mut)(&mut a) = 1000 + i as u64;
    }
    let json = serde_json::to_value(&a).expect("serialises");
    let mut paths = std::collections::BTreeSet::new();
    for (i, f) in features().iter().enumerate() {
        assert!(paths.insert(f.path), "{} twice", f.path);
        assert_eq!((f.get)(&a), 1000 + i as u64, "{}", f.path);
        let at = f
            .path
            .split('.')
            .try_fold(&json, |v, k| v.get(k))
            .unwrap_or_else(|| panic!("no {} in {json}", f.path));
        assert_eq!(at.as_u64(), Some(1000 + i as u64), "{}", f.path);
    }
    // Every number of an agent is a feature (name, channel and the licensed share aside).
    let numbers = json
        .as_object()
        .expect("object")
        .iter()
        .flat_map(|(k, v)| match v.as_object() {
            Some(o) => o.keys().map(|s| format!("{k}.{s}")).collect::<Vec<_>>(),
            None => vec![k.clone()],
        })
        .filter(|k| k != "name")
        .count();
    assert_eq!(numbers, features().len());
    // And the decoder reads each back where it was written.
    let mut s = scenario(PriceBookId::Agents2026, CopilotCredits::default());
    s.environments[0].copilot_credits.agents.push(a.clone());
    let back = decode::decode_scenario(&decode::encode_scenario(&s)).expect("decodes");
    assert_eq!(back.environments[0].copilot_credits.agents[0], a);
}

#[test]
fn channel_keys_are_the_file_format_keys() {
    for c in AgentChannel::ALL {
        assert_eq!(
            serde_json::to_value(c).expect("serialises"),
            serde_json::Value::String(c.key().to_string())
        );
        assert_eq!(AgentChannel::from_key(c.key()), Some(c));
    }
}

#[test]
fn a_credits_line_cites_the_price_and_the_rate_table() {
    let book = PriceBookId::Agents2026.book();
    let titles: Vec<&str> = book
        .sources_for(PriceKey::CopilotStudioMessage)
        .iter()
        .map(|s| s.title)
        .collect();
    assert!(titles[0].contains("renamed Copilot Credits"), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("voice")), "{titles:?}");
    // Distinct: every rate of a table shares a few sources.
    let mut unique = titles.clone();
    unique.dedup();
    assert_eq!(unique.len(), titles.len());
    // A price with no rate table has its price's source only; an unpublished one none.
    assert_eq!(book.sources_for(PriceKey::PowerAppsPerAppUser).len(), 1);
    assert!(
        PriceBookId::Seed2023
            .book()
            .sources_for(PriceKey::Windows365AgentHour)
            .is_empty()
    );
}
