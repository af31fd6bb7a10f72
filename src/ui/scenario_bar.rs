//! The scenario bar: which scenario is open and whether it is saved, messages about it, the
//! built-in examples and a new empty scenario, a link to share it, and the scenarios saved in
//! this browser (save as, open, rename, duplicate, delete).
//!
//! Everything stays in this browser: saving goes to localStorage (through
//! [`super::storage`]), the link carries the scenario in its fragment, which browsers never
//! send to a server. Storage problems are shown as notices; nothing here panics.

use gloo::timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::chunks;
use super::state::{Notice, NoticeKind, ScenarioState, use_state};
use super::storage;
use crate::engine::decode::{decode_scenario, encode_scenario};
use crate::engine::{Scenario, examples};
use crate::library::{self, DeleteConfirmation};
use crate::share;
use crate::wording::{example_text, sentence, shorten};

fn info(text: String) -> Option<Notice> {
    Some(Notice {
        kind: NoticeKind::Info,
        text,
        offer_save: false,
        undo: None,
    })
}

/// The full address of the app with `fragment` (a scenario's link), if there is a window.
fn link_to(fragment: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let base = href.split(['#', '?']).next().unwrap_or_default();
    Some(format!("{base}#{fragment}"))
}

/// Starts writing `text` to the clipboard; `status` says whether it worked. Browsers without
/// the clipboard API (or refusing it) get the link shown for copying by hand.
fn copy_to_clipboard(text: &str, status: RwSignal<String>) {
    const BY_HAND: &str = "Copy the link below";
    let clipboard = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("clipboard")).ok())
        .filter(|c| c.is_object());
    let promise = clipboard.and_then(|clipboard| {
        let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")).ok()?;
        let write = write.dyn_into::<js_sys::Function>().ok()?;
        write.call1(&clipboard, &JsValue::from_str(text)).ok()
    });
    let then = promise.as_ref().and_then(|p| {
        js_sys::Reflect::get(p, &JsValue::from_str("then"))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    let (Some(promise), Some(then)) = (promise, then) else {
        status.set(BY_HAND.to_string());
        return;
    };
    // Each closure frees itself when called; the other one of the pair is a few bytes.
    let copied = Closure::once_into_js(move |_: JsValue| status.set("Link copied".to_string()));
    let refused = Closure::once_into_js(move |_: JsValue| status.set(BY_HAND.to_string()));
    if then.call2(&promise, &copied, &refused).is_err() {
        status.set(BY_HAND.to_string());
    }
}

/// The list of saved scenarios, reread from storage after every action.
#[derive(Clone, Copy)]
struct SavedList {
    names: RwSignal<Vec<String>>,
    /// Why the list cannot be read, if it cannot.
    problem: RwSignal<Option<String>>,
    /// The name chosen in the select.
    selected: RwSignal<String>,
}

impl SavedList {
    fn refresh(&self, prefer: Option<&str>) {
        match storage::list_saved() {
            Ok(names) => {
                let choice = self
                    .selected
                    .with_untracked(|kept| library::selection_after(&names, prefer, kept));
                self.names.set(names);
                self.selected.set(choice);
                self.problem.set(None);
            }
            Err(m) => {
                self.names.set(Vec::new());
                self.selected.set(String::new());
                self.problem.set(Some(sentence(&m)));
            }
        }
    }
}

/// Saves the open scenario under `name` and makes it the one being saved to.
fn save_under(state: ScenarioState, list: SavedList, name: &str) -> Result<(), String> {
    let name = name.trim().to_string();
    state
        .scenario
        .with_untracked(|s| storage::save_named(&name, s))?;
    state.saved_as.set(Some(name.clone()));
    super::persistence::note_saved();
    list.refresh(Some(&name));
    state.notice.set(info(format!(
        "Saved as “{}” in this browser; your changes are saved as you make them.",
        shorten(&name)
    )));
    Ok(())
}

/// Which scenario is open, whether it is saved, and all actions on it.
#[component]
pub fn ScenarioBar() -> impl IntoView {
    let state = use_state();
    let list = SavedList {
        names: RwSignal::new(Vec::new()),
        problem: RwSignal::new(None),
        selected: RwSignal::new(String::new()),
    };
    list.refresh(state.saved_as.get_untracked().as_deref());
    // Another tab saved, renamed or deleted a scenario: the list follows.
    Effect::new(move |previous: Option<()>| {
        state.storage_changed.track();
        if previous.is_some() {
            list.refresh(None);
        }
    });
    // A damaged list is worth a notice, unless the app opened with a more important one.
    if let Some(p) = list.problem.get_untracked()
        && state.notice.with_untracked(Option::is_none)
    {
        state.error(p);
    }

    // Every action reports a storage failure the same way.
    let act = move |result: Result<(), String>| {
        if let Err(m) = result {
            state.error(sentence(&m));
        }
    };

    let saved_status = move || match state.saved_as.get() {
        Some(n) => format!("saved as “{n}” in this browser"),
        None => "not saved in this browser".to_string(),
    };

    // --- open an example or a new scenario ---------------------------------------------
    let open_example = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(s) = examples::scenario(&name) {
            super::persistence::open_unsaved(state, s, example_text(&name));
            super::menu::close_to_name();
        }
        // Back to "Choose…", so the same example can be chosen again.
        if let Some(select) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            select.set_value("");
        }
    };
    let new_scenario = move |_| {
        super::persistence::open_unsaved(
            state,
            Scenario::new_in(this_month()),
            "Started a new empty scenario; it is not saved in this browser.".to_string(),
        );
        super::menu::close_to_name();
    };

    // --- share ----------------------------------------------------------------------------
    let link_status = RwSignal::new(String::new());
    let share_url = RwSignal::new(None::<String>);
    let link_input = NodeRef::<leptos::html::Input>::new();
    // The compressor is a chunk of its own (`chunks::with_fragment`): the first link may wait
    // for it, within the click's clipboard permission (a few seconds) in practice.
    let make_link = move |fragment: Option<String>| {
        let Some(fragment) = fragment else {
            link_status.set(
                "The link maker could not be loaded (is the network down?). Try again.".to_string(),
            );
            return;
        };
        let Some(url) = link_to(&fragment) else {
            link_status.set("No link can be made here".to_string());
            return;
        };
        // A link is only offered if this app opens it: the same limits apply to links as to
        // everything else, and a scenario too big for one is shared as a file.
        let fragment = url.split_once('#').map_or("", |(_, f)| f);
        if !matches!(
            share::decode_link(fragment),
            Ok(share::LinkTarget::Scenario(_))
        ) {
            share_url.set(None);
            link_status.set(format!(
                "This scenario is too big for a link ({} characters): share it as a file \
                 with Export JSON instead",
                url.len()
            ));
            return;
        }
        if let Some(input) = link_input.get_untracked() {
            input.set_value(&url);
        }
        share_url.set(Some(url.clone()));
        copy_to_clipboard(&url, link_status);
        // Select the link once the field is shown, so it can be copied by hand.
        Timeout::new(0, move || {
            if let Some(input) = link_input.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        })
        .forget();
    };
    let copy_link = move |_| {
        let text = state.scenario.with_untracked(encode_scenario);
        let _ = chunks::with_fragment(text, make_link);
    };

    // --- keep -------------------------------------------------------------------------------
    let save_as_name = RwSignal::new(String::new());
    let save_as = move |_| {
        let checked = save_as_name.with_untracked(|typed| {
            list.names.with_untracked(|names| {
                state
                    .saved_as
                    .with_untracked(|s| library::check_save_as(typed, names, s.as_deref()))
            })
        });
        match checked {
            Ok(name) => {
                act(save_under(state, list, &name));
                save_as_name.set(String::new());
            }
            Err(m) => state.error(m),
        }
    };
    let save_now = move |_| {
        let Some(name) = state.saved_as.get_untracked() else {
            return;
        };
        let result = state
            .scenario
            .with_untracked(|s| storage::save_named(&name, s));
        match result {
            Ok(()) => {
                super::persistence::note_saved();
                list.refresh(Some(&name));
                state
                    .notice
                    .set(info(format!("Saved “{}”.", shorten(&name))));
            }
            Err(m) => state.error(sentence(&m)),
        }
    };
    let save_from_notice = move |_| {
        let name = state
            .scenario
            .with_untracked(|s| storage::name_to_save_under(&s.name));
        act(save_under(state, list, &name));
    };

    // --- saved scenarios ----------------------------------------------------------------------
    let rename_name = RwSignal::new(String::new());
    // The name a first click on Delete asked about; a second click deletes it.
    let confirm_delete = RwSignal::new(DeleteConfirmation::default());
    let none_selected = move || list.selected.with(String::is_empty);
    let open_saved = move |_| {
        confirm_delete.update(DeleteConfirmation::reset);
        let name = list.selected.get_untracked();
        match storage::load_saved(&name) {
            Ok(s) => {
                let kept = super::persistence::replace(state, s);
                super::menu::close_to_name();
                state.saved_as.set(Some(name.clone()));
                super::persistence::note_saved();
                state.notice.set(kept.is_some().then(|| {
                    super::persistence::with_kept(
                        Notice {
                            kind: NoticeKind::Info,
                            text: format!("Opened “{}”.", shorten(&name)),
                            offer_save: false,
                            undo: None,
                        },
                        kept,
                    )
                }));
            }
            Err(m) => state.error(sentence(&m)),
        }
    };
    let rename = move |_| {
        confirm_delete.update(DeleteConfirmation::reset);
        let from = list.selected.get_untracked();
        let to = rename_name.get_untracked().trim().to_string();
        if to.is_empty() {
            state.error("Type the new name first.".to_string());
            return;
        }
        act(storage::rename_saved(&from, &to).map(|()| {
            if state
                .saved_as
                .with_untracked(|s| s.as_deref() == Some(from.as_str()))
            {
                state.saved_as.set(Some(to.clone()));
                super::persistence::note_saved();
            }
            list.refresh(Some(&to));
            rename_name.set(String::new());
            state.notice.set(info(format!(
                "Renamed “{}” to “{}”.",
                shorten(&from),
                shorten(&to)
            )));
        }));
    };
    let duplicate = move |_| {
        confirm_delete.update(DeleteConfirmation::reset);
        let from = list.selected.get_untracked();
        act(storage::duplicate_saved(&from).map(|name| {
            list.refresh(Some(&name));
            state.notice.set(info(format!(
                "Saved a copy of “{}” as “{}”.",
                shorten(&from),
                shorten(&name)
            )));
        }));
    };
    let delete = move |_| {
        let name = list.selected.get_untracked();
        let mut confirmed = false;
        confirm_delete.update(|c| confirmed = c.click(&name));
        if !confirmed {
            return;
        }
        act(storage::delete_saved(&name).map(|()| {
            let was_open = state
                .saved_as
                .with_untracked(|s| s.as_deref() == Some(name.as_str()));
            if was_open {
                state.saved_as.set(None);
            }
            list.refresh(None);
            let mut text = format!("Deleted “{}” from this browser.", shorten(&name));
            if was_open {
                text.push_str(" It stays open here, not saved.");
            }
            state.notice.set(info(text));
        }));
    };
    let confirming = move || confirm_delete.with(|c| list.selected.with(|s| c.asking(s)));

    let notice = move || {
        state.notice.get().map(|n| {
            let error = n.kind == NoticeKind::Error;
            view! {
                <div
                    class=if error { "notice notice-error" } else { "notice notice-info" }
                    role=if error { "alert" } else { "status" }
                    data-testid="notice"
                >
                    <p class="notice-text">{n.text}</p>
                    // A browser that keeps nothing has nowhere to save.
                    {n.undo.map(|name| view! {
                        <button type="button" data-testid="notice-undo" on:click=move |_| reopen_closed(state, 0)>
                            {format!("Reopen “{}”", shorten(&name))}
                        </button>
                    })}
                    {(n.offer_save && !super::persistence::storage_blocked()).then(|| view! {
                        <button type="button" data-testid="notice-save" on:click=save_from_notice>
                            "Save in this browser"
                        </button>
                    })}
                    <button
                        type="button"
                        class="secondary"
                        data-testid="notice-dismiss"
                        on:click=move |_| state.notice.set(None)
                    >
                        "Dismiss"
                    </button>
                </div>
            }
        })
    };

    // Escape, and a pointer or focus outside the open menu, close it (one listener function
    // for the three: each distinct listener is code in the wasm).
    for event in ["keydown", "pointerdown", "focusin"] {
        let _ = window_event_listener_untyped(event, super::menu::on_window_event);
    }

    // The name field reads the scenario once per opened scenario, like every field, so that
    // what the user types is never rewritten under the cursor.
    let name_field = move || {
        state.revision.track();
        let initial = state.scenario.with_untracked(|s| s.name.clone());
        view! {
            <input
                id="scenario-name"
                class="bar-name"
                type="text"
                autocomplete="off"
                placeholder="Untitled scenario"
                data-testid="scenario-name-input"
                prop:value=initial
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    state.scenario.update(|s| s.name = v);
                    // Names shown elsewhere (legends, headings, the printed title) follow.
                    state.names.update(|n| *n = n.wrapping_add(1));
                }
            />
        }
    };

    view! {
        <div class="scenario-bar">
            <div class="app-bar">
                <div class="app-title">
                    <h1>"Power Platform pay-as-you-go cost calculator"</h1>
                    <p class="tagline">"Runs in your browser; nothing you enter leaves it."</p>
                </div>
                <div class="bar-scenario">
                    <label for="scenario-name" class="sr-only">"Scenario name"</label>
                    {name_field}
                    <span class="saved-status" data-testid="saved-status">{saved_status}</span>
                </div>
                <details
                    class="scenario-menu"
                    id="scenario-menu"
                    data-testid="scenario-menu"
                >
                <summary data-testid="scenario-menu-button">
                    <span class="menu-icon" aria-hidden="true">"☰"</span>
                    " "
                    <span class="menu-label-long">"Open, save, share"</span>
                    <span class="menu-label-short">"Menu"</span>
                </summary>
                <div class="menu-panel" data-testid="menu-panel">
                    <div class="row-fields bar-row">
                        <div class="field">
                            <label for="example-select">"Open an example"</label>
                            <select id="example-select" data-testid="example-select" on:change=open_example>
                                <option value="" selected=true>"Choose…"</option>
                                {examples::list()
                                    .iter()
                                    .map(|x| view! { <option value=x.name>{format!("{} — {}", x.name, x.title)}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                        <button type="button" class="secondary" data-testid="new-scenario" on:click=new_scenario>
                            "New empty scenario"
                        </button>
                        <button type="button" class="secondary" data-testid="copy-link" on:click=copy_link>
                            "Copy link"
                        </button>
                        <span class="link-status" role="status" data-testid="link-copied">
                            {move || link_status.get()}
                        </span>
                    </div>
                    <div class="row-fields bar-row share-row" hidden=move || share_url.with(Option::is_none)>
                        <div class="field share-field">
                            <label for="share-link">"Link to this scenario"</label>
                            <input
                                id="share-link"
                                type="text"
                                readonly=true
                                data-testid="share-link"
                                node_ref=link_input
                                prop:value=move || share_url.get().unwrap_or_default()
                            />
                            <span class="help">
                                "The whole scenario is in the link, after the #; it is never sent to a server."
                            </span>
                        </div>
                    </div>
                    <div class="row-fields bar-row">
                        <div class="field">
                            <label for="save-as-name">"Save as"</label>
                            <input
                                id="save-as-name"
                                type="text"
                                data-testid="save-as-name"
                                placeholder="Name in this browser"
                                prop:value=move || save_as_name.get()
                                on:input=move |ev| save_as_name.set(event_target_value(&ev))
                            />
                        </div>
                        <button type="button" data-testid="save-as" on:click=save_as>"Save as"</button>
                        <button
                            type="button"
                            class="secondary"
                            data-testid="save"
                            disabled=move || state.saved_as.with(Option::is_none)
                            on:click=save_now
                        >
                            "Save"
                        </button>
                    </div>
                    <div class="row-fields bar-row">
                        <div class="field">
                            <label for="saved-select">"Saved in this browser"</label>
                            <select
                                id="saved-select"
                                data-testid="saved-select"
                                disabled=move || list.names.with(Vec::is_empty)
                                on:change=move |ev| {
                                    confirm_delete.update(DeleteConfirmation::reset);
                                    list.selected.set(event_target_value(&ev));
                                }
                            >
                                {move || {
                                    let names = list.names.get();
                                    if names.is_empty() {
                                        let text = if list.problem.with(Option::is_some) {
                                            "Cannot be read"
                                        } else {
                                            "None yet"
                                        };
                                        return view! { <option value="">{text}</option> }.into_any();
                                    }
                                    names
                                        .into_iter()
                                        .map(|n| {
                                            let chosen = list.selected.with_untracked(|s| *s == n);
                                            let value = n.clone();
                                            view! { <option value=value selected=chosen>{n}</option> }
                                        })
                                        .collect_view()
                                        .into_any()
                                }}
                            </select>
                        </div>
                        <button type="button" class="secondary" data-testid="saved-open" disabled=none_selected on:click=open_saved>
                            "Open"
                        </button>
                        <button type="button" class="secondary" data-testid="saved-duplicate" disabled=none_selected on:click=duplicate>
                            "Duplicate"
                        </button>
                        <button type="button" class="secondary" data-testid="saved-delete" disabled=none_selected on:click=delete>
                            {move || if confirming() { "Confirm delete" } else { "Delete" }}
                        </button>
                        <div class="field">
                            <label for="rename-name">"New name"</label>
                            <input
                                id="rename-name"
                                type="text"
                                data-testid="rename-name"
                                prop:value=move || rename_name.get()
                                on:input=move |ev| rename_name.set(event_target_value(&ev))
                            />
                        </div>
                        <button type="button" class="secondary" data-testid="saved-rename" disabled=none_selected on:click=rename>
                            "Rename"
                        </button>
                        <p class="note saved-note" role="status">
                            {move || {
                                if confirming() {
                                    format!("Click “Confirm delete” to delete “{}” from this browser.", list.selected.get())
                                } else {
                                    list.problem.get().unwrap_or_default()
                                }
                            }}
                        </p>
                    </div>
                    <RecentlyClosedList />
                    <super::transfer::TransferBar />
                </div>
                </details>
            </div>
            <div class="notice-area">{notice}</div>
        </div>
    }
}

/// Reopens the recently closed scenario at `index` (newest first). One that cannot be read
/// (written by a newer version) stays in the list, and the message says why.
fn reopen_closed(state: ScenarioState, index: usize) {
    let recent = super::persistence::recently_closed();
    let Some(entry) = recent.entries.get(index).cloned() else {
        state.error("That scenario is no longer in Recently closed.".to_string());
        return;
    };
    match decode_scenario(&entry.text) {
        Ok(scenario) => {
            super::persistence::take_closed(&entry);
            super::persistence::open_unsaved(
                state,
                scenario,
                format!(
                    "Reopened “{}” from Recently closed; it is not saved in this browser.",
                    shorten(&entry.name)
                ),
            );
            super::persistence::mark_holds_work();
            super::menu::close_to_name();
        }
        Err(problems) => state.error(format!(
            "“{}” cannot be opened by this version of the app ({}); it stays in Recently \
             closed.",
            shorten(&entry.name),
            problems
                .first()
                .map_or_else(String::new, |p| sentence(&p.to_string()))
                .trim_end_matches('.')
        )),
    }
}

/// Scenarios replaced or overwritten while they held work kept nowhere else, to reopen.
#[component]
fn RecentlyClosedList() -> impl IntoView {
    let state = use_state();
    let entries = Memo::new(move |_| {
        state.storage_changed.track();
        state.notice.track();
        super::persistence::recently_closed()
            .entries
            .into_iter()
            .map(|e| (e.name, e.why))
            .collect::<Vec<_>>()
    });
    move || {
        let list = entries.get();
        (!list.is_empty()).then(|| {
            view! {
                <details class="recent" data-testid="recent">
                    <summary>{format!("Recently closed ({})", list.len())}</summary>
                    <ul>
                        {list
                            .into_iter()
                            .enumerate()
                            .map(|(i, (name, why))| view! {
                                <li>
                                    <span class="recent-name">{shorten(&name)}</span>
                                    " "
                                    <span class="help">{format!("({why})")}</span>
                                    " "
                                    <button type="button" class="secondary" data-testid=format!("recent-reopen-{i}") on:click=move |_| reopen_closed(state, i)>
                                        "Reopen"
                                    </button>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                </details>
            }
        })
    }
}

/// The current calendar month in UTC (AMB-1: billing months are UTC).
fn this_month() -> crate::engine::BillingMonth {
    let now = js_sys::Date::new_0();
    crate::engine::BillingMonth {
        year: u16::try_from(now.get_utc_full_year()).unwrap_or(2026),
        month: u8::try_from(now.get_utc_month() + 1).unwrap_or(1),
    }
}
