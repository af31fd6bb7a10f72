//! The live cost breakdown: totals, lines per environment and meter with their rule and
//! arithmetic, free items with the reason, notes, and the inputs that are currently invalid.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::chart::{self, CostChart};
use super::state::use_state;
use crate::engine::money::{format_quantity, format_unit_price, format_usd};
use crate::engine::{Breakdown, ChargeLine, Meter, Payer};

/// The panel that is always in view.
#[component]
pub fn BreakdownPanel() -> impl IntoView {
    let state = use_state();
    let breakdown = state.breakdown;
    let total = move |f: fn(&Breakdown) -> String| {
        move || breakdown.with(|b| b.as_ref().map(f).unwrap_or_else(|_| "—".to_string()))
    };
    // The body is built once and updates piece by piece: rebuilding hundreds of lines on every
    // keystroke was most of the input latency, and closed the lines the user had opened.
    let failure = Memo::new(move |_| breakdown.with(|b| b.as_ref().err().cloned()));
    view! {
        <aside class="breakdown" aria-labelledby="breakdown-title" data-testid="breakdown">
            <h2 id="breakdown-title">"Cost this month"</h2>
            <dl class="totals" aria-live="polite">
                <div class="total-main">
                    <dt>"Billed to your Azure subscription"</dt>
                    <dd data-testid="total-billed">{total(|b| format_usd(b.total_billed))}</dd>
                </div>
                <div>
                    <dt>"Billed to the ISV (embed program)"</dt>
                    <dd data-testid="total-isv-billed">{total(|b| format_usd(b.total_isv_billed))}</dd>
                </div>
                <div>
                    <dt>"Reported, not billed"</dt>
                    <dd data-testid="total-reported-not-billed">
                        {total(|b| format_usd(b.total_reported_not_billed))}
                    </dd>
                </div>
            </dl>
            <InvalidInputs />
            {move || match failure.get() {
                None => view! { <BreakdownBody /> }.into_any(),
                Some(e) => {
                    view! {
                        <p class="pricing-error" role="alert" data-testid="pricing-error">
                            {format!("Cannot price this scenario: {e}.")}
                        </p>
                    }
                        .into_any()
                }
            }}
        </aside>
    }
}

/// Lists inputs whose text is invalid: the breakdown uses their last valid value.
#[component]
fn InvalidInputs() -> impl IntoView {
    let state = use_state();
    move || {
        let invalid = state.invalid.get();
        (!invalid.is_empty()).then(|| {
            view! {
                <div class="invalid-inputs" role="alert" data-testid="invalid-inputs">
                    <p>
                        <strong>
                            {if invalid.len() == 1 {
                                "1 input is invalid".to_string()
                            } else {
                                format!("{} inputs are invalid", invalid.len())
                            }}
                        </strong>
                        " — these totals use its last valid value:"
                    </p>
                    <ul>
                        {invalid
                            .into_iter()
                            .map(|(path, i)| {
                                view! {
                                    <li>
                                        <span class="path">{path}</span>
                                        {format!(" ({}): {}", i.label, i.message)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Everything below the totals. Each part has its own memo and re-renders only when its own
/// content changes.
#[component]
fn BreakdownBody() -> impl IntoView {
    let breakdown = use_state().breakdown;
    let book =
        Memo::new(move |_| breakdown.with(|b| b.as_ref().map(book_text).unwrap_or_default()));
    let chart = Memo::new(move |_| {
        breakdown.with(|b| b.as_ref().map(chart::chart_rows).unwrap_or_default())
    });
    let groups =
        Memo::new(move |_| breakdown.with(|b| b.as_ref().map(groups_of).unwrap_or_default()));
    let prints =
        Memo::new(move |_| breakdown.with(|b| b.as_ref().map(fingerprints).unwrap_or_default()));
    // Fingerprints, not copies: a big scenario has hundreds of free items, and copying them
    // on every keystroke to find out nothing changed was measurable.
    let exclusions_print = Memo::new(move |_| {
        breakdown.with(|b| {
            b.as_ref().map_or(0, |b| {
                let mut h = DefaultHasher::new();
                for x in &b.exclusions {
                    (x.environment, &x.environment_name, x.meter, &x.item).hash(&mut h);
                    (x.quantity, x.unit, x.rule, &x.reason).hash(&mut h);
                }
                h.finish()
            })
        })
    });
    let notes_print = Memo::new(move |_| {
        breakdown.with(|b| {
            b.as_ref().map_or(0, |b| {
                let mut h = DefaultHasher::new();
                for n in &b.notes {
                    (n.rule, &n.text).hash(&mut h);
                }
                h.finish()
            })
        })
    });
    let exclusions = move || {
        let _ = exclusions_print.get();
        breakdown.with_untracked(|b| b.as_ref().map(|b| b.exclusions.clone()).unwrap_or_default())
    };
    let notes = move || {
        let _ = notes_print.get();
        breakdown.with_untracked(|b| b.as_ref().map(|b| b.notes.clone()).unwrap_or_default())
    };
    view! {
        <p class="book" data-testid="price-book-used">{move || book.get()}</p>
        <CostChart rows=chart />
        <div class="lines">
            {move || {
                groups
                    .get()
                    .into_iter()
                    .map(|(env, name)| view! { <EnvironmentGroup env=env name=name prints=prints /> })
                    .collect_view()
            }}
            {move || groups.with(Vec::is_empty).then(|| view! { <p class="empty">"Nothing is charged yet: add usage on the left."</p> })}
        </div>
        {move || {
            let exclusions = exclusions();
            (!exclusions.is_empty()).then(|| {
            let n = exclusions.len();
            view! {
                <details class="exclusions" data-testid="exclusions">
                    <summary>{format!("Free items and why ({n})")}</summary>
                    <ul>
                        {exclusions
                            .into_iter()
                            .map(|x| {
                                view! {
                                    <li data-testid="exclusion">
                                        <span class="rule">{x.rule}</span>
                                        <span class="item">
                                            {format!(
                                                "{} · {} · {} {}",
                                                x.environment_name,
                                                x.item,
                                                format_quantity(x.quantity),
                                                x.unit,
                                            )}
                                        </span>
                                        <span class="reason">{x.reason}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </details>
            }
        })}}
        {move || {
            let notes = notes();
            (!notes.is_empty()).then(|| {
            view! {
                <section class="notes" aria-label="Notes on the documentation">
                    <h3>"Notes"</h3>
                    <ul>
                        {notes
                            .into_iter()
                            .map(|n| {
                                view! {
                                    <li data-testid="note">
                                        <span class="rule">{n.rule}</span>
                                        " "
                                        {n.text}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })}}
    }
}

/// Which price book, prices and month the breakdown used.
fn book_text(b: &Breakdown) -> String {
    let overrides = if b.overrides_used.is_empty() {
        "list prices".to_string()
    } else {
        format!(
            "negotiated prices for {}",
            b.overrides_used
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    format!(
        "{} book ({}), {}; month {}.",
        b.price_book.key(),
        b.price_book_title,
        overrides,
        b.month
    )
}

/// The groups of lines in scenario order: each environment, then the ISV customers.
fn groups_of(b: &Breakdown) -> Vec<(Option<usize>, String)> {
    b.environments(false)
        .into_iter()
        .map(|(e, name)| (e, name.to_string()))
        .collect()
}

/// A fingerprint per (group, meter) of its lines, in one pass and without copying them: the
/// per-meter views compare these instead of cloned line lists, which was a large share of the
/// work on every keystroke in a big scenario.
type Fingerprints = Vec<(Option<usize>, Meter, u64)>;

fn fingerprints(b: &Breakdown) -> Fingerprints {
    let mut out: Vec<(Option<usize>, Meter, DefaultHasher)> = Vec::new();
    for l in &b.lines {
        let i = match out
            .iter()
            .position(|(e, m, _)| *e == l.environment && *m == l.meter)
        {
            Some(i) => i,
            None => {
                out.push((l.environment, l.meter, DefaultHasher::new()));
                out.len() - 1
            }
        };
        if let Some((_, _, h)) = out.get_mut(i) {
            (&l.item, &l.explanation, l.rule, l.unit).hash(h);
            (l.quantity, l.unit_price, l.amount).hash(h);
            (l.price_key, l.price_overridden, l.payer).hash(h);
        }
    }
    out.into_iter()
        .map(|(e, m, h)| (e, m, h.finish()))
        .collect()
}

/// One group's lines, by meter. A meter's lines re-render only when its fingerprint changes:
/// an edit re-renders the one meter it changed, and the other lines (and the ones the user
/// opened) stay as they are.
#[component]
fn EnvironmentGroup(env: Option<usize>, name: String, prints: Memo<Fingerprints>) -> impl IntoView {
    let breakdown = use_state().breakdown;
    let billed = Memo::new(move |_| {
        breakdown.with(|b| {
            b.as_ref().map_or(Decimal::ZERO, |b| {
                b.lines
                    .iter()
                    .filter(|l| l.environment == env && l.payer == Payer::Customer)
                    .fold(Decimal::ZERO, |a, l| a + l.amount)
            })
        })
    });
    let env_print = Memo::new(move |_| {
        prints.with(|p| {
            p.iter()
                .filter(|(e, _, _)| *e == env)
                .fold(0u64, |a, (_, _, h)| a.rotate_left(7) ^ h)
        })
    });
    let testid = env.map_or_else(|| "env-lines-isv".to_string(), |e| format!("env-lines-{e}"));
    view! {
        <section class="env-lines" data-testid=testid>
            <h3>
                <span>{name}</span>
                <span class="amount">{move || format_usd(billed.get())}</span>
            </h3>
            {Meter::ALL
                .into_iter()
                .map(|m| {
                    // Only the edited environment's meters look their fingerprint up again.
                    let print = Memo::new(move |_| {
                        // Read, not only tracked: a memo that is never read never runs, so it
                        // would never subscribe to the fingerprints.
                        let _ = env_print.get();
                        prints.with_untracked(|p| {
                            p.iter().find(|(e, pm, _)| *e == env && *pm == m).map(|x| x.2)
                        })
                    });
                    move || {
                        print.get()?;
                        let lines: Vec<ChargeLine> = breakdown.with_untracked(|b| {
                            b.as_ref()
                                .map(|b| {
                                    b.lines
                                        .iter()
                                        .filter(|l| l.environment == env && l.meter == m)
                                        .cloned()
                                        .collect()
                                })
                                .unwrap_or_default()
                        });
                        Some(view! { <MeterLines meter=m lines=lines /> })
                    }
                })
                .collect_view()}
        </section>
    }
}

/// The lines of one meter.
#[component]
fn MeterLines(meter: Meter, lines: Vec<ChargeLine>) -> impl IntoView {
    view! {
        <div class="meter-lines" data-testid=format!("meter-lines-{}", meter.key())>
            <h4>{meter.label()}</h4>
            <ul>
                {lines.into_iter().map(|l| view! { <Line line=l /> }).collect_view()}
            </ul>
        </div>
    }
}

/// One charge line; opens to show the rule, the arithmetic and the explanation.
#[component]
fn Line(line: ChargeLine) -> impl IntoView {
    let l = line;
    let payer = match l.payer {
        Payer::Customer => None,
        Payer::Isv => Some("billed to the ISV"),
        Payer::ReportedNotBilled => Some("reported, not billed"),
    };
    let arithmetic = format!(
        "{} {} × {} = {}",
        format_quantity(l.quantity),
        l.unit,
        format_unit_price(l.unit_price),
        format_usd(l.amount)
    );
    view! {
        <li class="line" class:not-billed=l.payer != Payer::Customer data-testid="charge-line">
            <details>
                <summary>
                    <span class="item">{l.item.clone()}</span>
                    <span class="rule">{l.rule}</span>
                    {l.price_overridden.then(|| view! {
                        <span class="overridden" title="Uses a negotiated price" data-testid="overridden-marker">"negotiated price"</span>
                    })}
                    {payer.map(|p| view! { <span class="payer">{p}</span> })}
                    <span class="amount" data-testid="line-amount">{format_usd(l.amount)}</span>
                </summary>
                <p class="arithmetic">{arithmetic}</p>
                <p class="explanation">{l.explanation.clone()}</p>
                <p class="price-key">{format!("Price: {}", l.price_key.label())}</p>
            </details>
        </li>
    }
}
