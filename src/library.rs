//! The scenarios saved in this browser, and the app bar's rules for them: save as, save,
//! open, rename, duplicate, delete (with its confirmation), free names, and the messages each
//! failure gives.
//!
//! Plain Rust over a [`Store`] (a key/value text store: the browser's `localStorage` in the
//! app, a map in the tests), so every rule is tested natively; `ui::storage` only adapts
//! `web_sys::Storage` to [`Store`] and `ui::scenario_bar` only wires these to buttons.

use std::collections::BTreeMap;

use crate::cards::Remembered;
use crate::engine::Scenario;
use crate::engine::decode::{decode_scenario, encode_scenario, problem_count};

/// Where the saved scenarios are kept: name → scenario JSON text, as one JSON object.
pub const SAVED_KEY: &str = "power-payg/v1/saved";
/// A damaged saved list is moved aside under this prefix and a number, never deleted.
pub const DAMAGED_SAVED_KEY: &str = "power-payg/v1/saved-damaged";
/// Which cards are open, per scenario ([`Remembered`]).
pub const OPEN_CARDS_KEY: &str = "power-payg/v1/open-cards";

/// Text longer than this cannot be kept in any browser's local storage (about 5 MB per site,
/// counted in UTF-16 code units): saving it fails because of its size, not a full storage.
pub const STORAGE_QUOTA_CHARS: usize = 5_000_000;

/// Shown when the browser's storage cannot be reached at all.
pub const UNAVAILABLE: &str = "this browser does not let this page keep data (site data \
    blocked, or a private window?): scenarios cannot be kept in this browser, but the open one \
    keeps working";

/// A store refused a read or a write (blocked, disabled, full): what to say depends on what was
/// being done, so the caller words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

/// A key/value text store with the failures a browser's storage has.
pub trait Store {
    /// The text under `key`; `Err` when the store cannot be read (disabled storage).
    fn get(&self, key: &str) -> Result<Option<String>, Refused>;
    /// Writes `value` under `key`; `Err` when the store refuses (full, disabled).
    fn set(&mut self, key: &str, value: &str) -> Result<(), Refused>;
    /// Removes `key`; `Err` when the store refuses.
    fn remove(&mut self, key: &str) -> Result<(), Refused>;
}

/// A store in memory: the tests' stand-in for `localStorage`, which can be made to refuse
/// writes.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    /// What is stored.
    pub items: BTreeMap<String, String>,
    /// Every write and removal fails while this is set (a full or read-only storage).
    pub refuse_writes: bool,
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, Refused> {
        Ok(self.items.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), Refused> {
        if self.refuse_writes {
            return Err(Refused);
        }
        self.items.insert(key.to_string(), value.to_string());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), Refused> {
        if self.refuse_writes {
            return Err(Refused);
        }
        self.items.remove(key);
        Ok(())
    }
}

/// Why a write of `text` failed: the scenario is too large for any browser's storage, or the
/// storage is full (other saved scenarios), or refused.
pub fn write_failure(text: &str, what: &str) -> String {
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

/// The saved map as stored: name → scenario JSON text.
pub fn saved_texts(store: &impl Store) -> Result<BTreeMap<String, String>, String> {
    match store.get(SAVED_KEY) {
        Ok(None) => Ok(BTreeMap::new()),
        Ok(Some(text)) => serde_json::from_str::<BTreeMap<String, String>>(&text).map_err(|_| {
            "the list of saved scenarios in this browser is damaged (saving a scenario moves \
             it aside and starts a new list)"
                .to_string()
        }),
        Err(Refused) => Err("this browser's storage is disabled (private mode?)".to_string()),
    }
}

/// The saved map for a change: a damaged list is moved aside (under a numbered key, never
/// deleted) and a new one started, so that one damaged entry does not make every later save
/// fail.
fn saved_map_for_change(store: &mut impl Store) -> Result<BTreeMap<String, String>, String> {
    let Ok(Some(text)) = store.get(SAVED_KEY) else {
        return saved_texts(store);
    };
    if let Ok(map) = serde_json::from_str::<BTreeMap<String, String>>(&text) {
        return Ok(map);
    }
    let aside = (1..1000)
        .map(|n| format!("{DAMAGED_SAVED_KEY}-{n}"))
        .find(|k| matches!(store.get(k), Ok(None)))
        .ok_or_else(|| {
            "the list of saved scenarios is damaged and could not be moved aside".to_string()
        })?;
    store.set(&aside, &text).map_err(|Refused| {
        write_failure(&text, "moving the damaged list of saved scenarios aside")
    })?;
    Ok(BTreeMap::new())
}

fn write_saved_map(store: &mut impl Store, map: &BTreeMap<String, String>) -> Result<(), String> {
    let text = serde_json::to_string(map).map_err(|e| e.to_string())?;
    store
        .set(SAVED_KEY, &text)
        .map_err(|Refused| write_failure(&text, "saving"))
}

/// Names of the saved scenarios, in name order.
pub fn list_saved(store: &impl Store) -> Result<Vec<String>, String> {
    saved_texts(store).map(|m| m.into_keys().collect())
}

/// A saved scenario by name.
pub fn load_saved(store: &impl Store, name: &str) -> Result<Scenario, String> {
    let map = saved_texts(store)?;
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
pub fn save_named(store: &mut impl Store, name: &str, scenario: &Scenario) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("give the scenario a name to save it".to_string());
    }
    let mut map = saved_map_for_change(store)?;
    map.insert(name.to_string(), encode_scenario(scenario));
    write_saved_map(store, &map)
}

/// Renames a saved scenario; refuses to overwrite another one. The open cards remembered for
/// it follow.
pub fn rename_saved(store: &mut impl Store, from: &str, to: &str) -> Result<(), String> {
    let to = to.trim();
    if to.is_empty() {
        return Err("the new name is empty".to_string());
    }
    let mut map = saved_map_for_change(store)?;
    if map.contains_key(to) {
        return Err(format!("a scenario named “{to}” is already saved"));
    }
    let text = map
        .remove(from)
        .ok_or_else(|| format!("no scenario named “{from}” is saved"))?;
    map.insert(to.to_string(), text);
    write_saved_map(store, &map)?;
    let mut open = open_cards(store);
    open.rename(from, to);
    write_open_cards(store, &open);
    Ok(())
}

/// Deletes a saved scenario, and the open cards remembered for it.
pub fn delete_saved(store: &mut impl Store, name: &str) -> Result<(), String> {
    let mut map = saved_map_for_change(store)?;
    map.remove(name);
    write_saved_map(store, &map)?;
    let mut open = open_cards(store);
    open.forget(name);
    write_open_cards(store, &open);
    Ok(())
}

/// Saves a copy of the saved scenario `from` under a free name (`from (copy)`, then
/// `from (copy) (2)` …), and returns that name.
pub fn duplicate_saved(store: &mut impl Store, from: &str) -> Result<String, String> {
    let map = saved_texts(store)?;
    let text = map
        .get(from)
        .ok_or_else(|| format!("no scenario named “{from}” is saved"))?
        .clone();
    let name = free_name(store, &format!("{from} (copy)"));
    let mut map = saved_map_for_change(store)?;
    map.insert(name.clone(), text);
    write_saved_map(store, &map)?;
    Ok(name)
}

/// A name not yet used by a saved scenario: `base`, `base (2)`, `base (3)` …
pub fn free_name(store: &impl Store, base: &str) -> String {
    let taken = saved_texts(store).unwrap_or_default();
    if !taken.contains_key(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base} ({n})"))
        .find(|n| !taken.contains_key(n))
        .unwrap_or_else(|| base.to_string())
}

/// The name "Save in this browser" (offered by a notice) saves the open scenario under: its
/// own name, or "Untitled scenario", made free.
pub fn name_to_save_under(store: &impl Store, scenario_name: &str) -> String {
    let base = scenario_name.trim();
    let base = if base.is_empty() {
        "Untitled scenario"
    } else {
        base
    };
    free_name(store, base)
}

/// Checks the name typed into "Save as": not empty, and not another saved scenario's
/// (saving again under the open scenario's own saved name is allowed). Returns the trimmed
/// name to save under, or the message to show.
pub fn check_save_as(
    typed: &str,
    saved: &[String],
    saved_as: Option<&str>,
) -> Result<String, String> {
    let name = typed.trim();
    if name.is_empty() {
        return Err("Type a name to save the scenario under.".to_string());
    }
    if saved.iter().any(|n| n == name) && saved_as != Some(name) {
        return Err(format!(
            "A scenario named “{}” is already saved in this browser; choose another name, \
             or delete that one first.",
            crate::wording::shorten(name)
        ));
    }
    Ok(name.to_string())
}

/// Which of the saved list to select after the list changed: the one just acted on if it is
/// there, else the one selected before if it still is, else the first.
pub fn selection_after(names: &[String], prefer: Option<&str>, kept: &str) -> String {
    prefer
        .filter(|p| names.iter().any(|n| n == p))
        .or_else(|| names.iter().find(|n| *n == kept).map(String::as_str))
        .or_else(|| names.first().map(String::as_str))
        .unwrap_or_default()
        .to_string()
}

/// Delete asks once: the first click names what would be deleted, a second click on the same
/// selection deletes it. Choosing another scenario or any other action starts again.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeleteConfirmation {
    asked: Option<String>,
}

impl DeleteConfirmation {
    /// A click on Delete with `selected` chosen: true when it is the confirming click.
    pub fn click(&mut self, selected: &str) -> bool {
        if self.asked.as_deref() == Some(selected) {
            self.asked = None;
            true
        } else {
            self.asked = Some(selected.to_string());
            false
        }
    }
    /// Another action, or another selection: the question is withdrawn.
    pub fn reset(&mut self) {
        self.asked = None;
    }
    /// Whether the button now asks to confirm the deletion of `selected`.
    pub fn asking(&self, selected: &str) -> bool {
        self.asked.as_deref() == Some(selected)
    }
}

/// Which cards were open in the scenarios this browser saw last (nothing when storage is
/// blocked or the entry is damaged: open cards are a convenience).
pub fn open_cards(store: &impl Store) -> Remembered {
    store
        .get(OPEN_CARDS_KEY)
        .ok()
        .flatten()
        .map(|t| Remembered::parse(&t))
        .unwrap_or_default()
}

/// Writes which cards are open; a failure is not worth telling (the scenario itself is what
/// must be kept, and its own writes report storage problems).
pub fn write_open_cards(store: &mut impl Store, open: &Remembered) {
    let _ = store.set(OPEN_CARDS_KEY, &open.to_text());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::examples;

    fn example(name: &str) -> Scenario {
        examples::scenario(name).expect("a built-in example")
    }

    #[test]
    fn save_open_rename_duplicate_delete() {
        let mut store = MemoryStore::default();
        let apps = example("doc-apps-month1");
        save_named(&mut store, "  Budget  ", &apps).unwrap();
        assert_eq!(list_saved(&store).unwrap(), ["Budget"]);
        assert_eq!(load_saved(&store, "Budget").unwrap(), apps);

        rename_saved(&mut store, "Budget", "Budget 2027").unwrap();
        assert_eq!(list_saved(&store).unwrap(), ["Budget 2027"]);

        assert_eq!(
            duplicate_saved(&mut store, "Budget 2027").unwrap(),
            "Budget 2027 (copy)"
        );
        assert_eq!(
            duplicate_saved(&mut store, "Budget 2027").unwrap(),
            "Budget 2027 (copy) (2)"
        );
        assert_eq!(load_saved(&store, "Budget 2027 (copy) (2)").unwrap(), apps);

        delete_saved(&mut store, "Budget 2027").unwrap();
        assert_eq!(
            list_saved(&store).unwrap(),
            ["Budget 2027 (copy)", "Budget 2027 (copy) (2)"]
        );
    }

    #[test]
    fn rename_refuses_to_overwrite_and_empty_names() {
        let mut store = MemoryStore::default();
        let s = example("doc-apps-month1");
        save_named(&mut store, "A", &s).unwrap();
        save_named(&mut store, "B", &s).unwrap();
        assert_eq!(
            rename_saved(&mut store, "A", "B").unwrap_err(),
            "a scenario named “B” is already saved"
        );
        assert_eq!(
            rename_saved(&mut store, "A", "  ").unwrap_err(),
            "the new name is empty"
        );
        assert!(rename_saved(&mut store, "missing", "C").is_err());
        assert!(save_named(&mut store, " ", &s).is_err());
        assert_eq!(list_saved(&store).unwrap(), ["A", "B"]);
    }

    #[test]
    fn a_damaged_list_is_moved_aside_never_lost() {
        let mut store = MemoryStore::default();
        store.items.insert(SAVED_KEY.into(), "{not json".into());
        assert!(list_saved(&store).unwrap_err().contains("damaged"));
        save_named(&mut store, "New", &example("doc-apps-month1")).unwrap();
        assert_eq!(list_saved(&store).unwrap(), ["New"]);
        assert_eq!(
            store.items.get(&format!("{DAMAGED_SAVED_KEY}-1")).unwrap(),
            "{not json"
        );
    }

    #[test]
    fn a_refused_write_says_why_and_changes_nothing() {
        let mut store = MemoryStore::default();
        let s = example("doc-apps-month1");
        save_named(&mut store, "A", &s).unwrap();
        store.refuse_writes = true;
        let e = save_named(&mut store, "B", &s).unwrap_err();
        assert!(
            e.starts_with("saving failed: this browser's storage is full"),
            "{e}"
        );
        assert!(delete_saved(&mut store, "A").is_err());
        assert_eq!(list_saved(&store).unwrap(), ["A"]);
        // Too big for any browser: the size is named instead of a full storage.
        let big = "x".repeat(STORAGE_QUOTA_CHARS / 2 + 50_000);
        assert_eq!(
            write_failure(&big, "saving"),
            "saving failed: this scenario (2.5 MB) is larger than a browser keeps for one page \
             (about 5 MB), so it cannot be kept in this browser; export it as a file to keep it"
        );
    }

    #[test]
    fn open_cards_follow_renames_and_deletes() {
        let mut store = MemoryStore::default();
        let s = example("doc-apps-month1");
        save_named(&mut store, "A", &s).unwrap();
        let mut cards = crate::cards::OpenCards::new();
        cards.insert("env-0".to_string(), true);
        let mut open = Remembered::default();
        open.set("A", &cards);
        write_open_cards(&mut store, &open);
        rename_saved(&mut store, "A", "B").unwrap();
        assert_eq!(open_cards(&store).get("B"), Some(&cards));
        assert_eq!(open_cards(&store).get("A"), None);
        delete_saved(&mut store, "B").unwrap();
        assert_eq!(open_cards(&store).get("B"), None);
    }

    #[test]
    fn save_as_checks_the_name() {
        let saved = vec!["Budget".to_string(), "Plan".to_string()];
        assert_eq!(check_save_as("  Q3 ", &saved, None).unwrap(), "Q3");
        assert_eq!(
            check_save_as(" ", &saved, None).unwrap_err(),
            "Type a name to save the scenario under."
        );
        assert!(
            check_save_as("Plan", &saved, Some("Budget"))
                .unwrap_err()
                .starts_with("A scenario named “Plan” is already saved")
        );
        // Saving the open scenario again under its own saved name is allowed.
        assert_eq!(check_save_as("Plan", &saved, Some("Plan")).unwrap(), "Plan");
    }

    #[test]
    fn the_notice_saves_under_the_scenarios_own_free_name() {
        let mut store = MemoryStore::default();
        assert_eq!(name_to_save_under(&store, "  "), "Untitled scenario");
        save_named(&mut store, "Contoso", &example("doc-apps-month1")).unwrap();
        assert_eq!(name_to_save_under(&store, "Contoso"), "Contoso (2)");
    }

    #[test]
    fn the_selection_follows_the_action() {
        let names: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        assert_eq!(selection_after(&names, Some("C"), "A"), "C");
        assert_eq!(selection_after(&names, Some("gone"), "B"), "B");
        assert_eq!(selection_after(&names, None, "gone"), "A");
        assert_eq!(selection_after(&[], None, "A"), "");
    }

    #[test]
    fn delete_asks_once_per_selection() {
        let mut d = DeleteConfirmation::default();
        assert!(!d.click("A"));
        assert!(d.asking("A"));
        assert!(!d.asking("B"));
        // Another selection asks again.
        assert!(!d.click("B"));
        assert!(d.click("B"));
        assert!(!d.asking("B"));
        assert!(!d.click("A"));
        d.reset();
        assert!(!d.click("A"));
    }
}
