//! Built-in example scenarios: the documentation's worked examples (spec section 6) and one
//! realistic tenant that exercises every meter.
//!
//! The `doc-*` examples reproduce the printed figures exactly (their expected totals are pinned
//! in `tests/golden.rs`): they price the month 2026-11, whose 30 days make the Dataverse
//! snapshots of either book add up to the monthly rate (DV-7, AMB-11), on the 2023-06 book the
//! documentation was written against. Each is a scenario file in `src/engine/examples/`, read by the
//! same decoder as any file: data rather than code (constructors were ~10 KB of the app's
//! wasm, the files are 2.6 KB gzipped), and a test checks that every one decodes and
//! round-trips.

use super::decode;
use super::scenario::Scenario;

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

/// The example a first visit opens (no link, nothing autosaved). index.html pre-renders its
/// totals for the first paint; `tests/prerender.rs` holds them equal to the engine's.
pub const FIRST_VISIT: &str = "contoso";

/// Every built-in example, in menu order.
pub fn list() -> &'static [Example] {
    &EXAMPLES
}

/// The scenario file of each example, by name.
const FILES: [(&str, &str); 19] = [
    (
        "doc-apps-month1",
        include_str!("examples/doc-apps-month1.json"),
    ),
    (
        "doc-apps-month2",
        include_str!("examples/doc-apps-month2.json"),
    ),
    (
        "doc-apps-month3",
        include_str!("examples/doc-apps-month3.json"),
    ),
    (
        "doc-pages-month1",
        include_str!("examples/doc-pages-month1.json"),
    ),
    (
        "doc-pages-month2",
        include_str!("examples/doc-pages-month2.json"),
    ),
    (
        "doc-pages-month3",
        include_str!("examples/doc-pages-month3.json"),
    ),
    (
        "doc-dataverse-month1",
        include_str!("examples/doc-dataverse-month1.json"),
    ),
    (
        "doc-dataverse-month2",
        include_str!("examples/doc-dataverse-month2.json"),
    ),
    (
        "doc-dataverse-month3",
        include_str!("examples/doc-dataverse-month3.json"),
    ),
    (
        "doc-requests-month1",
        include_str!("examples/doc-requests-month1.json"),
    ),
    (
        "doc-requests-month2",
        include_str!("examples/doc-requests-month2.json"),
    ),
    (
        "doc-requests-month3",
        include_str!("examples/doc-requests-month3.json"),
    ),
    (
        "doc-flow-runs-by-licence",
        include_str!("examples/doc-flow-runs-by-licence.json"),
    ),
    (
        "doc-prepaid-vs-payg",
        include_str!("examples/doc-prepaid-vs-payg.json"),
    ),
    ("contoso", include_str!("examples/contoso.json")),
    (
        "learn-grounded-answer",
        include_str!("examples/learn-grounded-answer.json"),
    ),
    (
        "learn-credits-prepaid",
        include_str!("examples/learn-credits-prepaid.json"),
    ),
    (
        "learn-ai-tokens",
        include_str!("examples/learn-ai-tokens.json"),
    ),
    (
        "learn-windows365-unpriced",
        include_str!("examples/learn-windows365-unpriced.json"),
    ),
];

/// The example of that name.
pub fn scenario(name: &str) -> Option<Scenario> {
    let (_, text) = FILES.iter().find(|(n, _)| *n == name)?;
    decode::decode_scenario(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_example_decodes_and_names_are_unique() {
        let mut names: Vec<&str> = list().iter().map(|e| e.name).collect();
        for name in &names {
            let text = FILES.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
            let text = text.unwrap_or_else(|| panic!("no file for {name}"));
            if let Err(problems) = decode::decode_scenario(text) {
                panic!("{name}: {problems:?}");
            }
        }
        assert_eq!(FILES.len(), list().len());
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
            assert_eq!(decode::decode_scenario(&json), Ok(s.clone()), "{}", e.name);
            // The file is what `power-payg example` writes: regenerate it with that command.
            let file = FILES.iter().find(|(n, _)| *n == e.name).map(|(_, t)| *t);
            assert_eq!(
                Some(decode::encode_scenario(&s).as_str()),
                file.map(str::trim_end),
                "{}",
                e.name
            );
        }
    }
}
