//! Reading scenario files: JSON in, a [`Scenario`] or every problem found, by field path.
//!
//! The JSON shape is exactly the serde shape of the types in [`super::scenario`] (serde is the
//! serialiser, so `serde_json::to_string(&scenario)` decodes back to an equal scenario), but
//! decoding does not go through serde's derive: serde stops at the first error and says little
//! about where it is. Here a reader that knows the path it is at walks the JSON and keeps going
//! after a problem, so a file with three mistakes gets three messages like
//! `environments[0].apps[2].user_groups[0].users: must be a whole number ≥ 0, got -3`.
//!
//! Reading takes two passes over the text and builds no tree. serde_json first checks the
//! syntax (with its line and column messages and its nesting limit) without keeping anything;
//! then the reader takes each object apart only when it gets to it, one level at a time, so
//! memory is the text plus the scenario (a `serde_json::Value` tree cost about 20 times the
//! file: a big file took gigabytes). Duplicate keys are refused here too (a tree keeps one of
//! them silently, and JSON readers disagree on which).
//!
//! Beyond types, the reader checks what keeps pricing meaningful and exact: bounds on counts,
//! GB and prices, and on the two products of counts the meters form (an ISV customer's runs, a
//! requests consumer's month), so that no amount of a valid file overflows a `Decimal`; days
//! within the scenario's month, references to named users, and the few cross-field limits a
//! form would enforce. Nothing in here panics, whatever the input (a property test feeds it
//! random bytes).
//!
//! Decimals (GB, prices) are read from JSON strings (`"1.5"`, how serde writes them) or JSON
//! numbers, always from their decimal text as written in the file, never through binary
//! floating point, so `1.00000000000000000001` stays exactly that (and the wasm carries no
//! float parser).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use rust_decimal::Decimal;

use super::advisor_inputs::{
    AdvisorInputs, DEFAULT_PROJECTION_MONTHS, FlowSizing, Growth, MAX_HORIZON_MONTHS,
};
use super::keys::Keyed;
use super::licence::{FlowLicence, Licence};
use super::price_book::{PriceBookId, PriceKey};
use super::scenario::*;

pub use super::limits::{MAX_COUNT, MAX_GB, MAX_LIST, MAX_PRICE, MAX_SMALL};

/// Problems listed before the rest are summarised in one line (a broken file of a million
/// records would otherwise produce a million messages).
pub const MAX_PROBLEMS: usize = 1_000;

/// Years a billing month may fall in (the calculator's forms offer the same range).
const YEARS: (u64, u64) = (super::limits::MIN_YEAR, super::limits::MAX_YEAR);

/// One thing wrong with a scenario file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Field path like `environments[0].apps[2].name`; empty for the file as a whole.
    pub path: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Decodes a scenario file, or lists every problem in it (in the order of the format, not of
/// the file). Never panics.
pub fn decode_scenario(json: &str) -> Result<Scenario, Vec<Problem>> {
    // A byte-order mark is invisible in editors and harmless; serde_json rejects it.
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    if json.trim().is_empty() {
        return Err(vec![Problem {
            path: String::new(),
            message: "the file is empty; a scenario is a JSON object (see docs/scenario-format.md)"
                .to_string(),
        }]);
    }
    // The syntax first, keeping nothing: the reader below may then assume well-formed JSON.
    if let Err(e) = serde_json::from_str::<WellFormed>(json) {
        return Err(vec![syntax_problem(&e)]);
    }
    let (root, _) = value_at(json, skip_space(json.as_bytes(), 0));
    let mut reader = Reader::new();
    let scenario = reader.scenario(&root);
    match (scenario, reader.finish()) {
        (Some(s), problems) if problems.is_empty() => Ok(s),
        (_, problems) if problems.is_empty() => Err(vec![Problem {
            path: String::new(),
            message: "the scenario could not be read".to_string(),
        }]),
        (_, problems) => Err(problems),
    }
}

/// "1 problem", "7 problems", or "more than 1,000 problems" when [`decode_scenario`] listed
/// [`MAX_PROBLEMS`] and summarised the rest (its last entry is that summary, not a problem).
pub fn problem_count(problems: &[Problem]) -> String {
    match problems.len() {
        1 => "1 problem".to_string(),
        n if n > MAX_PROBLEMS => format!("more than {} problems", group(MAX_PROBLEMS as u64)),
        n => format!("{} problems", group(n as u64)),
    }
}

/// Writes a scenario as pretty JSON: the file format that [`decode_scenario`] reads.
pub fn encode_scenario(s: &Scenario) -> String {
    // Serialising plain data cannot fail: every map key (PriceKey) serialises as a string and
    // there is no I/O. An empty string would be the only (unreachable) fallback.
    serde_json::to_string_pretty(s).unwrap_or_default()
}

fn syntax_problem(e: &serde_json::Error) -> Problem {
    let full = e.to_string();
    let location = format!(" at line {} column {}", e.line(), e.column());
    let what = full.strip_suffix(&location).unwrap_or(&full);
    let message = if what.contains("recursion limit") {
        format!(
            "not valid as a scenario: nested more than 128 levels deep (line {}, column {})",
            e.line(),
            e.column()
        )
    } else if e.line() == 0 {
        format!("not valid JSON: {what}")
    } else {
        format!(
            "not valid JSON at line {}, column {}: {what}",
            e.line(),
            e.column()
        )
    };
    Problem {
        path: String::new(),
        message,
    }
}

/// A plain decimal text (`-12.5`, `300`) from JSON number text that may use an exponent
/// (`1.5e-7`, `1e+20`). `None` if it is not a number or its exponent is absurd.
fn decimal_text(token: &str) -> Option<String> {
    let (mantissa, exponent) = match token.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().ok()?),
        None => (token, 0),
    };
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // Far beyond any bound or any precision a Decimal has: report as out of range.
    if !(-60..=60).contains(&exponent) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let point = int.len() as i32 + exponent;
    let mut out = String::with_capacity(digits.len() + 64);
    if negative {
        out.push('-');
    }
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    // Leading zeros of the integer part are harmless to Decimal but untidy in messages.
    let trimmed = {
        let (sign, body) = out.split_at(usize::from(negative));
        let body = body.trim_start_matches('0');
        let body = if body.is_empty() || body.starts_with('.') {
            format!("0{body}")
        } else {
            body.to_string()
        };
        format!("{sign}{body}")
    };
    Some(trimmed)
}

// ---- the JSON text --------------------------------------------------------------------------

/// Checks that a text is one JSON value, keeping nothing of it. serde_json's own checks
/// (syntax, nesting at most 128 levels, nothing after the value) and messages apply.
struct WellFormed;

impl<'de> serde::Deserialize<'de> for WellFormed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WellFormed)
    }
}

impl<'de> serde::de::Visitor<'de> for WellFormed {
    type Value = WellFormed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(WellFormed)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(WellFormed)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(WellFormed)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(WellFormed)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self, E> {
        Ok(WellFormed)
    }
    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(WellFormed)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Self, A::Error> {
        while items.next_element::<WellFormed>()?.is_some() {}
        Ok(WellFormed)
    }
    // Objects, and numbers too: with `arbitrary_precision` serde_json hands a number over as a
    // one-entry map holding its text.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut entries: A) -> Result<Self, A::Error> {
        while entries.next_key::<WellFormed>()?.is_some() {
            entries.next_value::<WellFormed>()?;
        }
        Ok(WellFormed)
    }
}

/// A JSON value inside a text that [`WellFormed`] accepted, as a slice of that text: scalars
/// are read from it as written, lists and objects are taken apart when the reader gets to them.
#[derive(Clone, Copy)]
enum Value<'a> {
    Null,
    Bool(bool),
    /// The number as written (`3`, `-1.5e3`).
    Number(&'a str),
    /// The string as written, with its quotes and escapes.
    String(&'a str),
    Array(&'a str),
    Object(&'a str),
}

/// The fields of one object, in file order (repeats included, so that they can be refused).
/// Keys are as written between their quotes ([`key_text`] resolves escapes): nothing here
/// owns memory but the list, so dropping an object (at every object of the reader) is cheap
/// in code and time.
struct Obj<'a> {
    fields: Vec<(&'a str, Value<'a>)>,
}

impl<'a> Obj<'a> {
    fn parse(raw: &'a str) -> Obj<'a> {
        let b = raw.as_bytes();
        let mut fields = Vec::new();
        let mut i = 1;
        loop {
            i = skip_space(b, i);
            if b.get(i) != Some(&b'"') {
                break;
            }
            let key_end = value_end(b, i);
            let key = raw.get(i + 1..key_end.saturating_sub(1)).unwrap_or("");
            i = skip_space(b, key_end);
            if b.get(i) != Some(&b':') {
                break;
            }
            let (value, end) = value_at(raw, skip_space(b, i + 1));
            fields.push((key, value));
            i = skip_space(b, end);
            if b.get(i) != Some(&b',') {
                break;
            }
            i += 1;
        }
        Obj { fields }
    }

    /// The first value of a field (a repeated one is a problem of its own).
    // Not inlined: it is called at some 200 places of the reader (the wasm's size).
    #[inline(never)]
    fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.fields
            .iter()
            .find(|(k, _)| *k == name || (k.contains('\\') && key_text(k) == name))
            .map(|(_, v)| v)
    }
}

/// The elements of a list's text, one at a time.
struct Items<'a> {
    raw: &'a str,
    at: usize,
}

fn items(raw: &str) -> Items<'_> {
    Items { raw, at: 1 }
}

impl<'a> Iterator for Items<'a> {
    type Item = Value<'a>;

    // Not inlined into each of the reader's lists (the wasm's size).
    #[inline(never)]
    fn next(&mut self) -> Option<Value<'a>> {
        let b = self.raw.as_bytes();
        let i = skip_space(b, self.at);
        if matches!(b.get(i), None | Some(b']')) {
            return None;
        }
        let (value, end) = value_at(self.raw, i);
        let after = skip_space(b, end);
        // Past the end unless a comma follows; also on text that did not advance, which a
        // well-formed list never has, so that no input can loop.
        self.at = if end > i && b.get(after) == Some(&b',') {
            after + 1
        } else {
            b.len()
        };
        Some(value)
    }
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// The value that starts at byte `i` of `text`, and the byte after it.
#[inline(never)]
fn value_at(text: &str, i: usize) -> (Value<'_>, usize) {
    let b = text.as_bytes();
    let end = value_end(b, i);
    let raw = text.get(i..end).unwrap_or("");
    let value = match b.get(i) {
        Some(b'"') => Value::String(raw),
        Some(b'[') => Value::Array(raw),
        Some(b'{') => Value::Object(raw),
        Some(b't') => Value::Bool(true),
        Some(b'f') => Value::Bool(false),
        Some(b'n') => Value::Null,
        _ => Value::Number(raw),
    };
    (value, end)
}

/// The byte after the well-formed value that starts at byte `i`.
fn value_end(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => string_end(b, i),
        Some(b'[' | b'{') => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(&c) = b.get(j) {
                match c {
                    b'"' => {
                        j = string_end(b, j);
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while let Some(c) = b.get(j)
                && !matches!(c, b',' | b']' | b'}' | b':' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            j
        }
    }
}

/// The byte after the string whose opening quote is at byte `i`.
fn string_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while let Some(&c) = b.get(j) {
        match c {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// The text of a string as written (quotes and escapes); borrowed unless it has escapes.
fn unquote(raw: &str) -> Cow<'_, str> {
    key_text(
        raw.strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .unwrap_or(""),
    )
}

/// The text of a string as written between its quotes; borrowed unless it has escapes.
fn key_text(inner: &str) -> Cow<'_, str> {
    if inner.contains('\\') {
        Cow::Owned(unescape(inner))
    } else {
        Cow::Borrowed(inner)
    }
}

/// JSON escapes resolved. serde_json has checked them (a lone surrogate is a syntax error);
/// by hand because serde_json's own string reader costs 3 KB of wasm for this one use.
fn unescape(inner: &str) -> String {
    fn hex4(chars: &mut std::str::Chars<'_>) -> u32 {
        (0..4).fold(0, |n, _| {
            n * 16 + chars.next().and_then(|c| c.to_digit(16)).unwrap_or(0)
        })
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let plain = match chars.next() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('u') => {
                let mut code = hex4(&mut chars);
                if (0xD800..0xDC00).contains(&code) {
                    // The second half of a surrogate pair follows as `\uDC00`..`\uDFFF`.
                    let mut ahead = chars.clone();
                    if ahead.next() == Some('\\') && ahead.next() == Some('u') {
                        let low = hex4(&mut ahead);
                        if (0xDC00..0xE000).contains(&low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            chars = ahead;
                        }
                    }
                }
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            // `\"`, `\\`, `\/`.
            Some(other) => other,
            None => break,
        };
        out.push(plain);
    }
    out
}

/// The pay-as-you-go meter ids a billing plan lists (third-party observation of
/// `payGoEntitlements`, spec changes 1.3), by position in [`Reader::billing_plan_meters`].
const BILLING_PLAN_METERS: [(&str, usize); 11] = [
    ("AppPass", 0),
    ("CloudFlowRuns", 1),
    ("PAAttendedRPA", 2),
    ("PAUnattendedRPA", 3),
    ("PowerPagesAuthenticated", 4),
    ("PowerPagesAnonymous", 5),
    ("Database", 6),
    ("File", 7),
    ("Log", 8),
    ("MCSMessages", 9),
    ("W365APAYGO", 10),
];

fn listed_ids(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One step of a field path.
enum Seg {
    Field(&'static str),
    Key(String),
    Index(usize),
}

/// Walks a `Value`, remembering the path, collecting problems.
struct Reader {
    path: Vec<Seg>,
    problems: Vec<Problem>,
    omitted: usize,
    /// Days of the scenario's month (31 until the month is known or when it is invalid, so
    /// that day checks still run without spurious problems).
    month_days: u32,
    month_label: String,
}

impl Reader {
    fn new() -> Reader {
        Reader {
            path: Vec::new(),
            problems: Vec::new(),
            omitted: 0,
            month_days: 31,
            month_label: "the month".to_string(),
        }
    }

    fn finish(mut self) -> Vec<Problem> {
        if self.omitted > 0 {
            self.problems.push(Problem {
                path: String::new(),
                message: format!(
                    "… and {} more {} not listed",
                    group(self.omitted as u64),
                    if self.omitted == 1 {
                        "problem"
                    } else {
                        "problems"
                    }
                ),
            });
        }
        self.problems
    }

    fn path_string(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Seg::Key(key) => {
                    let plain = !key.is_empty()
                        && key.len() <= 64
                        && key
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                    if plain {
                        if !out.is_empty() {
                            out.push('.');
                        }
                        out.push_str(key);
                    } else {
                        out.push('[');
                        out.push_str(&quoted(key));
                        out.push(']');
                    }
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// Records a problem at the current path.
    fn problem(&mut self, message: impl Into<String>) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.omitted += 1;
            return;
        }
        let path = self.path_string();
        self.problems.push(Problem {
            path,
            message: message.into(),
        });
    }

    fn within<T>(&mut self, seg: Seg, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(seg);
        let out = f(self);
        self.path.pop();
        out
    }

    // ---- structure -------------------------------------------------------------------------

    /// The value as an object (type check and repeated keys only).
    fn as_object<'a>(&mut self, v: &Value<'a>) -> Option<Obj<'a>> {
        match v {
            Value::Object(raw) => {
                let o = Obj::parse(raw);
                self.duplicate_keys(&o);
                Some(o)
            }
            other => {
                self.problem(format!("must be an object {{…}}, got {}", shown(other)));
                None
            }
        }
    }

    /// Reports every key given more than once in `o`, once each.
    fn duplicate_keys(&mut self, o: &Obj) {
        if o.fields.len() < 2 {
            return;
        }
        let keys: Vec<Cow<str>> = o.fields.iter().map(|(k, _)| key_text(k)).collect();
        // (key, how many times), in the order of their first repeat. Objects of the format
        // have at most 14 fields: compare them pairwise; a hostile one may have a million.
        let repeated: Vec<(&str, usize)> = if keys.len() <= 16 {
            keys.iter()
                .enumerate()
                .filter(|(i, k)| keys.iter().take(*i).filter(|other| other == k).count() == 1)
                .map(|(_, k)| {
                    let times = keys.iter().filter(|other| *other == k).count();
                    (k.as_ref(), times)
                })
                .collect()
        } else {
            let mut times: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
            let mut order = Vec::new();
            for k in &keys {
                let n = times.entry(k.as_ref()).or_insert(0);
                *n += 1;
                if *n == 2 {
                    order.push(k.as_ref());
                }
            }
            order
                .into_iter()
                .map(|k| (k, *times.entry(k).or_default()))
                .collect()
        };
        for (key, times) in repeated {
            self.within(Seg::Key(key.to_string()), |r| {
                r.problem(format!(
                    "duplicate key: given {times} times; give it once (JSON readers disagree on which value counts)"
                ))
            });
        }
    }

    /// Reports every field of `o` that is not in `fields`.
    fn known_fields(&mut self, o: &Obj, fields: &[&str]) {
        for (raw, _) in &o.fields {
            let key = key_text(raw);
            if !fields.contains(&key.as_ref()) {
                let mut message = format!(
                    "unknown field `{}`; expected one of {}",
                    clip(&key),
                    listed(fields)
                );
                if let Some(near) = nearest(&key, fields) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                self.within(Seg::Key(key.into_owned()), |r| r.problem(message));
            }
        }
    }

    /// The value as an object with exactly these possible fields.
    fn object<'a>(&mut self, v: &Value<'a>, fields: &[&str]) -> Option<Obj<'a>> {
        let o = self.as_object(v)?;
        self.known_fields(&o, fields);
        Some(o)
    }

    /// A required field.
    fn req<'a, T>(
        &mut self,
        o: &Obj<'a>,
        name: &'static str,
        f: impl FnOnce(&mut Self, &Value<'a>) -> Option<T>,
    ) -> Option<T> {
        match o.get(name) {
            Some(v) => self.within(Seg::Field(name), |r| f(r, v)),
            None => {
                self.within(Seg::Field(name), |r| r.problem("is required but missing"));
                None
            }
        }
    }

    /// An optional field: missing or `null` gives the default (serde's default for it).
    fn opt<'a, T>(
        &mut self,
        o: &Obj<'a>,
        name: &'static str,
        default: impl FnOnce() -> T,
        f: impl FnOnce(&mut Self, &Value<'a>) -> Option<T>,
    ) -> Option<T> {
        match o.get(name) {
            None | Some(Value::Null) => Some(default()),
            Some(v) => self.within(Seg::Field(name), |r| f(r, v)),
        }
    }

    /// A list, every element read (and every problem found) even after a bad one.
    fn list<'a, T>(
        &mut self,
        v: &Value<'a>,
        mut f: impl FnMut(&mut Self, &Value<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let raw = match v {
            Value::Array(raw) => *raw,
            other => {
                self.problem(format!("must be a list […], got {}", shown(other)));
                return None;
            }
        };
        // Counted first (one more pass over its text) so the scenario's list is allocated
        // once at its size: growing it by doubling would hold up to twice its memory.
        let len = items(raw).count();
        if len > MAX_LIST {
            self.problem(format!(
                "has {} entries; at most {} are accepted",
                group(len as u64),
                group(MAX_LIST as u64)
            ));
            return None;
        }
        let mut out = Vec::with_capacity(len);
        let mut ok = true;
        for (i, item) in items(raw).enumerate() {
            match self.within(Seg::Index(i), |r| f(r, &item)) {
                Some(x) if ok => out.push(x),
                Some(_) => {}
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    // ---- scalars ---------------------------------------------------------------------------

    fn string(&mut self, v: &Value) -> Option<String> {
        match v {
            Value::String(raw) => Some(unquote(raw).into_owned()),
            other => {
                self.problem(format!("must be a string \"…\", got {}", shown(other)));
                None
            }
        }
    }

    fn boolean(&mut self, v: &Value) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                self.problem(format!("must be true or false, got {}", shown(other)));
                None
            }
        }
    }

    /// A whole number ≥ 0, or `None` if it is not one (the caller says what was expected).
    /// Integral numbers written with a fraction or exponent (`3.0`, `1e3`) are accepted; one
    /// beyond `u64` reads as `u64::MAX`, above every bound.
    fn whole(&self, v: &Value) -> Option<u64> {
        let Value::Number(raw) = *v else {
            return None;
        };
        // Plain digits are nearly every count in a file: no text to rewrite.
        if raw.bytes().all(|b| b.is_ascii_digit()) {
            return Some(raw.parse::<u64>().unwrap_or(u64::MAX));
        }
        let Some(text) = decimal_text(raw) else {
            // serde_json checked the syntax, so only an exponent beyond ±60 gets here.
            let (mantissa, exponent) = raw.split_once(['e', 'E'])?;
            if mantissa.starts_with('-') {
                return None;
            }
            if mantissa.bytes().all(|b| b == b'0' || b == b'.') {
                return Some(0);
            }
            return (!exponent.starts_with('-')).then_some(u64::MAX);
        };
        if text.starts_with('-') {
            // "-0" and "-0.0" are zero, not negative (as for decimals).
            return text
                .bytes()
                .all(|b| matches!(b, b'-' | b'0' | b'.'))
                .then_some(0);
        }
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        if frac.bytes().any(|b| b != b'0') {
            return None;
        }
        Some(int.parse::<u64>().unwrap_or(u64::MAX))
    }

    /// A count: a whole number from 0 to [`MAX_COUNT`].
    fn count(&mut self, v: &Value) -> Option<u64> {
        let Some(n) = self.whole(v) else {
            let got = shown(v);
            self.problem(format!("must be a whole number ≥ 0, got {got}"));
            return None;
        };
        if n > MAX_COUNT {
            let got = shown(v);
            self.problem(format!("must be at most {}, got {got}", group(MAX_COUNT)));
            return None;
        }
        Some(n)
    }

    /// A whole number in `lo..=hi`; `what` names the range in the message (made only when
    /// there is a problem: this runs for every record of a large file).
    fn bounded(
        &mut self,
        v: &Value,
        lo: u64,
        hi: u64,
        what: impl FnOnce(&Self) -> String,
    ) -> Option<u64> {
        match self.whole(v) {
            Some(n) if (lo..=hi).contains(&n) => Some(n),
            _ => {
                let got = shown(v);
                let what = what(self);
                self.problem(format!(
                    "must be {what} from {lo} to {}, got {got}",
                    group(hi)
                ));
                None
            }
        }
    }

    fn small(&mut self, v: &Value) -> Option<u32> {
        self.bounded(v, 0, u64::from(MAX_SMALL), |_| "a whole number".to_string())
            .and_then(|n| u32::try_from(n).ok())
    }

    /// A day of the scenario's month.
    fn day(&mut self, v: &Value) -> Option<u8> {
        let days = u64::from(self.month_days);
        self.bounded(v, 1, days, |r| format!("a day of {}", r.month_label))
            .and_then(|n| u8::try_from(n).ok())
    }

    /// An exact decimal from 0 to `max`, from a JSON string or number; `unit` ends the
    /// bound message ("GB").
    fn decimal(&mut self, v: &Value, max: u64, unit: &str) -> Option<Decimal> {
        let expected = "a decimal number ≥ 0 like \"1.5\"";
        let (text, shown_text) = match v {
            Value::String(raw) => {
                let s = unquote(raw);
                let t = s.trim();
                let body = t.strip_prefix('-').unwrap_or(t);
                let (int, frac) = body.split_once('.').unwrap_or((body, ""));
                let well_formed = !int.is_empty()
                    && int.bytes().all(|b| b.is_ascii_digit())
                    && (!body.contains('.') || !frac.is_empty())
                    && frac.bytes().all(|b| b.is_ascii_digit());
                if !well_formed {
                    self.problem(format!("must be {expected}, got {}", quoted(&s)));
                    return None;
                }
                (t.to_string(), quoted(&s))
            }
            Value::Number(raw) => {
                let raw = *raw;
                match decimal_text(raw) {
                    Some(t) => (t, clip(raw)),
                    None => {
                        self.problem(format!(
                            "must be at most {} {unit}, got {}",
                            group(max),
                            clip(raw)
                        ));
                        return None;
                    }
                }
            }
            other => {
                self.problem(format!("must be {expected}, got {}", shown(other)));
                return None;
            }
        };
        if text.starts_with('-') {
            // "-0" and "-0.0" are zero, not negative.
            if text.bytes().all(|b| matches!(b, b'-' | b'0' | b'.')) {
                return Some(Decimal::ZERO);
            }
            self.problem(format!("must be ≥ 0, got {shown_text}"));
            return None;
        }
        let int_digits = text
            .split('.')
            .next()
            .unwrap_or("")
            .trim_start_matches('0')
            .len();
        if int_digits > 20 {
            self.problem(format!(
                "must be at most {} {unit}, got {shown_text}",
                group(max)
            ));
            return None;
        }
        let d = match Decimal::from_str_exact(&text) {
            Ok(d) => d,
            Err(_) => {
                self.problem(format!(
                    "has too many decimal places (at most 28), got {shown_text}"
                ));
                return None;
            }
        };
        if d > Decimal::from(max) {
            self.problem(format!(
                "must be at most {} {unit}, got {shown_text}",
                group(max)
            ));
            return None;
        }
        Some(d)
    }

    fn gb(&mut self, v: &Value) -> Option<Decimal> {
        self.decimal(v, MAX_GB, "GB")
    }

    /// One of the keys of a [`keyed_enum!`](crate::keyed_enum) enum: the enum's own table,
    /// so the decoder reads exactly what serde writes.
    fn keyed<T: Keyed>(&mut self, v: &Value, what: &str) -> Option<T> {
        let i = self.choice(v, what, T::keys())?;
        T::all().get(i).copied()
    }

    /// The position of a value in a fixed list of keys. Not generic, so that its messages
    /// are in the wasm once rather than once per enum.
    fn choice(&mut self, v: &Value, what: &str, keys: &[&str]) -> Option<usize> {
        match v {
            Value::String(raw) => {
                let s = unquote(raw);
                let found = keys.iter().position(|k| *k == s);
                if found.is_none() {
                    let mut message = format!(
                        "unknown {what} `{}`; expected one of {}",
                        clip(&s),
                        listed(keys)
                    );
                    if let Some(near) = nearest(&s, keys) {
                        message.push_str(&format!("; did you mean `{near}`?"));
                    }
                    self.problem(message);
                }
                found
            }
            other => {
                let got = shown(other);
                self.problem(format!(
                    "must be a {what}, one of {}; got {got}",
                    listed(keys)
                ));
                None
            }
        }
    }

    fn licence(&mut self, v: &Value) -> Option<Licence> {
        self.keyed(v, "licence")
    }

    fn flow_licence(&mut self, v: &Value) -> Option<FlowLicence> {
        self.keyed(v, "flow licence")
    }

    // ---- the scenario ----------------------------------------------------------------------

    fn scenario(&mut self, v: &Value) -> Option<Scenario> {
        if !matches!(v, Value::Object(_)) {
            self.problem(format!(
                "a scenario must be a JSON object {{…}}, got {}",
                shown(v)
            ));
            return None;
        }
        let o = self.as_object(v)?;
        // The version decides how the rest reads: a newer format's fields would only produce
        // noise, so it is the one problem reported.
        let version = match o.get("version") {
            None => {
                self.within(Seg::Field("version"), |r| {
                    r.problem(format!(
                        "is required but missing (this version of power-payg writes format {SCENARIO_FORMAT_VERSION})"
                    ))
                });
                None
            }
            Some(v) => match as_u64(v) {
                Some(n) if n == u64::from(SCENARIO_FORMAT_VERSION) => Some(SCENARIO_FORMAT_VERSION),
                Some(n) if n > u64::from(SCENARIO_FORMAT_VERSION) => {
                    self.within(Seg::Field("version"), |r| {
                        r.problem(format!(
                            "written by a newer version of power-payg (format {n}); this version reads format {SCENARIO_FORMAT_VERSION}"
                        ))
                    });
                    return None;
                }
                _ => {
                    let got = shown(v);
                    self.within(Seg::Field("version"), |r| {
                        r.problem(format!(
                            "must be {SCENARIO_FORMAT_VERSION} (the scenario format), got {got}"
                        ))
                    });
                    None
                }
            },
        };
        self.known_fields(
            &o,
            &[
                "version",
                "name",
                "price_book",
                "price_overrides",
                "month",
                "options",
                "environments",
                "isv_customers",
                "advisor",
            ],
        );
        let name = self.req(&o, "name", Self::string);
        let price_book = self.req(&o, "price_book", |r, v| {
            r.keyed::<PriceBookId>(v, "price book")
        });
        let month = self.req(&o, "month", Self::month);
        if let Some(m) = month {
            self.month_days = m.days();
            self.month_label = m.to_string();
        }
        let price_overrides = self.opt(&o, "price_overrides", BTreeMap::new, Self::price_overrides);
        let options = self.opt(&o, "options", RuleOptions::default, Self::options);
        let environments = self.req(&o, "environments", |r, v| r.list(v, Self::environment));
        let isv_customers = self.opt(&o, "isv_customers", Vec::new, |r, v| {
            r.list(v, Self::isv_customer)
        });
        let advisor = self.opt(&o, "advisor", || None, |r, v| r.advisor(v).map(Some));
        Some(Scenario {
            version: version?,
            name: name?,
            price_book: price_book?,
            price_overrides: price_overrides?,
            month: month?,
            options: options?,
            environments: environments?,
            isv_customers: isv_customers?,
            advisor: advisor?,
        })
    }

    fn advisor(&mut self, v: &Value) -> Option<AdvisorInputs> {
        let o = self.object(
            v,
            &["horizon_months", "flows", "growth", "projection_months"],
        )?;
        let horizon = self.opt(
            &o,
            "horizon_months",
            || 1,
            |r, v| {
                r.bounded(v, 1, u64::from(MAX_HORIZON_MONTHS), |_| {
                    "a number of months".to_string()
                })
            },
        );
        let flows = self.opt(&o, "flows", Vec::new, |r, v| r.list(v, Self::flow_sizing));
        let growth = self.opt(&o, "growth", Growth::default, |r, v| {
            let text = r.string(v)?;
            Growth::parse(&text).map_err(|e| r.problem(e)).ok()
        });
        let projection = self.opt(
            &o,
            "projection_months",
            || u64::from(DEFAULT_PROJECTION_MONTHS),
            |r, v| {
                r.bounded(v, 1, u64::from(MAX_HORIZON_MONTHS), |_| {
                    "a number of months".to_string()
                })
            },
        );
        Some(AdvisorInputs {
            horizon_months: u32::try_from(horizon?).ok()?,
            flows: flows?,
            growth: growth?,
            projection_months: u32::try_from(projection?).ok()?,
        })
    }

    fn flow_sizing(&mut self, v: &Value) -> Option<FlowSizing> {
        let o = self.object(v, &["environment", "flow", "users", "bots"])?;
        let environment = self.opt(&o, "environment", || None, |r, v| r.string(v).map(Some));
        let flow = self.req(&o, "flow", Self::string);
        let people = |r: &mut Self, v: &Value| {
            r.bounded(v, 1, MAX_COUNT, |_| {
                "a number of people or bots".to_string()
            })
            .map(Some)
        };
        let users = self.opt(&o, "users", || None, people);
        let bots = self.opt(&o, "bots", || None, people);
        Some(FlowSizing {
            environment: environment?,
            flow: flow?,
            users: users?,
            bots: bots?,
        })
    }

    fn month(&mut self, v: &Value) -> Option<BillingMonth> {
        let o = self.object(v, &["year", "month"])?;
        let year = self.req(&o, "year", |r, v| {
            r.bounded(v, YEARS.0, YEARS.1, |_| "a year".to_string())
        });
        let month = self.req(&o, "month", |r, v| {
            r.bounded(v, 1, 12, |_| "a month".to_string())
        });
        Some(BillingMonth {
            year: u16::try_from(year?).ok()?,
            month: u8::try_from(month?).ok()?,
        })
    }

    fn price_overrides(&mut self, v: &Value) -> Option<BTreeMap<PriceKey, Decimal>> {
        let o = self.as_object(v)?;
        let keys: Vec<&str> = PriceKey::ALL.iter().map(|k| k.key()).collect();
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (raw, value) in &o.fields {
            let key = key_text(raw);
            let entry = self.within(Seg::Key(key.to_string()), |r| {
                let price_key = match PriceKey::from_key(&key) {
                    Some(k) => Some(k),
                    None => {
                        let mut message = format!(
                            "unknown price key `{}`; expected one of {}",
                            clip(&key),
                            listed(&keys)
                        );
                        if let Some(near) = nearest(&key, &keys) {
                            message.push_str(&format!("; did you mean `{near}`?"));
                        }
                        r.problem(message);
                        None
                    }
                };
                let price = r.decimal(value, MAX_PRICE, "USD");
                Some((price_key?, price?))
            });
            match entry {
                Some((k, p)) => {
                    out.insert(k, p);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn options(&mut self, v: &Value) -> Option<RuleOptions> {
        let d = RuleOptions::default();
        let o = self.object(
            v,
            &[
                "flow_daily_cap",
                "process_licence_covers_unattended",
                "requests_billing_active",
                "request_stacking",
                "per_app_entitlement_per_app",
                "dataverse_measurement",
                "dataverse_allocation",
            ],
        )?;
        let flow_daily_cap = self.opt(&o, "flow_daily_cap", || d.flow_daily_cap, Self::boolean);
        let process_licence_covers_unattended = self.opt(
            &o,
            "process_licence_covers_unattended",
            || d.process_licence_covers_unattended,
            Self::boolean,
        );
        let requests_billing_active = self.opt(
            &o,
            "requests_billing_active",
            || None,
            |r, v| r.boolean(v).map(Some),
        );
        let request_stacking = self.opt(
            &o,
            "request_stacking",
            || d.request_stacking,
            |r, v| r.keyed::<RequestStacking>(v, "stacking"),
        );
        let per_app_entitlement_per_app = self.opt(
            &o,
            "per_app_entitlement_per_app",
            || d.per_app_entitlement_per_app,
            Self::boolean,
        );
        let dataverse_measurement = self.opt(
            &o,
            "dataverse_measurement",
            || d.dataverse_measurement,
            |r, v| r.keyed::<DataverseMeasurement>(v, "measurement"),
        );
        let dataverse_allocation = self.opt(
            &o,
            "dataverse_allocation",
            || d.dataverse_allocation,
            |r, v| r.keyed::<AllocationMode>(v, "allocation mode"),
        );
        Some(RuleOptions {
            flow_daily_cap: flow_daily_cap?,
            process_licence_covers_unattended: process_licence_covers_unattended?,
            requests_billing_active: requests_billing_active?,
            request_stacking: request_stacking?,
            per_app_entitlement_per_app: per_app_entitlement_per_app?,
            dataverse_measurement: dataverse_measurement?,
            dataverse_allocation: dataverse_allocation?,
        })
    }

    fn environment(&mut self, v: &Value) -> Option<Environment> {
        let o = self.object(
            v,
            &[
                "name",
                "payg",
                "meters",
                "users",
                "apps",
                "flows",
                "websites",
                "storage",
                "requests",
                "copilot_studio",
                "copilot_credits",
                "billing_plan_meters",
            ],
        )?;
        let name = self.req(&o, "name", Self::string);
        let payg = self.req(&o, "payg", Self::boolean);
        let meters = self.opt(&o, "meters", MeterSwitches::default, Self::meters);
        let plan = self.opt(
            &o,
            "billing_plan_meters",
            || None,
            |r, v| r.billing_plan_meters(v).map(Some),
        );
        let meters = match (meters, plan) {
            (_, Some(Some(_))) if !matches!(o.get("meters"), None | Some(Value::Null)) => {
                self.within(Seg::Field("billing_plan_meters"), |r| {
                    r.problem("give either `meters` or `billing_plan_meters`, not both")
                });
                None
            }
            (_, Some(Some(switches))) => Some(switches),
            (meters, Some(None)) => meters,
            (_, None) => None,
        };
        let users = self.opt(&o, "users", Vec::new, |r, v| r.list(v, Self::named_user));
        // Ids for the references in apps and websites; unknown when the list is unreadable,
        // and then references are not checked (one problem is enough).
        let ids: Option<HashSet<String>> = match &users {
            Some(users) => {
                self.duplicate_ids(users);
                Some(users.iter().map(|u| u.id.clone()).collect())
            }
            None => None,
        };
        let ids = ids.as_ref();
        let apps = self.opt(&o, "apps", Vec::new, |r, v| r.list(v, |r, v| r.app(v, ids)));
        let flows = self.opt(&o, "flows", Vec::new, |r, v| r.list(v, Self::flow));
        let websites = self.opt(&o, "websites", Vec::new, |r, v| {
            r.list(v, |r, v| r.website(v, ids))
        });
        let storage = self.opt(&o, "storage", Storage::default, Self::storage);
        let requests = self.opt(&o, "requests", Vec::new, |r, v| {
            r.list(v, Self::request_consumer)
        });
        let copilot_studio = self.opt(
            &o,
            "copilot_studio",
            CopilotStudio::default,
            Self::copilot_studio,
        );
        let copilot_credits = self.opt(
            &o,
            "copilot_credits",
            CopilotCredits::default,
            Self::copilot_credits,
        );
        Some(Environment {
            name: name?,
            payg: payg?,
            meters: meters?,
            users: users?,
            apps: apps?,
            flows: flows?,
            websites: websites?,
            storage: storage?,
            requests: requests?,
            copilot_studio: copilot_studio?,
            copilot_credits: copilot_credits?,
        })
    }

    fn duplicate_ids(&mut self, users: &[NamedUser]) {
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(users.len());
        for (i, u) in users.iter().enumerate() {
            if let Some(j) = first.get(u.id.as_str()).copied() {
                let message = format!("duplicate user id {} (also users[{j}])", quoted(&u.id));
                self.within(Seg::Field("users"), |r| {
                    r.within(Seg::Index(i), |r| {
                        r.within(Seg::Field("id"), |r| r.problem(message))
                    })
                });
            } else {
                first.insert(u.id.as_str(), i);
            }
        }
    }

    fn meters(&mut self, v: &Value) -> Option<MeterSwitches> {
        let o = self.object(
            v,
            &[
                "power_apps",
                "flow_runs",
                "power_pages",
                "dataverse",
                "requests",
                "copilot_studio",
                "windows365_agents",
            ],
        )?;
        let on = || true;
        let power_apps = self.opt(&o, "power_apps", on, Self::boolean);
        let flow_runs = self.opt(&o, "flow_runs", on, Self::boolean);
        let power_pages = self.opt(&o, "power_pages", on, Self::boolean);
        let dataverse = self.opt(&o, "dataverse", on, Self::boolean);
        let requests = self.opt(&o, "requests", on, Self::boolean);
        let copilot_studio = self.opt(&o, "copilot_studio", on, Self::boolean);
        let windows365_agents = self.opt(&o, "windows365_agents", on, Self::boolean);
        Some(MeterSwitches {
            power_apps: power_apps?,
            flow_runs: flow_runs?,
            power_pages: power_pages?,
            dataverse: dataverse?,
            requests: requests?,
            copilot_studio: copilot_studio?,
            windows365_agents: windows365_agents?,
        })
    }

    /// G-2 as a tenant sees it: the meter ids of the billing plan (spec changes 1.3), mapped
    /// onto the switches. The engine switches flow runs, Power Pages and Dataverse as one meter
    /// each, so their ids must be listed all or none. Requests have no id (not billed, PR-1).
    fn billing_plan_meters(&mut self, v: &Value) -> Option<MeterSwitches> {
        let ids = self.list(v, |r, v| {
            let i = r.choice(
                v,
                "billing-plan meter",
                &BILLING_PLAN_METERS.map(|(k, _)| k),
            )?;
            BILLING_PLAN_METERS.get(i).map(|(_, meter)| *meter)
        })?;
        let listed = |i: usize| ids.contains(&i);
        let group = |r: &mut Self, members: &[usize], what: &str| -> Option<bool> {
            let on: Vec<&str> = members
                .iter()
                .filter(|i| listed(**i))
                .map(|i| BILLING_PLAN_METERS[*i].0)
                .collect();
            if on.is_empty() || on.len() == members.len() {
                return Some(!on.is_empty());
            }
            let off: Vec<&str> = members
                .iter()
                .filter(|i| !listed(**i))
                .map(|i| BILLING_PLAN_METERS[*i].0)
                .collect();
            r.problem(format!(
                "lists {} but not {}: this calculator switches {what} as one meter; list all \
                 of them or none",
                listed_ids(&on),
                listed_ids(&off)
            ));
            None
        };
        let power_apps = group(self, &[0], "Power Apps per app");
        let flow_runs = group(self, &[1, 2, 3], "flow runs");
        let power_pages = group(self, &[4, 5], "Power Pages");
        let dataverse = group(self, &[6, 7, 8], "Dataverse");
        let copilot_studio = group(self, &[9], "Copilot Studio");
        let windows365_agents = group(self, &[10], "Windows 365 for Agents");
        Some(MeterSwitches {
            power_apps: power_apps?,
            flow_runs: flow_runs?,
            power_pages: power_pages?,
            dataverse: dataverse?,
            requests: true,
            copilot_studio: copilot_studio?,
            windows365_agents: windows365_agents?,
        })
    }

    fn named_user(&mut self, v: &Value) -> Option<NamedUser> {
        let o = self.object(v, &["id", "licence"])?;
        let id = self.req(&o, "id", Self::string);
        let licence = self.req(&o, "licence", Self::licence);
        Some(NamedUser {
            id: id?,
            licence: licence?,
        })
    }

    /// A list of user ids, each of which must name one of the environment's users.
    fn user_refs(&mut self, v: &Value, ids: Option<&HashSet<String>>) -> Option<Vec<String>> {
        self.list(v, |r, v| {
            let id = r.string(v)?;
            match ids {
                Some(ids) if !ids.contains(&id) => {
                    r.problem(format!(
                        "unknown user {}; add it to this environment's `users` (with its licence)",
                        quoted(&id)
                    ));
                    None
                }
                _ => Some(id),
            }
        })
    }

    fn app(&mut self, v: &Value, ids: Option<&HashSet<String>>) -> Option<App> {
        let o = self.object(
            v,
            &[
                "name",
                "connectors",
                "opted_out",
                "user_groups",
                "opened_by",
            ],
        )?;
        let name = self.req(&o, "name", Self::string);
        let connectors = self.req(&o, "connectors", |r, v| {
            r.keyed::<ConnectorClass>(v, "connector class")
        });
        let opted_out = self.opt(&o, "opted_out", || false, Self::boolean);
        let user_groups = self.opt(&o, "user_groups", Vec::new, |r, v| {
            r.list(v, Self::user_group)
        });
        let opened_by = self.opt(&o, "opened_by", Vec::new, |r, v| r.user_refs(v, ids));
        Some(App {
            name: name?,
            connectors: connectors?,
            opted_out: opted_out?,
            user_groups: user_groups?,
            opened_by: opened_by?,
        })
    }

    fn user_group(&mut self, v: &Value) -> Option<UserGroup> {
        let o = self.object(v, &["users", "licence"])?;
        let users = self.req(&o, "users", Self::count);
        let licence = self.req(&o, "licence", Self::licence);
        Some(UserGroup {
            users: users?,
            licence: licence?,
        })
    }

    fn flow(&mut self, v: &Value) -> Option<Flow> {
        let o = self.object(
            v,
            &[
                "name",
                "trigger",
                "mode",
                "connectors",
                "flow_licence",
                "owner",
                "linked_to_app",
                "d365_context",
                "child_flow",
                "runs",
                "daily_runs",
                "test_runs",
                "resubmitted_runs",
                "busiest_day_runs",
            ],
        )?;
        let name = self.req(&o, "name", Self::string);
        let trigger = self.req(&o, "trigger", |r, v| r.keyed::<Trigger>(v, "trigger"));
        let mode = self.req(&o, "mode", |r, v| r.keyed::<RunMode>(v, "run mode"));
        let connectors = self.req(&o, "connectors", |r, v| {
            r.keyed::<FlowConnectors>(v, "connector class")
        });
        let flow_licence = self.opt(&o, "flow_licence", FlowLicence::none, Self::flow_licence);
        let owner = self.req(&o, "owner", Self::owner);
        let linked_to_app = self.opt(&o, "linked_to_app", || false, Self::boolean);
        let d365_context = self.opt(&o, "d365_context", || false, Self::boolean);
        let child_flow = self.opt(&o, "child_flow", || false, Self::boolean);
        let runs = self.opt(&o, "runs", Vec::new, |r, v| r.list(v, Self::run_group));
        let daily_runs = self.opt(&o, "daily_runs", Vec::new, |r, v| {
            r.list(v, Self::daily_runs)
        });
        let test_runs = self.opt(&o, "test_runs", || 0, Self::count);
        let resubmitted_runs = self.opt(&o, "resubmitted_runs", || 0, Self::count);
        let busiest_day_runs =
            self.opt(&o, "busiest_day_runs", || None, |r, v| r.count(v).map(Some));
        Some(Flow {
            name: name?,
            trigger: trigger?,
            mode: mode?,
            connectors: connectors?,
            flow_licence: flow_licence?,
            owner: owner?,
            linked_to_app: linked_to_app?,
            d365_context: d365_context?,
            child_flow: child_flow?,
            runs: runs?,
            daily_runs: daily_runs?,
            test_runs: test_runs?,
            resubmitted_runs: resubmitted_runs?,
            busiest_day_runs: busiest_day_runs?,
        })
    }

    fn owner(&mut self, v: &Value) -> Option<Owner> {
        let o = self.as_object(v)?;
        let kind = self.req(&o, "kind", |r, v| r.keyed::<OwnerKind>(v, "owner kind"))?;
        if kind == OwnerKind::User {
            self.known_fields(&o, &["kind", "licence"]);
            let licence = self.req(&o, "licence", Self::licence)?;
            Some(Owner::User(licence))
        } else {
            self.known_fields(&o, &["kind", "licence"]);
            match o.get("licence") {
                None | Some(Value::Null) => Some(Owner::ServicePrincipal),
                Some(_) => {
                    self.within(Seg::Field("licence"), |r| {
                        r.problem("a service principal holds no user licence; remove `licence` (or use a flow_licence)")
                    });
                    None
                }
            }
        }
    }

    fn run_group(&mut self, v: &Value) -> Option<RunGroup> {
        let o = self.object(v, &["runs", "licence"])?;
        let runs = self.req(&o, "runs", Self::count);
        let licence = self.req(&o, "licence", Self::licence);
        Some(RunGroup {
            runs: runs?,
            licence: licence?,
        })
    }

    fn daily_runs(&mut self, v: &Value) -> Option<DailyRuns> {
        let o = self.object(v, &["day", "runs", "licence"])?;
        let day = self.req(&o, "day", Self::day);
        let runs = self.req(&o, "runs", Self::count);
        let licence = self.req(&o, "licence", Self::licence);
        Some(DailyRuns {
            day: day?,
            runs: runs?,
            licence: licence?,
        })
    }

    fn website(&mut self, v: &Value, ids: Option<&HashSet<String>>) -> Option<Website> {
        let o = self.object(
            v,
            &[
                "name",
                "status",
                "authenticated",
                "logged_in",
                "anonymous_visitors",
                "anonymous_exclusions",
                "anonymous_requests",
            ],
        )?;
        let name = self.req(&o, "name", Self::string);
        let status = self.req(&o, "status", |r, v| {
            r.keyed::<SiteStatus>(v, "website status")
        });
        let authenticated = self.opt(&o, "authenticated", Vec::new, |r, v| {
            r.list(v, Self::user_group)
        });
        let logged_in = self.opt(&o, "logged_in", Vec::new, |r, v| r.user_refs(v, ids));
        let anonymous_visitors = self.opt(&o, "anonymous_visitors", || 0, Self::count);
        let anonymous_exclusions = self.opt(
            &o,
            "anonymous_exclusions",
            AnonymousExclusions::default,
            Self::anonymous_exclusions,
        );
        if let (Some(visitors), Some(ex)) = (anonymous_visitors, anonymous_exclusions) {
            // Each excluded visitor belongs to one clause (PP-6), so the clauses add up.
            let excluded = [
                ex.auth_pages_only,
                ex.underscore_paths_only,
                ex.error_or_redirect_only,
                ex.static_only,
                ex.bots,
                ex.monitors,
                ex.logged_in_same_day,
            ]
            .iter()
            .fold(0u64, |acc, n| acc.saturating_add(*n));
            if excluded > visitors {
                self.within(Seg::Field("anonymous_exclusions"), |r| {
                    r.problem(format!(
                        "the excluded visitors add up to {}, more than the {} anonymous_visitors (each visitor is excluded once, by the first PP-6 clause that applies)",
                        group(excluded),
                        group(visitors)
                    ))
                });
            }
        }
        let anonymous_requests = self.opt(&o, "anonymous_requests", Vec::new, |r, v| {
            r.list(v, Self::anonymous_request)
        });
        Some(Website {
            name: name?,
            status: status?,
            authenticated: authenticated?,
            logged_in: logged_in?,
            anonymous_visitors: anonymous_visitors?,
            anonymous_exclusions: anonymous_exclusions?,
            anonymous_requests: anonymous_requests?,
        })
    }

    fn anonymous_exclusions(&mut self, v: &Value) -> Option<AnonymousExclusions> {
        let o = self.object(
            v,
            &[
                "auth_pages_only",
                "underscore_paths_only",
                "error_or_redirect_only",
                "static_only",
                "bots",
                "monitors",
                "logged_in_same_day",
            ],
        )?;
        let zero = || 0;
        let auth_pages_only = self.opt(&o, "auth_pages_only", zero, Self::count);
        let underscore_paths_only = self.opt(&o, "underscore_paths_only", zero, Self::count);
        let error_or_redirect_only = self.opt(&o, "error_or_redirect_only", zero, Self::count);
        let static_only = self.opt(&o, "static_only", zero, Self::count);
        let bots = self.opt(&o, "bots", zero, Self::count);
        let monitors = self.opt(&o, "monitors", zero, Self::count);
        let logged_in_same_day = self.opt(&o, "logged_in_same_day", zero, Self::count);
        Some(AnonymousExclusions {
            auth_pages_only: auth_pages_only?,
            underscore_paths_only: underscore_paths_only?,
            error_or_redirect_only: error_or_redirect_only?,
            static_only: static_only?,
            bots: bots?,
            monitors: monitors?,
            logged_in_same_day: logged_in_same_day?,
        })
    }

    fn anonymous_request(&mut self, v: &Value) -> Option<AnonymousRequest> {
        let o = self.object(
            v,
            &[
                "visitor",
                "day",
                "path",
                "status",
                "static_resource",
                "agent",
                "logged_in_on_day",
            ],
        )?;
        let visitor = self.req(&o, "visitor", Self::string);
        let day = self.req(&o, "day", Self::day);
        let path = self.req(&o, "path", Self::string);
        let status = self.req(&o, "status", |r, v| {
            r.bounded(v, 100, 599, |_| "an HTTP status".to_string())
        });
        let static_resource = self.opt(&o, "static_resource", || false, Self::boolean);
        let agent = self.req(&o, "agent", |r, v| {
            r.keyed::<UserAgent>(v, "user agent class")
        });
        let logged_in_on_day = self.opt(&o, "logged_in_on_day", || None, |r, v| r.day(v).map(Some));
        Some(AnonymousRequest {
            visitor: visitor?,
            day: day?,
            path: path?,
            status: u16::try_from(status?).ok()?,
            static_resource: static_resource?,
            agent: agent?,
            logged_in_on_day: logged_in_on_day?,
        })
    }

    fn storage(&mut self, v: &Value) -> Option<Storage> {
        let o = self.object(v, &["database", "file", "log", "allocated"])?;
        let database = self.opt(&o, "database", StorageUsage::default, Self::storage_usage);
        let file = self.opt(&o, "file", StorageUsage::default, Self::storage_usage);
        let log = self.opt(&o, "log", StorageUsage::default, Self::storage_usage);
        let allocated = self.opt(
            &o,
            "allocated",
            StorageAllocation::default,
            Self::allocation,
        );
        Some(Storage {
            database: database?,
            file: file?,
            log: log?,
            allocated: allocated?,
        })
    }

    fn storage_usage(&mut self, v: &Value) -> Option<StorageUsage> {
        use StorageUsageKind as Kind;
        let o = self.as_object(v)?;
        let kind = self.req(&o, "kind", |r, v| r.keyed::<Kind>(v, "storage usage kind"))?;
        match kind {
            Kind::Constant => {
                self.known_fields(&o, &["kind", "gb"]);
                let gb = self.req(&o, "gb", Self::gb)?;
                Some(StorageUsage::Constant { gb })
            }
            Kind::Linear => {
                self.known_fields(&o, &["kind", "start_gb", "end_gb"]);
                let start_gb = self.req(&o, "start_gb", Self::gb);
                let end_gb = self.req(&o, "end_gb", Self::gb);
                Some(StorageUsage::Linear {
                    start_gb: start_gb?,
                    end_gb: end_gb?,
                })
            }
            Kind::Series => {
                self.known_fields(&o, &["kind", "points"]);
                let points = self.req(&o, "points", |r, v| r.list(v, Self::storage_point))?;
                Some(StorageUsage::Series { points })
            }
        }
    }

    fn storage_point(&mut self, v: &Value) -> Option<StoragePoint> {
        let o = self.object(v, &["day", "gb"])?;
        let day = self.req(&o, "day", Self::day);
        let gb = self.req(&o, "gb", Self::gb);
        Some(StoragePoint { day: day?, gb: gb? })
    }

    fn allocation(&mut self, v: &Value) -> Option<StorageAllocation> {
        let o = self.object(v, &["database", "file", "log"])?;
        let database = self.opt(&o, "database", || Decimal::ZERO, Self::gb);
        let file = self.opt(&o, "file", || Decimal::ZERO, Self::gb);
        let log = self.opt(&o, "log", || Decimal::ZERO, Self::gb);
        Some(StorageAllocation {
            database: database?,
            file: file?,
            log: log?,
        })
    }

    fn request_consumer(&mut self, v: &Value) -> Option<RequestConsumer> {
        let o = self.object(
            v,
            &[
                "name",
                "entity",
                "requests_per_day",
                "days",
                "daily_requests",
                "addon_packs",
            ],
        )?;
        let name = self.req(&o, "name", Self::string);
        let entity = self.req(&o, "entity", Self::request_entity);
        let requests_per_day = self.opt(&o, "requests_per_day", || 0, Self::count);
        // A count of days, not a date: up to 31 whatever the month (pricing uses at most the
        // month's days), so a form that allows 31 never produces an unreadable file.
        let days = self.opt(
            &o,
            "days",
            || 0,
            |r, v| {
                r.bounded(v, 0, 31, |_| "a number of days".to_string())
                    .and_then(|n| u32::try_from(n).ok())
            },
        );
        let daily_requests = self.opt(&o, "daily_requests", Vec::new, |r, v| {
            r.list(v, Self::daily_requests)
        });
        let addon_packs = self.opt(&o, "addon_packs", || 0, Self::small);
        // Every member uses the requests given, so the month is a product of counts: bounded
        // like a count, so that no amount of a valid file overflows.
        if let (Some(entity), Some(per_day), Some(days), Some(daily)) =
            (&entity, requests_per_day, days, &daily_requests)
        {
            let members = match entity {
                RequestEntity::Users { users, .. }
                | RequestEntity::PerAppMeterUsers { users, .. } => *users,
                RequestEntity::Flow { .. } | RequestEntity::NonLicensed { .. } => 1,
            };
            // Saturating: anything that reaches u64::MAX is far above the bound anyway.
            let each = daily
                .iter()
                .fold(per_day.saturating_mul(u64::from(days)), |sum, d| {
                    sum.saturating_add(d.requests)
                });
            if each.saturating_mul(members) > MAX_COUNT {
                let what = if members == 1 {
                    "requests_per_day × days + daily_requests"
                } else {
                    "users × (requests_per_day × days + daily_requests)"
                };
                self.problem(format!(
                    "the requests of the month ({what}) must be at most {}",
                    group(MAX_COUNT)
                ));
                return None;
            }
        }
        Some(RequestConsumer {
            name: name?,
            entity: entity?,
            requests_per_day: requests_per_day?,
            days: days?,
            daily_requests: daily_requests?,
            addon_packs: addon_packs?,
        })
    }

    fn request_entity(&mut self, v: &Value) -> Option<RequestEntity> {
        use RequestEntityKind as Kind;
        let o = self.as_object(v)?;
        let kind = self.req(&o, "kind", |r, v| {
            r.keyed::<Kind>(v, "requests entity kind")
        })?;
        match kind {
            Kind::Users => {
                self.known_fields(&o, &["kind", "users", "licences"]);
                let users = self.req(&o, "users", Self::count);
                let licences = self.req(&o, "licences", |r, v| r.list(v, Self::licence));
                Some(RequestEntity::Users {
                    users: users?,
                    licences: licences?,
                })
            }
            Kind::Flow => {
                self.known_fields(&o, &["kind", "licence", "licence_count"]);
                let licence = self.req(&o, "licence", Self::flow_licence);
                let licence_count = self.req(&o, "licence_count", Self::small);
                Some(RequestEntity::Flow {
                    licence: licence?,
                    licence_count: licence_count?,
                })
            }
            Kind::PerAppMeterUsers => {
                self.known_fields(&o, &["kind", "users", "apps"]);
                let users = self.req(&o, "users", Self::count);
                let apps = self.req(&o, "apps", Self::small);
                Some(RequestEntity::PerAppMeterUsers {
                    users: users?,
                    apps: apps?,
                })
            }
            Kind::NonLicensed => {
                self.known_fields(&o, &["kind", "pool"]);
                let pool = self.req(&o, "pool", Self::tenant_pool)?;
                Some(RequestEntity::NonLicensed { pool })
            }
        }
    }

    fn tenant_pool(&mut self, v: &Value) -> Option<TenantPool> {
        let o = self.as_object(v)?;
        let kind = self.req(&o, "kind", |r, v| {
            r.keyed::<TenantPoolKind>(v, "tenant pool kind")
        })?;
        if kind == TenantPoolKind::Dynamics365 {
            self.known_fields(&o, &["kind", "user_licences"]);
            let user_licences = self.req(&o, "user_licences", Self::count)?;
            Some(TenantPool::Dynamics365 { user_licences })
        } else {
            self.known_fields(&o, &["kind"]);
            Some(TenantPool::PowerPlatform)
        }
    }

    fn daily_requests(&mut self, v: &Value) -> Option<DailyRequests> {
        let o = self.object(v, &["day", "requests"])?;
        let day = self.req(&o, "day", Self::day);
        let requests = self.req(&o, "requests", Self::count);
        Some(DailyRequests {
            day: day?,
            requests: requests?,
        })
    }

    fn copilot_studio(&mut self, v: &Value) -> Option<CopilotStudio> {
        let o = self.object(
            v,
            &[
                "messages",
                "classic_answers",
                "generative_answers",
                "agent_actions",
                "graph_grounding",
                "m365_licensed_messages",
            ],
        )?;
        let zero = || 0;
        let messages = self.opt(&o, "messages", zero, Self::count);
        let classic_answers = self.opt(&o, "classic_answers", zero, Self::count);
        let generative_answers = self.opt(&o, "generative_answers", zero, Self::count);
        let agent_actions = self.opt(&o, "agent_actions", zero, Self::count);
        let graph_grounding = self.opt(&o, "graph_grounding", zero, Self::count);
        let m365_licensed_messages = self.opt(&o, "m365_licensed_messages", zero, Self::count);
        Some(CopilotStudio {
            messages: messages?,
            classic_answers: classic_answers?,
            generative_answers: generative_answers?,
            agent_actions: agent_actions?,
            graph_grounding: graph_grounding?,
            m365_licensed_messages: m365_licensed_messages?,
        })
    }

    fn copilot_credits(&mut self, v: &Value) -> Option<CopilotCredits> {
        let o = self.object(
            v,
            &[
                "agents",
                "prepaid_packs",
                "prepurchase_units",
                "cloud_pc_hours",
            ],
        )?;
        let agents = self.opt(&o, "agents", Vec::new, |r, v| r.list(v, Self::agent));
        let prepaid_packs = self.opt(&o, "prepaid_packs", || 0, Self::small);
        let prepurchase_units = self.opt(&o, "prepurchase_units", || 0, Self::count);
        let cloud_pc_hours = self.opt(&o, "cloud_pc_hours", || 0, Self::count);
        Some(CopilotCredits {
            agents: agents?,
            prepaid_packs: prepaid_packs?,
            prepurchase_units: prepurchase_units?,
            cloud_pc_hours: cloud_pc_hours?,
        })
    }

    fn agent(&mut self, v: &Value) -> Option<Agent> {
        let o = self.object(
            v,
            &[
                "name",
                "channel",
                "employee_facing",
                "m365_licensed_percent",
                "classic_answers",
                "generative_answers",
                "grounded_answers",
                "agent_actions",
                "autonomous_actions",
                "agent_flow_actions",
                "ai_tool_responses",
                "ai_tool_tokens",
                "content_pages",
                "voice_minutes",
            ],
        )?;
        let zero = || 0;
        let name = self.req(&o, "name", Self::string);
        let channel = self.opt(&o, "channel", AgentChannel::default, |r, v| {
            r.keyed::<AgentChannel>(v, "channel")
        });
        let employee_facing = self.opt(&o, "employee_facing", || false, Self::boolean);
        let percent = self.opt(&o, "m365_licensed_percent", Decimal::default, |r, v| {
            r.decimal(v, 100, "percent")
        });
        // CC-3: the licensed share is free only in employee-facing agents.
        if let (Some(false), Some(p)) = (employee_facing, percent)
            && !p.is_zero()
        {
            self.within(Seg::Field("m365_licensed_percent"), |r| {
                r.problem(
                    "must be 0 unless `employee_facing` is true (Microsoft 365 Copilot-licensed \
                     users are not charged only in employee-facing agents)",
                )
            });
        }
        let classic_answers = self.opt(&o, "classic_answers", zero, Self::count);
        let generative_answers = self.opt(&o, "generative_answers", zero, Self::count);
        let grounded_answers = self.opt(&o, "grounded_answers", zero, Self::count);
        let agent_actions = self.opt(&o, "agent_actions", zero, Self::count);
        let autonomous_actions = self.opt(&o, "autonomous_actions", zero, Self::count);
        let agent_flow_actions = self.opt(&o, "agent_flow_actions", zero, Self::count);
        let ai_tool_responses = self.opt(&o, "ai_tool_responses", AiTiers::default, Self::ai_tiers);
        let ai_tool_tokens = self.opt(&o, "ai_tool_tokens", AiTiers::default, Self::ai_tiers);
        let content_pages = self.opt(&o, "content_pages", zero, Self::count);
        let voice_minutes = self.opt(&o, "voice_minutes", VoiceMinutes::default, |r, v| {
            let o = r.object(v, &["classic", "generative", "premium"])?;
            let classic = r.opt(&o, "classic", || 0, Self::count);
            let generative = r.opt(&o, "generative", || 0, Self::count);
            let premium = r.opt(&o, "premium", || 0, Self::count);
            Some(VoiceMinutes {
                classic: classic?,
                generative: generative?,
                premium: premium?,
            })
        });
        Some(Agent {
            name: name?,
            channel: channel?,
            employee_facing: employee_facing?,
            m365_licensed_percent: percent?,
            classic_answers: classic_answers?,
            generative_answers: generative_answers?,
            grounded_answers: grounded_answers?,
            agent_actions: agent_actions?,
            autonomous_actions: autonomous_actions?,
            agent_flow_actions: agent_flow_actions?,
            ai_tool_responses: ai_tool_responses?,
            ai_tool_tokens: ai_tool_tokens?,
            content_pages: content_pages?,
            voice_minutes: voice_minutes?,
        })
    }

    fn ai_tiers(&mut self, v: &Value) -> Option<AiTiers> {
        let o = self.object(v, &["basic", "standard", "premium"])?;
        let basic = self.opt(&o, "basic", || 0, Self::count);
        let standard = self.opt(&o, "standard", || 0, Self::count);
        let premium = self.opt(&o, "premium", || 0, Self::count);
        Some(AiTiers {
            basic: basic?,
            standard: standard?,
            premium: premium?,
        })
    }

    fn isv_customer(&mut self, v: &Value) -> Option<IsvCustomer> {
        let o = self.object(
            v,
            &[
                "name",
                "makers",
                "premium_licensed_makers",
                "runs_per_maker",
            ],
        )?;
        let name = self.req(&o, "name", Self::string);
        let makers = self.req(&o, "makers", Self::count);
        let premium_licensed_makers = self.req(&o, "premium_licensed_makers", Self::count);
        let runs_per_maker = self.req(&o, "runs_per_maker", Self::count);
        if let (Some(m), Some(p)) = (makers, premium_licensed_makers)
            && p > m
        {
            self.within(Seg::Field("premium_licensed_makers"), |r| {
                r.problem(format!(
                    "must be at most makers ({}), as they are counted among them; got {}",
                    group(m),
                    group(p)
                ))
            });
            return None;
        }
        // The ISV's runs of a customer are a product of two counts: bounded like a count, so
        // that no amount of a valid file overflows (a `Decimal` has 28 digits).
        if let (Some(m), Some(n)) = (makers, runs_per_maker)
            && m.saturating_mul(n) > MAX_COUNT
        {
            self.within(Seg::Field("runs_per_maker"), |r| {
                r.problem(format!(
                    "makers × runs_per_maker must be at most {} runs a month, got {} × {}",
                    group(MAX_COUNT),
                    group(m),
                    group(n)
                ))
            });
            return None;
        }
        Some(IsvCustomer {
            name: name?,
            makers: makers?,
            premium_licensed_makers: premium_licensed_makers?,
            runs_per_maker: runs_per_maker?,
        })
    }
}

// ---- message helpers -----------------------------------------------------------------------

/// A JSON value as a message shows it: scalars in JSON form (long strings cut), containers
/// by kind.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(raw) => clip(raw),
        Value::String(raw) => quoted(&unquote(raw)),
        Value::Array(_) => "a list […]".to_string(),
        Value::Object(_) => "an object {…}".to_string(),
    }
}

/// A number written as plain digits, as `serde_json::Value::as_u64` read it.
fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(raw) => raw.parse().ok(),
        _ => None,
    }
}

/// At most 40 characters of `s` (user text can be anything, a message must stay short).
fn clip(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// A string in JSON quotes (escaped), cut to a readable length.
fn quoted(s: &str) -> String {
    let clipped = clip(s);
    serde_json::to_string(&clipped).unwrap_or(clipped)
}

fn listed(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The expected key closest to a mistyped one, if it is close enough to be a typo.
fn nearest<'k>(typed: &str, keys: &[&'k str]) -> Option<&'k str> {
    // Edit distance is quadratic; a key this long is no typo of ours.
    if typed.len() > 64 {
        return None;
    }
    let typed = typed.to_ascii_lowercase();
    keys.iter()
        .map(|k| (edit_distance(&typed, k), *k))
        .filter(|(d, k)| *d <= 1.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Thousands separators for bounds in messages.
fn group(n: u64) -> String {
    super::money::format_count(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tagged enums keep serde's derive (their fields need it); their `kind` keys are read
    /// through the `…Kind` enums, which must spell each kind as serde writes it.
    #[test]
    fn kind_keys_match_serde() {
        let kind = |v: serde_json::Value| v["kind"].as_str().unwrap_or_default().to_string();
        for o in [Owner::User(Licence::None), Owner::ServicePrincipal] {
            assert_eq!(kind(serde_json::to_value(o).unwrap()), o.kind().key());
        }
        for u in [
            StorageUsage::Constant { gb: Decimal::ONE },
            StorageUsage::Linear {
                start_gb: Decimal::ONE,
                end_gb: Decimal::ONE,
            },
            StorageUsage::Series { points: Vec::new() },
        ] {
            assert_eq!(kind(serde_json::to_value(&u).unwrap()), u.kind().key());
        }
        for e in [
            RequestEntity::Users {
                users: 1,
                licences: Vec::new(),
            },
            RequestEntity::Flow {
                licence: FlowLicence::Process,
                licence_count: 1,
            },
            RequestEntity::PerAppMeterUsers { users: 1, apps: 1 },
            RequestEntity::NonLicensed {
                pool: TenantPool::PowerPlatform,
            },
        ] {
            assert_eq!(kind(serde_json::to_value(&e).unwrap()), e.kind().key());
        }
        for p in [
            TenantPool::PowerPlatform,
            TenantPool::Dynamics365 { user_licences: 1 },
        ] {
            assert_eq!(kind(serde_json::to_value(p).unwrap()), p.kind().key());
        }
        // Every kind has a variant above: the kind enums list no kind serde cannot write.
        assert_eq!(OwnerKind::ALL.len(), 2);
        assert_eq!(StorageUsageKind::ALL.len(), 3);
        assert_eq!(RequestEntityKind::ALL.len(), 4);
        assert_eq!(TenantPoolKind::ALL.len(), 2);
    }

    #[test]
    fn decimal_text_handles_exponents() {
        assert_eq!(
            decimal_text("1e+20").as_deref(),
            Some("100000000000000000000")
        );
        assert_eq!(decimal_text("1.5e-7").as_deref(), Some("0.00000015"));
        assert_eq!(decimal_text("12.5").as_deref(), Some("12.5"));
        assert_eq!(decimal_text("-0.0").as_deref(), Some("-0.0"));
        assert_eq!(decimal_text("1e999"), None);
        assert_eq!(decimal_text("abc"), None);
    }

    #[test]
    fn escapes_read_as_serde_json_reads_them() {
        for text in [
            r#""plain""#,
            r#""a\"b\\c\/d\n\t\r\b\f""#,
            r#""\u00e9t\u00C9 \ud83d\ude00 \u20AC""#,
            r#""\u0000x""#,
        ] {
            let expected: String = serde_json::from_str(text).unwrap();
            assert_eq!(unquote(text), expected, "{text}");
        }
    }

    #[test]
    fn typo_suggestions() {
        assert_eq!(nearest("usrs", &["users", "licence"]), Some("users"));
        assert_eq!(nearest("zzzzzz", &["users", "licence"]), None);
        assert_eq!(nearest(&"x".repeat(10_000), &["users"]), None);
    }
}
