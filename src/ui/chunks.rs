//! Parts of the app that load on demand, each from a WebAssembly chunk of its own.
//!
//! The first total needs the calculator, its forms, the breakdown and the scenario decoder
//! (links, files and the autosave all decode). The advisor and the comparison do not, and they
//! are a large part of the code, so the build (`scripts/split_wasm.py`) splits them out at the
//! `#[lazy]` functions and the browser fetches them the first time they are opened. The
//! service worker caches every chunk when the app is first loaded, so they work offline too.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

/// A chunk could not be fetched: the network failed before the service worker had cached it.
#[derive(Clone, Copy, Debug)]
pub struct ChunkUnavailable;

impl From<SplitLoaderError> for ChunkUnavailable {
    fn from(_: SplitLoaderError) -> Self {
        Self
    }
}

/// What stands in for a part that could not be loaded, and how to try again (the next
/// attempt fetches the chunk afresh).
pub fn unavailable(what: &'static str, retry: &'static str) -> AnyView {
    view! {
        <p class="pricing-error" role="alert" data-testid="chunk-unavailable">
            {format!("The {what} could not be loaded (is the network down?). {retry}")}
        </p>
    }
    .into_any()
}
