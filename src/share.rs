//! Scenario links: the whole scenario in the URL fragment, which browsers never send to a
//! server. Pure and host-tested; the UI only reads and writes `location.hash`.
//!
//! Format (documented in `docs/scenario-format.md`):
//!
//! - `#s=1.<payload>`: format 1, `payload` = base64url without padding of the raw-deflate
//!   compressed scenario JSON (the file format, compact).
//! - `#example=NAME` (or `?example=NAME`): a built-in example.
//!
//! Every format version ever released keeps decoding (golden links in `tests/share.rs`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::engine::Scenario;
use crate::engine::decode::{self, Problem};

/// The link format this build writes.
pub const LINK_FORMAT: u32 = 1;

/// Links longer than this are refused before decoding (browsers cap URLs around 2 MB).
pub const MAX_LINK_CHARS: usize = 2_000_000;

/// A decompressed scenario larger than this is refused (decompression bombs).
pub const MAX_SCENARIO_BYTES: usize = 8 * 1024 * 1024;

/// What a URL fragment or query asks to open.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkTarget {
    /// A scenario carried in the link.
    Scenario(Box<Scenario>),
    /// A built-in example, by name.
    Example(String),
    /// Nothing to open (no fragment, or one that is not ours).
    Nothing,
}

/// Why a link could not be opened. Displayed to the user as is.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    /// Made by a newer version of the app.
    NewerFormat(String),
    /// The payload is not valid base64url.
    BadEncoding,
    /// The payload does not decompress (truncated or altered).
    Corrupt,
    /// Too large to be a scenario.
    TooLarge,
    /// It decompressed, but the scenario inside is invalid.
    Invalid(Vec<Problem>),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::NewerFormat(v) => write!(
                f,
                "this link was made by a newer version of power-payg (link format {v}); this version opens format {LINK_FORMAT}"
            ),
            LinkError::BadEncoding => f.write_str("this link is damaged: its scenario part is not valid base64url (was it cut or edited?)"),
            LinkError::Corrupt => f.write_str("this link is damaged: its scenario does not decompress (was it cut short?)"),
            LinkError::TooLarge => f.write_str("this link holds more data than a scenario can have"),
            LinkError::Invalid(problems) => {
                write!(f, "this link's scenario is invalid: ")?;
                for (i, p) in problems.iter().take(5).enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p}")?;
                }
                if problems.len() > 5 {
                    write!(f, "; and {} more", problems.len() - 5)?;
                }
                Ok(())
            }
        }
    }
}

/// The fragment (without `#`) that carries a scenario: `s=1.<payload>`.
pub fn encode_fragment(scenario: &Scenario) -> String {
    // Serialising plain data to JSON cannot fail (no maps with non-string keys, no I/O).
    let json = serde_json::to_vec(scenario).unwrap_or_default();
    let compressed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("s={LINK_FORMAT}.{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// Reads a URL fragment (with or without `#`) or query string (with or without `?`).
pub fn decode_link(part: &str) -> Result<LinkTarget, LinkError> {
    let part = part.trim_start_matches(['#', '?']);
    if part.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLarge);
    }
    for param in part.split('&') {
        if let Some(payload) = param.strip_prefix("s=") {
            return decode_payload(payload).map(|s| LinkTarget::Scenario(Box::new(s)));
        }
        if let Some(name) = param.strip_prefix("example=") {
            return Ok(LinkTarget::Example(name.to_string()));
        }
    }
    Ok(LinkTarget::Nothing)
}

fn decode_payload(payload: &str) -> Result<Scenario, LinkError> {
    let (version, data) = payload.split_once('.').ok_or(LinkError::BadEncoding)?;
    match version {
        "1" => decode_v1(data),
        v if !v.is_empty() && v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit()) => {
            Err(LinkError::NewerFormat(v.to_string()))
        }
        _ => Err(LinkError::BadEncoding),
    }
}

/// Format 1: base64url (no padding) of raw deflate of the scenario JSON.
fn decode_v1(data: &str) -> Result<Scenario, LinkError> {
    // Links pasted from chat tools sometimes gain padding; accept it.
    let data = data.trim_end_matches('=');
    let compressed = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| LinkError::BadEncoding)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_SCENARIO_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Corrupt,
        })?;
    let text = String::from_utf8(json).map_err(|_| LinkError::Corrupt)?;
    decode::decode_scenario(&text).map_err(LinkError::Invalid)
}
