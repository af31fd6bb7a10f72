//! Parts of the app that load on demand, each from a WebAssembly chunk of its own.
//!
//! The first total needs the calculator, its forms, the breakdown and the scenario decoder
//! (links, files and the autosave all decode). The advisor and the comparison do not, and they
//! are a large part of the code, so the build (`scripts/split_wasm.py`) splits them out at the
//! `#[lazy]` functions and the browser fetches them the first time they are opened. The
//! service worker caches every chunk when the app is first loaded, so they work offline too.
//! The link compressor ([`with_fragment`]) is one too: links are written after edits settle.

use std::future::Future;
use std::task::{Context, Poll, Waker};

use leptos::lazy;
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

/// Calls `then` with the link fragment (`s=2.…`, [`crate::share::fragment_from_text`]) for a
/// scenario's file text, or with `None` if the compressor's chunk cannot be fetched. Returns
/// whether `then` has run already.
///
/// Once the chunk is here, `then` runs before this returns: a split function whose chunk is
/// loaded completes on its first poll (its loader is a ready once-cell), so one poll with a
/// waker that does nothing is enough, and a write at `pagehide` still happens. Before that,
/// the first call fetches the chunk and `then` runs when it has arrived; callers that need an
/// order between writes queue them (`ui::persistence`).
pub fn with_fragment(text: String, then: impl FnOnce(Option<String>) + 'static) -> bool {
    let mut fragment = Box::pin(link_fragment(text));
    match fragment
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(result) => {
            then(result.ok());
            true
        }
        // Awaited from here on with a real waker: the loader keeps the waker of the last poll.
        Poll::Pending => {
            leptos::task::spawn_local(async move { then(fragment.await.ok()) });
            false
        }
    }
}

/// The link compressor (miniz deflate, CRC-32, base64url), in a chunk of its own.
#[lazy(fallible)]
fn link_fragment(text: String) -> Result<String, ChunkUnavailable> {
    Ok(crate::share::fragment_from_text(&text))
}
