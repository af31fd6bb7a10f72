//! Unit tests of the advisor's rules; the documentation's table and the break-even
//! properties are in `tests/advisor.rs`.

use rust_decimal::dec;

use super::super::price_book::PriceBookId;
use super::*;

fn env_with(flow: Flow) -> Scenario {
    let mut s = Scenario::new_empty();
    s.month = BillingMonth {
        year: 2026,
        month: 11,
    };
    if let Some(env) = s.environments.first_mut() {
        env.flows = vec![flow];
    }
    s
}

fn cloud(name: &str, trigger: Trigger, owner: Owner, runs: u64) -> Flow {
    Flow {
        name: name.into(),
        trigger,
        mode: RunMode::Cloud,
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

#[test]
fn pa6_owner_licence_is_the_one_priced_for_automated_flows() {
    let s = env_with(cloud(
        "F",
        Trigger::Automated,
        Owner::User(Licence::None),
        100,
    ));
    let a = advise(&s).unwrap();
    let r = &a.recommendations[0];
    let per_user = r.alternative(Choice::PowerAutomatePerUser).unwrap();
    assert_eq!(per_user.cost, dec!(15));
    assert_eq!(per_user.residual_payg, dec!(0));
    assert_eq!(r.payg, dec!(60));
    assert_eq!(
        r.recommended_alternative().unwrap().choice,
        Choice::PowerAutomatePerUser
    );
}

#[test]
fn pa8_service_principal_flows_get_no_user_licence() {
    let s = env_with(cloud("F", Trigger::Scheduled, Owner::ServicePrincipal, 100));
    let r = &advise(&s).unwrap().recommendations[0];
    assert!(r.alternative(Choice::PowerAutomatePerUser).is_none());
    assert_eq!(r.prepaid_alternative().unwrap().choice, Choice::PerFlow);
}

#[test]
fn pa7_per_user_is_not_offered_for_attended_runs() {
    let mut f = cloud("F", Trigger::Instant, Owner::User(Licence::None), 100);
    f.mode = RunMode::Attended;
    let r = &advise(&env_with(f)).unwrap().recommendations[0];
    assert!(r.alternative(Choice::PowerAutomatePerUser).is_none());
    assert!(r.alternative(Choice::PowerAutomatePerUserRpa).is_some());
    assert!(r.alternative(Choice::PerFlow).is_none());
}

#[test]
fn inc3_per_flow_carries_its_minimum_purchase() {
    let s = env_with(cloud("F", Trigger::Scheduled, Owner::ServicePrincipal, 100));
    let a = advise(&s).unwrap();
    let per_flow = a.recommendations[0].alternative(Choice::PerFlow).unwrap();
    assert_eq!(per_flow.cost, dec!(100));
    assert_eq!(per_flow.minimum_purchase_cost, Some(dec!(500)));
    assert!(a.notes.iter().any(|n| n.rule == "INC-3"));
}

#[test]
fn g8_add_ons_are_not_offered_in_payg_under_the_seed_book() {
    let mut s = Scenario::new_empty();
    s.environments[0].storage.database = StorageUsage::Constant { gb: dec!(3) };
    let a = advise(&s).unwrap();
    assert_eq!(a.recommendations[0].alternatives.len(), 1);
    s.price_book = PriceBookId::Newest2025;
    let a = advise(&s).unwrap();
    let addon = a.recommendations[0]
        .alternative(Choice::CapacityAddon)
        .unwrap();
    // 3 GB used with nothing allocated: an allocation of 3 GB replaces the free GB
    // (AMB-10), so 3 GB are needed.
    assert_eq!(addon.parts[0].quantity, dec!(3));
    assert_eq!(addon.residual_payg, dec!(0));
}

#[test]
fn growth_parses_and_scales() {
    assert_eq!(
        Growth::parse("-2.5%"),
        Ok(Growth::MonthlyPercent(dec!(-2.5)))
    );
    let g = Growth::parse("1,1,1,1,1,1,1,1,1,1,0.5,2").unwrap();
    let nov = BillingMonth {
        year: 2026,
        month: 11,
    };
    assert_eq!(g.factor(0, nov), Ok(dec!(0.5)));
    assert_eq!(
        Growth::MonthlyPercent(dec!(10)).factor(2, nov),
        Ok(dec!(1.21))
    );
    assert_eq!(
        Growth::MonthlyPercent(dec!(-200)).factor(1, nov),
        Ok(Decimal::ZERO)
    );
    let s = env_with(cloud(
        "F",
        Trigger::Automated,
        Owner::User(Licence::None),
        5,
    ));
    let scaled = scale_usage(&s, dec!(0.5)).unwrap();
    // 2.5 rounds half away from zero.
    assert_eq!(scaled.environments[0].flows[0].runs[0].runs, 3);
}
