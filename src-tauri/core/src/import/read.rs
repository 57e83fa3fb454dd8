//! Turning an import file's bytes into header and rows: encoding detection, delimiter sniffing
//! and CSV parsing with the line each row starts on. Knows nothing about fields or the register.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::sniff::{sniff, Kind};
use super::workbook::read_workbook;
use crate::error::{Error, Result};

/// How the file's bytes were decoded. Serialized as a string: `utf8`, `utf8_bom`, `utf16_le`,
/// `utf16_be`, `windows1252`, or the WHATWG name of another legacy code page
/// (`windows-1250`, `Shift_JIS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel writes for "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// Windows-1252: the bytes are not valid UTF-8 and read as Western European (older Excel
    /// "CSV" on Windows).
    Windows1252,
    /// Another legacy code page, detected from the bytes (Windows-1250 for Central European,
    /// Windows-1251 for Cyrillic, …).
    Legacy(&'static encoding_rs::Encoding),
}

impl TextEncoding {
    /// The serialized form (see the type).
    pub fn key(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf8",
            TextEncoding::Utf8Bom => "utf8_bom",
            TextEncoding::Utf16Le => "utf16_le",
            TextEncoding::Utf16Be => "utf16_be",
            TextEncoding::Windows1252 => "windows1252",
            TextEncoding::Legacy(e) => e.name(),
        }
    }

    /// The encoding's name for people ("UTF-8", "windows-1250").
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "windows-1252",
            TextEncoding::Legacy(e) => e.name(),
        }
    }
}

impl Serialize for TextEncoding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for TextEncoding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        Ok(match key.as_str() {
            "utf8" => TextEncoding::Utf8,
            "utf8_bom" => TextEncoding::Utf8Bom,
            "utf16_le" => TextEncoding::Utf16Le,
            "utf16_be" => TextEncoding::Utf16Be,
            "windows1252" => TextEncoding::Windows1252,
            other => match encoding_rs::Encoding::for_label(other.as_bytes()) {
                Some(e) if e == encoding_rs::WINDOWS_1252 => TextEncoding::Windows1252,
                Some(e) => TextEncoding::Legacy(e),
                None => {
                    return Err(serde::de::Error::custom(format!(
                        "unknown encoding {other:?}"
                    )))
                }
            },
        })
    }
}

/// The largest file an import reads: beyond it, split the file first.
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// The most data rows an import takes in one go (the register is built for about 100,000
/// assets); with the compact rows below this bounds a file's memory to a small multiple of its
/// size, however short its cells.
pub const MAX_IMPORT_ROWS: usize = 250_000;

/// One data row of the file. Its cells are kept in one string with their end offsets, not one
/// `String` each: a file of one-character cells would otherwise take 25 times its size in memory
/// (a 50 MB file used 1.46 GB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RowCells", into = "RowCells")]
pub struct SourceRow {
    /// The line of the file the row starts on (1 = the first line).
    pub line: u64,
    text: String,
    ends: Vec<u32>,
}

/// A row as `{line, cells}`, for serde.
#[derive(Serialize, Deserialize)]
struct RowCells {
    line: u64,
    cells: Vec<String>,
}

impl From<RowCells> for SourceRow {
    fn from(r: RowCells) -> SourceRow {
        SourceRow::new(r.line, r.cells.iter().map(String::as_str))
    }
}

impl From<SourceRow> for RowCells {
    fn from(r: SourceRow) -> RowCells {
        RowCells {
            line: r.line,
            cells: r.cells().map(str::to_string).collect(),
        }
    }
}

impl SourceRow {
    /// A row starting on `line` with these cells, as written (untrimmed).
    pub fn new<'a>(line: u64, cells: impl IntoIterator<Item = &'a str>) -> SourceRow {
        let mut text = String::new();
        let mut ends = Vec::new();
        for c in cells {
            text.push_str(c);
            ends.push(text.len() as u32);
        }
        text.shrink_to_fit();
        ends.shrink_to_fit();
        SourceRow { line, text, ends }
    }

    /// Cell `i`, as written, or `None` past the row's end.
    pub fn cell(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }

    /// The row's cells, in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).filter_map(|i| self.cell(i))
    }

    /// How many cells the row has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True for a row with no cells at all.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Reads an import file from disk, refusing clearly what is not a regular file (a folder, a
/// device, a link to `/dev/zero`) or is larger than [`MAX_IMPORT_BYTES`]. The CLI and the window
/// both read through here.
pub fn read_path(file: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::invalid("file", format!("there is no file at {}", file.display()))
        }
        _ => Error::invalid("file", format!("cannot read {}: {e}", file.display())),
    })?;
    if meta.is_dir() {
        return Err(Error::invalid(
            "file",
            format!("{} is a folder, not a file to import", file.display()),
        ));
    }
    if !meta.is_file() {
        return Err(Error::invalid(
            "file",
            format!(
                "{} is not an ordinary file (a device or a pipe); save the data as a file and import that",
                file.display()
            ),
        ));
    }
    let too_big = || {
        Error::invalid(
            "file",
            format!(
                "{} is larger than {} MB; split it into smaller files first",
                file.display(),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        )
    };
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(too_big());
    }
    let f = std::fs::File::open(file)
        .map_err(|e| Error::invalid("file", format!("cannot read {}: {e}", file.display())))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Read at most one byte past the cap, in case the file grew after the size was checked.
    f.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::invalid("file", format!("cannot read {}: {e}", file.display())))?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// A decoded and parsed import file, before any mapping or cleaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    /// The header row's cells, trimmed (an empty header becomes "Column N").
    pub headers: Vec<String>,
    /// The data rows, in file order. Rows whose cells are all empty are left out.
    pub rows: Vec<SourceRow>,
    /// How the bytes were decoded.
    pub encoding: TextEncoding,
    /// The field delimiter found: `,`, `;`, tab or `|`.
    pub delimiter: char,
    /// Lower-case hex SHA-256 of the file's bytes, recorded with the import.
    pub sha256: String,
    /// For a workbook: the sheet read.
    #[serde(default)]
    pub sheet: Option<String>,
    /// For a workbook: all its sheets, in order (for choosing another).
    #[serde(default)]
    pub sheets: Vec<String>,
}

impl Parsed {
    /// Up to `n` non-empty values of each column, from the first rows, for judging what a
    /// column holds when its header does not say.
    pub(super) fn column_values(&self, n: usize) -> Vec<Vec<&str>> {
        let mut out: Vec<Vec<&str>> = vec![Vec::new(); self.headers.len()];
        for row in self.rows.iter().take(n * 2) {
            for (col, values) in out.iter_mut().enumerate() {
                let v = row.cell(col).map_or("", |c| c.trim());
                if values.len() < n && !v.is_empty() {
                    values.push(v);
                }
            }
        }
        out
    }

    /// Up to `n` distinct non-empty values of each column, from the first rows, for showing
    /// what a column holds next to its mapping.
    pub fn samples(&self, n: usize) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = vec![Vec::new(); self.headers.len()];
        for row in self.rows.iter().take(200) {
            for (col, values) in out.iter_mut().enumerate() {
                let v = row.cell(col).map_or("", |c| c.trim());
                if values.len() < n && !v.is_empty() && !values.iter().any(|x| x == v) {
                    values.push(v.chars().take(80).collect());
                }
            }
        }
        out
    }
}

/// Decodes, sniffs and parses an import file: a CSV (or other delimited text), or the first
/// non-empty sheet of a workbook. Fails when there is nothing to import (no header row) or the
/// file is not something the importer reads (a PDF, an image, an archive: named in the error);
/// problems with single rows (ragged, bad values) are for the preview to report.
pub fn read_file(bytes: &[u8]) -> Result<Parsed> {
    read_with(bytes, &ReadOptions::default())
}

/// How to read an import file when the automatic choice is not the right one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// The sheet of a workbook to read (else its first with anything in it).
    pub sheet: Option<String>,
    /// The encoding of a text file, by its WHATWG label (`windows-1250`, `ISO-8859-2`,
    /// `UTF-8`), else detected.
    pub encoding: Option<String>,
}

/// [`read_file`], with the sheet or the encoding chosen (a sheet is refused for a text file,
/// an encoding for a workbook).
pub fn read_with(bytes: &[u8], opts: &ReadOptions) -> Result<Parsed> {
    let sha256 = crate::audit::hex(&Sha256::digest(bytes));
    let sheet = opts.sheet.as_deref();
    let forced = match opts.encoding.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(label) => Some(encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            Error::invalid(
                "encoding",
                format!("\"{label}\" is not an encoding this import knows; use a name such as UTF-8, windows-1252, windows-1250 or ISO-8859-2"),
            )
        })?),
    };
    let kind = sniff(bytes);
    if let (Some(_), Kind::Workbook(_)) = (forced, kind) {
        return Err(Error::invalid(
            "encoding",
            "a workbook's text is Unicode whatever its encoding; leave out the encoding",
        ));
    }
    let (text, encoding) = match kind {
        Kind::Workbook(kind) => return read_workbook(bytes, kind, sheet, sha256),
        Kind::Other(what) => {
            return Err(Error::invalid(
                "file",
                format!("This file is {what}. Nothing was imported."),
            ))
        }
        Kind::Utf16NoBom(le) => {
            let enc = if le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let (s, _) = enc.decode_without_bom_handling(bytes);
            let e = if le {
                TextEncoding::Utf16Le
            } else {
                TextEncoding::Utf16Be
            };
            (s, e)
        }
        _ if forced.is_some() => decode_as(bytes, forced.expect("checked")),
        Kind::Text => decode(bytes),
    };
    if let Some(name) = sheet {
        return Err(Error::invalid(
            "sheet",
            format!(
                "this is a text (CSV) file, which has no sheets; leave out the sheet \"{name}\""
            ),
        ));
    }
    let (delimiter, skipped_lines, body) = match sep_hint(&text) {
        Some((d, rest)) => (d, 1, rest),
        None => (sniff_delimiter(&text), 0, &text[..]),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::new(body);
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line()) + skipped_lines;
            Error::invalid("file", format!("line {line}: {e}"))
        })?;
        if !more {
            break;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = lines.at(record.position().map_or(0, |p| p.byte() as usize)) + skipped_lines;
        match &headers {
            None => {
                headers = Some(
                    record
                        .iter()
                        .enumerate()
                        .map(|(i, h)| header_name(i, h))
                        .collect(),
                )
            }
            Some(_) if rows.len() == MAX_IMPORT_ROWS => {
                return Err(Error::invalid(
                    "file",
                    format!(
                        "the file has more than {} rows; split it into smaller files and import them one after another",
                        group(MAX_IMPORT_ROWS)
                    ),
                ))
            }
            Some(_) => rows.push(SourceRow::new(line, record.iter())),
        }
    }
    let headers = headers.ok_or_else(|| {
        Error::invalid(
            "file",
            "the file is empty: an import needs a header row naming its columns",
        )
    })?;
    Ok(Parsed {
        headers,
        rows,
        encoding,
        delimiter: char::from(delimiter),
        sha256,
        sheet: None,
        sheets: Vec::new(),
    })
}

/// Column `i`'s header as written, trimmed; an empty one becomes "Column N".
pub(super) fn header_name(i: usize, h: &str) -> String {
    match h.trim() {
        "" => format!("Column {}", i + 1),
        h => h.to_string(),
    }
}

pub(super) fn group(n: usize) -> String {
    crate::values::group_thousands(n as i64)
}

/// Line numbers for records, counted the way editors count: CRLF, LF and a lone CR (old Mac,
/// Excel's "CSV (Macintosh)") each end one line. The CSV parser counts only LFs, and after a
/// CRLF it dates the next record one line early (both found by the `csv_reader` fuzz target),
/// so error messages would name the wrong line.
struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The line a record whose parse started at byte `start` is on (records come in order).
    fn at(&mut self, start: usize) -> u64 {
        // The parser may report a record as starting on the line end before it.
        let mut start = start.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        while self.pos < start {
            match self.text[self.pos] {
                b'\n' => self.line += 1,
                b'\r' if self.text.get(self.pos + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.pos += 1;
        }
        self.line
    }
}

/// Decodes by byte-order mark, else as UTF-8 when valid, else in the legacy code page chardetng
/// guesses from the first MiB (Windows-1252 when it finds nothing better). Single-byte code pages
/// map every byte, so decoding never fails: a wrong guess shows as odd characters in the preview,
/// with the encoding's name beside it.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest), TextEncoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (s, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (s, TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (s, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return (s, TextEncoding::Utf16Be);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), TextEncoding::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(1 << 20)];
    detector.feed(sample, sample.len() == bytes.len());
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (s, _) = guess.decode_without_bom_handling(bytes);
    let encoding = if guess == encoding_rs::WINDOWS_1252 {
        TextEncoding::Windows1252
    } else {
        TextEncoding::Legacy(guess)
    };
    (s, encoding)
}

/// Decodes as `enc`, the user's choice (a BOM of that encoding is left out).
fn decode_as<'a>(
    bytes: &'a [u8],
    enc: &'static encoding_rs::Encoding,
) -> (Cow<'a, str>, TextEncoding) {
    let encoding = match enc {
        e if e == encoding_rs::UTF_8 => TextEncoding::Utf8,
        e if e == encoding_rs::UTF_16LE => TextEncoding::Utf16Le,
        e if e == encoding_rs::UTF_16BE => TextEncoding::Utf16Be,
        e if e == encoding_rs::WINDOWS_1252 => TextEncoding::Windows1252,
        e => TextEncoding::Legacy(e),
    };
    let (s, _) = enc.decode_with_bom_removal(bytes);
    (s, encoding)
}

/// Excel's `sep=;` first line names the delimiter; the rest of the text follows it.
fn sep_hint(text: &str) -> Option<(u8, &str)> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end_matches('\r');
    let d = first.strip_prefix("sep=")?;
    match d.as_bytes() {
        [b] if CANDIDATES.contains(b) => Some((*b, &text[(first_end + 1).min(text.len())..])),
        _ => None,
    }
}

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Picks the delimiter that splits the header into the most columns and then splits the
/// following records into the same number, counting only outside quotes. Ties go to the
/// earlier of `,` `;` tab `|`; a single-column file gets `,`.
fn sniff_delimiter(text: &str) -> u8 {
    const RECORDS: usize = 50;
    let mut per_record: Vec<[usize; 4]> = Vec::new();
    let mut current = [0usize; 4];
    let mut in_quotes = false;
    let mut blank = true;
    for b in text.bytes().take(1 << 16) {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                blank = false;
            }
            b'\n' if !in_quotes => {
                if !blank {
                    per_record.push(current);
                }
                current = [0; 4];
                blank = true;
                if per_record.len() == RECORDS {
                    break;
                }
            }
            b'\r' => {}
            _ if !in_quotes => {
                blank = false;
                if let Some(i) = CANDIDATES.iter().position(|c| *c == b) {
                    current[i] += 1;
                }
            }
            _ => blank = false,
        }
    }
    if !blank && per_record.len() < RECORDS {
        per_record.push(current);
    }
    let Some(header) = per_record.first() else {
        return b',';
    };
    let mut best = (0usize, 0usize, b',');
    for (i, &d) in CANDIDATES.iter().enumerate() {
        if header[i] == 0 {
            continue;
        }
        let consistent = per_record.iter().filter(|r| r[i] == header[i]).count();
        if (consistent, header[i]) > (best.0, best.1) {
            best = (consistent, header[i], d);
        }
    }
    best.2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_line_end_gives_each_row_its_own_line() {
        for (text, notes) in [
            (
                &b"Tag,Name\rIT-1,One\rIT-2,\"Two\r\nlines\"\rIT-3,Three\r"[..],
                "Two\r\nlines",
            ),
            (
                b"Tag,Name\r\nIT-1,One\r\nIT-2,\"Two\r\nlines\"\r\nIT-3,Three\r\n",
                "Two\r\nlines",
            ),
            (
                b"Tag,Name\nIT-1,One\nIT-2,\"Two\nlines\"\nIT-3,Three\n",
                "Two\nlines",
            ),
        ] {
            let p = read_file(text).unwrap();
            let lines: Vec<u64> = p.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, vec![2, 3, 5], "{:?}", String::from_utf8_lossy(text));
            assert_eq!(p.rows[1].cell(1).unwrap(), notes);
        }
    }

    #[test]
    fn decodes_every_encoding() {
        let text = "Tag,Name\nA1,Café £5\n";
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let bom: Vec<u8> = b"\xEF\xBB\xBF"
            .iter()
            .chain(text.as_bytes())
            .copied()
            .collect();
        let cp1252 = b"Tag,Name\nA1,Caf\xE9 \xA35\n".to_vec();
        for (bytes, enc) in [
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
            (bom, TextEncoding::Utf8Bom),
            (utf16le, TextEncoding::Utf16Le),
            (utf16be, TextEncoding::Utf16Be),
            (cp1252, TextEncoding::Windows1252),
        ] {
            let p = read_file(&bytes).unwrap();
            assert_eq!(p.encoding, enc);
            assert_eq!(p.headers, vec!["Tag", "Name"], "{enc:?}");
            assert_eq!(
                p.rows[0].cells().collect::<Vec<_>>(),
                vec!["A1", "Café £5"],
                "{enc:?}"
            );
        }
    }

    #[test]
    fn the_encoding_can_be_chosen() {
        let bytes = "Tag,Place\nPL-1,Łódź\n".as_bytes();
        let cp1250 = encoding_rs::WINDOWS_1250.encode("Tag,Place\nPL-1,Łódź\n").0;
        let read = |b: &[u8], e: &str| {
            read_with(
                b,
                &ReadOptions {
                    encoding: Some(e.into()),
                    ..Default::default()
                },
            )
        };
        let p = read(&cp1250, "windows-1252").unwrap();
        assert_eq!(
            (p.encoding, p.rows[0].cell(1)),
            (TextEncoding::Windows1252, Some("£ódŸ"))
        );
        let p = read(&cp1250, "cp1250").unwrap();
        assert_eq!(p.encoding, TextEncoding::Legacy(encoding_rs::WINDOWS_1250));
        assert_eq!(p.rows[0].cell(1), Some("Łódź"));
        let p = read(bytes, "utf-8").unwrap();
        assert_eq!(
            (p.encoding, p.rows[0].cell(1)),
            (TextEncoding::Utf8, Some("Łódź"))
        );
        assert!(read(bytes, "klingon")
            .unwrap_err()
            .to_string()
            .contains("not an encoding"));
    }

    #[test]
    fn detects_legacy_code_pages_and_names_them() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/import-windows-1250.csv"
        ))
        .unwrap();
        let p = read_file(&bytes).unwrap();
        assert_eq!(p.encoding, TextEncoding::Legacy(encoding_rs::WINDOWS_1250));
        assert_eq!(p.rows[0].cell(3).unwrap(), "Łódź");
        assert_eq!(p.encoding.name(), "windows-1250");
        let json = serde_json::to_string(&p.encoding).unwrap();
        assert_eq!(json, "\"windows-1250\"");
        assert_eq!(
            serde_json::from_str::<TextEncoding>(&json).unwrap(),
            p.encoding
        );
        for e in [TextEncoding::Utf8Bom, TextEncoding::Windows1252] {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(
                serde_json::from_str::<TextEncoding>(&json).unwrap(),
                e,
                "{json}"
            );
        }
    }

    #[test]
    fn sniffs_delimiters() {
        let cases: [(&str, char); 6] = [
            ("a,b,c\n1,2,3\n", ','),
            ("a;b;c\n1;\"2,5\";3\n", ';'),
            ("a\tb\n1\t2\n", '\t'),
            ("a|b\n1|2\n", '|'),
            ("name\nx\n", ','),
            ("sep=;\na;b\n1,5;2\n", ';'),
        ];
        for (text, d) in cases {
            assert_eq!(read_file(text.as_bytes()).unwrap().delimiter, d, "{text:?}");
        }
    }

    #[test]
    fn rows_keep_their_starting_line() {
        let text = "Tag,Notes\nA1,\"two\nlines\"\n\n,\nA2,x\n";
        let p = read_file(text.as_bytes()).unwrap();
        let lines: Vec<u64> = p.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 6], "blank and empty rows are dropped");
        assert_eq!(p.rows[0].cell(1).unwrap(), "two\nlines");
        let p = read_file(b"sep=,\nTag\nA1\n").unwrap();
        assert_eq!(p.rows[0].line, 3);
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(read_file(b"").is_err());
        assert!(read_file(b"\n,,\n").is_err());
    }
}
