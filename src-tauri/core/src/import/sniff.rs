//! What an import file really is, from its first bytes, before anything decodes it as text: a
//! workbook (for [`super::workbook`]), text (for the CSV reader), or something else, named in
//! one sentence. The file's name is not trusted: an `.xlsx` renamed `.csv` is still a workbook.

/// The workbook formats the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Workbook {
    /// Office Open XML (`.xlsx`, `.xlsm`): a zip with an `xl/` folder.
    Xlsx,
    /// Excel 97-2003 (`.xls`): an OLE2 compound file.
    Xls,
    /// OpenDocument spreadsheet (`.ods`): a zip whose `mimetype` says so.
    Ods,
}

/// What the first bytes say the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Text, for the CSV reader (which finds its encoding).
    Text,
    /// UTF-16 text without a byte-order mark (`true`: little-endian).
    Utf16NoBom(bool),
    /// A workbook.
    Workbook(Workbook),
    /// Not something the importer reads: what it is (and what to do), to follow "This file is ":
    /// "a PDF document, not a CSV file or a workbook".
    Other(&'static str),
}

/// Looks at the file's bytes (only the first and last 64 KiB) and says what it is.
pub(super) fn sniff(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(1 << 16)];
    let tail = &bytes[bytes.len().saturating_sub(1 << 16)..];
    let has = |needle: &[u8]| {
        head.windows(needle.len()).any(|w| w == needle)
            || tail.windows(needle.len()).any(|w| w == needle)
    };
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        // A zip: the entry names (in the local headers at the start and the central directory at
        // the end) tell an Office or OpenDocument file from any other archive.
        return if has(b"application/vnd.oasis.opendocument.spreadsheet") {
            Kind::Workbook(Workbook::Ods)
        } else if has(b"xl/workbook.xml") || has(b"xl/worksheets/") {
            Kind::Workbook(Workbook::Xlsx)
        } else if has(b"xl/workbook.bin") {
            Kind::Other("an Excel binary workbook (.xlsb), which the importer does not read; save it as .xlsx or CSV and import that")
        } else if has(b"word/") || has(b"application/vnd.oasis.opendocument.text") {
            Kind::Other("a word-processor document, not a CSV file or a workbook")
        } else if has(b"ppt/") || has(b"application/vnd.oasis.opendocument.presentation") {
            Kind::Other("a presentation, not a CSV file or a workbook")
        } else {
            Kind::Other(
                "a zip archive, not a CSV file or a workbook; unzip it and import the file inside",
            )
        };
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // OLE2 holds old Word and Outlook files too; the workbook reader tells them apart.
        return Kind::Workbook(Workbook::Xls);
    }
    const SIGNATURES: [(&[u8], &str); 9] = [
        (b"%PDF-", "a PDF document, not a CSV file or a workbook"),
        (
            b"\x89PNG\r\n\x1A\n",
            "a PNG image, not a CSV file or a workbook",
        ),
        (
            b"\xFF\xD8\xFF",
            "a JPEG image, not a CSV file or a workbook",
        ),
        (b"GIF87a", "a GIF image, not a CSV file or a workbook"),
        (b"GIF89a", "a GIF image, not a CSV file or a workbook"),
        (
            b"\x1F\x8B",
            "a gzip-compressed file; uncompress it and import the file inside",
        ),
        (
            b"7z\xBC\xAF\x27\x1C",
            "a 7-Zip archive; unpack it and import the file inside",
        ),
        (
            b"Rar!\x1A\x07",
            "a RAR archive; unpack it and import the file inside",
        ),
        (
            b"SQLite format 3\0",
            "an SQLite database, not a CSV file or a workbook",
        ),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| head.starts_with(sig)) {
        return Kind::Other(what);
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Kind::Text; // UTF-16 with a BOM: the CSV reader decodes it
    }
    // Text has no NUL bytes, except UTF-16, where ASCII characters leave one in every pair.
    let sample = &head[..head.len().min(4096) & !1];
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let pairs = sample.len() / 2;
    if even + odd == 0 {
        return Kind::Text;
    }
    if pairs > 0 && odd * 10 >= pairs * 7 && even * 20 < pairs {
        return Kind::Utf16NoBom(true);
    }
    if pairs > 0 && even * 10 >= pairs * 7 && odd * 20 < pairs {
        return Kind::Utf16NoBom(false);
    }
    Kind::Other("binary data, not a CSV file or a workbook")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_a_file_is() {
        let utf16 = |le: bool| -> Vec<u8> {
            "Tag,Name\nA1,Café\n"
                .encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect()
        };
        let zip = |name: &str| [b"PK\x03\x04".as_slice(), &[0; 26], name.as_bytes()].concat();
        let cases: Vec<(Vec<u8>, Kind)> = vec![
            (b"Tag,Name\nA1,x\n".to_vec(), Kind::Text),
            ("Tag;Nom\nA1;Été\n".as_bytes().to_vec(), Kind::Text),
            (b"\xFF\xFET\0a\0".to_vec(), Kind::Text),
            (utf16(true), Kind::Utf16NoBom(true)),
            (utf16(false), Kind::Utf16NoBom(false)),
            (
                zip("[Content_Types].xml xl/workbook.xml"),
                Kind::Workbook(Workbook::Xlsx),
            ),
            (
                zip("mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
                Kind::Workbook(Workbook::Ods),
            ),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0".to_vec(),
                Kind::Workbook(Workbook::Xls),
            ),
            (
                b"%PDF-1.7\n".to_vec(),
                Kind::Other("a PDF document, not a CSV file or a workbook"),
            ),
            (
                b"\x89PNG\r\n\x1A\n\0\0".to_vec(),
                Kind::Other("a PNG image, not a CSV file or a workbook"),
            ),
            (
                b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec(),
                Kind::Other("a JPEG image, not a CSV file or a workbook"),
            ),
            (
                b"GIF89a\x01\0".to_vec(),
                Kind::Other("a GIF image, not a CSV file or a workbook"),
            ),
            (
                b"\x00\x01\x02\x03binary\x00".to_vec(),
                Kind::Other("binary data, not a CSV file or a workbook"),
            ),
        ];
        for (bytes, kind) in cases {
            assert_eq!(sniff(&bytes), kind, "{:?}", String::from_utf8_lossy(&bytes));
        }
        assert!(matches!(sniff(&zip("word/document.xml")), Kind::Other(w) if w.contains("word")));
        assert!(matches!(sniff(&zip("photos/a.jpg")), Kind::Other(w) if w.contains("zip")));
    }
}
