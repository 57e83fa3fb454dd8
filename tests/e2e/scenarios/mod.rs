//! The scenarios, one file per feature: each clicks through that feature in the real window and
//! checks the register as well as the screen. `ALL` is the order they run in.

mod about;
mod assets;
mod backup;
mod documents;
mod evidence;
mod forecast;
mod import;
pub mod issue_19;
mod labels;
mod licences;
mod opening;
mod people;
mod reports;
mod scan;
mod stocktake;
mod team;
mod value;

use std::future::Future;
use std::pin::Pin;

use crate::harness::Res;
use crate::Scenario;

/// `(name, start)` for a scenario function `module::name`.
macro_rules! scenario {
    ($module:ident :: $name:ident) => {
        (
            stringify!($name),
            || -> Pin<Box<dyn Future<Output = Res> + Send>> { Box::pin($module::$name()) },
        )
    };
}

pub const ALL: &[Scenario] = &[
    scenario!(assets::empty_register_teaches_and_creates_an_asset),
    scenario!(assets::edit_assign_return_and_status_show_in_history),
    scenario!(assets::refused_actions_show_their_message),
    scenario!(assets::search_and_filter_narrow_the_list),
    scenario!(assets::a_long_list_searched_walked_and_scrolled),
    scenario!(assets::hostile_names_render_as_text),
    scenario!(people::people_home_and_offboarding_question),
    scenario!(documents::documents_attach_by_drop_show_remove_and_history),
    scenario!(reports::export_pdf_from_the_window),
    scenario!(labels::print_labels_for_three_assets_and_decode_them),
    scenario!(scan::a_scanned_tag_opens_its_asset_and_typing_never_does),
    scenario!(stocktake::a_stocktake_of_one_room_scanned_finished_and_reported),
    scenario!(stocktake::a_stocktake_of_10000_keeps_up_with_the_scanner),
    scenario!(stocktake::a_stocktake_resumes_after_a_restart),
    scenario!(backup::backup_and_restore_from_settings),
    scenario!(opening::a_read_only_register_says_so_and_refuses_changes),
    scenario!(opening::a_second_window_on_the_same_register_is_refused),
    scenario!(opening::a_damaged_register_is_restored_from_the_error_screen),
    scenario!(value::purchase_override_and_value_as_of_a_date),
    scenario!(licences::licences_list_page_seats_and_key),
    scenario!(licences::renewals_forecast_by_month_with_totals),
    scenario!(forecast::a_categorys_life_and_price_change_the_replacement_forecast),
    scenario!(people::offboarding_two_assets_and_a_licence_seat),
    scenario!(import::import_wizard_review_commit_undo_and_export),
    scenario!(import::a_device_posing_as_a_csv_is_refused_by_the_wizard),
    scenario!(import::a_workbook_imports_with_its_sheet_choice_and_generated_tags),
    scenario!(import::import_keeps_every_column_and_a_holders_site),
    scenario!(evidence::a_disposal_with_its_certificate_goes_into_a_pack_that_verifies),
    scenario!(evidence::a_pack_shows_its_progress_and_cancel_leaves_no_file),
    scenario!(about::about_names_the_version_the_register_and_the_licences),
    scenario!(issue_19::issue_19_half_typed_date_is_an_error_beside_its_field),
    scenario!(issue_19::issue_19_every_write_updates_the_shown_head),
    scenario!(issue_19::issue_19_archived_assets_are_found_and_brought_back),
    scenario!(issue_19::issue_19_leaving_unsaved_changes_asks_first),
    scenario!(issue_19::issue_19_closing_the_window_with_unsaved_changes_asks_first),
    scenario!(issue_19::issue_19_a_persons_history_shows_what_they_held),
    scenario!(issue_19::issue_19_a_per_seat_price_is_shown_and_multiplied),
    scenario!(issue_19::issue_19_an_import_error_on_every_row_is_said_once),
    scenario!(issue_19::issue_19_polish),
    scenario!(issue_19::issue_19_the_window_works_at_1024_by_700),
    scenario!(issue_19::issue_19_depreciation_not_set_up_is_said_and_set_up_in_one_step),
    scenario!(issue_19::issue_19_date_fields_follow_the_locale),
    scenario!(issue_19::issue_19_a_month_first_date_field_says_its_day_in_words),
    scenario!(team::team_register_two_windows_sign_in_conflict_and_refresh),
    scenario!(team::team_register_viewer_cannot_change_and_says_why),
    scenario!(team::team_register_opened_from_settings_and_a_file_again),
    scenario!(team::a_register_file_moves_to_a_server_and_is_copied_back),
    scenario!(team::team_register_reports_exports_and_renewals),
    scenario!(team::team_register_stocktake_in_two_windows),
    scenario!(team::team_register_people_licences_and_documents_at_1024_by_700),
    scenario!(team::team_register_import_one_at_a_time_and_undone_by_another),
    scenario!(team::team_register_offboarding_seen_by_both),
    scenario!(team::team_register_disposal_and_purchase),
];
