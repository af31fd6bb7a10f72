//! The browser app: a thin Leptos layer over [`crate::engine`].
//!
//! One `RwSignal<Scenario>` (in [`state::ScenarioState`]) holds everything the user entered;
//! one `Memo` prices it. Components only read the breakdown and write the scenario; no
//! billing rule lives here.

pub mod fields;
pub mod state;

use leptos::prelude::*;

use crate::engine::money::format_usd;
use state::ScenarioState;

/// Mounts the app on `<body>`. Called from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The whole calculator.
#[component]
pub fn App() -> impl IntoView {
    let state = ScenarioState::new(state::initial_scenario());
    provide_context(state);
    let breakdown = state.breakdown;
    view! {
        <header class="app-header">
            <h1>"Power Platform pay-as-you-go cost calculator"</h1>
        </header>
        <main>
            <p class="total">
                "Billed this month: "
                <strong data-testid="total-billed">
                    {move || match breakdown.get() {
                        Ok(b) => format_usd(b.total_billed),
                        Err(e) => e.to_string(),
                    }}
                </strong>
            </p>
        </main>
    }
}
