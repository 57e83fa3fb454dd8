//! The import in progress, seen by every client, and refusing a second one.
//!
//! An import is one long transaction, which nobody else sees until it commits. So before it
//! begins, the importing session takes a session-level advisory lock (the same two keys in every
//! build) and, outside its transaction, writes and commits the one row of `import_running`:
//! its login, its backend's pid, the file and its size, and when it started. A second import
//! finds the lock taken and is refused, told who is importing what since when; the first
//! deletes its row and lets the lock go when it ends, however it ends.
//!
//! Both ends are announced on `listen`'s channel, so other windows show the import in progress
//! and drop it when it ends. The lock is the truth, the row only what it says: a client that dies mid-import loses its
//! session, the server rolls its transaction back and frees its lock, and a row whose pid no
//! longer holds the lock (`pg_locks`, which every role may read) is stale: [`in_progress`] shows
//! it to nobody, and the next import writes over it. Nothing is ever left "stuck".

use postgres::types::Type;
use postgres::{Client, GenericClient};

use crate::error::{Error, Result};

/// The advisory lock's two keys ("REGI", "IMPT"): `pg_advisory_lock(int4, int4)` shows in
/// `pg_locks` as classid, objid and objsubid 2.
const KEYS: (i32, i32) = (0x5245_4749, 0x494D_5054);

/// An import in progress on the team register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    /// The login importing.
    pub login: String,
    /// The person that login is tied to, if any.
    pub person: Option<String>,
    /// The file's name.
    pub file_name: String,
    /// Its data rows.
    pub rows: i64,
    /// When it started (UTC, RFC 3339).
    pub started_at: String,
}

impl Running {
    /// "alice (Alice Smith) is importing stock.csv (2,000 rows), since 2026-12-03 14:05 UTC"
    pub fn describe(&self) -> String {
        let who = match &self.person {
            Some(p) => format!("{} ({p})", self.login),
            None => self.login.clone(),
        };
        let since = self.started_at.get(..16).unwrap_or(&self.started_at);
        // 30000 → "30,000", as the window writes counts.
        let digits = self.rows.to_string();
        let mut rows = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) && c.is_ascii_digit() {
                rows.push(',');
            }
            rows.push(c);
        }
        format!(
            "{who} is importing {} ({rows} row{}), since {} UTC",
            self.file_name,
            if self.rows == 1 { "" } else { "s" },
            since.replace('T', " ")
        )
    }
}

/// The import in progress on the register, if any: for the window to show, and to name in a
/// refusal. A row left by a client that died is not one.
pub fn in_progress(client: &mut impl GenericClient) -> Result<Option<Running>> {
    let row = client.query_typed_opt(
        r#"SELECT r.login, p.name AS person, r.file_name, r.rows,
                  to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at
             FROM public.import_running r
             LEFT JOIN public.logins l ON l.login = r.login
             LEFT JOIN public.people p ON p.id = l.person_id
            WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_locks k
                           WHERE k.locktype = 'advisory' AND k.granted AND k.pid = r.pid
                             AND k.classid = $1::int8::oid AND k.objid = $2::int8::oid
                             AND k.objsubid = 2)"#,
        &[
            (&i64::from(KEYS.0), Type::INT8),
            (&i64::from(KEYS.1), Type::INT8),
        ],
    )?;
    Ok(row.map(|r| Running {
        login: r.get("login"),
        person: r.get("person"),
        file_name: r.get("file_name"),
        rows: r.get("rows"),
        started_at: r.get("started_at"),
    }))
}

/// Takes the import's lock for this session and says so to every client, or refuses, naming
/// the import in progress. Run outside a transaction (the row must be seen while the import's
/// own transaction runs).
pub(super) fn start(client: &mut Client, file_name: &str, rows: usize) -> Result<()> {
    // Said before anything is taken: a viewer's or an auditor's import stops here.
    let may: bool = client
        .query_typed_one(
            "SELECT has_table_privilege('public.imports', 'INSERT') AS may",
            &[],
        )?
        .get("may");
    if !may {
        return Err(Error::Denied(
            "permission denied for table imports; nothing was imported".to_string(),
        ));
    }
    let got: bool = client
        .query_typed_one(
            "SELECT pg_try_advisory_lock($1, $2) AS got",
            &[(&KEYS.0, Type::INT4), (&KEYS.1, Type::INT4)],
        )?
        .get("got");
    if !got {
        let who = match in_progress(client)? {
            Some(r) => r.describe(),
            // The other import took the lock a moment ago and has not said so yet.
            None => "another import is starting".to_string(),
        };
        return Err(Error::Refused(format!(
            "{who}; only one import runs at a time on a team register. Try again when it is \
             done; nothing was changed"
        )));
    }
    let said = client.query_typed(
        "INSERT INTO public.import_running (only_row, login, pid, file_name, rows, started_at)
         VALUES (true, current_user, pg_backend_pid(), $1, $2, statement_timestamp())
         ON CONFLICT (only_row) DO UPDATE
            SET login = excluded.login, pid = excluded.pid, file_name = excluded.file_name,
                rows = excluded.rows, started_at = excluded.started_at",
        &[(&file_name, Type::TEXT), (&(rows as i64), Type::INT8)],
    );
    if let Err(e) = said {
        release(client);
        return Err(e.into());
    }
    tell(client);
    Ok(())
}

/// Ends what [`start`] began: deletes the row (this session's only) and lets the lock go.
pub(super) fn end(client: &mut Client) -> Result<()> {
    let deleted = client.query_typed(
        "DELETE FROM public.import_running WHERE pid = pg_backend_pid()",
        &[],
    );
    release(client);
    tell(client);
    deleted?;
    Ok(())
}

/// Tells the other clients that an import began or ended (`listen`'s notification, with one
/// past the head as its number, so every window, whoever wrote last, looks again). An import
/// that commits says so again with its own head.
fn tell(client: &mut Client) {
    let _ = client.query_typed(
        "SELECT pg_notify($1, ((SELECT seq FROM public.chain_head) + 1)::text)",
        &[(&crate::listen::CHANNEL, Type::TEXT)],
    );
}

fn release(client: &mut Client) {
    // A session that fails here has lost its connection, and with it the lock.
    let _ = client.query_typed(
        "SELECT pg_advisory_unlock($1, $2)",
        &[(&KEYS.0, Type::INT4), (&KEYS.1, Type::INT4)],
    );
}

#[cfg(test)]
mod tests {
    use super::Running;

    #[test]
    fn an_import_in_progress_is_said_with_its_rows_grouped() {
        let r = |rows, person: Option<&str>| Running {
            login: "alice".into(),
            person: person.map(str::to_string),
            file_name: "stock.csv".into(),
            rows,
            started_at: "2026-12-03T14:05:09Z".into(),
        };
        assert_eq!(
            r(30000, Some("Alice Smith")).describe(),
            "alice (Alice Smith) is importing stock.csv (30,000 rows), since 2026-12-03 14:05 UTC"
        );
        assert_eq!(
            r(1, None).describe(),
            "alice is importing stock.csv (1 row), since 2026-12-03 14:05 UTC"
        );
        assert!(r(1_234_567, None).describe().contains("(1,234,567 rows)"));
        assert!(r(999, None).describe().contains("(999 rows)"));
    }
}
