//! Asset labels from the window: the layouts offered, and the labels PDF of the chosen assets
//! saved where the user chooses. The selection and options are checked before the save dialog
//! opens, so a bad request says why and asks nothing.

use register_core::report::labels::{
    self, LabelLayout, LabelOptions, LabelSelection, MAX_LINE_CHARS,
};
use serde::Serialize;

use super::reports::{save_pdf, Exported};
use super::{CmdResult, St};

/// A label layout as the dialog offers it.
#[derive(Serialize)]
pub struct LayoutChoice {
    key: LabelLayout,
    label: &'static str,
    /// Labels on one page (1 for a roll: no start position).
    per_page: u32,
}

/// Every layout, the default first, and the longest extra line.
#[derive(Serialize)]
pub struct LabelLayouts {
    layouts: Vec<LayoutChoice>,
    max_line_chars: usize,
}

/// The label layouts the window offers.
#[tauri::command]
pub fn list_label_layouts() -> LabelLayouts {
    LabelLayouts {
        layouts: LabelLayout::ALL
            .iter()
            .map(|&l| LayoutChoice {
                key: l,
                label: l.label(),
                per_page: l.sheet().capacity(),
            })
            .collect(),
        max_line_chars: MAX_LINE_CHARS,
    }
}

/// The labels of the selected assets as a PDF; `None` if the save dialog was cancelled.
#[tauri::command]
pub async fn export_labels_pdf(
    state: St<'_>,
    selection: LabelSelection,
    options: LabelOptions,
) -> CmdResult<Option<Exported>> {
    labels::check_label_options(&options)?;
    let rows = state
        .read_copy(move |c| labels::select_for_labels(c, &selection))
        .await?;
    let name = match rows.as_slice() {
        [one] => format!("labels-{}.pdf", one.asset_tag),
        _ => format!("labels-{}.pdf", register_core::today()),
    };
    save_pdf(&state, "Save the labels as PDF", &name, move |c| {
        labels::render_labels(c, &rows, &options)
    })
    .await
}
