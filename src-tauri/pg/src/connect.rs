//! Opening a connection to a team register from a `postgresql://` URL (or a libpq key=value
//! string). Owns the rule on how a connection is protected; knows nothing of the schema.
//!
//! The rule: every TCP connection, to this machine too, uses TLS with the server's certificate
//! checked against a CA file and against the host name (libpq's `sslmode=verify-full`). A URL
//! that allows plain text (`disable`, `allow`, `prefer`, libpq's default) or TLS without that
//! check (`require`, `verify-ca`) is refused before anything is sent. A Unix socket never
//! leaves the machine and PostgreSQL offers no TLS over one, so a socket URL needs none.
//!
//! The postgres crate reads neither `sslrootcert` nor the `verify-*` modes, so both are taken
//! out of the URL here before it parses the rest.

use std::borrow::Cow;
use std::path::PathBuf;

use percent_encoding::percent_decode_str;
use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};
use postgres_native_tls::MakeTlsConnector;

use crate::error::{Error, Result};

/// The two ways a connection is allowed, ending every refusal.
const HOW: &str = "use sslmode=verify-full with sslrootcert=<the CA file that signed the \
                   server's certificate>, or connect through the server's Unix socket";

/// Connects to the team register at `url`.
pub fn connect(url: &str) -> Result<Client> {
    Target::parse(url)?.connect()
}

/// The certificates a server's certificate must chain to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// Only the CA certificate(s) in this PEM file (`sslrootcert=/path/ca.crt`), as libpq does:
    /// an office's own CA, which the OS does not know.
    File(PathBuf),
    /// The operating system's trusted CAs (`sslrootcert=system`, libpq's name for it), for a
    /// server with a certificate from a public CA.
    System,
}

/// A server to connect to: the postgres crate's configuration plus the two TLS settings it does
/// not read. The rule is applied by [`Target::connect`], so a target changed after parsing is
/// held to it too.
#[derive(Debug, Clone)]
pub struct Target {
    config: Config,
    ssl_mode: Option<String>,
    ssl_root_cert: Option<String>,
}

impl Target {
    /// Parses a `postgresql://` URL or a libpq key=value string. Nothing is checked or sent yet.
    pub fn parse(url: &str) -> Result<Target> {
        let (rest, ssl_mode, ssl_root_cert) = take_tls_params(url)?;
        let config = rest
            .parse()
            .map_err(|e| Error::Refused(format!("this is not a PostgreSQL connection URL: {e}")))?;
        Ok(Target {
            config,
            ssl_mode,
            ssl_root_cert,
        })
    }

    /// A target from a configuration built in code, with libpq's `sslmode` and `sslrootcert`.
    pub fn new(config: Config, ssl_mode: Option<&str>, ssl_root_cert: Option<&str>) -> Target {
        Target {
            config,
            ssl_mode: ssl_mode.map(str::to_string),
            ssl_root_cert: ssl_root_cert.map(str::to_string),
        }
    }

    /// Where it connects, as a window shows it: its hosts (a socket by its folder), or "this
    /// computer" when the URL names none (libpq's default socket).
    pub fn server(&self) -> String {
        let hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(dir) => dir.display().to_string(),
            })
            .collect();
        if hosts.is_empty() {
            "this computer".to_string()
        } else {
            hosts.join(", ")
        }
    }

    /// The database it names (empty when the URL names none: the login's own).
    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// The configuration, to set the login, password or database before connecting.
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    /// The CA certificates this target's server must prove itself with, `None` for a Unix
    /// socket; or why the target is refused. Sends nothing.
    pub fn roots(&self) -> Result<Option<Roots>> {
        let hosts = self.config.get_hosts();
        let addrs = self.config.get_hostaddrs();
        let sockets = hosts.iter().filter(|h| tcp_name(h).is_none()).count();
        if hosts.is_empty() && addrs.is_empty() {
            return Err(Error::Refused(
                "the URL names no server: give a host name, or a socket directory such as \
                 host=/var/run/postgresql"
                    .to_string(),
            ));
        }
        if addrs.is_empty() && sockets == hosts.len() {
            // PostgreSQL answers no to TLS on a socket; sslmode and sslrootcert do not apply.
            return Ok(None);
        }
        if sockets > 0 {
            return Err(Error::Refused(
                "the URL mixes Unix sockets and network hosts; give one or the other".to_string(),
            ));
        }
        // With `hostaddr` the connection goes to the address and the certificate is checked
        // against the host name, so every address needs its name.
        if !addrs.is_empty() && hosts.len() != addrs.len() {
            return Err(Error::Refused(format!(
                "hostaddr={} needs the server's name in host= as well: its certificate is \
                 checked against that name",
                addrs[0]
            )));
        }
        match self.ssl_mode.as_deref() {
            // Unset means verify-full here (libpq's default, prefer, would fall back).
            None | Some("verify-full") => {}
            Some(mode @ ("disable" | "allow" | "prefer")) => {
                return Err(Error::Refused(format!(
                    "sslmode={mode} lets the connection fall back to plain text, which would \
                     send the password and the register unencrypted; {HOW}"
                )))
            }
            Some("require") => {
                return Err(Error::Refused(format!(
                    "sslmode=require encrypts but never checks that the server is the right \
                     one, so anyone on the way could pose as it and read the password and the \
                     register; {HOW}"
                )))
            }
            Some("verify-ca") => {
                return Err(Error::Refused(format!(
                    "sslmode=verify-ca checks who signed the server's certificate but not \
                     that it names this server, so any other server the same CA certified \
                     could pose as it; {HOW}"
                )))
            }
            Some(other) => {
                return Err(Error::Refused(format!(
                    "sslmode={other} is not a TLS mode PostgreSQL knows; {HOW}"
                )))
            }
        }
        match self.ssl_root_cert.as_deref() {
            None | Some("") => Err(Error::Refused(format!(
                "a connection over the network needs the CA file that signed the server's \
                 certificate (ask whoever runs the server for it); {HOW}"
            ))),
            Some("system") => Ok(Some(Roots::System)),
            Some(path) => Ok(Some(Roots::File(PathBuf::from(path)))),
        }
    }

    /// Connects, if the rule allows this target; see the module's documentation.
    pub fn connect(&self) -> Result<Client> {
        let Some(roots) = self.roots()? else {
            let mut config = self.config.clone();
            config.ssl_mode(SslMode::Disable);
            return Ok(config.connect(NoTls)?);
        };
        let connector = tls_connector(&roots)?;
        // `require` to the postgres crate: TLS or no connection. The checking is native-tls's,
        // which verifies the chain and the host name unless told not to, and is never told.
        let mut config = self.config.clone();
        config.ssl_mode(SslMode::Require);
        config
            .connect(MakeTlsConnector::new(connector))
            .map_err(|e| match tls_failure(&e) {
                Some(why) => Error::Refused(format!(
                    "the server could not prove it is {}: {why}; check that the URL names \
                     the server as its certificate does and that {} signed it",
                    self.config
                        .get_hosts()
                        .first()
                        .and_then(tcp_name)
                        .unwrap_or("the server"),
                    match &roots {
                        Roots::File(path) => format!("the CA in {}", path.display()),
                        Roots::System => "a CA this computer trusts".to_string(),
                    }
                )),
                None => Error::from(e),
            })
    }
}

/// A TLS client trusting only `roots`, and TLS 1.2 or newer.
fn tls_connector(roots: &Roots) -> Result<native_tls::TlsConnector> {
    let mut builder = native_tls::TlsConnector::builder();
    builder.min_protocol_version(Some(native_tls::Protocol::Tlsv12));
    if let Roots::File(path) = roots {
        let pem = std::fs::read(path).map_err(|e| {
            Error::Refused(format!("cannot read the CA file {}: {e}", path.display()))
        })?;
        let certs = native_tls::Certificate::stack_from_pem(&pem)
            .ok()
            .filter(|certs| !certs.is_empty())
            .ok_or_else(|| {
                Error::Refused(format!(
                    "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    path.display()
                ))
            })?;
        // Only the office's CA: a certificate some public CA gave anyone is not this server.
        builder.disable_built_in_roots(true);
        for cert in certs {
            builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| Error::Refused(format!("cannot set up TLS: {e}")))
}

/// The TLS library's reason, when a connection failed in the TLS handshake.
fn tls_failure(e: &postgres::Error) -> Option<String> {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(tls) = err.downcast_ref::<native_tls::Error>() {
            return Some(tls.to_string());
        }
        source = err.source();
    }
    None
}

/// Takes `sslmode` and `sslrootcert` out of a URL or key=value string: the rest, then the two
/// values.
fn take_tls_params(url: &str) -> Result<(String, Option<String>, Option<String>)> {
    let (rest, mut taken) = take_params(url, &["sslmode", "sslrootcert"])?;
    let root = taken.pop().flatten();
    let mode = taken.pop().flatten();
    Ok((rest, mode, root))
}

/// Takes the parameters named `keys` out of a URL's query or a key=value string: the rest, then
/// each key's value (the last one given), in the order of `keys`.
pub(crate) fn take_params(url: &str, keys: &[&str]) -> Result<(String, Vec<Option<String>>)> {
    let mut values = vec![None; keys.len()];
    let mut take = |key: &str, value: String| match keys.iter().position(|k| *k == key) {
        Some(i) => {
            values[i] = Some(value);
            true
        }
        None => false,
    };
    let rest = if is_url(url) {
        let Some((base, query)) = url.split_once('?') else {
            return Ok((url.to_string(), values));
        };
        let mut kept = Vec::new();
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if !take(&decode(key)?, decode(value)?.into_owned()) {
                kept.push(pair);
            }
        }
        if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        }
    } else {
        let mut kept = Vec::new();
        for (key, value) in key_values(url)? {
            if !take(&key, value.clone()) {
                kept.push(format!(
                    "{key}='{}'",
                    value.replace('\\', "\\\\").replace('\'', "\\'")
                ));
            }
        }
        kept.join(" ")
    };
    Ok((rest, values))
}

/// Whether `url` is a URL (else a libpq key=value string).
pub(crate) fn is_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

pub(crate) fn decode(s: &str) -> Result<Cow<'_, str>> {
    percent_decode_str(s)
        .decode_utf8()
        .map_err(|_| Error::Refused("the URL has a %-escape that is not UTF-8 text".to_string()))
}

/// The pairs of a libpq key=value string: `key = value`, the value bare or in single quotes,
/// with backslash escapes in either.
fn key_values(s: &str) -> Result<Vec<(String, String)>> {
    let bad =
        |why: &str| Error::Refused(format!("this is not a PostgreSQL connection string: {why}"));
    let mut pairs = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(bad(&format!("`{key}` has no `=`")));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let quoted = chars.next_if_eq(&'\'').is_some();
        let mut value = String::new();
        loop {
            match chars.next() {
                None if quoted => {
                    return Err(bad(&format!("the value of `{key}` has no closing '")))
                }
                None => break,
                Some('\'') if quoted => break,
                Some(c) if c.is_whitespace() && !quoted => break,
                Some('\\') => value.push(chars.next().ok_or_else(|| bad("it ends in \\"))?),
                Some(c) => value.push(c),
            }
        }
        pairs.push((key, value));
    }
}

/// The host name of a TCP host; `None` for a Unix socket.
#[cfg(unix)]
fn tcp_name(host: &Host) -> Option<&str> {
    match host {
        Host::Tcp(name) => Some(name),
        Host::Unix(_) => None,
    }
}

/// Every host is a TCP host where there are no Unix sockets.
#[cfg(not(unix))]
fn tcp_name(host: &Host) -> Option<&str> {
    let Host::Tcp(name) = host;
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(url: &str) -> String {
        match Target::parse(url).and_then(|t| t.roots()) {
            Err(Error::Refused(why)) => why,
            other => panic!("{url} was not refused: {other:?}"),
        }
    }

    fn roots(url: &str) -> Option<Roots> {
        Target::parse(url).and_then(|t| t.roots()).unwrap()
    }

    #[test]
    fn verify_full_with_a_ca_file_is_the_only_way_over_tcp() {
        let ca = Some(Roots::File("/etc/register/ca.crt".into()));
        assert_eq!(
            roots("postgresql://alice@db.example.org/register?sslmode=verify-full&sslrootcert=/etc/register/ca.crt"),
            ca
        );
        // Unset means verify-full, not libpq's prefer.
        assert_eq!(
            roots("postgresql://db.example.org/register?sslrootcert=%2Fetc%2Fregister%2Fca.crt"),
            ca
        );
        assert_eq!(
            roots("host=db.example.org dbname=register sslmode = verify-full sslrootcert='/etc/register/ca.crt'"),
            ca
        );
        assert_eq!(
            roots("postgresql://db.example.org/r?sslmode=verify-full&sslrootcert=system"),
            Some(Roots::System)
        );
    }

    #[test]
    fn plain_text_and_unchecked_tls_are_refused_before_connecting() {
        // Loopback too: another local user could be listening on the port.
        for host in ["db.example.org", "localhost", "127.0.0.1", "[::1]"] {
            for mode in ["disable", "allow", "prefer"] {
                let why = refusal(&format!(
                    "postgresql://alice@{host}/r?sslmode={mode}&sslrootcert=ca.crt"
                ));
                assert!(why.contains("fall back to plain text"), "{why}");
                assert!(why.contains("sslmode=verify-full"), "{why}");
            }
            let why = refusal(&format!(
                "postgresql://{host}/r?sslmode=require&sslrootcert=ca.crt"
            ));
            assert!(
                why.contains("never checks that the server is the right one"),
                "{why}"
            );
            let why = refusal(&format!(
                "postgresql://{host}/r?sslmode=verify-ca&sslrootcert=ca.crt"
            ));
            assert!(why.contains("not that it names this server"), "{why}");
            let why = refusal(&format!("postgresql://{host}/r?sslmode=verify-full"));
            assert!(why.contains("needs the CA file"), "{why}");
            let why = refusal(&format!("postgresql://{host}/r"));
            assert!(why.contains("needs the CA file"), "{why}");
        }
        let why = refusal("host=localhost user=alice sslmode=prefer");
        assert!(why.contains("sslmode=prefer"), "{why}");
        let why = refusal("postgresql://localhost/r?sslmode=bogus&sslrootcert=ca.crt");
        assert!(why.contains("not a TLS mode"), "{why}");
    }

    #[test]
    fn an_address_needs_its_name_for_the_certificate() {
        let why = refusal("hostaddr=10.0.0.1 user=alice sslrootcert=ca.crt");
        assert!(why.contains("host= as well"), "{why}");
        assert_eq!(
            roots("host=db.example.org hostaddr=10.0.0.1 sslrootcert=ca.crt"),
            Some(Roots::File("ca.crt".into()))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_unix_socket_needs_no_tls() {
        assert_eq!(
            roots("postgresql:///register?host=/var/run/postgresql"),
            None
        );
        assert_eq!(
            roots("postgresql://%2Fvar%2Frun%2Fpostgresql/register"),
            None
        );
        // PostgreSQL has no TLS on a socket, so a mode asking for plain text changes nothing.
        assert_eq!(roots("host=/tmp dbname=register sslmode=disable"), None);
        let why = refusal("host=/tmp,db.example.org dbname=register sslrootcert=ca.crt");
        assert!(why.contains("mixes"), "{why}");
        let why = refusal("postgresql:///register");
        assert!(why.contains("names no server"), "{why}");
    }

    #[test]
    fn the_rest_of_the_url_reaches_the_postgres_crate() {
        let t = Target::parse(
            "postgresql://alice:p%40ss@db.example.org:6543/register?sslmode=verify-full&application_name=ar&sslrootcert=ca.crt",
        )
        .unwrap();
        assert_eq!(t.config.get_user(), Some("alice"));
        assert_eq!(t.config.get_password(), Some(&b"p@ss"[..]));
        assert_eq!(t.config.get_ports(), &[6543]);
        assert_eq!(t.config.get_application_name(), Some("ar"));
        let t = Target::parse(r"host=db user=bob password='it\'s a \\ secret' sslrootcert=ca.crt")
            .unwrap();
        assert_eq!(t.config.get_password(), Some(&br"it's a \ secret"[..]));
        assert_eq!(t.ssl_root_cert.as_deref(), Some("ca.crt"));
        assert!(matches!(Target::parse("host='db"), Err(Error::Refused(_))));
        assert!(matches!(Target::parse("host"), Err(Error::Refused(_))));
    }

    #[test]
    fn a_missing_ca_file_is_refused_in_a_sentence() {
        let t =
            Target::parse("postgresql://db.example.org/r?sslrootcert=/nonexistent/ca.crt").unwrap();
        let Err(Error::Refused(why)) = t.connect() else {
            panic!("connected without a CA file");
        };
        assert!(
            why.contains("cannot read the CA file /nonexistent/ca.crt"),
            "{why}"
        );
    }
}
