//! The scenario menu of the app bar (a `<details id="scenario-menu">` in
//! [`super::scenario_bar`]): what its actions do to it afterwards.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;

/// Closes the scenario menu after an action that opened another scenario, and gives focus to
/// that scenario's name: keyboard and screen-reader users land on what the action opened.
pub fn close_to_name() {
    if let Some(menu) = menu() {
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

fn menu() -> Option<web_sys::HtmlDetailsElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id("scenario-menu")?
        .dyn_into::<web_sys::HtmlDetailsElement>()
        .ok()
}

/// The window's keydown, pointerdown and focusin, while the menu is open: Escape closes it
/// and gives focus back to its button; a pointer or focus outside it closes it, as any
/// drop-down menu does.
pub fn on_window_event(ev: web_sys::Event) {
    let Some(menu) = menu().filter(web_sys::HtmlDetailsElement::open) else {
        return;
    };
    if ev.type_() == "keydown" {
        let escape = ev
            .dyn_ref::<web_sys::KeyboardEvent>()
            .is_some_and(|k| k.key() == "Escape");
        if !escape {
            return;
        }
        ev.prevent_default();
        menu.set_open(false);
        if let Some(summary) = menu
            .first_element_child()
            .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = summary.focus();
        }
        return;
    }
    let inside = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        .is_some_and(|t| menu.contains(Some(&t)));
    if !inside {
        menu.set_open(false);
    }
}
