//! Asset labels as a PDF: per asset a QR code of its tag, the tag in large type, its name, the
//! organisation and an optional short line ("Property of … — if found call …"), laid out on
//! Avery sheets or one label per page for continuous label-printer rolls. Builds PDF bytes only.
//!
//! The QR code holds the tag alone, exactly as stored, so a scanner that types it into the
//! window (or a stocktake) finds the asset by tag.

use chrono::Utc;
use qrcode::{Color, EcLevel, QrCode};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::facts::{organisation, set_info};
use super::layout::{Canvas, Style};
use super::options::RenderedPdf;
use super::pdf::{Document, Op};
use crate::assets::{self, Asset, ListQuery};
use crate::error::{Error, Result};
use crate::settings::get_settings;

/// The label stock a sheet is printed on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelLayout {
    /// Avery L7651: A4, 65 labels of 38.1 × 21.2 mm (5 × 13).
    L7651,
    /// Avery L7160: A4, 21 labels of 63.5 × 38.1 mm (3 × 7).
    #[default]
    L7160,
    /// Avery L7163: A4, 14 labels of 99.1 × 38.1 mm (2 × 7).
    L7163,
    /// Avery 5160: US Letter, 30 labels of 2⅝ × 1 in (3 × 10).
    #[serde(rename = "5160")]
    Avery5160,
    /// A 62 mm continuous roll (label printers): one 62 × 40 mm label per page.
    #[serde(rename = "roll62")]
    Roll62,
    /// A 29 mm continuous roll: one 90 × 29 mm label per page.
    #[serde(rename = "roll29")]
    Roll29,
}

/// Where the labels sit on a page, in millimetres from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sheet {
    /// Page width and height.
    pub page_mm: (f32, f32),
    /// Labels across and down.
    pub columns: u32,
    /// Labels down.
    pub rows: u32,
    /// One label's width and height.
    pub label_mm: (f32, f32),
    /// The first label's top-left corner.
    pub origin_mm: (f32, f32),
    /// From one label's left (top) edge to the next one's.
    pub pitch_mm: (f32, f32),
}

impl Sheet {
    /// Labels on one page.
    pub fn capacity(&self) -> u32 {
        self.columns * self.rows
    }
}

impl LabelLayout {
    /// Every layout, in the order the window offers them.
    pub const ALL: [LabelLayout; 6] = [
        LabelLayout::L7160,
        LabelLayout::L7163,
        LabelLayout::L7651,
        LabelLayout::Avery5160,
        LabelLayout::Roll62,
        LabelLayout::Roll29,
    ];

    /// The name the CLI and the window use: `l7651`, `l7160`, `l7163`, `5160`, `roll62`,
    /// `roll29`.
    pub fn key(self) -> &'static str {
        match self {
            LabelLayout::L7651 => "l7651",
            LabelLayout::L7160 => "l7160",
            LabelLayout::L7163 => "l7163",
            LabelLayout::Avery5160 => "5160",
            LabelLayout::Roll62 => "roll62",
            LabelLayout::Roll29 => "roll29",
        }
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            LabelLayout::L7651 => "Avery L7651 — A4, 65 per sheet (38 × 21 mm)",
            LabelLayout::L7160 => "Avery L7160 — A4, 21 per sheet (64 × 38 mm)",
            LabelLayout::L7163 => "Avery L7163 — A4, 14 per sheet (99 × 38 mm)",
            LabelLayout::Avery5160 => "Avery 5160 — Letter, 30 per sheet (2⅝ × 1 in)",
            LabelLayout::Roll62 => "62 mm roll — one 62 × 40 mm label per page",
            LabelLayout::Roll29 => "29 mm roll — one 90 × 29 mm label per page",
        }
    }

    /// Parses a layout's key (any case; `avery-` prefixes and `62mm`/`29mm` are accepted).
    pub fn parse(s: &str) -> Result<LabelLayout> {
        let k = s.trim().to_lowercase();
        let k = k.strip_prefix("avery").unwrap_or(&k);
        let k = k.trim_start_matches(['-', ' ', '_']);
        Ok(match k {
            "l7651" => LabelLayout::L7651,
            "l7160" => LabelLayout::L7160,
            "l7163" => LabelLayout::L7163,
            "5160" => LabelLayout::Avery5160,
            "roll62" | "62mm" | "62" => LabelLayout::Roll62,
            "roll29" | "29mm" | "29" => LabelLayout::Roll29,
            _ => {
                let keys: Vec<&str> = LabelLayout::ALL.iter().map(|l| l.key()).collect();
                return Err(Error::invalid(
                    "layout",
                    format!(
                        "\"{}\" is not a label layout; use one of {}",
                        s.trim(),
                        keys.join(", ")
                    ),
                ));
            }
        })
    }

    /// The sheet's geometry, from the stock's published template.
    pub fn sheet(self) -> Sheet {
        const INCH: f32 = 25.4;
        match self {
            LabelLayout::L7651 => Sheet {
                page_mm: (210.0, 297.0),
                columns: 5,
                rows: 13,
                label_mm: (38.1, 21.2),
                origin_mm: (4.75, 10.7),
                pitch_mm: (40.6, 21.2),
            },
            LabelLayout::L7160 => Sheet {
                page_mm: (210.0, 297.0),
                columns: 3,
                rows: 7,
                label_mm: (63.5, 38.1),
                origin_mm: (7.25, 15.15),
                pitch_mm: (66.0, 38.1),
            },
            LabelLayout::L7163 => Sheet {
                page_mm: (210.0, 297.0),
                columns: 2,
                rows: 7,
                label_mm: (99.1, 38.1),
                origin_mm: (4.65, 15.15),
                pitch_mm: (101.6, 38.1),
            },
            LabelLayout::Avery5160 => Sheet {
                page_mm: (8.5 * INCH, 11.0 * INCH),
                columns: 3,
                rows: 10,
                label_mm: (2.625 * INCH, INCH),
                origin_mm: (0.1875 * INCH, 0.5 * INCH),
                pitch_mm: (2.75 * INCH, INCH),
            },
            LabelLayout::Roll62 => Sheet {
                page_mm: (62.0, 40.0),
                columns: 1,
                rows: 1,
                label_mm: (62.0, 40.0),
                origin_mm: (0.0, 0.0),
                pitch_mm: (62.0, 40.0),
            },
            LabelLayout::Roll29 => Sheet {
                page_mm: (90.0, 29.0),
                columns: 1,
                rows: 1,
                label_mm: (90.0, 29.0),
                origin_mm: (0.0, 0.0),
                pitch_mm: (90.0, 29.0),
            },
        }
    }
}

/// How labels are printed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LabelOptions {
    /// The label stock.
    pub layout: LabelLayout,
    /// The first label position to print on (1 = top-left; across, then down), so a partly
    /// used sheet can be finished. `None` is 1.
    pub start: Option<u32>,
    /// A short line printed on every label, e.g. "Property of Acme — if found call 01234 567890".
    pub line: Option<String>,
}

/// The longest extra line a label takes.
pub const MAX_LINE_CHARS: usize = 80;

/// Which assets get labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LabelSelection {
    /// These assets (the list's selection, an asset's page, a purchase), in this order.
    Ids {
        /// Asset ids.
        ids: Vec<i64>,
    },
    /// These tags (ignoring case), in this order.
    Tags {
        /// Asset tags.
        tags: Vec<String>,
    },
    /// Every live asset the list shows with this query (its filters and sort), all pages.
    Query {
        /// The list's query; its offset and limit are ignored.
        query: ListQuery,
    },
}

/// The assets a selection names. Unknown ids or tags are refused, naming them, and so is a
/// selection that names no asset at all.
pub fn select_for_labels(conn: &Connection, sel: &LabelSelection) -> Result<Vec<Asset>> {
    let rows = match sel {
        LabelSelection::Ids { ids } => ids
            .iter()
            .map(|&id| assets::get_asset(conn, id))
            .collect::<Result<Vec<_>>>()?,
        LabelSelection::Tags { tags } => {
            let mut rows = Vec::new();
            let mut unknown = Vec::new();
            for t in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                match assets::find_asset(conn, t) {
                    Ok(a) => rows.push(a),
                    Err(Error::NotFound { .. }) => unknown.push(t.to_string()),
                    Err(e) => return Err(e),
                }
            }
            if !unknown.is_empty() {
                return Err(Error::invalid(
                    "tags",
                    format!("no asset has the tag {}", unknown.join(", ")),
                ));
            }
            rows
        }
        LabelSelection::Query { query } => {
            let mut q = query.clone();
            q.offset = 0;
            q.limit = Some(1000);
            let mut rows = Vec::new();
            loop {
                let page = assets::list_assets(conn, &q)?;
                let n = page.assets.len();
                rows.extend(page.assets);
                if n < 1000 {
                    break;
                }
                q.offset += 1000;
            }
            rows
        }
    };
    if rows.is_empty() {
        return Err(Error::invalid("tags", "no assets to print labels for"));
    }
    Ok(rows)
}

/// Checks the options against the layout: the start position must be on the sheet and the
/// line short enough to print.
pub fn check_label_options(opts: &LabelOptions) -> Result<()> {
    let cap = opts.layout.sheet().capacity();
    match opts.start {
        Some(s) if s == 0 || s > cap => {
            return Err(Error::invalid(
                "start",
                if cap == 1 {
                    format!("a roll has no start position to choose: use 1, not {s}")
                } else {
                    format!("the start position must be 1 to {cap} on this sheet, not {s}")
                },
            ))
        }
        _ => {}
    }
    if let Some(l) = &opts.line {
        if l.chars().count() > MAX_LINE_CHARS {
            return Err(Error::invalid(
                "line",
                format!("the line must be at most {MAX_LINE_CHARS} characters"),
            ));
        }
    }
    Ok(())
}

/// The labels of `rows` as a PDF.
pub fn render_labels(
    conn: &Connection,
    rows: &[Asset],
    opts: &LabelOptions,
) -> Result<RenderedPdf> {
    check_label_options(opts)?;
    if rows.is_empty() {
        return Err(Error::invalid("tags", "no assets to print labels for"));
    }
    // The label names the organisation only when Settings has one (no "Your organisation").
    let org_setting = get_settings(conn)?.organisation.trim().to_string();
    let org = organisation(&org_setting);
    let sheet = opts.layout.sheet();
    let title = "Asset labels";
    let mut doc = Document::new(&format!("{title} — {org}"));
    set_info(&mut doc, &org, title, Utc::now());
    let mut c = Canvas::sized(doc, sheet.page_mm)?;
    let line = opts
        .line
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let cap = sheet.capacity() as usize;
    let mut slot = opts.start.unwrap_or(1).max(1) as usize - 1;
    for a in rows {
        if slot == cap {
            c.end_page();
            slot = 0;
        }
        let col = (slot as u32 % sheet.columns) as f32;
        let row = (slot as u32 / sheet.columns) as f32;
        let x = sheet.origin_mm.0 + col * sheet.pitch_mm.0;
        let y = sheet.origin_mm.1 + row * sheet.pitch_mm.1;
        draw_label(&mut c, a, &org_setting, line, (x, y), sheet.label_mm)?;
        slot += 1;
    }
    c.finish_plain()
}

fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// One label whose top-left corner is `at` (mm): the QR code on the left, the words beside it.
/// `org` empty: no organisation line.
fn draw_label(
    c: &mut Canvas,
    a: &Asset,
    org: &str,
    line: Option<&str>,
    at: (f32, f32),
    size: (f32, f32),
) -> Result<()> {
    let (x, y) = (pt(at.0), pt(at.1));
    let (w, h) = (pt(size.0), pt(size.1));
    // Sheet labels have rounded corners and printers drift: keep clear of the edge.
    let pad = (h * 0.07).clamp(3.0, 6.0);
    let qr_side = (h - 2.0 * pad).min(w * 0.45);
    draw_qr(c, &a.asset_tag, x + pad, y + (h - qr_side) / 2.0, qr_side)?;
    let tx = x + pad + qr_side + pad * 0.8;
    let tw = x + w - pad - tx;
    let th = h - 2.0 * pad;
    // Sizes follow the label's height: 9 pt tags on a 21 mm label, 14 pt on 38 mm.
    let mut tag_st = Style::bold((size.1 * 0.38).clamp(8.0, 16.0));
    while tag_st.size > 5.0 && c.bold.width(&printable(c, &a.asset_tag, true), tag_st.size) > tw {
        tag_st.size -= 0.5;
    }
    let body = (tag_st.size * 0.62).clamp(5.0, 9.0);
    let name_st = Style::regular(body);
    let small = Style::regular((body * 0.85).max(4.5)).gray(0.3);
    // What goes on the label, most important first; each takes its line only if it fits.
    let mut used = tag_st.leading();
    let mut show_name = false;
    let mut org_line = None;
    let mut extra = Vec::new();
    let name = c.regular.wrap(&a.name, name_st.size, tw);
    if used + name_st.leading() <= th {
        show_name = true;
        used += name_st.leading();
    }
    if !org.is_empty() && used + small.leading() <= th {
        org_line = Some(c.fit(org, small, tw));
        used += small.leading();
    }
    // The line is often a phone number at its end: it gets every line left, in smaller type if
    // need be, and is never cut silently (an ellipsis shows where it had to be).
    let mut line_st = small;
    if let Some(l) = line {
        let room = th - used;
        loop {
            let lines = c.regular.wrap(l, line_st.size, tw);
            let fits = (room / line_st.leading()).floor().max(0.0) as usize;
            if lines.len() <= fits || line_st.size <= 4.5 {
                let n = lines.len().min(fits);
                extra = lines[..n].to_vec();
                if n > 0 && n < lines.len() {
                    let rest = lines[n - 1..].join(" ");
                    extra[n - 1] = c.fit(&format!("{rest} …"), line_st, tw);
                }
                used += n as f32 * line_st.leading();
                break;
            }
            line_st.size -= 0.5;
        }
    }
    let second_name = show_name && name.len() > 1 && used + name_st.leading() <= th;
    if second_name {
        used += name_st.leading();
    }
    // The block is centred on the label's height.
    let mut base = y + pad + (th - used) / 2.0;
    base += tag_st.size;
    let tag = c.fit(&a.asset_tag, tag_st, tw);
    c.draw_text(tx, base, &tag, tag_st);
    base += tag_st.leading() - tag_st.size;
    if show_name {
        let first = if second_name {
            name[0].clone()
        } else {
            c.fit(&a.name, name_st, tw)
        };
        base += name_st.size;
        c.draw_text(tx, base, &first, name_st);
        base += name_st.leading() - name_st.size;
        if second_name {
            let rest = name[1..].join(" ");
            let second = c.fit(&rest, name_st, tw);
            base += name_st.size;
            c.draw_text(tx, base, &second, name_st);
            base += name_st.leading() - name_st.size;
        }
    }
    if let Some(o) = org_line {
        base += small.size;
        c.draw_text(tx, base, &o, Style::bold(small.size).gray(0.3));
        base += small.leading() - small.size;
    }
    for l in extra {
        base += line_st.size;
        c.draw_text(tx, base, &l, line_st);
        base += line_st.leading() - line_st.size;
    }
    Ok(())
}

/// The text as the face will draw it (for measuring).
fn printable(c: &Canvas, s: &str, bold: bool) -> String {
    let face = if bold { &c.bold } else { &c.regular };
    s.chars().map(|ch| face.printable(ch)).collect()
}

/// The QR code of `data` in a square of `side` points whose top-left is (`x`, `top`), with its
/// quiet zone inside the square. Dark modules are merged into runs along each row and drawn as
/// one filled path, so a label costs one fill and no seams show between modules.
fn draw_qr(c: &mut Canvas, data: &str, x: f32, top: f32, side: f32) -> Result<()> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| Error::invalid("tags", format!("{data:?} cannot be a QR code: {e}")))?;
    let n = code.width();
    const QUIET: usize = 4;
    let module = side / (n + 2 * QUIET) as f32;
    let colors = code.to_colors();
    let mut rings = Vec::new();
    let corner = |px: f32, py: f32| [px, c.height - py];
    for r in 0..n {
        let mut col = 0;
        while col < n {
            if colors[r * n + col] != Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && colors[r * n + col] == Color::Dark {
                col += 1;
            }
            let x0 = x + (start + QUIET) as f32 * module;
            let x1 = x + (col + QUIET) as f32 * module;
            let y0 = top + (r + QUIET) as f32 * module;
            let y1 = y0 + module;
            rings.push([
                corner(x0, y0),
                corner(x1, y0),
                corner(x1, y1),
                corner(x0, y1),
            ]);
        }
    }
    c.end_text();
    c.fill([0.0, 0.0, 0.0]);
    c.ops.push(Op::FillQuads(rings));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::AssetInput;

    fn db_with(n: usize) -> (Db, Vec<i64>) {
        let db = Db::open_in_memory().unwrap();
        let ids = (0..n)
            .map(|i| {
                db.write(crate::Source::App, |tx| {
                    assets::create_asset(
                        tx,
                        &AssetInput {
                            asset_tag: format!("IT-{i:04}"),
                            name: format!("Laptop number {i} with a rather long model name"),
                            ..Default::default()
                        },
                        None,
                    )
                })
                .unwrap()
                .id
            })
            .collect();
        (db, ids)
    }

    #[test]
    fn every_layout_fits_its_page_and_parses_by_key() {
        for l in LabelLayout::ALL {
            let s = l.sheet();
            let right = s.origin_mm.0 + (s.columns - 1) as f32 * s.pitch_mm.0 + s.label_mm.0;
            let bottom = s.origin_mm.1 + (s.rows - 1) as f32 * s.pitch_mm.1 + s.label_mm.1;
            assert!(right <= s.page_mm.0 + 0.01, "{l:?} fits across");
            assert!(bottom <= s.page_mm.1 + 0.01, "{l:?} fits down");
            assert_eq!(LabelLayout::parse(l.key()).unwrap(), l);
            assert_eq!(LabelLayout::parse(&l.key().to_uppercase()).unwrap(), l);
        }
        assert_eq!(LabelLayout::L7651.sheet().capacity(), 65);
        assert_eq!(LabelLayout::L7160.sheet().capacity(), 21);
        assert_eq!(LabelLayout::L7163.sheet().capacity(), 14);
        assert_eq!(LabelLayout::Avery5160.sheet().capacity(), 30);
        assert_eq!(
            LabelLayout::parse("Avery-L7651").unwrap(),
            LabelLayout::L7651
        );
        let e = LabelLayout::parse("l9999").unwrap_err();
        assert_eq!(e.field(), Some("layout"));
        assert!(e.to_string().contains("l7651"), "{e}");
    }

    #[test]
    fn start_position_is_checked_against_the_sheet() {
        let opts = |layout, start| LabelOptions {
            layout,
            start: Some(start),
            line: None,
        };
        assert!(check_label_options(&opts(LabelLayout::L7651, 65)).is_ok());
        for (l, s) in [
            (LabelLayout::L7651, 66),
            (LabelLayout::L7160, 0),
            (LabelLayout::Roll62, 2),
        ] {
            let e = check_label_options(&opts(l, s)).unwrap_err();
            assert_eq!(e.field(), Some("start"), "{l:?} {s}");
        }
        let long = LabelOptions {
            line: Some("x".repeat(MAX_LINE_CHARS + 1)),
            ..Default::default()
        };
        assert_eq!(
            check_label_options(&long).unwrap_err().field(),
            Some("line")
        );
    }

    #[test]
    fn labels_fill_pages_from_the_start_position() {
        let (db, ids) = db_with(30);
        let rows = db
            .read(|c| select_for_labels(c, &LabelSelection::Ids { ids: ids.clone() }))
            .unwrap();
        let pages = |layout, start| {
            db.read(|c| {
                render_labels(
                    c,
                    &rows,
                    &LabelOptions {
                        layout,
                        start: Some(start),
                        line: Some("Property of Acme — if found call 01234 567890".into()),
                    },
                )
            })
            .unwrap()
            .page_count
        };
        // 21 a sheet: 30 from position 1 take two sheets; from 13, 9 + 21 exactly fill two.
        assert_eq!(pages(LabelLayout::L7160, 1), 2);
        assert_eq!(pages(LabelLayout::L7160, 13), 2);
        assert_eq!(pages(LabelLayout::L7160, 14), 3);
        assert_eq!(pages(LabelLayout::L7651, 36), 1);
        assert_eq!(pages(LabelLayout::L7651, 37), 2);
        assert_eq!(pages(LabelLayout::Roll29, 1), 30);
        assert_eq!(pages(LabelLayout::Avery5160, 1), 1);
    }

    #[test]
    fn selection_names_unknown_tags_and_refuses_nothing_to_print() {
        let (db, _) = db_with(3);
        let tags = |t: &[&str]| LabelSelection::Tags {
            tags: t.iter().map(|s| s.to_string()).collect(),
        };
        let rows = db
            .read(|c| select_for_labels(c, &tags(&["it-0002", "IT-0000"])))
            .unwrap();
        let got: Vec<&str> = rows.iter().map(|a| a.asset_tag.as_str()).collect();
        assert_eq!(got, ["IT-0002", "IT-0000"]);
        let e = db
            .read(|c| select_for_labels(c, &tags(&["IT-0001", "NOPE-1", "NOPE-2"])))
            .unwrap_err();
        assert!(e.to_string().contains("NOPE-1, NOPE-2"), "{e}");
        assert!(db.read(|c| select_for_labels(c, &tags(&[]))).is_err());
        let q = |s: &str| LabelSelection::Query {
            query: ListQuery {
                search: Some(s.into()),
                ..Default::default()
            },
        };
        assert_eq!(
            db.read(|c| select_for_labels(c, &q("laptop")))
                .unwrap()
                .len(),
            3
        );
        assert!(db.read(|c| select_for_labels(c, &q("printer"))).is_err());
    }

    #[test]
    fn a_qr_code_is_one_filled_path() {
        let mut c = Canvas::sized(Document::new("t"), (62.0, 40.0)).unwrap();
        draw_qr(&mut c, "IT-0001", 5.0, 5.0, 100.0).unwrap();
        let polys: Vec<&Vec<[[f32; 2]; 4]>> = c
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::FillQuads(quads) => Some(quads),
                _ => None,
            })
            .collect();
        assert_eq!(polys.len(), 1);
        // Version 1 is 21 modules: the three finder patterns alone give 3 × 7 runs.
        assert!(polys[0].len() > 21);
        for quad in polys[0] {
            for p in quad {
                assert!(p[0] >= 5.0 && p[0] <= 105.0);
            }
        }
    }
}
