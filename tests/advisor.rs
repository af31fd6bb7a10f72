//! The prepaid-or-pay-as-you-go advisor: the documentation's six-flow table (TC-CH-1..6) and
//! its newer-price variant to the cent, break-even points computed by hand, and properties:
//! the recommendation is never dearer than an option priced, break-evens are where the costs
//! cross (checked on both sides), a flat projection is the sum of its months priced alone.

use std::collections::BTreeMap;

use power_payg::engine::advisor::{
    self, Advice, AdvisorInputs, Choice, FlowSizing, Growth, Recommendation, SubjectKind,
};
use power_payg::engine::money::round_cents;
use power_payg::engine::{
    self, App, BillingMonth, ConnectorClass, Environment, Flow, FlowConnectors, FlowLicence,
    Licence, Owner, PriceBookId, PriceKey, RequestConsumer, RequestEntity, RunGroup, RunMode,
    Scenario, Storage, StorageAllocation, StorageUsage, Trigger, UserGroup, examples,
};
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use rust_decimal::dec;

fn doc_table() -> Scenario {
    examples::scenario("doc-prepaid-vs-payg").expect("example exists")
}

fn flow_rec<'a>(advice: &'a Advice, name: &str) -> &'a Recommendation {
    advice
        .recommendations
        .iter()
        .find(|r| r.kind == SubjectKind::Flow && r.subject == name)
        .unwrap_or_else(|| panic!("{name} advised"))
}

fn recommended(r: &Recommendation) -> Choice {
    r.recommended_alternative().expect("recommended").choice
}

fn prepaid(r: &Recommendation) -> (Choice, Decimal) {
    let a = r.prepaid_alternative().expect("a prepaid option");
    (a.choice, a.cost)
}

fn month(year: u16, month: u8) -> BillingMonth {
    BillingMonth { year, month }
}

fn scenario_with(book: PriceBookId, env: Environment) -> Scenario {
    let mut s = Scenario::new_empty();
    s.price_book = book;
    s.month = month(2026, 11);
    s.environments = vec![env];
    s
}

fn flow(name: &str, trigger: Trigger, mode: RunMode, owner: Owner, runs: u64) -> Flow {
    Flow {
        name: name.into(),
        trigger,
        mode,
        connectors: FlowConnectors::Premium,
        flow_licence: FlowLicence::None,
        owner,
        linked_to_app: false,
        d365_context: false,
        child_flow: false,
        runs: vec![RunGroup {
            runs,
            licence: Licence::None,
        }],
        daily_runs: Vec::new(),
        test_runs: 0,
        resubmitted_runs: 0,
        busiest_day_runs: None,
    }
}

fn env_with_flows(flows: Vec<Flow>) -> Environment {
    let mut env = Environment::new_payg("Production");
    env.flows = flows;
    env
}

fn break_even(r: &Recommendation, choice: Choice) -> &advisor::BreakEven {
    r.break_evens
        .iter()
        .find(|b| b.choice == choice)
        .unwrap_or_else(|| panic!("a break-even for {choice:?}"))
}

// ---- TC-CH-1..6 ----------------------------------------------------------------------------

#[test]
fn six_flow_table_reproduces_the_documentation() {
    let s = doc_table();
    let advice = advisor::advise(&s).expect("advises");
    // The example carries its inputs: advise() finds them.
    assert_eq!(
        advice,
        advisor::advise_with(
            &s,
            &AdvisorInputs::for_example("doc-prepaid-vs-payg").unwrap()
        )
        .unwrap()
    );
    assert_eq!(advice.inputs.horizon_months, 3);
    assert_eq!(advice.recommendations.len(), 6);

    // (flow, prepaid option and cost, PAYG, recommendation), spec 6.6.
    let table = [
        (
            "Flow 1",
            Choice::PowerAutomatePerUser,
            dec!(45),
            dec!(87),
            Choice::PowerAutomatePerUser,
        ),
        (
            "Flow 2",
            Choice::PowerAutomatePerUser,
            dec!(450),
            dec!(87),
            Choice::PayAsYouGo,
        ),
        (
            "Flow 3",
            Choice::PowerAutomatePerUserRpa,
            dec!(1200),
            dec!(87),
            Choice::PayAsYouGo,
        ),
        (
            "Flow 4",
            Choice::UnattendedAddon,
            dec!(1020),
            dec!(435),
            Choice::PayAsYouGo,
        ),
        (
            "Flow 5",
            Choice::PowerAutomatePerUser,
            dec!(45),
            dec!(24),
            Choice::PayAsYouGo,
        ),
        (
            "Flow 6",
            Choice::PerFlow,
            dec!(300),
            dec!(87),
            Choice::PayAsYouGo,
        ),
    ];
    for (name, choice, prepaid_cost, payg, rec) in table {
        let r = flow_rec(&advice, name);
        assert_eq!(prepaid(r), (choice, prepaid_cost), "{name} prepaid");
        assert_eq!(r.payg, payg, "{name} PAYG");
        assert_eq!(recommended(r), rec, "{name} recommendation");
        assert!(!r.reason.is_empty());
    }

    // The documentation's arithmetic, shown as it prints it.
    let f1 = flow_rec(&advice, "Flow 1");
    assert_eq!(f1.alternatives[0].arithmetic, "145 × $0.60 = $87.00");
    assert_eq!(
        f1.alternative(Choice::PowerAutomatePerUser)
            .unwrap()
            .arithmetic,
        "3 × $15.00 = $45.00"
    );
    assert_eq!(
        flow_rec(&advice, "Flow 2")
            .alternative(Choice::PowerAutomatePerUser)
            .unwrap()
            .arithmetic,
        "3 × 10 × $15.00 = $450.00"
    );
    assert_eq!(
        flow_rec(&advice, "Flow 4")
            .prepaid_alternative()
            .unwrap()
            .arithmetic,
        "3 × (2 × $150.00 + $40.00) = $1,020.00"
    );
    assert_eq!(
        flow_rec(&advice, "Flow 5").alternatives[0].arithmetic,
        "40 × $0.60 = $24.00"
    );

    // Flow 6: the per-flow minimum (INC-3): 3 months × 5 licences × $100.
    let per_flow = flow_rec(&advice, "Flow 6").prepaid_alternative().unwrap();
    assert_eq!(per_flow.minimum_purchase_cost, Some(dec!(1500)));
    let caveat = per_flow.caveat.as_deref().expect("the INC-3 caveat");
    assert!(
        caveat.contains("INC-3") && caveat.contains("$1,500.00"),
        "{caveat}"
    );
    assert!(advice.notes.iter().any(|n| n.rule == "INC-3"));

    // Totals: 87 × 4 + 435 + 24 = 807 PAYG; the mix swaps Flow 1's $87 for $45.
    assert_eq!(advice.total_payg, dec!(807));
    assert_eq!(advice.total_recommended, dec!(765));
    // Priced as one month, the example is the PAYG column.
    assert_eq!(engine::price(&s).unwrap().total_billed, dec!(807));
}

#[test]
fn six_flow_table_at_newer_prices() {
    let mut s = doc_table();
    s.price_book = PriceBookId::Newest2025;
    let advice = advisor::advise(&s).expect("advises");
    assert_eq!(
        advice.inputs.horizon_months, 3,
        "the book switch keeps the inputs"
    );

    let table = [
        (
            "Flow 1",
            Choice::PowerAutomatePremium,
            dec!(45),
            Choice::PowerAutomatePremium,
        ),
        (
            "Flow 2",
            Choice::PowerAutomatePremium,
            dec!(450),
            Choice::PayAsYouGo,
        ),
        // 3 × 10 × $15 (Premium).
        (
            "Flow 3",
            Choice::PowerAutomatePremium,
            dec!(450),
            Choice::PayAsYouGo,
        ),
        // 3 × (2 × $150 Process + $15 Premium maker).
        ("Flow 4", Choice::ProcessBots, dec!(945), Choice::PayAsYouGo),
        (
            "Flow 5",
            Choice::PowerAutomatePremium,
            dec!(45),
            Choice::PayAsYouGo,
        ),
        // 3 × $150 (Process).
        ("Flow 6", Choice::Process, dec!(450), Choice::PayAsYouGo),
    ];
    for (name, choice, cost, rec) in table {
        let r = flow_rec(&advice, name);
        assert_eq!(prepaid(r), (choice, cost), "{name}");
        assert_eq!(
            recommended(r),
            rec,
            "{name}: the recommendations don't change"
        );
    }
    // The PAYG column is unchanged.
    let payg: Vec<Decimal> = advice.recommendations.iter().map(|r| r.payg).collect();
    assert_eq!(
        payg,
        [dec!(87), dec!(87), dec!(87), dec!(435), dec!(24), dec!(87)]
    );
    // Flow 6: legacy per-flow at its minimum, 3 × 5 × $100.
    let process = flow_rec(&advice, "Flow 6").prepaid_alternative().unwrap();
    assert!(process.caveat.as_deref().unwrap().contains("$1,500.00"));
    // No legacy licence is offered under the 2025 book.
    for r in &advice.recommendations {
        for legacy in [
            Choice::PowerAutomatePerUser,
            Choice::PowerAutomatePerUserRpa,
            Choice::UnattendedAddon,
            Choice::PerFlow,
        ] {
            assert!(
                r.alternative(legacy).is_none(),
                "{} offers {legacy:?}",
                r.subject
            );
        }
    }

    // $900 when the maker licence is not counted: the owner already holds Premium (S16).
    let mut owned = s.clone();
    owned.environments[0].flows[3].owner = Owner::User(Licence::PowerAutomatePremium);
    let inputs = AdvisorInputs::for_example("doc-prepaid-vs-payg").unwrap();
    let advice = advisor::advise_with(&owned, &inputs).unwrap();
    let f4 = flow_rec(&advice, "Flow 4");
    assert_eq!(prepaid(f4), (Choice::ProcessBots, dec!(900)));
    assert_eq!(
        f4.payg,
        dec!(435),
        "Premium does not cover unattended runs (PA-7)"
    );
}

#[test]
fn an_edited_scenario_keeps_its_own_inputs_and_without_them_falls_back_to_defaults() {
    // The example file carries its inputs, so an edited copy keeps them.
    let mut s = doc_table();
    s.environments[0].flows[0].runs[0].runs = 146;
    assert_eq!(
        AdvisorInputs::for_scenario(&s),
        AdvisorInputs::for_example("doc-prepaid-vs-payg").unwrap()
    );
    // Without the field, only an unedited example is recognised.
    s.advisor = None;
    assert_eq!(AdvisorInputs::for_scenario(&s), AdvisorInputs::default());
    s.environments[0].flows[0].runs[0].runs = 145;
    assert_eq!(
        AdvisorInputs::for_scenario(&s),
        AdvisorInputs::for_example("doc-prepaid-vs-payg").unwrap()
    );
    // A price override or a new name keeps the example's inputs.
    let mut s = doc_table();
    s.name = "mine".into();
    s.price_overrides
        .insert(PriceKey::PowerAutomatePerUser, dec!(12));
    assert_eq!(AdvisorInputs::for_scenario(&s).horizon_months, 3);
}

#[test]
fn one_month_horizon_changes_flow_5() {
    // 40 runs in one month cost $24 against one month of per user at $15.
    let s = doc_table();
    let inputs = AdvisorInputs {
        horizon_months: 1,
        ..AdvisorInputs::for_example("doc-prepaid-vs-payg").unwrap()
    };
    let advice = advisor::advise_with(&s, &inputs).unwrap();
    let f5 = flow_rec(&advice, "Flow 5");
    assert_eq!(prepaid(f5), (Choice::PowerAutomatePerUser, dec!(15)));
    assert_eq!(recommended(f5), Choice::PowerAutomatePerUser);
}

// ---- break-even points, computed by hand ---------------------------------------------------

#[test]
fn break_evens_from_the_documentation_prices() {
    let advice = advisor::advise(&doc_table()).unwrap();

    // $15 ÷ $0.60 = 25 premium runs per user a month.
    let be = break_even(flow_rec(&advice, "Flow 1"), Choice::PowerAutomatePerUser);
    assert_eq!(be.exact, dec!(15) / dec!(0.60));
    assert_eq!(be.exact, dec!(25));
    assert_eq!(be.whole, 25);
    assert!(
        be.sentence
            .contains("wins above 25 premium cloud runs per user a month ($15.00 ÷ $0.60)"),
        "{}",
        be.sentence
    );
    // Flow 1 runs 145 / 3 / 1 user a month.
    assert_eq!(be.current, Some((dec!(145) / dec!(3)).normalize()));

    // $40 ÷ $0.60 = 66.67: per user with attended RPA wins from the 67th attended run.
    let be = break_even(flow_rec(&advice, "Flow 3"), Choice::PowerAutomatePerUserRpa);
    assert_eq!(be.exact, (dec!(40) / dec!(0.60)).normalize());
    assert_eq!(be.whole, 66);

    // Per flow: $100 ÷ $0.60 = 166.67; with the minimum 5 × $100 ÷ $0.60 = 833.33.
    let be = break_even(flow_rec(&advice, "Flow 6"), Choice::PerFlow);
    assert_eq!(be.whole, 166);
    assert!(
        be.sentence
            .contains("above 833 if it is your only per-flow licence")
    );

    // Flow 4: (2 × $150 + $40) ÷ $3.00 = 113.33 unattended runs a month.
    let be = break_even(flow_rec(&advice, "Flow 4"), Choice::UnattendedAddon);
    assert_eq!(be.exact, (dec!(340) / dec!(3)).normalize());
    assert_eq!(be.whole, 113);
    assert!(be.sentence.contains("($340.00 ÷ $3.00)"), "{}", be.sentence);
}

#[test]
fn process_wins_above_50_unattended_runs_a_month() {
    // One bot, its owner already holds Premium (so no maker licence): $150 ÷ $3.00 = 50.
    let env = env_with_flows(vec![flow(
        "Bot",
        Trigger::Scheduled,
        RunMode::Unattended,
        Owner::User(Licence::PowerAutomatePremium),
        50,
    )]);
    let s = scenario_with(PriceBookId::Newest2025, env);
    let r = &advisor::advise(&s).unwrap().recommendations[0];
    let be = break_even(r, Choice::ProcessBots);
    assert_eq!(be.exact, dec!(150) / dec!(3.00));
    assert_eq!(be.whole, 50);
    assert!(
        be.sentence
            .contains("wins above 50 unattended desktop runs a month ($150.00 ÷ $3.00)"),
        "{}",
        be.sentence
    );
    // At 50 runs both cost $150: pay-as-you-go wins the tie; at 51 Process wins.
    assert_eq!(r.payg, dec!(150));
    assert_eq!(r.alternative(Choice::ProcessBots).unwrap().cost, dec!(150));
    assert_eq!(recommended(r), Choice::PayAsYouGo);
    let mut s51 = s.clone();
    s51.environments[0].flows[0].runs[0].runs = 51;
    let r = &advisor::advise(&s51).unwrap().recommendations[0];
    assert_eq!(recommended(r), Choice::ProcessBots);
}

#[test]
fn a_prepaid_price_override_moves_the_break_even() {
    let mut s = doc_table();
    s.price_overrides
        .insert(PriceKey::PowerAutomatePerUser, dec!(12));
    let advice = advisor::advise(&s).unwrap();
    // $12 ÷ $0.60 = 20.
    let be = break_even(flow_rec(&advice, "Flow 1"), Choice::PowerAutomatePerUser);
    assert_eq!(be.whole, 20);
    assert!(be.sentence.contains("($12.00 ÷ $0.60)"));
    // And a meter rate: $15 ÷ $0.75 = 20.
    let mut s = doc_table();
    s.price_overrides.insert(PriceKey::FlowRunCloud, dec!(0.75));
    let advice = advisor::advise(&s).unwrap();
    assert_eq!(
        break_even(flow_rec(&advice, "Flow 1"), Choice::PowerAutomatePerUser).whole,
        20
    );
}

#[test]
fn apps_dataverse_and_requests_break_evens() {
    let mut env = Environment::new_payg("Production");
    env.apps = vec![App {
        name: "App A".into(),
        connectors: ConnectorClass::Premium,
        opted_out: false,
        user_groups: vec![UserGroup {
            users: 120,
            licence: Licence::None,
        }],
        opened_by: Vec::new(),
    }];
    env.storage = Storage {
        database: StorageUsage::Constant { gb: dec!(3) },
        file: StorageUsage::default(),
        log: StorageUsage::default(),
        allocated: StorageAllocation::default(),
    };
    env.requests = vec![RequestConsumer {
        name: "Analysts".into(),
        entity: RequestEntity::Users {
            users: 2,
            licences: vec![Licence::PowerAppsPerUser],
        },
        requests_per_day: 45_000,
        days: 20,
        daily_requests: Vec::new(),
        addon_packs: 0,
    }];
    let s = scenario_with(PriceBookId::Newest2025, env);
    let advice = advisor::advise(&s).unwrap();
    let by_kind = |k: SubjectKind| {
        advice
            .recommendations
            .iter()
            .find(|r| r.kind == k)
            .unwrap_or_else(|| panic!("{k:?}"))
    };

    // Apps: Premium $20 ÷ meter $10 = 2 apps per user; passes 120 × $5 ÷ $10 = 60 users.
    let apps = by_kind(SubjectKind::Apps);
    assert_eq!(apps.payg, dec!(1200));
    assert_eq!(break_even(apps, Choice::PowerAppsPremium).exact, dec!(2));
    let passes = break_even(apps, Choice::PowerAppsPerApp);
    assert_eq!(passes.exact, dec!(60));
    assert!(
        passes.sentence.contains("more than 60 of them"),
        "{}",
        passes.sentence
    );
    assert_eq!(
        apps.alternative(Choice::PowerAppsPremium).unwrap().cost,
        dec!(2400)
    );
    assert_eq!(
        apps.alternative(Choice::PowerAppsPerApp).unwrap().cost,
        dec!(600)
    );

    // Dataverse (2025 book, nothing allocated): 3 GB used, 1 GB free → 2 GB × $48 = $96 in a
    // 30-day month; an allocation replaces the free GB (AMB-10), so 3 GB of add-on at $40.
    let dv = by_kind(SubjectKind::Dataverse);
    assert_eq!(dv.payg, dec!(96));
    let addon = dv.alternative(Choice::CapacityAddon).unwrap();
    assert_eq!(addon.cost, dec!(120));
    assert_eq!(recommended(dv), Choice::PayAsYouGo);
    // $120 ÷ $48 = 2.5 GB of average overage.
    let be = break_even(dv, Choice::CapacityAddon);
    assert_eq!(be.exact, dec!(2.5));
    assert!(be.sentence.contains("above 2.5 GB"), "{}", be.sentence);

    // Requests: 5,000 over 40,000 a day × 20 days × 2 users = 200,000 (reported, not
    // billed); one pack each (+50,000) clears it: 2 × $50; $100 ÷ $0.00004 = 2,500,000.
    let rq = by_kind(SubjectKind::Requests);
    assert_eq!(rq.payg, dec!(0));
    assert_eq!(rq.payg_reported_not_billed, dec!(8));
    assert_eq!(
        rq.alternative(Choice::RequestsAddonPacks).unwrap().cost,
        dec!(100)
    );
    assert_eq!(recommended(rq), Choice::PayAsYouGo);
    assert!(rq.reason.contains("not billed"), "{}", rq.reason);
    let be = break_even(rq, Choice::RequestsAddonPacks);
    assert_eq!(be.whole, 2_500_000);
}

#[test]
fn named_users_of_several_apps_count_once_for_premium() {
    // U1 opens three premium apps: 3 meter units at $10 against one $20 licence (AP-2).
    let mut env = Environment::new_payg("Production");
    env.users = vec![engine::NamedUser {
        id: "U1".into(),
        licence: Licence::None,
    }];
    env.apps = ["A", "B", "C"]
        .iter()
        .map(|n| App {
            name: (*n).into(),
            connectors: ConnectorClass::Premium,
            opted_out: false,
            user_groups: Vec::new(),
            opened_by: vec!["U1".into()],
        })
        .collect();
    let advice = advisor::advise(&scenario_with(PriceBookId::Seed2023, env)).unwrap();
    assert_eq!(advice.recommendations.len(), 1);
    let r = &advice.recommendations[0];
    assert_eq!(r.payg, dec!(30));
    assert_eq!(
        r.alternative(Choice::PowerAppsPremium).unwrap().cost,
        dec!(20)
    );
    assert_eq!(
        r.alternative(Choice::PowerAppsPerApp).unwrap().cost,
        dec!(15)
    );
    assert_eq!(recommended(r), Choice::PowerAppsPerApp);
    assert_eq!(
        break_even(r, Choice::PowerAppsPremium).current,
        Some(dec!(3))
    );
}

// ---- projection ------------------------------------------------------------------------------

#[test]
fn projection_prices_each_month_with_its_real_length() {
    // 2025 book: one Dataverse snapshot a day at 1/30; 2 GB over the free GB all month.
    let mut env = Environment::new_payg("Production");
    env.storage.database = StorageUsage::Constant { gb: dec!(3) };
    let mut s = scenario_with(PriceBookId::Newest2025, env);
    s.month = month(2027, 1);
    let p = advisor::project(&s, Growth::Flat, 3).unwrap();
    let months: Vec<(BillingMonth, u32, Decimal)> =
        p.months.iter().map(|m| (m.month, m.days, m.payg)).collect();
    // 2 GB × $48 × 31/30, × 28/30, × 31/30.
    assert_eq!(
        months,
        [
            (month(2027, 1), 31, dec!(99.20)),
            (month(2027, 2), 28, dec!(89.60)),
            (month(2027, 3), 31, dec!(99.20)),
        ]
    );
    assert_eq!(p.total_payg, dec!(288));
    assert_eq!(p.years.len(), 1);
    assert_eq!(p.years[0].payg, dec!(288));
}

#[test]
fn projection_growth_and_seasons_scale_usage() {
    let env = env_with_flows(vec![flow(
        "F",
        Trigger::Automated,
        RunMode::Cloud,
        Owner::User(Licence::None),
        10,
    )]);
    let s = scenario_with(PriceBookId::Seed2023, env);
    // +50% a month: 10, 15, 22.5 → 23 (half away from zero) runs.
    let p = advisor::project(&s, Growth::MonthlyPercent(dec!(50)), 3).unwrap();
    let payg: Vec<Decimal> = p.months.iter().map(|m| m.payg).collect();
    assert_eq!(payg, [dec!(6), dec!(9), dec!(13.80)]);
    // Seasonal: January to December; the scenario is November: 0.5 then 4.
    let mut profile = [Decimal::ONE; 12];
    profile[10] = dec!(0.5);
    profile[11] = dec!(4);
    let p = advisor::project(&s, Growth::Seasonal(profile), 3).unwrap();
    let payg: Vec<Decimal> = p.months.iter().map(|m| m.payg).collect();
    assert_eq!(payg, [dec!(3), dec!(24), dec!(6)]);
    // One option for the whole projection: $33 of runs against 3 × $15 of licences.
    assert_eq!(p.total_payg, dec!(33));
    assert_eq!(p.choices[0].choice, Choice::PayAsYouGo);
    assert_eq!(p.total_recommended, dec!(33));
    // A longer, busier year makes per user win: 12 months × 40 runs = $288 vs $180.
    s_with_runs_wins_per_user(&s);
}

fn s_with_runs_wins_per_user(s: &Scenario) {
    let mut s = s.clone();
    s.environments[0].flows[0].runs[0].runs = 40;
    let p = advisor::project(&s, Growth::Flat, 12).unwrap();
    assert_eq!(p.total_payg, dec!(288));
    assert_eq!(p.choices[0].choice, Choice::PowerAutomatePerUser);
    assert_eq!(p.total_recommended, dec!(180));
    assert_eq!(p.months[0].recommended, dec!(15));
}

#[test]
fn growth_is_parsed_from_the_command_line_forms() {
    assert_eq!(Growth::parse("flat"), Ok(Growth::Flat));
    assert_eq!(Growth::parse("+3%"), Ok(Growth::MonthlyPercent(dec!(3))));
    assert_eq!(
        Growth::parse("1,1,1,1,1,1,0.5,0.5,1,1,1,2"),
        Ok(Growth::Seasonal([
            dec!(1),
            dec!(1),
            dec!(1),
            dec!(1),
            dec!(1),
            dec!(1),
            dec!(0.5),
            dec!(0.5),
            dec!(1),
            dec!(1),
            dec!(1),
            dec!(2)
        ]))
    );
    for bad in ["", "x%", "1,2,3", "1,1,1,1,1,1,1,1,1,1,1,-1", "steady"] {
        assert!(Growth::parse(bad).is_err(), "{bad}");
    }
}

// ---- properties ------------------------------------------------------------------------------

fn licence() -> impl Strategy<Value = Licence> {
    select(Licence::ALL.to_vec())
}

fn any_flow() -> impl Strategy<Value = Flow> {
    (
        select(vec![
            Trigger::Automated,
            Trigger::Scheduled,
            Trigger::Instant,
            Trigger::PowerApps,
        ]),
        select(vec![
            RunMode::Cloud,
            RunMode::Attended,
            RunMode::Unattended,
            RunMode::Hosted,
        ]),
        select(vec![
            FlowConnectors::Standard,
            FlowConnectors::Premium,
            FlowConnectors::IsvOnly,
        ]),
        select(FlowLicence::ALL.to_vec()),
        prop_oneof![
            licence().prop_map(Owner::User),
            Just(Owner::ServicePrincipal)
        ],
        prop::collection::vec(
            (0u64..3_000, licence()).prop_map(|(runs, licence)| RunGroup { runs, licence }),
            0..3,
        ),
    )
        .prop_map(
            |(trigger, mode, connectors, flow_licence, owner, runs)| Flow {
                name: "flow".into(),
                trigger,
                mode,
                connectors,
                flow_licence,
                owner,
                linked_to_app: false,
                d365_context: false,
                child_flow: false,
                runs,
                daily_runs: Vec::new(),
                test_runs: 0,
                resubmitted_runs: 0,
                busiest_day_runs: None,
            },
        )
}

fn any_environment() -> impl Strategy<Value = Environment> {
    (
        prop::collection::vec(any_flow(), 0..3),
        prop::collection::vec(
            (
                any::<bool>(),
                prop::collection::vec(
                    (0u64..300, licence())
                        .prop_map(|(users, licence)| UserGroup { users, licence }),
                    0..3,
                ),
            ),
            0..2,
        ),
        (0u32..50, 0u32..20, 0u32..4),
        prop::collection::vec((0u64..120_000, 0u32..31, 0u64..5), 0..2),
    )
        .prop_map(|(flows, apps, (db, alloc, log), consumers)| {
            let mut env = Environment::new_payg("Production");
            env.flows = flows
                .into_iter()
                .enumerate()
                .map(|(i, mut f)| {
                    f.name = format!("flow {i}");
                    f
                })
                .collect();
            env.apps = apps
                .into_iter()
                .enumerate()
                .map(|(i, (premium, user_groups))| App {
                    name: format!("app {i}"),
                    connectors: if premium {
                        ConnectorClass::Premium
                    } else {
                        ConnectorClass::Standard
                    },
                    opted_out: false,
                    user_groups,
                    opened_by: Vec::new(),
                })
                .collect();
            env.storage = Storage {
                database: StorageUsage::Constant {
                    gb: Decimal::new(i64::from(db), 1),
                },
                file: StorageUsage::default(),
                log: StorageUsage::Constant {
                    gb: Decimal::from(log),
                },
                allocated: StorageAllocation {
                    database: Decimal::new(i64::from(alloc), 1),
                    ..StorageAllocation::default()
                },
            };
            env.requests = consumers
                .into_iter()
                .enumerate()
                .map(|(i, (per_day, days, users))| RequestConsumer {
                    name: format!("consumer {i}"),
                    entity: RequestEntity::Users {
                        users,
                        licences: vec![Licence::PowerAutomatePremium],
                    },
                    requests_per_day: per_day,
                    days,
                    daily_requests: Vec::new(),
                    addon_packs: 0,
                })
                .collect();
            env
        })
}

/// Prices in whole cents, so line amounts need no rounding.
fn cents(lo: i64, hi: i64) -> impl Strategy<Value = Decimal> {
    (lo..hi).prop_map(|c| Decimal::new(c, 2))
}

fn any_scenario() -> impl Strategy<Value = Scenario> {
    (
        any_environment(),
        select(PriceBookId::ALL.to_vec()),
        prop::option::of(cents(100, 5_000)),
        prop::option::of(cents(5, 500)),
        (1u32..4, any::<bool>(), any::<bool>()),
        select(vec![1u8, 2, 3, 7, 12]),
    )
        .prop_map(
            |(env, book, premium, cloud, (horizon, covers, billed), m)| {
                let mut s = Scenario::new_empty();
                s.price_book = book;
                s.month = month(2027, m);
                s.environments = vec![env];
                s.options.process_licence_covers_unattended = covers;
                s.options.requests_billing_active = Some(billed);
                let mut overrides = BTreeMap::new();
                if let Some(p) = premium {
                    overrides.insert(PriceKey::PowerAutomatePremium, p);
                    overrides.insert(PriceKey::PowerAutomatePerUser, p);
                }
                if let Some(c) = cloud {
                    overrides.insert(PriceKey::FlowRunCloud, c);
                }
                s.price_overrides = overrides;
                // The horizon rides along in the name; the test reads it back.
                s.name = horizon.to_string();
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_recommendation_is_never_dearer_than_an_option(s in any_scenario()) {
        let inputs = AdvisorInputs {
            horizon_months: s.name.parse().unwrap_or(1),
            flows: vec![FlowSizing::bots("flow 0", 2), FlowSizing::users("flow 1", 3)],
            ..AdvisorInputs::default()
        };
        let advice = advisor::advise_with(&s, &inputs).expect("advises");
        for r in &advice.recommendations {
            let best = r.recommended_alternative().expect("recommended");
            for a in &r.alternatives {
                prop_assert!(best.cost <= a.cost, "{}: {} {} > {} {}", r.subject, best.name, best.cost, a.name, a.cost);
                // Every option's cost is its parts.
                prop_assert_eq!(a.cost, a.licence_cost + a.residual_payg - a.other_savings);
            }
            prop_assert_eq!(r.alternatives[0].choice, Choice::PayAsYouGo);
            prop_assert_eq!(r.alternatives[0].cost, r.payg);
        }
        prop_assert!(advice.total_recommended <= advice.total_payg);
    }

    #[test]
    fn break_evens_are_where_the_costs_cross(s in any_scenario()) {
        let advice = advisor::advise(&s).expect("advises");
        for r in &advice.recommendations {
            for be in &r.break_evens {
                let at = |x: Decimal| (be.payg.at(x).unwrap(), be.prepaid.at(x).unwrap());
                // At the crossing the two cost the same (to the cent).
                let (payg, prepaid) = at(be.exact);
                prop_assert_eq!(round_cents(payg), round_cents(prepaid), "{}", be.sentence);
                // Below it pay-as-you-go is no dearer; above it the option is cheaper.
                let (payg, prepaid) = at(Decimal::from(be.whole));
                prop_assert!(payg <= prepaid, "{}", be.sentence);
                let (payg, prepaid) = at(Decimal::from(be.whole) + Decimal::ONE);
                prop_assert!(payg > prepaid, "{}", be.sentence);
            }
        }
    }

    /// End to end: an owner's cloud flow run exactly at the break-even and one run above it;
    /// the costs the advisor prices flip there.
    #[test]
    fn the_order_flips_at_the_per_user_break_even(
        price in cents(100, 20_000),
        rate in cents(5, 500),
        legacy in any::<bool>(),
    ) {
        let (book, key, choice) = if legacy {
            (PriceBookId::Seed2023, PriceKey::PowerAutomatePerUser, Choice::PowerAutomatePerUser)
        } else {
            (PriceBookId::Newest2025, PriceKey::PowerAutomatePremium, Choice::PowerAutomatePremium)
        };
        let env = env_with_flows(vec![flow("F", Trigger::Automated, RunMode::Cloud, Owner::User(Licence::None), 1)]);
        let mut s = scenario_with(book, env);
        s.price_overrides.insert(key, price);
        s.price_overrides.insert(PriceKey::FlowRunCloud, rate);
        // Only the cheapest user licence shows a break-even: keep the RPA one dearer.
        s.price_overrides.insert(PriceKey::PowerAutomatePerUserRpa, price + Decimal::ONE);
        let r = advisor::advise(&s).unwrap().recommendations.remove(0);
        let be = break_even(&r, choice).clone();
        prop_assert_eq!(be.exact, (price / rate).normalize());
        let costs = |runs: u64| {
            let mut s = s.clone();
            s.environments[0].flows[0].runs[0].runs = runs;
            let r = advisor::advise(&s).unwrap().recommendations.remove(0);
            (r.payg, r.alternative(choice).unwrap().cost)
        };
        // Below (at the whole number): pay-as-you-go no dearer.
        if be.whole > 0 {
            let (payg, licence) = costs(be.whole);
            prop_assert!(payg <= licence, "{} runs: {} vs {}", be.whole, payg, licence);
        }
        // Above: the licence cheaper.
        let (payg, licence) = costs(be.whole + 1);
        prop_assert!(payg > licence, "{} runs: {} vs {}", be.whole + 1, payg, licence);
    }

    #[test]
    fn a_flat_projection_is_the_sum_of_its_months_priced_alone(s in any_scenario()) {
        let p = advisor::project(&s, Growth::Flat, 12).expect("projects");
        prop_assert_eq!(p.months.len(), 12);
        let mut month = s.month;
        let mut total = Decimal::ZERO;
        for m in &p.months {
            let mut alone = s.clone();
            alone.month = month;
            let billed = engine::price(&alone).unwrap().total_billed;
            prop_assert_eq!(m.month, month);
            prop_assert_eq!(m.payg, billed);
            total += billed;
            month = month.next();
        }
        prop_assert_eq!(p.total_payg, total);
        prop_assert_eq!(p.years.len(), 1);
        prop_assert_eq!(p.years[0].payg, total);
        prop_assert!(p.total_recommended <= p.total_payg);
    }
}
