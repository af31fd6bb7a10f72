//! Which pay-as-you-go meter a row is about, from its meter category, subcategory, name and
//! unit.
//!
//! Microsoft documents the admin center's categories (Power Apps, Dataverse, Power Platform
//! request) but neither the Copilot Studio category there nor any Azure meter string for Power
//! Platform (`shared/spec/changes-2025-2026.md` §2.1), so matching is by words, through rules the
//! user can correct: the user's rules are tried first, then [`MeterMapping::defaults`]. A row no
//! rule matches is listed as an unmapped meter with its quantity and cost, never dropped.

use serde::{Deserialize, Serialize};

use crate::engine::PriceKey;

/// One rule: every non-empty pattern must occur (ignoring case) in its field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterRule {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subcategory: String,
    /// The Azure meter name (usage reports have none: a rule with a name never matches them).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// The meter's price key; `None` (written `null`) ignores matching rows on purpose.
    pub meter: Option<PriceKey>,
}

impl MeterRule {
    fn matches(&self, row: &MeterFields<'_>) -> bool {
        let has = |pattern: &str, field: &str| {
            pattern.is_empty() || field.to_lowercase().contains(&pattern.to_lowercase())
        };
        has(&self.category, row.category)
            && has(&self.subcategory, row.subcategory)
            && has(&self.name, row.name)
            && has(&self.unit, row.unit)
    }
}

/// What a row says about its meter.
#[derive(Clone, Copy, Debug)]
pub struct MeterFields<'a> {
    pub category: &'a str,
    pub subcategory: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
}

/// How a row matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mapped {
    Meter(PriceKey),
    /// A rule says to ignore it.
    Ignored,
    /// No rule matched: listed as unmapped.
    Unmapped,
}

/// The user's rules, tried before the defaults. Saved as a JSON array of [`MeterRule`]s.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MeterMapping {
    pub rules: Vec<MeterRule>,
}

fn rule(category: &str, subcategory: &str, name: &str, unit: &str, meter: PriceKey) -> MeterRule {
    MeterRule {
        category: category.to_string(),
        subcategory: subcategory.to_string(),
        name: name.to_string(),
        unit: unit.to_string(),
        meter: Some(meter),
    }
}

impl MeterMapping {
    /// Reads a mapping file: a JSON array of rules.
    pub fn from_json(text: &str) -> Result<MeterMapping, String> {
        serde_json::from_str(text).map_err(|e| format!("not a meter mapping: {e}"))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "[]".to_string())
    }

    /// The built-in rules, most specific first. "Unattended" is tried before "attended" (one
    /// contains the other), and hosted RPA runs are reported under the unattended subcategory
    /// (PA-3), so they are priced as unattended: the same $3.00.
    pub fn defaults() -> Vec<MeterRule> {
        use PriceKey::*;
        vec![
            rule("", "hosted", "", "", FlowRunHosted),
            rule("", "unattended", "", "", FlowRunUnattended),
            rule("", "attended", "", "", FlowRunAttended),
            rule("", "cloud flow", "", "", FlowRunCloud),
            rule("power automate", "", "", "run", FlowRunCloud),
            rule("", "", "flow run", "", FlowRunCloud),
            rule("power pages", "anonymous", "", "", PagesAnonymousUser),
            rule(
                "power pages",
                "authenticated",
                "",
                "",
                PagesAuthenticatedUser,
            ),
            rule("", "", "anonymous", "", PagesAnonymousUser),
            rule("", "", "authenticated", "", PagesAuthenticatedUser),
            rule("dataverse", "database", "", "", DataverseDatabaseGb),
            rule("dataverse", "file", "", "", DataverseFileGb),
            rule("dataverse", "log", "", "", DataverseLogGb),
            rule("power platform request", "", "", "", PlatformRequest),
            rule("windows 365", "", "", "", Windows365AgentHour),
            rule("", "", "w365", "", Windows365AgentHour),
            rule("copilot", "", "", "", CopilotStudioMessage),
            rule("virtual agent", "", "", "", CopilotStudioMessage),
            rule("", "copilot", "", "", CopilotStudioMessage),
            rule("", "", "", "message", CopilotStudioMessage),
            rule("", "", "", "credit", CopilotStudioMessage),
            rule("power apps", "", "", "", PowerAppsPerAppUser),
        ]
    }

    /// The meter of a row: the user's rules first, then the defaults.
    pub fn map(&self, row: &MeterFields<'_>) -> Mapped {
        let defaults = Self::defaults();
        match self
            .rules
            .iter()
            .chain(defaults.iter())
            .find(|r| r.matches(row))
        {
            Some(MeterRule {
                meter: Some(key), ..
            }) => Mapped::Meter(*key),
            Some(_) => Mapped::Ignored,
            None => Mapped::Unmapped,
        }
    }
}

/// Remembers the meter of each distinct (category, subcategory, name, unit): a file has a few
/// dozen of them and a million rows.
#[derive(Default)]
pub(crate) struct MappingCache {
    /// The first few combinations, compared field by field: cheaper than hashing, and a real
    /// export has a handful.
    recent: Vec<([String; 4], Mapped)>,
    key: String,
    seen: std::collections::HashMap<String, Mapped>,
}

impl MappingCache {
    pub fn map(&mut self, mapping: &MeterMapping, row: &MeterFields<'_>) -> Mapped {
        let fields = [row.category, row.subcategory, row.name, row.unit];
        if let Some((_, m)) = self
            .recent
            .iter()
            .find(|(k, _)| k.iter().zip(fields).all(|(a, b)| super::same_text(a, b)))
        {
            return *m;
        }
        self.key.clear();
        for part in fields {
            self.key.push_str(part);
            self.key.push('\u{1f}');
        }
        if let Some(m) = self.seen.get(&self.key) {
            return *m;
        }
        let m = mapping.map(row);
        if self.recent.len() < 16 {
            self.recent.push((fields.map(str::to_string), m));
        } else if self.seen.len() < 10_000 {
            // Bounded: a hostile file with a million distinct meters would otherwise keep them
            // all.
            self.seen.insert(self.key.clone(), m);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(
        mapping: &MeterMapping,
        category: &str,
        subcategory: &str,
        name: &str,
        unit: &str,
    ) -> Mapped {
        mapping.map(&MeterFields {
            category,
            subcategory,
            name,
            unit,
        })
    }

    #[test]
    fn documented_categories_map_by_default() {
        let m = MeterMapping::default();
        assert_eq!(
            map(&m, "Power Apps", "Launch", "", "Unique users"),
            Mapped::Meter(PriceKey::PowerAppsPerAppUser)
        );
        assert_eq!(
            map(&m, "Dataverse", "Database", "", "GB"),
            Mapped::Meter(PriceKey::DataverseDatabaseGb)
        );
        assert_eq!(
            map(&m, "Dataverse", "Log", "", "GB"),
            Mapped::Meter(PriceKey::DataverseLogGb)
        );
        assert_eq!(
            map(&m, "Power Platform request", "", "", "Requests"),
            Mapped::Meter(PriceKey::PlatformRequest)
        );
        assert_eq!(
            map(&m, "Power Automate", "Unattended RPA Flow Run", "", "1 Run"),
            Mapped::Meter(PriceKey::FlowRunUnattended)
        );
        assert_eq!(
            map(&m, "Power Automate", "Attended RPA Flow Run", "", "1 Run"),
            Mapped::Meter(PriceKey::FlowRunAttended)
        );
        assert_eq!(
            map(&m, "Power Automate", "Cloud Flow Run", "", "1 Run"),
            Mapped::Meter(PriceKey::FlowRunCloud)
        );
        assert_eq!(
            map(&m, "Power Pages", "authenticated mau", "", ""),
            Mapped::Meter(PriceKey::PagesAuthenticatedUser)
        );
        assert_eq!(
            map(&m, "Power Pages", "anonymous mau", "", ""),
            Mapped::Meter(PriceKey::PagesAnonymousUser)
        );
        // The undocumented Copilot category: by its unit.
        assert_eq!(
            map(&m, "Agents", "", "", "Messages"),
            Mapped::Meter(PriceKey::CopilotStudioMessage)
        );
        assert_eq!(
            map(&m, "Something new", "", "", "Widgets"),
            Mapped::Unmapped
        );
    }

    #[test]
    fn user_rules_come_first_and_can_ignore() {
        let m = MeterMapping::from_json(
            r#"[{"category":"something new","meter":"flow_run_hosted"},
                {"category":"power apps","meter":null}]"#,
        )
        .unwrap();
        assert_eq!(
            map(&m, "Something New", "", "", ""),
            Mapped::Meter(PriceKey::FlowRunHosted)
        );
        assert_eq!(map(&m, "Power Apps", "Launch", "", ""), Mapped::Ignored);
        assert_eq!(MeterMapping::from_json(&m.to_json()), Ok(m));
        assert!(MeterMapping::from_json("{").is_err());
    }
}
