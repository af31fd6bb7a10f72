//! The file decoder on arbitrary text: what `power-payg price FILE`, the app's *Import JSON* and
//! a link's payload all reach. For every input:
//!
//! - `decode_scenario` returns (a scenario or problems) without panicking;
//! - a decoded scenario re-encodes (`encode_scenario`, the app's export) to a file that decodes
//!   to the same scenario, so what the app saves always opens again;
//! - it prices without panicking (an overflow error is allowed: it is reported to the user),
//!   and its text, JSON and CSV reports are written without panicking.
//!
//! Built with debug assertions (`scripts/fuzz.sh` passes `-a`), so arithmetic overflow panics
//! here instead of wrapping silently as it would in the release app.
#![no_main]

use libfuzzer_sys::fuzz_target;
use power_payg::engine::{self, decode, report};

fuzz_target!(|data: &[u8]| {
    // The CLI refuses non-UTF-8 before decoding, and a browser's FileReader yields text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = decode::decode_scenario(text) else {
        return;
    };
    let again = decode::decode_scenario(&decode::encode_scenario(&scenario));
    assert_eq!(
        again.as_ref(),
        Ok(&scenario),
        "a decoded scenario does not survive encode + decode"
    );
    if let Ok(breakdown) = engine::price(&scenario) {
        let _ = report::to_text(&breakdown);
        let _ = report::to_json(&breakdown);
        let _ = report::to_csv(&breakdown);
    }
});
