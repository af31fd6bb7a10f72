//! Where the open scenario comes from when the app starts, and where it goes while the user
//! edits it: the URL fragment (so the address bar always holds a link to it) and this
//! browser's storage (the autosave, and the named scenario it is saved as, if any).
//!
//! - [`startup_scenario`] decides what opens: a link in the URL (`#s=…`, `#example=…`,
//!   `?example=…`), else the autosaved scenario, else the `contoso` example. A bad link or an
//!   unreadable autosave becomes a notice, never a crash; saved scenarios are never touched.
//! - [`install`] keeps the fragment and the autosave up to date (debounced: browsers throttle
//!   the History API) and opens links pasted into the address bar of the open tab.
//!
//! Nothing here reads or writes anything outside this browser.

use std::cell::RefCell;

use gloo::timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::scenario_bar::{example_text, sentence, shorten};
use super::state::{Notice, NoticeKind, ScenarioState};
use super::storage;
use crate::engine::{Scenario, examples};
use crate::share::{self, LinkTarget};

/// How long edits settle before the URL and the autosave are written.
const DEBOUNCE_MS: u32 = 300;

/// The example that opens when there is nothing else.
const FALLBACK_EXAMPLE: &str = "contoso";

/// The notice for a scenario opened from a link.
pub const SHARED_LINK_TEXT: &str =
    "Opened from a shared link; it is not saved in this browser yet.";

/// One pending write of the open scenario, and where it is saved. The scenario itself is read
/// when the write happens: copying it on every keystroke (and dropping the previous copy) was
/// a tenth of an edit's time in a large scenario. Replacing the scenario writes the pending
/// edit first ([`flush_before_replace`]), so the open scenario is always the one to write.
struct Work {
    saved_as: Option<String>,
}

/// The module's single-threaded state (wasm has one thread).
#[derive(Default)]
struct Slot {
    state: Option<ScenarioState>,
    /// The latest edit not yet written.
    work: Option<Work>,
    /// The debounce timer; replacing (dropping) it cancels the pending one.
    timer: Option<Timeout>,
    /// The fragment (without `#`) last written or opened, so our own writes are not reopened.
    last_fragment: String,
    /// The last write failed: report a failure once, not on every keystroke.
    failing: bool,
    /// The startup scenario is the autosave: restore the name it is saved as.
    opened_autosave: bool,
    /// This browser keeps nothing; the user was told once at start-up.
    storage_blocked: bool,
}

thread_local! {
    static SLOT: RefCell<Slot> = RefCell::new(Slot::default());
}

/// What the app opens on, and the notice to show with it.
///
/// Order: a scenario link in the URL (opened as unsaved, unless it is the autosave itself,
/// as after a reload), an example link, the autosaved scenario, the `contoso` example.
///
/// A browser that keeps nothing (site data blocked, some private windows) is told so once,
/// here: the app works fully without storage, and later autosave failures stay quiet.
pub fn startup_scenario() -> (Scenario, Option<Notice>) {
    let (scenario, notice) = startup_from_location();
    if storage::available() {
        return (scenario, notice);
    }
    SLOT.with(|s| s.borrow_mut().storage_blocked = true);
    let blocked = format!("{} {NOTHING_KEPT}", sentence(storage::UNAVAILABLE));
    let notice = match notice {
        Some(mut n) => {
            n.text = format!("{} {blocked}", n.text);
            n
        }
        None => Notice {
            kind: NoticeKind::Info,
            text: blocked,
            offer_save: false,
        },
    };
    (scenario, Some(notice))
}

/// Whether this browser keeps nothing (known since start-up).
pub fn storage_blocked() -> bool {
    SLOT.with(|s| s.borrow().storage_blocked)
}

/// What a browser that keeps nothing is told to do instead.
const NOTHING_KEPT: &str = "Nothing you enter will be kept after this tab closes: copy the \
    link or export the scenario as a file to keep it.";

fn startup_from_location() -> (Scenario, Option<Notice>) {
    let (hash, search) = location_parts();
    let target = match share::decode_link(&hash) {
        Ok(LinkTarget::Nothing) => share::decode_link(&search),
        other => other,
    };
    match target {
        Ok(LinkTarget::Scenario(linked)) => {
            // A reload keeps the fragment we wrote: it is the autosave, not a new link.
            if let Ok(Some(current)) = storage::load_current()
                && current == *linked
            {
                mark_opened_autosave();
                return (current, None);
            }
            (*linked, Some(info(SHARED_LINK_TEXT.to_string())))
        }
        Ok(LinkTarget::Example(raw)) => {
            let name = decode_component(&raw);
            match examples::scenario(&name) {
                Some(s) => (s, Some(info(example_text(&name)))),
                None => fallback(Some(format!(
                    "There is no built-in example named “{}”.",
                    shorten(&name)
                ))),
            }
        }
        Ok(LinkTarget::Nothing) => fallback(None),
        Err(e) => fallback(Some(sentence(&e.to_string()))),
    }
}

/// The autosave, else the example; `problem` (a bad link) is explained in the notice.
fn fallback(problem: Option<String>) -> (Scenario, Option<Notice>) {
    let mut texts = Vec::new();
    let (scenario, instead, storage_problem) = match storage::load_current() {
        Ok(Some(s)) => {
            mark_opened_autosave();
            (
                s,
                "The scenario you last worked on opened instead".to_string(),
                None,
            )
        }
        Ok(None) => (
            example(),
            format!("The example “{FALLBACK_EXAMPLE}” opened instead"),
            None,
        ),
        // Storage that cannot be reached at all is told once by `startup_scenario`.
        Err(m) => (
            example(),
            format!("The example “{FALLBACK_EXAMPLE}” opened instead"),
            (m != storage::UNAVAILABLE).then_some(m),
        ),
    };
    if let Some(p) = problem {
        texts.push(format!(
            "{p} {instead}; your saved scenarios are untouched."
        ));
    }
    if let Some(m) = storage_problem {
        texts.push(sentence(&m));
    }
    let notice = (!texts.is_empty()).then(|| Notice {
        kind: NoticeKind::Error,
        text: texts.join(" "),
        offer_save: false,
    });
    (scenario, notice)
}

fn example() -> Scenario {
    examples::scenario(FALLBACK_EXAMPLE).unwrap_or_else(Scenario::new_empty)
}

fn info(text: String) -> Notice {
    Notice {
        kind: NoticeKind::Info,
        text,
        offer_save: true,
    }
}

fn mark_opened_autosave() {
    SLOT.with(|s| s.borrow_mut().opened_autosave = true);
}

/// Keeps the URL fragment and the autosave in step with the scenario, and opens links pasted
/// into the address bar. Call once, right after the state exists (inside the root component).
pub fn install(state: ScenarioState) {
    let restore = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        s.state = Some(state);
        s.last_fragment = location_parts().0.trim_start_matches('#').to_string();
        s.opened_autosave
    });
    if restore {
        restore_saved_as(state);
    }

    Effect::new(move |previous: Option<()>| {
        state.scenario.track();
        let saved_as = state.saved_as.get();
        // The first run is the scenario the app opened on: nothing changed yet. Writing now
        // would replace the autosave with a link the user only looked at.
        if previous.is_some() {
            schedule(Work { saved_as });
        }
    });

    // Another link pasted into the address bar of this tab. Our own replaceState does not
    // fire this event; the comparison guards anyway.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| open_from_hash(state));
    // Leaving the page: write the last edit now rather than losing it with the timer.
    let _ = window_event_listener_untyped("pagehide", move |_| flush());
}

/// Queues a write; a change of where the scenario is saved writes the previous one first.
fn schedule(work: Work) {
    let target = work.saved_as.clone();
    let superseded = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        let superseded = s.work.replace(work);
        // Dropping the previous timer cancels it.
        s.timer = Some(Timeout::new(DEBOUNCE_MS, flush));
        superseded
    });
    // The open scenario was saved as another name (save as) within the debounce delay: its
    // last edits still belong to that name too. Not if it was just renamed or deleted.
    if let Some(old) = superseded
        && let Some(name) = old.saved_as
        && Some(&name) != target.as_ref()
        && let Some(state) = SLOT.with(|s| s.borrow().state)
    {
        let result = state
            .scenario
            .with_untracked(|scenario| save_named_if_kept(&name, scenario));
        report(result);
    }
}

/// Called just before another scenario replaces the open one (an example, a saved scenario,
/// a link, a file): if the open one is saved under a name and has an edit waiting for the
/// timer, that edit still belongs to it. The link and the autosave are left to the new
/// scenario's own write, which follows at once.
pub fn flush_before_replace() {
    let (work, state) = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        (s.work.take(), s.state)
    });
    if let (
        Some(Work {
            saved_as: Some(name),
        }),
        Some(state),
    ) = (work, state)
    {
        let result = state
            .scenario
            .with_untracked(|scenario| save_named_if_kept(&name, scenario));
        report(result);
    }
}

/// Writes the pending edit now, if there is one.
fn flush() {
    let (work, state) = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        (s.work.take(), s.state)
    });
    let (Some(work), Some(state)) = (work, state) else {
        return;
    };
    let result = state.scenario.with_untracked(|scenario| {
        write_fragment(&share::encode_fragment(scenario));
        storage::save_current(scenario)
            .and_then(|()| storage::remember_saved_as(work.saved_as.as_deref()))
            .and_then(|()| match &work.saved_as {
                Some(name) => save_named_if_kept(name, scenario),
                None => Ok(()),
            })
    });
    report(result);
}

/// Saves under `name` unless that entry was renamed or deleted meanwhile.
fn save_named_if_kept(name: &str, scenario: &Scenario) -> Result<(), String> {
    if storage::list_saved()?.iter().any(|n| n == name) {
        storage::save_named(name, scenario)
    } else {
        Ok(())
    }
}

/// Shows a storage failure once per run of failures; the app keeps working. Not at all in a
/// browser that keeps nothing: that was said once at start-up.
fn report(result: Result<(), String>) {
    let (first_failure, state) = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        let first = result.is_err() && !s.failing && !s.storage_blocked;
        s.failing = result.is_err();
        (first, s.state)
    });
    if let (Err(m), true, Some(state)) = (result, first_failure, state) {
        state.error(sentence(&m));
    }
}

/// Replaces the address bar's fragment; never adds a history entry.
fn write_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    // An `?example=` query has done its job once the scenario is edited: drop it, so the
    // address is one link, not an example plus a scenario.
    let url = match location.search() {
        Ok(q) if q.contains("example=") => {
            format!("{}#{fragment}", location.pathname().unwrap_or_default())
        }
        _ => format!("#{fragment}"),
    };
    let Ok(history) = window.history() else {
        return;
    };
    // Throttled or refused (some browsers throw after many calls): the next edit retries.
    if history
        .replace_state_with_url(&JsValue::NULL, "", Some(&url))
        .is_ok()
    {
        SLOT.with(|s| s.borrow_mut().last_fragment = fragment.to_string());
    }
}

/// Opens a link pasted into the address bar of the open tab, as an unsaved scenario.
fn open_from_hash(state: ScenarioState) {
    let hash = location_parts().0.trim_start_matches('#').to_string();
    let seen = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        let seen = s.last_fragment == hash;
        s.last_fragment.clone_from(&hash);
        seen
    });
    if seen {
        return;
    }
    match share::decode_link(&hash) {
        Ok(LinkTarget::Scenario(linked)) => {
            if !state.scenario.with_untracked(|s| *s == *linked) {
                state.open_unsaved(*linked, SHARED_LINK_TEXT.to_string());
            }
        }
        Ok(LinkTarget::Example(raw)) => {
            let name = decode_component(&raw);
            match examples::scenario(&name) {
                Some(s) => state.open_unsaved(s, example_text(&name)),
                None => state.error(format!(
                    "There is no built-in example named “{}”; the open scenario is unchanged.",
                    shorten(&name)
                )),
            }
        }
        // The fragment was cleared or is not ours: keep what is open.
        Ok(LinkTarget::Nothing) => {}
        Err(e) => state.error(format!(
            "{} The open scenario is unchanged; your saved scenarios are untouched.",
            sentence(&e.to_string())
        )),
    }
}

/// After a reload: the autosave is still saved as the name it had, if that entry matches.
fn restore_saved_as(state: ScenarioState) {
    let Some(name) = storage::saved_as() else {
        return;
    };
    if let Ok(saved) = storage::load_saved(&name)
        && state.scenario.with_untracked(|s| *s == saved)
    {
        state.saved_as.set(Some(name));
    }
}

/// The URL's fragment and query, each with its leading `#` / `?` (empty when absent).
fn location_parts() -> (String, String) {
    let Some(window) = web_sys::window() else {
        return (String::new(), String::new());
    };
    let location = window.location();
    (
        location.hash().unwrap_or_default(),
        location.search().unwrap_or_default(),
    )
}

/// Percent-decodes an example name (`%20` and the like); the raw text if it is not valid.
fn decode_component(raw: &str) -> String {
    js_sys::decode_uri_component(raw)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| raw.to_string())
}
