//! Compare the open scenario with a saved one or a built-in example: the amount per meter, the
//! other payers and the total, side by side, with the difference.
//!
//! Both sides are priced by the engine; this module only subtracts totals the engine made.

use leptos::lazy;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::chunks::{self, ChunkUnavailable};
use super::state::use_state;
use super::storage;
use crate::engine::money::{self, format_usd};
use crate::engine::{self, Breakdown, Meter, Payer, Scenario, examples};

/// The scenario compared with, priced once when it is chosen.
#[derive(Clone)]
struct Other {
    /// Where it came from, for the column heading ("saved", "example").
    source: &'static str,
    name: String,
    breakdown: Breakdown,
}

/// A select of saved scenarios and examples, and the comparison table.
#[component]
pub fn ComparePanel() -> impl IntoView {
    let state = use_state();
    let saved = RwSignal::new(Vec::<String>::new());
    let saved_error = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(String::new());
    let other = RwSignal::new(None::<Result<Other, String>>);

    let refresh = move || match storage::list_saved() {
        Ok(names) => {
            saved_error.set(None);
            if saved.with_untracked(|s| *s != names) {
                saved.set(names);
            }
        }
        Err(e) => saved_error.set(Some(format!("Saved scenarios are unavailable: {e}."))),
    };
    refresh();

    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        other.set(load_other(&value));
        chosen.set(value);
    };

    let options = move || {
        let current = chosen.get_untracked();
        let saved_options = saved
            .get()
            .into_iter()
            .map(|n| {
                let value = format!("saved:{n}");
                let selected = value == current;
                view! { <option value=value selected=selected>{n}</option> }
            })
            .collect_view();
        let example_options = examples::list()
            .iter()
            .map(|x| {
                let value = format!("example:{}", x.name);
                let selected = value == current;
                view! { <option value=value selected=selected>{format!("{} — {}", x.name, x.title)}</option> }
            })
            .collect_view();
        view! {
            <option value="" selected=current.is_empty()>"Choose…"</option>
            <optgroup label="Saved in this browser">{saved_options}</optgroup>
            <optgroup label="Examples">{example_options}</optgroup>
        }
        .into_any()
    };

    let result = move || {
        other.with(|o| match o {
            None => ().into_any(),
            Some(Err(e)) => view! {
                <p class="pricing-error" role="alert" data-testid="compare-error">{e.clone()}</p>
            }
            .into_any(),
            Some(Ok(o)) => state.breakdown.with(|b| match b {
                Ok(this) => {
                    let this_name = state.scenario.with(|s| s.name.clone());
                    let (this, o) = (this.clone(), o.clone());
                    // The note shows while the comparison's chunk is fetched (the first time
                    // only); CSS hides it once the table follows it (`.pending`).
                    let table = Suspend::new(async move {
                        comparison(this_name, this, o)
                            .await
                            .unwrap_or_else(|ChunkUnavailable| chunks::unavailable(
                                "comparison",
                                "It is tried again with your next change.",
                            ))
                    });
                    view! { <p class="note pending">"Comparing…"</p> {table} }.into_any()
                }
                Err(e) => view! {
                    <p class="pricing-error" role="alert" data-testid="compare-error">
                        {format!("This scenario cannot be priced, so there is nothing to compare: {e}.")}
                    </p>
                }
                .into_any(),
            }),
        })
    };

    view! {
        <section class="compare" data-testid="compare" aria-labelledby="compare-title">
            <h2 id="compare-title">"Compare"</h2>
            <div class="field compare-field">
                <label for="compare-select">"Compare this scenario with"</label>
                <select
                    id="compare-select"
                    data-testid="compare-select"
                    aria-describedby="compare-help"
                    on:focus=move |_| refresh()
                    on:change=on_change
                >
                    {options}
                </select>
                <span class="help" id="compare-help">
                    "A scenario saved in this browser or a built-in example, priced with its own price book and month; this scenario stays open."
                </span>
            </div>
            {move || saved_error.get().map(|e| view! { <p class="note">{e}</p> })}
            {result}
        </section>
    }
}

/// Loads and prices the scenario behind a select value (`saved:NAME`, `example:NAME`).
fn load_other(value: &str) -> Option<Result<Other, String>> {
    let (source, loaded): (&'static str, Result<Scenario, String>) =
        if let Some(name) = value.strip_prefix("saved:") {
            ("saved", storage::load_saved(name))
        } else {
            // Anything else (the empty "Choose…" value) clears the comparison.
            let name = value.strip_prefix("example:")?;
            (
                "example",
                examples::scenario(name).ok_or_else(|| format!("there is no example “{name}”")),
            )
        };
    Some(
        loaded
            .map_err(|e| format!("Cannot compare: {e}."))
            .and_then(|s| {
                engine::price(&s)
                    .map(|breakdown| Other {
                        source,
                        name: s.name.clone(),
                        breakdown,
                    })
                    .map_err(|e| format!("Cannot compare: “{}” cannot be priced: {e}.", s.name))
            }),
    )
}

/// One row of the table: its test id, label, and the amounts on each side.
struct Row {
    testid: String,
    label: &'static str,
    this: Decimal,
    other: Decimal,
}

/// The table for two priced scenarios, in a chunk of its own (see [`super::chunks`]): nothing
/// is compared until a scenario is chosen.
#[lazy(fallible)]
fn comparison(
    this_name: String,
    this: Breakdown,
    other: Other,
) -> Result<AnyView, ChunkUnavailable> {
    Ok(comparison_table(this_name, &this, &other))
}

/// The table for two priced scenarios.
fn comparison_table(this_name: String, this: &Breakdown, other: &Other) -> AnyView {
    let that = &other.breakdown;
    let has_meter = |b: &Breakdown, m: Meter| b.lines.iter().any(|l| l.meter == m);
    let meters: Vec<Row> = Meter::ALL
        .into_iter()
        .filter(|m| has_meter(this, *m) || has_meter(that, *m))
        .map(|m| Row {
            testid: format!("compare-row-{}", m.key()),
            label: m.label(),
            this: this.sum(Payer::Customer, None, Some(m)),
            other: that.sum(Payer::Customer, None, Some(m)),
        })
        .collect();
    let payers = [
        Row {
            testid: "compare-isv-billed".to_string(),
            label: "Billed to the ISV (embed program)",
            this: this.total_isv_billed,
            other: that.total_isv_billed,
        },
        Row {
            testid: "compare-reported-not-billed".to_string(),
            label: "Reported, not billed",
            this: this.total_reported_not_billed,
            other: that.total_reported_not_billed,
        },
    ];
    let total = Row {
        testid: "compare-total".to_string(),
        label: "Billed to your Azure subscription",
        this: this.total_billed,
        other: that.total_billed,
    };
    let summary = summary(&other.name, this.total_billed, that.total_billed);
    let mut differences = Vec::new();
    if this.price_book != that.price_book {
        differences.push(format!(
            "price books differ ({} here, {} there)",
            this.price_book.key(),
            that.price_book.key()
        ));
    }
    if this.month != that.month {
        differences.push(format!(
            "months differ ({} here, {} there)",
            this.month, that.month
        ));
    }
    let caution = (!differences.is_empty()).then(|| {
        view! {
            <p class="note" data-testid="compare-caution">
                {format!("Note: {}.", differences.join("; "))}
            </p>
        }
    });
    let no_meters = meters.is_empty().then(|| {
        view! {
            <tr>
                <td colspan="4" class="empty">"Neither scenario charges anything on any meter."</td>
            </tr>
        }
    });
    view! {
        <p class="compare-summary" aria-live="polite" data-testid="compare-summary">{summary}</p>
        {caution}
        // Scrolls sideways on the narrowest phones; focusable so keyboards can scroll it too.
        <div class="compare-scroll" tabindex="0" role="region" aria-label="Comparison table">
            <table class="compare-table" data-testid="compare-table">
                <caption class="sr-only">
                    "Cost this month per meter, for this scenario and the one compared with"
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Meter"</th>
                        <th scope="col">"This scenario" <span class="compare-name">{this_name}</span></th>
                        <th scope="col">
                            {format!("Compared with ({})", other.source)}
                            <span class="compare-name">{other.name.clone()}</span>
                        </th>
                        <th scope="col">"Difference"</th>
                    </tr>
                </thead>
                <tbody>
                    {meters.into_iter().map(row).collect_view()}
                    {no_meters}
                </tbody>
                <tfoot>
                    {row(total)}
                    {payers.into_iter().map(row).collect_view()}
                </tfoot>
            </table>
        </div>
        <p class="help">
            "Meter rows are what your Azure subscription is billed; the difference is the other scenario minus this one."
        </p>
    }
    .into_any()
}

fn row(r: Row) -> AnyView {
    let diff = money::sub(r.other, r.this);
    let class = match diff {
        Ok(d) if d > Decimal::ZERO => "diff more",
        Ok(d) if d < Decimal::ZERO => "diff less",
        _ => "diff same",
    };
    let diff_text = diff.map(signed_usd).unwrap_or_else(|_| "—".to_string());
    view! {
        <tr data-testid=r.testid>
            <th scope="row">{r.label}</th>
            <td class="amount">{format_usd(r.this)}</td>
            <td class="amount">{format_usd(r.other)}</td>
            <td class=class>{diff_text}</td>
        </tr>
    }
    .into_any()
}

/// `+$12.00`, `−$3.50` (a real minus sign), `$0.00`.
pub fn signed_usd(d: Decimal) -> String {
    let rounded = money::round_cents(d);
    if rounded.is_zero() {
        format_usd(Decimal::ZERO)
    } else if rounded.is_sign_negative() {
        format!("\u{2212}{}", format_usd(rounded.abs()))
    } else {
        format!("+{}", format_usd(rounded))
    }
}

/// One sentence on the totals.
fn summary(other_name: &str, this: Decimal, other: Decimal) -> String {
    match money::sub(other, this) {
        Ok(d) if money::round_cents(d).is_zero() => {
            format!(
                "“{other_name}” costs the same as this scenario: {}.",
                format_usd(this)
            )
        }
        Ok(d) if d > Decimal::ZERO => format!(
            "“{other_name}” costs {} more than this scenario ({} against {}).",
            format_usd(d),
            format_usd(other),
            format_usd(this)
        ),
        Ok(d) => format!(
            "“{other_name}” costs {} less than this scenario ({} against {}).",
            format_usd(d.abs()),
            format_usd(other),
            format_usd(this)
        ),
        Err(_) => format!("“{other_name}” and this scenario cannot be subtracted exactly."),
    }
}
