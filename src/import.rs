//! Bring your own data (issue 14): the usage exports a customer can download, read as a stream
//! and rebuilt into an ordinary [`Scenario`] that the engine prices like any other.
//!
//! - [`csv`]: the streaming CSV reader (BOM, CRLF, quotes, `;` and decimal commas).
//! - [`layout`]: which export a file is, from its header row.
//! - [`mapping`]: which meter a row is about (editable rules with defaults).
//! - [`reconcile`]: what the files say was billed against what the engine computes.
//!
//! Usage: an [`Importer`] reads files one after the other ([`Importer::read`], each from any
//! `BufRead`, with a progress callback that can cancel), keeping only aggregates: distinct
//! user × app pairs, runs per flow per day, storage readings per day, requests per caller per
//! day, visitors per site, credits per agent. [`Importer::finish`] turns them into an
//! [`ImportResult`]: the scenario of the month, every file's summary (layout, rows, bad rows with
//! row and column, unmapped meters), the assumptions made where the data cannot say something,
//! and any conflict (several months, the same usage twice, several billing accounts).
//!
//! Personal identifiers (caller IDs, user names, flow owners) are interned only to count
//! distinct people and are not in the scenario unless [`ImportOptions::keep_identifiers`] is set.
//!
//! Nothing here depends on a web crate, and nothing in the app's first load calls it: the
//! browser is to run it in a worker or a lazily loaded chunk.

pub mod browser;
pub mod csv;
pub mod join;
pub mod layout;
pub mod mapping;
pub mod reconcile;
pub mod trend;
pub mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The hasher of the per-row maps (people, apps, flows, callers): foldhash, seeded per process
/// like std's SipHash (so a file cannot be written to collide in every run), at a fraction of
/// its cost per key (docs/benchmarks.md, "Import").
type Hasher = foldhash::fast::RandomState;
type FastMap<K, V> = HashMap<K, V, Hasher>;
type FastSet<T> = HashSet<T, Hasher>;
use std::io::BufRead;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::engine::decode::{MAX_COUNT, MAX_GB};
use crate::engine::scenario::*;
use crate::engine::{FlowLicence, Licence, PriceBookId, PriceKey};
use csv::{CsvError, CsvReader, Record};
use layout::{Col, Columns, Layout, Unrecognised};
use mapping::{Mapped, MappingCache, MeterFields, MeterMapping};
use values::Day;

/// How an import is done.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The month to build when the files cover several (rows of other months are counted
    /// and left out, never mixed in).
    pub month: Option<BillingMonth>,
    /// The price book; by default the book in effect in the month ([`PriceBookId::for_month`]).
    pub book: Option<PriceBookId>,
    /// Keep caller IDs in the scenario (as named users and request consumer names). Off by
    /// default: identifiers are used to count distinct users, then dropped.
    pub keep_identifiers: bool,
    /// The user's meter rules, tried before the defaults.
    pub mapping: MeterMapping,
    /// Also reconcile what the files say was billed with what the engine computes (prices each
    /// file's own scenario once more, so it is asked for, not done by default).
    pub reconcile: bool,
}

/// Why an import stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The file is not readable as CSV.
    Csv { file: String, error: CsvError },
    /// The header row matches no known layout.
    Unrecognised { file: String, error: Unrecognised },
    /// The progress callback asked to stop.
    Cancelled,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Csv { file, error } => write!(f, "{file}: {error}"),
            ImportError::Unrecognised { file, error } => write!(f, "{file}: {error}"),
            ImportError::Cancelled => write!(f, "the import was cancelled"),
        }
    }
}

impl std::error::Error for ImportError {}

/// A row that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadRow {
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: u64,
    /// The physical line it starts on (differs from `row` after quoted line breaks).
    pub line: u64,
    /// The column, as the file's header names it, when one field is at fault.
    pub column: Option<String>,
    pub problem: String,
}

/// Bad rows listed per file; beyond this they are counted only (the count is always exact).
pub const MAX_LISTED_BAD_ROWS: usize = 1_000;

/// A meter no rule recognised: its rows are not in the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnmappedMeter {
    pub category: String,
    pub subcategory: String,
    pub name: String,
    pub unit: String,
    pub rows: u64,
    pub quantity: Decimal,
    /// What Azure charged for them (cost exports only).
    pub cost: Option<Decimal>,
}

/// What one file held.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileSummary {
    pub name: String,
    pub layout: Layout,
    /// `,`, `;` or tab.
    pub separator: char,
    /// Data rows (the header and blank lines are not rows).
    pub rows: u64,
    /// Rows that went into the aggregates.
    pub rows_used: u64,
    pub bad_row_count: u64,
    /// The first [`MAX_LISTED_BAD_ROWS`] bad rows.
    pub bad_rows: Vec<BadRow>,
    /// Azure rows of other services (filtered out on purpose, counted).
    pub other_service_rows: u64,
    /// Rows a mapping rule says to ignore.
    pub ignored_rows: u64,
    /// Rows of months other than the one built (filled in by [`Importer::finish`]).
    pub other_month_rows: u64,
    /// Rows per month.
    pub months: BTreeMap<BillingMonth, u64>,
    /// Billing policies (usage reports), environments (Power Pages) or billing plans (Azure).
    pub accounts: BTreeSet<String>,
    /// Azure billing accounts: the nearest thing to a tenant a file carries.
    pub billing_accounts: BTreeSet<String>,
    pub currencies: BTreeSet<String>,
    pub unmapped: Vec<UnmappedMeter>,
}

/// Something the data cannot say, and the documented default taken instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assumption {
    pub environment: String,
    /// What it is about: "flows", "apps", "requests" …
    pub subject: String,
    /// The question for the user, with the default taken.
    pub text: String,
}

/// Files that should not be mixed without a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conflict {
    /// The rows cover several months; pick one (`--month`).
    SeveralMonths { months: Vec<(BillingMonth, u64)> },
    /// Two files hold the same account's usage for the same month: importing both would count
    /// it twice.
    SameUsageTwice {
        first: String,
        second: String,
        account: String,
        month: BillingMonth,
    },
    /// The files come from several Azure billing accounts (tenants).
    SeveralBillingAccounts { accounts: Vec<String> },
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::SeveralMonths { months } => {
                let list: Vec<String> = months
                    .iter()
                    .map(|(m, rows)| format!("{m} ({rows} rows)"))
                    .collect();
                write!(
                    f,
                    "the files cover several months: {}; choose one with --month YYYY-MM",
                    list.join(", ")
                )
            }
            Conflict::SameUsageTwice {
                first,
                second,
                account,
                month,
            } => write!(
                f,
                "{first} and {second} both hold the usage of {account} in {month}: importing \
                 both would count it twice; import one of them"
            ),
            Conflict::SeveralBillingAccounts { accounts } => write!(
                f,
                "the files come from several Azure billing accounts (tenants): {}; import each \
                 tenant's files separately",
                accounts.join(", ")
            ),
        }
    }
}

/// What an import produced.
#[derive(Clone, Debug, Serialize)]
pub struct ImportResult {
    /// The month built, when there is one to build (a single month, or the one chosen).
    pub month: Option<BillingMonth>,
    /// The scenario of that month; `None` when the month is ambiguous or has no rows.
    pub scenario: Option<Scenario>,
    pub files: Vec<FileSummary>,
    pub assumptions: Vec<Assumption>,
    pub conflicts: Vec<Conflict>,
    /// Copilot credits (or messages) per agent and environment: the scenario keeps their sum
    /// per environment (the meter bills the sum).
    pub agents: Vec<AgentCredits>,
    /// The reconciliation of every file that says what was billed (when
    /// [`ImportOptions::reconcile`] asks for it).
    pub reconciliation: Vec<reconcile::ReconcileRow>,
    /// The growth of the months, when the files hold two or more (each month rebuilt and
    /// valued; see [`trend`]). A fitted rate is also the built scenario's advisor growth.
    pub trend: Option<trend::Trend>,
    /// The built month's runs per flow of every FlowRun export, to join into a scenario being
    /// edited ([`join`]).
    pub flow_runs: Vec<join::FlowRuns>,
}

/// Copilot credits of one agent in one environment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AgentCredits {
    /// The file the figures come from.
    pub file: String,
    pub environment: String,
    /// The agent (the usage report's Resource ID), or for Azure cost details, which have no
    /// agent-level rows, the meter's name.
    pub agent: String,
    /// Whether the file carries agent-level rows (usage reports do, Azure does not).
    pub per_agent: bool,
    pub consumed: Decimal,
    pub billed: Decimal,
}

/// Reads export files and keeps only their aggregates.
pub struct Importer {
    options: ImportOptions,
    files: Vec<FileUsage>,
    /// Caller IDs, user names and owners, numbered to count them distinctly.
    people: Interner,
    cache: MappingCache,
    /// A reused buffer for composite keys.
    key: String,
}

/// A file being read: see [`Importer::begin`].
pub struct FileReading<R> {
    reader: CsvReader<R>,
    file: FileUsage,
    layout: Layout,
    columns: Columns,
    decimal_comma: bool,
    record: Record,
}

impl<R: BufRead> FileReading<R> {
    /// The input, to hand it the next slice.
    pub fn input_mut(&mut self) -> &mut R {
        self.reader.input_mut()
    }

    /// Bytes read from the input so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }
}

/// What is kept of one file.
struct FileUsage {
    summary: FileSummary,
    /// Column names as the file spells them, for bad-row messages.
    header: Vec<String>,
    months: BTreeMap<BillingMonth, Keyed<EnvUsage>>,
    /// The first and last day with a row, per month (for the trend: a partial month is left
    /// out of it).
    days: BTreeMap<BillingMonth, (u8, u8)>,
    unmapped: BTreeMap<(String, String, String, String), UnmappedMeter>,
}

#[derive(Default)]
struct Interner {
    /// IDs written as GUIDs (nearly every caller ID), by their 128 bits and whether their
    /// letters are capitals: the key is in the table itself, so a lookup compares no text
    /// elsewhere in memory (with 50,000 callers, that miss was the import's largest cost).
    guids: FastMap<(u128, bool), u32>,
    /// Any other text.
    ids: FastMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    fn id(&mut self, name: &str) -> u32 {
        let next = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        if let Some(key) = guid_key(name) {
            let id = *self.guids.entry(key).or_insert(next);
            if id == next {
                self.names.push(name.into());
            }
            return id;
        }
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        self.ids.insert(name.into(), next);
        self.names.push(name.into());
        next
    }

    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }
}

/// The key of a GUID written `8-4-4-4-12` in hex digits whose letters are all small or all
/// capitals: its value, and whether its letters are capitals. Two texts have the same key
/// exactly when they are the same text; anything else is `None`.
fn guid_key(text: &str) -> Option<(u128, bool)> {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    let (mut value, mut small, mut capital) = (0u128, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        let digit = match (i, b) {
            (8 | 13 | 18 | 23, b'-') => continue,
            (8 | 13 | 18 | 23, _) => return None,
            (_, b'0'..=b'9') => b - b'0',
            (_, b'a'..=b'f') => {
                small = true;
                b - b'a' + 10
            }
            (_, b'A'..=b'F') => {
                capital = true;
                b - b'A' + 10
            }
            _ => return None,
        };
        value = value << 4 | u128::from(digit);
    }
    if small && capital {
        return None;
    }
    Some((value, capital))
}

/// Usage of one environment (or Azure billing plan) in one month.
#[derive(Default)]
struct EnvUsage {
    name: String,
    apps: Keyed<AppUsage>,
    /// By flow, meter and child-ness ([`flow_key`]).
    flows: Keyed<FlowUsage>,
    /// Database, file, log: day → (sum of readings, readings).
    storage: [BTreeMap<u8, (Decimal, u32)>; 3],
    /// The entitled (allocated) GB the report gives per category, last seen.
    entitled: [Option<Decimal>; 3],
    /// Azure's billed GB-months per category and day.
    billed_storage: [BTreeMap<u8, Decimal>; 3],
    callers: FastMap<u32, CallerRequests>,
    /// Non-licensed callers share the tenant pool: their requests add up per day.
    pool: BTreeMap<u8, u64>,
    sites: Keyed<SiteUsage>,
    /// Consumed and billed credits per agent.
    agents: Keyed<(Decimal, Decimal)>,
    cloud_pc_hours: Decimal,
    billed: BTreeMap<PriceKey, Billed>,
}

#[derive(Default)]
struct AppUsage {
    users: FastSet<u32>,
    /// Users counted by a row without a caller (Azure, or a report row with no caller ID).
    counted: Decimal,
}

/// Records by a text key: a key already seen is found without allocating, and iteration is in
/// key order, so a scenario does not depend on the order of the rows.
struct Keyed<T> {
    /// Keys that fit a [`ShortKey`] (app, flow and agent IDs, GUIDs): the table holds the
    /// whole key, so a lookup reads no other memory.
    short: FastMap<ShortKey, usize>,
    /// Longer keys.
    index: FastMap<Box<str>, usize>,
    items: Vec<(Box<str>, T)>,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed {
            short: FastMap::default(),
            index: FastMap::default(),
            items: Vec::new(),
        }
    }
}

/// A key held in 32 bytes: a text of at most 31 bytes (its length, then its bytes), or a GUID
/// ([`guid_key`]: a marker for its case, then its 128 bits). Two texts have the same
/// `ShortKey` exactly when they are the same text (a GUID is 36 bytes, so never the first
/// kind).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ShortKey([u8; 32]);

impl ShortKey {
    fn of(text: &str) -> Option<ShortKey> {
        let mut key = [0u8; 32];
        let bytes = text.as_bytes();
        if let Ok(len) = u8::try_from(bytes.len())
            && len < 32
        {
            key[0] = len;
            key[1..=bytes.len()].copy_from_slice(bytes);
            return Some(ShortKey(key));
        }
        let (value, capital) = guid_key(text)?;
        key[0] = if capital { 0xFE } else { 0xFF };
        key[1..17].copy_from_slice(&value.to_le_bytes());
        Some(ShortKey(key))
    }
}

impl<T> Keyed<T> {
    fn slot(&mut self, key: &str, make: impl FnOnce() -> T) -> &mut T {
        // A few records (a file's environments, its months) are found by comparing keys
        // inline: cheaper than hashing the key and calling memcmp on the match.
        let short = ShortKey::of(key);
        let found = if self.items.len() <= SMALL {
            self.items.iter().position(|(k, _)| same_text(k, key))
        } else {
            match &short {
                Some(short) => self.short.get(short).copied(),
                None => self.index.get(key).copied(),
            }
        };
        let i = match found {
            Some(i) => i,
            None => {
                self.items.push((key.into(), make()));
                let i = self.items.len() - 1;
                match short {
                    Some(short) => self.short.insert(short, i),
                    None => self.index.insert(key.into(), i),
                };
                i
            }
        };
        // In bounds: `i` is the position the item was pushed at.
        &mut self.items[i].1
    }

    fn sorted(&self) -> Vec<(&str, &T)> {
        let mut all: Vec<(&str, &T)> = self.items.iter().map(|(k, v)| (&**k, v)).collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all
    }

    fn values(&self) -> impl Iterator<Item = &T> {
        self.sorted().into_iter().map(|(_, v)| v)
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Up to this many records, [`Keyed`] and the account sets are searched by comparing keys.
const SMALL: usize = 16;

/// Whether two texts are equal, compared eight bytes at a time inline: the per-row lookups
/// compare short keys (environment and policy IDs, meter names), for which a call to memcmp
/// costs more than the comparison.
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let ((wa, ra), (wb, rb)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    wa.iter()
        .zip(wb)
        .all(|(x, y)| u64::from_le_bytes(*x) == u64::from_le_bytes(*y))
        && ra.iter().zip(rb).all(|(x, y)| x == y)
}

/// Adds `text` to a file's set of accounts (policies, environments, billing plans) unless it
/// is there; a small set is searched inline (see [`same_text`]).
fn note_account(set: &mut BTreeSet<String>, text: &str) {
    let known = if set.len() <= SMALL {
        set.iter().any(|a| same_text(a, text))
    } else {
        set.contains(text)
    };
    if !known {
        set.insert(text.to_string());
    }
}

/// The key of a flow's runs: the same flow's runs of another meter, or its child runs, are
/// counted apart.
fn flow_key(buffer: &mut String, flow: &str, meter: PriceKey, child: bool) {
    buffer.clear();
    buffer.push_str(flow);
    buffer.push('\u{1f}');
    buffer.push_str(meter.key());
    buffer.push_str(if child { "\u{1f}child" } else { "" });
}

struct FlowUsage {
    name: String,
    meter: PriceKey,
    child: bool,
    daily: BTreeMap<u8, u64>,
    triggers: BTreeMap<&'static str, u64>,
    owners: FastSet<u32>,
}

struct CallerRequests {
    entitled: u64,
    per_app_meter: bool,
    daily: BTreeMap<u8, u64>,
}

#[derive(Default)]
struct SiteUsage {
    authenticated: u64,
    anonymous: u64,
}

/// What a file says was billed for one meter.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Billed {
    pub quantity: Decimal,
    pub cost: Option<Decimal>,
    pub rows: u64,
    /// Rows whose status says the meter is in preview (reported, not billed).
    pub preview_rows: u64,
}

/// Index of a Dataverse storage category.
fn storage_index(key: PriceKey) -> Option<usize> {
    match key {
        PriceKey::DataverseDatabaseGb => Some(0),
        PriceKey::DataverseFileGb => Some(1),
        PriceKey::DataverseLogGb => Some(2),
        _ => None,
    }
}

/// A row's problem before it is turned into a [`BadRow`].
struct Problem {
    column: Option<Col>,
    text: String,
}

fn problem(column: Col, text: impl Into<String>) -> Problem {
    Problem {
        column: Some(column),
        text: text.into(),
    }
}

/// The fields of one record, by column.
struct Row<'a> {
    record: &'a Record,
    columns: &'a Columns,
    decimal_comma: bool,
}

impl<'a> Row<'a> {
    fn get(&self, col: Col) -> &'a str {
        self.columns
            .get(col)
            .map_or("", |i| self.record.field(i).trim_ascii())
    }

    fn required(&self, col: Col) -> Result<&'a str, Problem> {
        match self.get(col) {
            "" => Err(problem(col, "is empty")),
            text => Ok(text),
        }
    }

    fn day(&self, col: Col) -> Result<Day, Problem> {
        let text = self.required(col)?;
        values::day(text, self.decimal_comma)
            .ok_or_else(|| problem(col, format!("`{}` is not a date", shorten(text))))
    }

    /// A number; an empty field is `None`.
    fn decimal(&self, col: Col) -> Result<Option<Decimal>, Problem> {
        match self.get(col) {
            "" => Ok(None),
            text => values::decimal(text, self.decimal_comma)
                .map(Some)
                .ok_or_else(|| problem(col, format!("`{}` is not a number", shorten(text)))),
        }
    }

    fn quantity(&self, col: Col) -> Result<Decimal, Problem> {
        self.optional_quantity(col)?
            .ok_or_else(|| problem(col, "is empty"))
    }

    /// A quantity: not negative, within the scenario's bounds; an empty field is `None`.
    fn optional_quantity(&self, col: Col) -> Result<Option<Decimal>, Problem> {
        match self.decimal(col)? {
            Some(q) if q.is_sign_negative() && !q.is_zero() => {
                Err(problem(col, format!("{q} is negative")))
            }
            // The mantissa bounds the value (the scale only divides it): the comparison is
            // made only when it could fail.
            Some(q) if q.mantissa() > i128::from(MAX_PER_ROW) && q > Decimal::from(MAX_PER_ROW) => {
                Err(problem(
                    col,
                    format!("{q} is implausibly large (more than 1,000,000,000 in one row)"),
                ))
            }
            q => Ok(q),
        }
    }
}

fn whole(q: Decimal, col: Col) -> Result<u64, Problem> {
    values::count(q).ok_or_else(|| problem(col, format!("{q} is not a whole number")))
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(40).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

/// Whether `text` contains `word` (lowercase ASCII), ignoring ASCII case; no allocation, as
/// it runs on every row.
fn contains_ci(text: &str, word: &str) -> bool {
    let word = word.as_bytes();
    word.is_empty()
        || text
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
}

/// The largest quantity one row may hold. Sums of rows are then far from the scenario's own
/// bounds ([`MAX_COUNT`], [`MAX_GB`]), and are held to them besides, so that what `import`
/// writes, `price` reads.
const MAX_PER_ROW: u64 = 1_000_000_000;

/// Records read between two progress calls.
const PROGRESS_EVERY: u64 = 16_384;

impl Importer {
    pub fn new(options: ImportOptions) -> Importer {
        Importer {
            options,
            files: Vec::new(),
            people: Interner::default(),
            cache: MappingCache::default(),
            key: String::new(),
        }
    }

    /// Reads one file. `progress` gets the bytes read so far every few thousand rows and at the
    /// end; returning `false` cancels the import.
    pub fn read(
        &mut self,
        name: &str,
        input: impl BufRead,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> Result<&FileSummary, ImportError> {
        let mut reading = self.begin(name, input)?;
        if !self.advance(&mut reading, progress)? {
            // A reader that would block is not a whole file: only a `Feed` may do that, and
            // it is driven through `advance`.
            return Err(ImportError::Csv {
                file: name.to_string(),
                error: CsvError::Io("the file ended before it was read".to_string()),
            });
        }
        Ok(self.end(reading))
    }

    /// Starts reading a file that arrives a slice at a time: reads its header row (which
    /// must be in the input already: [`csv::Feed::header_ready`]) and recognises the layout.
    /// Then [`Importer::advance`] each time the input has more, and [`Importer::end`].
    pub fn begin<R: BufRead>(&self, name: &str, input: R) -> Result<FileReading<R>, ImportError> {
        let csv_error = |error| ImportError::Csv {
            file: name.to_string(),
            error,
        };
        let reader = CsvReader::new(input).map_err(csv_error)?;
        let header: Vec<String> = reader
            .header()
            .map(|h| h.fields().map(|f| f.trim().to_string()).collect())
            .unwrap_or_default();
        let (layout, columns) =
            layout::recognise(header.iter().map(String::as_str)).map_err(|error| {
                ImportError::Unrecognised {
                    file: name.to_string(),
                    error,
                }
            })?;
        let file = FileUsage {
            summary: FileSummary {
                name: name.to_string(),
                layout,
                separator: char::from(reader.separator()),
                rows: 0,
                rows_used: 0,
                bad_row_count: 0,
                bad_rows: Vec::new(),
                other_service_rows: 0,
                ignored_rows: 0,
                other_month_rows: 0,
                months: BTreeMap::new(),
                accounts: BTreeSet::new(),
                billing_accounts: BTreeSet::new(),
                currencies: BTreeSet::new(),
                unmapped: Vec::new(),
            },
            header,
            months: BTreeMap::new(),
            days: BTreeMap::new(),
            unmapped: BTreeMap::new(),
        };
        Ok(FileReading {
            decimal_comma: reader.decimal_comma(),
            reader,
            file,
            layout,
            columns,
            record: Record::default(),
        })
    }

    /// Reads the records the input holds: `Ok(true)` at the end of the file, `Ok(false)` when
    /// the input would block (a [`csv::Feed`] waiting for its next slice). `progress` is called
    /// as in [`Importer::read`].
    pub fn advance<R: BufRead>(
        &mut self,
        reading: &mut FileReading<R>,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> Result<bool, ImportError> {
        let FileReading {
            reader,
            file,
            layout,
            columns,
            decimal_comma,
            record,
        } = reading;
        loop {
            match reader.next_record(record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(CsvError::WouldBlock) => return Ok(false),
                Err(error) => {
                    return Err(ImportError::Csv {
                        file: file.summary.name.clone(),
                        error,
                    });
                }
            }
            file.summary.rows += 1;
            if file.summary.rows.is_multiple_of(PROGRESS_EVERY) && !progress(reader.bytes_read()) {
                return Err(ImportError::Cancelled);
            }
            let outcome = match record.defect {
                Some(defect) => Err(Problem {
                    column: None,
                    text: defect.to_string(),
                }),
                None => {
                    let row = Row {
                        record,
                        columns,
                        decimal_comma: *decimal_comma,
                    };
                    self.row(file, *layout, &row)
                }
            };
            match outcome {
                Ok(true) => file.summary.rows_used += 1,
                Ok(false) => {}
                Err(p) => file.bad_row(record, columns, p),
            }
        }
        if !progress(reader.bytes_read()) {
            return Err(ImportError::Cancelled);
        }
        Ok(true)
    }

    /// Keeps a file [`Importer::advance`] has read to its end.
    pub fn end<R>(&mut self, reading: FileReading<R>) -> &FileSummary {
        let mut file = reading.file;
        file.summary.unmapped = std::mem::take(&mut file.unmapped).into_values().collect();
        self.files.push(file);
        // In bounds: a file was just pushed.
        let index = self.files.len() - 1;
        &self.files[index].summary
    }

    /// One data row into the aggregates: `Ok(true)` used, `Ok(false)` left out on purpose
    /// (another service, an ignored or unmapped meter: each counted in the summary).
    fn row(
        &mut self,
        file: &mut FileUsage,
        layout: Layout,
        row: &Row<'_>,
    ) -> Result<bool, Problem> {
        match layout {
            Layout::UsageReport2021 | Layout::UsageReport2025 => {
                self.usage_report_row(file, layout, row)
            }
            Layout::PowerPagesConsumption => self.pages_row(file, row),
            Layout::AzureCostClassic | Layout::AzureCostFocus => self.azure_row(file, layout, row),
            Layout::FlowRun => self.flow_run_row(file, row),
        }
    }

    fn usage_report_row(
        &mut self,
        file: &mut FileUsage,
        layout: Layout,
        row: &Row<'_>,
    ) -> Result<bool, Problem> {
        let env_id = row.required(Col::EnvironmentId)?;
        let day = row.day(Col::UsageDatetime)?;
        let consumed = row.quantity(Col::ConsumedQuantity)?;
        let billed = row
            .optional_quantity(Col::BilledQuantity)?
            .unwrap_or(Decimal::ZERO);
        let entitled = row.optional_quantity(Col::EntitledQuantity)?;
        let status = if layout == Layout::UsageReport2025 {
            row.get(Col::Status)
        } else {
            row.get(Col::BillingModel)
        };
        let preview = contains_ci(status, "preview");
        let fields = MeterFields {
            category: row.get(Col::MeterCategory),
            subcategory: row.get(Col::MeterSubcategory),
            name: "",
            unit: row.get(Col::UnitOfMeasure),
        };
        let key = match self.meter(file, &fields, consumed, None) {
            Some(key) => key,
            None => return Ok(false),
        };
        let policy = row.get(Col::BillingPolicyId);
        if !policy.is_empty() {
            note_account(&mut file.summary.accounts, policy);
        }
        let env_name = match row.get(Col::EnvironmentName) {
            "" => env_id,
            name => name,
        };
        let caller = row.get(Col::CallerId);
        let caller_type = row.get(Col::CallerType);
        let resource = row.get(Col::ResourceId);
        let caller_id = (!caller.is_empty()).then(|| self.people.id(caller));
        let env = file.env(day, env_id, env_name);
        match key {
            PriceKey::PowerAppsPerAppUser => {
                let app = env
                    .apps
                    .slot(&resource_or(resource, "App"), AppUsage::default);
                match caller_id {
                    Some(id) => {
                        app.users.insert(id);
                    }
                    // AP-1: without a caller the row's quantity is its count of users.
                    None => app.counted += consumed,
                }
            }
            PriceKey::FlowRunCloud
            | PriceKey::FlowRunAttended
            | PriceKey::FlowRunUnattended
            | PriceKey::FlowRunHosted => {
                let runs = whole(consumed, Col::ConsumedQuantity)?;
                let flow = resource_or(resource, "Flow");
                flow_key(&mut self.key, &flow, key, false);
                let usage = env
                    .flows
                    .slot(&self.key, || FlowUsage::new(&flow, key, false));
                add_runs(&mut usage.daily, day.day, runs);
            }
            PriceKey::DataverseDatabaseGb
            | PriceKey::DataverseFileGb
            | PriceKey::DataverseLogGb => {
                let i = storage_index(key).unwrap_or(0);
                let reading = env.storage[i].entry(day.day).or_default();
                reading.0 = reading.0.checked_add(consumed).unwrap_or(reading.0);
                reading.1 = reading.1.saturating_add(1);
                if entitled.is_some() {
                    env.entitled[i] = entitled;
                }
            }
            PriceKey::PlatformRequest => {
                let requests = whole(consumed, Col::ConsumedQuantity)?;
                let licensed = !caller.is_empty()
                    && !["application", "microsoft", "system", "non-interactive"]
                        .iter()
                        .any(|t| caller_type.eq_ignore_ascii_case(t))
                    && entitled.is_some_and(|e| e > Decimal::ZERO);
                match caller_id.filter(|_| licensed) {
                    Some(id) => {
                        let entitled = entitled.and_then(|e| values::count(e.trunc())).unwrap_or(0);
                        let per_app_meter = contains_ci(caller_type, "non licensed")
                            || contains_ci(caller_type, "non-licensed");
                        let caller = env.callers.entry(id).or_insert(CallerRequests {
                            entitled,
                            per_app_meter,
                            daily: BTreeMap::new(),
                        });
                        add_runs(&mut caller.daily, day.day, requests);
                    }
                    None => add_runs(&mut env.pool, day.day, requests),
                }
            }
            PriceKey::PagesAuthenticatedUser | PriceKey::PagesAnonymousUser => {
                let users = whole(consumed, Col::ConsumedQuantity)?;
                let site = env
                    .sites
                    .slot(&resource_or(resource, "Website"), SiteUsage::default);
                if key == PriceKey::PagesAuthenticatedUser {
                    add_count(&mut site.authenticated, users);
                } else {
                    add_count(&mut site.anonymous, users);
                }
            }
            PriceKey::CopilotStudioMessage => {
                let agent = env
                    .agents
                    .slot(&resource_or(resource, "Agent"), Default::default);
                agent.0 = agent.0.checked_add(consumed).unwrap_or(agent.0);
                agent.1 = agent.1.checked_add(billed).unwrap_or(agent.1);
            }
            PriceKey::Windows365AgentHour => {
                env.cloud_pc_hours = env
                    .cloud_pc_hours
                    .checked_add(consumed)
                    .unwrap_or(env.cloud_pc_hours);
            }
            _ => {}
        }
        env.bill(key, billed, None, preview);
        Ok(true)
    }

    fn pages_row(&mut self, file: &mut FileUsage, row: &Row<'_>) -> Result<bool, Problem> {
        let env_id = row.required(Col::EnvironmentId)?;
        let day = row.day(Col::UsageDatetime)?;
        let quantity = row.quantity(Col::BilledQuantity)?;
        let users = whole(quantity, Col::BilledQuantity)?;
        let fields = MeterFields {
            category: row.get(Col::MeterCategory),
            subcategory: row.get(Col::MeterSubcategory),
            name: "",
            unit: row.get(Col::UnitOfMeasure),
        };
        let key = match self.meter(file, &fields, quantity, None) {
            Some(key @ (PriceKey::PagesAuthenticatedUser | PriceKey::PagesAnonymousUser)) => key,
            Some(_) => {
                return Err(problem(
                    Col::MeterSubcategory,
                    "a Power Pages report row that is neither authenticated nor anonymous",
                ));
            }
            None => return Ok(false),
        };
        note_account(&mut file.summary.accounts, env_id);
        let env_name = match row.get(Col::EnvironmentName) {
            "" => env_id,
            name => name,
        };
        let site = resource_or(row.get(Col::ResourceId), "Website");
        let env = file.env(day, env_id, env_name);
        let usage = env.sites.slot(&site, SiteUsage::default);
        // The report gives each day's first-time users: their sum is the month's (PP-2, PP-5).
        if key == PriceKey::PagesAuthenticatedUser {
            add_count(&mut usage.authenticated, users);
        } else {
            add_count(&mut usage.anonymous, users);
        }
        Ok(true)
    }

    fn azure_row(
        &mut self,
        file: &mut FileUsage,
        layout: Layout,
        row: &Row<'_>,
    ) -> Result<bool, Problem> {
        let resource = row.get(Col::ResourceId);
        let power_platform = contains_ci(row.get(Col::ConsumedService), "microsoft.powerplatform")
            || contains_ci(resource, "/microsoft.powerplatform/")
            || contains_ci(row.get(Col::ResourceTypeFocus), "microsoft.powerplatform");
        if !power_platform {
            file.summary.other_service_rows += 1;
            return Ok(false);
        }
        let focus = layout == Layout::AzureCostFocus;
        let (date_col, quantity_col, cost_col) = if focus {
            (
                Col::ChargePeriodStart,
                Col::ConsumedQuantity,
                Col::BilledCost,
            )
        } else {
            (Col::Date, Col::Quantity, Col::Cost)
        };
        let day = row.day(date_col)?;
        let quantity = row.quantity(quantity_col)?;
        let cost = match row.decimal(cost_col)? {
            Some(c) => c,
            None => return Err(problem(cost_col, "is empty")),
        };
        let fields = if focus {
            MeterFields {
                category: row.get(Col::SkuMeterCategory),
                subcategory: row.get(Col::SkuMeterSubcategory),
                name: row.get(Col::SkuMeterName),
                unit: row.get(Col::UnitOfMeasure),
            }
        } else {
            MeterFields {
                category: row.get(Col::MeterCategory),
                subcategory: row.get(Col::MeterSubcategory),
                name: row.get(Col::MeterName),
                unit: row.get(Col::UnitOfMeasure),
            }
        };
        let key = match self.meter(file, &fields, quantity, Some(cost)) {
            Some(key) => key,
            None => return Ok(false),
        };
        // Each billing plan is a Power Platform account resource: the plan is the environment
        // the scenario prices (Azure has no per-environment breakdown).
        let plan = match row.get(Col::ResourceName) {
            "" => resource
                .rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or("Billing plan"),
            name => name,
        };
        note_account(&mut file.summary.accounts, plan);
        let account = row.get(Col::BillingAccountId);
        if !account.is_empty() {
            note_account(&mut file.summary.billing_accounts, account);
        }
        let currency = row.get(Col::BillingCurrency);
        if !currency.is_empty() && !file.summary.currencies.contains(currency) {
            file.summary.currencies.insert(currency.to_string());
        }
        let meter_name = match fields.name {
            "" => fields.category,
            name => name,
        };
        let env = file.env(day, plan, &format!("Billing plan {plan}"));
        match key {
            PriceKey::PowerAppsPerAppUser => {
                let app = env.apps.slot(meter_name, AppUsage::default);
                app.counted = app.counted.checked_add(quantity).unwrap_or(app.counted);
            }
            PriceKey::FlowRunCloud
            | PriceKey::FlowRunAttended
            | PriceKey::FlowRunUnattended
            | PriceKey::FlowRunHosted => {
                let runs = whole(quantity, quantity_col)?;
                flow_key(&mut self.key, meter_name, key, false);
                let usage = env
                    .flows
                    .slot(&self.key, || FlowUsage::new(meter_name, key, false));
                add_runs(&mut usage.daily, day.day, runs);
            }
            PriceKey::DataverseDatabaseGb
            | PriceKey::DataverseFileGb
            | PriceKey::DataverseLogGb => {
                let i = storage_index(key).unwrap_or(0);
                let q = env.billed_storage[i].entry(day.day).or_default();
                *q = q.checked_add(quantity).unwrap_or(*q);
            }
            PriceKey::PlatformRequest => {
                let requests = whole(quantity, quantity_col)?;
                add_runs(&mut env.pool, day.day, requests);
            }
            PriceKey::PagesAuthenticatedUser | PriceKey::PagesAnonymousUser => {
                let users = whole(quantity, quantity_col)?;
                let site = env.sites.slot(meter_name, SiteUsage::default);
                if key == PriceKey::PagesAuthenticatedUser {
                    add_count(&mut site.authenticated, users);
                } else {
                    add_count(&mut site.anonymous, users);
                }
            }
            PriceKey::CopilotStudioMessage => {
                let agent = env.agents.slot(meter_name, Default::default);
                agent.0 = agent.0.checked_add(quantity).unwrap_or(agent.0);
                agent.1 = agent.1.checked_add(quantity).unwrap_or(agent.1);
            }
            PriceKey::Windows365AgentHour => {
                env.cloud_pc_hours = env
                    .cloud_pc_hours
                    .checked_add(quantity)
                    .unwrap_or(env.cloud_pc_hours);
            }
            _ => {}
        }
        env.bill(key, quantity, Some(cost), false);
        Ok(true)
    }

    fn flow_run_row(&mut self, file: &mut FileUsage, row: &Row<'_>) -> Result<bool, Problem> {
        let day = row.day(Col::StartTime)?;
        let id = row.get(Col::WorkflowId);
        let name = row.get(Col::WorkflowName);
        if id.is_empty() && name.is_empty() {
            return Err(problem(Col::WorkflowId, "is empty, and so is workflowname"));
        }
        let primary = row.get(Col::IsPrimary);
        // PA-5: a run with a parent, or not primary, is a child run.
        let child = !row.get(Col::ParentRunId).is_empty()
            || ["0", "false", "no"]
                .iter()
                .any(|v| primary.eq_ignore_ascii_case(v));
        let trigger: &'static str = match row.get(Col::TriggerType).to_ascii_lowercase().as_str() {
            "scheduled" | "recurrence" => "scheduled",
            "manual" | "instant" | "button" => "instant",
            "powerapps" | "power apps" | "powerappsv2" => "power_apps",
            _ => "automated",
        };
        let owner = row.get(Col::OwnerId);
        let owner = (!owner.is_empty()).then(|| self.people.id(owner));
        let key = if id.is_empty() { name } else { id };
        let display = if name.is_empty() { id } else { name };
        let env = file.env(day, "FlowRun export", "Flows from the FlowRun export");
        flow_key(&mut self.key, key, PriceKey::FlowRunCloud, child);
        let usage = env.flows.slot(&self.key, || {
            FlowUsage::new(display, PriceKey::FlowRunCloud, child)
        });
        add_runs(&mut usage.daily, day.day, 1);
        *usage.triggers.entry(trigger).or_default() += 1;
        if let Some(o) = owner {
            usage.owners.insert(o);
        }
        Ok(true)
    }

    /// The meter of a row through the mapping; unmapped and ignored rows are counted.
    fn meter(
        &mut self,
        file: &mut FileUsage,
        fields: &MeterFields<'_>,
        quantity: Decimal,
        cost: Option<Decimal>,
    ) -> Option<PriceKey> {
        match self.cache.map(&self.options.mapping, fields) {
            Mapped::Meter(key) => Some(key),
            Mapped::Ignored => {
                file.summary.ignored_rows += 1;
                None
            }
            Mapped::Unmapped => {
                let key = (
                    fields.category.to_string(),
                    fields.subcategory.to_string(),
                    fields.name.to_string(),
                    fields.unit.to_string(),
                );
                // Bounded like the mapping cache: a file of random meters stays small.
                if file.unmapped.len() >= 10_000 && !file.unmapped.contains_key(&key) {
                    return None;
                }
                let entry = file.unmapped.entry(key).or_insert_with(|| UnmappedMeter {
                    category: fields.category.to_string(),
                    subcategory: fields.subcategory.to_string(),
                    name: fields.name.to_string(),
                    unit: fields.unit.to_string(),
                    rows: 0,
                    quantity: Decimal::ZERO,
                    cost: None,
                });
                entry.rows += 1;
                entry.quantity = entry
                    .quantity
                    .checked_add(quantity)
                    .unwrap_or(entry.quantity);
                if let Some(c) = cost {
                    let sum = entry.cost.unwrap_or(Decimal::ZERO);
                    entry.cost = Some(sum.checked_add(c).unwrap_or(sum));
                }
                None
            }
        }
    }

    /// Builds the result: the month's scenario, summaries, assumptions, conflicts and the
    /// reconciliation.
    pub fn finish(self) -> ImportResult {
        let mut files = self.files;
        let mut months: BTreeMap<BillingMonth, u64> = BTreeMap::new();
        for f in &files {
            for (m, rows) in &f.summary.months {
                *months.entry(*m).or_default() += rows;
            }
        }
        let mut conflicts = Vec::new();
        let month = match self.options.month {
            Some(m) => Some(m),
            None if months.len() == 1 => months.keys().next().copied(),
            None => {
                if months.len() > 1 {
                    conflicts.push(Conflict::SeveralMonths {
                        months: months.iter().map(|(m, r)| (*m, *r)).collect(),
                    });
                }
                None
            }
        };
        for f in &mut files {
            f.summary.other_month_rows = f
                .summary
                .months
                .iter()
                .filter(|(m, _)| Some(**m) != month)
                .map(|(_, r)| *r)
                .sum();
        }
        // The same account's month in two files of one family is the same usage twice.
        for (i, a) in files.iter().enumerate() {
            for b in files.iter().skip(i + 1) {
                if a.summary.layout.family() != b.summary.layout.family() {
                    continue;
                }
                for m in a.months.keys().filter(|m| b.months.contains_key(m)) {
                    let a_accounts = month_accounts(a, *m);
                    let b_accounts = month_accounts(b, *m);
                    if let Some(account) = a_accounts.intersection(&b_accounts).next() {
                        conflicts.push(Conflict::SameUsageTwice {
                            first: a.summary.name.clone(),
                            second: b.summary.name.clone(),
                            account: account.clone(),
                            month: *m,
                        });
                    }
                }
            }
        }
        let billing_accounts: BTreeSet<&String> = files
            .iter()
            .flat_map(|f| f.summary.billing_accounts.iter())
            .collect();
        if billing_accounts.len() > 1 {
            conflicts.push(Conflict::SeveralBillingAccounts {
                accounts: billing_accounts.into_iter().cloned().collect(),
            });
        }

        let builder = Builder {
            options: &self.options,
            people: &self.people,
        };
        let source = files
            .iter()
            .map(|f| f.summary.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut assumptions = Vec::new();
        let mut agents = Vec::new();
        let mut scenario = None;
        let mut reconciliation = Vec::new();
        let mut flow_runs = Vec::new();
        if let Some(month) = month.filter(|m| months.contains_key(m)) {
            let environments = builder.month_environments(&files, month, &mut assumptions);
            for f in &files {
                let Some(envs) = f.months.get(&month) else {
                    continue;
                };
                if f.summary.layout == Layout::FlowRun {
                    for usage in envs.values() {
                        for (key, flow) in usage.flows.sorted() {
                            flow_runs.push(join::FlowRuns {
                                id: key.split('\u{1f}').next().unwrap_or(key).to_string(),
                                name: flow.name.clone(),
                                child: flow.child,
                                trigger: flow.trigger(),
                                daily: flow.daily.iter().map(|(d, r)| (*d, *r)).collect(),
                            });
                        }
                    }
                }
                let per_agent = f.summary.layout.family() == Layout::UsageReport2025.family();
                for usage in envs.values() {
                    for (agent, (consumed, billed)) in usage.agents.sorted() {
                        agents.push(AgentCredits {
                            file: f.summary.name.clone(),
                            environment: usage.name.clone(),
                            agent: agent.to_string(),
                            per_agent,
                            consumed: *consumed,
                            billed: *billed,
                        });
                    }
                }
                if self.options.reconcile && f.summary.layout.family() != Layout::FlowRun.family() {
                    let file_scenario = builder.scenario(
                        month,
                        envs.values()
                            .map(|u| {
                                builder.environment(u, month, f.summary.layout, &mut Vec::new())
                            })
                            .collect(),
                        &f.summary.name,
                    );
                    reconciliation.extend(reconcile::reconcile_file(
                        &f.summary,
                        envs.values().map(|u| (u.name.as_str(), &u.billed)),
                        &file_scenario,
                    ));
                }
            }
            scenario = Some(builder.scenario(month, environments, &source));
        }
        // The trend: every month rebuilt like the one built, valued at one book's prices.
        let trend = (months.len() >= 2).then(|| {
            let last = months.keys().next_back().copied().unwrap_or(BillingMonth {
                year: 2026,
                month: 1,
            });
            let book_id = self
                .options
                .book
                .unwrap_or_else(|| PriceBookId::for_month(last));
            let book = book_id.book();
            let rows = months
                .keys()
                .map(|m| {
                    let envs = builder.month_environments(&files, *m, &mut Vec::new());
                    let s = builder.scenario(*m, envs, &source);
                    let (first_day, last_day) = files
                        .iter()
                        .filter_map(|f| f.days.get(m))
                        .fold((u8::MAX, 0), |(a, b), (c, d)| (a.min(*c), b.max(*d)));
                    let (usage_value, left_out) = match trend::usage_value(&s, &book) {
                        Ok(v) => (v, None),
                        Err(_) => (Decimal::ZERO, Some("too large to value".to_string())),
                    };
                    trend::TrendMonth {
                        month: *m,
                        first_day,
                        last_day,
                        usage_value: usage_value
                            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
                        billed: crate::engine::price(&s).ok().map(|b| b.total_billed),
                        left_out,
                    }
                })
                .collect();
            trend::Trend::fit(rows, book_id)
        });
        if let (Some(s), Some(p)) = (scenario.as_mut(), trend.as_ref().and_then(|t| t.percent)) {
            // The advisor starts from the imported month with the trend's growth; the user
            // edits it there like any growth (the edit is written over this one).
            s.advisor = Some(crate::engine::advisor::AdvisorInputs {
                growth: if p.is_zero() {
                    crate::engine::advisor::Growth::Flat
                } else {
                    crate::engine::advisor::Growth::MonthlyPercent(p)
                },
                ..Default::default()
            });
        }
        ImportResult {
            month,
            scenario,
            files: files.into_iter().map(|f| f.summary).collect(),
            assumptions,
            conflicts,
            agents,
            reconciliation,
            trend,
            flow_runs,
        }
    }
}

fn month_accounts(file: &FileUsage, _month: BillingMonth) -> BTreeSet<String> {
    // Accounts are per file; with the month also shared, the overlap is the same usage.
    file.summary.accounts.clone()
}

fn resource_or<'a>(resource: &'a str, what: &str) -> std::borrow::Cow<'a, str> {
    if resource.is_empty() {
        std::borrow::Cow::Owned(format!("{what} without an ID"))
    } else {
        std::borrow::Cow::Borrowed(resource)
    }
}

impl FlowUsage {
    /// The most frequent trigger of the runs (automated when the file does not say).
    fn trigger(&self) -> Trigger {
        match self
            .triggers
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(t, _)| *t)
        {
            Some("scheduled") => Trigger::Scheduled,
            Some("instant") => Trigger::Instant,
            Some("power_apps") => Trigger::PowerApps,
            _ => Trigger::Automated,
        }
    }

    fn new(name: &str, meter: PriceKey, child: bool) -> FlowUsage {
        FlowUsage {
            name: name.to_string(),
            meter,
            child,
            daily: BTreeMap::new(),
            triggers: BTreeMap::new(),
            owners: FastSet::default(),
        }
    }
}

fn add_runs(daily: &mut BTreeMap<u8, u64>, day: u8, n: u64) {
    let slot = daily.entry(day).or_default();
    *slot = slot.saturating_add(n).min(MAX_COUNT);
}

fn add_count(total: &mut u64, n: u64) {
    *total = total.saturating_add(n).min(MAX_COUNT);
}

impl FileUsage {
    fn env(&mut self, day: Day, key: &str, name: &str) -> &mut EnvUsage {
        let month = day.billing_month();
        *self.summary.months.entry(month).or_default() += 1;
        let span = self.days.entry(month).or_insert((day.day, day.day));
        *span = (span.0.min(day.day), span.1.max(day.day));
        self.months
            .entry(month)
            .or_default()
            .slot(key, || EnvUsage {
                name: name.to_string(),
                ..EnvUsage::default()
            })
    }

    fn bad_row(&mut self, record: &Record, columns: &Columns, p: Problem) {
        self.summary.bad_row_count += 1;
        if self.summary.bad_rows.len() >= MAX_LISTED_BAD_ROWS {
            return;
        }
        let column = p.column.map(|c| {
            columns
                .get(c)
                .and_then(|i| self.header.get(i).cloned())
                .unwrap_or_else(|| c.documented().to_string())
        });
        self.summary.bad_rows.push(BadRow {
            row: record.row,
            line: record.line,
            column,
            problem: p.text,
        });
    }
}

impl EnvUsage {
    fn bill(&mut self, key: PriceKey, quantity: Decimal, cost: Option<Decimal>, preview: bool) {
        let b = self.billed.entry(key).or_default();
        b.quantity = b.quantity.checked_add(quantity).unwrap_or(b.quantity);
        if let Some(c) = cost {
            let sum = b.cost.unwrap_or(Decimal::ZERO);
            b.cost = Some(sum.checked_add(c).unwrap_or(sum));
        }
        b.rows += 1;
        if preview {
            b.preview_rows += 1;
        }
    }
}

/// Adds an environment's records to another of the same name (a usage report and a Power
/// Pages report of one environment).
fn merge_environment(into: &mut Environment, from: Environment) {
    into.users.extend(from.users);
    into.apps.extend(from.apps);
    into.flows.extend(from.flows);
    into.websites.extend(from.websites);
    into.requests.extend(from.requests);
    if into.storage == Storage::default() {
        into.storage = from.storage;
    }
    let cs = &mut into.copilot_studio;
    cs.messages = cs.messages.saturating_add(from.copilot_studio.messages);
    cs.m365_licensed_messages = cs
        .m365_licensed_messages
        .saturating_add(from.copilot_studio.m365_licensed_messages);
    into.copilot_credits.cloud_pc_hours = into
        .copilot_credits
        .cloud_pc_hours
        .saturating_add(from.copilot_credits.cloud_pc_hours);
}

/// A whole count from a sum that should be one; fractions are rounded half up.
fn round_count(q: Decimal) -> u64 {
    values::count(
        q.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .max(Decimal::ZERO),
    )
    .unwrap_or(0)
    .min(MAX_COUNT)
}

/// The licences that give a caller the report's daily entitlement (PR-4): 6,000 is a
/// Microsoft 365 (or per-app) user, 40,000 a paid user licence, 80,000 two of them.
fn licences_for(entitled: u64) -> Vec<Licence> {
    match entitled {
        0..=6_000 => vec![Licence::Microsoft365],
        6_001..=40_000 => vec![Licence::PowerAutomatePremium],
        _ => vec![Licence::PowerAutomatePremium, Licence::PowerAppsPerUser],
    }
}

/// A list of names for a sentence: the first few, then how many more.
fn some_names(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// Callers by (metered per app, daily entitlement, requests per day): one request consumer each.
type CallerGroups = BTreeMap<(bool, u64, Vec<(u8, u64)>), Vec<u32>>;

/// Turns aggregates into scenario records.
struct Builder<'a> {
    options: &'a ImportOptions,
    people: &'a Interner,
}

impl Builder<'_> {
    /// The environments of a month from every file. Azure quantities are a coarse copy of
    /// what the detailed files say: when a usage report is there, Azure only feeds the
    /// reconciliation. Environments of one name (a usage report and a Power Pages report)
    /// merge.
    fn month_environments(
        &self,
        files: &[FileUsage],
        month: BillingMonth,
        assumptions: &mut Vec<Assumption>,
    ) -> Vec<Environment> {
        let has_report = files
            .iter()
            .any(|f| f.summary.layout.family() == Layout::UsageReport2025.family());
        let mut environments: Vec<Environment> = Vec::new();
        for f in files {
            let azure = f.summary.layout.family() == Layout::AzureCostClassic.family();
            let Some(envs) = f.months.get(&month) else {
                continue;
            };
            if azure && has_report {
                assumptions.push(Assumption {
                    environment: String::new(),
                    subject: "Azure cost details".to_string(),
                    text: format!(
                        "{}: the scenario takes its quantities from the usage report; \
                         Azure's figures are used for the reconciliation only.",
                        f.summary.name
                    ),
                });
                continue;
            }
            for usage in envs.values() {
                let env = self.environment(usage, month, f.summary.layout, assumptions);
                match environments.iter_mut().find(|e| e.name == env.name) {
                    Some(existing) => merge_environment(existing, env),
                    None => environments.push(env),
                }
            }
        }
        environments
    }

    fn scenario(
        &self,
        month: BillingMonth,
        environments: Vec<Environment>,
        source: &str,
    ) -> Scenario {
        Scenario {
            version: SCENARIO_FORMAT_VERSION,
            name: format!("Imported usage, {month} ({})", shorten(source)),
            price_book: self
                .options
                .book
                .unwrap_or_else(|| PriceBookId::for_month(month)),
            price_overrides: BTreeMap::new(),
            month,
            options: RuleOptions::default(),
            environments,
            isv_customers: Vec::new(),
            advisor: None,
        }
    }

    fn environment(
        &self,
        usage: &EnvUsage,
        month: BillingMonth,
        layout: Layout,
        assumptions: &mut Vec<Assumption>,
    ) -> Environment {
        let mut env = Environment::new_payg(&usage.name);
        let mut ask = |subject: &str, text: String| {
            assumptions.push(Assumption {
                environment: usage.name.clone(),
                subject: subject.to_string(),
                text,
            });
        };
        let keep = self.options.keep_identifiers;

        // Apps: distinct (user, app) pairs (AP-1, AP-2).
        let mut named: BTreeSet<u32> = BTreeSet::new();
        for (id, app) in usage.apps.sorted() {
            let mut users = u64::try_from(app.users.len()).unwrap_or(u64::MAX);
            let mut opened_by = Vec::new();
            if keep {
                let mut ids: Vec<u32> = app.users.iter().copied().collect();
                ids.sort_unstable();
                opened_by = ids
                    .iter()
                    .map(|i| self.people.name(*i).to_string())
                    .collect();
                named.extend(ids);
                users = 0;
            }
            users = users.saturating_add(round_count(app.counted));
            env.apps.push(App {
                name: id.to_string(),
                connectors: ConnectorClass::Premium,
                opted_out: false,
                user_groups: if users > 0 {
                    vec![UserGroup {
                        users,
                        licence: Licence::None,
                    }]
                } else {
                    Vec::new()
                },
                opened_by,
            });
        }
        env.users = named
            .iter()
            .map(|i| NamedUser {
                id: self.people.name(*i).to_string(),
                licence: Licence::None,
            })
            .collect();
        if !usage.apps.is_empty() {
            let names: Vec<String> = usage
                .apps
                .sorted()
                .iter()
                .map(|(k, _)| k.to_string())
                .collect();
            ask(
                "apps",
                format!(
                    "The report counts only users the meter charged, not their licences or the \
                     app's connectors: {} are priced as premium apps opened by unlicensed users \
                     (AP-8). Change a user group's licence to see what licensing them would save.",
                    some_names(&names)
                ),
            );
        }

        // Flows: runs per flow per day.
        let mut flow_names: BTreeSet<String> = BTreeSet::new();
        let mut asked_flows = Vec::new();
        for (_, flow) in usage.flows.sorted() {
            let mode = match flow.meter {
                PriceKey::FlowRunAttended => RunMode::Attended,
                PriceKey::FlowRunUnattended => RunMode::Unattended,
                PriceKey::FlowRunHosted => RunMode::Hosted,
                _ => RunMode::Cloud,
            };
            let mut name = flow.name.clone();
            if flow.child {
                name.push_str(" (child runs)");
            }
            if mode != RunMode::Cloud && layout != Layout::FlowRun {
                name.push_str(match mode {
                    RunMode::Attended => " (attended)",
                    RunMode::Unattended => " (unattended)",
                    _ => " (hosted)",
                });
            }
            // Two flows with one display name stay two flows.
            let base = name.clone();
            let mut n = 2;
            while !flow_names.insert(name.clone()) {
                name = format!("{base} ({n})");
                n += 1;
            }
            let trigger = flow.trigger();
            asked_flows.push(name.clone());
            env.flows.push(Flow {
                name,
                trigger,
                mode,
                connectors: FlowConnectors::Premium,
                flow_licence: FlowLicence::none(),
                owner: Owner::User(Licence::None),
                linked_to_app: false,
                d365_context: false,
                child_flow: flow.child,
                runs: Vec::new(),
                daily_runs: flow
                    .daily
                    .iter()
                    .map(|(day, runs)| DailyRuns {
                        day: *day,
                        runs: *runs,
                        licence: Licence::None,
                    })
                    .collect(),
                test_runs: 0,
                resubmitted_runs: 0,
                busiest_day_runs: None,
            });
        }
        if !asked_flows.is_empty() {
            let text = if layout == Layout::FlowRun {
                format!(
                    "The FlowRun table does not say whether a flow uses premium connectors, who \
                     owns it with which licence, or whether it is in a pay-as-you-go \
                     environment: {} are priced as premium cloud flows owned by an unlicensed user \
                     (PA-1, PA-6). Child runs are counted apart and are free (PA-5). Set each \
                     flow's connectors and owner's licence for an exact price.",
                    some_names(&asked_flows)
                )
            } else {
                format!(
                    "The report counts runs the meter charged but not the owner's licence or the \
                     trigger: {} are priced as premium flows of an unlicensed owner, so every run \
                     is billed as reported, with the daily cap of PA-14.",
                    some_names(&asked_flows)
                )
            };
            ask("flows", text);
        }

        // Websites: the month's users per site (PP-2, PP-5).
        for (site, s) in usage.sites.sorted() {
            env.websites.push(Website {
                name: site.to_string(),
                status: SiteStatus::Live,
                authenticated: if s.authenticated > 0 {
                    vec![UserGroup {
                        users: s.authenticated,
                        licence: Licence::None,
                    }]
                } else {
                    Vec::new()
                },
                logged_in: Vec::new(),
                anonymous_visitors: s.anonymous,
                anonymous_exclusions: AnonymousExclusions::default(),
                anonymous_requests: Vec::new(),
            });
        }
        if !usage.sites.is_empty() && layout == Layout::PowerPagesConsumption {
            ask(
                "websites",
                "The consumption report counts first-time users per day, already without the \
                 exclusions of PP-3/PP-6; the scenario prices them as pay-as-you-go users even if \
                 the site now uses prepaid capacity (G-8)."
                    .to_string(),
            );
        }

        // Dataverse: one reading per day; several readings of a day are averaged (AMB-11).
        const DEFAULT_FREE: [Decimal; 3] = [Decimal::ONE, Decimal::ONE, Decimal::ZERO];
        let mut storage = Storage::default();
        let mut allocated = [Decimal::ZERO; 3];
        for i in 0..3 {
            let mut points: Vec<StoragePoint> = usage.storage[i]
                .iter()
                .map(|(day, (sum, n))| StoragePoint {
                    day: *day,
                    gb: sum
                        .checked_div(Decimal::from(*n))
                        .unwrap_or(*sum)
                        .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
                        .min(Decimal::from(MAX_GB))
                        .normalize(),
                })
                .collect();
            if let Some(e) =
                usage.entitled[i].filter(|e| *e != DEFAULT_FREE[i] && *e > Decimal::ZERO)
            {
                allocated[i] = e;
            }
            // Azure: billed GB-months per day are the day's overage × 1/30 (DV-6; the seed's
            // three snapshots at 1/90 come to the same), so used GB = free + 30 × quantity.
            if points.is_empty() && !usage.billed_storage[i].is_empty() {
                let thirty = Decimal::from(30u8);
                points = (1..=u8::try_from(month.days()).unwrap_or(30))
                    .map(|day| {
                        let q = usage.billed_storage[i]
                            .get(&day)
                            .copied()
                            .unwrap_or_default();
                        StoragePoint {
                            day,
                            gb: DEFAULT_FREE[i]
                                .checked_add(q.checked_mul(thirty).unwrap_or_default())
                                .unwrap_or_default()
                                .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
                                .min(Decimal::from(MAX_GB))
                                .normalize(),
                        }
                    })
                    .collect();
            }
            if points.is_empty() {
                continue;
            }
            let series = StorageUsage::Series { points };
            match i {
                0 => storage.database = series,
                1 => storage.file = series,
                _ => storage.log = series,
            }
        }
        storage.allocated = StorageAllocation {
            database: allocated[0],
            file: allocated[1],
            log: allocated[2],
        };
        if storage != Storage::default() {
            ask(
                "dataverse",
                "Storage is rebuilt from one reading per day (several readings of a day are \
                 averaged); an entitled quantity other than the free 1 GB is taken as allocated \
                 capacity (DV-3, AMB-10)."
                    .to_string(),
            );
        }
        env.storage = storage;

        // Requests: callers with the same entitlement and the same days form one group, so a
        // thousand alike users are one record and nobody's ID is needed to price them.
        let mut groups: CallerGroups = BTreeMap::new();
        for (id, c) in &usage.callers {
            let days: Vec<(u8, u64)> = c.daily.iter().map(|(d, r)| (*d, *r)).collect();
            groups
                .entry((c.per_app_meter, c.entitled, days))
                .or_default()
                .push(*id);
        }
        for (n, ((per_app_meter, entitled, days), mut ids)) in groups.into_iter().enumerate() {
            ids.sort_unstable();
            let members = u64::try_from(ids.len()).unwrap_or(u64::MAX);
            let entity = if per_app_meter {
                RequestEntity::PerAppMeterUsers {
                    users: members,
                    apps: 1,
                }
            } else {
                RequestEntity::Users {
                    users: members,
                    licences: licences_for(entitled),
                }
            };
            let name = match ids.as_slice() {
                [one] if keep => self.people.name(*one).to_string(),
                _ => format!("Callers entitled to {entitled} a day, group {}", n + 1),
            };
            env.requests.push(RequestConsumer {
                name,
                entity,
                requests_per_day: 0,
                days: 0,
                daily_requests: days
                    .into_iter()
                    .map(|(day, requests)| DailyRequests { day, requests })
                    .collect(),
                addon_packs: 0,
            });
        }
        if !usage.pool.is_empty() {
            let azure = layout.family() == Layout::AzureCostClassic.family();
            env.requests.push(RequestConsumer {
                name: "Non-licensed callers (tenant pool)".to_string(),
                entity: RequestEntity::NonLicensed {
                    pool: TenantPool::PowerPlatform,
                },
                requests_per_day: 0,
                days: 0,
                daily_requests: usage
                    .pool
                    .iter()
                    .map(|(day, requests)| DailyRequests {
                        day: *day,
                        // Azure bills the overage: add the 25,000 pool back (PR-8).
                        requests: if azure {
                            requests.saturating_add(25_000)
                        } else {
                            *requests
                        },
                    })
                    .collect(),
                addon_packs: 0,
            });
        }
        if !env.requests.is_empty() {
            ask(
                "requests",
                "Callers' licences come from their daily entitlement (6,000: Microsoft 365 or the \
                 per-app meter; 40,000: a paid licence; more: two paid licences, PR-4/PR-5); \
                 application and non-licensed callers share the tenant pool of 25,000 a day (PR-8)."
                    .to_string(),
            );
        }

        // Copilot: the meter bills the sum per environment; consumed but not billed are
        // Microsoft 365 Copilot-licensed users' messages (CS-4, AMB-22).
        let (consumed, billed) =
            usage
                .agents
                .values()
                .fold((Decimal::ZERO, Decimal::ZERO), |(c, b), (ac, ab)| {
                    (
                        c.checked_add(*ac).unwrap_or(c),
                        b.checked_add(*ab).unwrap_or(b),
                    )
                });
        env.copilot_studio.messages = round_count(billed);
        env.copilot_studio.m365_licensed_messages =
            round_count(consumed.checked_sub(billed).unwrap_or_default());
        if consumed > billed {
            ask(
                "agents",
                "Agent messages the report marks consumed but not billed are taken as Microsoft \
                 365 Copilot-licensed users' messages (not charged)."
                    .to_string(),
            );
        }
        env.copilot_credits.cloud_pc_hours = round_count(usage.cloud_pc_hours);
        env
    }
}

/// Imports files given as (name, reader) pairs in one go, as the CLI does.
pub fn import_all<R: BufRead>(
    options: ImportOptions,
    files: impl IntoIterator<Item = (String, R)>,
) -> Result<ImportResult, ImportError> {
    let mut importer = Importer::new(options);
    for (name, reader) in files {
        importer.read(&name, reader, &mut |_| true)?;
    }
    Ok(importer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_is_equality() {
        let texts = [
            "",
            "a",
            "b",
            "env-0001",
            "env-0002",
            "env-00011",
            "Environment 1",
            "Environment 10",
            "Power Platform request",
            "Power Platform requesT",
            "é",
            "e\u{301}",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
        let mut set = BTreeSet::new();
        for i in 0..40 {
            note_account(&mut set, &format!("policy-{}", i % 25));
        }
        assert_eq!(set.len(), 25);
    }

    #[test]
    fn short_keys_tell_apart_exactly_what_the_text_does() {
        let texts = [
            "",
            "a",
            "app-0001",
            "app-0001 ",
            "\u{1f}",
            "0123456789012345678901234567890",
            "01234567890123456789012345678901",
            "0481c666-628d-f0a0-fcb2-3cee8fd7ed77",
            "0481C666-628D-F0A0-FCB2-3CEE8FD7ED77",
            "0481c666-628D-f0a0-fcb2-3cee8fd7ed77",
            "00000000-0000-0000-0000-000000000000",
        ];
        for a in texts {
            for b in texts {
                if let (Some(ka), Some(kb)) = (ShortKey::of(a), ShortKey::of(b)) {
                    assert_eq!(ka == kb, a == b, "{a:?} {b:?}");
                }
            }
        }
        assert!(ShortKey::of("01234567890123456789012345678901").is_none());
        assert!(ShortKey::of("0481c666-628D-f0a0-fcb2-3cee8fd7ed77").is_none());
        // Past SMALL records, short and long keys are found again.
        let mut keyed: Keyed<u32> = Keyed::default();
        let keys: Vec<String> = (0..40)
            .map(|i| match i % 3 {
                0 => format!("app-{i}"),
                1 => format!("{i:08x}-0000-0000-0000-000000000000"),
                _ => format!("a long resource identifier that does not fit, {i}"),
            })
            .collect();
        for (n, k) in keys.iter().enumerate() {
            *keyed.slot(k, || 0) += u32::try_from(n).unwrap_or(0);
        }
        for (n, k) in keys.iter().enumerate() {
            assert_eq!(*keyed.slot(k, || 99), u32::try_from(n).unwrap_or(0));
        }
        assert_eq!(keyed.items.len(), 40);
    }

    #[test]
    fn guid_keys_tell_apart_exactly_what_the_text_does() {
        let lower = "0481c666-628d-f0a0-fcb2-3cee8fd7ed77";
        let upper = "0481C666-628D-F0A0-FCB2-3CEE8FD7ED77";
        let digits = "00000000-1111-2222-3333-444444444444";
        assert_eq!(guid_key(lower).map(|k| k.1), Some(false));
        assert_eq!(guid_key(upper).map(|k| k.1), Some(true));
        assert_ne!(guid_key(lower), guid_key(upper));
        assert_eq!(
            guid_key(digits),
            Some((0x0000_0000_1111_2222_3333_4444_4444_4444, false))
        );
        for not in [
            "",
            "0481c666-628D-f0a0-fcb2-3cee8fd7ed77",
            "0481c666-628d-f0a0-fcb2-3cee8fd7ed7",
            "0481c666-628d-f0a0-fcb2-3cee8fd7ed777",
            "0481c666x628d-f0a0-fcb2-3cee8fd7ed77",
            "0481c666-628d-f0a0-fcb2-3cee8fd7ed7g",
            "{481c666-628d-f0a0-fcb2-3cee8fd7ed77",
        ] {
            assert_eq!(guid_key(not), None, "{not}");
        }
    }

    proptest::proptest! {
        /// The interner numbers texts as a plain map of texts would, GUIDs or not.
        #[test]
        fn the_interner_numbers_texts_in_order_of_first_sight(
            picks in proptest::collection::vec(0usize..12, 0..60)
        ) {
            let texts = [
                "0481c666-628d-f0a0-fcb2-3cee8fd7ed77",
                "0481C666-628D-F0A0-FCB2-3CEE8FD7ED77",
                "0481c666-628D-f0a0-fcb2-3cee8fd7ed77",
                "00000000-0000-0000-0000-000000000000",
                "00000000-0000-0000-0000-000000000001",
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
                "user@contoso.com",
                "User@contoso.com",
                "0481c666628df0a0fcb23cee8fd7ed77",
                "x",
                "0481c666-628d-f0a0-fcb2-3cee8fd7ed7",
            ];
            let mut interner = Interner::default();
            let mut plain: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
            for i in picks {
                let text = texts[i];
                let next = u32::try_from(plain.len()).unwrap_or(u32::MAX);
                let want = *plain.entry(text).or_insert(next);
                proptest::prop_assert_eq!(interner.id(text), want);
                proptest::prop_assert_eq!(interner.name(want), text);
            }
        }
    }
}
