//! Scenarios kept in this browser (localStorage): the autosaved current scenario and named
//! scenarios. Nothing here ever leaves the browser.
//!
//! Every function returns a `Result` with a message for people: storage can be blocked,
//! full, or hold data written by another version. Corrupt entries are skipped when listing
//! and never deleted behind the user's back. No function here can panic, whatever the
//! browser does: a panic kills the whole wasm app, and a browser that blocks site data makes
//! the mere read of `window.localStorage` throw.

use std::collections::BTreeMap;

use crate::engine::Scenario;
use crate::engine::decode::{decode_scenario, problem_count};
use crate::library::{self, Refused, Store, write_failure};
use crate::session::RecentlyClosed;

pub use crate::library::UNAVAILABLE;

const CURRENT_KEY: &str = "power-payg/v1/current";
/// The name the autosaved scenario is saved as, so that a reload keeps saving to it.
const SAVED_AS_KEY: &str = "power-payg/v1/current-saved-as";
/// Written and removed once at start-up to learn whether anything can be kept at all.
const PROBE_KEY: &str = "power-payg/v1/probe";
/// The recently closed scenarios ([`crate::session::RecentlyClosed`]).
const RECENT_KEY: &str = "power-payg/v1/recent";
/// The user's meter mapping for usage imports (a JSON array of rules, as saved to a file).
const MAPPING_KEY: &str = "power-payg/v1/meter-mapping";

/// This browser's localStorage, or why it cannot be used. `Window::local_storage` catches the
/// SecurityError that blocked site data throws (gloo's `LocalStorage::raw()` turned it into a
/// panic, and the app into a blank page).
fn local() -> Result<web_sys::Storage, String> {
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(storage))) => Ok(storage),
        _ => Err(UNAVAILABLE.to_string()),
    }
}

/// `localStorage` as the library's [`Store`]: the saved scenarios' rules live in
/// [`crate::library`], plain Rust tested natively.
struct LocalStore(web_sys::Storage);

impl Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, Refused> {
        self.0.get_item(key).map_err(|_| Refused)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), Refused> {
        self.0.set_item(key, value).map_err(|_| Refused)
    }
    fn remove(&mut self, key: &str) -> Result<(), Refused> {
        self.0.remove_item(key).map_err(|_| Refused)
    }
}

fn store() -> Result<LocalStore, String> {
    local().map(LocalStore)
}

/// Whether anything can be kept in this browser: storage is reachable and takes a write.
/// (Some browsers expose a storage whose every write fails.)
pub fn available() -> bool {
    local().is_ok_and(|s| s.set_item(PROBE_KEY, "1").is_ok() && s.remove_item(PROBE_KEY).is_ok())
}

/// The saved map as stored: name → scenario JSON text.
pub fn saved_texts() -> Result<BTreeMap<String, String>, String> {
    library::saved_texts(&store()?)
}

/// Autosaves the current scenario as `text` (its encoding).
pub fn save_current_text(text: &str) -> Result<(), String> {
    local()?.set_item(CURRENT_KEY, text).map_err(|_| {
        format!(
            "{}. Your scenario stays open here",
            write_failure(text, "autosave")
        )
    })
}

/// The autosave as stored, whatever it holds.
pub fn current_text() -> Result<Option<String>, String> {
    local()?
        .get_item(CURRENT_KEY)
        .map_err(|_| UNAVAILABLE.to_string())
}

/// The autosaved scenario, if any. `Err` when one is stored but cannot be read.
pub fn load_current() -> Result<Option<Scenario>, String> {
    let text = match local()?.get_item(CURRENT_KEY) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(None),
        Err(_) => return Err("this browser's storage is disabled (private mode?)".to_string()),
    };
    decode_scenario(&text).map(Some).map_err(|problems| {
        format!(
            "the autosaved scenario could not be read ({}); the example opened instead. The \
             autosave is not lost: your first change moves it to Recently closed",
            problem_count(&problems)
        )
    })
}

/// Names of the saved scenarios, in name order.
pub fn list_saved() -> Result<Vec<String>, String> {
    library::list_saved(&store()?)
}

/// A saved scenario by name.
pub fn load_saved(name: &str) -> Result<Scenario, String> {
    library::load_saved(&store()?, name)
}

/// Saves (or replaces) a named scenario.
pub fn save_named(name: &str, scenario: &Scenario) -> Result<(), String> {
    library::save_named(&mut store()?, name, scenario)
}

/// Renames a saved scenario; refuses to overwrite another one.
pub fn rename_saved(from: &str, to: &str) -> Result<(), String> {
    library::rename_saved(&mut store()?, from, to)
}

/// Saves a copy of a saved scenario under a free name, and returns the name.
pub fn duplicate_saved(from: &str) -> Result<String, String> {
    library::duplicate_saved(&mut store()?, from)
}

/// Deletes a saved scenario.
pub fn delete_saved(name: &str) -> Result<(), String> {
    library::delete_saved(&mut store()?, name)
}

/// Which cards were open in the scenarios this browser saw last (nothing when storage is
/// blocked).
pub fn open_cards() -> crate::cards::Remembered {
    store().map(|s| library::open_cards(&s)).unwrap_or_default()
}

/// Writes which cards are open (a failure is not worth telling: see the library).
pub fn write_open_cards(open: &crate::cards::Remembered) {
    if let Ok(mut s) = store() {
        library::write_open_cards(&mut s, open);
    }
}

/// The name "Save in this browser" saves the open scenario under.
pub fn name_to_save_under(scenario_name: &str) -> String {
    store()
        .map(|s| library::name_to_save_under(&s, scenario_name))
        .unwrap_or_else(|_| scenario_name.to_string())
}

/// Remembers (or forgets) the name the autosave is saved as.
pub fn remember_saved_as(name: Option<&str>) -> Result<(), String> {
    let local = local()?;
    let written = match name {
        Some(n) => local.set_item(SAVED_AS_KEY, n),
        None => local.remove_item(SAVED_AS_KEY),
    };
    written.map_err(|_| "this browser's storage is full; changes are not being saved".to_string())
}

/// The name the autosave was saved as, if one is remembered.
pub fn saved_as() -> Option<String> {
    local().ok()?.get_item(SAVED_AS_KEY).ok().flatten()
}

/// The recently closed scenarios kept in this browser.
pub fn recent() -> Result<RecentlyClosed, String> {
    Ok(local()?
        .get_item(RECENT_KEY)
        .ok()
        .flatten()
        .map(|t| RecentlyClosed::from_text(&t))
        .unwrap_or_default())
}

/// Writes the recently closed list. When it does not fit (it holds whole scenarios), the
/// oldest entries give way: the newest is the one the user is about to miss.
pub fn write_recent(recent: &RecentlyClosed) -> Result<(), String> {
    let local = local()?;
    let mut recent = recent.clone();
    loop {
        if local.set_item(RECENT_KEY, &recent.to_text()).is_ok() {
            return Ok(());
        }
        if recent.entries.len() <= 1 {
            let text = recent.to_text();
            return Err(write_failure(&text, "keeping the closed scenario"));
        }
        recent.entries.pop();
    }
}

/// The meter mapping kept for usage imports, as its JSON text, if any.
pub fn meter_mapping_text() -> Result<Option<String>, String> {
    local()?
        .get_item(MAPPING_KEY)
        .map_err(|_| UNAVAILABLE.to_string())
}

/// Keeps (or, with `None`, forgets) the meter mapping for usage imports.
pub fn write_meter_mapping_text(text: Option<&str>) -> Result<(), String> {
    let local = local()?;
    let written = match text {
        Some(t) => local.set_item(MAPPING_KEY, t),
        None => local.remove_item(MAPPING_KEY),
    };
    written.map_err(|_| {
        "this browser's storage is full or disabled: the mapping applies to this import \
         only (save it as a file to keep it)"
            .to_string()
    })
}
