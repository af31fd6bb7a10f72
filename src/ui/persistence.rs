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
use std::collections::VecDeque;

use gloo::timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::chunks;
use super::state::{Notice, NoticeKind, ScenarioState};
use super::storage;
use crate::engine::decode::encode_scenario;
use crate::engine::{Scenario, examples};
use crate::session::{self, ClosedScenario, NamedWrite, RecentlyClosed, fingerprint};
use crate::share::{self, LinkTarget};
use crate::wording::{example_text, sentence, shorten};

/// How long edits settle before the URL and the autosave are written.
const DEBOUNCE_MS: u32 = 300;

/// One pending write of the open scenario, and where it is saved. The scenario itself is read
/// when the write happens: copying it on every keystroke (and dropping the previous copy) was
/// a tenth of an edit's time in a large scenario. Replacing the scenario writes the pending
/// edit first ([`flush_before_replace`]), so the open scenario is always the one to write.
struct Work {
    saved_as: Option<String>,
}

/// One write of a link into the address bar: the scenario's file text, what goes before the
/// `#` (empty: the current address), whether it adds a history entry, and whether the older
/// link goes from the address while this one waits for the compressor (see [`next_link`]).
struct LinkJob {
    text: String,
    prefix: String,
    push: bool,
    hide_older: bool,
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
    /// Fingerprint of the open scenario as it was opened (`None`: it holds work whatever its
    /// content, as a scenario reopened from the recently closed list does). Replacing a
    /// scenario that no longer matches it keeps it in the recently closed list.
    opened: Option<u64>,
    /// Fingerprint of the autosave text this tab last wrote or opened (session::autosave_write).
    autosave_known: Option<u64>,
    /// Fingerprint of what this tab last wrote or opened under its saved name.
    saved_known: Option<u64>,
    /// The scenario being replaced came from the address bar (Back, Forward, a pasted link):
    /// the browser made the history entry already.
    from_history: bool,
    /// The next write of the fragment adds a history entry, so that Back returns to the
    /// scenario that was replaced instead of leaving the app.
    push_next: bool,
    /// Link writes waiting for the compressor's chunk, in the order they were asked for
    /// (`write_link`): the old scenario's entry before the next one's.
    links: VecDeque<LinkJob>,
    /// A link write is on its way (the chunk is being fetched); later ones wait in `links`.
    link_busy: bool,
    /// The recently closed list of a browser that keeps nothing (this tab only).
    recent_here: RecentlyClosed,
    /// The app opened a scenario or an example from the query string (`?s=…`, `?example=…`).
    link_in_query: bool,
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
    let (hash, search) = location_parts();
    let target = share::decode_location(&hash, &search).map(|opened| {
        // A link in the query string reaches the server on every load: it moves to the
        // fragment at once (see `install`).
        if opened.from_query {
            SLOT.with(|s| s.borrow_mut().link_in_query = true);
        }
        opened.target
    });
    let available = storage::available();
    let start = crate::startup::choose(
        target.map_err(|e| e.to_string()),
        decode_component,
        storage::load_current,
        available,
    );
    let opened = fingerprint(&encode_scenario(&start.scenario));
    SLOT.with(|s| {
        let mut s = s.borrow_mut();
        s.opened = Some(opened);
        s.storage_blocked = !available;
        // The autosave this tab opened is its own to overwrite; any other is kept first.
        if start.opened_autosave {
            s.opened_autosave = true;
            s.autosave_known = storage::current_text()
                .ok()
                .flatten()
                .map(|t| fingerprint(&t));
        }
    });
    let notice = start.notice.map(|n| Notice {
        kind: if n.error {
            NoticeKind::Error
        } else {
            NoticeKind::Info
        },
        text: n.text,
        offer_save: false,
        undo: None,
    });
    (start.scenario, notice)
}

/// Whether this browser keeps nothing (known since start-up).
pub fn storage_blocked() -> bool {
    SLOT.with(|s| s.borrow().storage_blocked)
}

fn info(text: String) -> Notice {
    Notice {
        kind: NoticeKind::Info,
        text,
        offer_save: true,
        undo: None,
    }
}

/// A notice about a newly opened scenario, saying where the replaced one went, if it was kept.
pub fn with_kept(mut notice: Notice, kept: Option<String>) -> Notice {
    if let Some(name) = kept {
        notice.text = format!(
            "{} Your edits to “{}” are in Recently closed.",
            notice.text,
            shorten(&name)
        );
        notice.undo = Some(name);
    }
    notice
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
        // The cards the user had open in the scenario they come back to.
        let name = state.saved_as.get_untracked().unwrap_or_default();
        if let Some(open) = storage::open_cards().get(&name) {
            state.sections.set(open.clone());
        }
    }
    remember_open_cards(state);
    if SLOT.with(|s| std::mem::take(&mut s.borrow_mut().link_in_query)) {
        move_query_link_to_fragment(state);
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
    // Another tab changed this browser's storage: the saved scenario this tab writes to may
    // have been changed, renamed or deleted there. Tell the user now, not at the next write.
    let _ = window_event_listener_untyped("storage", move |_| {
        state.storage_changed.update(|n| *n = n.wrapping_add(1));
        if let Some(name) = state.saved_as.get_untracked() {
            let check = storage::saved_texts().map(|saved| {
                let known = SLOT.with(|s| s.borrow().saved_known);
                session::named_write(
                    saved.get(&name).map(String::as_str),
                    known,
                    saved.iter().map(|(n, t)| (n.as_str(), t.as_str())),
                )
            });
            if let Ok(outcome) = check
                && outcome != NamedWrite::Write
            {
                state
                    .scenario
                    .with_untracked(|scenario| settle_named(state, &name, scenario, outcome));
            }
        }
    });
}

/// Remembers in this browser which cards are open in each scenario: under its saved name, or
/// `""` for the unsaved scenario being edited (the autosave), which a reload reopens.
fn remember_open_cards(state: ScenarioState) {
    let write = move |name: &str| {
        let mut all = storage::open_cards();
        state.sections.with_untracked(|open| all.set(name, open));
        storage::write_open_cards(&all);
    };
    Effect::new(move |previous: Option<()>| {
        state.sections.track();
        if previous.is_none() {
            return;
        }
        let name = state.saved_as.get_untracked().unwrap_or_default();
        // Empty only when a scenario was replaced (a toggle always adds a key): a saved one
        // keeps what it remembered, and the unsaved one's cards were the replaced scenario's.
        if state.sections.with_untracked(|m| m.is_empty()) {
            if name.is_empty() {
                let mut all = storage::open_cards();
                all.forget("");
                storage::write_open_cards(&all);
            }
            return;
        }
        write(&name);
    });
    // A saved scenario was opened (its cards are reopened as they were), or the open one was
    // saved under a name (its cards go with it).
    Effect::new(move |previous: Option<()>| {
        let Some(name) = state.saved_as.get() else {
            return;
        };
        if previous.is_none() {
            return;
        }
        if state.sections.with_untracked(|m| m.is_empty()) {
            if let Some(open) = storage::open_cards().get(&name) {
                state.sections.set(open.clone());
            }
        } else {
            write(&name);
        }
    });
}

/// Called after this tab saved the open scenario under its name or opened it from there: what
/// storage holds under that name is now this tab's to overwrite.
pub fn note_saved() {
    let Some(state) = SLOT.with(|s| s.borrow().state) else {
        return;
    };
    let known = state.saved_as.get_untracked().and_then(|name| {
        storage::saved_texts()
            .ok()?
            .get(&name)
            .map(|t| fingerprint(t))
    });
    SLOT.with(|s| s.borrow_mut().saved_known = known);
}

/// Called just before another scenario (`next`) replaces the open one. The pending edit of a
/// saved scenario is written; the open scenario's link stays in the current history entry and
/// the next one gets its own (unless the browser's history made this replacement); and if the
/// open scenario holds work kept nowhere else, it goes to the recently closed list. Returns
/// its name then, for the notice.
pub fn before_replace(next: &Scenario) -> Option<String> {
    flush_before_replace();
    let state = SLOT.with(|s| s.borrow().state)?;
    let from_history = SLOT.with(|s| std::mem::take(&mut s.borrow_mut().from_history));
    let (text, name) = state
        .scenario
        .with_untracked(|s| (encode_scenario(s), s.name.clone()));
    if !from_history {
        write_fragment(text.clone());
        SLOT.with(|s| s.borrow_mut().push_next = true);
    }
    let saved_text = state
        .saved_as
        .get_untracked()
        .and_then(|n| storage::saved_texts().ok()?.remove(&n));
    let opened = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        s.opened.replace(fingerprint(&encode_scenario(next)))
    });
    let edited = opened != Some(fingerprint(&text));
    if !session::worth_keeping(edited, &text, saved_text.as_deref()) {
        return None;
    }
    keep_closed(
        state,
        ClosedScenario {
            name: name.clone(),
            why: format!("replaced by “{}”", shorten(&next.name)),
            closed_at_ms: now_ms(),
            text,
        },
    );
    Some(name)
}

/// Whether replacing the open scenario now would move it to Recently closed ([`before_replace`]):
/// it holds edits kept nowhere else. A replacement the user did not pick by name (a usage
/// import) asks first then. A saved scenario with an edit still waiting for the timer counts
/// as edited: asking once too often loses nothing.
pub fn holds_unkept_work(state: ScenarioState) -> bool {
    let text = state.scenario.with_untracked(encode_scenario);
    let edited = SLOT.with(|s| s.borrow().opened) != Some(fingerprint(&text));
    let saved_text = state
        .saved_as
        .get_untracked()
        .and_then(|n| storage::saved_texts().ok()?.remove(&n));
    session::worth_keeping(edited, &text, saved_text.as_deref())
}

/// Replaces the open scenario (an example, a file, a link, a saved one). Returns the name of
/// the replaced scenario if it held work kept nowhere else and went to the recently closed
/// list (see [`before_replace`]).
pub fn replace(state: ScenarioState, scenario: Scenario) -> Option<String> {
    let kept = before_replace(&scenario);
    state.replace_scenario(scenario);
    kept
}

/// Opens a scenario that is not saved in this browser (a shared link, an imported file, an
/// example): it never overwrites a saved one, and the notice offers to save it (and to reopen
/// the scenario it replaced, if that one was kept).
pub fn open_unsaved(state: ScenarioState, scenario: Scenario, text: String) {
    let kept = replace(state, scenario);
    state.saved_as.set(None);
    state.notice.set(Some(with_kept(
        Notice {
            kind: NoticeKind::Info,
            text,
            offer_save: true,
            undo: None,
        },
        kept,
    )));
}

/// Marks the open scenario as holding work whatever its content: it was reopened from the
/// recently closed list, which only holds work.
pub fn mark_holds_work() {
    SLOT.with(|s| s.borrow_mut().opened = None);
}

/// Keeps a scenario in the recently closed list (in storage, or in this tab when the browser
/// keeps nothing or the list does not fit).
fn keep_closed(state: ScenarioState, entry: ClosedScenario) {
    let blocked = SLOT.with(|s| s.borrow().storage_blocked);
    let kept = !blocked
        && storage::recent().is_ok_and(|mut recent| {
            recent.keep(entry.clone());
            storage::write_recent(&recent).is_ok()
        });
    if !kept {
        SLOT.with(|s| s.borrow_mut().recent_here.keep(entry));
    }
    state.storage_changed.update(|n| *n = n.wrapping_add(1));
}

/// The recently closed scenarios: this tab's (when storage keeps nothing) and this browser's.
pub fn recently_closed() -> RecentlyClosed {
    let mut all = storage::recent().unwrap_or_default();
    for entry in SLOT
        .with(|s| s.borrow().recent_here.entries.clone())
        .into_iter()
        .rev()
    {
        all.keep(entry);
    }
    all
}

/// Takes a recently closed scenario out of the list to reopen it.
pub fn take_closed(entry: &ClosedScenario) {
    SLOT.with(|s| s.borrow_mut().recent_here.entries.retain(|e| e != entry));
    if let Ok(mut recent) = storage::recent() {
        recent.entries.retain(|e| e != entry);
        let _ = storage::write_recent(&recent);
    }
}

fn now_ms() -> u64 {
    // Whole milliseconds since 1970 fit a u64 for millions of years; a negative clock is 0.
    js_sys::Date::now().max(0.0) as u64
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
fn flush_before_replace() {
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
        write_fragment(encode_scenario(scenario));
        write_autosave(state, scenario)
            .and_then(|()| storage::remember_saved_as(work.saved_as.as_deref()))
            .and_then(|()| match &work.saved_as {
                Some(name) => save_named_checked(state, name, scenario),
                None => Ok(()),
            })
    });
    report(result);
}

/// Writes the autosave; what another tab (or an earlier visit, or a newer version of the app)
/// left there is kept in the recently closed list first.
fn write_autosave(state: ScenarioState, scenario: &Scenario) -> Result<(), String> {
    let text = encode_scenario(scenario);
    let stored = storage::current_text()?;
    let known = SLOT.with(|s| s.borrow().autosave_known);
    if let Some(other) = session::autosave_write(stored.as_deref(), known, &text) {
        keep_closed(
            state,
            ClosedScenario {
                name: scenario_name(other),
                why: "autosave of another tab, an earlier visit or a newer version of this app"
                    .to_string(),
                closed_at_ms: now_ms(),
                text: other.to_string(),
            },
        );
    }
    storage::save_current_text(&text)?;
    SLOT.with(|s| s.borrow_mut().autosave_known = Some(fingerprint(&text)));
    Ok(())
}

/// The name in a stored scenario's text. Decoded with the decoder the app has anyway (rare:
/// only when another tab's or visit's autosave is kept); a text this version cannot read is
/// named for what it is.
fn scenario_name(text: &str) -> String {
    crate::engine::decode::decode_scenario(text).map_or_else(
        |_| {
            session::name_in(text)
                .unwrap_or_else(|| "An autosave this version cannot read".to_string())
        },
        |s| s.name,
    )
}

/// Saves under `name` (the open scenario's saved name) unless another tab changed, renamed or
/// deleted it since this tab last wrote or opened it: then the user is told and chooses, and
/// neither version is lost.
fn save_named_checked(state: ScenarioState, name: &str, scenario: &Scenario) -> Result<(), String> {
    let saved = storage::saved_texts()?;
    let known = SLOT.with(|s| s.borrow().saved_known);
    let outcome = session::named_write(
        saved.get(name).map(String::as_str),
        known,
        saved.iter().map(|(n, t)| (n.as_str(), t.as_str())),
    );
    if outcome != NamedWrite::Write {
        settle_named(state, name, scenario, outcome);
        return Ok(());
    }
    storage::save_named(name, scenario)?;
    let written = fingerprint(&encode_scenario(scenario));
    SLOT.with(|s| s.borrow_mut().saved_known = Some(written));
    Ok(())
}

/// Saves under a name this tab saved to a moment ago (save as within the autosave delay):
/// the last edits belong there too, unless that entry is gone.
fn save_named_if_kept(name: &str, scenario: &Scenario) -> Result<(), String> {
    if storage::list_saved()?.iter().any(|n| n == name) {
        storage::save_named(name, scenario)
    } else {
        Ok(())
    }
}

/// The open scenario stops saving to its name (another tab changed or deleted it); `why` tells
/// the user, who can save this version under another name.
fn detach(state: ScenarioState, why: String) {
    state.saved_as.set(None);
    SLOT.with(|s| s.borrow_mut().saved_known = None);
    state.notice.set(Some(Notice {
        kind: NoticeKind::Error,
        text: why,
        offer_save: true,
        undo: None,
    }));
}

/// Another tab changed, renamed or deleted the saved scenario this tab writes to.
fn settle_named(state: ScenarioState, name: &str, scenario: &Scenario, outcome: NamedWrite) {
    let name_shown = shorten(name);
    match outcome {
        NamedWrite::Write => {}
        NamedWrite::Renamed(to) => {
            state.saved_as.set(Some(to.clone()));
            let _ = storage::save_named(&to, scenario);
            let written = fingerprint(&encode_scenario(scenario));
            SLOT.with(|s| s.borrow_mut().saved_known = Some(written));
            state.notice.set(Some(info(format!(
                "“{name_shown}” was renamed to “{}” in another tab; this tab now saves to it.",
                shorten(&to)
            ))));
        }
        NamedWrite::ChangedElsewhere => detach(
            state,
            format!(
                "“{name_shown}” was changed in another tab. Both versions are kept: the other \
                 tab's is saved as “{name_shown}” (open it from the saved scenarios), and this \
                 tab's stays open here, not saved under a name. Save this one under another \
                 name to keep both."
            ),
        ),
        NamedWrite::Gone => detach(
            state,
            format!(
                "“{name_shown}” was deleted (or renamed and changed) in another tab. This tab's \
                 version stays open here, not saved under a name: save it to keep it."
            ),
        ),
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

/// Puts the link to the scenario whose file text is `text` in the address bar's fragment; adds
/// a history entry if one was asked for (`push_next`), else replaces the current one.
fn write_fragment(text: String) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    // An `?example=` query has done its job once the scenario is edited: drop it, so the
    // address is one link, not an example plus a scenario.
    let prefix = match location.search() {
        Ok(q) if q.contains("example=") => location.pathname().unwrap_or_default(),
        _ => String::new(),
    };
    let push = SLOT.with(|s| std::mem::take(&mut s.borrow_mut().push_next));
    write_link(LinkJob {
        text,
        prefix,
        push,
        hide_older: true,
    });
}

/// Writes a link once the compressor's chunk gives its fragment (at once when it is loaded),
/// in the order asked: a link asked for while another waits for the chunk waits behind it, so
/// the replaced scenario's history entry is written before the next one is added.
fn write_link(job: LinkJob) {
    let idle = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        s.links.push_back(job);
        !s.link_busy
    });
    if idle {
        next_link();
    }
}

fn next_link() {
    let job = SLOT.with(|s| {
        let mut s = s.borrow_mut();
        let job = s.links.pop_front();
        s.link_busy = job.is_some();
        job
    });
    let Some(LinkJob {
        text,
        prefix,
        push,
        hide_older,
    }) = job
    else {
        return;
    };
    let waiting_prefix = hide_older.then(|| prefix.clone());
    let now = chunks::with_fragment(text, move |fragment| {
        match fragment {
            Some(fragment) => put_link(&format!("{prefix}#{fragment}"), &fragment, push),
            // The chunk could not be fetched (offline before the service worker cached it):
            // the next write retries.
            None => {
                SLOT.with(|s| s.borrow_mut().push_next |= push);
                if hide_older {
                    hide_older_link(&prefix);
                }
            }
        }
        next_link();
    });
    if let (false, Some(prefix)) = (now, waiting_prefix) {
        hide_older_link(&prefix);
    }
}

/// Sets the address to `url`, whose fragment is `fragment`.
fn put_link(url: &str, fragment: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let written = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(url))
    };
    // Throttled or refused (some browsers throw after many calls): the next edit retries.
    if written.is_ok() {
        SLOT.with(|s| s.borrow_mut().last_fragment = fragment.to_string());
    } else if push {
        SLOT.with(|s| s.borrow_mut().push_next = true);
    }
}

/// The address loses its link while an edit's link waits for the compressor's chunk, or when
/// the chunk cannot be fetched: a reload then opens the autosave, which holds the edit, rather
/// than the older link as if someone had shared it (a reload uses the address as it is when it
/// starts, so writing at `pagehide` is too late for it). A browser that keeps nothing keeps the
/// older link: it is all there is. `prefix` is the address before the `#` (empty: as it is).
fn hide_older_link(prefix: &str) {
    if SLOT.with(|s| s.borrow().storage_blocked) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = if prefix.is_empty() {
        format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    } else {
        prefix.to_string()
    };
    if let Ok(history) = window.history()
        && history
            .replace_state_with_url(&JsValue::NULL, "", Some(&url))
            .is_ok()
    {
        SLOT.with(|s| s.borrow_mut().last_fragment.clear());
    }
}

/// Rewrites `path?s=…` (or `?example=…`) as `path#s=…` in place (no new history entry), keeping
/// any other query parameter: the fragment never leaves the browser, the query string goes to
/// the server with every request.
fn move_query_link_to_fragment(state: ScenarioState) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let query = share::query_without_link(&location.search().unwrap_or_default());
    write_link(LinkJob {
        text: state.scenario.with_untracked(encode_scenario),
        prefix: format!("{path}{query}"),
        push: false,
        // The link in the query string stays until this one replaces it: it is what opened.
        hide_older: false,
    });
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
    // What this opens replaces the open scenario through the browser's own history entry.
    let from_history = || SLOT.with(|s| s.borrow_mut().from_history = true);
    match share::decode_link(&hash) {
        Ok(LinkTarget::Scenario(linked)) => {
            if !state.scenario.with_untracked(|s| *s == *linked) {
                from_history();
                // Back to a scenario saved in this browser: it is that saved scenario again.
                let text = encode_scenario(&linked);
                let saved_name = storage::saved_texts()
                    .ok()
                    .and_then(|m| m.into_iter().find(|(_, t)| *t == text).map(|(n, _)| n));
                match saved_name {
                    Some(name) => {
                        let kept = replace(state, *linked);
                        state.saved_as.set(Some(name.clone()));
                        note_saved();
                        state.notice.set(Some(with_kept(
                            info(format!(
                                "Opened “{}”, saved in this browser.",
                                shorten(&name)
                            )),
                            kept,
                        )));
                    }
                    None => {
                        open_unsaved(state, *linked, crate::startup::SHARED_LINK_TEXT.to_string())
                    }
                }
            }
        }
        Ok(LinkTarget::Example(raw)) => {
            let name = decode_component(&raw);
            match examples::scenario(&name) {
                Some(s) => {
                    from_history();
                    open_unsaved(state, s, example_text(&name));
                }
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
