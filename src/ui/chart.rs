//! Cost by meter and by environment, drawn as SVG bars, with the same numbers in a table.

use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::engine::money::format_usd;
use crate::engine::{Breakdown, Meter, Payer};

/// Both charts for a breakdown.
#[component]
pub fn CostChart(breakdown: Breakdown) -> impl IntoView {
    let b = breakdown;
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
    let mut envs: Vec<(Option<usize>, String)> = Vec::new();
    for l in &b.lines {
        if l.environment.is_some() && !envs.iter().any(|(e, _)| *e == l.environment) {
            envs.push((l.environment, l.environment_name.clone()));
        }
    }
    envs.sort_by_key(|(e, _)| *e);
    let by_env: Vec<(String, Decimal)> = envs
        .into_iter()
        .map(|(e, name)| (name, b.sum(Payer::Customer, e, None)))
        .filter(|(_, v)| !v.is_zero())
        .collect();
    (!by_meter.is_empty()).then(|| {
        view! {
            <div class="charts">
                <Bars title="By meter" caption="Cost by meter this month (the ISV embed bar is billed to the ISV)" rows=by_meter testid="chart-meter" />
                {(by_env.len() > 1).then(|| view! {
                    <Bars title="By environment" caption="Cost billed to the customer by environment this month" rows=by_env testid="chart-environment" />
                })}
            </div>
        }
    })
}

/// A horizontal bar chart and its data table (for screen readers).
#[component]
fn Bars(
    title: &'static str,
    caption: &'static str,
    rows: Vec<(String, Decimal)>,
    testid: &'static str,
) -> impl IntoView {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(Decimal::ONE);
    let bar_h = 22u32;
    let gap = 8u32;
    let label_w = 150u32;
    let width = 420u32;
    let chart_w = width - label_w - 90;
    let height = (bar_h + gap) * rows.len() as u32;
    // Bar lengths in whole pixels, computed in Decimal: formatting floats would pull the
    // float printing machinery (and its tables) into the wasm for a cosmetic value.
    let bar_px = |v: Decimal| -> u32 {
        if max.is_zero() {
            return 1;
        }
        (v * Decimal::from(chart_w) / max)
            .round()
            .to_u32()
            .unwrap_or(0)
            .clamp(1, chart_w)
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title}</figcaption>
            <svg
                viewBox=format!("0 0 {width} {height}")
                width="100%"
                role="img"
                aria-hidden="true"
                focusable="false"
            >
                {rows
                    .iter()
                    .enumerate()
                    .map(|(i, (label, v))| {
                        let y = (bar_h + gap) * i as u32;
                        let w = bar_px(*v);
                        view! {
                            <g>
                                <text x="0" y=y + 15 class="chart-label">{label.clone()}</text>
                                <rect x=label_w y=y width=w height=bar_h rx="3" class="chart-bar" />
                                <text x=label_w + w + 6 y=y + 15 class="chart-value">
                                    {format_usd(*v)}
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
                    {rows
                        .into_iter()
                        .map(|(label, v)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td>{format_usd(v)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            </div>
        </figure>
    }
}
