//! Opening a connection to a team register from a `postgresql://` URL (or a libpq key=value
//! string). Owns the rule on plain-text connections; knows nothing of the schema.
//!
//! TLS is not built yet, so a TCP connection is allowed only to this machine (a loopback
//! address or `localhost`) and a Unix socket; anything else is refused instead of sending the
//! password and the register in plain text.

use std::net::IpAddr;

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

use crate::error::{Error, Result};

/// Connects to the team register at `url`.
pub fn connect(url: &str) -> Result<Client> {
    let config: Config = url
        .parse()
        .map_err(|e| Error::Refused(format!("this is not a PostgreSQL connection URL: {e}")))?;
    connect_with(&config)
}

/// Connects with an already parsed configuration (the tests build one from libpq's variables).
pub fn connect_with(config: &Config) -> Result<Client> {
    // `hostaddr`, when given, is where the connection really goes (the host name is then only
    // for checks), so it is held to the same rule.
    let addrs = config.get_hostaddrs().iter().map(IpAddr::to_string);
    let names = config
        .get_hosts()
        .iter()
        .filter_map(tcp_name)
        .map(str::to_string);
    for name in names.chain(addrs) {
        if !is_this_machine(&name) {
            return Err(Error::Refused(format!(
                "connecting to {name} needs TLS, which this version cannot use yet; \
                 connect to a server on this machine or through its Unix socket"
            )));
        }
    }
    Ok(config.connect(NoTls)?)
}

/// The host name of a TCP host; `None` for a Unix socket, which never leaves the machine.
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

fn is_this_machine(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_refused_beyond_this_machine() {
        let Err(err) = connect("postgresql://alice@db.example.org/register") else {
            panic!("a plain-text connection to another machine was allowed");
        };
        assert!(
            matches!(err, Error::Refused(ref m) if m.contains("needs TLS")),
            "{err}"
        );
        assert!(is_this_machine("localhost"));
        assert!(is_this_machine("127.0.0.1"));
        assert!(is_this_machine("::1"));
        assert!(!is_this_machine("10.0.0.1"));
        let Err(err) = connect("host=localhost hostaddr=10.0.0.1 user=alice") else {
            panic!("a plain-text connection to another address was allowed");
        };
        assert!(
            matches!(err, Error::Refused(ref m) if m.contains("10.0.0.1")),
            "{err}"
        );
    }
}
