//! Bring your own data (issue 14), in the browser: usage files chosen or dropped on the page are
//! read here, never uploaded, a slice at a time, into [`crate::import`]; the panel shows what
//! was recognised, the bad rows, unmapped meters, assumptions and conflicts, the
//! reconciliation, and opens the rebuilt month as the scenario.
//!
//! Only [`request`] and [`UsageImportHost`] are in the first load. The panel and the importer
//! are reached only through the `#[lazy]` [`import_view`], so they are a chunk of their own
//! (`scripts/split_wasm.py`), fetched the first time a file is imported.
//!
//! The import runs on the main thread, in slices of [`browser::SLICE_BYTES`]: each slice is
//! awaited from `Blob.arrayBuffer()`, which hands the page back to the browser between slices
//! (input, painting, the Cancel button). `docs/import.md` says why not a Web Worker yet.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use leptos::lazy;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement, HtmlSelectElement};

use super::chunks::{self, ChunkUnavailable};
use super::persistence;
use super::state::{ScenarioState, use_state};
use super::storage;
use crate::engine::money::format_usd;
use crate::engine::{self, BillingMonth};
use crate::engine::{FlowConnectors, Licence, RunMode};
use crate::import::browser::{self, Choice};
use crate::import::csv::Feed;
use crate::import::join::{self, FlowRuns, NEW_FLOW_DEFAULT, NewFlow, Target};
use crate::import::mapping::MeterMapping;
use crate::import::reconcile;
use crate::import::{Conflict, ImportOptions, ImportResult, Importer};

thread_local! {
    /// The host's signal (the number of the request on show; 0: none), for the transfer bar's
    /// input and the page's drop handler.
    static SHOWN: Cell<Option<RwSignal<u64>>> = const { Cell::new(None) };
    /// The files of the latest request, until the panel takes them.
    static FILES: RefCell<Vec<File>> = const { RefCell::new(Vec::new()) };
    static REQUESTS: Cell<u64> = const { Cell::new(0) };
}

/// Imports usage files: opens the panel with them (replacing an import in progress).
pub fn request(files: Vec<File>) {
    if let Some(shown) = SHOWN.with(Cell::get) {
        FILES.with(|f| *f.borrow_mut() = files);
        let n = REQUESTS.with(|r| {
            r.set(r.get().wrapping_add(1).max(1));
            r.get()
        });
        shown.set(n);
    }
}

/// Where the import panel appears once files are chosen. Plain types only here: this is in
/// the first load.
#[component]
pub fn UsageImportHost() -> impl IntoView {
    let state = use_state();
    let shown = RwSignal::new(0u64);
    SHOWN.with(|s| s.set(Some(shown)));
    on_cleanup(|| SHOWN.with(|s| s.set(None)));
    move || {
        if shown.get() == 0 {
            return None;
        }
        let files = FILES.with(|f| std::mem::take(&mut *f.borrow_mut()));
        let panel = Suspend::new(async move {
            import_view(state, files, shown)
                .await
                .unwrap_or_else(|ChunkUnavailable| {
                    chunks::unavailable("usage import", "Choose the files again to retry.")
                })
        });
        // The note stays while the chunk is fetched (the first time only); CSS hides it once
        // the panel follows it (`.pending`): no Suspense, which is more code in the first load.
        Some(view! {
            <section class="import-panel" data-testid="import-panel" aria-label="Usage data import">
                <p class="note pending">"Loading the importer…"</p>
                {panel}
            </section>
        })
    }
}

/// The panel, in a chunk of its own with the importer (see [`super::chunks`]).
#[lazy(fallible)]
fn import_view(
    state: ScenarioState,
    files: Vec<File>,
    shown: RwSignal<u64>,
) -> Result<AnyView, ChunkUnavailable> {
    let close = Callback::new(move |()| shown.set(0));
    Ok(view! { <ImportPanel state files close /> }.into_any())
}

/// Where an import is.
#[derive(Clone)]
enum Status {
    /// The file being read and how far, in the panel's `progress` signal (so that the bar and
    /// its Cancel button stay the same elements while it moves).
    Reading,
    Done(Arc<ImportResult>),
    Failed(String),
    Cancelled,
}

/// What the user chose for the import; a change reads the files again.
#[derive(Clone, Default, PartialEq)]
struct Choices {
    month: Option<BillingMonth>,
    keep_identifiers: bool,
    mapping: MeterMapping,
}

/// The mapping kept in this browser; a browser that keeps nothing, or a damaged entry, gives
/// none (the panel says so when the user maps a meter).
fn stored_mapping() -> MeterMapping {
    storage::meter_mapping_text()
        .ok()
        .flatten()
        .and_then(|t| MeterMapping::from_json(&t).ok())
        .unwrap_or_default()
}

#[component]
fn ImportPanel(state: ScenarioState, files: Vec<File>, close: Callback<()>) -> impl IntoView {
    let names: Vec<String> = files.iter().map(File::name).collect();
    let files = StoredValue::new_local(files);
    let status = RwSignal::new(Status::Reading);
    let progress = RwSignal::new((names.first().cloned().unwrap_or_default(), 0u64));
    let choices = RwSignal::new(Choices {
        mapping: stored_mapping(),
        ..Choices::default()
    });
    let note = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<String>);
    let opened = RwSignal::new(false);
    // Each run has a number; a newer run, Cancel or closing the panel bumps it, and the
    // running one stops at its next slice.
    let run = Arc::new(AtomicU64::new(0));
    {
        let run = run.clone();
        on_cleanup(move || {
            run.fetch_add(1, Ordering::Relaxed);
        });
    }
    let start = {
        let run = run.clone();
        move || {
            let id = run.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
            let list = files.with_value(Clone::clone);
            let c = choices.get_untracked();
            let options = ImportOptions {
                month: c.month,
                book: None,
                keep_identifiers: c.keep_identifiers,
                mapping: c.mapping,
                reconcile: true,
            };
            let run = run.clone();
            opened.set(false);
            confirming.set(None);
            status.set(Status::Reading);
            leptos::task::spawn_local(async move {
                let current = move || run.load(Ordering::Relaxed) == id;
                let outcome = import_files(&list, options, progress, &current).await;
                if !current() {
                    return;
                }
                let _ = status.try_set(match outcome {
                    Ok(result) => Status::Done(Arc::new(result)),
                    Err(e) => Status::Failed(e),
                });
            });
        }
    };
    // Any change of the choices reads the files again (the first run is the initial read).
    {
        let start = start.clone();
        Effect::new(move |_| {
            choices.track();
            start();
        });
    }
    let cancel = {
        let run = run.clone();
        move |_| {
            run.fetch_add(1, Ordering::Relaxed);
            status.set(Status::Cancelled);
        }
    };
    let restart = move |_| choices.update(|_| {});

    let set_mapping = move |mapping: MeterMapping| {
        let text = (!mapping.rules.is_empty()).then(|| mapping.to_json());
        note.set(
            storage::write_meter_mapping_text(text.as_deref())
                .err()
                .map(|e| format!("The mapping is not kept in this browser: {e}.")),
        );
        choices.update(|c| c.mapping = mapping);
    };

    let open = move || {
        let Status::Done(result) = status.get_untracked() else {
            return;
        };
        let Some(scenario) = result.scenario.clone() else {
            return;
        };
        let from: Vec<&str> = result.files.iter().map(|f| f.name.as_str()).collect();
        persistence::open_unsaved(
            state,
            scenario,
            format!(
                "Opened the usage imported from {}; it is not saved in this browser yet.",
                from.join(", ")
            ),
        );
        confirming.set(None);
        opened.set(true);
    };
    let ask_then_open = move |_| {
        if persistence::holds_unkept_work(state) {
            confirming.set(Some(state.scenario.with_untracked(|s| s.name.clone())));
        } else {
            open();
        }
    };

    let title = if names.len() == 1 {
        format!("Usage data: {}", names.join(""))
    } else {
        format!("Usage data: {} files", names.len())
    };
    view! {
        <div class="import-head">
            <h2>{title}</h2>
            <button type="button" class="secondary" data-testid="import-close" on:click=move |_| close.run(())>
                "Close"
            </button>
        </div>
        <p class="section-help">
            "Read in this browser; nothing is uploaded. The month is rebuilt as a scenario priced by the same engine."
        </p>
        {move || match status.get() {
            Status::Reading => view! {
                <div class="import-progress" data-testid="import-reading">
                    <label for="import-progress-bar">{move || progress.with(|(file, percent)| format!("Reading {file}… {percent}%"))}</label>
                    <progress id="import-progress-bar" data-testid="import-progress" max="100" value=move || progress.with(|p| p.1.to_string())></progress>
                    <button type="button" class="secondary" data-testid="import-cancel" on:click=cancel.clone()>"Cancel"</button>
                </div>
            }.into_any(),
            Status::Cancelled => view! {
                <p class="note" data-testid="import-status" role="status">
                    "The import was cancelled; nothing was opened. "
                    <button type="button" class="secondary" data-testid="import-retry" on:click=restart>"Read the files again"</button>
                </p>
            }.into_any(),
            Status::Failed(e) => view! {
                <p class="pricing-error" data-testid="import-status" role="alert">
                    {format!("Nothing was imported: {e}.")}
                </p>
            }.into_any(),
            Status::Done(result) => view! {
                <ImportResultView result state choices confirming opened set_mapping=Callback::new(set_mapping) ask_then_open=Callback::new(ask_then_open) open=Callback::new(move |()| open()) />
            }.into_any(),
        }}
        {move || note.get().map(|n| view! { <p class="note" data-testid="import-note">{n}</p> })}
    }
}

/// Reads every file a slice at a time; `current` turns false when the run is cancelled or
/// superseded (then the result is dropped).
async fn import_files(
    files: &[File],
    options: ImportOptions,
    progress: RwSignal<(String, u64)>,
    current: &dyn Fn() -> bool,
) -> Result<ImportResult, String> {
    let total: u64 = files.iter().map(|f| f.size() as u64).sum();
    let mut before = 0u64;
    let mut importer = Importer::new(options);
    for file in files {
        let name = file.name();
        if let Some(why) = browser::refused(&name) {
            return Err(why);
        }
        let size = file.size() as u64;
        let mut slices = browser::slices(size);
        let mut done = 0u64;
        let mut next = async |feed: &mut Feed, done: &mut u64| -> Result<(), String> {
            match slices.next() {
                Some((start, end)) => {
                    let bytes = read_slice(file, start, end)
                        .await
                        .map_err(|e| format!("“{name}” could not be read ({e})"))?;
                    *done = end;
                    feed.push(&bytes);
                }
                None => feed.end(),
            }
            Ok(())
        };
        let mut feed = Feed::new();
        while !feed.header_ready() {
            next(&mut feed, &mut done).await?;
        }
        let mut reading = importer.begin(&name, feed).map_err(|e| e.to_string())?;
        loop {
            if !current() {
                return Err("cancelled".to_string());
            }
            if importer
                .advance(&mut reading, &mut |_| true)
                .map_err(|e| e.to_string())?
            {
                break;
            }
            let _ = progress.try_set((name.clone(), browser::percent(before + done, total)));
            next(reading.input_mut(), &mut done).await?;
        }
        importer.end(reading);
        before += size;
    }
    Ok(importer.finish())
}

/// Bytes `start..end` of a file. Awaiting the read hands the page back to the browser.
async fn read_slice(file: &File, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let blob = file
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|_| "the browser refused to slice it".to_string())?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| "the browser could not read it".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// What an import found, and what to do with it.
#[component]
fn ImportResultView(
    result: Arc<ImportResult>,
    state: ScenarioState,
    choices: RwSignal<Choices>,
    confirming: RwSignal<Option<String>>,
    opened: RwSignal<bool>,
    set_mapping: Callback<MeterMapping>,
    ask_then_open: Callback<leptos::ev::MouseEvent>,
    open: Callback<()>,
) -> impl IntoView {
    let priced = result
        .scenario
        .as_ref()
        .map(|s| (s.name.clone(), s.environments.len(), engine::price(s)));
    let several_months: Vec<(BillingMonth, u64)> = result
        .conflicts
        .iter()
        .find_map(|c| match c {
            Conflict::SeveralMonths { months } => Some(months.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let all_months: Vec<BillingMonth> = {
        let mut m: Vec<BillingMonth> = result
            .files
            .iter()
            .flat_map(|f| f.months.keys().copied())
            .collect();
        m.sort();
        m.dedup();
        m
    };
    let month_select = (all_months.len() > 1 || !several_months.is_empty()).then(|| {
        let chosen = choices.with_untracked(|c| c.month);
        view! {
            <p class="import-month">
                <label for="import-month">"Month to build "</label>
                <select
                    id="import-month"
                    data-testid="import-month"
                    on:change=move |ev| {
                        let value = event_target::<HtmlSelectElement>(&ev).value();
                        let month = browser::month(&value);
                        choices.update(|c| c.month = month);
                    }
                >
                    <option value="" selected=chosen.is_none()>"Choose a month"</option>
                    {all_months
                        .iter()
                        .map(|m| {
                            let key = m.to_string();
                            view! { <option value=key.clone() selected=chosen == Some(*m)>{key.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </p>
        }
    });

    let trend_view = result.trend.as_ref().map(|t| {
        let growth = browser::trend_line(t);
        let fitted = t.percent.is_some();
        let built = result.scenario.is_some();
        let months = t
            .months
            .iter()
            .map(|m| {
                view! {
                    <tr class:left-out=m.left_out.is_some()>
                        <td data-label="Month">{m.month.to_string()}</td>
                        <td class="num" data-label="Usage at list prices">{format_usd(m.usage_value)}</td>
                        <td class="num" data-label="Billed (engine)">{m.billed.map_or_else(|| "not priced".to_string(), format_usd)}</td>
                        <td data-label="Fit">{browser::trend_note(m)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="import-trend" data-testid="import-trend">
                <h3>"Forecast"</h3>
                <p data-testid="import-trend-growth"><strong>"Growth from the trend: "</strong>{growth}</p>
                <p class="section-help">
                    {format!(
                        "Each month's usage (app users, flow runs, Dataverse GB, requests, website users, agent credits) valued at the list prices of the {} book, fitted with a least-squares line through its logarithm; months that start or end mid-month are left out.",
                        t.book.key()
                    )}
                    {if !fitted {
                        ""
                    } else if built {
                        " The month built carries this growth into the advisor's 12-month projection (“Usage growth”, editable there)."
                    } else {
                        " Choose the month to build: the projection starts from it, with this growth."
                    }}
                </p>
                <div class="table-scroll">
                    <table>
                        <thead><tr><th>"Month"</th><th class="num">"Usage at list prices"</th><th class="num">"Billed (engine)"</th><th>"Fit"</th></tr></thead>
                        <tbody>{months}</tbody>
                    </table>
                </div>
            </div>
        }
    });

    let agent_rows = browser::agent_rows(&result.agents);
    let agents_view = (!agent_rows.is_empty()).then(|| {
        let unit = result.month.map_or("Copilot Credits", browser::agent_unit);
        let rows = agent_rows
            .into_iter()
            .map(|(env, agent, consumed, billed, free)| {
                view! {
                    <tr>
                        <td data-label="Environment">{env}</td>
                        <td data-label="Agent">{agent}</td>
                        <td class="num" data-label="Consumed">{browser::quantity(consumed)}</td>
                        <td class="num" data-label="Billed">{browser::quantity(billed)}</td>
                        <td class="num" data-label="Licensed users' (free)">{browser::quantity(free)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="import-agents" data-testid="import-agents">
                <h3>{format!("{unit} per agent")}</h3>
                <p class="section-help">"From the usage report's agent rows. The scenario bills their sum per environment; consumed but not billed is Microsoft 365 Copilot-licensed users' use."</p>
                <div class="table-scroll">
                    <table>
                        <thead><tr><th>"Environment"</th><th>"Agent"</th><th class="num">"Consumed"</th><th class="num">"Billed"</th><th class="num">"Licensed users' (free)"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
        }
    });

    let join_view = result
        .month
        .filter(|_| !result.flow_runs.is_empty())
        .map(|month| view! { <JoinFlowRuns state month flows=result.flow_runs.clone() /> });

    let conflicts: Vec<String> = result
        .conflicts
        .iter()
        .map(browser::conflict_text)
        .collect();
    let files_view = result
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let bad = (f.bad_row_count > 0).then(|| {
                let shown = f.bad_rows.len().min(200);
                let more = f.bad_row_count.saturating_sub(shown as u64);
                view! {
                    <details class="import-bad-rows" data-testid=format!("import-bad-rows-{i}") open=f.bad_row_count <= 20>
                        <summary>{format!("{} bad rows, not used", f.bad_row_count)}</summary>
                        <ul>
                            {f.bad_rows.iter().take(shown).map(|b| view! { <li>{browser::bad_row_line(b)}</li> }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p class="note">{format!("and {more} more")}</p> })}
                    </details>
                }
            });
            view! {
                <li data-testid=format!("import-file-{i}")>
                    <span class="import-file-line">{browser::file_line(f)}</span>
                    {bad}
                </li>
            }
        })
        .collect_view();

    let unmapped: Vec<(String, crate::import::UnmappedMeter)> = result
        .files
        .iter()
        .flat_map(|f| f.unmapped.iter().map(|u| (f.name.clone(), u.clone())))
        .collect();
    let unmapped_view = (!unmapped.is_empty()).then(|| {
        let rows = unmapped
            .into_iter()
            .enumerate()
            .map(|(i, (file, u))| {
                let current = choices.with_untracked(|c| browser::choice_for(&c.mapping, &u));
                let meter = browser::meter_name(&u);
                let usage = browser::meter_usage(&u);
                let label = format!("Meter for {meter}");
                view! {
                    <tr>
                        <td data-label="Meter">{meter}<span class="note">{format!(" in {file}")}</span></td>
                        <td data-label="Usage">{usage}</td>
                        <td data-label="Map to">
                            <select
                                data-testid=format!("import-map-{i}")
                                aria-label=label
                                on:change=move |ev| {
                                    let value = event_target::<HtmlSelectElement>(&ev).value();
                                    if let Some(choice) = Choice::from_value(&value) {
                                        let mapping = choices.with_untracked(|c| browser::mapping_with(&c.mapping, &u, choice));
                                        set_mapping.run(mapping);
                                    }
                                }
                            >
                                <option value="" selected=current == Choice::Unmapped>"Not mapped"</option>
                                <option value="ignore" selected=current == Choice::Ignore>"Ignore these rows"</option>
                                {browser::meter_choices()
                                    .map(|k| view! { <option value=k.key() selected=current == Choice::Meter(k)>{k.label()}</option> })
                                    .collect_view()}
                            </select>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="import-unmapped" data-testid="import-unmapped">
                <h3>"Meters no rule recognised (not priced)"</h3>
                <p class="section-help">"Microsoft does not document the Azure meter names for Power Platform. Map each to a meter; the mapping is remembered in this browser and applied to later imports."</p>
                <div class="table-scroll">
                    <table>
                        <thead><tr><th>"Meter"</th><th>"Usage"</th><th>"Map to"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
        }
    });

    let assumptions = (!result.assumptions.is_empty()).then(|| {
        view! {
            <details class="import-assumptions" data-testid="import-assumptions">
                <summary>{format!("What the data cannot say: {} assumptions", result.assumptions.len())}</summary>
                <ul>
                    {result
                        .assumptions
                        .iter()
                        .map(|a| {
                            let at = if a.environment.is_empty() { String::new() } else { format!("{}: ", a.environment) };
                            view! { <li>{format!("{at}{}", a.text)}</li> }
                        })
                        .collect_view()}
                </ul>
                <p class="note">"Change them in the scenario once it is open."</p>
            </details>
        }
    });

    let reconciliation = (!result.reconciliation.is_empty()).then(|| {
        let rows = result.reconciliation.clone();
        let csv_rows = rows.clone();
        let export = move |_| {
            let csv = reconcile::to_csv(&csv_rows);
            if let Err(e) = super::download::download("reconciliation.csv", "text/csv;charset=utf-8", &csv) {
                web_sys::console::warn_1(&e.into());
            }
        };
        view! {
            <div class="import-reconciliation" data-testid="import-reconciliation">
                <h3>"Billed against computed"</h3>
                <p class="section-help">"Per environment (or Azure billing plan) and meter: what the file says was billed, against what the engine computes from the same usage, and why they differ. * a usage report has no money: its amount is the billed quantity at the book's price."</p>
                <div class="table-scroll">
                    <table>
                        <thead>
                            <tr>
                                <th>"Environment"</th><th>"Meter"</th><th class="num">"Billed qty"</th><th class="num">"Computed qty"</th>
                                <th class="num">"Billed"</th><th class="num">"Computed"</th><th class="num">"Difference"</th><th>"Why"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| view! {
                                    <tr data-category=r.category.key()>
                                        <td data-label="Environment">{r.environment}<span class="note">{format!(" ({})", r.file)}</span></td>
                                        <td data-label="Meter">{r.meter.label()}</td>
                                        <td class="num" data-label="Billed qty">{browser::quantity(r.billed_quantity)}</td>
                                        <td class="num" data-label="Computed qty">{browser::quantity(r.computed_quantity)}</td>
                                        <td class="num" data-label="Billed">{format!("{}{}", format_usd(r.billed_amount), if r.billed_amount_estimated { "*" } else { "" })}</td>
                                        <td class="num" data-label="Computed">{format_usd(r.computed_amount)}</td>
                                        <td class="num" data-label="Difference">{format_usd(r.difference)}</td>
                                        <td class="import-why" data-label="Why">{r.explanation}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <button type="button" class="secondary" data-testid="import-export-reconciliation" on:click=export>
                    "Export reconciliation (CSV)"
                </button>
            </div>
        }
    });

    let keep = choices.with_untracked(|c| c.keep_identifiers);
    let privacy = view! {
        <p class="import-privacy" data-testid="import-privacy">
            <input
                type="checkbox"
                id="import-keep-ids"
                data-testid="import-keep-ids"
                prop:checked=keep
                on:change=move |ev| {
                    let on = event_target::<HtmlInputElement>(&ev).checked();
                    choices.update(|c| c.keep_identifiers = on);
                }
            />
            <label for="import-keep-ids">"Keep identifiers."</label>
            {if keep {
                " Caller IDs and user names are kept in the scenario: they will be in its link, the autosave and exports."
            } else {
                " Caller IDs and user names were used to count distinct users, then dropped: they are not in the scenario, its link, the autosave or exports. Tick to keep them."
            }}
        </p>
    };

    let scenario_view = match priced {
        None => view! {
            <p class="note" data-testid="import-no-scenario">
                {if several_months.is_empty() { "No usage of a month to build: nothing to open." } else { "Choose the month to build above." }}
            </p>
        }
        .into_any(),
        Some((name, envs, price)) => {
            let total = match price {
                Ok(b) => format!("{} billed to your Azure subscription", format_usd(b.total_billed)),
                Err(e) => format!("cannot be priced: {e}"),
            };
            view! {
                <div class="import-open">
                    <p data-testid="import-total">
                        <strong>{name}</strong>
                        {format!(": {envs} environment{}, {total}.", if envs == 1 { "" } else { "s" })}
                    </p>
                    {move || {
                        if opened.get() {
                            view! { <p class="note" data-testid="import-opened">"Opened as the scenario. Back (or Recently closed) returns to the one it replaced."</p> }.into_any()
                        } else if let Some(current) = confirming.get() {
                            view! {
                                <div class="import-confirm" role="alertdialog" aria-label="Replace the open scenario?" data-testid="import-confirm">
                                    <p>{format!("“{current}” has edits kept nowhere else. Opening the import replaces it; it goes to Recently closed.")}</p>
                                    <button type="button" data-testid="import-confirm-open" on:click=move |_| open.run(())>"Replace it"</button>
                                    <button type="button" class="secondary" data-testid="import-confirm-cancel" on:click=move |_| confirming.set(None)>"Keep editing it"</button>
                                </div>
                            }.into_any()
                        } else {
                            view! { <button type="button" data-testid="import-open" on:click=move |ev| ask_then_open.run(ev)>"Open as scenario"</button> }.into_any()
                        }
                    }}
                </div>
            }
            .into_any()
        }
    };

    let rules = choices.with_untracked(|c| c.mapping.rules.len());
    let save_mapping = move |_| {
        let text = choices.with_untracked(|c| c.mapping.to_json());
        if let Err(e) = super::download::download("meter-mapping.json", "application/json", &text) {
            web_sys::console::warn_1(&e.into());
        }
    };
    let load_error = RwSignal::new(None::<String>);
    let load_mapping = move |ev: leptos::ev::Event| {
        let input = event_target::<HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text.map(|t| MeterMapping::from_json(&t)) {
                Some(Ok(mapping)) => {
                    let _ = load_error.try_set(None);
                    set_mapping.run(mapping);
                }
                Some(Err(e)) => {
                    let _ =
                        load_error.try_set(Some(format!("“{}” was not loaded: {e}.", file.name())));
                }
                None => {
                    let _ =
                        load_error.try_set(Some(format!("“{}” could not be read.", file.name())));
                }
            }
        });
    };
    let mapping_view = view! {
        <div class="import-mapping" data-testid="import-mapping">
            <span>{format!("Your meter mapping: {rules} rule{}.", if rules == 1 { "" } else { "s" })}</span>
            <button type="button" class="secondary" data-testid="import-save-mapping" on:click=save_mapping>"Save mapping (JSON)"</button>
            <span class="import-file">
                <label for="import-load-mapping">"Load mapping"</label>
                <input id="import-load-mapping" type="file" accept=".json,application/json" data-testid="import-load-mapping" on:change=load_mapping />
            </span>
            {(rules > 0).then(|| view! {
                <button type="button" class="secondary" data-testid="import-forget-mapping" on:click=move |_| set_mapping.run(MeterMapping::default())>"Forget mapping"</button>
            })}
            {move || load_error.get().map(|e| view! { <p class="pricing-error" role="alert">{e}</p> })}
        </div>
    };

    view! {
        <div class="import-result" data-testid="import-result">
            <ul class="import-files">{files_view}</ul>
            {(!conflicts.is_empty()).then(|| view! {
                <ul class="import-conflicts" data-testid="import-conflicts" role="alert">
                    {conflicts.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                </ul>
            })}
            {month_select}
            {trend_view}
            {scenario_view}
            {agents_view}
            {join_view}
            {privacy}
            {assumptions}
            {unmapped_view}
            {mapping_view}
            {reconciliation}
        </div>
    }
}

/// A FlowRun export joined into the open scenario ([`join`]): the flows found and the run
/// counts they get, the flows to add with the user's answers to what the table cannot say,
/// and a confirmation before anything changes.
#[component]
fn JoinFlowRuns(state: ScenarioState, month: BillingMonth, flows: Vec<FlowRuns>) -> impl IntoView {
    let flows = Arc::new(flows);
    let answers = RwSignal::new(vec![NEW_FLOW_DEFAULT; flows.len()]);
    let asking = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // The target of new flows: an environment's index, or "" for a new one.
    let first_payg = state
        .scenario
        .with_untracked(|s| s.environments.iter().position(|e| e.payg));
    let target = RwSignal::new(first_payg.map(|i| i.to_string()).unwrap_or_default());
    const NEW_ENV: &str = "Flows from the FlowRun export";
    let target_of = move || match target.get_untracked().parse::<usize>() {
        Ok(i) => Target::Environment(i),
        Err(_) => Target::New(NEW_ENV.to_string()),
    };
    let target_label = move || {
        let t = target_of();
        state.scenario.with_untracked(|s| match t {
            Target::Environment(i) => s
                .environments
                .get(i)
                .map_or_else(|| NEW_ENV.to_string(), |e| format!("“{}”", e.name)),
            Target::New(name) => format!("a new environment, “{name}”"),
        })
    };

    let body = {
        let flows = flows.clone();
        move || {
            let (plan, name, envs) = state.scenario.with(|s| {
                (
                    join::plan(s, &flows),
                    s.name.clone(),
                    s.environments
                        .iter()
                        .map(|e| e.name.clone())
                        .collect::<Vec<_>>(),
                )
            });
            let found = plan
                .matched
                .iter()
                .map(|m| {
                    view! {
                        <li>{format!("{}: {} runs now, {} from the export", m.name, m.runs_before, m.runs_after)}</li>
                    }
                })
                .collect_view();
            let added = plan
                .added
                .iter()
                .map(|&i| {
                    let f = &flows[i];
                    let a = answers.with_untracked(|v| v.get(i).copied().unwrap_or(NEW_FLOW_DEFAULT));
                    let set = move |change: Box<dyn Fn(&mut NewFlow)>| {
                        answers.update(|v| if let Some(x) = v.get_mut(i) { change(x) });
                    };
                    let label = f.flow_name();
                    view! {
                        <tr>
                            <td data-label="Flow">{label.clone()}</td>
                            <td class="num" data-label="Runs">{f.total().to_string()}</td>
                            <td data-label="Connectors">
                                <select aria-label=format!("Connectors of {label}") data-testid=format!("import-join-connectors-{i}")
                                    on:change=move |ev| {
                                        let v = FlowConnectors::from_key(&event_target::<HtmlSelectElement>(&ev).value());
                                        set(Box::new(move |x| if let Some(c) = v { x.connectors = c }));
                                    }>
                                    {[FlowConnectors::Premium, FlowConnectors::Standard].into_iter().map(|c| view! { <option value=c.key() selected=a.connectors == c>{c.label()}</option> }).collect_view()}
                                </select>
                            </td>
                            <td data-label="Run mode">
                                <select aria-label=format!("Run mode of {label}")
                                    on:change=move |ev| {
                                        let v = RunMode::from_key(&event_target::<HtmlSelectElement>(&ev).value());
                                        set(Box::new(move |x| if let Some(m) = v { x.mode = m }));
                                    }>
                                    {RunMode::ALL.into_iter().map(|m| view! { <option value=m.key() selected=a.mode == m>{m.label()}</option> }).collect_view()}
                                </select>
                            </td>
                            <td data-label="Owner's licence">
                                <select aria-label=format!("Licence of the owner of {label}") data-testid=format!("import-join-owner-{i}")
                                    on:change=move |ev| {
                                        let v = Licence::from_key(&event_target::<HtmlSelectElement>(&ev).value());
                                        set(Box::new(move |x| if let Some(l) = v { x.owner_licence = l }));
                                    }>
                                    {Licence::ALL.into_iter().map(|l| view! { <option value=l.key() selected=a.owner_licence == l>{l.label()}</option> }).collect_view()}
                                </select>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let has_added = !plan.added.is_empty();
            let chosen = target.get_untracked();
            let target_select = has_added.then(|| view! {
                <p>
                    <label for="import-join-target">"Add them to "</label>
                    <select id="import-join-target" data-testid="import-join-target"
                        on:change=move |ev| target.set(event_target::<HtmlSelectElement>(&ev).value())>
                        {envs.iter().enumerate().map(|(i, e)| view! { <option value=i.to_string() selected=chosen == i.to_string()>{e.clone()}</option> }).collect_view()}
                        <option value="" selected=chosen.is_empty()>{format!("a new environment: {NEW_ENV}")}</option>
                    </select>
                </p>
            });
            let nothing = plan.matched.is_empty() && plan.added.is_empty();
            let flows = flows.clone();
            view! {
                {(!plan.matched.is_empty()).then(|| view! {
                    <p>{format!("Found in “{name}” (their run counts are replaced):")}</p>
                    <ul data-testid="import-join-found">{found}</ul>
                })}
                {has_added.then(|| view! {
                    <p>{format!("Not in “{name}”: {} flow{}, added with what the export cannot say. Defaults: premium connectors, a cloud flow, an owner without a licence — the dearest reading, so the price is not below the bill.", plan.added.len(), if plan.added.len() == 1 { "" } else { "s" })}</p>
                    <div class="table-scroll">
                        <table data-testid="import-join-added">
                            <thead><tr><th>"Flow"</th><th class="num">"Runs"</th><th>"Connectors"</th><th>"Run mode"</th><th>"Owner's licence"</th></tr></thead>
                            <tbody>{added}</tbody>
                        </table>
                    </div>
                })}
                {target_select}
                {move || if asking.get() {
                    let plan = plan.clone();
                    let flows = flows.clone();
                    // Here, not above: the target may have changed since the list was drawn.
                    let summary = browser::join_summary(&plan, &name, &target_label());
                    view! {
                        <div class="import-confirm" role="alertdialog" aria-label="Join the runs into the open scenario?" data-testid="import-join-confirm">
                            <p>{summary}</p>
                            <button type="button" data-testid="import-join-apply" on:click=move |_| {
                                let chosen: Vec<NewFlow> = answers.with_untracked(|v| plan.added.iter().map(|i| v.get(*i).copied().unwrap_or(NEW_FLOW_DEFAULT)).collect());
                                let joined = state.scenario.with_untracked(|s| join::join(s, month, &flows, &plan, &chosen, &target_of()));
                                match joined {
                                    Ok(s) => {
                                        state.restructure(move |current| *current = s);
                                        outcome.set(Some(Ok(format!("Joined: {} flow runs updated, {} added.", plan.matched.len(), plan.added.len()))));
                                    }
                                    Err(e) => outcome.set(Some(Err(format!("Not joined: {e}.")))),
                                }
                                asking.set(false);
                            }>"Join"</button>
                            <button type="button" class="secondary" data-testid="import-join-cancel" on:click=move |_| asking.set(false)>"Cancel"</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" data-testid="import-join" disabled=nothing on:click=move |_| { outcome.set(None); asking.set(true) }>
                            {format!("Join into “{name}”…")}
                        </button>
                    }.into_any()
                }}
            }
        }
    };
    view! {
        <div class="import-join" data-testid="import-join-section">
            <h3>"Join the flow runs into the open scenario"</h3>
            <p class="section-help">"Instead of opening the export as a new scenario, give the open scenario's flows their measured runs per day: flows are found by ID, then by name. Only their run counts change."</p>
            {body}
            {move || outcome.get().map(|o| match o {
                Ok(t) => view! { <p class="note" role="status" data-testid="import-join-done">{t}</p> }.into_any(),
                Err(t) => view! { <p class="pricing-error" role="alert" data-testid="import-join-error">{t}</p> }.into_any(),
            })}
        </div>
    }
}
