//! Setting up a team register, run with the owner role's connection: the schema, the three
//! group roles people are given, and exactly the privileges each has. Owns every role name and
//! every GRANT; the app itself never connects as the owner (the owner can drop the triggers
//! that keep the trail append-only).
//!
//! Roles are shared by a whole PostgreSQL server, so their names carry a prefix chosen per
//! register (`register_viewer`, `register_editor`, `register_auditor` by default).

use postgres::{Client, Transaction};

use crate::error::{Error, Result};
use crate::schema;

/// What a person may do in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reads the register (not the trail, which is the auditors').
    Viewer,
    /// Changes the register; may only append to the trail (and reads it, as the window shows
    /// each record's history).
    Editor,
    /// Reads everything, the trail included, and changes nothing.
    Auditor,
}

impl Role {
    /// Every role, in order of the privileges granted below.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Auditor];

    /// The role's word: `viewer`, `editor` or `auditor` (its group role's name ends with it).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Auditor => "auditor",
        }
    }

    /// The role called `word` (as [`Role::as_str`] spells it).
    pub fn parse(word: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == word.trim())
            .ok_or_else(|| {
                Error::Refused(format!(
                    "`{word}` is not a role: use viewer, editor or auditor"
                ))
            })
    }
}

/// What each role may do to each table; anything not listed is revoked. The trail's UPDATE,
/// DELETE and TRUNCATE are granted to no one (the triggers refuse them even to a role that is
/// given them by hand). `chain_head` UPDATE is there only because `SELECT … FOR UPDATE` needs
/// it: its trigger refuses every change that is not an append.
const PRIVILEGES: &[(&str, Role, &str)] = &[
    ("schema_version", Role::Viewer, "SELECT"),
    ("schema_version", Role::Editor, "SELECT"),
    ("schema_version", Role::Auditor, "SELECT"),
    ("audit_log", Role::Editor, "SELECT, INSERT"),
    ("audit_log", Role::Auditor, "SELECT"),
    ("chain_head", Role::Editor, "SELECT, UPDATE"),
    ("chain_head", Role::Auditor, "SELECT"),
    // Assets are archived, never deleted (their history keeps pointing at them).
    ("assets", Role::Viewer, "SELECT"),
    ("assets", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("assets", Role::Auditor, "SELECT"),
    // People leave, and locations and categories are renamed, but none is deleted: assets and
    // events keep pointing at them.
    ("people", Role::Viewer, "SELECT"),
    ("people", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("people", Role::Auditor, "SELECT"),
    ("locations", Role::Viewer, "SELECT"),
    ("locations", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("locations", Role::Auditor, "SELECT"),
    ("categories", Role::Viewer, "SELECT"),
    ("categories", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("categories", Role::Auditor, "SELECT"),
    // Which person signs in with which login: everyone may read it (the history names people
    // by it), only the owner ties one (`logins::grant`).
    ("logins", Role::Viewer, "SELECT"),
    ("logins", Role::Editor, "SELECT"),
    ("logins", Role::Auditor, "SELECT"),
    // Licences are archived, never deleted, like assets. Every role that reads them reads the
    // key in clear: in the app, showing a licence's key is a read that a register opened
    // read-only may do too, and the file keeps it in clear (lists and events show it masked).
    ("licences", Role::Viewer, "SELECT"),
    ("licences", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("licences", Role::Auditor, "SELECT"),
    // A seat released is deleted, as in the file (the licence's events keep who held it); a
    // seat moved to someone else is updated.
    ("licence_seats", Role::Viewer, "SELECT"),
    (
        "licence_seats",
        Role::Editor,
        "SELECT, INSERT, UPDATE, DELETE",
    ),
    ("licence_seats", Role::Auditor, "SELECT"),
    // A document removed is deleted, as in the file (its events keep its name, kind, size and
    // hash); only its kind is ever edited. Its content goes with the last document that has it;
    // the UPDATE is only the lock an attach takes on content already stored (a trigger refuses
    // any real change, see 0008).
    ("documents", Role::Viewer, "SELECT"),
    (
        "documents",
        Role::Editor,
        "SELECT, INSERT, UPDATE (kind), DELETE",
    ),
    ("documents", Role::Auditor, "SELECT"),
    ("document_content", Role::Viewer, "SELECT"),
    (
        "document_content",
        Role::Editor,
        "SELECT, INSERT, UPDATE (sha256), DELETE",
    ),
    ("document_content", Role::Auditor, "SELECT"),
    // A setting is written over, never deleted (a new key is inserted the first time it is
    // set: the inflation).
    ("settings", Role::Viewer, "SELECT"),
    ("settings", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("settings", Role::Auditor, "SELECT"),
    // A stocktake is finished or cancelled, never deleted, as in the file; its items are
    // updated as they are seen, and its locations are written once, at the start.
    ("stocktakes", Role::Viewer, "SELECT"),
    ("stocktakes", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("stocktakes", Role::Auditor, "SELECT"),
    ("stocktake_locations", Role::Viewer, "SELECT"),
    ("stocktake_locations", Role::Editor, "SELECT, INSERT"),
    ("stocktake_locations", Role::Auditor, "SELECT"),
    ("stocktake_items", Role::Viewer, "SELECT"),
    ("stocktake_items", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("stocktake_items", Role::Auditor, "SELECT"),
    // Imports (0011): an import's row is updated with its counts and, later, its undo; its
    // items and the remembered mappings are written by imports only. Nothing is deleted but the
    // running import's row, which only says one is running.
    ("imports", Role::Viewer, "SELECT"),
    ("imports", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("imports", Role::Auditor, "SELECT"),
    ("import_items", Role::Viewer, "SELECT"),
    ("import_items", Role::Editor, "SELECT, INSERT"),
    ("import_items", Role::Auditor, "SELECT"),
    ("import_mappings", Role::Viewer, "SELECT"),
    ("import_mappings", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("import_mappings", Role::Auditor, "SELECT"),
    ("import_running", Role::Viewer, "SELECT"),
    (
        "import_running",
        Role::Editor,
        "SELECT, INSERT, UPDATE, DELETE",
    ),
    ("import_running", Role::Auditor, "SELECT"),
    // An offboarding is finished or cancelled, never deleted; an item resolved again is
    // updated in place (see 0012).
    ("offboardings", Role::Viewer, "SELECT"),
    ("offboardings", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("offboardings", Role::Auditor, "SELECT"),
    ("offboarding_items", Role::Viewer, "SELECT"),
    ("offboarding_items", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("offboarding_items", Role::Auditor, "SELECT"),
    // A disposal record is written once per asset and corrected in place, never deleted.
    ("disposals", Role::Viewer, "SELECT"),
    ("disposals", Role::Editor, "SELECT, INSERT, UPDATE"),
    ("disposals", Role::Auditor, "SELECT"),
];

/// Every table the privileges above cover.
const TABLES: &[&str] = &[
    "schema_version",
    "audit_log",
    "chain_head",
    "assets",
    "people",
    "locations",
    "categories",
    "logins",
    "licences",
    "licence_seats",
    "documents",
    "document_content",
    "settings",
    "stocktakes",
    "stocktake_locations",
    "stocktake_items",
    "imports",
    "import_items",
    "import_mappings",
    "import_running",
    "offboardings",
    "offboarding_items",
    "disposals",
];

/// The three role names of one register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    prefix: String,
}

impl Roles {
    /// The roles named `<prefix>_viewer`, `<prefix>_editor`, `<prefix>_auditor`. The prefix is
    /// lower-case letters, digits and `_`, starting with a letter, at most 40 characters.
    pub fn new(prefix: &str) -> Result<Roles> {
        let ok = prefix.len() <= 40
            && prefix.starts_with(|c: char| c.is_ascii_lowercase())
            && prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(Error::Refused(format!(
                "`{prefix}` cannot prefix role names: use lower-case letters, digits and _, \
                 starting with a letter (at most 40)"
            )));
        }
        Ok(Roles {
            prefix: prefix.to_string(),
        })
    }

    /// The role's name in the server.
    pub fn name(&self, role: Role) -> String {
        format!("{}_{}", self.prefix, role.as_str())
    }
}

impl Default for Roles {
    fn default() -> Roles {
        Roles {
            prefix: "register".to_string(),
        }
    }
}

/// Creates or upgrades the register in the connected database, as its owner: migrates the
/// schema, creates the three roles when missing, and sets their privileges to exactly
/// [`PRIVILEGES`], all in one transaction. Safe to run again (after an upgrade, it grants on
/// the new tables).
pub fn setup(owner: &mut Client, roles: &Roles) -> Result<()> {
    let mut tx = owner.transaction()?;
    schema::migrate_in(&mut tx)?;
    for role in Role::ALL {
        let name = roles.name(role);
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
                &[&name],
            )?
            .get(0);
        if !exists {
            tx.batch_execute(&format!("CREATE ROLE {} NOLOGIN", quote(&name)))?;
        }
    }
    grant(&mut tx, roles)?;
    tx.commit()?;
    Ok(())
}

fn grant(tx: &mut Transaction<'_>, roles: &Roles) -> Result<()> {
    let all = Role::ALL.map(|r| quote(&roles.name(r))).join(", ");
    let database: String = tx.query_one("SELECT current_database()", &[])?.get(0);
    let mut sql = format!(
        "GRANT CONNECT ON DATABASE {} TO {all};
         GRANT USAGE ON SCHEMA public TO {all};\n",
        quote(&database)
    );
    for table in TABLES {
        sql.push_str(&format!(
            "REVOKE ALL ON public.{table} FROM PUBLIC, {all};\n"
        ));
    }
    for (table, role, privileges) in PRIVILEGES {
        sql.push_str(&format!(
            "GRANT {privileges} ON public.{table} TO {};\n",
            quote(&roles.name(*role))
        ));
    }
    tx.batch_execute(&sql)?;
    Ok(())
}

/// Gives the existing login `login` the role `role` and takes the other two from it, so a
/// login holds one role at a time. Run as the owner (who needs CREATEROLE or ADMIN on the
/// roles). Creating the login and its password stays with the server's administrator
/// (`createuser --pwprompt`), so no password passes through here.
pub fn grant_login(owner: &mut Client, roles: &Roles, login: &str, role: Role) -> Result<()> {
    let mut tx = owner.transaction()?;
    grant_login_in(&mut tx, roles, login, role)?;
    tx.commit()?;
    Ok(())
}

/// [`grant_login`] inside the caller's transaction (`logins::grant` ties the login to a person
/// in the same one).
pub(crate) fn grant_login_in(
    tx: &mut Transaction<'_>,
    roles: &Roles,
    login: &str,
    role: Role,
) -> Result<()> {
    let can_login: Option<bool> = tx
        .query_opt(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1",
            &[&login],
        )?
        .map(|r| r.get(0));
    match can_login {
        Some(true) => {}
        Some(false) => return Err(Error::Refused(format!("{login} is a role, not a login"))),
        None => return Err(Error::Refused(format!("there is no login named {login}"))),
    }
    let mut sql = String::new();
    for other in Role::ALL.into_iter().filter(|r| *r != role) {
        sql.push_str(&format!(
            "REVOKE {} FROM {};\n",
            quote(&roles.name(other)),
            quote(login)
        ));
    }
    sql.push_str(&format!(
        "GRANT {} TO {};",
        quote(&roles.name(role)),
        quote(login)
    ));
    tx.batch_execute(&sql)?;
    Ok(())
}

/// `name` as a quoted SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_carry_the_prefix() {
        let roles = Roles::new("acme_it").unwrap();
        assert_eq!(roles.name(Role::Editor), "acme_it_editor");
        assert_eq!(Roles::default().name(Role::Auditor), "register_auditor");
        for bad in ["", "1st", "Acme", "a-b", "a\"; DROP", &"x".repeat(41)] {
            assert!(Roles::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote("o\"brien"), "\"o\"\"brien\"");
    }
}
