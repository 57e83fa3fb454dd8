//! A throw-away team register on the test server, for the scenarios that open one: its own
//! database, owner, group roles and logins (each tied to a person), all dropped at the end.
//! The server is the one `.ci/pg-cluster` starts (pg_virtualenv's libpq variables, and the Unix
//! socket it lets logins sign in on with a password); `.ci/test` runs the end-to-end tests in
//! it. Without one, [`TeamRegister::new`] says why and the scenario fails under CI, or is
//! skipped (saying so) on a developer's machine.

use register_core::assets::AssetInput;
use register_core::people::PersonInput;
use register_core::Source;
use register_pg::admin::{self, Role, Roles};
use register_pg::connect::Target;
use register_pg::Client;

use super::Res;

/// Every test login's password.
pub const PASSWORD: &str = "e2e-only-password";

/// A team register set up for one scenario.
pub struct TeamRegister {
    /// The superuser's URL (holds the test server's password).
    su_url: String,
    socket: String,
    port: String,
    prefix: String,
    roles: Roles,
    logins: Vec<String>,
}

/// Runs `f` on a thread of its own: the postgres client blocks on a runtime of its own, which
/// cannot start on one of the scenario's tokio threads.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().expect("a team-register step panicked"))
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl TeamRegister {
    /// A fresh register called `name`, or `None` (having said why) when there is no test server
    /// and CI is not set.
    pub fn new(name: &str) -> Res<Option<TeamRegister>> {
        let Some(socket) = var("REGISTER_PG_TEST_SOCKET") else {
            let why = "no PostgreSQL test server (run through `bash .ci/test`, or `bash \
                       .ci/pg-cluster xvfb-run -a cargo test --test e2e -- team`)";
            if std::env::var_os("CI").is_some() {
                return Err(why.into());
            }
            println!("skipped {name}: {why}");
            return Ok(None);
        };
        let port = var("PGPORT").unwrap_or_else(|| "5432".into());
        let su = var("PGUSER").unwrap_or_else(|| "postgres".into());
        let su_password = var("PGPASSWORD").unwrap_or_default();
        let su_db = var("PGDATABASE").unwrap_or_else(|| "postgres".into());
        let su_url = format!(
            "postgresql://{su}:{}@/{su_db}?host={socket}&port={port}",
            encode(&su_password)
        );
        let prefix = format!("e2e{}_{name}", std::process::id());
        let reg = TeamRegister {
            su_url,
            socket,
            port,
            roles: Roles::new(&prefix)?,
            prefix,
            logins: Vec::new(),
        };
        off_runtime(|| -> Res {
            reg.drop_all(); // what a killed earlier run of this process id may have left
            let mut su = reg.superuser()?;
            let owner = reg.owner_login();
            su.batch_execute(&format!(
                "CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{PASSWORD}'"
            ))?;
            su.batch_execute(&format!("CREATE DATABASE {} OWNER {owner}", reg.prefix))?;
            admin::setup(&mut reg.connect_as(&owner)?, &reg.roles)?;
            Ok(())
        })?;
        Ok(Some(reg))
    }

    fn superuser(&self) -> Res<Client> {
        Ok(Target::parse(&self.su_url)?.connect()?)
    }

    fn owner_login(&self) -> String {
        format!("{}_owner", self.prefix)
    }

    /// The register's database name.
    pub fn database(&self) -> &str {
        &self.prefix
    }

    /// The URL a window opens the register with as `login` (no password in it: the window asks,
    /// or finds one in `$PGPASSWORD`).
    pub fn url(&self, login: &str) -> String {
        format!(
            "postgresql://{login}@/{}?host={}&port={}",
            self.prefix, self.socket, self.port
        )
    }

    /// A connection as `login`.
    pub fn connect_as(&self, login: &str) -> Res<Client> {
        let url = format!(
            "postgresql://{login}:{PASSWORD}@/{}?host={}&port={}",
            self.prefix, self.socket, self.port
        );
        Ok(Target::parse(&url)?.connect()?)
    }

    /// Adds the person `person` and a login for them with `role`, tied to them; returns the
    /// login's name.
    pub fn add_person_login(&mut self, short: &str, person: &str, role: Role) -> Res<String> {
        let login = format!("{}_{short}", self.prefix);
        self.logins.push(login.clone());
        off_runtime(|| self.create_login(&login, person, role, true))?;
        Ok(login)
    }

    /// Gives the person `person`, already in the register, a login with `role`, tied to them;
    /// returns the login's name.
    pub fn grant_login(&mut self, short: &str, person: &str, role: Role) -> Res<String> {
        let login = format!("{}_{short}", self.prefix);
        self.logins.push(login.clone());
        off_runtime(|| self.create_login(&login, person, role, false))?;
        Ok(login)
    }

    /// The owner's URL (no password in it), as whoever moves a register in gives it.
    pub fn owner_url(&self) -> String {
        self.url(&self.owner_login())
    }

    /// The register's settings as the server has them.
    pub fn settings(&self) -> Res<register_core::settings::Settings> {
        off_runtime(|| {
            let mut c = self.connect_as(&self.owner_login())?;
            Ok(register_pg::settings::get_settings(&mut c)?)
        })
    }

    /// The server's full check of the register, as its owner: (events, head hash, all sound).
    pub fn verify(&self) -> Res<(i64, String, bool)> {
        off_runtime(|| {
            let checked = register_pg::verify::verify(&mut self.connect_as(&self.owner_login())?)?;
            let ok = checked.ok();
            let v = checked.verification;
            Ok((v.event_count, v.head_hash, ok))
        })
    }

    fn create_login(&self, login: &str, person: &str, role: Role, new_person: bool) -> Res {
        let mut owner = self.connect_as(&self.owner_login())?;
        owner.batch_execute(&format!("CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'"))?;
        if new_person {
            let input = PersonInput {
                name: person.to_string(),
                email: String::new(),
                department: String::new(),
            };
            register_pg::write(&mut owner, Source::Cli, |tx| {
                register_pg::people::create_person(tx, &input)
            })?;
        }
        register_pg::logins::grant(
            &mut owner,
            &self.roles,
            login,
            role,
            Some(person),
            Source::Cli,
        )?;
        Ok(())
    }

    /// Adds an asset as `login` (an editor).
    pub fn add_asset(&self, login: &str, tag: &str, name: &str, category: &str) -> Res {
        let input = AssetInput {
            asset_tag: tag.into(),
            name: name.into(),
            category: category.into(),
            ..Default::default()
        };
        off_runtime(|| -> Res {
            register_pg::write(&mut self.connect_as(login)?, Source::Cli, |tx| {
                register_pg::assets::create_asset(tx, &input, None)
            })?;
            Ok(())
        })
    }

    /// Adds the asset `input` as `login` (an editor).
    pub fn add_asset_input(&self, login: &str, input: &AssetInput) -> Res {
        off_runtime(|| -> Res {
            register_pg::write(&mut self.connect_as(login)?, Source::Cli, |tx| {
                register_pg::assets::create_asset(tx, input, None)
            })?;
            Ok(())
        })
    }

    /// Attaches `bytes` as the file `name` to the asset `tag`, as `login` (an editor).
    pub fn attach(&self, login: &str, tag: &str, name: &str, bytes: &[u8]) -> Res {
        off_runtime(|| -> Res {
            let mut c = self.connect_as(login)?;
            let id = register_pg::assets::find_asset(&mut c, tag)?.asset.id;
            register_pg::write(&mut c, Source::Cli, |tx| {
                register_pg::documents::attach_document(
                    tx,
                    register_core::documents::Owner::Asset(id),
                    name,
                    bytes,
                    None,
                    None,
                )
            })?;
            Ok(())
        })
    }

    /// The asset `tag` as the server has it now.
    pub fn asset(&self, login: &str, tag: &str) -> Res<register_core::Asset> {
        off_runtime(|| {
            let mut c = self.connect_as(login)?;
            Ok(register_pg::assets::find_asset(&mut c, tag)?.asset)
        })
    }

    /// Drops the database, its roles and its logins.
    fn drop_all(&self) {
        let Ok(mut su) = self.superuser() else {
            return;
        };
        let mut sql = vec![format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.prefix
        )];
        for role in Role::ALL {
            sql.push(format!("DROP ROLE IF EXISTS {}", self.roles.name(role)));
        }
        for login in self.logins.iter().rev() {
            sql.push(format!("DROP ROLE IF EXISTS {login}"));
        }
        sql.push(format!("DROP ROLE IF EXISTS {}", self.owner_login()));
        for s in sql {
            if let Err(e) = su.batch_execute(&s) {
                eprintln!("could not drop the test register {}: {e}", self.prefix);
            }
        }
    }
}

impl Drop for TeamRegister {
    fn drop(&mut self) {
        off_runtime(|| self.drop_all());
    }
}

/// Percent-encodes a URL's password.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
