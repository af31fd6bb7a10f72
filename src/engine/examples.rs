//! Built-in example scenarios: the documentation's worked examples (spec section 6) and one
//! realistic tenant that exercises every meter.
//!
//! The `doc-*` examples reproduce the printed figures exactly (their expected totals are pinned
//! in `tests/golden.rs`): they price the month 2026-11, whose 30 days make the Dataverse
//! snapshots of either book add up to the monthly rate (DV-7, AMB-11), on the 2023-06 book the
//! documentation was written against. They are built in code, not parsed, so they cannot fail to
//! load; they still round-trip through the file format (a test checks).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::dec;

use super::advisor_inputs::{AdvisorInputs, FlowSizing};
use super::licence::{FlowLicence, Licence};
use super::price_book::PriceBookId;
use super::scenario::*;

/// A built-in example, as the example menu and `power-payg examples` list it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// Stable name: `power-payg example NAME`, `#example=NAME` links.
    pub name: &'static str,
    /// What the example menu shows.
    pub title: &'static str,
    /// One or two sentences: what it shows and the figure to expect.
    pub description: &'static str,
}

const EXAMPLES: [Example; 19] = [
    Example {
        name: "doc-apps-month1",
        title: "Power Apps per app, month 1 (documentation)",
        description: "Nine unlicensed users open three premium apps: 2 + 3 + 4 active user-app pairs at $10 = $90.00 (TC-AP-1).",
    },
    Example {
        name: "doc-apps-month2",
        title: "Power Apps per app, month 2 (documentation)",
        description: "The same three apps, opened by nobody: $0.00 (TC-AP-2, AP-3).",
    },
    Example {
        name: "doc-apps-month3",
        title: "Power Apps per app, month 3 (documentation)",
        description: "Two users each open all three apps: 6 user-app pairs = $60.00 (TC-AP-3, AP-2).",
    },
    Example {
        name: "doc-pages-month1",
        title: "Power Pages, month 1 (documentation)",
        description: "Nine unlicensed users log in to three live websites: 9 × $4 = $36.00 (TC-PP-1).",
    },
    Example {
        name: "doc-pages-month2",
        title: "Power Pages, month 2 (documentation)",
        description: "Nobody logs in: $0.00 (TC-PP-2; the documentation's \"× $0\" is a typo, INC-5).",
    },
    Example {
        name: "doc-pages-month3",
        title: "Power Pages, month 3 (documentation)",
        description: "Two users log in to all three websites: 6 × $4 = $24.00 (TC-PP-3, PP-2).",
    },
    Example {
        name: "doc-dataverse-month1",
        title: "Dataverse, month 1 (documentation)",
        description: "1.5 GB database and 3 GB file in use, 1 GB of each free: $24.00 + $4.80 = $28.80 (TC-DV-1).",
    },
    Example {
        name: "doc-dataverse-month2",
        title: "Dataverse, month 2 (documentation)",
        description: "2.5 GB database, 6 GB file, 0.2 GB log: $72.00 + $12.00 + $2.40 = $86.40 (TC-DV-2).",
    },
    Example {
        name: "doc-dataverse-month3",
        title: "Dataverse, month 3 (documentation)",
        description: "3.5 GB database, 11 GB file, 0.4 GB log: $120.00 + $24.00 + $4.80 = $148.80 (TC-DV-3).",
    },
    Example {
        name: "doc-requests-month1",
        title: "Power Platform requests, month 1 (documentation)",
        description: "User A and Flow A stay within their daily entitlements: $0.00 (TC-PR-1).",
    },
    Example {
        name: "doc-requests-month2",
        title: "Power Platform requests, month 2 (documentation)",
        description: "User A uses 10,000 and Flow A 100,000 requests above their entitlements: 110,000 × $0.00004 = $4.40, reported but not billed (TC-PR-2, PR-1, INC-2).",
    },
    Example {
        name: "doc-requests-month3",
        title: "Power Platform requests, month 3 (documentation)",
        description: "Flow A uses 50,000 requests above its entitlement: $2.00, reported but not billed (TC-PR-3).",
    },
    Example {
        name: "doc-flow-runs-by-licence",
        title: "Flow runs by licence (documentation table)",
        description: "10 standard, 10 premium cloud, 5 attended and 5 unattended runs for each of five licences: $24 + $24 + $18 + $15 + $24 = $105.00 (TC-PA-1..5; the table's 15 runs for Power Apps per user is 20 by its own rules, INC-1).",
    },
    Example {
        name: "doc-prepaid-vs-payg",
        title: "Prepaid or pay-as-you-go: six flows over three months (documentation)",
        description: "Six flows with 100 + 25 + 20 = 145 runs over three months (Flow 5: 0 + 0 + 40), entered as three-month totals, which `power-payg advise` reads over a 3-month horizon: prepaid $45 / $450 / $1,200 / $1,020 / $45 / $300 against pay-as-you-go $87 / $87 / $87 / $435 / $24 / $87 (TC-CH-1..6). Priced as one month: $807.00.",
    },
    Example {
        name: "contoso",
        title: "Contoso: a tenant using every meter (2025-02 book)",
        description: "A production, a sandbox and a default environment with apps, flows (hosted RPA, ISV connector), a website, allocated Dataverse capacity, requests and Copilot Studio, plus two customers of an ISV.",
    },
    Example {
        name: "learn-grounded-answer",
        title: "Grounded generative answers, spring 2025 rates (Learn)",
        description: "1,000 generative answers grounded in tenant Microsoft Graph at 2 + 10 = 12 messages each (Learn's example): 12,000 × $0.01 = $120.00 (2025-05 book, CC-2).",
    },
    Example {
        name: "learn-credits-prepaid",
        title: "Copilot Credits: a pack first, then pay-as-you-go (2025-09 book)",
        description: "A service agent (20,000 + 15,000 + 1,300 credits) and an employee-facing Copilot Chat agent half used by Microsoft 365 Copilot-licensed users (6,000 + 1,000 autonomous): 43,300 credits − 25,000 of one pack = 18,300 × $0.01 = $183.00 (CC-1..4).",
    },
    Example {
        name: "learn-ai-tokens",
        title: "AI Builder on Copilot Credits, per token (2025-11 book)",
        description: "2,000,000 standard tokens × 1.5 per 1,000 + 500 pages × 8 = 7,000 credits, 1,000 from 10 pre-purchase units: 6,000 × $0.01 = $60.00 (CC-2, CC-4, CC-6).",
    },
    Example {
        name: "learn-windows365-unpriced",
        title: "Voice and Windows 365 for Agents: provisional and unpriced (2026-09 book)",
        description: "100 generative voice minutes × 35 = 3,500 credits = $35.00, provisional (third-party rate); 80 Cloud PC hours, 50 free, 30 without a published price: the total is incomplete (CC-7, CC-8).",
    },
];

/// Every built-in example, in menu order.
pub fn list() -> &'static [Example] {
    &EXAMPLES
}

/// The example of that name.
pub fn scenario(name: &str) -> Option<Scenario> {
    let s = match name {
        "doc-apps-month1" => doc_apps(
            name,
            &[
                ("App A", &["U1", "U2"]),
                ("App B", &["U3", "U4", "U5"]),
                ("App C", &["U6", "U7", "U8", "U9"]),
            ],
        ),
        "doc-apps-month2" => doc_apps(name, &[("App A", &[]), ("App B", &[]), ("App C", &[])]),
        "doc-apps-month3" => doc_apps(
            name,
            &[
                ("App A", &["U1", "U2"]),
                ("App B", &["U1", "U2"]),
                ("App C", &["U1", "U2"]),
            ],
        ),
        "doc-pages-month1" => doc_pages(
            name,
            &[
                ("Website A", &["U1", "U2"]),
                ("Website B", &["U3", "U4", "U5"]),
                ("Website C", &["U6", "U7", "U8", "U9"]),
            ],
        ),
        "doc-pages-month2" => doc_pages(
            name,
            &[("Website A", &[]), ("Website B", &[]), ("Website C", &[])],
        ),
        "doc-pages-month3" => doc_pages(
            name,
            &[
                ("Website A", &["U1", "U2"]),
                ("Website B", &["U1", "U2"]),
                ("Website C", &["U1", "U2"]),
            ],
        ),
        "doc-dataverse-month1" => doc_dataverse(name, dec!(1.5), dec!(3), dec!(0)),
        "doc-dataverse-month2" => doc_dataverse(name, dec!(2.5), dec!(6), dec!(0.2)),
        "doc-dataverse-month3" => doc_dataverse(name, dec!(3.5), dec!(11), dec!(0.4)),
        "doc-requests-month1" => doc_requests(name, 40_000, 250_000),
        "doc-requests-month2" => doc_requests(name, 50_000, 350_000),
        "doc-requests-month3" => doc_requests(name, 40_000, 300_000),
        "doc-flow-runs-by-licence" => doc_flow_runs(name),
        "doc-prepaid-vs-payg" => doc_prepaid_vs_payg(name),
        "contoso" => contoso(),
        "learn-grounded-answer" => learn(
            name,
            PriceBookId::Spring2025,
            CopilotCredits {
                agents: vec![Agent {
                    grounded_answers: 1_000,
                    ..agent("HR policies agent", AgentChannel::CopilotStudio)
                }],
                ..CopilotCredits::default()
            },
        ),
        "learn-credits-prepaid" => learn(
            name,
            PriceBookId::Credits2025,
            CopilotCredits {
                agents: vec![
                    Agent {
                        generative_answers: 10_000,
                        agent_actions: 3_000,
                        agent_flow_actions: 10_000,
                        ..agent("Customer service agent", AgentChannel::CopilotStudio)
                    },
                    Agent {
                        employee_facing: true,
                        m365_licensed_percent: dec!(50),
                        grounded_answers: 1_000,
                        autonomous_actions: 200,
                        ..agent("IT help agent", AgentChannel::M365CopilotChat)
                    },
                ],
                prepaid_packs: 1,
                ..CopilotCredits::default()
            },
        ),
        "learn-ai-tokens" => learn(
            name,
            PriceBookId::AiBuilder2025,
            CopilotCredits {
                agents: vec![Agent {
                    ai_tool_tokens: AiTiers {
                        standard: 2_000_000,
                        ..AiTiers::default()
                    },
                    content_pages: 500,
                    ..agent("Invoice processing", AgentChannel::AiBuilder)
                }],
                prepurchase_units: 10,
                ..CopilotCredits::default()
            },
        ),
        "learn-windows365-unpriced" => learn(
            name,
            PriceBookId::Agents2026,
            CopilotCredits {
                agents: vec![Agent {
                    voice_minutes: VoiceMinutes {
                        generative: 100,
                        ..VoiceMinutes::default()
                    },
                    ..agent("Phone line agent", AgentChannel::CopilotStudio)
                }],
                cloud_pc_hours: 80,
                ..CopilotCredits::default()
            },
        ),
        _ => return None,
    };
    Some(s)
}

// ---- builders ------------------------------------------------------------------------------

/// A scenario for 2026-11 with one environment and the default rule options.
fn doc_scenario(name: &str, book: PriceBookId, env: Environment) -> Scenario {
    let title = EXAMPLES
        .iter()
        .find(|e| e.name == name)
        .map_or(name, |e| e.title);
    Scenario {
        version: SCENARIO_FORMAT_VERSION,
        name: title.to_string(),
        price_book: book,
        price_overrides: BTreeMap::new(),
        month: BillingMonth {
            year: 2026,
            month: 11,
        },
        options: RuleOptions::default(),
        environments: vec![env],
        isv_customers: Vec::new(),
        advisor: None,
    }
}

/// An agent with no use yet.
fn agent(name: &str, channel: AgentChannel) -> Agent {
    Agent {
        name: name.to_string(),
        channel,
        ..Agent::default()
    }
}

/// A Copilot Credits example in the month its book takes effect (so it is the default book
/// for that month).
fn learn(name: &str, book: PriceBookId, credits: CopilotCredits) -> Scenario {
    let mut env = Environment::new_payg("Production");
    env.copilot_credits = credits;
    let mut s = doc_scenario(name, book, env);
    if let Some(month) = book.book().effective_month() {
        s.month = month;
    }
    s
}

/// Named users `U1..=Un`, all with one licence.
fn numbered_users(n: usize, licence: Licence) -> Vec<NamedUser> {
    (1..=n)
        .map(|i| NamedUser {
            id: format!("U{i}"),
            licence,
        })
        .collect()
}

fn ids(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn group(users: u64, licence: Licence) -> UserGroup {
    UserGroup { users, licence }
}

fn app(
    name: &str,
    connectors: ConnectorClass,
    user_groups: Vec<UserGroup>,
    opened_by: &[&str],
) -> App {
    App {
        name: name.to_string(),
        connectors,
        opted_out: false,
        user_groups,
        opened_by: ids(opened_by),
    }
}

fn website(
    name: &str,
    status: SiteStatus,
    authenticated: Vec<UserGroup>,
    logged_in: &[&str],
) -> Website {
    Website {
        name: name.to_string(),
        status,
        authenticated,
        logged_in: ids(logged_in),
        anonymous_visitors: 0,
        anonymous_exclusions: AnonymousExclusions::default(),
        anonymous_requests: Vec::new(),
    }
}

fn flow(
    name: &str,
    trigger: Trigger,
    mode: RunMode,
    connectors: FlowConnectors,
    owner: Owner,
) -> Flow {
    Flow {
        name: name.to_string(),
        trigger,
        mode,
        connectors,
        flow_licence: FlowLicence::None,
        owner,
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

fn runs(groups: &[(u64, Licence)]) -> Vec<RunGroup> {
    groups
        .iter()
        .map(|&(runs, licence)| RunGroup { runs, licence })
        .collect()
}

fn constant(gb: Decimal) -> StorageUsage {
    StorageUsage::Constant { gb }
}

fn consumer(
    name: &str,
    entity: RequestEntity,
    requests_per_day: u64,
    days: u32,
) -> RequestConsumer {
    RequestConsumer {
        name: name.to_string(),
        entity,
        requests_per_day,
        days,
        daily_requests: Vec::new(),
        addon_packs: 0,
    }
}

// ---- the documentation's examples (spec section 6) ------------------------------------------

/// TC-AP-1..3: nine unlicensed users U1..U9; three premium apps opened by the given users.
fn doc_apps(name: &str, apps: &[(&str, &[&str])]) -> Scenario {
    let mut env = Environment::new_payg("Contoso PAYG");
    env.users = numbered_users(9, Licence::None);
    env.apps = apps
        .iter()
        .map(|(app_name, users)| app(app_name, ConnectorClass::Premium, Vec::new(), users))
        .collect();
    doc_scenario(name, PriceBookId::Seed2023, env)
}

/// TC-PP-1..3: nine unlicensed users log in to three live websites.
fn doc_pages(name: &str, sites: &[(&str, &[&str])]) -> Scenario {
    let mut env = Environment::new_payg("Contoso PAYG");
    env.users = numbered_users(9, Licence::None);
    env.websites = sites
        .iter()
        .map(|(site, users)| website(site, SiteStatus::Live, Vec::new(), users))
        .collect();
    doc_scenario(name, PriceBookId::Seed2023, env)
}

/// TC-DV-1..3: the table's overage plus the free 1 GB of database and of file, all month.
fn doc_dataverse(name: &str, database: Decimal, file: Decimal, log: Decimal) -> Scenario {
    let mut env = Environment::new_payg("Contoso PAYG");
    env.storage = Storage {
        database: constant(database),
        file: constant(file),
        log: constant(log),
        allocated: StorageAllocation::default(),
    };
    doc_scenario(name, PriceBookId::Seed2023, env)
}

/// TC-PR-1..3: User A (Power Apps and Power Automate per user) and Flow A (per flow), on one
/// day each. The documentation gives User A 40,000 a day, which holds only when the highest
/// licence counts (INC-2), so these examples choose that stacking (AMB-16).
fn doc_requests(name: &str, user_a: u64, flow_a: u64) -> Scenario {
    let mut env = Environment::new_payg("Contoso PAYG");
    env.requests = vec![
        consumer(
            "User A",
            RequestEntity::Users {
                users: 1,
                licences: vec![Licence::PowerAppsPerUser, Licence::PowerAutomatePerUser],
            },
            user_a,
            1,
        ),
        consumer(
            "Flow A",
            RequestEntity::Flow {
                licence: FlowLicence::PerFlow,
                licence_count: 1,
            },
            flow_a,
            1,
        ),
    ];
    let mut s = doc_scenario(name, PriceBookId::Seed2023, env);
    s.options.request_stacking = RequestStacking::Highest;
    s
}

/// TC-PA-1..5: the run table. Four instant flows of a user without licence, so each run is
/// judged by the invoking user's licence (PA-6); every licence of the table runs 10 standard,
/// 10 premium cloud, 5 attended and 5 unattended runs.
fn doc_flow_runs(name: &str) -> Scenario {
    let licences = [
        Licence::Microsoft365,
        Licence::None,
        Licence::PowerAutomatePerUser,
        Licence::PowerAutomatePerUserRpa,
        Licence::PowerAppsPerUser,
    ];
    let table = [
        (
            "Standard cloud flow",
            RunMode::Cloud,
            FlowConnectors::Standard,
            10,
        ),
        (
            "Premium cloud flow",
            RunMode::Cloud,
            FlowConnectors::Premium,
            10,
        ),
        (
            "Attended desktop flow",
            RunMode::Attended,
            FlowConnectors::Premium,
            5,
        ),
        (
            "Unattended desktop flow",
            RunMode::Unattended,
            FlowConnectors::Premium,
            5,
        ),
    ];
    let mut env = Environment::new_payg("Contoso PAYG");
    env.flows = table
        .iter()
        .map(|&(flow_name, mode, connectors, n)| {
            let mut f = flow(
                flow_name,
                Trigger::Instant,
                mode,
                connectors,
                Owner::User(Licence::None),
            );
            f.runs = licences
                .iter()
                .map(|&licence| RunGroup { runs: n, licence })
                .collect();
            f
        })
        .collect();
    doc_scenario(name, PriceBookId::Seed2023, env)
}

/// TC-CH-1..6: the "choose the right subscription" table. The table runs over three months
/// (100, 25 and 20 runs; Flow 5 0, 0 and 40), which one scenario month cannot hold: the runs
/// are entered as three-month totals and the advisor reads them over a 3-month horizon
/// (its `advisor` field), with the people and bots the table gives (10
/// users of Flows 2 and 3, 2 bots for Flow 4), which the scenario format does not record.
fn doc_prepaid_vs_payg(name: &str) -> Scenario {
    let unlicensed = Owner::User(Licence::None);
    let table = [
        (
            "Flow 1",
            Trigger::Automated,
            RunMode::Cloud,
            unlicensed,
            145,
        ),
        ("Flow 2", Trigger::Instant, RunMode::Cloud, unlicensed, 145),
        (
            "Flow 3",
            Trigger::Instant,
            RunMode::Attended,
            unlicensed,
            145,
        ),
        (
            "Flow 4",
            Trigger::Scheduled,
            RunMode::Unattended,
            unlicensed,
            145,
        ),
        ("Flow 5", Trigger::Scheduled, RunMode::Cloud, unlicensed, 40),
        (
            "Flow 6",
            Trigger::Scheduled,
            RunMode::Cloud,
            Owner::ServicePrincipal,
            145,
        ),
    ];
    let mut env = Environment::new_payg("Contoso PAYG");
    env.flows = table
        .iter()
        .map(|&(flow_name, trigger, mode, owner, n)| {
            let mut f = flow(flow_name, trigger, mode, FlowConnectors::Premium, owner);
            f.runs = runs(&[(n, Licence::None)]);
            f
        })
        .collect();
    let mut s = doc_scenario(name, PriceBookId::Seed2023, env);
    // The table counts three months of runs, 10 people on Flows 2 and 3, 2 bots on Flow 4:
    // the file carries them so that `advise`, the app and an edited copy all read them.
    s.advisor = Some(AdvisorInputs {
        horizon_months: 3,
        flows: vec![
            FlowSizing::users("Flow 2", 10),
            FlowSizing::users("Flow 3", 10),
            FlowSizing::bots("Flow 4", 2),
        ],
        ..AdvisorInputs::default()
    });
    s
}

// ---- Contoso ---------------------------------------------------------------------------------

/// A tenant as people describe one: quick counts mostly, a few named users, three environments
/// of different kinds, and two customers of the ISV whose connector Contoso also uses.
fn contoso() -> Scenario {
    Scenario {
        version: SCENARIO_FORMAT_VERSION,
        name: "Contoso: a tenant using every meter".to_string(),
        price_book: PriceBookId::Newest2025,
        price_overrides: BTreeMap::new(),
        month: BillingMonth {
            year: 2026,
            month: 11,
        },
        options: RuleOptions::default(),
        environments: vec![contoso_production(), contoso_sandbox(), contoso_default()],
        isv_customers: vec![
            IsvCustomer {
                name: "Fabrikam".to_string(),
                makers: 40,
                premium_licensed_makers: 10,
                runs_per_maker: 25,
            },
            IsvCustomer {
                name: "Northwind Traders".to_string(),
                makers: 12,
                premium_licensed_makers: 12,
                runs_per_maker: 100,
            },
        ],
        advisor: None,
    }
}

fn contoso_production() -> Environment {
    let mut env = Environment::new_payg("Contoso Production");
    env.users = vec![
        NamedUser {
            id: "adele@contoso.com".to_string(),
            licence: Licence::None,
        },
        NamedUser {
            id: "alex@contoso.com".to_string(),
            licence: Licence::Microsoft365,
        },
        NamedUser {
            id: "megan@contoso.com".to_string(),
            licence: Licence::PowerAppsPerUser,
        },
        NamedUser {
            id: "lee@contoso.com".to_string(),
            licence: Licence::Dynamics365,
        },
    ];
    let mut timesheets = app(
        "Legacy Timesheets",
        ConnectorClass::Premium,
        vec![group(50, Licence::None)],
        &[],
    );
    timesheets.opted_out = true;
    env.apps = vec![
        app(
            "Expense Approvals",
            ConnectorClass::Premium,
            vec![
                group(120, Licence::None),
                group(80, Licence::Microsoft365),
                group(30, Licence::PowerAppsPerUser),
                group(10, Licence::PowerAppsPerApp),
            ],
            &[
                "adele@contoso.com",
                "alex@contoso.com",
                "megan@contoso.com",
                "lee@contoso.com",
            ],
        ),
        app(
            "Site Inspections",
            ConnectorClass::Standard,
            vec![
                group(45, Licence::Microsoft365),
                group(15, Licence::None),
                group(5, Licence::Dynamics365),
            ],
            &[],
        ),
        timesheets,
    ];

    let mut order_sync = flow(
        "Order sync",
        Trigger::Scheduled,
        RunMode::Cloud,
        FlowConnectors::Premium,
        Owner::User(Licence::Microsoft365),
    );
    order_sync.runs = runs(&[(1_800, Licence::Microsoft365)]);
    order_sync.test_runs = 25;

    let mut reminders = flow(
        "Expense reminders",
        Trigger::Instant,
        RunMode::Cloud,
        FlowConnectors::Premium,
        Owner::User(Licence::None),
    );
    reminders.runs = runs(&[(200, Licence::None), (150, Licence::PowerAutomatePerUser)]);

    let mut invoice_bot = flow(
        "Invoice bot",
        Trigger::Scheduled,
        RunMode::Hosted,
        FlowConnectors::Premium,
        Owner::ServicePrincipal,
    );
    invoice_bot.runs = runs(&[(300, Licence::None)]);

    let mut shipments = flow(
        "Shipment tracker",
        Trigger::Automated,
        RunMode::Cloud,
        FlowConnectors::IsvOnly,
        Owner::User(Licence::None),
    );
    shipments.runs = runs(&[(1_000, Licence::None)]);

    env.flows = vec![order_sync, reminders, invoice_bot, shipments];

    let mut portal = website(
        "Partner Portal",
        SiteStatus::Live,
        vec![
            group(300, Licence::None),
            group(40, Licence::PowerAppsPerUser),
        ],
        &["adele@contoso.com", "lee@contoso.com"],
    );
    portal.anonymous_visitors = 5_000;
    portal.anonymous_exclusions = AnonymousExclusions {
        static_only: 250,
        bots: 400,
        monitors: 100,
        logged_in_same_day: 50,
        ..AnonymousExclusions::default()
    };
    env.websites = vec![portal];

    env.storage = Storage {
        database: constant(dec!(12)),
        file: constant(dec!(40)),
        log: constant(dec!(2)),
        allocated: StorageAllocation {
            database: dec!(10),
            file: dec!(20),
            log: dec!(0),
        },
    };

    env.requests = vec![
        consumer(
            "Finance analysts",
            RequestEntity::Users {
                users: 5,
                licences: vec![Licence::PowerAppsPerUser],
            },
            45_000,
            20,
        ),
        consumer(
            "Integration service principal",
            RequestEntity::NonLicensed {
                pool: TenantPool::PowerPlatform,
            },
            30_000,
            30,
        ),
    ];

    env.copilot_studio = CopilotStudio {
        messages: 12_000,
        generative_answers: 1_000,
        agent_actions: 40,
        m365_licensed_messages: 500,
        ..CopilotStudio::default()
    };
    env
}

fn contoso_sandbox() -> Environment {
    let mut env = Environment::new_payg("Contoso Sandbox");
    env.meters.power_pages = false;
    env.websites = vec![website(
        "Portal (test)",
        SiteStatus::Live,
        vec![group(20, Licence::None)],
        &[],
    )];
    env.storage = Storage {
        // Database use doubles on day 16 after a data import.
        database: StorageUsage::Series {
            points: vec![
                StoragePoint {
                    day: 1,
                    gb: dec!(1),
                },
                StoragePoint {
                    day: 16,
                    gb: dec!(2),
                },
            ],
        },
        file: constant(dec!(0.5)),
        log: constant(dec!(0.1)),
        allocated: StorageAllocation::default(),
    };
    env
}

fn contoso_default() -> Environment {
    let mut env = Environment::new_payg("Contoso Default");
    env.payg = false;
    env.apps = vec![app(
        "Team Tasks",
        ConnectorClass::Premium,
        vec![group(25, Licence::None)],
        &[],
    )];
    let mut approvals = flow(
        "Approvals",
        Trigger::Automated,
        RunMode::Cloud,
        FlowConnectors::Premium,
        Owner::User(Licence::None),
    );
    approvals.runs = runs(&[(400, Licence::None)]);
    let mut catalog = flow(
        "Partner catalog sync",
        Trigger::Scheduled,
        RunMode::Cloud,
        FlowConnectors::IsvOnly,
        Owner::User(Licence::None),
    );
    catalog.runs = runs(&[(500, Licence::None)]);
    env.flows = vec![approvals, catalog];
    env.storage.database = constant(dec!(5));
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_example_builds_and_names_are_unique() {
        let mut names: Vec<&str> = list().iter().map(|e| e.name).collect();
        for name in &names {
            assert!(scenario(name).is_some(), "{name}");
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), list().len());
        assert!(scenario("no-such-example").is_none());
    }

    #[test]
    fn examples_round_trip_through_the_file_format() {
        for e in list() {
            let s = scenario(e.name).expect("listed");
            let json = serde_json::to_string(&s).expect("serialises");
            assert_eq!(
                super::super::decode::decode_scenario(&json),
                Ok(s.clone()),
                "{}",
                e.name
            );
            let pretty = super::super::decode::encode_scenario(&s);
            assert_eq!(
                super::super::decode::decode_scenario(&pretty),
                Ok(s),
                "{}",
                e.name
            );
        }
    }
}
