//! The scenario menu of the app bar (a `<details id="scenario-menu">` in
//! [`super::scenario_bar`]): what its actions do to it afterwards.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;

/// Closes the scenario menu after an action that opened another scenario, and gives focus to
/// that scenario's name: keyboard and screen-reader users land on what the action opened.
pub fn close_to_name() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(menu) = document
        .get_element_by_id("scenario-menu")
        .and_then(|m| m.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    {
        menu.set_open(false);
    }
    // The name field is rebuilt for the opened scenario once the update has run.
    Timeout::new(0, || {
        if let Some(name) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("scenario-name"))
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = name.focus();
        }
    })
    .forget();
}
