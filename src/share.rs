//! Scenario links: the whole scenario in the URL fragment, which browsers never send to a
//! server. Pure and host-tested; the UI only reads and writes `location.hash`.
//!
//! Format (documented in `docs/scenario-format.md`):
//!
//! - `#s=2.<payload>`: format 2, written since links carry a checksum. `payload` = base64url
//!   without padding of the raw-deflate compressed scenario JSON (the file format, compact)
//!   followed by the CRC-32 of those compressed bytes (4 bytes, big-endian). A link changed or
//!   cut after it was made fails the checksum instead of opening another scenario: without
//!   it, one edited character in 40 still opened a (different) valid scenario.
//! - `#s=1.<payload>`: format 1, the same without the checksum; still opened.
//! - `#example=NAME` (or `?example=NAME`): a built-in example.
//!
//! `S=` and a percent-encoded `=` (`s%3D`), as some chat tools and mail clients rewrite links,
//! are read as `s=`. A link in the query string (`?s=2.…`) opens too, but reaches the server
//! on every load: [`decode_location`] says where it was found, so the UI can move it.
//!
//! Every format version ever released keeps decoding (golden links in `tests/share.rs`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::engine::Scenario;
use crate::engine::decode::{self, Problem};

/// The link format this build writes.
pub const LINK_FORMAT: u32 = 2;

/// Links longer than this are refused before decoding (browsers cap URLs around 2 MB).
pub const MAX_LINK_CHARS: usize = 2_000_000;

/// A scenario larger than this is refused, from a link (after decompression: this also
/// defuses decompression bombs) and from a file alike: one limit, so that every scenario the
/// app opens can be shared again the way it came, and a link is only refused for its length.
pub const MAX_SCENARIO_BYTES: usize = 20 * 1024 * 1024;

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

/// What the address bar asks to open, and whether it was in the query string (`?s=…`), which
/// reaches the server on every load, rather than in the fragment.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub target: LinkTarget,
    pub from_query: bool,
}

/// Why a link could not be opened. Displayed to the user as is.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    /// Made by a newer version of the app.
    NewerFormat(String),
    /// A format number no version writes (`0`, `01`).
    UnknownFormat(String),
    /// The payload is not valid base64url.
    BadEncoding,
    /// The payload does not decompress (truncated or altered).
    Corrupt,
    /// The checksum does not match: changed or cut after it was made.
    Damaged,
    /// It decompressed to bytes that are not UTF-8 text.
    NotText,
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
                "this link was made by a newer version of power-payg (link format {v}); this version opens formats 1 to {LINK_FORMAT}"
            ),
            LinkError::UnknownFormat(v) => write!(
                f,
                "this link's format ({v}) is not one power-payg writes: was it edited?"
            ),
            LinkError::BadEncoding => f.write_str("this link is damaged: its scenario part is not valid base64url (was it cut or edited?)"),
            LinkError::Corrupt => f.write_str("this link is damaged: its scenario does not decompress (was it cut short?)"),
            LinkError::Damaged => f.write_str("this link is damaged: it was changed or cut after it was made"),
            LinkError::NotText => f.write_str("this link is damaged: its scenario is not text (not UTF-8)"),
            LinkError::TooLarge => f.write_str("this link holds more data than a scenario can have"),
            LinkError::Invalid(problems) => {
                write!(
                    f,
                    "this link's scenario is invalid ({}): ",
                    decode::problem_count(problems)
                )?;
                const SHOWN: usize = 5;
                for (i, p) in problems.iter().take(SHOWN).enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p}")?;
                }
                // The decoder's last entry summarises what it did not list: not a problem.
                if problems.len() > decode::MAX_PROBLEMS {
                    f.write_str("; and more")?;
                } else if problems.len() > SHOWN {
                    write!(f, "; and {} more", problems.len() - SHOWN)?;
                }
                Ok(())
            }
        }
    }
}

/// The fragment (without `#`) that carries a scenario: `s=2.<payload>`.
pub fn encode_fragment(scenario: &Scenario) -> String {
    fragment_from_text(&decode::encode_scenario(scenario))
}

/// The fragment for a scenario's file text ([`decode::encode_scenario`]). The app calls this
/// from a chunk of its own (`ui::chunks::with_fragment`): the compressor is ~16 KB of wasm
/// that the first total does not need, so it takes the text, which the autosave makes anyway.
pub fn fragment_from_text(pretty: &str) -> String {
    // The link carries compact JSON, made from the pretty text that files and storage use:
    // one serialiser in the wasm instead of two (the compact one was ~15 KB of code).
    let json = compact_json(pretty);
    let mut data = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let sum = crc32(&data);
    data.extend_from_slice(&sum.to_be_bytes());
    format!("s={LINK_FORMAT}.{}", URL_SAFE_NO_PAD.encode(data))
}

/// `serde_json`'s compact text from its pretty text: the whitespace between tokens goes,
/// strings (whose whitespace is escaped or meant) stay as they are.
pub fn compact_json(pretty: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(pretty.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in pretty.as_bytes() {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            in_string = b == b'"';
            out.push(b);
        }
    }
    out
}

/// Reads a URL fragment (with or without `#`) or query string (with or without `?`).
pub fn decode_link(part: &str) -> Result<LinkTarget, LinkError> {
    let part = part.trim_start_matches(['#', '?']);
    if part.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLarge);
    }
    for param in part.split('&') {
        if let Some(payload) = scenario_param(param) {
            return decode_payload(payload).map(|s| LinkTarget::Scenario(Box::new(s)));
        }
        if let Some(name) = param.strip_prefix("example=") {
            return Ok(LinkTarget::Example(name.to_string()));
        }
    }
    // `s=2.` with a character changed, added or removed is a damaged link, not a fragment of
    // someone else's: opening the autosave instead would go unnoticed.
    if part.split('&').any(damaged_link) {
        return Err(LinkError::Damaged);
    }
    Ok(LinkTarget::Nothing)
}

/// Reads the address bar: the fragment (`location.hash`), else the query string
/// (`location.search`), saying which one held the link.
pub fn decode_location(hash: &str, search: &str) -> Result<Opened, LinkError> {
    match decode_link(hash)? {
        LinkTarget::Nothing => decode_link(search).map(|target| Opened {
            from_query: target != LinkTarget::Nothing,
            target,
        }),
        target => Ok(Opened {
            target,
            from_query: false,
        }),
    }
}

/// The query string (`?a=1&s=2.…`) without its link parameters (`s=`, `example=`): what the
/// address should keep when the link moves to the fragment. Empty, or starting with `?`.
pub fn query_without_link(search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && scenario_param(p).is_none() && !p.starts_with("example="))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

/// The payload of `s=…`, also spelled `S=…` or with the `=` percent-encoded (`s%3D…`).
fn scenario_param(param: &str) -> Option<&str> {
    let name = param.get(..1).filter(|n| n.eq_ignore_ascii_case("s"))?;
    let rest = &param[name.len()..];
    rest.strip_prefix('=').or_else(|| {
        rest.get(..3)
            .filter(|eq| eq.eq_ignore_ascii_case("%3d"))
            .map(|_| &rest[3..])
    })
}

/// Whether a parameter looks like a scenario link with its start damaged: a format number and
/// a dot among its first characters, then a long base64url payload.
fn damaged_link(param: &str) -> bool {
    let b = param.as_bytes();
    (1..6).any(|dot| {
        let payload = b.get(dot + 1..).unwrap_or_default();
        b.get(dot) == Some(&b'.')
            && b.get(dot - 1).is_some_and(u8::is_ascii_digit)
            && payload.len() >= 16
            && payload
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'='))
    })
}

fn decode_payload(payload: &str) -> Result<Scenario, LinkError> {
    let (version, data) = payload.split_once('.').ok_or(LinkError::BadEncoding)?;
    let checked = match version {
        "1" => false,
        "2" => true,
        v if !v.is_empty() && v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(if v.starts_with('0') {
                LinkError::UnknownFormat(v.to_string())
            } else {
                LinkError::NewerFormat(v.to_string())
            });
        }
        _ => return Err(LinkError::BadEncoding),
    };
    // Format 1: base64url (no padding) of raw deflate of the scenario JSON. Format 2: the
    // same bytes followed by their CRC-32, big-endian. Links pasted from chat tools sometimes
    // gain padding; accept it.
    let data = data.trim_end_matches('=');
    let damaged = if checked {
        LinkError::Damaged
    } else {
        LinkError::BadEncoding
    };
    let mut bytes = URL_SAFE_NO_PAD.decode(data).map_err(|_| damaged.clone())?;
    if checked {
        let split = bytes.len().checked_sub(4).ok_or(LinkError::Damaged)?;
        let sum = bytes.split_off(split);
        if sum != crc32(&bytes).to_be_bytes() {
            return Err(LinkError::Damaged);
        }
    }
    inflate(&bytes)
}

fn inflate(compressed: &[u8]) -> Result<Scenario, LinkError> {
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(compressed, MAX_SCENARIO_BYTES)
        .map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
        _ => LinkError::Corrupt,
    })?;
    let text = String::from_utf8(json).map_err(|_| LinkError::NotText)?;
    decode::decode_scenario(&text).map_err(LinkError::Invalid)
}

/// CRC-32 (IEEE 802.3, as zlib and PNG), bit by bit: a table would add 1 KB to the wasm for
/// speed that links of a few kilobytes do not need.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_json_keeps_strings_and_drops_the_rest_of_the_whitespace() {
        let pretty = "{\n  \"name\": \"a \\\" b\\\\\",\n  \"x\": [\n    1,\n    2\n  ],\n  \"t\": \"\\t \\n\"\n}";
        assert_eq!(
            String::from_utf8(compact_json(pretty)).expect("utf-8"),
            "{\"name\":\"a \\\" b\\\\\",\"x\":[1,2],\"t\":\"\\t \\n\"}"
        );
        for e in crate::engine::examples::list() {
            let s = crate::engine::examples::scenario(e.name).expect("example");
            let pretty = decode::encode_scenario(&s);
            assert_eq!(
                compact_json(&pretty),
                serde_json::to_vec(&s).expect("json"),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn crc32_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn spellings_of_the_scenario_parameter() {
        assert_eq!(scenario_param("s=2.x"), Some("2.x"));
        assert_eq!(scenario_param("S=2.x"), Some("2.x"));
        assert_eq!(scenario_param("s%3D2.x"), Some("2.x"));
        assert_eq!(scenario_param("S%3d2.x"), Some("2.x"));
        assert_eq!(scenario_param("s2.x"), None);
        assert_eq!(scenario_param("sx=2"), None);
        assert_eq!(scenario_param("é=2"), None);
        assert_eq!(scenario_param(""), None);
    }
}
