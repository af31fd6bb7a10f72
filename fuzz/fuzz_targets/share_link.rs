//! The link decoder (`share::decode_link`, what the app runs on `location.hash` at start and on
//! every `hashchange`). The first byte picks how the rest is used:
//!
//! - even: the rest, as text, is the fragment itself (`#s=1.…`, `?example=…`, anything);
//! - odd: the rest is a raw deflate stream, wrapped as base64url in `#s=1.…`, so the fuzzer
//!   explores the decompressor and the JSON inside instead of spending its time on base64 that
//!   never inflates.
//!
//! For every input `decode_link` returns without panicking, and a scenario it opens re-encodes
//! (`encode_fragment`, the app's *Copy link*) to a link that opens the same scenario.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use power_payg::share::{self, LinkTarget};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let link = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        format!("#s=1.{}", URL_SAFE_NO_PAD.encode(rest))
    };
    if let Ok(LinkTarget::Scenario(scenario)) = share::decode_link(&link) {
        let again = share::decode_link(&share::encode_fragment(&scenario));
        assert_eq!(
            again,
            Ok(LinkTarget::Scenario(scenario)),
            "a scenario opened from a link does not survive Copy link + open"
        );
    }
});
