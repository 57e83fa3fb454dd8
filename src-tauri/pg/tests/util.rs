//! The test server and a throw-away register per test: its own database, owner, group roles and
//! logins, all dropped at the end.

use std::io::Write;

use postgres::{Client, Config};
use register_core::assets::Asset;
use register_core::audit::{self as core_audit, check_chain, StoredRow, GENESIS};
use register_core::audit::{Action, Change, Entity, NewEvent};
use register_core::Db;
use register_pg::admin::{self, Role, Roles};
use register_pg::audit;
use register_pg::connect::Target;

/// The test server as a superuser-ish role, or `None` (after printing why) when no server is
/// configured or it can only be reached in a way the crate refuses (TCP without TLS).
///
/// With libpq's variables (pg_virtualenv's), logins connect the way `.ci/pg` sets the server up:
/// over TLS when `REGISTER_PG_TEST_TLS` names the directory holding the CA (`ca.crt`) that
/// signed the server's certificate, else through the Unix socket in `REGISTER_PG_TEST_SOCKET`.
pub fn server(test: &str) -> Option<Target> {
    if let Ok(url) = std::env::var("REGISTER_PG_TEST_URL") {
        return Some(Target::parse(&url).expect("REGISTER_PG_TEST_URL is a PostgreSQL URL"));
    }
    let skip = |why: &str| {
        // Written past the test harness's capture, so the skip shows in every run.
        let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
        None
    };
    if var("PGHOST").is_none() && var("PGPORT").is_none() {
        return skip("no PostgreSQL server (set REGISTER_PG_TEST_URL or run under pg_virtualenv)");
    }
    let mut config = Config::new();
    if let Some(port) = var("PGPORT") {
        config.port(port.parse().expect("PGPORT is a port number"));
    }
    config.user(&var("PGUSER").unwrap_or_else(|| "postgres".to_string()));
    if let Some(password) = var("PGPASSWORD") {
        config.password(password);
    }
    config.dbname(&var("PGDATABASE").unwrap_or_else(|| "postgres".to_string()));
    let host = var("PGHOST").unwrap_or_else(|| "localhost".to_string());
    if let Some(dir) = var("REGISTER_PG_TEST_TLS") {
        config.host(&host);
        let ca = format!("{dir}/ca.crt");
        Some(Target::new(config, Some("verify-full"), Some(&ca)))
    } else if let Some(dir) = socket_dir().or(Some(host).filter(|h| h.starts_with('/'))) {
        config.host(&dir);
        Some(Target::new(config, None, None))
    } else {
        skip(
            "the server is reached over TCP without TLS, which register_pg refuses; run \
             `bash .ci/pg`, which sets up TLS and the socket, or set REGISTER_PG_TEST_TLS or \
             REGISTER_PG_TEST_SOCKET",
        )
    }
}

/// The server's Unix socket directory, where logins may sign in with their password (`.ci/pg`
/// sets that up).
pub fn socket_dir() -> Option<String> {
    var("REGISTER_PG_TEST_SOCKET")
}

/// The directory `.ci/pg` made the test server's certificates in: `ca.crt`, which signed the
/// server's certificate for `localhost` and 127.0.0.1, and `other-ca.crt`, which did not.
pub fn tls_dir() -> Option<String> {
    var("REGISTER_PG_TEST_TLS")
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Gives the server's configuration, or returns from the test after printing that it skipped.
macro_rules! server_or_skip {
    ($test:expr) => {
        match crate::util::server($test) {
            Some(config) => config,
            None => return,
        }
    };
}
pub(crate) use server_or_skip;

/// Every test login's password.
pub const PASSWORD: &str = "test-only-password";

/// A register set up in a database of its own, owned by a login that is not a superuser.
pub struct TestRegister {
    server: Target,
    prefix: String,
    pub roles: Roles,
    logins: Vec<String>,
}

impl TestRegister {
    /// Creates database `<prefix>` owned by `<prefix>_owner` and runs the admin setup as it.
    pub fn new(server: Target, name: &str) -> TestRegister {
        let reg = TestRegister::bare(server, name);
        admin::setup(&mut reg.owner(), &reg.roles).expect("admin setup as the owner");
        reg
    }

    /// Creates database `<prefix>` owned by `<prefix>_owner`, not set up as a register yet.
    pub fn bare(server: Target, name: &str) -> TestRegister {
        let prefix = format!("t{}_{name}", std::process::id());
        let roles = Roles::new(&prefix).unwrap();
        let owner = format!("{prefix}_owner");
        let mut su = server.connect().expect("connect to the test server");
        // What a killed earlier run of this process id may have left.
        for sql in drop_statements(&prefix, &roles, std::slice::from_ref(&owner)) {
            su.batch_execute(&sql).expect("clear a stale test register");
        }
        // One statement at a time: a multi-statement string is one transaction, and CREATE
        // DATABASE and DROP DATABASE refuse to run inside one.
        su.batch_execute(&format!(
            "CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{PASSWORD}'"
        ))
        .expect("create the test owner");
        su.batch_execute(&format!("CREATE DATABASE {prefix} OWNER {owner}"))
            .expect("create the test database");
        TestRegister {
            server,
            prefix,
            roles,
            logins: vec![owner],
        }
    }

    /// The register's database, which is also the prefix of its roles and logins.
    pub fn database(&self) -> &str {
        &self.prefix
    }

    /// A connection as the register's owner.
    pub fn owner(&self) -> Client {
        self.connect_as(&format!("{}_owner", self.prefix))
    }

    /// Creates the login `<prefix>_<name>` with the role `role`, and returns its name.
    pub fn add_login(&mut self, name: &str, role: Role) -> String {
        let login = self.create_login(name);
        admin::grant_login(&mut self.owner(), &self.roles, &login, role).expect("grant the role");
        login
    }

    /// Creates the login `<prefix>_<name>` with no role (as `createuser` would), and returns its
    /// name.
    pub fn create_login(&mut self, name: &str) -> String {
        let login = format!("{}_{name}", self.prefix);
        self.owner()
            .batch_execute(&format!("CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'"))
            .expect("create a login");
        self.logins.push(login.clone());
        login
    }

    /// A connection as `login`, through the crate's own `connect`.
    pub fn connect_as(&self, login: &str) -> Client {
        self.login_target(login)
            .connect()
            .expect("connect as a login")
    }

    /// Where `login` connects to this register: the server's target with its name, password
    /// and database.
    pub fn login_target(&self, login: &str) -> Target {
        let mut target = self.server.clone();
        target
            .config_mut()
            .user(login)
            .password(PASSWORD)
            .dbname(&self.prefix);
        target
    }
}

impl Drop for TestRegister {
    fn drop(&mut self) {
        let Ok(mut su) = self.server.connect() else {
            return;
        };
        for sql in drop_statements(&self.prefix, &self.roles, &self.logins) {
            if let Err(e) = su.batch_execute(&sql) {
                eprintln!("could not drop the test register {}: {e}", self.prefix);
            }
        }
    }
}

/// Drops the test database, then its group roles and logins (which own nothing outside it).
fn drop_statements(database: &str, roles: &Roles, logins: &[String]) -> Vec<String> {
    let mut sql = vec![format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")];
    for role in Role::ALL {
        sql.push(format!("DROP ROLE IF EXISTS {}", roles.name(role)));
    }
    // The owner (first) last: it granted the others their roles.
    for login in logins.iter().rev() {
        sql.push(format!("DROP ROLE IF EXISTS {login}"));
    }
    sql
}

/// An asset edit as the core describes one: asset `label` had its name set to `new`.
pub fn edit<'a>(label: &'a str, asset_id: i64, new: &str) -> NewEvent<'a> {
    NewEvent {
        action: Action::Edited,
        entity: Entity::Asset,
        entity_id: Some(asset_id),
        asset_id: Some(asset_id),
        label,
        changes: vec![Change::new("name", None, Some(new.to_string()))],
        note: None,
    }
}

/// What may differ between the stores for the same asset: the times (each store's clock) and
/// the document count (counted by the server's lists, not by `get_asset`).
pub fn comparable(mut a: Asset) -> Asset {
    a.created_at.clear();
    a.updated_at.clear();
    a.document_count = 0;
    a
}

/// Checks that the file register `db` and the team register behind `client` hold the same
/// events, and returns how many: every hashed field but the time is equal, every event on the
/// server was written by `actor`, and, given the server's times, the file's events hash to the
/// server's hashes link for link and end at the same head (each store stamps events with its
/// own clock). The file's own chain verifies with its own times.
pub fn assert_same_events(db: &Db, client: &mut Client, actor: &str) -> i64 {
    let mut file = Vec::new();
    db.read(|c| {
        core_audit::for_each_stored(c, |r| {
            file.push(r);
            Ok(())
        })
    })
    .unwrap();
    let mut served = Vec::new();
    audit::for_each_stored(client, |ev| served.push(ev)).unwrap();
    assert_eq!(served.len(), file.len());
    let key = |r: &StoredRow| {
        (
            r.id,
            r.source.clone(),
            r.action.clone(),
            r.entity.clone(),
            r.entity_id,
            r.asset_id,
            r.label.clone(),
            r.changes.clone(),
            r.note.clone(),
        )
    };
    for (f, s) in file.iter().zip(&served) {
        assert_eq!(key(&s.row), key(f));
        assert_eq!(s.row.hash, s.row.content_hash());
        assert_eq!(s.actor, actor, "event {}", s.row.id);
    }

    let mut prev = GENESIS.to_string();
    let retimed: Vec<StoredRow> = file
        .iter()
        .zip(&served)
        .map(|(f, s)| {
            let mut r = StoredRow {
                at: s.row.at.clone(),
                prev_hash: prev.clone(),
                ..f.clone()
            };
            r.hash = r.content_hash();
            prev = r.hash.clone();
            assert_eq!(r.hash, s.row.hash, "event {}", r.id);
            r
        })
        .collect();
    let from_file = check_chain(|each| {
        retimed.iter().cloned().for_each(each);
        Ok::<_, ()>(())
    })
    .unwrap();
    let on_server = audit::verify_chain(client).unwrap();
    assert_eq!(on_server.first_bad_event, None);
    assert_eq!(on_server, from_file);
    let n = file.len() as i64;
    assert_eq!(audit::head(client).unwrap(), (n, on_server.head_hash));
    let own = db.read(core_audit::verify_chain).unwrap();
    assert_eq!((own.event_count, own.first_bad_event), (n, None));
    n
}

/// Runs `first` in a transaction that waits 300 ms before it commits, and `second` on the
/// other client once `first` has done its work: `second` meets `first`'s locks. Returns what
/// `second` gave, and the client it ran on.
pub fn while_in_flight<T: Send>(
    a: &mut Client,
    b: &mut Client,
    first: impl FnOnce(&mut register_pg::Tx<'_>) -> register_pg::Result<()>,
    second: impl FnOnce(&mut Client) -> register_pg::Result<T> + Send,
) -> register_pg::Result<T> {
    let (started, second_starts) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let other = scope.spawn(move || {
            second_starts.recv().unwrap();
            second(b)
        });
        register_pg::write(a, register_core::audit::Source::App, |tx| {
            first(tx)?;
            started.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(300));
            Ok(())
        })
        .unwrap();
        other.join().unwrap()
    })
}
