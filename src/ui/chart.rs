//! Cost by meter and by environment, drawn as SVG bars, with the same numbers in a table.

use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::engine::money::format_usd;
use crate::engine::{Breakdown, LineGroups, Meter, Payer};

/// The bars of both charts: cost by meter, and billed to the customer by environment.
pub type ChartRows = (Vec<(String, Decimal)>, Vec<(String, Decimal)>);

/// Environments drawn one bar each; the rest share one bar, so that a scenario of thousands
/// of environments draws a chart, not thousands of bars.
const MAX_ENV_BARS: usize = 10;

/// The chart's figures for a breakdown (a memo compares them, so the chart redraws only when
/// they change). The environments are in scenario order; when there are more than fit, those
/// with the largest bills, largest first, and one bar for the others.
pub fn chart_rows(b: &Breakdown, groups: &LineGroups) -> ChartRows {
    let by_meter: Vec<(String, Decimal)> = Meter::ALL
        .into_iter()
        .map(|m| {
            let payer = if m == Meter::Embed {
                Payer::Isv
            } else {
                Payer::Customer
            };
            (m.label().to_string(), b.sum(payer, None, Some(m)))
        })
        .filter(|(_, v)| !v.is_zero())
        .collect();
    let by_env: Vec<(&str, Decimal)> = groups
        .groups
        .iter()
        .filter(|g| g.environment.is_some() && !g.billed.is_zero())
        .map(|g| (g.name.as_str(), g.billed))
        .collect();
    let by_env = if by_env.len() <= MAX_ENV_BARS {
        by_env
            .into_iter()
            .map(|(name, v)| (name.to_string(), v))
            .collect()
    } else {
        largest(&by_env)
    };
    (by_meter, by_env)
}

/// The [`MAX_ENV_BARS`] largest, largest first (equal amounts in scenario order), and one row
/// for the others. Picked by repeated scans rather than sorted: a sort is several KB of wasm
/// for ten bars.
fn largest(rows: &[(&str, Decimal)]) -> Vec<(String, Decimal)> {
    let mut taken = vec![false; rows.len()];
    let mut out = Vec::with_capacity(MAX_ENV_BARS + 1);
    for _ in 0..MAX_ENV_BARS {
        let mut best: Option<usize> = None;
        for (i, (_, v)) in rows.iter().enumerate() {
            let better = match best {
                None => true,
                Some(b) => rows.get(b).is_some_and(|(_, bv)| v > bv),
            };
            if !taken.get(i).copied().unwrap_or(true) && better {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        if let (Some(t), Some((name, v))) = (taken.get_mut(b), rows.get(b)) {
            *t = true;
            out.push(((*name).to_string(), *v));
        }
    }
    let others = rows
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .fold((0usize, Decimal::ZERO), |(n, sum), ((_, v), _)| {
            (n + 1, sum.saturating_add(*v))
        });
    if others.0 > 0 {
        out.push((format!("{} other environments", others.0), others.1));
    }
    out
}

/// Both charts. The bars are built when the set of labels changes; an edit only moves bar
/// lengths and values.
#[component]
pub fn CostChart(rows: Memo<ChartRows>) -> impl IntoView {
    let by_meter = Memo::new(move |_| rows.with(|r| r.0.clone()));
    let by_env = Memo::new(move |_| rows.with(|r| r.1.clone()));
    let meter_labels = Memo::new(move |_| by_meter.with(|r| labels(r)));
    let env_labels = Memo::new(move |_| by_env.with(|r| labels(r)));
    move || {
        (!meter_labels.with(Vec::is_empty)).then(|| {
            view! {
                <div class="charts">
                    <Bars title="By meter" caption="Cost by meter this month (the ISV embed bar is billed to the ISV)" rows=by_meter labels=meter_labels testid="chart-meter" />
                    {move || (env_labels.with(Vec::len) > 1).then(|| view! {
                        <Bars title="By environment" caption="Cost billed to the customer by environment this month" rows=by_env labels=env_labels testid="chart-environment" />
                    })}
                </div>
            }
        })
    }
}

fn labels(rows: &[(String, Decimal)]) -> Vec<String> {
    rows.iter().map(|(l, _)| l.clone()).collect()
}

/// The longest label that fits beside the bars (at the phone font size too); longer names
/// are cut with an ellipsis, the whole name in the SVG title and in the table.
const LABEL_CHARS: usize = 26;

fn short_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.truncate(short.trim_end().len());
    short.push('…');
    short
}

const BAR_H: u32 = 22;
const GAP: u32 = 8;
const LABEL_W: u32 = 215;
const WIDTH: u32 = 480;
const CHART_W: u32 = WIDTH - LABEL_W - 90;

/// Bar lengths in whole pixels and the amounts as text. Computed in Decimal: formatting floats
/// would pull the float printing machinery (and its tables) into the wasm for a cosmetic value.
fn geometry(rows: &[(String, Decimal)]) -> Vec<(u32, String)> {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(Decimal::ONE);
    rows.iter()
        .map(|(_, v)| {
            let px = if max.is_zero() {
                1
            } else {
                (*v * Decimal::from(CHART_W) / max)
                    .round()
                    .to_u32()
                    .unwrap_or(0)
                    .clamp(1, CHART_W)
            };
            (px, format_usd(*v))
        })
        .collect()
}

/// A horizontal bar chart and its data table (for screen readers).
#[component]
fn Bars(
    title: &'static str,
    caption: &'static str,
    rows: Memo<Vec<(String, Decimal)>>,
    labels: Memo<Vec<String>>,
    testid: &'static str,
) -> impl IntoView {
    let bars = Memo::new(move |_| rows.with(|r| geometry(r)));
    let px = move |i: usize| bars.with(|b| b.get(i).map_or(1, |g| g.0));
    let value = move |i: usize| bars.with(|b| b.get(i).map(|g| g.1.clone()).unwrap_or_default());
    move || {
        let labels = labels.get();
        let height = (BAR_H + GAP) * u32::try_from(labels.len()).unwrap_or(0);
        view! {
            <figure class="chart" data-testid=testid>
                <figcaption>{title}</figcaption>
                <svg
                    viewBox=format!("0 0 {WIDTH} {height}")
                    width="100%"
                    role="img"
                    aria-hidden="true"
                    focusable="false"
                >
                    {labels
                        .iter()
                        .enumerate()
                        .map(|(i, label)| {
                            let y = (BAR_H + GAP) * u32::try_from(i).unwrap_or(0);
                            view! {
                                <g>
                                    <title>{label.clone()}</title>
                                    <text x="0" y=y + 15 class="chart-label">{short_label(label)}</text>
                                    <rect x=LABEL_W y=y width=move || px(i) height=BAR_H rx="3" class="chart-bar" />
                                    <text x=move || LABEL_W + px(i) + 6 y=y + 15 class="chart-value">
                                        {move || value(i)}
                                    </text>
                                </g>
                            }
                        })
                        .collect_view()}
                </svg>
                // Tables ignore the 1px width of .sr-only, so the wrapper carries it.
                <div class="sr-only">
                <table>
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{title}</th>
                            <th scope="col">"Amount"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {labels
                            .into_iter()
                            .enumerate()
                            .map(|(i, label)| view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td>{move || value(i)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
                </div>
            </figure>
        }
    }
}
