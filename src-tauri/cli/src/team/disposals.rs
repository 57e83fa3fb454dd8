//! `dispose` and `disposals` on a team register: recording how a retired asset left (retiring
//! it if need be, its certificate file's bytes sent to the server as one of its documents),
//! correcting the record when it has one, and listing the records and the retired assets with
//! none, each printing what the file's command prints (`crate::evidence`). The other evidence
//! commands (`audit-pack`, `verify-pack`) work on a register file only so far.

use register_core::assets::check_live;
use register_core::disposals::check_disposal;
use register_core::{Error, Result};
use register_pg::disposals::{self, Certificate};
use register_pg::{assets, Client};

use super::documents::name_of;
use super::{write, Pg};
use crate::evidence::{disposal_input, print_disposal, print_disposals, EvidenceCommand};

/// Whether `command` works on a team register so far: `dispose` and `disposals`.
pub fn works_on_team(command: &EvidenceCommand) -> bool {
    matches!(
        command,
        EvidenceCommand::Dispose { .. } | EvidenceCommand::Disposals { .. }
    )
}

/// Runs an evidence command that [`works_on_team`] on the connected team register.
pub fn run(c: &mut Client, command: EvidenceCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        EvidenceCommand::Dispose {
            tag,
            method,
            date,
            to,
            wipe_method,
            wiped_by,
            certificate_number,
            certificate,
            note,
            json,
        } => {
            let a = assets::find_asset(c, &tag).pg()?.asset;
            let input = disposal_input(
                method,
                date,
                to,
                (wipe_method, wiped_by, certificate_number),
                note,
            );
            // Checked before the certificate is read, as for a file (the server checks again).
            check_live(&a)?;
            check_disposal(&input, a.purchase_date.as_deref())?;
            let file = match &certificate {
                Some(f) => {
                    register_core::documents::check_attachable(f)?;
                    Some((name_of(f)?, std::fs::read(f)?))
                }
                None => None,
            };
            let cert = file
                .as_ref()
                .map(|(name, bytes)| Certificate { name, bytes });
            // A record, or a correction of the one it has (as the file's `dispose` does both);
            // the asset's version is read in the same transaction just before the change locks
            // it, so only a change committed in between is refused (naming who made it).
            let d = write(c, |tx| {
                let v = assets::get_asset(tx.client(), a.id)?.version;
                if disposals::disposal_of(tx.client(), a.id)?.is_some() {
                    disposals::correct_disposal(tx, a.id, v, &input, cert)
                } else {
                    disposals::record_disposal(tx, a.id, v, &input, cert)
                }
            })?;
            print_disposal(&mut out, &d, json)
        }
        EvidenceCommand::Disposals { json } => {
            let (list, open) = register_pg::read(c, |tx| {
                Ok((
                    disposals::list_disposals(tx, None)?,
                    disposals::retired_without_disposal(tx)?,
                ))
            })
            .pg()?;
            print_disposals(&mut out, &list, &open, json)
        }
        _ => Err(Error::Internal("not a team disposal command".to_string())),
    }
}
