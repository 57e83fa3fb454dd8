//! The layout engine of the PDF documents: fonts, measuring, wrapping, pages and tables.
//!
//! Layout is done here, not by printpdf: text is measured with the embedded font's glyph
//! advances and wrapped inside its table column (never clipped, never spilling into the next
//! column); table rows that do not fit move to the next page, where the header row is drawn
//! again. Text is DejaVu Sans Condensed (see `fonts/LICENSE`), embedded as a subset of the
//! glyphs the document draws ([`subset_fonts`]); characters it has no glyph for are drawn as
//! U+FFFD, so they stay visible and never vanish.

use std::collections::{BTreeSet, HashMap};

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
};

use super::options::{Paper, RenderedPdf};
use crate::error::{Error, Result};

const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed-Bold.ttf");

/// Closes the last page, adds every page's footer and serialises the document.
pub(super) fn finish(doc: PdfDocument, c: Canvas, footer: &str) -> Result<RenderedPdf> {
    let size_mm = c.size_mm;
    save_pages(doc, size_mm, c.finish(footer))
}

/// Serialises pages of `size_mm` as they are, with no footer (labels fill their page).
pub(super) fn save_pages(
    mut doc: PdfDocument,
    (w, h): (f32, f32),
    pages: Vec<Vec<Op>>,
) -> Result<RenderedPdf> {
    subset_fonts(&mut doc, &pages)?;
    let pages: Vec<PdfPage> = pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(w), Mm(h), ops))
        .collect();
    let page_count = pages.len();
    doc.with_pages(pages);
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let bytes = doc.save(&opts, &mut warnings);
    if bytes.is_empty() {
        return Err(Error::Internal(format!(
            "the PDF could not be written: {:?}",
            warnings.first().map(|w| &w.msg)
        )));
    }
    Ok(RenderedPdf { bytes, page_count })
}

/// Replaces each embedded font with a subset holding only the glyphs the pages draw with it.
///
/// printpdf subsets fonts only with its `text_layout` feature, which brings a whole HTML layout
/// engine this crate does not use; without it every PDF carried both DejaVu faces whole (about
/// 0.65 MB). The subset is made with allsorts, the font library printpdf itself reads fonts
/// with, keeping a Unicode cmap for the glyphs kept: printpdf then maps the pages' text through
/// the subset exactly as it did through the whole font, and its widths and ToUnicode map come
/// from the same glyphs, so measuring, drawing and copying text out are unchanged.
fn subset_fonts(doc: &mut PdfDocument, pages: &[Vec<Op>]) -> Result<()> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    let mut used: HashMap<FontId, BTreeSet<char>> = HashMap::new();
    for ops in pages {
        let mut font = None;
        for op in ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => font = Some(id),
                Op::ShowText { items } => {
                    if let Some(id) = font {
                        let chars = used.entry(id.clone()).or_default();
                        for item in items {
                            if let TextItem::Text(s) = item {
                                chars.extend(s.chars());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let fail = |what: &dyn std::fmt::Display| {
        Error::Internal(format!("the embedded font could not be subset: {what}"))
    };
    for (id, font) in doc.resources.fonts.map.iter_mut() {
        let whole = &font.parsed_font;
        let chars = used.remove(id).unwrap_or_default();
        // Glyph 0 (.notdef) first, then the used glyphs in order, each once (allsorts' rule).
        let glyphs: BTreeSet<u16> = chars
            .iter()
            .filter_map(|c| whole.codepoint_to_glyph.get(&(*c as u32)).copied())
            .filter(|g| *g != 0)
            .collect();
        let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
        let bytes = {
            let scope = ReadScope::new(&whole.original_bytes);
            let file = scope.read::<FontData<'_>>().map_err(|e| fail(&e))?;
            let provider = file.table_provider(0).map_err(|e| fail(&e))?;
            subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
                .map_err(|e| fail(&e))?
        };
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| fail(&format!("{warnings:?}")))?;
        *font = PdfFont::new(parsed);
    }
    Ok(())
}

// Layout: fonts, measuring, wrapping, pages and tables.

/// A font face registered with the document, with its advances for measuring.
pub(super) struct Face {
    pub(super) id: FontId,
    /// Advance widths by BMP code point in thousandths of an em, truncated exactly as printpdf
    /// writes the font's `/W` array, so measured and drawn widths agree; `NO_GLYPH` where the
    /// font has none.
    pub(super) bmp: Vec<u16>,
    /// Advances beyond the BMP.
    pub(super) astral: HashMap<u32, u16>,
    /// What stands in for a character the font lacks: U+FFFD, else `?`.
    pub(super) placeholder: char,
}

pub(super) const NO_GLYPH: u16 = u16::MAX;

impl Face {
    pub(super) fn load(doc: &mut PdfDocument, bytes: &[u8], name: &str) -> Result<Face> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
            Error::Internal(format!(
                "the embedded font {name} cannot be read: {warnings:?}"
            ))
        })?;
        let mut bmp = vec![NO_GLYPH; 0x1_0000];
        let mut astral = HashMap::new();
        let scale = 1000.0 / f32::from(font.pdf_font_metrics.units_per_em.max(1));
        for (&cp, &gid) in &font.codepoint_to_glyph {
            // Glyph 0 is .notdef: a mapping to it means "no glyph".
            if gid == 0 {
                continue;
            }
            let units = f32::from(font.get_glyph_width(gid).unwrap_or(0));
            let adv = ((units * scale) as u16).min(NO_GLYPH - 1);
            match usize::try_from(cp) {
                Ok(i) if i < bmp.len() => bmp[i] = adv,
                _ => {
                    astral.insert(cp, adv);
                }
            }
        }
        let id = doc.add_font(&font);
        let placeholder = if bmp[0xFFFD] != NO_GLYPH {
            '\u{FFFD}'
        } else {
            '?'
        };
        Ok(Face {
            id,
            bmp,
            astral,
            placeholder,
        })
    }

    pub(super) fn advance(&self, c: char) -> Option<u16> {
        let cp = c as u32;
        let adv = match self.bmp.get(cp as usize) {
            Some(&a) => a,
            None => *self.astral.get(&cp)?,
        };
        (adv != NO_GLYPH).then_some(adv)
    }

    /// The character as drawn: itself when the font has it, a space for a tab, else the
    /// placeholder.
    pub(super) fn printable(&self, c: char) -> char {
        if c == '\t' {
            ' '
        } else if !c.is_control() && self.advance(c).is_some() {
            c
        } else {
            self.placeholder
        }
    }

    /// The width of already-printable text in points.
    pub(super) fn width(&self, s: &str, size: f32) -> f32 {
        let milli: u32 = s
            .chars()
            .map(|c| u32::from(self.advance(c).unwrap_or(0)))
            .sum();
        milli as f32 * size / 1000.0
    }

    /// Splits `text` into lines no wider than `max` points: at spaces where possible, inside a
    /// word only when the word alone is wider than a line. Line breaks in the text are kept.
    /// Characters the font lacks become the placeholder, so nothing is dropped. Always returns
    /// at least one line.
    pub(super) fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let per_milli = size / 1000.0;
        let adv = |c: char| f32::from(self.advance(c).unwrap_or(0)) * per_milli;
        let space = adv(' ');
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let para: String = para
                .strip_suffix('\r')
                .unwrap_or(para)
                .chars()
                .map(|c| self.printable(c))
                .collect();
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let word_w: f32 = word.chars().map(adv).sum();
                if !line.is_empty() && line_w + space + word_w <= max {
                    line.push(' ');
                    line.push_str(word);
                    line_w += space + word_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                if word_w <= max {
                    line.push_str(word);
                    line_w = word_w;
                    continue;
                }
                // A word wider than the line: break it between characters.
                for ch in word.chars() {
                    let w = adv(ch);
                    if !line.is_empty() && line_w + w > max {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(ch);
                    line_w += w;
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub(super) bold: bool,
    pub(super) size: f32,
    pub(super) rgb: [f32; 3],
}

impl Style {
    pub(super) fn regular(size: f32) -> Style {
        Style {
            bold: false,
            size,
            rgb: INK,
        }
    }
    pub(super) fn bold(size: f32) -> Style {
        Style {
            bold: true,
            ..Style::regular(size)
        }
    }
    pub(super) fn gray(self, g: f32) -> Style {
        Style {
            rgb: [g, g, g],
            ..self
        }
    }
    pub(super) fn rgb(self, rgb: [f32; 3]) -> Style {
        Style { rgb, ..self }
    }
    /// Baseline-to-baseline distance.
    pub(super) fn leading(self) -> f32 {
        self.size * 1.25
    }
}

pub(super) const INK: [f32; 3] = [0.1, 0.1, 0.12];
pub(super) const ALERT: [f32; 3] = [0.7, 0.05, 0.05];
pub(super) const HEADER_FILL: f32 = 0.86;
pub(super) const ZEBRA_FILL: f32 = 0.955;
pub(super) const TOTAL_FILL: f32 = 0.92;
/// Padding inside a table cell, left/right and top/bottom.
pub(super) const PAD_X: f32 = 3.5;
pub(super) const PAD_Y: f32 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Align {
    Left,
    Right,
}

/// A table being drawn: its columns and whether the rows are striped.
#[derive(Debug, Clone)]
pub(super) struct Table {
    pub(super) titles: Vec<String>,
    pub(super) widths: Vec<f32>,
    pub(super) aligns: Vec<Align>,
    pub(super) size: f32,
    /// Bold first column, no header row: a list of facts.
    pub(super) facts: bool,
    /// Rows drawn so far (for the stripes).
    pub(super) rows: usize,
    /// The header's wrapped titles and height (none for facts), set by `begin_table`.
    pub(super) head: Vec<Vec<String>>,
    pub(super) head_h: f32,
}

impl Table {
    /// Columns sized by weight to the page's text width.
    pub(super) fn new(c: &Canvas, cols: &[(&str, f32, Align)]) -> Table {
        let total: f32 = cols.iter().map(|c| c.1).sum();
        let width = c.text_width();
        Table {
            titles: cols.iter().map(|c| c.0.to_string()).collect(),
            widths: cols.iter().map(|c| c.1 / total * width).collect(),
            aligns: cols.iter().map(|c| c.2).collect(),
            size: 9.0,
            facts: false,
            rows: 0,
            head: Vec::new(),
            head_h: 0.0,
        }
    }

    /// Rescales the columns to `width` points (no wider than the page).
    pub(super) fn scale_to(&mut self, width: f32) {
        let total: f32 = self.widths.iter().sum();
        for w in &mut self.widths {
            *w *= width / total;
        }
    }
}

/// The pen's state in the current content stream, to skip redundant operators.
#[derive(Debug, Default)]
pub(super) struct Pen {
    pub(super) in_text: bool,
    pub(super) font: Option<(bool, u32)>,
    pub(super) fill: Option<[u32; 3]>,
}

/// Pages being laid out, top to bottom. Coordinates are points from the page's top-left;
/// they are flipped to PDF's bottom-left origin only when operators are written.
pub(super) struct Canvas {
    pub(super) regular: Face,
    pub(super) bold: Face,
    pub(super) size_mm: (f32, f32),
    pub(super) width: f32,
    pub(super) height: f32,
    pub(super) margin: f32,
    pub(super) pages: Vec<Vec<Op>>,
    pub(super) ops: Vec<Op>,
    pub(super) pen: Pen,
    /// Where the next block starts (from the top).
    pub(super) y: f32,
    /// The running head of every page after the first: left and right text.
    pub(super) running: (String, String),
    pub(super) table: Option<Table>,
}

impl Canvas {
    pub(super) fn new(doc: &mut PdfDocument, paper: Paper, landscape: bool) -> Result<Canvas> {
        let (w, h) = paper.size_mm();
        Canvas::sized(doc, if landscape { (h, w) } else { (w, h) })
    }

    /// A canvas of any page size in millimetres (a label sheet, a label on a roll).
    pub(super) fn sized(doc: &mut PdfDocument, size_mm: (f32, f32)) -> Result<Canvas> {
        let pt = |mm: f32| mm * 72.0 / 25.4;
        let margin = 40.0;
        Ok(Canvas {
            regular: Face::load(doc, REGULAR_TTF, "DejaVu Sans Condensed")?,
            bold: Face::load(doc, BOLD_TTF, "DejaVu Sans Condensed Bold")?,
            size_mm,
            width: pt(size_mm.0),
            height: pt(size_mm.1),
            margin,
            pages: Vec::new(),
            ops: Vec::new(),
            pen: Pen::default(),
            y: margin + 8.0,
            running: (String::new(), String::new()),
            table: None,
        })
    }

    pub(super) fn text_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    pub(super) fn bottom(&self) -> f32 {
        self.height - self.margin - 14.0
    }

    pub(super) fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    // -- Operators -------------------------------------------------------------------------

    pub(super) fn fill(&mut self, rgb: [f32; 3]) {
        let key = rgb.map(f32::to_bits);
        if self.pen.fill != Some(key) {
            self.ops.push(Op::SetFillColor {
                col: Color::Rgb(Rgb::new(rgb[0], rgb[1], rgb[2], None)),
            });
            self.pen.fill = Some(key);
        }
    }

    pub(super) fn end_text(&mut self) {
        if self.pen.in_text {
            self.ops.push(Op::EndTextSection);
            self.pen.in_text = false;
        }
    }

    /// Draws one line of printable text with its baseline `baseline` points from the top.
    pub(super) fn draw_text(&mut self, x: f32, baseline: f32, s: &str, st: Style) {
        if !s.is_empty() {
            self.draw_run(baseline, &[(x, s)], st);
        }
    }

    /// Draws pieces of text on one baseline, each starting at its own `x`, as one text
    /// operator: the gaps between pieces are offsets, computed from the same advances the
    /// font's `/W` array gives the viewer.
    pub(super) fn draw_run(&mut self, baseline: f32, pieces: &[(f32, &str)], st: Style) {
        let Some(&(x0, _)) = pieces.first() else {
            return;
        };
        if !self.pen.in_text {
            self.ops.push(Op::StartTextSection);
            self.pen.in_text = true;
        }
        let font = (st.bold, st.size.to_bits());
        if self.pen.font != Some(font) {
            let id = self.face(st.bold).id.clone();
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(st.size),
            });
            self.pen.font = Some(font);
        }
        self.fill(st.rgb);
        let face = self.face(st.bold);
        let mut items = Vec::with_capacity(pieces.len() * 2);
        let mut pen = x0;
        for &(x, s) in pieces {
            if x != pen {
                // TJ offsets are thousandths of an em; negative moves right.
                items.push(TextItem::Offset(-(x - pen) * 1000.0 / st.size));
            }
            items.push(TextItem::Text(s.to_string()));
            pen = x + face.width(s, st.size);
        }
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x0), Pt(self.height - baseline)),
        });
        self.ops.push(Op::ShowText { items });
    }

    /// Fills a rectangle whose top-left corner is (`x`, `top`).
    pub(super) fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, gray: f32) {
        self.end_text();
        self.fill([gray; 3]);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(self.height - top - h),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    /// A horizontal rule `y` points from the top.
    pub(super) fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, gray: f32) {
        self.end_text();
        let g = Color::Rgb(Rgb::new(gray, gray, gray, None));
        self.ops.push(Op::SetOutlineColor { col: g });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        let p = |x: f32| LinePoint {
            p: Point {
                x: Pt(x),
                y: Pt(self.height - y),
            },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![p(x1), p(x2)],
                is_closed: false,
            },
        });
    }

    // -- Pages -----------------------------------------------------------------------------

    /// Ends the page and starts the next, with its running head and, inside a table, the
    /// table's header row again.
    pub(super) fn new_page(&mut self) {
        self.end_text();
        let cap = self.ops.capacity();
        let done = std::mem::replace(&mut self.ops, Vec::with_capacity(cap));
        self.pages.push(done);
        self.pen = Pen::default();
        let (left, right) = self.running.clone();
        let top = self.margin - 8.0;
        let base = top + 9.0;
        let st = Style::bold(9.0).gray(0.25);
        let left = self.fit(&left, st, self.text_width() * 0.6);
        self.draw_text(self.margin, base, &left, st);
        let st = Style::regular(8.5).gray(0.35);
        let right = self.fit(&right, st, self.text_width() * 0.38);
        let rw = self.regular.width(&right, st.size);
        self.draw_text(self.width - self.margin - rw, base, &right, st);
        self.rule(self.margin, self.width - self.margin, base + 5.0, 0.6, 0.55);
        self.y = base + 17.0;
        if let Some(t) = self.table.take() {
            if !t.facts {
                self.header_row(&t);
            }
            self.table = Some(t);
        }
    }

    /// The first line of `s` that fits `max` points, cut with an ellipsis if it had to be.
    pub(super) fn fit(&self, s: &str, st: Style, max: f32) -> String {
        let face = self.face(st.bold);
        let lines = face.wrap(s, st.size, max);
        if lines.len() <= 1 {
            return lines.into_iter().next().unwrap_or_default();
        }
        let mut first = lines[0].clone();
        while !first.is_empty() && face.width(&format!("{first}…"), st.size) > max {
            first.pop();
        }
        format!("{first}…")
    }

    /// Starts a new page unless `h` points still fit on this one.
    pub(super) fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom() {
            self.new_page();
        }
    }

    pub(super) fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// One line of text (wrapped if it must be) advancing by `advance` points per line.
    pub(super) fn text_line(&mut self, s: &str, st: Style, advance: f32) {
        let lines = self.face(st.bold).wrap(s, st.size, self.text_width());
        for l in lines {
            self.ensure(advance);
            let base = self.y + st.size;
            self.draw_text(self.margin, base, &l, st);
            self.y += advance;
        }
    }

    /// A wrapped paragraph across the text width.
    pub(super) fn paragraph(&mut self, s: &str, st: Style) {
        self.text_line(s, st, st.leading());
        self.gap(st.size * 0.4);
    }

    pub(super) fn heading(&mut self, s: &str) {
        // Keep the heading with at least a few lines of what follows it.
        self.ensure(80.0);
        self.gap(4.0);
        let st = Style::bold(16.0);
        self.text_line(s, st, 20.0);
        self.rule(
            self.margin,
            self.width - self.margin,
            self.y - 1.0,
            0.8,
            0.3,
        );
        self.gap(10.0);
    }

    pub(super) fn subheading(&mut self, s: &str) {
        self.ensure(60.0);
        self.gap(8.0);
        self.text_line(s, Style::bold(11.5).gray(0.15), 17.0);
    }

    // -- Tables ----------------------------------------------------------------------------

    pub(super) fn begin_table(&mut self, mut t: Table) {
        if !t.facts {
            let st = Style::bold(t.size);
            t.head = t
                .titles
                .iter()
                .zip(&t.widths)
                .map(|(s, w)| self.bold.wrap(s, t.size, w - 2.0 * PAD_X))
                .collect();
            let lines = t.head.iter().map(Vec::len).max().unwrap_or(1);
            t.head_h = lines as f32 * st.leading() + 2.0 * PAD_Y;
            // The header and at least one line of the first row, or a fresh page.
            self.ensure(t.head_h + Style::regular(t.size).leading() + 2.0 * PAD_Y);
            self.header_row(&t);
        }
        self.table = Some(t);
    }

    pub(super) fn end_table(&mut self) {
        self.table = None;
        self.gap(6.0);
    }

    pub(super) fn header_row(&mut self, t: &Table) {
        let st = Style::bold(t.size).gray(0.1);
        let lines = t.head.iter().map(Vec::len).max().unwrap_or(1);
        let width: f32 = t.widths.iter().sum();
        self.rect(self.margin, self.y, width, t.head_h, HEADER_FILL);
        self.draw_cells(t, &t.head, 0..lines, st, &[]);
        self.y += t.head_h;
    }

    /// A table row: cells wrap inside their columns; a row taller than what is left of the
    /// page continues on the next one (under a repeated header), or moves there whole when it
    /// would fit on a fresh page.
    pub(super) fn row(&mut self, cells: &[String]) {
        self.table_row(cells, false);
    }

    /// A row set apart as a total (bold, shaded).
    pub(super) fn total_row(&mut self, cells: &[String]) {
        self.table_row(cells, true);
    }

    pub(super) fn table_row(&mut self, cells: &[String], total: bool) {
        let Some(mut t) = self.table.take() else {
            return;
        };
        let st = Style::regular(t.size);
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(&t.widths)
            .enumerate()
            .map(|(i, (s, w))| {
                let bold = total || (t.facts && i == 0);
                self.face(bold).wrap(s, t.size, w - 2.0 * PAD_X)
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let lead = st.leading();
        let fill = if total {
            Some(TOTAL_FILL)
        } else {
            (t.rows % 2 == 1).then_some(ZEBRA_FILL)
        };
        let bold_cols: Vec<bool> = (0..t.widths.len())
            .map(|i| total || (t.facts && i == 0))
            .collect();
        let mut from = 0;
        let mut fresh = false;
        while from < lines {
            let room = ((self.bottom() - self.y - 2.0 * PAD_Y) / lead)
                .floor()
                .max(0.0) as usize;
            let left = lines - from;
            let page_lines = ((self.bottom() - self.top_after_header(&t) - 2.0 * PAD_Y) / lead)
                .floor()
                .max(1.0) as usize;
            if room < left && !fresh && (room == 0 || (from == 0 && left <= page_lines)) {
                self.table = Some(t);
                self.new_page();
                t = self.table.take().expect("the table survives a page break");
                fresh = true;
                continue;
            }
            let n = left.min(room.max(1));
            let h = n as f32 * lead + 2.0 * PAD_Y;
            if let Some(g) = fill {
                let width: f32 = t.widths.iter().sum();
                self.rect(self.margin, self.y, width, h, g);
            }
            self.draw_cells(&t, &wrapped, from..from + n, st, &bold_cols);
            self.y += h;
            from += n;
            fresh = false;
        }
        t.rows += 1;
        self.table = Some(t);
    }

    /// Where rows start on a fresh page: below the running head and the table's header.
    pub(super) fn top_after_header(&self, t: &Table) -> f32 {
        self.margin + 18.0 + t.head_h
    }

    /// Draws lines `range` of each cell, from the current `y`. The cells of one line that share
    /// a style go out as one text run (positions set by offsets inside it): one operator per
    /// table line instead of two per cell keeps long reports small in memory.
    pub(super) fn draw_cells(
        &mut self,
        t: &Table,
        cells: &[Vec<String>],
        range: std::ops::Range<usize>,
        st: Style,
        bold_cols: &[bool],
    ) {
        let lead = st.leading();
        let styles: Vec<Style> = cells
            .iter()
            .enumerate()
            .map(|(i, lines)| {
                let mut cst = st;
                cst.bold = st.bold || bold_cols.get(i).copied().unwrap_or(false);
                if t.facts && i == 0 {
                    cst = cst.gray(0.3);
                }
                if t.facts && i == 1 && lines.first().is_some_and(|l| l.starts_with("FAILED")) {
                    cst = cst.rgb(ALERT);
                }
                cst
            })
            .collect();
        for k in range.clone() {
            let base = self.y + PAD_Y + (k - range.start) as f32 * lead + st.size * 0.98;
            let mut run: Vec<(f32, &str)> = Vec::new();
            let mut run_style = st;
            let mut x = self.margin;
            for (i, lines) in cells.iter().enumerate() {
                let w = t.widths[i];
                let cst = styles[i];
                if let Some(line) = lines.get(k).filter(|l| !l.is_empty()) {
                    let lx = match t.aligns[i] {
                        Align::Left => x + PAD_X,
                        Align::Right => x + w - PAD_X - self.face(cst.bold).width(line, cst.size),
                    };
                    if !run.is_empty() && cst != run_style {
                        self.draw_run(base, &run, run_style);
                        run.clear();
                    }
                    run_style = cst;
                    run.push((lx, line));
                }
                x += w;
            }
            if !run.is_empty() {
                self.draw_run(base, &run, run_style);
            }
        }
    }

    /// Label/value pairs: a two-column table without header.
    pub(super) fn facts(&mut self, pairs: &[(String, String)], label_width: f32) {
        let value_width = self.text_width() - label_width;
        let t = Table {
            titles: vec![String::new(), String::new()],
            widths: vec![label_width, value_width],
            aligns: vec![Align::Left, Align::Left],
            size: 10.0,
            facts: true,
            rows: 0,
            head: Vec::new(),
            head_h: 0.0,
        };
        self.begin_table(t);
        for (k, v) in pairs {
            self.row(&[k.clone(), v.clone()]);
        }
        self.end_table();
    }

    /// Closes the last page and adds "Page X of Y" and `footer` to every page.
    pub(super) fn finish(mut self, footer: &str) -> Vec<Vec<Op>> {
        self.end_text();
        let last = std::mem::take(&mut self.ops);
        self.pages.push(last);
        let n = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        let st = Style::regular(7.5).gray(0.35);
        let base = self.height - self.margin + 6.0;
        let left = self.fit(footer, st, self.text_width() * 0.8);
        for (i, page) in pages.iter_mut().enumerate() {
            self.ops = std::mem::take(page);
            self.pen = Pen::default();
            self.rule(self.margin, self.width - self.margin, base - 10.0, 0.4, 0.7);
            self.draw_text(self.margin, base, &left, st);
            let right = format!("Page {} of {n}", i + 1);
            let rw = self.regular.width(&right, st.size);
            self.draw_text(self.width - self.margin - rw, base, &right, st);
            self.end_text();
            *page = std::mem::take(&mut self.ops);
        }
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas() -> (PdfDocument, Canvas) {
        let mut doc = PdfDocument::new("test");
        let c = Canvas::new(&mut doc, Paper::A4, true).unwrap();
        (doc, c)
    }

    /// The text each page shows, in drawing order.
    fn page_texts(pages: &[Vec<Op>]) -> Vec<Vec<String>> {
        pages
            .iter()
            .map(|ops| {
                ops.iter()
                    .flat_map(|op| match op {
                        Op::ShowText { items } => items.as_slice(),
                        _ => &[],
                    })
                    .filter_map(|item| match item {
                        TextItem::Text(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn wrapping_never_exceeds_the_width_and_drops_nothing() {
        let (_doc, c) = canvas();
        let f = &c.regular;
        let text = "Dell Latitude 5440 with docking station and a very-long-serial-\
                    ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ Chloë Brontë Łódź Αθηνά Дмитрий";
        for max in [30.0, 60.0, 120.0, 400.0] {
            let lines = f.wrap(text, 8.0, max);
            for l in &lines {
                assert!(f.width(l, 8.0) <= max + 0.01, "{l:?} wider than {max}");
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let want: String = text.split_whitespace().collect();
            assert_eq!(joined, want, "nothing lost at {max}");
        }
        assert_eq!(f.wrap("one\ntwo", 8.0, 400.0), vec!["one", "two"]);
        assert_eq!(f.wrap("", 8.0, 400.0), vec![""]);
        assert_eq!(f.wrap("a b", 8.0, 400.0), vec!["a b"]);
    }

    #[test]
    fn characters_without_a_glyph_become_a_visible_placeholder() {
        let (_doc, c) = canvas();
        let lines = c.regular.wrap("漢字 ok\u{7}", 8.0, 400.0);
        assert_eq!(lines, vec!["\u{FFFD}\u{FFFD} ok\u{FFFD}"]);
        for s in [
            "Chloë Brontë",
            "Łódź",
            "Jürgen Weiß",
            "Αθηνά",
            "Дмитрий",
            "→ “”",
        ] {
            assert_eq!(c.regular.wrap(s, 8.0, 400.0), vec![s], "{s} has glyphs");
            assert_eq!(c.bold.wrap(s, 8.0, 400.0), vec![s], "{s} has bold glyphs");
        }
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let (_doc, mut c) = canvas();
        c.running = ("Org · Asset register".into(), "Live".into());
        let t = Table::new(
            &c,
            &[
                ("Tag", 1.0, Align::Left),
                ("Name", 3.0, Align::Left),
                ("Cost", 1.0, Align::Right),
            ],
        );
        c.begin_table(t);
        for i in 0..120 {
            let name = if i % 7 == 0 {
                "A name long enough to wrap over several lines of its narrow column ".repeat(3)
            } else {
                format!("Asset {i}")
            };
            c.row(&[format!("IT-{i:04}"), name, "1,249.99".into()]);
        }
        c.end_table();
        let pages = c.finish("Audit trail head abc");
        assert!(pages.len() >= 4, "{} pages", pages.len());
        let texts = page_texts(&pages);
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(
                t.iter().filter(|s| *s == "Tag").count(),
                1,
                "page {} has the header once",
                i + 1
            );
            assert!(t.contains(&format!("Page {} of {}", i + 1, pages.len())));
        }
        let all: Vec<&String> = texts.iter().flatten().collect();
        for i in 0..120 {
            let tag = format!("IT-{i:04}");
            assert_eq!(all.iter().filter(|s| ***s == tag).count(), 1, "{tag} once");
        }
    }

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next() {
        let (_doc, mut c) = canvas();
        let t = Table::new(
            &c,
            &[("Field", 1.0, Align::Left), ("Value", 1.0, Align::Left)],
        );
        c.begin_table(t);
        let long = (0..400)
            .map(|i| format!("word{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        c.row(&["Notes".into(), long]);
        c.end_table();
        let pages = c.finish("f");
        assert!(pages.len() >= 2);
        let texts: Vec<String> = page_texts(&pages).concat();
        let joined = texts.join(" ");
        assert!(joined.contains("word0 ") && joined.contains("word399"));
    }
}
