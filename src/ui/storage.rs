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
use crate::engine::decode::{decode_scenario, encode_scenario, problem_count};
use crate::session::RecentlyClosed;

const CURRENT_KEY: &str = "power-payg/v1/current";
const SAVED_KEY: &str = "power-payg/v1/saved";
/// The name the autosaved scenario is saved as, so that a reload keeps saving to it.
const SAVED_AS_KEY: &str = "power-payg/v1/current-saved-as";
/// Written and removed once at start-up to learn whether anything can be kept at all.
const PROBE_KEY: &str = "power-payg/v1/probe";
/// The recently closed scenarios ([`crate::session::RecentlyClosed`]).
const RECENT_KEY: &str = "power-payg/v1/recent";
/// Which cards were open, per scenario (`cards::Remembered`).
const OPEN_CARDS_KEY: &str = "power-payg/v1/open-cards";
/// The user's meter mapping for usage imports (a JSON array of rules, as saved to a file).
const MAPPING_KEY: &str = "power-payg/v1/meter-mapping";
/// A saved-scenarios list that could not be read is moved here (numbered), never deleted.
const DAMAGED_SAVED_KEY: &str = "power-payg/v1/saved-damaged";

/// Text longer than this cannot be kept in any browser's local storage (about 5 MB per site,
/// counted in UTF-16 code units): saving it fails because of its size, not a full storage.
const STORAGE_QUOTA_CHARS: usize = 5_000_000;

/// Why a write failed: the scenario is too large for any browser's storage, or the storage is
/// full (other saved scenarios), or refused.
fn write_failure(text: &str, what: &str) -> String {
    if text.len() >= STORAGE_QUOTA_CHARS / 2 {
        // Tenths of a MB in integers: formatting a float would bring float printing into the wasm.
        let tenths = text.len() / 100_000;
        format!(
            "{what} failed: this scenario ({}.{} MB) is larger than a browser keeps for one \
             page (about 5 MB), so it cannot be kept in this browser; export it as a file to \
             keep it",
            tenths / 10,
            tenths % 10
        )
    } else {
        format!(
            "{what} failed: this browser's storage is full or disabled (delete saved \
             scenarios you no longer need, or export this one as a file)"
        )
    }
}

/// Shown when this browser's storage cannot be reached at all.
pub const UNAVAILABLE: &str = "this browser does not let this page keep data (site data \
    blocked, or a private window?): scenarios cannot be kept in this browser, but the open one \
    keeps working";

/// This browser's localStorage, or why it cannot be used. `Window::local_storage` catches the
/// SecurityError that blocked site data throws (gloo's `LocalStorage::raw()` turned it into a
/// panic, and the app into a blank page).
fn local() -> Result<web_sys::Storage, String> {
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(storage))) => Ok(storage),
        _ => Err(UNAVAILABLE.to_string()),
    }
}

/// Whether anything can be kept in this browser: storage is reachable and takes a write.
/// (Some browsers expose a storage whose every write fails.)
pub fn available() -> bool {
    local().is_ok_and(|s| s.set_item(PROBE_KEY, "1").is_ok() && s.remove_item(PROBE_KEY).is_ok())
}

/// The saved map as stored: name → scenario JSON text.
pub fn saved_texts() -> Result<BTreeMap<String, String>, String> {
    read_saved_map()
}

/// Reads the raw saved map: name → scenario JSON text.
fn read_saved_map() -> Result<BTreeMap<String, String>, String> {
    match local()?.get_item(SAVED_KEY) {
        Ok(None) => Ok(BTreeMap::new()),
        Ok(Some(text)) => serde_json::from_str::<BTreeMap<String, String>>(&text).map_err(|_| {
            "the list of saved scenarios in this browser is damaged (saving a scenario moves \
             it aside and starts a new list)"
                .to_string()
        }),
        Err(_) => Err("this browser's storage is disabled (private mode?)".to_string()),
    }
}

/// The saved map for a change: a damaged list is moved aside (under a numbered key, never
/// deleted) and a new one started, so that one damaged entry does not make every later save
/// fail.
fn saved_map_for_change() -> Result<BTreeMap<String, String>, String> {
    let local = local()?;
    let Ok(Some(text)) = local.get_item(SAVED_KEY) else {
        return read_saved_map();
    };
    if let Ok(map) = serde_json::from_str::<BTreeMap<String, String>>(&text) {
        return Ok(map);
    }
    let aside = (1..1000)
        .map(|n| format!("{DAMAGED_SAVED_KEY}-{n}"))
        .find(|k| matches!(local.get_item(k), Ok(None)))
        .ok_or_else(|| {
            "the list of saved scenarios is damaged and could not be moved aside".to_string()
        })?;
    local
        .set_item(&aside, &text)
        .map_err(|_| write_failure(&text, "moving the damaged list of saved scenarios aside"))?;
    Ok(BTreeMap::new())
}

fn write_saved_map(map: &BTreeMap<String, String>) -> Result<(), String> {
    let text = serde_json::to_string(map).map_err(|e| e.to_string())?;
    local()?
        .set_item(SAVED_KEY, &text)
        .map_err(|_| write_failure(&text, "saving"))
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
    read_saved_map().map(|m| m.into_keys().collect())
}

/// A saved scenario by name.
pub fn load_saved(name: &str) -> Result<Scenario, String> {
    let map = read_saved_map()?;
    let text = map
        .get(name)
        .ok_or_else(|| format!("no scenario named “{name}” is saved"))?;
    decode_scenario(text).map_err(|p| {
        format!(
            "the saved scenario “{name}” is damaged ({})",
            problem_count(&p)
        )
    })
}

/// Saves (or replaces) a named scenario.
pub fn save_named(name: &str, scenario: &Scenario) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("give the scenario a name to save it".to_string());
    }
    let mut map = saved_map_for_change()?;
    map.insert(name.to_string(), encode_scenario(scenario));
    write_saved_map(&map)
}

/// Renames a saved scenario; refuses to overwrite another one.
pub fn rename_saved(from: &str, to: &str) -> Result<(), String> {
    let to = to.trim();
    if to.is_empty() {
        return Err("the new name is empty".to_string());
    }
    let mut map = saved_map_for_change()?;
    if map.contains_key(to) {
        return Err(format!("a scenario named “{to}” is already saved"));
    }
    let text = map
        .remove(from)
        .ok_or_else(|| format!("no scenario named “{from}” is saved"))?;
    map.insert(to.to_string(), text);
    write_saved_map(&map)?;
    let mut open = open_cards();
    open.rename(from, to);
    write_open_cards(&open);
    Ok(())
}

/// Deletes a saved scenario.
pub fn delete_saved(name: &str) -> Result<(), String> {
    let mut map = saved_map_for_change()?;
    map.remove(name);
    write_saved_map(&map)?;
    let mut open = open_cards();
    open.forget(name);
    write_open_cards(&open);
    Ok(())
}

/// Which cards were open in the scenarios this browser saw last (nothing when storage is
/// blocked or the entry is damaged: open cards are a convenience).
pub fn open_cards() -> crate::cards::Remembered {
    local()
        .ok()
        .and_then(|l| l.get_item(OPEN_CARDS_KEY).ok().flatten())
        .map(|t| crate::cards::Remembered::parse(&t))
        .unwrap_or_default()
}

/// Writes which cards are open; a failure is not worth telling (the scenario itself is what
/// must be kept, and its own writes report storage problems).
pub fn write_open_cards(open: &crate::cards::Remembered) {
    if let Ok(l) = local() {
        let _ = l.set_item(OPEN_CARDS_KEY, &open.to_text());
    }
}

/// A name not yet used by a saved scenario: `base`, `base (2)`, `base (3)` …
pub fn free_name(base: &str) -> String {
    let taken = read_saved_map().unwrap_or_default();
    if !taken.contains_key(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base} ({n})"))
        .find(|n| !taken.contains_key(n))
        .unwrap_or_else(|| base.to_string())
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
