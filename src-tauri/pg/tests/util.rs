//! The test server and a throw-away register per test: its own database, owner, group roles and
//! logins, all dropped at the end.

use std::io::Write;

use postgres::{Client, Config, NoTls};
use register_core::audit::{Action, Change, Entity, NewEvent};
use register_pg::admin::{self, Role, Roles};

/// The server's superuser-ish configuration, or `None` (after printing why) when no server is
/// configured.
pub fn server(test: &str) -> Option<Config> {
    if let Ok(url) = std::env::var("REGISTER_PG_TEST_URL") {
        return Some(
            url.parse()
                .expect("REGISTER_PG_TEST_URL is a PostgreSQL URL"),
        );
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if var("PGHOST").is_none() && var("PGPORT").is_none() {
        // Written past the test harness's capture, so the skip shows in every run.
        let _ = writeln!(
            std::io::stderr(),
            "skipped {test}: no PostgreSQL server (set REGISTER_PG_TEST_URL or run under pg_virtualenv)"
        );
        return None;
    }
    let mut config = Config::new();
    config.host(&var("PGHOST").unwrap_or_else(|| "/var/run/postgresql".to_string()));
    if let Some(port) = var("PGPORT") {
        config.port(port.parse().expect("PGPORT is a port number"));
    }
    config.user(&var("PGUSER").unwrap_or_else(|| "postgres".to_string()));
    if let Some(password) = var("PGPASSWORD") {
        config.password(password);
    }
    config.dbname(&var("PGDATABASE").unwrap_or_else(|| "postgres".to_string()));
    Some(config)
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

const PASSWORD: &str = "test-only-password";

/// A register set up in a database of its own, owned by a login that is not a superuser.
pub struct TestRegister {
    server: Config,
    prefix: String,
    pub roles: Roles,
    logins: Vec<String>,
}

impl TestRegister {
    /// Creates database `<prefix>` owned by `<prefix>_owner` and runs the admin setup as it.
    pub fn new(server: Config, name: &str) -> TestRegister {
        let prefix = format!("t{}_{name}", std::process::id());
        let roles = Roles::new(&prefix).unwrap();
        let owner = format!("{prefix}_owner");
        let mut su = server.connect(NoTls).expect("connect to the test server");
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
        let reg = TestRegister {
            server,
            prefix,
            roles,
            logins: vec![owner],
        };
        admin::setup(&mut reg.owner(), &reg.roles).expect("admin setup as the owner");
        reg
    }

    /// A connection as the register's owner.
    pub fn owner(&self) -> Client {
        self.connect_as(&format!("{}_owner", self.prefix))
    }

    /// Creates the login `<prefix>_<name>` with the role `role`, and returns its name.
    pub fn add_login(&mut self, name: &str, role: Role) -> String {
        let login = format!("{}_{name}", self.prefix);
        let mut owner = self.owner();
        owner
            .batch_execute(&format!("CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'"))
            .expect("create a login");
        self.logins.push(login.clone());
        admin::grant_login(&mut owner, &self.roles, &login, role).expect("grant the role");
        login
    }

    /// A connection as `login`, through the crate's own `connect`.
    pub fn connect_as(&self, login: &str) -> Client {
        let mut config = self.server.clone();
        config.user(login).password(PASSWORD).dbname(&self.prefix);
        register_pg::connect::connect_with(&config).expect("connect as a login")
    }
}

impl Drop for TestRegister {
    fn drop(&mut self) {
        let Ok(mut su) = self.server.connect(NoTls) else {
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
