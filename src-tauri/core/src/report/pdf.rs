//! The page-writing layer under `layout`: PDF syntax, content streams, embedded fonts. Knows
//! nothing of tables or wrapping.
//!
//! Each page is written to the file as soon as it is laid out: its drawing operations become a
//! deflated content stream appended to the output, and are dropped. What needs the whole
//! document is written at the end, which PDF allows: the page objects, the page tree, each
//! page's footer (it states the page count) as a second content stream of the page, and the two
//! fonts, subset to the glyphs drawn. A report of thousands of pages so holds one page's
//! operations and its compressed output, never every page's operations.
//!
//! Fonts are Type0 / CIDFontType2 with Identity-H: text is written as glyph ids of the subset,
//! numbered as they are first met (typst's `subsetter` keeps that numbering), with a `/W` array
//! of the advances layout measured with and a ToUnicode map, so text copies and searches as it
//! was written.

use chrono::{DateTime, Datelike, Timelike, Utc};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date, Filter, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::layout::Face;
use super::options::RenderedPdf;
use crate::error::{Error, Result};

/// One drawing operation, in PDF coordinates (points from the page's bottom-left corner).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Op {
    BeginText,
    EndText,
    /// Selects the regular or the bold face at a size in points.
    Font {
        bold: bool,
        size: f32,
    },
    Fill([f32; 3]),
    Stroke([f32; 3]),
    LineWidth(f32),
    /// Sets the text matrix to a translation to (x, y).
    TextAt(f32, f32),
    /// Shows text, pieces separated by offsets (in thousandths of an em; negative moves right).
    Show(Vec<Piece>),
    /// Fills the rectangle (x, y, width, height).
    FillRect([f32; 4]),
    /// Strokes a straight line from one point to another.
    Line([f32; 2], [f32; 2]),
    /// Fills quadrilaterals as one path (non-zero winding): a QR code's dark runs.
    FillQuads(Vec<[[f32; 2]; 4]>),
}

/// A piece of a text run.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    /// Printable text: every character has a glyph in the face (layout made sure of it).
    Text(String),
    Offset(f32),
}

/// The document information dictionary.
#[derive(Debug, Clone, Default)]
pub(super) struct Info {
    pub(super) title: String,
    pub(super) author: String,
    pub(super) subject: String,
    pub(super) created: Option<DateTime<Utc>>,
}

/// The glyphs of one face that the document has drawn so far.
struct Used {
    remapper: GlyphRemapper,
    /// The subset's glyph id for each original glyph id (0: not used yet, or .notdef).
    by_gid: Vec<u16>,
    /// For each subset glyph id: the character it was first drawn for and its advance, in
    /// thousandths of an em, as layout measured it.
    glyphs: Vec<(char, u16)>,
}

impl Used {
    fn new() -> Used {
        Used {
            remapper: GlyphRemapper::new(),
            by_gid: Vec::new(),
            glyphs: vec![('\0', 0)],
        }
    }

    /// The subset glyph id drawing `c`, numbered when first met.
    fn glyph(&mut self, face: &Face, c: char) -> u16 {
        let old = face.glyph(c);
        if old == 0 {
            return 0;
        }
        let i = usize::from(old);
        if i >= self.by_gid.len() {
            self.by_gid.resize(i + 1, 0);
        }
        if self.by_gid[i] == 0 {
            let new = self.remapper.remap(old);
            self.by_gid[i] = new;
            if usize::from(new) == self.glyphs.len() {
                self.glyphs.push((c, face.advance(c).unwrap_or(0)));
            }
        }
        self.by_gid[i]
    }
}

/// A PDF being written page by page.
pub(super) struct Document {
    pdf: Pdf,
    next: Ref,
    /// The page size in points.
    pub(super) size: (f32, f32),
    /// Each written page's content streams, in drawing order.
    pages: Vec<Vec<Ref>>,
    used: [Used; 2],
    pub(super) info: Info,
    /// Each page's text as drawn, for the layout tests.
    #[cfg(test)]
    pub(super) shown: Vec<Vec<String>>,
}

const FONT_NAMES: [&[u8]; 2] = [b"F0", b"F1"];

impl Document {
    pub(super) fn new(title: &str) -> Document {
        Document {
            pdf: Pdf::new(),
            next: Ref::new(1),
            size: (595.0, 842.0),
            pages: Vec::new(),
            used: [Used::new(), Used::new()],
            info: Info {
                title: title.to_string(),
                ..Info::default()
            },
            #[cfg(test)]
            shown: Vec::new(),
        }
    }

    fn alloc(&mut self) -> Ref {
        self.next.bump()
    }

    /// How many pages are written.
    pub(super) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Writes a page whose content is `ops`.
    pub(super) fn add_page(&mut self, ops: &[Op], faces: [&Face; 2]) {
        let id = self.write_stream(ops, faces);
        self.pages.push(vec![id]);
        #[cfg(test)]
        self.shown.push(Vec::new());
        #[cfg(test)]
        self.record(self.pages.len() - 1, ops);
    }

    /// Draws `ops` over page `index` (0-based), after what it has: a second content stream.
    pub(super) fn add_to_page(&mut self, index: usize, ops: &[Op], faces: [&Face; 2]) {
        let id = self.write_stream(ops, faces);
        self.pages[index].push(id);
        #[cfg(test)]
        self.record(index, ops);
    }

    #[cfg(test)]
    fn record(&mut self, index: usize, ops: &[Op]) {
        for op in ops {
            if let Op::Show(pieces) = op {
                for p in pieces {
                    if let Piece::Text(s) = p {
                        self.shown[index].push(s.clone());
                    }
                }
            }
        }
    }

    fn write_stream(&mut self, ops: &[Op], faces: [&Face; 2]) -> Ref {
        let content = self.encode(ops, faces);
        let id = self.alloc();
        let packed = deflate(&content);
        self.pdf.stream(id, &packed).filter(Filter::FlateDecode);
        id
    }

    fn encode(&mut self, ops: &[Op], faces: [&Face; 2]) -> Vec<u8> {
        let mut c = Content::new();
        let mut face = 0;
        let mut bytes = Vec::new();
        for op in ops {
            match op {
                Op::BeginText => {
                    c.begin_text();
                }
                Op::EndText => {
                    c.end_text();
                }
                Op::Font { bold, size } => {
                    face = usize::from(*bold);
                    c.set_font(Name(FONT_NAMES[face]), *size);
                }
                Op::Fill([r, g, b]) => {
                    c.set_fill_rgb(*r, *g, *b);
                }
                Op::Stroke([r, g, b]) => {
                    c.set_stroke_rgb(*r, *g, *b);
                }
                Op::LineWidth(w) => {
                    c.set_line_width(*w);
                }
                Op::TextAt(x, y) => {
                    c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                }
                Op::Show(pieces) => {
                    let used = &mut self.used[face];
                    let mut encode = |s: &str, out: &mut Vec<u8>| {
                        out.clear();
                        for ch in s.chars() {
                            out.extend(used.glyph(faces[face], ch).to_be_bytes());
                        }
                    };
                    if let [Piece::Text(s)] = pieces.as_slice() {
                        encode(s, &mut bytes);
                        c.show(Str(&bytes));
                    } else {
                        let mut tj = c.show_positioned();
                        let mut items = tj.items();
                        for p in pieces {
                            match p {
                                Piece::Text(s) => {
                                    encode(s, &mut bytes);
                                    items.show(Str(&bytes));
                                }
                                Piece::Offset(o) => {
                                    items.adjust(*o);
                                }
                            }
                        }
                    }
                }
                Op::FillRect([x, y, w, h]) => {
                    c.rect(*x, *y, *w, *h);
                    c.fill_nonzero();
                }
                Op::Line(a, b) => {
                    c.move_to(a[0], a[1]);
                    c.line_to(b[0], b[1]);
                    c.stroke();
                }
                Op::FillQuads(quads) => {
                    for q in quads {
                        c.move_to(q[0][0], q[0][1]);
                        for p in &q[1..] {
                            c.line_to(p[0], p[1]);
                        }
                        c.close_path();
                    }
                    c.fill_nonzero();
                }
            }
        }
        c.finish().to_vec()
    }

    /// Writes the fonts, the pages and the trailer, and returns the file.
    pub(super) fn finish(mut self, faces: [&Face; 2]) -> Result<RenderedPdf> {
        let mut font_refs = [Ref::new(1); 2];
        for (i, face) in faces.iter().enumerate() {
            font_refs[i] = self.write_font(i, face)?;
        }
        let resources = self.alloc();
        {
            let mut r = self.pdf.indirect(resources).dict();
            let mut fonts = r.insert(Name(b"Font")).dict();
            for (i, id) in font_refs.iter().enumerate() {
                fonts.pair(Name(FONT_NAMES[i]), *id);
            }
        }
        let tree = self.alloc();
        let page_ids: Vec<Ref> = (0..self.pages.len()).map(|_| self.alloc()).collect();
        let media = Rect::new(0.0, 0.0, self.size.0, self.size.1);
        for (id, contents) in page_ids.iter().zip(std::mem::take(&mut self.pages)) {
            let mut page = self.pdf.page(*id);
            page.parent(tree).media_box(media);
            page.pair(Name(b"Resources"), resources);
            if let [one] = contents.as_slice() {
                page.contents(*one);
            } else {
                page.contents_array(contents);
            }
        }
        let page_count = page_ids.len();
        self.pdf
            .pages(tree)
            .kids(page_ids.iter().copied())
            .count(page_count as i32);
        let catalog = self.alloc();
        self.pdf.catalog(catalog).pages(tree);
        let info_id = self.alloc();
        let info = std::mem::take(&mut self.info);
        {
            let mut d = self.pdf.document_info(info_id);
            d.title(TextStr(&info.title));
            d.author(TextStr(&info.author));
            d.subject(TextStr(&info.subject));
            d.creator(TextStr("Asset Register"));
            d.producer(TextStr("Asset Register (pdf-writer)"));
            if let Some(t) = info.created {
                d.creation_date(pdf_date(t));
                d.modified_date(pdf_date(t));
            }
        }
        Ok(RenderedPdf {
            bytes: self.pdf.finish(),
            page_count,
        })
    }

    /// Embeds face `i` as a subset of the glyphs drawn with it; returns its Type0 font.
    fn write_font(&mut self, i: usize, face: &Face) -> Result<Ref> {
        let fail = |what: &dyn std::fmt::Display| {
            Error::Internal(format!(
                "the embedded font {} could not be written: {what}",
                face.name
            ))
        };
        let used = std::mem::replace(&mut self.used[i], Used::new());
        let program = subsetter::subset(face.bytes, 0, &used.remapper).map_err(|e| fail(&e))?;
        let ttf = ttf_parser::Face::parse(face.bytes, 0).map_err(|e| fail(&e))?;
        let scale = 1000.0 / f32::from(ttf.units_per_em().max(1));
        let to_pdf = |v: i16| (f32::from(v) * scale).round();
        // The subset's tag (ISO 32000-1, 9.6.4): six capitals that differ with the glyphs kept.
        let mut h: u32 = 2_166_136_261;
        for (c, _) in &used.glyphs {
            h = (h ^ *c as u32).wrapping_mul(16_777_619);
        }
        let tag: String = (0..6)
            .map(|k| char::from(b'A' + ((h >> (k * 5)) % 26) as u8))
            .collect();
        let base = format!("{tag}+{}", face.postscript_name);

        let type0 = self.alloc();
        let cid = self.alloc();
        let descriptor = self.alloc();
        let file = self.alloc();
        let to_unicode = self.alloc();
        self.pdf
            .type0_font(type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(to_unicode);
        let notdef = ttf
            .glyph_hor_advance(ttf_parser::GlyphId(0))
            .map(|a| (f32::from(a) * scale) as u16)
            .unwrap_or(0);
        let widths: Vec<f32> = std::iter::once(f32::from(notdef))
            .chain(used.glyphs.iter().skip(1).map(|(_, w)| f32::from(*w)))
            .collect();
        {
            let mut f = self.pdf.cid_font(cid);
            f.subtype(CidFontType::Type2)
                .base_font(Name(base.as_bytes()))
                .system_info(SYSTEM_INFO)
                .font_descriptor(descriptor)
                .default_width(0.0)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            f.widths().consecutive(0, widths);
        }
        let bbox = ttf.global_bounding_box();
        let stem_v = 10.0 + 0.244 * (f32::from(ttf.weight().to_number()) - 50.0);
        self.pdf
            .font_descriptor(descriptor)
            .name(Name(base.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                to_pdf(bbox.x_min),
                to_pdf(bbox.y_min),
                to_pdf(bbox.x_max),
                to_pdf(bbox.y_max),
            ))
            .italic_angle(ttf.italic_angle())
            .ascent(to_pdf(ttf.ascender()))
            .descent(to_pdf(ttf.descender()))
            .cap_height(to_pdf(ttf.capital_height().unwrap_or(ttf.ascender())))
            .stem_v(stem_v)
            .font_file2(file);
        let packed = deflate(&program);
        self.pdf
            .stream(file, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), program.len() as i32);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (gid, (c, _)) in used.glyphs.iter().enumerate().skip(1) {
            cmap.pair(gid as u16, *c);
        }
        let cmap = cmap.finish();
        let packed = deflate(&cmap);
        self.pdf
            .stream(to_unicode, &packed)
            .filter(Filter::FlateDecode);
        Ok(type0)
    }
}

const SYSTEM_INFO: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
}

fn pdf_date(t: DateTime<Utc>) -> Date {
    Date::new(t.year().clamp(0, 9999) as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}
