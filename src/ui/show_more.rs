//! "Show more": lists that grow on request instead of rendering everything at once (a
//! scenario may hold 100,000 apps). Shared by the forms' row lists and the breakdown.

use leptos::prelude::*;

/// A `u64` counter as a length (saturating; wasm32's `usize` is 32 bits).
pub fn as_len(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The one "show more" paragraph of the app: a text, and a button that adds `next` to `shown`.
/// Non-generic and shared, so that each list that grows on request costs no code of its own.
pub fn show_more(testid: &'static str, text: String, shown: RwSignal<u64>, next: u64) -> AnyView {
    view! {
        <p class="show-more" data-testid=testid>
            {text}
            <button type="button" class="secondary" on:click=move |_| shown.update(|s| *s = s.saturating_add(next))>
                {format!("Show {next} more")}
            </button>
        </p>
    }
    .into_any()
}

/// The content of a `<details>` that starts closed, built the first time it is opened
/// (`opened`, which its `toggle` event sets) or the page is about to print (the printed report
/// shows closed sections), then kept, so that what was typed in it survives closing. A closed
/// section's content is otherwise never seen, and building it at start made most of the first
/// render's elements (issue 13). One component for every such section: its content is a
/// `ChildrenFn`, so each use adds no generic rendering code of its own to the wasm.
#[component]
pub fn BuiltWhenOpened(opened: RwSignal<bool>, children: ChildrenFn) -> impl IntoView {
    let printing = super::state::use_state().printing;
    // Printing since this was created, not ever: what is created after a print stays lazy.
    let printed_before = printing.get_untracked();
    let built = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(false) || opened.get() || printing.get() != printed_before
    });
    move || built.get().then(|| children())
}
