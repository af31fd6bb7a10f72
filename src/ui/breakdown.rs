//! The live cost breakdown: totals, lines per environment and meter with their rule and
//! arithmetic, free items with the reason, notes, and the inputs that are currently invalid.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::chart::{self, CostChart};
use super::show_more::{BuiltWhenOpened, as_len, show_more};
use super::state::use_state;
use crate::engine::money::{format_quantity, format_unit_price, format_usd, quantity_with_unit};
use crate::engine::{Breakdown, ChargeLine, LineGroup, LineGroups, Meter, Payer};

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

/// The total on every screen: a bar fixed to the bottom of narrow screens (the breakdown is
/// below the forms there), hidden where the breakdown is a column beside them. Activating it
/// jumps to the breakdown.
#[component]
pub fn TotalBar() -> impl IntoView {
    let breakdown = use_state().breakdown;
    let billed = move || {
        breakdown.with(|b| match b {
            Ok(b) => format!("{} billed", format_usd(b.total_billed)),
            Err(_) => "Cannot be priced: see the breakdown".to_string(),
        })
    };
    // What the ISV and the usage report carry, only when they carry anything.
    let others = move || {
        breakdown.with(|b| {
            let Ok(b) = b else {
                return String::new();
            };
            let mut text = String::new();
            if !b.total_isv_billed.is_zero() {
                text = format!("ISV {}", format_usd(b.total_isv_billed));
            }
            if !b.total_reported_not_billed.is_zero() {
                let sep = if text.is_empty() { "" } else { " · " };
                text = format!(
                    "{text}{sep}reported, not billed {}",
                    format_usd(b.total_reported_not_billed)
                );
            }
            text
        })
    };
    view! {
        <a class="total-bar" href="#breakdown-title" data-testid="total-bar" title="Cost this month: go to the breakdown">
            <span class="total-bar-amounts" data-testid="total-bar-amounts">
                <span class="total-bar-billed">{billed}</span>
                <span class="total-bar-others">{others}</span>
            </span>
            <span class="total-bar-go" aria-hidden="true">"↓"</span>
        </a>
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
    let index = use_state().line_groups;
    let chart = Memo::new(move |_| {
        index.with(|ix| {
            breakdown.with(|b| {
                b.as_ref()
                    .map(|b| chart::chart_rows(b, ix))
                    .unwrap_or_default()
            })
        })
    });
    let groups_shown = RwSignal::new(GROUPS_AT_FIRST);
    // The groups' identities: the list of groups re-renders only when these change.
    let groups = Memo::new(move |_| {
        index.with(|ix| {
            ix.groups
                .iter()
                .map(|g| (g.environment, g.name.clone()))
                .collect::<Vec<_>>()
        })
    });
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
                let n = groups.with(Vec::len);
                let shown = as_len(groups_shown.get());
                let more = n.saturating_sub(shown);
                let next = u64::try_from(more).unwrap_or(u64::MAX).min(GROUPS_AT_FIRST);
                let views = (0..n.min(shown))
                    .map(|at| view! { <EnvironmentGroup at=at index=index /> })
                    .collect_view();
                (views, (more > 0).then(|| show_more(
                    "show-more-groups",
                    format!("{} more environments with charges are not shown (the totals and the chart include them). ", format_count(more)),
                    groups_shown,
                    next,
                )))
            }}
            {move || groups.with(Vec::is_empty).then(|| view! { <p class="empty">"Nothing is charged yet: add usage on the left."</p> })}
        </div>
        {move || {
            let exclusions = exclusions();
            (!exclusions.is_empty()).then(|| {
            let n = exclusions.len();
            let shown = RwSignal::new(SHOWN_AT_FIRST);
            let exclusions = std::sync::Arc::new(exclusions);
            // The list is built when first opened (see BuiltWhenOpened).
            let opened = RwSignal::new(false);
            view! {
                <details
                    class="exclusions"
                    data-testid="exclusions"
                    on:toggle=move |_| if !opened.get_untracked() { opened.set(true) }
                >
                    <summary>{format!("Free items and why ({})", format_count(n))}</summary>
                    <BuiltWhenOpened opened=opened>
                    <ul>
                        {let exclusions = exclusions.clone(); move || exclusions
                            .iter()
                            .take(as_len(shown.get()))
                            .cloned()
                            .map(|x| {
                                view! {
                                    <li data-testid="exclusion">
                                        <span class="rule">{x.rule}</span>
                                        <span class="item">
                                            {format!(
                                                "{} · {} · {}",
                                                x.environment_name,
                                                x.item,
                                                quantity_with_unit(x.quantity, x.unit),
                                            )}
                                        </span>
                                        <span class="reason">{x.reason}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <ShowMore total=n shown=shown what="free items" />
                    </BuiltWhenOpened>
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
    let mut text = format!(
        "{} book ({}), {}; month {}.",
        b.price_book.key(),
        b.price_book_title,
        overrides,
        b.month
    );
    if b.month_after_check {
        text.push_str(
            " This month is later than the book's prices were last checked: they may have \
             changed since.",
        );
    }
    if !b.incomplete.is_empty() {
        let missing: Vec<&str> = b.incomplete.iter().map(|k| k.label()).collect();
        text = format!(
            "{text} Incomplete: Microsoft publishes no price for {}; enter a negotiated price \
             under Prices.",
            missing.join("; ")
        );
    }
    text
}

/// One group's lines, by meter. `at` is the group's place in the index; the list of groups is
/// rebuilt whenever the set of groups changes, so the place stays right. A meter's lines
/// re-render only when their fingerprint changes: an edit re-renders the one meter it changed,
/// and the other lines (and the ones the user opened) stay as they are. Every lookup here is
/// by position, so a keystroke costs the same per group whatever the number of groups.
#[component]
fn EnvironmentGroup(at: usize, index: Memo<LineGroups>) -> impl IntoView {
    let breakdown = use_state().breakdown;
    let group = move |f: fn(&LineGroup) -> u64| {
        Memo::new(move |_| index.with(|ix| ix.groups.get(at).map_or(0, f)))
    };
    let billed =
        Memo::new(move |_| index.with(|ix| ix.groups.get(at).map_or(Decimal::ZERO, |g| g.billed)));
    let env_print = group(|g| g.fingerprint);
    let (env, name) = index.with_untracked(|ix| {
        ix.groups
            .get(at)
            .map(|g| (g.environment, g.name.clone()))
            .unwrap_or_default()
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
                        // would never subscribe to the index.
                        let _ = env_print.get();
                        index.with_untracked(|ix| {
                            ix.groups
                                .get(at)
                                .and_then(|g| g.meters.iter().find(|x| x.meter == m))
                                .map(|x| x.fingerprint)
                        })
                    });
                    move || {
                        print.get()?;
                        let lines: Vec<ChargeLine> = index.with_untracked(|ix| {
                            let positions = ix
                                .groups
                                .get(at)
                                .and_then(|g| g.meters.iter().find(|x| x.meter == m))
                                .map(|x| x.lines.as_slice())
                                .unwrap_or_default();
                            breakdown.with_untracked(|b| {
                                b.as_ref()
                                    .map(|b| {
                                        positions
                                            .iter()
                                            .filter_map(|&p| b.lines.get(p).cloned())
                                            .collect()
                                    })
                                    .unwrap_or_default()
                            })
                        });
                        Some(view! { <MeterLines meter=m lines=lines /> })
                    }
                })
                .collect_view()}
        </section>
    }
}

/// Environments whose lines are shown at first; more on request.
const GROUPS_AT_FIRST: u64 = 50;

/// Lines shown at first per meter (and free items in all); more on request. A breakdown of
/// tens of thousands of lines would otherwise be a DOM of a million elements.
/// (`u64`, the type of the app's other counters: each signal type is more code in the wasm.)
const SHOWN_AT_FIRST: u64 = 100;

/// The lines of one meter: the first [`SHOWN_AT_FIRST`], and a button for more.
#[component]
fn MeterLines(meter: Meter, lines: Vec<ChargeLine>) -> impl IntoView {
    let total = lines.len();
    let lines = std::sync::Arc::new(lines);
    let shown = RwSignal::new(SHOWN_AT_FIRST);
    view! {
        <div class="meter-lines" data-testid=format!("meter-lines-{}", meter.key())>
            <h4>{meter.label()}</h4>
            <ul>
                {move || {
                    lines
                        .iter()
                        .take(as_len(shown.get()))
                        .cloned()
                        .map(|l| view! { <Line line=l /> })
                        .collect_view()
                }}
            </ul>
            <ShowMore total=total shown=shown what="lines" />
        </div>
    }
}

/// "Showing 100 of 2,500 lines" and a button that shows more, when not all are shown.
#[component]
pub fn ShowMore(total: usize, shown: RwSignal<u64>, what: &'static str) -> impl IntoView {
    move || {
        let n = as_len(shown.get());
        (n < total).then(|| {
            let next = u64::try_from(total - n)
                .unwrap_or(u64::MAX)
                .min(SHOWN_AT_FIRST);
            show_more(
                "show-more",
                format!(
                    "Showing {} of {} {what}. ",
                    format_count(n),
                    format_count(total)
                ),
                shown,
                next,
            )
        })
    }
}

/// A count with thousands separators.
fn format_count(n: usize) -> String {
    format_quantity(Decimal::from(n))
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
        "{} × {} = {}",
        quantity_with_unit(l.quantity, l.unit),
        format_unit_price(l.unit_price),
        format_usd(l.amount)
    );
    // The sources are looked up when the line is first opened: most lines never are. The
    // arithmetic and explanation are built then too (or for printing, which shows them).
    let opened = RwSignal::new(false);
    let explanation = l.explanation;
    let (key, overridden) = (l.price_key, l.price_overridden);
    view! {
        <li class="line" class:not-billed=l.payer != Payer::Customer data-testid="charge-line">
            <details on:toggle=move |_| if !opened.get_untracked() { opened.set(true) }>
                <summary>
                    <span class="item">{l.item.clone()}</span>
                    <span class="rule">{l.rule}</span>
                    {l.price_overridden.then(|| view! {
                        <span class="overridden" title="Uses a negotiated price" data-testid="overridden-marker">"negotiated price"</span>
                    })}
                    {l.provisional.then(|| view! {
                        <span class="overridden" title="A rate in it comes only from third-party sources" data-testid="provisional-marker">"provisional"</span>
                    })}
                    {l.unpublished_price.then(|| view! {
                        <span class="overridden" title="Microsoft publishes no price: enter a negotiated one under Prices" data-testid="unpublished-marker">"no published price"</span>
                    })}
                    {payer.map(|p| view! { <span class="payer">{p}</span> })}
                    <span class="amount" data-testid="line-amount">{format_usd(l.amount)}</span>
                </summary>
                <BuiltWhenOpened opened=opened>
                    <p class="arithmetic">{arithmetic.clone()}</p>
                    <p class="explanation">{explanation.clone()}</p>
                    <p class="price-key">{format!("Price: {}", key.label())}</p>
                </BuiltWhenOpened>
                {move || opened.get().then(|| sources(key, overridden))}
            </details>
        </li>
    }
}

/// Where a line's price (and, for Copilot Credits, its rates) come from, with the date each
/// was last verified: the reader can check every figure against Microsoft's own page.
fn sources(key: crate::engine::PriceKey, overridden: bool) -> AnyView {
    use crate::engine::price_book::SourceKind;
    let state = use_state();
    let id = state.scenario.with_untracked(|s| s.price_book);
    let list = id.book().sources_for(key);
    let lead = if overridden {
        "A negotiated price entered in this scenario (Prices). The list price's sources:"
    } else {
        "Sources:"
    };
    if list.is_empty() {
        return view! {
            <p class="price-source" data-testid="line-sources">
                {format!("Microsoft publishes no price for this in the {} book: the price is the one entered under Prices.", id.key())}
            </p>
        }
        .into_any();
    }
    view! {
        <div class="price-source" data-testid="line-sources">
            <p>{lead}</p>
            <ul>
                {list
                    .into_iter()
                    .map(|x| {
                        let kind = match x.kind {
                            SourceKind::FirstParty => "Microsoft",
                            SourceKind::ThirdParty => "third party, provisional",
                        };
                        let link = x.address.starts_with("https://");
                        let title = x.title;
                        view! {
                            <li>
                                {if link {
                                    view! { <a href=x.address rel="noopener noreferrer" target="_blank">{title}</a> }.into_any()
                                } else {
                                    view! { <span>{title}</span> }.into_any()
                                }}
                                {format!(" ({kind}; version {}; verified {})", x.version, x.verified)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
