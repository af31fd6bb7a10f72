//! Which advisor inputs a scenario is read with: its own, else those of the built-in example it
//! is, else the defaults.

use super::*;

use super::super::examples;
use super::super::scenario::*;

impl AdvisorInputs {
    /// The inputs that go with a built-in example, if it has any: `doc-prepaid-vs-payg` is
    /// read over 3 months, with 10 people running Flow 2 and Flow 3 and 2 bots for Flow 4.
    pub fn for_example(name: &str) -> Option<AdvisorInputs> {
        match name {
            "doc-prepaid-vs-payg" => Some(AdvisorInputs {
                horizon_months: 3,
                flows: vec![
                    FlowSizing::users("Flow 2", 10),
                    FlowSizing::users("Flow 3", 10),
                    FlowSizing::bots("Flow 4", 2),
                ],
                ..AdvisorInputs::default()
            }),
            _ => None,
        }
    }

    /// The scenario's own advisor inputs (its `advisor` field) if it has them; else those of
    /// the built-in example this scenario is (same environments, month, options and ISV
    /// customers; the name, price book and price overrides may differ, so switching the book
    /// or editing a price keeps them); else the defaults.
    pub fn for_scenario(scenario: &Scenario) -> AdvisorInputs {
        if let Some(inputs) = &scenario.advisor {
            return inputs.clone();
        }
        example_of(scenario)
            .and_then(AdvisorInputs::for_example)
            .unwrap_or_default()
    }
}

/// The name of the built-in example with advisor inputs that `scenario` is, if any.
pub(super) fn example_of(scenario: &Scenario) -> Option<&'static str> {
    examples::list()
        .iter()
        .map(|e| e.name)
        .filter(|name| AdvisorInputs::for_example(name).is_some())
        .find(|name| {
            examples::scenario(name).is_some_and(|e| {
                e.environments == scenario.environments
                    && e.month == scenario.month
                    && e.options == scenario.options
                    && e.isv_customers == scenario.isv_customers
            })
        })
}
