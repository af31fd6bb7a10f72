//! The printed report's account of the inputs: one line per app, flow, website, storage and
//! requests consumer ([`crate::engine::summary`]) instead of every form field, so that a
//! realistic scenario's inputs fit beside its breakdown. Hidden on screen.

use leptos::prelude::*;

use super::state::use_state;
use crate::engine::summary;

#[component]
pub fn PrintSummary() -> impl IntoView {
    let state = use_state();
    // Built when the browser is about to print (and once at start), not on every keystroke.
    let sections = Memo::new(move |_| {
        state.printing.track();
        state.scenario.with_untracked(summary::inputs)
    });
    view! {
        <section class="print-summary" data-testid="print-summary" aria-hidden="true">
            {move || {
                sections
                    .get()
                    .into_iter()
                    .map(|s| {
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
