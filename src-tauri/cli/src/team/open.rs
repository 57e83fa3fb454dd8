//! Connecting the CLI to a team register: `register_pg::connect`'s rule on how (TLS with the
//! server's certificate checked, or the Unix socket), plus where a password comes from when the
//! URL has none and the server asks for one: the system keychain (`register_pg::secret`, under
//! the URL without its password), else `$PGPASSWORD`; never a file. No message here ever
//! quotes the URL, which may hold a password.

use register_core::{Error, Result};
use register_pg::connect::Target;
use register_pg::{schema, secret, Client};

use super::Pg;

/// Where a password may come from when the URL has none (libpq's variable).
const PASSWORD_ENV: &str = "PGPASSWORD";

/// A connection to the team register at `url`, refused unless it is set up for this version.
pub fn open(url: &str) -> Result<Client> {
    let mut client = connect(url)?;
    schema::check(&mut client).pg()?;
    Ok(client)
}

/// A connection to the database at `url`, set up or not (for the owner's `team setup`).
pub fn connect(url: &str) -> Result<Client> {
    let target = Target::parse(url).pg()?;
    match target.connect() {
        Err(e) if e.asks_for_password() => {
            let password = password_for(url)?;
            let mut target = target;
            target.config_mut().password(password);
            target.connect().pg()
        }
        other => other.pg(),
    }
}

/// The password for `url` (which has none): the keychain's, else `$PGPASSWORD`'s.
fn password_for(url: &str) -> Result<String> {
    let (bare, _) = secret::strip_password(url).pg()?;
    // A keychain that cannot be reached (no Secret Service on a headless Linux) is no keychain.
    if let Ok(Some(password)) = secret::load(&bare) {
        return Ok(password);
    }
    std::env::var(PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            Error::Refused(format!(
                "the server asks for a password and none was found: the system keychain keeps \
                 none for this URL and ${PASSWORD_ENV} is not set"
            ))
        })
}
