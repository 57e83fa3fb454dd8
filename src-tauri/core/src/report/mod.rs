//! The PDF documents: the register report, an asset's dossier and a leaver's checklist. Builds
//! PDF bytes, page by page (`pdf`, the page-writing layer); never touches the filesystem (the
//! shell or CLI writes the bytes where the user chose).
//!
//! Every document opens with the facts that pin down which state of the register it shows:
//! organisation, generation time, the "as of" moment, the filters, the audit trail's event count,
//! its full head hash and whether it verifies. The head hash is repeated in every page footer.
//!
//! - [`options`]: what a report shows, the paper, the rendered result;
//! - [`register`], [`dossier`], [`checklist`]: one renderer each;
//! - [`labels`]: asset labels with QR codes on label sheets and rolls;
//! - `stocktake`: the stocktake report for the auditor;
//! - `facts`: the cover facts and the words the renderers share;
//! - `layout`: the layout engine (fonts, measuring, wrapping, pages, tables);
//! - `pdf`: the page-writing layer (content streams written as pages finish, subset fonts).

mod annex;
mod budget;
mod checklist;
mod dossier;
mod facts;
pub mod labels;
mod layout;
pub mod options;
mod pdf;
mod register;
mod stocktake;

pub use budget::render_budget;
pub use checklist::render_offboarding_checklist;
pub use dossier::render_asset_dossier;
pub use labels::{render_labels, select_for_labels, LabelLayout, LabelOptions, LabelSelection};
pub use options::{AttachedDocument, Paper, RenderedPdf, ReportOptions};
pub use register::render_register_report;
pub use stocktake::render_stocktake_report;
