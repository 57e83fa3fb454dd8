//! The CLI's `labels` command: asset labels with QR codes as a PDF, for the tags given, the
//! assets a search finds, or every asset. Calls the core's label renderer.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use register_core::report::labels::{self, LabelLayout, LabelOptions, LabelSelection};
use register_core::{files, Db, ListQuery, Result};

/// `labels`, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum LabelCommand {
    /// Print asset labels (QR code of the tag, the tag, name and organisation) as a PDF, for
    /// the given tags, the assets a search finds, or (with neither) every asset.
    Labels {
        /// The PDF to write.
        #[arg(long)]
        out: PathBuf,
        /// The label stock: l7160 (A4, 21 up), l7163 (A4, 14 up), l7651 (A4, 65 up), 5160
        /// (Letter, 30 up), roll62 or roll29 (label printer rolls, one label per page).
        #[arg(long, default_value = "l7160")]
        layout: String,
        /// The first position to print on, 1 = top-left, counting across then down (to finish
        /// a partly used sheet).
        #[arg(long, default_value_t = 1)]
        start: u32,
        /// These tags, comma-separated or repeated.
        #[arg(long, value_delimiter = ',', conflicts_with = "search")]
        tags: Vec<String>,
        /// The assets these words find (as the list's search box).
        #[arg(long)]
        search: Option<String>,
        /// A short line on every label, e.g. "Property of Acme — if found call 01234 567890".
        #[arg(long)]
        line: Option<String>,
    },
}

/// Runs the command on an open register.
pub fn run(db: &Db, command: LabelCommand) -> Result<()> {
    let LabelCommand::Labels {
        out,
        layout,
        start,
        tags,
        search,
        line,
    } = command;
    // Everything the user typed is checked before any work is done.
    files::target_folder(&out)?;
    let opts = LabelOptions {
        layout: LabelLayout::parse(&layout)?,
        start: Some(start),
        line,
    };
    labels::check_label_options(&opts)?;
    let selection = if !tags.is_empty() {
        LabelSelection::Tags { tags }
    } else {
        LabelSelection::Query {
            query: ListQuery {
                search,
                ..Default::default()
            },
        }
    };
    let pdf = db.read(|c| {
        let rows = labels::select_for_labels(c, &selection)?;
        let pdf = labels::render_labels(c, &rows, &opts)?;
        Ok((pdf, rows.len()))
    });
    let (pdf, n) = pdf?;
    files::write_atomically(&out, &pdf.bytes)?;
    writeln!(
        std::io::stdout(),
        "Wrote {} ({n} label{}, {} page{})",
        out.display(),
        if n == 1 { "" } else { "s" },
        pdf.page_count,
        if pdf.page_count == 1 { "" } else { "s" },
    )?;
    Ok(())
}
