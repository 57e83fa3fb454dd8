//! The layout engine of the PDF documents: fonts, measuring, wrapping, pages and tables.
//!
//! Layout is done here: text is measured with the embedded font's glyph advances and wrapped
//! inside its table column (never clipped, never spilling into the next column); table rows that
//! do not fit move to the next page, where the header row is drawn again. Text is DejaVu Sans
//! Condensed (see `fonts/LICENSE`); characters it has no glyph for are drawn as U+FFFD, so they
//! stay visible and never vanish. Each finished page goes to the page-writing layer (`pdf`) at
//! once, which writes it out: only the page being laid out is held as drawing operations.

use std::collections::HashMap;

use super::options::{Paper, RenderedPdf};
use super::pdf::{Document, Op, Piece};
use crate::error::{Error, Result};

const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed-Bold.ttf");

/// Closes the last page, adds every page's footer and finishes the document.
pub(super) fn finish(c: Canvas, footer: &str) -> Result<RenderedPdf> {
    c.finish(footer)
}

// Layout: fonts, measuring, wrapping, pages and tables.

/// A font face embedded in the document, with its glyphs and advances for measuring.
pub(super) struct Face {
    /// The font file, subset when the document is finished.
    pub(super) bytes: &'static [u8],
    pub(super) name: &'static str,
    pub(super) postscript_name: &'static str,
    /// Advance widths by BMP code point in thousandths of an em, truncated as the font's `/W`
    /// array gives them to the viewer, so measured and drawn widths agree; `NO_GLYPH` where the
    /// font has none.
    pub(super) bmp: Vec<u16>,
    /// Glyph ids by BMP code point (0: none).
    bmp_gid: Vec<u16>,
    /// Advances and glyph ids beyond the BMP.
    pub(super) astral: HashMap<u32, (u16, u16)>,
    /// What stands in for a character the font lacks: U+FFFD, else `?`.
    pub(super) placeholder: char,
}

pub(super) const NO_GLYPH: u16 = u16::MAX;

impl Face {
    pub(super) fn load(
        bytes: &'static [u8],
        name: &'static str,
        postscript_name: &'static str,
    ) -> Result<Face> {
        let font = ttf_parser::Face::parse(bytes, 0).map_err(|e| {
            Error::Internal(format!("the embedded font {name} cannot be read: {e}"))
        })?;
        let mut bmp = vec![NO_GLYPH; 0x1_0000];
        let mut bmp_gid = vec![0u16; 0x1_0000];
        let mut astral = HashMap::new();
        let scale = 1000.0 / f32::from(font.units_per_em().max(1));
        let Some(cmap) = font.tables().cmap else {
            return Err(Error::Internal(format!(
                "the embedded font {name} has no cmap"
            )));
        };
        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sub.codepoints(|cp| {
                // Glyph 0 is .notdef: a mapping to it means "no glyph".
                let Some(gid) = sub.glyph_index(cp).filter(|g| g.0 != 0) else {
                    return;
                };
                let units = f32::from(font.glyph_hor_advance(gid).unwrap_or(0));
                let adv = ((units * scale) as u16).min(NO_GLYPH - 1);
                match usize::try_from(cp) {
                    Ok(i) if i < bmp.len() => {
                        if bmp_gid[i] == 0 {
                            bmp[i] = adv;
                            bmp_gid[i] = gid.0;
                        }
                    }
                    _ => {
                        astral.entry(cp).or_insert((adv, gid.0));
                    }
                }
            });
        }
        let placeholder = if bmp[0xFFFD] != NO_GLYPH {
            '\u{FFFD}'
        } else {
            '?'
        };
        Ok(Face {
            bytes,
            name,
            postscript_name,
            bmp,
            bmp_gid,
            astral,
            placeholder,
        })
    }

    pub(super) fn advance(&self, c: char) -> Option<u16> {
        let cp = c as u32;
        let adv = match self.bmp.get(cp as usize) {
            Some(&a) => a,
            None => self.astral.get(&cp)?.0,
        };
        (adv != NO_GLYPH).then_some(adv)
    }

    /// The font's glyph id for `c` (0, .notdef, when it has none).
    pub(super) fn glyph(&self, c: char) -> u16 {
        let cp = c as u32;
        match self.bmp_gid.get(cp as usize) {
            Some(&g) => g,
            None => self.astral.get(&cp).map_or(0, |a| a.1),
        }
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
    pub(super) width: f32,
    pub(super) height: f32,
    pub(super) margin: f32,
    /// The document the finished pages are written to.
    pub(super) doc: Document,
    /// The page being laid out.
    pub(super) ops: Vec<Op>,
    pub(super) pen: Pen,
    /// Where the next block starts (from the top).
    pub(super) y: f32,
    /// The running head of every page after the first: left and right text.
    pub(super) running: (String, String),
    pub(super) table: Option<Table>,
}

impl Canvas {
    pub(super) fn new(doc: Document, paper: Paper, landscape: bool) -> Result<Canvas> {
        let (w, h) = paper.size_mm();
        Canvas::sized(doc, if landscape { (h, w) } else { (w, h) })
    }

    /// A canvas of any page size in millimetres (a label sheet, a label on a roll).
    pub(super) fn sized(mut doc: Document, size_mm: (f32, f32)) -> Result<Canvas> {
        let pt = |mm: f32| mm * 72.0 / 25.4;
        let margin = 40.0;
        doc.size = (pt(size_mm.0), pt(size_mm.1));
        Ok(Canvas {
            regular: Face::load(REGULAR_TTF, "DejaVu Sans Condensed", "DejaVuSansCondensed")?,
            bold: Face::load(
                BOLD_TTF,
                "DejaVu Sans Condensed Bold",
                "DejaVuSansCondensed-Bold",
            )?,
            width: pt(size_mm.0),
            height: pt(size_mm.1),
            margin,
            doc,
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
            self.ops.push(Op::Fill(rgb));
            self.pen.fill = Some(key);
        }
    }

    pub(super) fn end_text(&mut self) {
        if self.pen.in_text {
            self.ops.push(Op::EndText);
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
            self.ops.push(Op::BeginText);
            self.pen.in_text = true;
        }
        let font = (st.bold, st.size.to_bits());
        if self.pen.font != Some(font) {
            self.ops.push(Op::Font {
                bold: st.bold,
                size: st.size,
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
                items.push(Piece::Offset(-(x - pen) * 1000.0 / st.size));
            }
            items.push(Piece::Text(s.to_string()));
            pen = x + face.width(s, st.size);
        }
        self.ops.push(Op::TextAt(x0, self.height - baseline));
        self.ops.push(Op::Show(items));
    }

    /// Fills a rectangle whose top-left corner is (`x`, `top`).
    pub(super) fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, gray: f32) {
        self.end_text();
        self.fill([gray; 3]);
        self.ops
            .push(Op::FillRect([x, self.height - top - h, w, h]));
    }

    /// A horizontal rule `y` points from the top.
    pub(super) fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, gray: f32) {
        self.end_text();
        self.ops.push(Op::Stroke([gray; 3]));
        self.ops.push(Op::LineWidth(thickness));
        let y = self.height - y;
        self.ops.push(Op::Line([x1, y], [x2, y]));
    }

    // -- Pages -----------------------------------------------------------------------------

    /// Ends the page and starts the next, with its running head and, inside a table, the
    /// table's header row again.
    pub(super) fn new_page(&mut self) {
        self.end_page();
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

    /// Writes the page laid out so far to the document and starts an empty one (with no
    /// running head: a label sheet fills its page).
    pub(super) fn end_page(&mut self) {
        self.end_text();
        self.doc.add_page(&self.ops, [&self.regular, &self.bold]);
        self.ops.clear();
        self.pen = Pen::default();
    }

    /// Writes the last page and, when there is a `footer`, adds "Page X of Y" and the footer
    /// to every page; returns the document, ready to finish, and its faces.
    pub(super) fn close(mut self, footer: Option<&str>) -> (Document, [Face; 2]) {
        self.end_page();
        if let Some(footer) = footer {
            let n = self.doc.page_count();
            let st = Style::regular(7.5).gray(0.35);
            let base = self.height - self.margin + 6.0;
            let left = self.fit(footer, st, self.text_width() * 0.8);
            for i in 0..n {
                self.ops.clear();
                self.pen = Pen::default();
                self.rule(self.margin, self.width - self.margin, base - 10.0, 0.4, 0.7);
                self.draw_text(self.margin, base, &left, st);
                let right = format!("Page {} of {n}", i + 1);
                let rw = self.regular.width(&right, st.size);
                self.draw_text(self.width - self.margin - rw, base, &right, st);
                self.end_text();
                self.doc
                    .add_to_page(i, &self.ops, [&self.regular, &self.bold]);
            }
        }
        (self.doc, [self.regular, self.bold])
    }

    /// Closes the last page, adds "Page X of Y" and `footer` to every page and finishes the
    /// document.
    pub(super) fn finish(self, footer: &str) -> Result<RenderedPdf> {
        let (doc, [regular, bold]) = self.close(Some(footer));
        doc.finish([&regular, &bold])
    }

    /// Closes the last page and finishes the document, with no footer (labels fill their page).
    pub(super) fn finish_plain(self) -> Result<RenderedPdf> {
        let (doc, [regular, bold]) = self.close(None);
        doc.finish([&regular, &bold])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas() -> Canvas {
        Canvas::new(Document::new("test"), Paper::A4, true).unwrap()
    }

    /// Finishes the document; returns the text each page shows, in drawing order, and the PDF.
    fn finish_with_texts(c: Canvas, footer: &str) -> (Vec<Vec<String>>, RenderedPdf) {
        let (doc, [regular, bold]) = c.close(Some(footer));
        let texts = doc.shown.clone();
        let pdf = doc.finish([&regular, &bold]).unwrap();
        assert_eq!(texts.len(), pdf.page_count);
        (texts, pdf)
    }

    #[test]
    fn wrapping_never_exceeds_the_width_and_drops_nothing() {
        let c = canvas();
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
        let c = canvas();
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
        let mut c = canvas();
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
        let (texts, pdf) = finish_with_texts(c, "Audit trail head abc");
        assert!(texts.len() >= 4, "{} pages", texts.len());
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(
                t.iter().filter(|s| *s == "Tag").count(),
                1,
                "page {} has the header once",
                i + 1
            );
            assert!(t.contains(&format!("Page {} of {}", i + 1, pdf.page_count)));
        }
        let all: Vec<&String> = texts.iter().flatten().collect();
        for i in 0..120 {
            let tag = format!("IT-{i:04}");
            assert_eq!(all.iter().filter(|s| ***s == tag).count(), 1, "{tag} once");
        }
    }

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next() {
        let mut c = canvas();
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
        let (texts, _) = finish_with_texts(c, "f");
        assert!(texts.len() >= 2);
        let texts: Vec<String> = texts.concat();
        let joined = texts.join(" ");
        assert!(joined.contains("word0 ") && joined.contains("word399"));
    }
}
