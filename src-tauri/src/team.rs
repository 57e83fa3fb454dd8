//! The window on a team register (PostgreSQL, through `register_pg`): signing in (a password
//! from the system keychain, `$PGPASSWORD`, or the window's prompt), what this login may do,
//! running reads and audited changes on the server off the UI thread, and listening for other
//! people's changes (`LISTEN`), which the window is told of as `register://changed`. The URL
//! is never shown or logged with a password in it. Which commands work on a team register is
//! each command's business; this file only connects and runs.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use register_core::Source;
use register_pg::connect::Target;
use register_pg::{logins, schema, secret, Client};
use serde::Serialize;
use tauri::Emitter;

use crate::error::{capitalise, CmdError, CmdResult};
use crate::team_copy::{Copies, LocalCopy};

/// Where a password may come from when the URL and the keychain have none (libpq's variable).
const PASSWORD_ENV: &str = "PGPASSWORD";

/// A team register the window is for, signed in or not yet.
pub struct Team {
    /// The URL without its password: what the window shows, and the keychain's key.
    bare: String,
    /// Where to connect; holds the password once one is known.
    target: Mutex<Target>,
    /// The connection and what its login may do, once signed in.
    conn: Mutex<Option<(Client, Access)>>,
    /// The chain's head after this window's own latest change: a notification of it is not
    /// someone else's.
    own_head: AtomicI64,
    /// Whether the listener runs.
    watching: AtomicBool,
    /// The local copy for what only the file store reads so far (reports, exports…).
    copies: Copies,
}

/// What the window is told when someone else changed the register.
pub const CHANGED_EVENT: &str = "register://changed";

/// What the signed-in login may do, and who it is.
#[derive(Debug, Clone, Serialize)]
pub struct Access {
    /// The PostgreSQL login.
    pub login: String,
    /// The person in the register the login is tied to, when it is.
    pub person: Option<String>,
    /// Whether it may change the register (an editor).
    pub can_edit: bool,
    /// Whether it may read the whole trail (an editor or an auditor).
    pub reads_trail: bool,
}

/// The team register as the sidebar and About show it.
#[derive(Debug, Clone, Serialize)]
pub struct TeamInfo {
    /// The URL without its password.
    pub url: String,
    /// The database's name.
    pub database: String,
    /// The server: its host (or socket folder).
    pub server: String,
    /// What the login may do, once signed in (`None`: the window asks for a password).
    pub access: Option<Access>,
}

impl Team {
    /// The team register at `url`; nothing is sent until [`Team::sign_in`].
    pub fn new(url: &str) -> Result<Team, String> {
        let (bare, _) = secret::strip_password(url).map_err(|e| capitalise(&e.to_string()))?;
        let target = Target::parse(url).map_err(|e| capitalise(&e.to_string()))?;
        Ok(Team {
            bare,
            target: Mutex::new(target),
            conn: Mutex::new(None),
            own_head: AtomicI64::new(0),
            watching: AtomicBool::new(false),
            copies: Copies::default(),
        })
    }

    /// The URL without its password.
    pub fn url(&self) -> &str {
        &self.bare
    }

    /// What the sidebar shows: where the register is and, when signed in, as whom.
    pub fn info(&self) -> TeamInfo {
        let target = self.target.lock().unwrap_or_else(|e| e.into_inner());
        TeamInfo {
            url: self.bare.clone(),
            database: target.database().to_string(),
            server: target.server(),
            access: self.access(),
        }
    }

    /// What the signed-in login may do (`None` before signing in).
    pub fn access(&self) -> Option<Access> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        conn.as_ref().map(|(_, access)| access.clone())
    }

    /// Signs in, blocking: with `password` when given (and, with `remember`, keeps it in the
    /// keychain once the server has taken it), else with the URL's own, the keychain's or
    /// `$PGPASSWORD`. `needsPassword` when the server asks for one and none was found or the one
    /// given was turned down.
    pub fn sign_in(&self, password: Option<String>, remember: bool) -> CmdResult<Access> {
        let mut target = self
            .target
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let given = password.is_some();
        if let Some(p) = &password {
            target.config_mut().password(p.as_bytes());
        }
        let client = match target.connect() {
            Err(e) if e.asks_for_password() && !given => {
                let Some(found) = stored_password(&self.bare) else {
                    return Err(needs_password(
                        "The server asks for a password. Give it here; the app keeps it in the \
                         system keychain if you ask it to, and nowhere else.",
                    ));
                };
                target.config_mut().password(found.as_bytes());
                target.connect().map_err(sign_in_error)?
            }
            other => other.map_err(sign_in_error)?,
        };
        let mut client = client;
        schema::check(&mut client).map_err(pg_error)?;
        let access = access_of(&mut client).map_err(pg_error)?;
        if let (true, Some(p)) = (remember, &password) {
            if let Err(e) = secret::store(&self.bare, p) {
                log::warn!("could not keep the team register's password: {e}");
            }
        }
        *self.target.lock().unwrap_or_else(|e| e.into_inner()) = target;
        *self.conn.lock().unwrap_or_else(|e| e.into_inner()) = Some((client, access.clone()));
        Ok(access)
    }

    /// A new connection as the signed-in login (for the change listener).
    pub fn connect_again(&self) -> register_pg::Result<Client> {
        let target = self
            .target
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        target.connect()
    }

    /// Runs `f` on the connection, blocking. A connection the server dropped is opened again
    /// once, with the same login, before `f` runs.
    pub fn run<T>(&self, f: impl FnOnce(&mut Client, &Access) -> CmdResult<T>) -> CmdResult<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if conn.as_ref().is_some_and(|(c, _)| c.is_closed()) {
            let client = self.connect_again().map_err(pg_error)?;
            let access = conn.take().map(|(_, a)| a).expect("checked above");
            *conn = Some((client, access));
        }
        let Some((client, access)) = conn.as_mut() else {
            return Err(needs_password("Sign in to the team register first."));
        };
        f(client, access)
    }

    /// Runs a read on one snapshot of the register, blocking.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut register_pg::Transaction<'_>) -> register_pg::Result<T>,
    ) -> CmdResult<T> {
        self.run(|client, _| register_pg::read(client, f).map_err(pg_error))
    }

    /// Runs one audited change (source `app`), blocking; refused before anything is sent when
    /// the login may not change the register.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut register_pg::Tx<'_>) -> register_pg::Result<T>,
    ) -> CmdResult<T> {
        self.run(|client, access| {
            may_change(access)?;
            let before = self.own_head.load(Ordering::SeqCst);
            let out = register_pg::write(client, Source::App, |tx| {
                let out = f(tx)?;
                // Known before the commit, so the notification it sends is never taken for
                // someone else's.
                let (seq, _) = register_pg::audit::head(tx.client())?;
                self.own_head.fetch_max(seq, Ordering::SeqCst);
                Ok(out)
            });
            if out.is_err() {
                self.own_head.store(before, Ordering::SeqCst);
            }
            out.map_err(pg_error)
        })
    }

    /// Runs a change that runs its own transactions on the connection (an import), blocking;
    /// refused as [`Team::write`] refuses when the login may not change the register. While it
    /// runs, every notification is taken as this window's own (nobody else can write while an
    /// import holds the chain head); afterwards `ended` names the last event it wrote, if it
    /// wrote any, so that the changes other people make next are told apart as usual.
    pub fn change<T>(
        &self,
        f: impl FnOnce(&mut Client) -> register_pg::Result<T>,
        ended: impl FnOnce(&mut Client, &T) -> Option<i64>,
    ) -> CmdResult<T> {
        self.run(|client, access| {
            may_change(access)?;
            let before = self.own_head.swap(i64::MAX, Ordering::SeqCst);
            let out = f(client);
            let last = out.as_ref().ok().and_then(|t| ended(client, t));
            self.own_head
                .store(last.map_or(before, |l| l.max(before)), Ordering::SeqCst);
            out.map_err(pg_error)
        })
    }

    /// The register as it is now as a local file, for what only the file store reads so far
    /// (with the documents' bytes if `documents`); see [`crate::team_copy`]. Blocking.
    pub fn local_copy(&self, documents: bool) -> CmdResult<Arc<LocalCopy>> {
        self.copies.get(self, documents)
    }

    /// Starts listening (once) for changes other people commit, on a connection of its own,
    /// telling the window of each burst as [`CHANGED_EVENT`] with the new head's number. A
    /// dropped connection is opened again after a pause.
    pub fn watch<R: tauri::Runtime>(self: &Arc<Self>, app: tauri::AppHandle<R>) {
        if self.watching.swap(true, Ordering::SeqCst) {
            return;
        }
        let team = Arc::clone(self);
        std::thread::spawn(move || loop {
            let listener = team
                .connect_again()
                .and_then(register_pg::listen::Listener::new);
            let mut listener = match listener {
                Ok(l) => l,
                Err(e) => {
                    log::warn!("team register: cannot listen for changes: {e}");
                    std::thread::sleep(Duration::from_secs(5));
                    continue;
                }
            };
            loop {
                match listener.wait(Duration::from_secs(60)) {
                    Ok(Some(seq)) if seq > team.own_head.load(Ordering::SeqCst) => {
                        if let Err(e) = app.emit(CHANGED_EVENT, seq) {
                            log::warn!("cannot tell the window of a change: {e}");
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        log::warn!("team register: stopped listening for changes: {e}");
                        std::thread::sleep(Duration::from_secs(2));
                        break;
                    }
                }
            }
        });
    }
}

/// Refuses a change to a login that may only look.
fn may_change(access: &Access) -> CmdResult<()> {
    if access.can_edit {
        return Ok(());
    }
    Err(CmdError::refused(format!(
        "{} may look at this register but not change it: the register's owner gives editors \
         their role. Nothing was changed.",
        access.person.as_deref().unwrap_or(&access.login)
    )))
}

/// A password kept for `bare` in the keychain, else `$PGPASSWORD`'s.
fn stored_password(bare: &str) -> Option<String> {
    // A keychain that cannot be reached (no Secret Service on a headless Linux) is no keychain.
    if let Ok(Some(p)) = secret::load(bare) {
        return Some(p);
    }
    std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty())
}

/// Who the connection's login is and what it may do, from the server's own privileges (so a
/// role given by hand counts too).
fn access_of(client: &mut Client) -> register_pg::Result<Access> {
    let row = client.query_one(
        "SELECT current_user::text, has_table_privilege('public.assets', 'UPDATE'),
                has_table_privilege('public.audit_log', 'SELECT')",
        &[],
    )?;
    let login: String = row.get(0);
    let person = logins::tie_of(client, &login)?.map(|t| t.person);
    Ok(Access {
        login,
        person,
        can_edit: row.get(1),
        reads_trail: row.get(2),
    })
}

/// The window's prompt for a password, with why it is shown.
fn needs_password(message: &str) -> CmdError {
    CmdError::with_kind("needsPassword", message)
}

/// A failed sign-in: a password turned down asks again; anything else says what went wrong.
fn sign_in_error(e: register_pg::Error) -> CmdError {
    if e.wrong_password() {
        return needs_password("The server did not accept that password. Try again.");
    }
    CmdError::unavailable(format!(
        "Could not reach the team register: {}",
        e.to_string().trim_start_matches("database error: ")
    ))
}

/// A team register's error as the window shows it: the core's as for a file (a field's error
/// beside its field), a save over someone else's newer change as `conflict`, a change the login
/// may not make as `refused`, and the server's own words for anything else.
pub fn pg_error(e: register_pg::Error) -> CmdError {
    match e {
        register_pg::Error::Core(core) => core.into(),
        register_pg::Error::Conflict(c) => {
            CmdError::with_kind("conflict", capitalise(&c.to_string()))
        }
        register_pg::Error::Denied(why) => CmdError::refused(format!(
            "Your login may not do that on this team register ({why}). Nothing was changed."
        )),
        register_pg::Error::Refused(why) => CmdError::refused(capitalise(&why)),
        other => {
            log::error!("team register: {other}");
            CmdError::with_kind("server", capitalise(&other.to_string()))
        }
    }
}
