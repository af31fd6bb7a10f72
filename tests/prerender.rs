//! The static first paint (index.html's `#boot`) shows the totals of the scenario a first visit
//! opens before the wasm has computed anything. It is honest only if every figure there is the
//! engine's, word for word: this test prices that example and compares each `data-prerender`
//! text with what the app's breakdown and total bar will show for it.

use power_payg::engine::money::format_usd;
use power_payg::engine::{self, examples};

/// The text of the element carrying `data-prerender="key"` in index.html.
fn prerendered<'a>(html: &'a str, key: &str) -> &'a str {
    let marker = format!("data-prerender=\"{key}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("index.html has no data-prerender=\"{key}\""))
        + marker.len();
    let end = html[start..]
        .find('<')
        .unwrap_or_else(|| panic!("data-prerender=\"{key}\" is not closed"));
    &html[start..start + end]
}

#[test]
fn the_first_paint_shows_the_first_visit_example_as_the_engine_prices_it() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html"))
        .expect("index.html is at the top of the repository");
    let scenario = examples::scenario(examples::FIRST_VISIT).expect("the first-visit example");
    let b = engine::price(&scenario).expect("the first-visit example prices");

    let billed = format_usd(b.total_billed);
    let isv = format_usd(b.total_isv_billed);
    let reported = format_usd(b.total_reported_not_billed);
    let expected = [
        ("name", scenario.name.clone()),
        ("total_billed", billed.clone()),
        ("total_isv_billed", isv.clone()),
        ("total_reported_not_billed", reported.clone()),
        // The phone's total bar (src/ui/breakdown.rs, TotalBar): the ISV and reported parts
        // appear only when they are not zero.
        ("bar_billed", format!("{billed} billed")),
        ("bar_others", {
            let mut parts = Vec::new();
            if !b.total_isv_billed.is_zero() {
                parts.push(format!("ISV {isv}"));
            }
            if !b.total_reported_not_billed.is_zero() {
                parts.push(format!("reported, not billed {reported}"));
            }
            parts.join(" · ")
        }),
    ];
    for (key, want) in expected {
        assert_eq!(
            prerendered(&html, key),
            want,
            "index.html's pre-rendered {key} must be what the app shows for the example \
             “{}”: update index.html",
            examples::FIRST_VISIT
        );
    }
}
