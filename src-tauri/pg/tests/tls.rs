//! How connections are protected, against the real server `.ci/pg` starts: TLS on with a
//! certificate for `localhost` and 127.0.0.1 signed by a throw-away CA, and password sign-in on
//! the Unix socket. Each test skips (and says so) when that setup is missing.

use std::io::Write;

use postgres::Client;
use register_pg::connect::{connect, Target};
use register_pg::Error;

use crate::util::{socket_dir, tls_dir};

/// The superuser's key=value connection string for `host` with `extra`, or `None` (after
/// printing why) without the TLS setup.
fn conninfo(test: &str, host: &str, extra: &str) -> Option<String> {
    let (Some(_), Ok(port), Ok(user), Ok(password)) = (
        tls_dir(),
        std::env::var("PGPORT"),
        std::env::var("PGUSER"),
        std::env::var("PGPASSWORD"),
    ) else {
        let _ = writeln!(
            std::io::stderr(),
            "skipped {test}: no TLS test server (run `bash .ci/pg`)"
        );
        return None;
    };
    Some(format!(
        "host={host} port={port} user={user} password='{password}' dbname=postgres {extra}"
    ))
}

fn uses_tls(client: &mut Client) -> bool {
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

fn refusal(conninfo: &str) -> String {
    match connect(conninfo) {
        Err(Error::Refused(why)) => why,
        Err(e) => panic!("{conninfo}: refused with another error: {e}"),
        Ok(_) => panic!("{conninfo}: connected"),
    }
}

#[test]
fn verify_full_with_the_right_ca_connects_over_tls() {
    let ca = format!("{}/ca.crt", tls_dir().unwrap_or_default());
    for host in ["localhost", "127.0.0.1"] {
        let test = "verify_full_with_the_right_ca_connects_over_tls";
        let Some(info) = conninfo(test, host, &format!("sslmode=verify-full sslrootcert={ca}"))
        else {
            return;
        };
        let mut client = connect(&info).expect("connect with verify-full");
        assert!(uses_tls(&mut client), "{host}: the connection is not TLS");
    }
    // The same as a URL, with sslmode left out (verify-full is the default here).
    let (port, user, password) = (
        std::env::var("PGPORT").unwrap(),
        std::env::var("PGUSER").unwrap(),
        std::env::var("PGPASSWORD").unwrap(),
    );
    let url = format!("postgresql://{user}:{password}@localhost:{port}/postgres?sslrootcert={ca}");
    assert!(uses_tls(&mut connect(&url).expect("connect by URL")));
}

#[test]
fn a_certificate_from_another_ca_is_refused() {
    let other = format!("{}/other-ca.crt", tls_dir().unwrap_or_default());
    let Some(info) = conninfo(
        "a_certificate_from_another_ca_is_refused",
        "localhost",
        &format!("sslrootcert={other}"),
    ) else {
        return;
    };
    let why = refusal(&info);
    assert!(why.contains("could not prove it is localhost"), "{why}");
    assert!(why.contains("other-ca.crt"), "{why}");
}

#[test]
fn a_host_name_not_in_the_certificate_is_refused() {
    let ca = format!("{}/ca.crt", tls_dir().unwrap_or_default());
    // The right server at the right address, under a name its certificate does not give.
    let Some(info) = conninfo(
        "a_host_name_not_in_the_certificate_is_refused",
        "not-in-the-certificate.invalid",
        &format!("hostaddr=127.0.0.1 sslrootcert={ca}"),
    ) else {
        return;
    };
    let why = refusal(&info);
    assert!(
        why.contains("could not prove it is not-in-the-certificate.invalid"),
        "{why}"
    );
}

#[test]
fn plain_text_modes_are_refused_before_connecting() {
    let ca = format!("{}/ca.crt", tls_dir().unwrap_or_default());
    for mode in ["disable", "allow", "prefer"] {
        let Some(info) = conninfo(
            "plain_text_modes_are_refused_before_connecting",
            "localhost",
            &format!("sslmode={mode} sslrootcert={ca}"),
        ) else {
            return;
        };
        let why = refusal(&info);
        assert!(why.contains("fall back to plain text"), "{why}");
    }
    // The same server takes plain text from a client that allows it: the refusal is ours.
    let Some(info) = conninfo("plain_text", "localhost", "sslmode=disable") else {
        return;
    };
    let mut config: postgres::Config = info.parse().unwrap();
    config.ssl_mode(postgres::config::SslMode::Disable);
    let mut plain = config
        .connect(postgres::NoTls)
        .expect("plain text to the test server");
    assert!(!uses_tls(&mut plain));
}

#[test]
fn a_unix_socket_connects_without_tls() {
    let Some(dir) = socket_dir() else {
        let _ = writeln!(
            std::io::stderr(),
            "skipped a_unix_socket_connects_without_tls: no socket sign-in (run `bash .ci/pg`)"
        );
        return;
    };
    let Some(info) = conninfo("a_unix_socket_connects_without_tls", &dir, "") else {
        return;
    };
    let target = Target::parse(&info).unwrap();
    assert_eq!(target.roots().unwrap(), None);
    let mut client = target.connect().expect("connect through the socket");
    assert!(!uses_tls(&mut client));
    let addr: Option<String> = client
        .query_one("SELECT inet_client_addr()::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(addr, None, "not a Unix socket");
}
