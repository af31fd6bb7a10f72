//! The printed report's account of the inputs: one line per app, flow, website, storage and
//! requests consumer ([`crate::engine::summary`]) instead of every form field, so that a
//! realistic scenario's inputs fit beside its breakdown. Hidden on screen.

use leptos::prelude::*;

use super::state::use_state;
use crate::engine::summary;

/// Items printed per section: a report of 100,000 apps is not read, and building it froze the
/// page at start.
const PRINTED_PER_SECTION: usize = 500;
/// Environments printed, for the same reason.
const PRINTED_SECTIONS: usize = 200;

#[component]
pub fn PrintSummary() -> impl IntoView {
    let state = use_state();
    // Built when the browser is about to print, not at start: a scenario of 10,000
    // environments would otherwise carry a hidden report of tens of thousands of elements.
    let sections = Memo::new(move |_| {
        if state.printing.get() == 0 {
            return Vec::new();
        }
        state.scenario.with_untracked(summary::inputs)
    });
    view! {
        <section class="print-summary" data-testid="print-summary" aria-hidden="true">
            {move || {
                let mut sections = sections.get();
                let more_sections = sections.len().saturating_sub(PRINTED_SECTIONS);
                sections.truncate(PRINTED_SECTIONS);
                if let Some(last) = sections.last_mut().filter(|_| more_sections > 0) {
                    last.lines.push(format!(
                        "… and {more_sections} more environments (the exported scenario file has them all)"
                    ));
                }
                sections
                    .into_iter()
                    .map(|mut s| {
                        let more = s.lines.len().saturating_sub(PRINTED_PER_SECTION);
                        if more > 0 {
                            s.lines.truncate(PRINTED_PER_SECTION);
                            s.lines.push(format!(
                                "… and {more} more (the exported scenario file has them all)"
                            ));
                        }
                        view! {
                            <h3>{s.title}</h3>
                            <ul>
                                {s.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                            </ul>
                        }
                    })
                    .collect_view()
            }}
        </section>
    }
}
