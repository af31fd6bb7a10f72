//! The advisor's 2025–2026 routes (issue 12, item 3), to the cent: Copilot Studio capacity
//! packs against the Copilot Credit pre-purchase plan against pay-as-you-go (CC-10, with the
//! 125 % rule CC-5), and the Power Apps per-app licence's end of sale on EA and MPSA (EOS-1).

use power_payg::engine::advisor::{self, Advice, Choice, Recommendation, SubjectKind};
use power_payg::engine::{
    self, Agent, App, BillingMonth, ConnectorClass, Environment, Licence, PriceBookId, PriceKey,
    Scenario, UserGroup,
};
use rust_decimal::dec;

fn scenario(book: PriceBookId, year: u16, month: u8, env: Environment) -> Scenario {
    let mut s = Scenario::new_empty();
    s.price_book = book;
    s.month = BillingMonth { year, month };
    s.environments = vec![env];
    s
}

/// One agent answering `answers` classic answers a month: 1 credit each in every rate table.
fn agents_env(answers: u64) -> Environment {
    let mut env = Environment::new_payg("Agents");
    env.copilot_credits.agents = vec![Agent {
        name: "Helpdesk".to_string(),
        classic_answers: answers,
        ..Agent::default()
    }];
    env
}

fn credits(advice: &Advice) -> &Recommendation {
    advice
        .recommendations
        .iter()
        .find(|r| r.kind == SubjectKind::Credits)
        .expect("the credits are advised on")
}

fn cost(r: &Recommendation, choice: Choice) -> rust_decimal::Decimal {
    r.alternative(choice)
        .unwrap_or_else(|| panic!("{choice:?} priced"))
        .cost
}

#[test]
fn cc10_seventy_thousand_credits_packs_beat_pay_as_you_go_and_units_tie_it_at_list() {
    let s = scenario(PriceBookId::AiBuilder2025, 2025, 12, agents_env(70_000));
    let advice = advisor::advise(&s).unwrap();
    let r = credits(&advice);
    // 70,000 × $0.01.
    assert_eq!(r.payg, dec!(700.00));
    // 2 packs ($400) + the 20,000 above them on pay-as-you-go ($200); a third pack costs the
    // same $600, and fewer packs win the tie.
    let packs = r.alternative(Choice::CopilotPacks).unwrap();
    assert_eq!(packs.parts[0].quantity, dec!(2));
    assert_eq!(packs.licence_cost, dec!(400.00));
    assert_eq!(packs.residual_payg, dec!(200.00));
    assert_eq!(packs.cost, dec!(600.00));
    // 700 units × $1.00: the pay-as-you-go rate, so pay-as-you-go keeps the tie.
    assert_eq!(cost(r, Choice::PrepurchasePlan), dec!(700.00));
    // 2 packs + 200 units.
    assert_eq!(cost(r, Choice::PacksAndPrepurchase), dec!(600.00));
    assert_eq!(
        r.recommended_alternative().unwrap().choice,
        Choice::CopilotPacks
    );
    // $200 ÷ $0.01 = 20,000 credits; against units at $1.00 per 100, the same.
    let sentences: Vec<&str> = r.break_evens.iter().map(|b| b.sentence.as_str()).collect();
    assert_eq!(r.break_evens[0].whole, 20_000);
    assert!(
        sentences[0].starts_with("A capacity pack pays for itself above 20,000 credits a month"),
        "{sentences:?}"
    );
    assert_eq!(r.break_evens[1].whole, 20_000);
    // CC-5: 2 packs are 50,000 credits; 125 % is 62,500, below this use.
    let caveat = packs.caveat.as_deref().unwrap_or_default();
    assert!(caveat.contains("62,500"), "{caveat}");
    assert!(caveat.contains("above 125 %"), "{caveat}");
    assert_eq!(advice.total_payg, dec!(700.00));
    assert_eq!(advice.total_recommended, dec!(600.00));
}

#[test]
fn cc10_a_tier_discount_makes_packs_and_units_the_cheapest() {
    let mut s = scenario(PriceBookId::AiBuilder2025, 2025, 12, agents_env(70_000));
    s.price_overrides
        .insert(PriceKey::CopilotCreditUnit, dec!(0.95));
    let r = credits(&advisor::advise(&s).unwrap()).clone();
    // 700 × $0.95, and 2 × $200 + 200 × $0.95.
    assert_eq!(cost(&r, Choice::PrepurchasePlan), dec!(665.00));
    assert_eq!(cost(&r, Choice::PacksAndPrepurchase), dec!(590.00));
    assert_eq!(
        r.recommended_alternative().unwrap().choice,
        Choice::PacksAndPrepurchase
    );
    // $200 ÷ $0.0095 a credit = 21,052.63: a pack beats units above 21,052 credits.
    assert_eq!(r.break_evens[1].exact.round_dp(2), dec!(21052.63));
    assert_eq!(r.break_evens[1].whole, 21_052);
}

#[test]
fn cc10_the_last_pack_is_bought_only_above_twenty_thousand_credits() {
    // 90,000: 3 packs + 15,000 on pay-as-you-go ($750) beat 4 packs ($800).
    let s = scenario(PriceBookId::AiBuilder2025, 2025, 12, agents_env(90_000));
    let r = credits(&advisor::advise(&s).unwrap()).clone();
    assert_eq!(r.payg, dec!(900.00));
    let packs = r.alternative(Choice::CopilotPacks).unwrap();
    assert_eq!(packs.parts[0].quantity, dec!(3));
    assert_eq!(packs.cost, dec!(750.00));
    // 95,000 would tie (3 packs + $200 = 4 packs = $800): fewer packs win.
    // 96,000: 3 packs + $210 = $810 against 4 packs at $800: the fourth pack wins.
    let s = scenario(PriceBookId::AiBuilder2025, 2025, 12, agents_env(96_000));
    let r = credits(&advisor::advise(&s).unwrap()).clone();
    let packs = r.alternative(Choice::CopilotPacks).unwrap();
    assert_eq!(packs.parts[0].quantity, dec!(4));
    assert_eq!(packs.cost, dec!(800.00));
    assert_eq!(packs.residual_payg, dec!(0.00));
}

#[test]
fn cc10_only_books_with_the_routes_offer_them() {
    // 2025-05: packs and the 125 % rule, no pre-purchase plan yet.
    let s = scenario(PriceBookId::Spring2025, 2025, 6, agents_env(70_000));
    let advice = advisor::advise(&s).unwrap();
    let r = credits(&advice);
    assert!(r.alternative(Choice::CopilotPacks).is_some());
    assert!(r.alternative(Choice::PrepurchasePlan).is_none());
    assert!(advice.notes.iter().any(|n| n.rule == "CC-10"));
    // 2025-02: no 125 % rule, so no overflow caveat.
    let s = scenario(PriceBookId::Newest2025, 2025, 3, agents_env(70_000));
    let r = credits(&advisor::advise(&s).unwrap()).clone();
    assert_eq!(r.alternative(Choice::CopilotPacks).unwrap().caveat, None);
    // 2023-06: no Copilot Studio meter, nothing to advise.
    let s = scenario(PriceBookId::Seed2023, 2025, 3, agents_env(70_000));
    let advice = advisor::advise(&s).unwrap();
    assert!(
        advice
            .recommendations
            .iter()
            .all(|r| r.kind != SubjectKind::Credits)
    );
}

#[test]
fn cc10_capacity_the_scenario_has_is_set_aside_and_the_projection_agrees() {
    let mut env = agents_env(70_000);
    env.copilot_credits.prepaid_packs = 1;
    let s = scenario(PriceBookId::AiBuilder2025, 2025, 12, env);
    let advice = advisor::advise(&s).unwrap();
    let r = credits(&advice);
    assert_eq!(r.payg, dec!(700.00));
    assert!(r.usage.contains("set aside"), "{}", r.usage);
    // The breakdown bills the 45,000 above the pack; the projection compares whole routes.
    assert_eq!(engine::price(&s).unwrap().total_billed, dec!(450.00));
    let p = advisor::project(&s, advisor::Growth::Flat, 2).unwrap();
    assert_eq!(p.months[0].payg, dec!(700.00));
    assert_eq!(p.months[0].recommended, dec!(600.00));
    assert_eq!(p.total_recommended, dec!(1200.00));
}

fn app_env(users: u64) -> Environment {
    let mut env = Environment::new_payg("Apps");
    env.apps = vec![App {
        name: "Inspections".to_string(),
        connectors: ConnectorClass::Premium,
        opted_out: false,
        user_groups: vec![UserGroup {
            users,
            licence: Licence::None,
        }],
        opened_by: Vec::new(),
    }];
    env
}

#[test]
fn eos1_per_app_passes_from_2026_say_who_can_still_buy_them() {
    let s = scenario(PriceBookId::AiBuilder2025, 2026, 2, app_env(10));
    let advice = advisor::advise(&s).unwrap();
    let r = &advice.recommendations[0];
    // 10 × $5 passes against 10 × $10 on the meter.
    assert_eq!(cost(r, Choice::PowerAppsPerApp), dec!(50.00));
    assert_eq!(r.payg, dec!(100.00));
    let caveat = r
        .alternative(Choice::PowerAppsPerApp)
        .and_then(|a| a.caveat.clone())
        .unwrap_or_default();
    for words in [
        "01/02/2026",
        "CSP",
        "EA",
        "MPSA",
        "$10.00 per active user per app",
    ] {
        assert!(caveat.contains(words), "{words}: {caveat}");
    }
    // The passes are recommended, so the reason says where they can still be bought.
    assert_eq!(
        r.recommended_alternative().unwrap().choice,
        Choice::PowerAppsPerApp
    );
    assert!(r.reason.contains("through CSP"), "{}", r.reason);
    assert!(advice.notes.iter().any(|n| n.rule == "EOS-1"));

    // December 2025: still on every price list.
    let s = scenario(PriceBookId::AiBuilder2025, 2025, 12, app_env(10));
    let advice = advisor::advise(&s).unwrap();
    let r = &advice.recommendations[0];
    assert!(!r.reason.contains("CSP"));
    assert!(advice.notes.iter().all(|n| n.rule != "EOS-1"));
}
