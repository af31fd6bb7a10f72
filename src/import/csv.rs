//! A streaming CSV reader for the exports people download from the admin center, Azure and
//! Dataverse: RFC 4180 plus what Excel does to it.
//!
//! - UTF-8 with or without a byte-order mark; a UTF-16 file (Excel's "Unicode text") is refused
//!   with a message saying how to save it, rather than read as garbage.
//! - CRLF, LF or CR line ends; quoted fields with doubled quotes and line breaks inside.
//! - The separator is detected from the header row: `,`, `;` (Excel in locales whose decimal
//!   mark is a comma) or tab. [`CsvReader::decimal_comma`] says whether numbers may use a comma.
//!
//! Records are read one at a time into a buffer that is reused, so memory is one record, never
//! the file. Hand-written rather than the `csv` crate: the state machine is a screen of code.
//! A record without quotes whose line end is already in the buffer (nearly all of them) skips
//! it: `memchr` finds the line end and proves there is no quote, a word-at-a-time scan finds the
//! separators, and the line is copied in one go (docs/benchmarks.md, "Import", has the figures).
//! Quotes, and records cut by the end of a buffer or a [`Feed`] slice, go through the state
//! machine, which gives the same fields.
//!
//! Nothing a file contains can make this panic: a malformed quote is reported on its record
//! ([`Record::defect`]) and reading goes on; a record longer than [`MAX_RECORD_BYTES`] (an
//! unterminated quote in a big file, or not a CSV at all) stops the file with an error, because
//! where the next record starts can no longer be known.

use std::io::BufRead;

/// The longest record accepted. The widest documented export (Azure's classic cost details,
/// about 70 columns with tags and JSON in `AdditionalInfo`) stays far below it.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Why a file could not be read as CSV at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvError {
    /// Reading from the source failed.
    Io(String),
    /// The file starts with a UTF-16 byte-order mark.
    Utf16,
    /// The file has no header row.
    Empty,
    /// A record (starting on `line`) is longer than [`MAX_RECORD_BYTES`].
    RecordTooLong { line: u64 },
    /// The source has no bytes yet but has not ended (a [`Feed`] waiting for its next slice):
    /// call again once it has more; the record read so far is kept.
    WouldBlock,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CsvError::Io(e) => write!(f, "cannot read the file: {e}"),
            CsvError::Utf16 => write!(
                f,
                "the file is UTF-16 text; save it as \"CSV UTF-8 (comma delimited)\" and import that"
            ),
            CsvError::Empty => write!(f, "the file is empty: there is no header row"),
            CsvError::RecordTooLong { line } => write!(
                f,
                "the row starting on line {line} is longer than {} MiB: an unterminated quote, \
                 or not a CSV file; nothing after it can be read",
                MAX_RECORD_BYTES >> 20
            ),
            CsvError::WouldBlock => write!(f, "the rest of the file has not been read yet"),
        }
    }
}

impl std::error::Error for CsvError {}

/// Something wrong inside one record, found while splitting it into fields. The record is still
/// returned (so the caller can report it with its row number), but its fields are not to be
/// trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// Text after the closing quote of a quoted field (`"a"b`); `field` counts from 0.
    TextAfterQuote { field: usize },
    /// The file ended inside a quoted field.
    UnterminatedQuote { field: usize },
    /// The record is not valid UTF-8.
    NotUtf8,
}

impl std::fmt::Display for Defect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Defect::TextAfterQuote { .. } => write!(f, "text after the closing quote"),
            Defect::UnterminatedQuote { .. } => {
                write!(
                    f,
                    "a quoted field is never closed before the end of the file"
                )
            }
            Defect::NotUtf8 => write!(f, "not UTF-8 text"),
        }
    }
}

/// One record: its fields, where it starts, and what was wrong with it, if anything.
#[derive(Debug, Default)]
pub struct Record {
    bytes: Vec<u8>,
    /// The record as text once it is known to be UTF-8 (`bytes` moved in, no copy), so that
    /// fields are sliced without being validated again.
    text: String,
    /// End offset in `bytes` of each field. The separator after a field is kept in `bytes`
    /// (so that an unquoted record is one copy of the line): field `i` starts one byte after
    /// the end of field `i - 1`.
    ends: Vec<usize>,
    /// The physical line the record starts on (1-based; the header is line 1).
    pub line: u64,
    /// The record number (1-based; the header is record 1): what a spreadsheet calls the row.
    pub row: u64,
    pub defect: Option<Defect>,
}

impl Record {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i` (0-based), or "" when the record is shorter. Records with a [`Defect::NotUtf8`]
    /// read as empty fields; the defect is what the caller reports.
    pub fn field(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).map_or(0, |e| e + 1)
        };
        // Fields end at ASCII separators, so the offsets are character boundaries.
        self.text.get(start..end).unwrap_or("")
    }

    /// Every field, in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.field(i))
    }

    /// A blank line: one empty field.
    fn is_blank(&self) -> bool {
        self.ends.len() == 1 && self.bytes.is_empty()
    }

    fn clear(&mut self) {
        // Take the buffer back from the text to reuse its allocation.
        if self.bytes.is_empty() {
            self.bytes = std::mem::take(&mut self.text).into_bytes();
        }
        self.text.clear();
        self.bytes.clear();
        self.ends.clear();
        self.defect = None;
    }

    /// Moves the bytes into `text` when they are UTF-8 (the only way fields can be read), or
    /// marks the record.
    fn validate(&mut self) {
        if self.defect.is_some() {
            return;
        }
        match String::from_utf8(std::mem::take(&mut self.bytes)) {
            Ok(text) => self.text = text,
            Err(e) => {
                self.bytes = e.into_bytes();
                self.defect = Some(Defect::NotUtf8);
            }
        }
    }

    fn end_field(&mut self) {
        self.ends.push(self.bytes.len());
    }

    /// Ends a field at a separator, which stays in `bytes`.
    fn end_field_at(&mut self, separator: u8) {
        self.ends.push(self.bytes.len());
        self.bytes.push(separator);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: either the first of a doubled quote or the closing one.
    QuoteInQuoted,
    /// Text after a closing quote (a defect); the field goes on unquoted.
    AfterQuoteText,
}

/// Reads CSV records from a buffered source, one at a time.
pub struct CsvReader<R> {
    input: R,
    splitter: Splitter,
    rows: u64,
    bytes_read: u64,
    header: Option<Record>,
    done: bool,
    /// The source would have blocked inside a record: the next call goes on with it.
    resume: bool,
}

impl<R: BufRead> CsvReader<R> {
    /// Reads the header row and detects the separator from it.
    pub fn new(mut input: R) -> Result<CsvReader<R>, CsvError> {
        let mut bytes_read = 0u64;
        // The header line, raw, up to its line end outside quotes: the separator is whichever
        // candidate occurs most often in it outside quotes.
        let mut raw = Vec::new();
        let mut quoted = false;
        'read: loop {
            let chunk = input.fill_buf().map_err(|e| CsvError::Io(e.to_string()))?;
            if chunk.is_empty() {
                break;
            }
            let mut used = 0;
            for &b in chunk {
                used += 1;
                if b == b'"' {
                    quoted = !quoted;
                }
                if !quoted && (b == b'\n' || b == b'\r') {
                    raw.push(b);
                    input.consume(used);
                    bytes_read += used as u64;
                    break 'read;
                }
                raw.push(b);
                if raw.len() > MAX_RECORD_BYTES {
                    if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) {
                        return Err(CsvError::Utf16);
                    }
                    return Err(CsvError::RecordTooLong { line: 1 });
                }
            }
            input.consume(used);
            bytes_read += used as u64;
        }
        // The byte-order marks are looked for in the raw line, not the first chunk: a reader
        // may hand out fewer than three bytes at a time.
        if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) {
            return Err(CsvError::Utf16);
        }
        if raw.starts_with(&[0xEF, 0xBB, 0xBF]) {
            raw.drain(..3);
        }
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(CsvError::Empty);
        }
        let separator = detect_separator(&raw);
        let mut reader = CsvReader {
            input,
            splitter: Splitter {
                separator,
                state: State::FieldStart,
                skip_lf: false,
                line: 1,
            },
            rows: 0,
            bytes_read,
            header: None,
            done: false,
            resume: false,
        };
        let mut header = Record::default();
        let mut slice: &[u8] = &raw;
        let complete = reader.splitter.split(&mut slice, &mut header);
        if !complete {
            // The header was the whole file and had no line end.
            reader.splitter.finish_record(&mut header);
        }
        // An LF after the header's CR is still in the input.
        header.validate();
        header.line = 1;
        reader.rows = 1;
        header.row = 1;
        reader.header = Some(header);
        Ok(reader)
    }

    /// The header row.
    pub fn header(&self) -> Option<&Record> {
        self.header.as_ref()
    }

    /// The separator detected from the header row.
    pub fn separator(&self) -> u8 {
        self.splitter.separator
    }

    /// Whether numbers may use a decimal comma: Excel writes `;`-separated files exactly in the
    /// locales whose decimal mark is a comma.
    pub fn decimal_comma(&self) -> bool {
        self.splitter.separator == b';'
    }

    /// The source, to hand it more bytes between calls (a [`Feed`]).
    pub fn input_mut(&mut self) -> &mut R {
        &mut self.input
    }

    /// Bytes consumed from the source so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Reads the next non-blank record into `record`; `Ok(false)` at the end of the file.
    pub fn next_record(&mut self, record: &mut Record) -> Result<bool, CsvError> {
        loop {
            if self.done {
                return Ok(false);
            }
            if !std::mem::take(&mut self.resume) {
                record.clear();
                record.line = self.splitter.line;
            }
            let mut complete = false;
            while !complete {
                let chunk = match self.input.fill_buf() {
                    Ok(chunk) => chunk,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        self.resume = true;
                        return Err(CsvError::WouldBlock);
                    }
                    Err(e) => return Err(CsvError::Io(e.to_string())),
                };
                if chunk.is_empty() {
                    self.done = true;
                    if record.bytes.is_empty()
                        && record.ends.is_empty()
                        && self.splitter.state == State::FieldStart
                    {
                        return Ok(false);
                    }
                    self.splitter.finish_record(record);
                    break;
                }
                let mut rest = chunk;
                let before = rest.len();
                complete = self.splitter.split(&mut rest, record);
                let used = before - rest.len();
                self.input.consume(used);
                self.bytes_read += used as u64;
                if record.bytes.len() > MAX_RECORD_BYTES {
                    return Err(CsvError::RecordTooLong { line: record.line });
                }
            }
            if record.is_blank() && record.defect.is_none() {
                continue;
            }
            self.rows += 1;
            record.row = self.rows;
            record.validate();
            return Ok(true);
        }
    }
}

/// The state machine that splits bytes into fields and records, apart from the input so
/// that it can work on a chunk borrowed from it.
struct Splitter {
    separator: u8,
    state: State,
    /// A CR ended the last record; an LF right after it belongs to the same line end.
    skip_lf: bool,
    /// The physical line the reader is on.
    line: u64,
}

impl Splitter {
    /// Ends a record at the end of the input.
    fn finish_record(&mut self, record: &mut Record) {
        if self.state == State::Quoted {
            record.defect.get_or_insert(Defect::UnterminatedQuote {
                field: record.ends.len(),
            });
        }
        record.end_field();
        self.state = State::FieldStart;
    }

    /// Splits bytes from the front of `input` into `record` until a record ends (true) or the
    /// bytes run out (false); `input` is left at the first byte not used.
    fn split(&mut self, input: &mut &[u8], record: &mut Record) -> bool {
        let sep = self.separator;
        let bytes = *input;
        let mut i = 0;
        if self.skip_lf && !bytes.is_empty() {
            self.skip_lf = false;
            if bytes[0] == b'\n' {
                i = 1;
            }
        }
        // The common case: a whole record without quotes ahead in the chunk. Its line end,
        // its quotes (none) and its separators are found with memchr's word-at-a-time (SIMD
        // where the target has it) search, and the record is copied in one go, instead of a
        // trip through the state machine per byte. Anything else (a quote, a record cut by the
        // chunk's end, one begun in the previous chunk) takes the byte-by-byte path below,
        // which gives the same fields.
        if self.state == State::FieldStart && record.ends.is_empty() && record.bytes.is_empty() {
            let rest = &bytes[i..];
            if let Some(end) = memchr::memchr2(b'\n', b'\r', rest) {
                let line = &rest[..end];
                if memchr::memchr(b'"', line).is_none() {
                    record.bytes.extend_from_slice(line);
                    push_separators(line, sep, &mut record.ends);
                    record.ends.push(line.len());
                    self.line += 1;
                    self.skip_lf = rest[end] == b'\r';
                    *input = &rest[end + 1..];
                    return true;
                }
            }
        }
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if self.skip_lf {
                self.skip_lf = false;
                if b == b'\n' {
                    continue;
                }
            }
            match self.state {
                State::FieldStart | State::Unquoted | State::AfterQuoteText => {
                    if b == sep {
                        record.end_field_at(sep);
                        self.state = State::FieldStart;
                    } else if b == b'\n' || b == b'\r' {
                        record.end_field();
                        self.state = State::FieldStart;
                        self.line += 1;
                        self.skip_lf = b == b'\r';
                        *input = &bytes[i..];
                        return true;
                    } else if b == b'"' && self.state == State::FieldStart {
                        self.state = State::Quoted;
                    } else {
                        // A quote inside an unquoted field is kept as text, as Excel does.
                        if self.state == State::FieldStart {
                            self.state = State::Unquoted;
                        }
                        record.bytes.push(b);
                        // Long runs of plain text go in one copy.
                        let run = memchr::memchr3(sep, b'\n', b'\r', &bytes[i..])
                            .unwrap_or(bytes.len() - i);
                        record.bytes.extend_from_slice(&bytes[i..i + run]);
                        i += run;
                    }
                }
                State::Quoted => {
                    if b == b'"' {
                        self.state = State::QuoteInQuoted;
                    } else {
                        // Text up to the next quote goes in one copy; line numbers count the
                        // LFs inside quotes (CR-only files are rare).
                        let run = memchr::memchr(b'"', &bytes[i..]).unwrap_or(bytes.len() - i);
                        let text = &bytes[i - 1..i + run];
                        self.line += memchr::memchr_iter(b'\n', text).count() as u64;
                        record.bytes.extend_from_slice(text);
                        i += run;
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        record.bytes.push(b'"');
                        self.state = State::Quoted;
                    } else if b == sep {
                        record.end_field_at(sep);
                        self.state = State::FieldStart;
                    } else if b == b'\n' || b == b'\r' {
                        record.end_field();
                        self.state = State::FieldStart;
                        self.line += 1;
                        self.skip_lf = b == b'\r';
                        *input = &bytes[i..];
                        return true;
                    } else {
                        record.defect.get_or_insert(Defect::TextAfterQuote {
                            field: record.ends.len(),
                        });
                        record.bytes.push(b);
                        self.state = State::AfterQuoteText;
                    }
                }
            }
        }
        *input = &bytes[bytes.len()..];
        false
    }
}

/// Appends the offset of every `separator` in `line`. Eight bytes at a time (SWAR): a record
/// has a separator every few bytes, too dense for `memchr_iter`, which starts a new search
/// after each one.
fn push_separators(line: &[u8], separator: u8, ends: &mut Vec<usize>) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = ONES * u64::from(separator);
    let (words, rest) = line.as_chunks::<8>();
    let mut base = 0;
    for word in words {
        // Bytes equal to the separator are zero in `v`; `t` has the high bit of exactly the
        // non-zero bytes set (no carry crosses a byte: 0x7f + 0x7f < 0x100).
        let v = u64::from_le_bytes(*word) ^ pattern;
        let t = ((v & LOW7).wrapping_add(LOW7)) | v;
        let mut found = !t & !LOW7;
        while found != 0 {
            ends.push(base + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
        }
        base += 8;
    }
    for (i, &b) in rest.iter().enumerate() {
        if b == separator {
            ends.push(base + i);
        }
    }
}

/// Bytes handed over a slice at a time, for a caller that cannot block while the rest is read
/// (the browser's main thread reads a file in slices, between which the page must stay
/// responsive). Reading past what was pushed is [`std::io::ErrorKind::WouldBlock`], which
/// [`CsvReader::next_record`] turns into [`CsvError::WouldBlock`] and resumes from; after
/// [`Feed::end`] it is the end of the file. Holds what was pushed and not yet read: one slice
/// and the unfinished record before it, never the file.
#[derive(Debug, Default)]
pub struct Feed {
    bytes: Vec<u8>,
    read: usize,
    ended: bool,
}

impl Feed {
    pub fn new() -> Feed {
        Feed::default()
    }

    /// Appends the next slice of the file.
    pub fn push(&mut self, slice: &[u8]) {
        // What was read is dropped before the buffer grows, so it holds one slice at most
        // (and the part of a record the last slice cut).
        self.bytes.drain(..self.read.min(self.bytes.len()));
        self.read = 0;
        self.bytes.extend_from_slice(slice);
    }

    /// The file has no more bytes.
    pub fn end(&mut self) {
        self.ended = true;
    }

    /// Whether what was pushed holds the whole header row ([`CsvReader::new`] reads it in one
    /// go, so it needs all of it): a line end outside quotes, or more than a record may hold,
    /// or the end of the file.
    pub fn header_ready(&self) -> bool {
        let pending = self.bytes.get(self.read..).unwrap_or(&[]);
        if self.ended || pending.len() > MAX_RECORD_BYTES {
            return true;
        }
        let mut quoted = false;
        pending.iter().any(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            !quoted && (b == b'\n' || b == b'\r')
        })
    }
}

impl std::io::Read for Feed {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Feed {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let pending = self.bytes.get(self.read..).unwrap_or(&[]);
        if pending.is_empty() && !self.ended {
            return Err(std::io::ErrorKind::WouldBlock.into());
        }
        Ok(pending)
    }

    fn consume(&mut self, n: usize) {
        self.read = self.read.saturating_add(n).min(self.bytes.len());
    }
}

/// The separator of a header line: the most frequent of `,`, `;` and tab outside quotes; `,`
/// when none occurs (a one-column file) or on a tie.
fn detect_separator(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let mut best = (b',', counts[0]);
    for (sep, n) in [(b';', counts[1]), (b'\t', counts[2])] {
        if n > best.1 {
            best = (sep, n);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row number, line, fields and defect of one record.
    type ReadRow = (u64, u64, Vec<String>, Option<Defect>);
    /// The header and every record.
    type ReadFile = Result<(Vec<String>, Vec<ReadRow>), CsvError>;

    /// Every record of `text` as owned fields, with defects and row numbers.
    fn read_all(text: &[u8]) -> ReadFile {
        // A tiny buffer forces every state across chunk boundaries.
        for capacity in [1usize, 2, 3, 7, 64, 8192] {
            let _ = read_with(text, capacity)?;
        }
        read_with(text, 8192)
    }

    fn read_with(text: &[u8], capacity: usize) -> ReadFile {
        let mut reader = CsvReader::new(std::io::BufReader::with_capacity(capacity, text))?;
        let header = reader
            .header()
            .map(|h| h.fields().map(str::to_string).collect())
            .unwrap_or_default();
        let mut rows = Vec::new();
        let mut record = Record::default();
        while reader.next_record(&mut record)? {
            rows.push((
                record.row,
                record.line,
                record.fields().map(str::to_string).collect(),
                record.defect,
            ));
        }
        Ok((header, rows))
    }

    fn same_at_every_capacity(text: &[u8]) {
        let reference = read_with(text, 8192);
        for capacity in [1usize, 2, 3, 5, 7, 64] {
            assert_eq!(read_with(text, capacity), reference, "capacity {capacity}");
        }
    }

    fn fields(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_comma_file_with_lf() {
        let (h, rows) = read_all(b"a,b,c\n1,2,3\n4,5,6\n").unwrap();
        assert_eq!(h, fields(&["a", "b", "c"]));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], (2, 2, fields(&["1", "2", "3"]), None));
        assert_eq!(rows[1], (3, 3, fields(&["4", "5", "6"]), None));
    }

    #[test]
    fn bom_and_crlf_and_no_final_line_end() {
        let (h, rows) = read_all(b"\xEF\xBB\xBFa,b\r\n1,2\r\n3,4").unwrap();
        assert_eq!(h, fields(&["a", "b"]));
        assert_eq!(rows[0].2, fields(&["1", "2"]));
        assert_eq!(rows[1].2, fields(&["3", "4"]));
        same_at_every_capacity(b"\xEF\xBB\xBFa,b\r\n1,2\r\n3,4");
    }

    #[test]
    fn quoted_fields_with_quotes_separators_and_line_breaks() {
        let text = b"name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nthen left\"\r\nnext,row\r\n";
        let (_, rows) = read_all(text).unwrap();
        assert_eq!(rows[0].2, fields(&["Smith, J", "said \"hi\"\r\nthen left"]));
        // The record after a quoted line break starts on line 4.
        assert_eq!((rows[1].0, rows[1].1), (3, 4));
        assert_eq!(rows[1].2, fields(&["next", "row"]));
        same_at_every_capacity(text);
    }

    #[test]
    fn semicolon_separator_is_detected_and_means_decimal_comma() {
        let text = "Environment ID;Consumed Quantity;Note\n env;2,5;\"a,b\"\n".as_bytes();
        let reader = CsvReader::new(text).unwrap();
        assert_eq!(reader.separator(), b';');
        assert!(reader.decimal_comma());
        let (h, rows) = read_all(text).unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(rows[0].2, fields(&[" env", "2,5", "a,b"]));
    }

    #[test]
    fn tab_separator_and_quoted_separators_in_the_header_do_not_count() {
        assert_eq!(detect_separator(b"\"a;b;c\",d,e"), b',');
        assert_eq!(detect_separator(b"a\tb\tc"), b'\t');
        assert_eq!(detect_separator(b"single"), b',');
    }

    #[test]
    fn blank_lines_are_not_rows_but_the_row_numbers_follow_the_file() {
        let (_, rows) = read_all(b"a,b\n\n1,2\r\n\r\n3,4\n\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].2, fields(&["1", "2"]));
        assert_eq!(rows[1].1, 5);
    }

    #[test]
    fn empty_fields_and_short_rows() {
        let (_, rows) = read_all(b"a,b,c\n,,\n1\n").unwrap();
        assert_eq!(rows[0].2, fields(&["", "", ""]));
        assert_eq!(rows[1].2, fields(&["1"]));
    }

    #[test]
    fn text_after_a_closing_quote_is_a_defect_of_that_row_only() {
        let (_, rows) = read_all(b"a,b\n\"x\"y,2\n3,4\n").unwrap();
        assert_eq!(rows[0].3, Some(Defect::TextAfterQuote { field: 0 }));
        assert_eq!(rows[1].3, None);
        assert_eq!(rows[1].2, fields(&["3", "4"]));
    }

    #[test]
    fn unterminated_quote_at_the_end_is_a_defect() {
        let (_, rows) = read_all(b"a,b\n1,\"open\n").unwrap();
        assert_eq!(rows[0].3, Some(Defect::UnterminatedQuote { field: 1 }));
    }

    #[test]
    fn invalid_utf8_is_a_defect_of_its_row() {
        let (_, rows) = read_all(b"a,b\n\xFF\xFE,2\nok,3\n").unwrap();
        assert_eq!(rows[0].3, Some(Defect::NotUtf8));
        assert_eq!(rows[1].3, None);
    }

    #[test]
    fn utf16_and_empty_files_are_refused() {
        assert_eq!(
            CsvReader::new(&b"\xFF\xFEa\0"[..]).err(),
            Some(CsvError::Utf16)
        );
        assert_eq!(CsvReader::new(&b""[..]).err(), Some(CsvError::Empty));
        assert_eq!(
            CsvReader::new(&b"\xEF\xBB\xBF\r\n"[..]).err(),
            Some(CsvError::Empty)
        );
    }

    #[test]
    fn a_record_longer_than_the_limit_stops_the_file() {
        let mut text = b"a\n\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
        let mut reader = CsvReader::new(&text[..]).unwrap();
        let mut record = Record::default();
        assert_eq!(
            reader.next_record(&mut record),
            Err(CsvError::RecordTooLong { line: 2 })
        );
    }

    #[test]
    fn cr_only_line_ends() {
        let (h, rows) = read_all(b"a,b\r1,2\r3,4").unwrap();
        assert_eq!(h, fields(&["a", "b"]));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].2, fields(&["3", "4"]));
    }

    /// Reads `text` handed over in `slices` through a [`Feed`], as the browser does.
    fn read_fed<'a>(mut slices: impl Iterator<Item = &'a [u8]>) -> ReadFile {
        let mut feed = Feed::new();
        while !feed.header_ready() {
            match slices.next() {
                Some(s) => feed.push(s),
                None => feed.end(),
            }
        }
        let mut reader = CsvReader::new(feed)?;
        let header = reader
            .header()
            .map(|h| h.fields().map(str::to_string).collect())
            .unwrap_or_default();
        let mut rows = Vec::new();
        let mut record = Record::default();
        loop {
            match reader.next_record(&mut record) {
                Ok(true) => rows.push((
                    record.row,
                    record.line,
                    record.fields().map(str::to_string).collect(),
                    record.defect,
                )),
                Ok(false) => break,
                Err(CsvError::WouldBlock) => match slices.next() {
                    Some(s) => reader.input_mut().push(s),
                    None => reader.input_mut().end(),
                },
                Err(e) => return Err(e),
            }
        }
        Ok((header, rows))
    }

    /// Files whose records take the fast path (whole unquoted lines in the buffer) and the
    /// state machine (quotes, records cut by the buffer or a slice) in every mix.
    const MIXED: [&[u8]; 8] = [
        b"\xEF\xBB\xBFa,b,c\r\n1,2,3\r\n\"q,1\",x,\"y\"\"z\"\r\n,,\r\n\r\nlong field with spaces,8bytes!,0123456789abcdef\r\nend,\"\",x\r\n",
        "Environment ID;Consumed Quantity;Note\r\nenv-1;2,5;\"a;b\"\r\nenv-2;1.234,5;plain, with a comma\r\nenv-3;;\r\n"
            .as_bytes(),
        b"a\tb\n1\t2\n\n3\t\"4\n5\"\n6\t7",
        b"a,b\r1,2\r\r3,4\r",
        b"a,b\n\"x\"y,2\n3,4\n5,\"open",
        b"h1,h2\n,\n,,,,,,,,,,,,,,,,\nabcdefgh,ijklmnop\nabcdefg,hijklmnopq\n1234567,\n,12345678\n",
        b"a,b\n\xC3\xA9t\xC3\xA9,\xE2\x82\xAC5\n\xFF,1\nok,2\n",
        b"a,\"b\"\r\n\"1\r\n2\",3\r\n4,5 \"6\"\r\n",
    ];

    #[test]
    fn the_fast_path_and_the_state_machine_give_the_same_records() {
        for text in MIXED {
            // A large buffer takes the fast path for whole unquoted lines; a buffer of one
            // byte never does.
            let whole = read_with(text, 1 << 16);
            assert!(whole.is_ok(), "{text:?}");
            for capacity in 1..=text.len() {
                assert_eq!(
                    read_with(text, capacity),
                    whole,
                    "{text:?} capacity {capacity}"
                );
            }
        }
        // What the fast path gives, spelled out for the `;` file.
        let (h, rows) = read_with(MIXED[1], 1 << 16).unwrap();
        assert_eq!(h, fields(&["Environment ID", "Consumed Quantity", "Note"]));
        assert_eq!(rows[0].2, fields(&["env-1", "2,5", "a;b"]));
        assert_eq!(
            rows[1].2,
            fields(&["env-2", "1.234,5", "plain, with a comma"])
        );
        assert_eq!(rows[2].2, fields(&["env-3", "", ""]));
        let (_, rows) = read_with(MIXED[5], 1 << 16).unwrap();
        assert_eq!(rows[1].2.len(), 17);
        assert_eq!(rows[2].2, fields(&["abcdefgh", "ijklmnop"]));
        assert_eq!(rows[4].2, fields(&["1234567", ""]));
        assert_eq!(rows[5].2, fields(&["", "12345678"]));
    }

    #[test]
    fn a_feed_cut_anywhere_gives_the_same_records() {
        for text in MIXED {
            let whole = read_with(text, 1 << 16);
            // Two slices, cut at every byte (inside a CRLF, a quote, a separator, the BOM).
            for cut in 0..=text.len() {
                let (a, b) = text.split_at(cut);
                assert_eq!(read_fed([a, b].into_iter()), whole, "{text:?} cut at {cut}");
            }
            for size in 1..=9 {
                assert_eq!(
                    read_fed(text.chunks(size)),
                    whole,
                    "{text:?} slices of {size}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn separators_are_found_as_a_byte_loop_finds_them(
            line in proptest::collection::vec(proptest::sample::select(&b",;\t\xAC\x2Ba\x00\xFF"[..]), 0..70),
            sep in proptest::sample::select(&b",;\t"[..]),
        ) {
            let mut ends = Vec::new();
            push_separators(&line, sep, &mut ends);
            let naive: Vec<usize> =
                line.iter().enumerate().filter(|(_, b)| **b == sep).map(|(i, _)| i).collect();
            proptest::prop_assert_eq!(ends, naive);
        }
    }

    #[test]
    fn header_only_file_has_no_rows() {
        let (h, rows) = read_all(b"a,b").unwrap();
        assert_eq!(h, fields(&["a", "b"]));
        assert!(rows.is_empty());
    }
}
