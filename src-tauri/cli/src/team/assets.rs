//! The asset commands on a team register: `init`, `list`, `show`, `add`, `edit`, `status`,
//! `archive`, `unarchive`, `assign`, `return` and `move`, each one `register_pg` call. A change
//! reads the asset (and its row version) by tag, then saves from that version in one audited
//! transaction: if someone else changed the asset in between, the save is refused naming them,
//! as in the app.

use register_core::{Asset, AssetPatch, Error, Result, Status};
use register_pg::assets;
use register_pg::{schema, secret, Client};

use super::{say, write, Pg};
use crate::{holder, print_asset, print_json, print_table, said, ApplyToDefault, Command};

/// Runs an asset command (see [`super::run`] for which) on the connected team register at `url`.
pub fn run(c: &mut Client, url: &str, command: Command) -> Result<()> {
    let find = |c: &mut Client, tag: &str| assets::find_asset(c, tag).pg();
    match command {
        Command::Init => {
            let (bare, _) = secret::strip_password(url).pg()?;
            say(format!(
                "Team register ready at {bare} (schema version {})",
                schema::VERSION
            ))?;
        }
        Command::List {
            search,
            status,
            json,
        } => {
            let status = status.as_deref().map(Status::parse).transpose()?;
            let found = assets::search_assets(c, search.as_deref().unwrap_or(""), i64::MAX).pg()?;
            let ids: Vec<i64> = found.iter().map(|f| f.id).collect();
            let rows: Vec<Asset> = assets::get_assets(c, &ids)
                .pg()?
                .into_iter()
                .map(|v| v.asset)
                .filter(|a| status.is_none_or(|s| a.status == s))
                .collect();
            if json {
                print_json(&rows)?;
            } else {
                print_table(&rows)?;
            }
        }
        Command::Show { tag, json } => {
            let a = find(c, &tag)?.asset;
            if json {
                let mut v = serde_json::to_value(&a)?;
                // No documents on a team register yet.
                v["documents"] = serde_json::Value::Array(Vec::new());
                print_json(&v)?;
            } else {
                print_asset(&a)?;
                say(format!("{:<17} 0", "Documents"))?;
            }
        }
        Command::Add(a) => {
            let input = AssetPatch::apply_to_default(a.fields_patch());
            let note = a.fields.note.clone();
            let v = write(c, |tx| assets::create_asset(tx, &input, note.as_deref()))?;
            say(said::added(&v.asset))?;
        }
        Command::Edit(e) => {
            let before = find(c, &e.tag)?;
            let note = e.fields.note.clone();
            let patch = e.fields.patch(e.new_tag, e.name);
            let after = write(c, |tx| {
                assets::update_asset(tx, before.asset.id, before.version, &patch, note.as_deref())
            })?;
            say(said::updated(&after.asset, after.version != before.version))?;
        }
        Command::Status { tag, status, note } => {
            let before = find(c, &tag)?;
            let status = Status::parse(&status)?;
            let after = write(c, |tx| {
                assets::change_status(tx, before.asset.id, before.version, status, note.as_deref())
            })?;
            say(said::status(&after.asset))?;
        }
        Command::Archive { tag, note } => {
            let before = find(c, &tag)?;
            write(c, |tx| {
                assets::archive_asset(tx, before.asset.id, before.version, note.as_deref())
            })?;
            say(said::archived(&tag))?;
        }
        Command::Unarchive { tag, note } => {
            let before = find(c, &tag)?;
            let after = write(c, |tx| {
                assets::unarchive_asset(tx, before.asset.id, before.version, note.as_deref())
            })?;
            say(said::unarchived(&after.asset))?;
        }
        Command::Assign {
            tag,
            person,
            location,
            note,
        } => {
            let before = find(c, &tag)?;
            let to = holder(person, location);
            let after = write(c, |tx| {
                assets::assign_asset(tx, before.asset.id, before.version, &to, note.as_deref())
            })?;
            say(said::assigned(&after.asset))?;
        }
        Command::Return {
            tag,
            location,
            note,
        } => {
            let before = find(c, &tag)?;
            let after = write(c, |tx| {
                assets::return_asset(
                    tx,
                    before.asset.id,
                    before.version,
                    location.as_deref(),
                    note.as_deref(),
                )
            })?;
            say(said::returned(&after.asset))?;
        }
        Command::Move {
            tag,
            location,
            note,
        } => {
            let before = find(c, &tag)?;
            let after = write(c, |tx| {
                assets::move_to_location(
                    tx,
                    before.asset.id,
                    before.version,
                    &location,
                    note.as_deref(),
                )
            })?;
            say(said::moved(&after.asset))?;
        }
        _ => return Err(Error::Internal("not an asset command".to_string())),
    }
    Ok(())
}
