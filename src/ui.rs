//! The browser app: a thin Leptos layer over [`crate::engine`].
//!
//! One `RwSignal<Scenario>` (in [`state::ScenarioState`]) holds everything the user entered;
//! one `Memo` prices it. Components only read the breakdown and write the scenario; no
//! billing rule lives here.

pub mod advisor;
pub mod breakdown;
pub mod chart;
pub mod chunks;
pub mod compare;
pub mod download;
pub mod environment;
pub mod fields;
pub mod forms;
pub mod import_panel;
pub mod menu;
pub mod persistence;
pub mod print_summary;
pub mod scenario_bar;
pub mod settings;
pub mod show_more;
pub mod state;
pub mod storage;
pub mod transfer;

use leptos::prelude::*;

use breakdown::BreakdownPanel;
use environment::Environments;
use scenario_bar::ScenarioBar;
use settings::{PriceEditor, ScenarioSettings};
use state::ScenarioState;

/// Mounts the app on `<body>`. Called from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    // The static first paint (index.html's #boot: the same header, and a loading note) gives way
    // to the app in the same frame.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
    register_service_worker();
}

/// Registers `sw.js` (written by the build) so the app works offline after one visit.
/// Browsers without service workers, or pages not in a secure context, simply skip it.
fn register_service_worker() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // `navigator.serviceWorker` is undefined outside secure contexts; calling into it would throw.
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let Ok(container) = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
    else {
        return;
    };
    let Ok(container) = container.dyn_into::<web_sys::ServiceWorkerContainer>() else {
        return;
    };
    let on_error = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {
        web_sys::console::warn_1(&JsValue::from_str(
            "power-payg: the offline cache could not be installed",
        ));
    });
    let _ = container.register("./sw.js").catch(&on_error);
    // The closure must outlive the promise; it runs at most once, so leaking it is bounded.
    on_error.forget();
}

/// The whole calculator: inputs on the left, the breakdown always in view on the right (below
/// on narrow screens).
#[component]
pub fn App() -> impl IntoView {
    let (scenario, notice) = persistence::startup_scenario();
    let state = ScenarioState::new(scenario);
    state.notice.set(notice);
    provide_context(state);
    persistence::install(state);
    let advisor_open = RwSignal::new(false);
    view! {
        <a class="skip-link" href="#breakdown-title">"Skip to the cost breakdown"</a>
        <header class="app-header">
            <ScenarioBar />
        </header>
        <import_panel::UsageImportHost />
        <div class="layout">
            <main class="inputs">
                // Fields keep what the user typed (even when invalid), so they read the scenario
                // once; a replaced scenario (example, import, link) rebuilds them.
                {move || {
                    state.revision.track();
                    view! { <ScenarioSettings /> }
                }}
                <Environments />
                <print_summary::PrintSummary />
                {move || {
                    state.revision.track();
                    view! {
                        <forms::embed::EmbedForm />
                        <PriceEditor />
                        <advisor::AdvisorPanel open=advisor_open />
                    }
                }}
                <compare::ComparePanel />
            </main>
            <BreakdownPanel />
        </div>
        <breakdown::TotalBar />
    }
}
