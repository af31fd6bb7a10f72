//! Which cards of the calculator are open: the defaults, chosen by what the scenario uses, and
//! what this browser remembers per scenario.
//!
//! Plain Rust (no web dependency) so that the rules are tested natively; the app keeps the open
//! cards in a map keyed by [`env_key`] and [`section_key`] and stores it with [`Remembered`].

use std::collections::BTreeMap;

use crate::engine::{Environment, Meter, Scenario};

/// Open (true) or closed (false), by card key. A card not in the map is at its default.
pub type OpenCards = BTreeMap<String, bool>;

/// A scenario with more environments than this opens with every card closed: a card renders
/// its forms only once opened, and the page grows with what the user opens.
pub const OPEN_CARDS_UP_TO: usize = 5;

/// The first environment's used meters open only when it holds at most this many items (rows
/// of its forms, [`env_items`]). An item's form is some 90 elements, so this keeps a first
/// render near a few hundred elements: the built-in documentation examples (up to 6 items)
/// open on what they are about, while `contoso` (12 items in its first environment) opens on
/// its cards' headers, which still show each section's item count and subtotal.
pub const OPEN_ITEMS_UP_TO: u64 = 6;

/// How many scenarios' open cards this browser remembers (the most recently used).
pub const REMEMBERED_SCENARIOS: usize = 50;

/// The key of an environment's card.
pub fn env_key(env: usize) -> String {
    format!("env-{env}")
}

/// The key of one meter's section in an environment's card (also its `data-testid`).
pub fn section_key(env: usize, meter: &str) -> String {
    format!("env-{env}-section-{meter}")
}

/// What one meter's section holds, in items (rows of its form; named users are who uses the
/// apps, not items). The Copilot section also holds the Windows 365 for Agents hours.
pub fn meter_items(x: &Environment, meter: Meter) -> u64 {
    let n = match meter {
        Meter::PowerApps => x.apps.len(),
        Meter::FlowRuns => x.flows.len(),
        Meter::PowerPages => x.websites.len(),
        Meter::Dataverse => usize::from(x.storage != Default::default()),
        Meter::Requests => x.requests.len(),
        Meter::CopilotStudio => {
            usize::from(x.copilot_studio != Default::default())
                + x.copilot_credits.agents.len()
                + usize::from(x.copilot_credits.cloud_pc_hours > 0)
        }
        Meter::Windows365Agents | Meter::Embed => 0,
    };
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// What an environment holds, in items: the sum of its sections'.
pub fn env_items(x: &Environment) -> u64 {
    Meter::ALL
        .into_iter()
        .fold(0u64, |n, m| n.saturating_add(meter_items(x, m)))
}

/// Whether environment cards start open: yes in a small scenario, no in a large one.
pub fn env_open_by_default(s: &Scenario) -> bool {
    s.environments.len() <= OPEN_CARDS_UP_TO
}

/// Whether a meter's section starts open. The rule, so that the first render grows with what
/// the user opens and not with the scenario:
/// - an environment that uses no meter yet opens Power Apps, where a new scenario starts;
/// - an environment holding more than [`OPEN_ITEMS_UP_TO`] items opens none (its sections'
///   headers show what each holds and costs);
/// - otherwise its used meters open;
/// - in a scenario whose environment cards start open ([`env_open_by_default`]), this applies
///   to the first environment only, and the others' sections start closed. In a larger one no
///   card starts open, and a card the user opens follows the rule for its own environment.
pub fn section_open_by_default(s: &Scenario, env: usize, meter: Meter) -> bool {
    let Some(x) = s.environments.get(env) else {
        return false;
    };
    if env != 0 && env_open_by_default(s) {
        return false;
    }
    match env_items(x) {
        0 => meter == Meter::PowerApps,
        n if n > OPEN_ITEMS_UP_TO => false,
        _ => meter_items(x, meter) > 0,
    }
}

/// The open cards of the scenarios this browser saw last, most recent first. Stored as text
/// of its own (`open/1`, then a name line and a cards line per scenario) rather than JSON: a
/// nested map's serde code would be more wasm than these few lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Remembered {
    entries: Vec<(String, OpenCards)>,
}

const HEADER: &str = "open/1";

/// Names are one line each: newlines and backslashes are escaped.
fn escape(name: &str, out: &mut String) {
    for c in name.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

impl Remembered {
    /// Reads what [`Remembered::to_text`] wrote. Anything else (another version, damage) reads
    /// as nothing remembered: open cards are a convenience, never worth an error.
    pub fn parse(text: &str) -> Remembered {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Remembered::default();
        }
        let mut entries = Vec::new();
        while let (Some(name), Some(cards)) = (lines.next(), lines.next()) {
            // Inserted one by one: collecting into a map is more wasm for nothing here.
            let mut open = OpenCards::new();
            for kv in cards.split(';') {
                let Some((k, v)) = kv.split_once('=') else {
                    continue;
                };
                let v = match v {
                    "1" => true,
                    "0" => false,
                    _ => continue,
                };
                if !k.is_empty() {
                    open.insert(k.to_string(), v);
                }
            }
            entries.push((unescape(name), open));
            if entries.len() == REMEMBERED_SCENARIOS {
                break;
            }
        }
        Remembered { entries }
    }

    /// The stored text.
    pub fn to_text(&self) -> String {
        let mut out = String::from(HEADER);
        for (name, open) in &self.entries {
            out.push('\n');
            escape(name, &mut out);
            out.push('\n');
            for (i, (k, v)) in open.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                out.push_str(k);
                out.push_str(if *v { "=1" } else { "=0" });
            }
        }
        out
    }

    /// The open cards remembered for the scenario called `name` (`""`: the unsaved scenario
    /// being edited).
    pub fn get(&self, name: &str) -> Option<&OpenCards> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, o)| o)
    }

    /// Remembers `open` for `name`, as the most recent; the oldest beyond
    /// [`REMEMBERED_SCENARIOS`] is forgotten.
    pub fn set(&mut self, name: &str, open: &OpenCards) {
        self.entries.retain(|(n, _)| n != name);
        self.entries.insert(0, (name.to_string(), open.clone()));
        self.entries.truncate(REMEMBERED_SCENARIOS);
    }

    /// Follows a renamed saved scenario.
    pub fn rename(&mut self, from: &str, to: &str) {
        self.entries.retain(|(n, _)| n != to);
        if let Some(e) = self.entries.iter_mut().find(|(n, _)| n == from) {
            e.0 = to.to_string();
        }
    }

    /// Forgets a deleted saved scenario.
    pub fn forget(&mut self, name: &str) {
        self.entries.retain(|(n, _)| n != name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{App, ConnectorClass, Environment, examples};

    fn open(pairs: &[(&str, bool)]) -> OpenCards {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn a_new_scenario_opens_power_apps_of_its_first_environment() {
        let s = Scenario::new_empty();
        assert!(env_open_by_default(&s));
        assert!(section_open_by_default(&s, 0, Meter::PowerApps));
        for m in [Meter::FlowRuns, Meter::PowerPages, Meter::Dataverse] {
            assert!(!section_open_by_default(&s, 0, m), "{m:?}");
        }
    }

    #[test]
    fn a_small_scenario_opens_the_first_environments_used_meters_only() {
        let mut s = Scenario::new_empty();
        s.environments[0].storage.database = crate::engine::StorageUsage::Constant {
            gb: rust_decimal::Decimal::ONE,
        };
        let mut second = Environment::new_payg("Test");
        second.apps.push(App {
            name: "A".to_string(),
            connectors: ConnectorClass::Premium,
            ..examples::scenario("doc-apps-month1")
                .expect("example")
                .environments[0]
                .apps[0]
                .clone()
        });
        s.environments.push(second);
        assert!(section_open_by_default(&s, 0, Meter::Dataverse));
        assert!(!section_open_by_default(&s, 0, Meter::PowerApps));
        // The second environment's apps are used, but only the first's sections open.
        assert!(!section_open_by_default(&s, 1, Meter::PowerApps));
        assert!(env_open_by_default(&s));
    }

    #[test]
    fn a_large_scenario_opens_no_card_and_an_opened_card_shows_its_used_meters() {
        let mut s = Scenario::new_empty();
        for i in 0..OPEN_CARDS_UP_TO {
            s.environments.push(Environment::new_payg(&format!("E{i}")));
        }
        s.environments[3].storage.log = crate::engine::StorageUsage::Constant {
            gb: rust_decimal::Decimal::ONE,
        };
        assert!(!env_open_by_default(&s));
        assert!(section_open_by_default(&s, 3, Meter::Dataverse));
        assert!(!section_open_by_default(&s, 3, Meter::PowerApps));
        assert!(section_open_by_default(&s, 2, Meter::PowerApps));
        assert!(!section_open_by_default(&s, 9, Meter::PowerApps));
    }

    #[test]
    fn a_first_environment_over_the_item_budget_opens_no_section() {
        let mut s = examples::scenario("doc-apps-month1").expect("example");
        let app = s.environments[0].apps[0].clone();
        while env_items(&s.environments[0]) < OPEN_ITEMS_UP_TO {
            s.environments[0].apps.push(app.clone());
        }
        // At the budget: the used meter opens.
        assert!(section_open_by_default(&s, 0, Meter::PowerApps));
        s.environments[0].apps.push(app);
        // One item over: nothing opens, not even the used meter.
        for m in Meter::ALL {
            assert!(!section_open_by_default(&s, 0, m), "{m:?}");
        }
        assert!(env_open_by_default(&s));
    }

    #[test]
    fn contoso_opens_on_its_headers_and_the_documentation_examples_on_their_meter() {
        let contoso = examples::scenario("contoso").expect("example");
        assert!(env_items(&contoso.environments[0]) > OPEN_ITEMS_UP_TO);
        for e in 0..contoso.environments.len() {
            for m in Meter::ALL {
                assert!(!section_open_by_default(&contoso, e, m), "{e} {m:?}");
            }
        }
        for (name, meter) in [
            ("doc-apps-month1", Meter::PowerApps),
            ("doc-prepaid-vs-payg", Meter::FlowRuns),
            ("doc-requests-month1", Meter::Requests),
        ] {
            let s = examples::scenario(name).expect("example");
            assert!(section_open_by_default(&s, 0, meter), "{name}");
        }
    }

    #[test]
    fn remembered_cards_round_trip_with_any_name() {
        let mut r = Remembered::default();
        r.set(
            "",
            &open(&[("env-0", true), ("env-0-section-dataverse", false)]),
        );
        r.set("Budget\nFY27 \\ draft", &open(&[("env-1", false)]));
        let back = Remembered::parse(&r.to_text());
        assert_eq!(back, r);
        assert_eq!(
            back.get("Budget\nFY27 \\ draft"),
            Some(&open(&[("env-1", false)]))
        );
        assert_eq!(back.get("other"), None);
    }

    #[test]
    fn the_most_recent_are_kept_and_renames_and_deletes_follow() {
        let mut r = Remembered::default();
        for i in 0..REMEMBERED_SCENARIOS + 3 {
            r.set(&format!("s{i}"), &open(&[("env-0", true)]));
        }
        assert_eq!(r.get("s0"), None);
        assert!(r.get(&format!("s{}", REMEMBERED_SCENARIOS + 2)).is_some());
        r.rename("s10", "renamed");
        assert!(r.get("s10").is_none() && r.get("renamed").is_some());
        r.forget("renamed");
        assert!(r.get("renamed").is_none());
    }

    #[test]
    fn damaged_or_foreign_text_reads_as_nothing_remembered() {
        assert_eq!(Remembered::parse(""), Remembered::default());
        assert_eq!(Remembered::parse("{\"a\":1}"), Remembered::default());
        let r = Remembered::parse("open/1\nx\nenv-0=1;junk;=1;env-1=2;env-2=0");
        assert_eq!(
            r.get("x"),
            Some(&open(&[("env-0", true), ("env-2", false)]))
        );
    }
}
