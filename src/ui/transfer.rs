//! Scenarios as files: export and import the scenario as JSON (the command-line tool's format,
//! so `power-payg price FILE` reads an export), export the breakdown as CSV, and print a report.
//!
//! Everything happens in the browser: files are built as Blobs and downloaded through a
//! temporary link; imported files are read with a FileReader. Nothing is sent anywhere.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{File, FileReader, HtmlInputElement};

use super::download::download;
use super::state::{ScenarioState, use_state};
use crate::engine::decode::{self, Problem, decode_scenario, encode_scenario};
use crate::engine::report;

/// Files larger than this are refused before they are read (a scenario of a million run
/// records is far smaller).
pub const MAX_IMPORT_BYTES: f64 = crate::share::MAX_SCENARIO_BYTES as f64;

/// Problems listed in the message when an import fails; the rest are counted.
const PROBLEMS_SHOWN: usize = 5;

/// Marks `<details>` elements opened for printing, so they are closed again afterwards.
const PRINT_OPENED: &str = "data-print-opened";

/// Export, import, CSV and print buttons; also accepts a scenario file dropped anywhere on the
/// page, and shows every collapsible section while the page is printed.
#[component]
pub fn TransferBar() -> impl IntoView {
    let state = use_state();
    let dragging = RwSignal::new(false);
    let print_date = RwSignal::new(today());

    let handles = vec![
        window_event_listener(leptos::ev::dragover, move |ev: web_sys::DragEvent| {
            if carries_files(&ev) {
                ev.prevent_default();
                if !dragging.get_untracked() {
                    dragging.set(true);
                }
            }
        }),
        window_event_listener(leptos::ev::dragleave, move |ev: web_sys::DragEvent| {
            // Leaving the window (not just one element for another) has no related target.
            if ev.related_target().is_none() {
                dragging.set(false);
            }
        }),
        window_event_listener(leptos::ev::dragend, move |_| dragging.set(false)),
        window_event_listener(leptos::ev::drop, move |ev: web_sys::DragEvent| {
            dragging.set(false);
            if !carries_files(&ev) {
                return;
            }
            // Without this the browser would navigate to the file and the scenario be lost.
            ev.prevent_default();
            let files = ev.data_transfer().and_then(|d| d.files());
            let count = files.as_ref().map_or(0, web_sys::FileList::length);
            let all = files.as_ref().map(file_list).unwrap_or_default();
            // Usage data (any file but a scenario's .json) goes to the usage import, which
            // takes several files at once (a usage report and a Power Pages report, say).
            if !all.is_empty() && !all.iter().any(is_scenario_file) {
                super::import_panel::request(all);
                return;
            }
            // One scenario is open at a time: several dropped files with a scenario among them
            // are refused together rather than the first opened and the others ignored.
            if count > 1 {
                state.error(format!(
                    "{count} files were dropped; drop one scenario file at a time. The open \
                     scenario is unchanged."
                ));
                return;
            }
            // A single file here is a scenario: anything else went to the usage import.
            if let Some(file) = files.and_then(|f| f.get(0)) {
                import_file(state, file);
            }
        }),
        window_event_listener_untyped("beforeprint", move |_| {
            print_date.set(today());
            state.printing.update(|n| *n = n.wrapping_add(1));
            // Current browsers show closed sections in print through CSS (`::details-content`
            // in the print stylesheet), which leaves the page's open/closed state alone.
            if !supports_details_content() {
                open_details_for_print();
            }
        }),
        window_event_listener_untyped("afterprint", move |_| close_details_after_print()),
    ];
    on_cleanup(move || {
        for h in handles {
            h.remove();
        }
    });

    let export_json = move |_| {
        let (name, text) = state
            .scenario
            .with_untracked(|s| (s.name.clone(), encode_scenario(s)));
        let file = format!("{}.json", file_stem(&name));
        if let Err(e) = download(&file, "application/json", &text) {
            state.error(format!("The scenario could not be exported: {e}."));
        }
    };
    let export_csv = move |_| {
        let name = state.scenario.with_untracked(|s| s.name.clone());
        let csv = state.breakdown.with_untracked(|b| match b {
            Ok(b) => Ok(report::to_csv(b)),
            Err(e) => Err(e.to_string()),
        });
        match csv {
            Ok(csv) => {
                let file = format!("{}-breakdown.csv", file_stem(&name));
                if let Err(e) = download(&file, "text/csv;charset=utf-8", &csv) {
                    state.error(format!("The breakdown could not be exported: {e}."));
                }
            }
            Err(e) => state.error(format!(
                "The breakdown could not be exported: this scenario cannot be priced ({e})."
            )),
        }
    };
    let print = move |_| {
        let printed = web_sys::window().map(|w| w.print());
        if !matches!(printed, Some(Ok(()))) {
            state.error(
                "This browser refused to print; use its own Print command instead.".to_string(),
            );
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            import_file(state, file);
        }
        // Choosing the same file again must import it again.
        input.set_value("");
    };
    let on_usage = move |ev: leptos::ev::Event| {
        let input = event_target::<HtmlInputElement>(&ev);
        let files = input.files().as_ref().map(file_list).unwrap_or_default();
        if !files.is_empty() {
            super::import_panel::request(files);
        }
        input.set_value("");
    };

    view! {
        <div class="transfer-bar" role="group" aria-label="Files and printing">
            <button type="button" class="secondary" data-testid="export-json" on:click=export_json>
                "Export scenario (JSON)"
            </button>
            <span class="import-file">
                <label for="import-json">"Import scenario (JSON)"</label>
                <input
                    id="import-json"
                    type="file"
                    accept=".json,application/json"
                    data-testid="import-json"
                    aria-describedby="transfer-help"
                    on:change=on_file
                />
            </span>
            <span class="import-file">
                <label for="import-usage">"Import usage data (CSV)"</label>
                <input
                    id="import-usage"
                    type="file"
                    multiple
                    accept=".csv,.tsv,.txt,text/csv"
                    data-testid="import-usage"
                    aria-describedby="transfer-help"
                    on:change=on_usage
                />
            </span>
            <button type="button" class="secondary" data-testid="export-csv" on:click=export_csv>
                "Export breakdown (CSV)"
            </button>
            <button type="button" class="secondary" data-testid="print" on:click=print>
                "Print report"
            </button>
            <p class="section-help transfer-help" id="transfer-help">
                "Scenario files use the command-line tool's format (power-payg price FILE). Usage data: the admin center's usage report, Power Pages reports, Azure cost details or a FlowRun export, read in this browser, never uploaded. You can also drop files anywhere on this page."
            </p>
            <p class="print-only" data-testid="print-date">
                "Printed on " {move || print_date.get()}
            </p>
            {move || {
                dragging
                    .get()
                    .then(|| {
                        view! {
                            <div class="drop-hint" data-testid="drop-hint" aria-hidden="true">
                                <p>"Drop a scenario file (.json) to open it, or usage data (.csv) to import it"</p>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// Whether a file is a scenario (JSON) rather than usage data.
fn is_scenario_file(file: &File) -> bool {
    // The extension is ASCII; full Unicode lowercasing would pull 9 KB of case tables into
    // the wasm for nothing.
    file.name().to_ascii_lowercase().ends_with(".json") || file.type_() == "application/json"
}

fn file_list(list: &web_sys::FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Whether a drag carries files (text dragged into an input must keep working).
fn carries_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer()
        .map(|d| d.types().includes(&JsValue::from_str("Files"), 0))
        .unwrap_or(false)
}

/// Reads a file as text and opens it as an unsaved scenario, or says why it cannot.
pub fn import_file(state: ScenarioState, file: File) {
    let name = file.name();
    if file.size() > MAX_IMPORT_BYTES {
        // Whole megabytes, rounded up: integer formatting only.
        let mb = (file.size() / (1024.0 * 1024.0)).ceil() as u64;
        state.error(format!(
            "“{name}” is {mb} MB; scenario files over 20 MB are not imported. The open scenario \
             is unchanged."
        ));
        return;
    }
    let reader = match FileReader::new() {
        Ok(r) => r,
        Err(_) => {
            state.error("This browser cannot read files; nothing was imported.".to_string());
            return;
        }
    };
    let done = reader.clone();
    let read_name = name.clone();
    // `loadend` fires exactly once, after success or failure (then the result is null), so
    // the closure frees itself.
    // Read as bytes, not as text: the browser's text decoding turns a Latin-1 or UTF-16 file
    // into replacement characters silently, and the scenario would open with mangled names.
    let on_loadend = Closure::once_into_js(move |_: JsValue| {
        let bytes = done
            .result()
            .ok()
            .filter(|v| v.is_object())
            .map(|v| js_sys::Uint8Array::new(&v).to_vec());
        match bytes.map(String::from_utf8) {
            Some(Ok(text)) => apply_import(state, &read_name, &text),
            Some(Err(_)) => state.error(format!(
                "“{read_name}” is not UTF-8 text (a scenario file is JSON in UTF-8; was it \
                 saved in another encoding?); nothing was imported. The open scenario is \
                 unchanged."
            )),
            None => state.error(format!(
                "“{read_name}” could not be read; nothing was imported."
            )),
        }
    });
    reader.set_onloadend(Some(on_loadend.unchecked_ref()));
    if reader.read_as_array_buffer(&file).is_err() {
        reader.set_onloadend(None);
        state.error(format!("“{name}” could not be read; nothing was imported."));
    }
}

/// Decodes the text of an imported file and opens it, or lists its first problems.
pub fn apply_import(state: ScenarioState, name: &str, text: &str) {
    match decode_scenario(text) {
        Ok(s) => {
            super::persistence::open_unsaved(
                state,
                s,
                format!("Imported “{name}”; it is not saved in this browser yet."),
            );
            super::menu::close_to_name();
        }
        Err(problems) => state.error(import_problems(name, &problems)),
    }
}

/// "“x.json” was not imported: 7 problems: a: …; b: …; … and 2 more. The open scenario is
/// unchanged."
pub fn import_problems(name: &str, problems: &[Problem]) -> String {
    let n = problems.len();
    let shown: Vec<String> = problems
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(|p| p.to_string())
        .collect();
    let mut text = format!(
        "“{name}” was not imported ({}): {}",
        decode::problem_count(problems),
        shown.join("; ")
    );
    // The decoder stops counting past MAX_PROBLEMS: say "more", not a number it did not count.
    if n > decode::MAX_PROBLEMS {
        text.push_str("; and more");
    } else if n > PROBLEMS_SHOWN {
        text.push_str(&format!("; and {} more", n - PROBLEMS_SHOWN));
    }
    text.push_str(". The open scenario is unchanged.");
    text
}

/// A file name from a scenario name: letters, digits, `-` and `_`; other runs of characters
/// become one `-`. Never empty, at most 80 characters.
pub fn file_stem(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 80 {
            break;
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '_');
    // Leading dots are already gone (a dot becomes `-`), so no hidden or relative names.
    if trimmed.is_empty() {
        "scenario".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Today's local date as `YYYY-MM-DD` (integer formatting only).
fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// Whether the browser styles the content of `<details>` (`CSS.supports("selector(::details-content)")`:
/// Chromium 131, Firefox 143, Safari 18.4 and later).
fn supports_details_content() -> bool {
    let global = js_sys::global();
    let Ok(css) = js_sys::Reflect::get(&global, &JsValue::from_str("CSS")) else {
        return false;
    };
    let Ok(supports) = js_sys::Reflect::get(&css, &JsValue::from_str("supports")) else {
        return false;
    };
    let Ok(supports) = supports.dyn_into::<js_sys::Function>() else {
        return false;
    };
    supports
        .call1(&css, &JsValue::from_str("selector(::details-content)"))
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}

/// Older browsers: opens every closed `<details>` so the printout shows all inputs and
/// explanations. (Sections whose open state the app keeps may fold back before the page is
/// printed; the CSS route above has no such race.)
fn open_details_for_print() {
    each_details(|e| {
        if !e.has_attribute("open") {
            let _ = e.set_attribute(PRINT_OPENED, "");
            let _ = e.set_attribute("open", "");
        }
    });
}

/// Closes the `<details>` that [`open_details_for_print`] opened.
fn close_details_after_print() {
    each_details(|e| {
        if e.has_attribute(PRINT_OPENED) {
            let _ = e.remove_attribute(PRINT_OPENED);
            let _ = e.remove_attribute("open");
        }
    });
}

fn each_details(f: impl Fn(&web_sys::Element)) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // A live collection: copy the elements out before changing attributes.
    let all = document.get_elements_by_tag_name("details");
    let elements: Vec<web_sys::Element> = (0..all.length()).filter_map(|i| all.item(i)).collect();
    for e in &elements {
        f(e);
    }
}
