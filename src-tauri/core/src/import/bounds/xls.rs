//! How much memory calamine would take to read an Excel 97-2003 (`.xls`) file, worked out from
//! the file's structure before calamine sees it, so a crafted or damaged file is refused in a
//! sentence instead of taking the machine's memory.
//!
//! calamine 0.38 reads an `.xls` in one go: the OLE2 container's sector chains (it follows a chain
//! until its end or its declared length, and the directory chain has no length, so a chain that
//! loops grows without end), then every sheet of the workbook stream into a dense grid spanning
//! the sheet's first to last cell (and a `reserve` of the rows x columns its DIMENSIONS record
//! claims). This module walks the same structures the same way, counting instead of storing.

use super::{Limit, MAX_WORKBOOK_CELLS};

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Sector ids at or above this are markers (free, end of chain, FAT, DIFAT), not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;

/// Checks an `.xls` file. `Ok` means calamine's reading of it is bounded by the file's size and
/// [`MAX_WORKBOOK_CELLS`]; a file this cannot make sense of is `Err(Limit::Damaged)` (calamine
/// would refuse it too, or loop, or index out of bounds).
pub(crate) fn check(file: &[u8]) -> Result<(), Limit> {
    let cfb = Container::open(file)?;
    let stream = cfb.workbook_stream()?;
    check_workbook_stream(&stream)
}

/// The OLE2 compound file, read as calamine reads it.
struct Container<'a> {
    file: &'a [u8],
    sector_size: usize,
    /// Where sector 0 starts (the header takes one sector).
    base: usize,
    /// The highest sector id calamine will read (the file's length over the sector size).
    maxid: u32,
    fat: Vec<u32>,
    dirs: Vec<Dir>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
}

struct Dir {
    name: String,
    start: u32,
    len: usize,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl<'a> Container<'a> {
    fn open(file: &'a [u8]) -> Result<Self, Limit> {
        if file.len() < 512 || !file.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            return Err(Limit::Damaged("it is too short for its kind"));
        }
        let sector_size = match u16_at(file, 30) {
            0x0009 => 512,
            0x000C => 4096,
            _ => return Err(Limit::Damaged("its sector size is not one Office uses")),
        };
        if file.len() < sector_size {
            return Err(Limit::Damaged("it is too short for its kind"));
        }
        let version = u16_at(file, 26);
        let dir_start = u32_at(file, 48);
        let mini_fat_start = u32_at(file, 60);
        let mini_fat_len = u32_at(file, 64) as usize;
        let difat_start = u32_at(file, 68);
        let mut cfb = Container {
            file,
            sector_size,
            base: sector_size,
            maxid: u32::try_from(file.len() / sector_size).unwrap_or(u32::MAX),
            fat: Vec::new(),
            dirs: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
        };

        // The DIFAT: 109 ids in the header, then a chain of DIFAT sectors whose last id links on.
        let mut difat: Vec<u32> = (76..512).step_by(4).map(|at| u32_at(file, at)).collect();
        let mut id = difat_start;
        let mut steps = 0usize;
        while id < RESERVED {
            steps += 1;
            if steps > cfb.maxid as usize + 1 {
                return Err(Limit::Damaged("its sector table loops"));
            }
            let sector = cfb.sector(id)?;
            difat.extend(sector.chunks_exact(4).map(|c| u32_at(c, 0)));
            id = difat
                .pop()
                .ok_or(Limit::Damaged("its sector table is cut short"))?;
        }
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            let sector = cfb.sector(id)?;
            cfb.fat.extend(sector.chunks_exact(4).map(|c| u32_at(c, 0)));
        }

        // The directory: calamine follows its chain with no length, so it must end.
        let dirs = cfb.chain(dir_start, usize::MAX)?;
        cfb.dirs = dirs
            .chunks_exact(128)
            .map(|d| {
                let units: Vec<u16> = d[..64].chunks_exact(2).map(|c| u16_at(c, 0)).collect();
                let mut name = String::from_utf16_lossy(&units);
                if let Some(end) = name.find('\0') {
                    name.truncate(end);
                }
                let len = if sector_size == 512 {
                    u32_at(d, 120) as u64
                } else {
                    u64::from(u32_at(d, 120)) | (u64::from(u32_at(d, 124)) << 32)
                };
                Dir {
                    name,
                    start: u32_at(d, 116),
                    len: usize::try_from(len).unwrap_or(usize::MAX),
                }
            })
            .collect();
        let root = cfb
            .dirs
            .first()
            .ok_or(Limit::Damaged("it has no directory"))?;
        if version != 3 && root.start == ENDOFCHAIN {
            return Err(Limit::Damaged("it has no directory"));
        }
        if mini_fat_len > 0 {
            let (root_start, root_len) = (root.start, root.len);
            cfb.mini_stream = cfb.chain(root_start, root_len)?;
            let mini_fat = cfb.chain(mini_fat_start, mini_fat_len.saturating_mul(sector_size))?;
            cfb.mini_fat = mini_fat.chunks_exact(4).map(|c| u32_at(c, 0)).collect();
        }
        Ok(cfb)
    }

    /// One sector's bytes (short at the end of the file, as calamine reads it).
    fn sector(&self, id: u32) -> Result<&'a [u8], Limit> {
        if id > self.maxid {
            return Err(Limit::Damaged("it points past its own end"));
        }
        let start = self.base + id as usize * self.sector_size;
        let end = (start + self.sector_size).min(self.file.len());
        Ok(self.file.get(start..end).unwrap_or(&[]))
    }

    /// A chain of sectors through the FAT, up to `len` bytes, as calamine reads it, refusing
    /// one that would take more bytes than the file holds (it can only do so by looping).
    fn chain(&self, mut id: u32, len: usize) -> Result<Vec<u8>, Limit> {
        let mut out = Vec::new();
        while id != ENDOFCHAIN {
            let sector = self.sector(id)?;
            if sector.is_empty() {
                // calamine would stop with an error or spin here.
                return Err(Limit::Damaged("it points past its own end"));
            }
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            if out.len() > self.file.len() {
                return Err(Limit::Damaged("its sector table loops"));
            }
            id = *self
                .fat
                .get(id as usize)
                .ok_or(Limit::Damaged("it points past its own sector table"))?;
        }
        Ok(out)
    }

    /// The same walk through the mini stream, for streams under 4 KB.
    fn mini_chain(&self, mut id: u32, len: usize) -> Result<Vec<u8>, Limit> {
        let mut out = Vec::new();
        while id != ENDOFCHAIN {
            let start = id as usize * 64;
            let sector = self
                .mini_stream
                .get(start..start + 64)
                .ok_or(Limit::Damaged("it points past its own end"))?;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            id = *self
                .mini_fat
                .get(id as usize)
                .ok_or(Limit::Damaged("it points past its own sector table"))?;
        }
        Ok(out)
    }

    /// The "Workbook" stream (or "Book", from Excel 5), found as calamine finds it.
    fn workbook_stream(&self) -> Result<Vec<u8>, Limit> {
        let find = |name: &str| {
            self.dirs
                .iter()
                .find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        };
        // No workbook stream: calamine says so (a Word file, say), in its own words.
        let Some(d) = find("Workbook").or_else(|| find("Book")) else {
            return Ok(Vec::new());
        };
        if d.len < 4096 {
            self.mini_chain(d.start, d.len)
        } else {
            self.chain(d.start, d.len)
        }
    }
}

/// One BIFF record: its type and its data (the CONTINUE records after it are skipped, as they
/// hold no cells).
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if stream.len() < 4 {
            return None;
        }
        let typ = u16_at(stream, 0);
        let len = u16_at(stream, 2) as usize;
        let data = stream.get(4..4 + len)?;
        stream = &stream[4 + len..];
        Some((typ, data))
    })
}

/// The first and last row and column of a set of cells.
#[derive(Default)]
struct Bounds(Option<((u32, u32), (u32, u32))>);

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => ((row, col), (row, col)),
            Some(((r0, c0), (r1, c1))) => ((r0.min(row), c0.min(col)), (r1.max(row), c1.max(col))),
        });
    }

    /// The cells of the dense grid calamine makes for these, with its rows and columns.
    fn area(&self) -> (u64, u64) {
        match self.0 {
            None => (0, 0),
            Some(((r0, c0), (r1, c1))) => (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1),
        }
    }
}

/// Walks every sheet calamine would read and adds up the grids it would allocate.
fn check_workbook_stream(stream: &[u8]) -> Result<(), Limit> {
    let mut sheets = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            // BoundSheet8: where the sheet's records start, and its name.
            0x0085 if data.len() >= 6 => {
                let pos = u32_at(data, 0) as usize;
                sheets.push((pos, sheet_name(data)));
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut total: u64 = 0;
    for (pos, name) in sheets {
        let sheet = stream.get(pos..).ok_or(Limit::Damaged(
            "a sheet starts past the end of the workbook",
        ))?;
        let (mut cells, mut formulas) = (Bounds::default(), Bounds::default());
        let mut reserved: u64 = 0;
        let (mut seen_bof, mut depth) = (false, 0usize);
        let mut fmla_pos = (0u32, 0u32);
        for (typ, data) in records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let row_col = || (u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                // DIMENSIONS: calamine reserves rows x columns of cells from it.
                0x0200 => reserved = reserved.saturating_add(dimensions(data)),
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if data.len() >= 4 => {
                    let (r, c) = row_col();
                    cells.add(r, c);
                }
                0x0207 => cells.add(fmla_pos.0, fmla_pos.1),
                0x00BD if data.len() >= 6 => {
                    let r = u32::from(u16_at(data, 0));
                    let first = u32::from(u16_at(data, 2));
                    let last = u32::from(u16_at(data, data.len() - 2));
                    if last >= first {
                        cells.add(r, first);
                        cells.add(r, last);
                    }
                }
                0x0006 if data.len() >= 20 => {
                    fmla_pos = row_col();
                    cells.add(fmla_pos.0, fmla_pos.1);
                    formulas.add(fmla_pos.0, fmla_pos.1);
                }
                _ => {}
            }
        }
        let (rows, cols) = cells.area();
        let (frows, fcols) = formulas.area();
        let grid = (rows * cols)
            .saturating_add(frows * fcols)
            .max(reserved.saturating_mul(5) / 4);
        total = total.saturating_add(grid);
        if total > MAX_WORKBOOK_CELLS {
            return Err(Limit::TooManyCells {
                sheet: name,
                rows: rows.max(frows),
                cols: cols.max(fcols),
            });
        }
    }
    Ok(())
}

/// A BoundSheet8 record's sheet name (BIFF8: a count, a flag for two-byte characters, the
/// characters), for the message; what cannot be read is left out.
fn sheet_name(data: &[u8]) -> String {
    let cch = data.get(6).copied().unwrap_or(0) as usize;
    let wide = data.get(7).is_some_and(|f| f & 1 == 1);
    let chars = data.get(8..).unwrap_or_default();
    let name: String = if wide {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16_at(c, 0))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(cch).map(|&b| b as char).collect()
    };
    name.chars().filter(|c| !c.is_control()).collect()
}

/// The cells calamine reserves for a DIMENSIONS record, computed as it computes them (with
/// 32-bit wrapping, which is how a crafted record asks for billions).
fn dimensions(r: &[u8]) -> u64 {
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (
            u32::from(u16_at(r, 0)),
            u32::from(u16_at(r, 2)),
            u32::from(u16_at(r, 4)),
            u32::from(u16_at(r, 6)),
        ),
        14 | 16 => (
            u32_at(r, 0),
            u32_at(r, 4),
            u32::from(u16_at(r, 8)),
            u32::from(u16_at(r, 10)),
        ),
        _ => return 0,
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    let (start, end) = if rl >= 1 && cl >= 1 {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as u64;
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as u64;
    rows.saturating_mul(cols)
}
