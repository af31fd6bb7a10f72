//! The scenario bar: which scenario is open, the built-in examples, a new empty scenario.

use leptos::prelude::*;

use super::state::use_state;
use crate::engine::{Scenario, examples};

/// Example menu and "new empty scenario".
#[component]
pub fn ScenarioBar() -> impl IntoView {
    let state = use_state();
    let name = move || state.scenario.with(|s| s.name.clone());
    view! {
        <div class="scenario-bar">
            <p class="scenario-name">
                "Scenario: "
                <strong data-testid="scenario-name">{name}</strong>
            </p>
            <label for="example-select">"Open an example"</label>
            <select
                id="example-select"
                data-testid="example-select"
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    if let Some(s) = examples::scenario(&name) {
                        state.replace(s);
                    }
                }
            >
                <option value="" selected=true>"Choose…"</option>
                {examples::list()
                    .iter()
                    .map(|x| view! { <option value=x.name>{format!("{} — {}", x.name, x.title)}</option> })
                    .collect_view()}
            </select>
            <button
                type="button"
                data-testid="new-scenario"
                on:click=move |_| state.replace(Scenario::new_empty())
            >
                "New empty scenario"
            </button>
        </div>
    }
}
