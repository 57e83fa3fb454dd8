//! Passwords for team registers: kept in the OS keychain, under the register's URL without its
//! password, and never written anywhere else. Owns stripping a password from a URL so the rest
//! can be saved in the app's settings; does not prompt (the shell does) or connect.
//!
//! The keychain is the `keyring` crate's platform store: the login Keychain on macOS, the
//! Credential Manager on Windows, and on Linux the Secret Service (GNOME Keyring or KWallet,
//! over D-Bus), which keeps a password across logins but needs a desktop session running one.
//! Without one, `store` and `load` fail with a `Keychain` error and the app asks each time.

use crate::connect::{decode, is_url, take_params};
use crate::error::{Error, Result};

/// The keychain's service name for every team-register password.
const SERVICE: &str = "Asset Register team register";

/// Splits `url` into the URL without its password (from `user:password@` or `password=`) and
/// the password, if it had one.
pub fn strip_password(url: &str) -> Result<(String, Option<String>)> {
    let (rest, mut taken) = take_params(url, &["password"])?;
    let from_params = taken.pop().flatten();
    if !is_url(&rest) {
        return Ok((rest, from_params));
    }
    // postgresql://[user[:password]@]host…: the authority ends at the first '/' or '?'.
    let (scheme, after) = rest.split_once("://").expect("a URL has ://");
    let end = after.find(['/', '?']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(end);
    let Some((userinfo, hosts)) = authority.rsplit_once('@') else {
        return Ok((rest, from_params));
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return Ok((rest, from_params));
    };
    let password = decode(password)?.into_owned();
    let user = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    Ok((
        format!("{scheme}://{user}{hosts}{tail}"),
        // A password= parameter overrides the one in the authority, as in libpq.
        from_params.or(Some(password)),
    ))
}

/// `url` as the app may save it in its settings: refused when it carries a password, which
/// belongs in the keychain ([`store`]) and nowhere else.
pub fn url_for_settings(url: &str) -> Result<String> {
    match strip_password(url)? {
        (rest, None) => Ok(rest),
        (_, Some(_)) => Err(Error::Refused(
            "this URL carries a password, and the app never saves a password in its settings; \
             remove it from the URL and give it when asked, and it is kept in the system's \
             keychain"
                .to_string(),
        )),
    }
}

/// Keeps `password` in the keychain for the register at `url` (given without its password).
pub fn store(url: &str, password: &str) -> Result<()> {
    entry(url)?.set_password(password).map_err(keychain)
}

/// The password kept for `url`, or `None` when there is none.
pub fn load(url: &str) -> Result<Option<String>> {
    match entry(url)?.get_password() {
        Ok(password) => Ok(Some(password)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keychain(e)),
    }
}

/// Removes the password kept for `url`; nothing happens when there is none.
pub fn forget(url: &str) -> Result<()> {
    match entry(url)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain(e)),
    }
}

/// The keychain entry for `url`, keyed by the URL as the settings keep it (so never by one
/// holding a password).
fn entry(url: &str) -> Result<keyring::Entry> {
    let key = url_for_settings(url)?;
    keyring::Entry::new(SERVICE, &key).map_err(keychain)
}

fn keychain(e: keyring::Error) -> Error {
    Error::Keychain(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(url: &str) -> (String, Option<String>) {
        strip_password(url).unwrap()
    }

    #[test]
    fn the_password_is_taken_out_of_every_place_it_can_be() {
        let pw = Some("s3cret/:@".to_string());
        assert_eq!(
            strip("postgresql://alice:s3cret%2F%3A%40@db.example.org:5432/register?sslrootcert=ca.crt"),
            ("postgresql://alice@db.example.org:5432/register?sslrootcert=ca.crt".to_string(), pw.clone())
        );
        assert_eq!(
            strip("postgresql://:s3cret%2F%3A%40@db.example.org/register"),
            (
                "postgresql://db.example.org/register".to_string(),
                pw.clone()
            )
        );
        assert_eq!(
            strip("postgresql://alice@db.example.org/register?password=s3cret%2F%3A%40&sslrootcert=ca.crt"),
            ("postgresql://alice@db.example.org/register?sslrootcert=ca.crt".to_string(), pw.clone())
        );
        assert_eq!(
            strip("host=db.example.org user=alice password='s3cret/:@' dbname=register"),
            (
                "host='db.example.org' user='alice' dbname='register'".to_string(),
                pw
            )
        );
        // An '@' in the path or query is not the authority's.
        assert_eq!(
            strip("postgresql://db.example.org/register?application_name=a@b"),
            (
                "postgresql://db.example.org/register?application_name=a@b".to_string(),
                None
            )
        );
        assert_eq!(
            strip("postgresql:///register?host=/var/run/postgresql"),
            (
                "postgresql:///register?host=/var/run/postgresql".to_string(),
                None
            )
        );
    }

    #[test]
    fn a_url_with_a_password_is_refused_for_the_settings() {
        let why = url_for_settings("postgresql://alice:pw@db.example.org/register").unwrap_err();
        assert!(why.to_string().contains("never saves a password"), "{why}");
        assert!(url_for_settings("host=db password=pw").is_err());
        assert_eq!(
            url_for_settings("postgresql://alice@db.example.org/register").unwrap(),
            "postgresql://alice@db.example.org/register"
        );
        // Nor is one used as a keychain key.
        assert!(matches!(
            store("postgresql://alice:pw@db.example.org/register", "pw"),
            Err(Error::Refused(_))
        ));
    }

    /// Needs a working keychain: on Linux a Secret Service (a desktop session's GNOME Keyring
    /// or KWallet on D-Bus); run with `cargo test -p register_pg -- --ignored keychain`.
    #[test]
    #[ignore = "needs the OS keychain (on Linux a Secret Service in a desktop session)"]
    fn keychain_round_trip() {
        let url = format!(
            "postgresql://test{}@db.invalid/register",
            std::process::id()
        );
        store(&url, "first").unwrap();
        store(&url, "second").unwrap();
        assert_eq!(load(&url).unwrap().as_deref(), Some("second"));
        forget(&url).unwrap();
        assert_eq!(load(&url).unwrap(), None);
        forget(&url).unwrap();
    }
}
