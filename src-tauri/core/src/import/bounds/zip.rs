//! The parts of a zipped workbook (`.xlsx`, `.ods`) that calamine unzips whole, checked against
//! [`MAX_WORKBOOK_PART_BYTES`] by the sizes the zip declares (the zip reader stops at the
//! declared size, so a part cannot unzip to more than it says).

use std::io::Cursor;

use super::{Limit, MAX_WORKBOOK_PART_BYTES};

/// Checks every part but those `streamed` (read cell by cell, and bounded there). A zip that
/// cannot be opened is left for calamine to refuse in its own words.
pub(super) fn check_parts(bytes: &[u8], streamed: impl Fn(&str) -> bool) -> Result<(), Limit> {
    let Ok(mut zip) = ::zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if part.size() > MAX_WORKBOOK_PART_BYTES && !streamed(&name) {
            return Err(Limit::PartTooLarge {
                part: name.chars().filter(|c| !c.is_control()).take(80).collect(),
                bytes: part.size(),
            });
        }
    }
    Ok(())
}
