//! The licence commands on a team register: `licence add`, `list`, `show`, `edit`, `assign`,
//! `unassign`, `archive`, `history`, and `attach`, `documents` and `detach` (the bytes go to the
//! server), each one `register_pg` call, printing what the file's commands print
//! (`crate::licences`). An edit or archive reads the licence (and its row version), then saves
//! from that version: if someone else changed it in between, the save is refused naming them.
//! The renewals forecast is still file-only ([`works_on_team`]).

use register_core::documents::{DocKind, Owner};
use register_core::licences::Licence;
use register_core::{Error, Result};
use register_pg::{documents, licences, people, Client};

use super::trail::History;
use super::{say, write, Pg};
use crate::licences::{
    print_licence, print_licence_documents, print_licence_history, print_licences, said,
    LicenceAction, LicenceCommand,
};

/// Whether `command` works on a team register so far (the renewals forecast does not).
pub fn works_on_team(command: &LicenceCommand) -> bool {
    match command {
        LicenceCommand::Renewals { .. } => false,
        LicenceCommand::Licence { .. } => true,
    }
}

/// Runs a licence command that [`works_on_team`] on the connected team register.
pub fn run(c: &mut Client, command: LicenceCommand) -> Result<()> {
    let LicenceCommand::Licence { command } = command else {
        return Err(Error::Internal("not a team licence command".to_string()));
    };
    let find = |c: &mut Client, key: &str| licences::find_licence(c, key).pg();
    match *command {
        LicenceAction::Add {
            product,
            seats,
            fields,
        } => {
            let input = fields.input(Some(product), Some(seats))?;
            let note = fields.note.clone();
            let v = write(c, |tx| {
                licences::create_licence(tx, &input, note.as_deref())
            })?;
            say(said::added(&v.licence))?;
        }
        LicenceAction::List { all, json } => {
            let list: Vec<Licence> = licences::list_licences(c, all)
                .pg()?
                .into_iter()
                .map(|v| v.licence)
                .collect();
            print_licences(&list, json)?;
        }
        LicenceAction::Show {
            licence,
            reveal_key,
            json,
        } => {
            let (l, seats, key) = register_pg::read(c, |tx| {
                let l = licences::find_licence(tx, &licence)?.licence;
                let seats = licences::list_seats(tx, l.id)?;
                let key = if reveal_key {
                    Some(licences::reveal_licence_key(tx, l.id)?)
                } else {
                    None
                };
                Ok((l, seats, key))
            })
            .pg()?;
            print_licence(&l, &seats, key, json)?;
        }
        LicenceAction::Edit {
            licence,
            product,
            seats,
            fields,
        } => {
            let before = find(c, &licence)?;
            let input = fields.input(product, seats)?;
            let note = fields.note.clone();
            let after = write(c, |tx| {
                licences::update_licence(
                    tx,
                    before.licence.id,
                    before.version,
                    &input,
                    note.as_deref(),
                )
            })?;
            say(said::updated(
                &after.licence,
                after.version != before.version,
            ))?;
        }
        LicenceAction::Assign {
            licence,
            person,
            note,
        } => {
            let l = find(c, &licence)?.licence;
            let after = write(c, |tx| {
                licences::assign_seat(tx, l.id, &person, note.as_deref())
            })?;
            say(said::assigned(&person, &after.licence))?;
        }
        LicenceAction::Unassign {
            licence,
            person,
            note,
        } => {
            let l = find(c, &licence)?.licence;
            let pid = people::find_person(c, &person)
                .pg()?
                .map(|p| p.person.id)
                .ok_or_else(|| Error::not_found("person", person.trim()))?;
            let after = write(c, |tx| {
                licences::release_seat(tx, l.id, pid, note.as_deref())
            })?;
            say(said::released(&person, &after.licence))?;
        }
        LicenceAction::Archive { licence, note } => {
            let before = find(c, &licence)?;
            let after = write(c, |tx| {
                licences::archive_licence(tx, before.licence.id, before.version, note.as_deref())
            })?;
            say(said::archived(&after.licence))?;
        }
        LicenceAction::History { licence, json } => {
            let history = History::read(c, |tx| {
                let id = licences::find_licence(tx, &licence)?.licence.id;
                Ok(move |row: &register_core::audit::StoredRow| {
                    row.entity == "licence" && row.entity_id == Some(id)
                })
            })?;
            if json {
                crate::print_json(&history.to_json()?)?;
            } else {
                print_licence_history(&history.events, &|i| Some(history.by(i)))?;
            }
        }
        LicenceAction::Attach {
            licence,
            files,
            kind,
            note,
        } => {
            // As for a file: each file is checked, read and attached in a change of its own.
            let l = find(c, &licence)?.licence;
            let kind = kind.as_deref().map(DocKind::parse).transpose()?;
            for f in &files {
                register_core::documents::check_attachable(f)?;
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .ok_or_else(|| {
                        Error::invalid("file", format!("{} is not a file", f.display()))
                    })?;
                let bytes = std::fs::read(f)?;
                let d = write(c, |tx| {
                    documents::attach_document(
                        tx,
                        Owner::Licence(l.id),
                        &name,
                        &bytes,
                        kind,
                        note.as_deref(),
                    )
                })?;
                say(said::attached(&d, &l.product))?;
            }
        }
        LicenceAction::Documents { licence, json } => {
            let docs = register_pg::read(c, |tx| {
                let id = licences::find_licence(tx, &licence)?.licence.id;
                documents::documents_of(tx, Owner::Licence(id))
            })
            .pg()?;
            print_licence_documents(&mut std::io::stdout().lock(), &docs, json)?;
        }
        LicenceAction::Detach {
            licence,
            document,
            note,
        } => {
            let l = find(c, &licence)?.licence;
            let d = write(c, |tx| {
                documents::remove_document(tx, Owner::Licence(l.id), document, note.as_deref())
            })?;
            say(said::removed(&d, &l.product))?;
        }
    }
    Ok(())
}
