//! The command line on a team register: the built `asset-register-cli` run against the test
//! server, as its owner (`team setup`, `team grant`) and as the logins it grants, through the
//! Unix socket and over TLS, with what it refuses. `.ci/pg` builds the binary before the
//! cluster starts; it is found beside this test binary's folder (or at `REGISTER_PG_TEST_CLI`).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output};

use register_core::audit::Source;
use register_pg::admin::Role;
use register_pg::{assets, audit, categories, licences, logins, people, schema};

use crate::util::{server_or_skip, socket_dir, tls_dir, TestRegister, PASSWORD};

/// The CLI binary, or `None` (after printing why) when it was not built.
fn cli_binary(test: &str) -> Option<PathBuf> {
    let path = match std::env::var_os("REGISTER_PG_TEST_CLI") {
        Some(p) => PathBuf::from(p),
        // target/debug/deps/pg-… → target/debug/asset-register-cli
        None => std::env::current_exe()
            .ok()?
            .parent()?
            .parent()?
            .join(format!(
                "asset-register-cli{}",
                std::env::consts::EXE_SUFFIX
            )),
    };
    if path.is_file() {
        return Some(path);
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: no CLI binary at {} (`cargo build -p asset-register-cli`; .ci/pg does)",
        path.display()
    );
    None
}

/// How the test logins reach the server: the socket URL and the TLS URL for a login and database
/// (without a password), or `None` when the server is not `.ci/pg`'s.
struct Urls {
    socket: String,
    port: String,
    ca: String,
}

impl Urls {
    fn from_env(test: &str) -> Option<Urls> {
        let (Some(socket), Some(tls), Ok(port)) =
            (socket_dir(), tls_dir(), std::env::var("PGPORT"))
        else {
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: needs .ci/pg's server (its socket and TLS set up)"
            );
            return None;
        };
        Some(Urls {
            socket,
            port,
            ca: format!("{tls}/ca.crt"),
        })
    }

    /// Through the Unix socket, as the issue spells it.
    fn socket(&self, login: &str, db: &str) -> String {
        format!(
            "postgresql://{login}@/{db}?host={}&port={}",
            self.socket, self.port
        )
    }

    /// Over TLS with the server's certificate checked.
    fn tls(&self, login: &str, db: &str) -> String {
        format!(
            "postgresql://{login}@localhost:{}/{db}?sslmode=verify-full&sslrootcert={}",
            self.port, self.ca
        )
    }
}

/// A run of the CLI: its status, stdout and stderr.
struct Run {
    ok: bool,
    out: String,
    err: String,
}

impl Run {
    fn ok(self) -> String {
        assert!(self.ok, "failed: {}\n{}", self.err, self.out);
        self.out
    }

    fn refused(self) -> String {
        assert!(!self.ok, "was not refused: {}", self.out);
        assert!(self.out.is_empty(), "printed before refusing: {}", self.out);
        self.err
    }
}

/// The same command line run on a register file and on the team register (as the login in
/// `team`'s URL, its password in `$PGPASSWORD`), to compare what each prints.
struct Twins<'a> {
    bin: &'a PathBuf,
    file: &'a str,
    team: &'a str,
}

impl Twins<'_> {
    /// Both runs: the file's, then the server's.
    fn both(&self, args: &[&str]) -> (Run, Run) {
        (
            run(self.bin, self.file, None, args),
            run(self.bin, self.team, Some(PASSWORD), args),
        )
    }

    /// Both succeed and print the same; the server's output.
    fn same(&self, args: &[&str]) -> String {
        let (in_file, on_server) = self.both(args);
        let (in_file, on_server) = (in_file.ok(), on_server.ok());
        assert_eq!(on_server, in_file, "{args:?}");
        on_server
    }

    /// Both succeed and print the same but for the times in it; the server's output.
    fn same_but_times(&self, args: &[&str]) -> String {
        let (in_file, on_server) = self.both(args);
        let (in_file, on_server) = (in_file.ok(), on_server.ok());
        assert_eq!(without_time(&on_server), without_time(&in_file), "{args:?}");
        on_server
    }

    /// Both are refused in the same words; the server's.
    fn same_refusal(&self, args: &[&str]) -> String {
        let (in_file, on_server) = self.both(args);
        let (in_file, on_server) = (in_file.refused(), on_server.refused());
        assert_eq!(on_server, in_file, "{args:?}");
        on_server
    }
}

/// Runs the CLI with `args`, `--db url`, and `$PGPASSWORD` set to `password` (unset with
/// `None`). No keychain is reachable here, so a password the URL lacks comes from the variable.
fn run(bin: &PathBuf, url: &str, password: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .args(["--db", url])
        .env_remove("ASSET_REGISTER_DB")
        .env_remove("PGPASSWORD")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run asset-register-cli");
    Run {
        ok: status.success(),
        out: String::from_utf8(stdout).unwrap(),
        err: String::from_utf8(stderr).unwrap(),
    }
}

/// The value after `label` on its line of `text` ("Events: 4" → "4").
fn line_value<'t>(text: &'t str, label: &str) -> &'t str {
    text.lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {text}"))
        .trim()
}

#[test]
fn the_cli_sets_up_grants_and_works_on_a_team_register() {
    let test = "the_cli_sets_up_grants_and_works_on_a_team_register";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::bare(server, "cli");
    let db = reg.database().to_string();
    let prefix = ["--prefix", &db];
    let owner_login = format!("{db}_owner");
    // The owner's password in the URL itself (percent-encoded), so no other source is needed.
    let owner = format!(
        "postgresql://{owner_login}:{}@/{db}?host={}&port={}",
        PASSWORD.replace('-', "%2D"),
        urls.socket,
        urls.port
    );

    // Setup, twice: the second run finds the work done and changes nothing.
    let said = run(
        &bin,
        &owner,
        None,
        &[&["team", "setup"][..], &prefix].concat(),
    )
    .ok();
    assert!(
        said.contains(&format!("schema version {}", schema::VERSION)),
        "{said}"
    );
    assert!(
        said.contains(&format!("{db}_viewer, {db}_editor, {db}_auditor")),
        "{said}"
    );
    run(
        &bin,
        &owner,
        None,
        &[&["team", "setup"][..], &prefix].concat(),
    )
    .ok();
    assert_eq!(schema::version(&mut reg.owner()).unwrap(), schema::VERSION);

    let alice = reg.create_login("alice");
    let vera = reg.create_login("vera");
    let grant = |login: &str, role: &str, person: Option<&str>| {
        let mut args = vec!["team", "grant", "--login", login, "--role", role];
        args.extend(prefix);
        if let Some(p) = person {
            args.extend(["--person", p]);
        }
        run(&bin, &owner, None, &args)
    };
    let said = grant(&alice, "editor", None).ok();
    assert!(
        said.contains("is now an editor") && said.contains("tied to no person"),
        "{said}"
    );

    // Alice, through the socket, password from $PGPASSWORD: adds herself and the others.
    let a_socket = urls.socket(&alice, &db);
    let a_tls = urls.tls(&alice, &db);
    let as_alice = |url: &str, args: &[&str]| run(&bin, url, Some(PASSWORD), args);
    for name in ["Alice Smith", "Vera Jones", "Lee Left"] {
        as_alice(&a_socket, &["person", "add", name]).ok();
    }
    as_alice(&a_socket, &["person", "leave", "Lee Left"]).ok();

    // Ties refused change nothing: no tie, no event, no role.
    let head = |reg: &TestRegister| audit::head(&mut reg.owner()).unwrap();
    let before = head(&reg);
    let why = grant(&vera, "viewer", Some("Nobody Here")).refused();
    assert!(
        why.contains("there is no person called Nobody Here"),
        "{why}"
    );
    let why = grant(&vera, "viewer", Some("lee left")).refused();
    assert!(why.contains("Lee Left left on "), "{why}");
    assert!(
        why.contains("cannot be tied to someone who has left"),
        "{why}"
    );
    assert_eq!(head(&reg), before);
    assert_eq!(logins::tie_of(&mut reg.owner(), &vera).unwrap(), None);
    let member: bool = reg
        .owner()
        .query_one(
            "SELECT pg_has_role($1, $2, 'MEMBER')",
            &[&vera, &format!("{db}_viewer")],
        )
        .unwrap()
        .get(0);
    assert!(!member, "a refused grant gave the role");

    // The ties, each with its event; granting again with the same person adds nothing.
    let said = grant(&alice, "editor", Some("alice smith")).ok();
    assert!(said.contains("signs in as Alice Smith"), "{said}");
    let said = grant(&vera, "viewer", Some("Vera Jones")).ok();
    assert!(
        said.contains("is now a viewer") && said.contains("Vera Jones"),
        "{said}"
    );
    let after_ties = head(&reg);
    assert_eq!(after_ties.0, before.0 + 2);
    grant(&alice, "editor", Some("Alice Smith")).ok();
    assert_eq!(head(&reg), after_ties);
    let why = grant(&alice, "editor", Some("Vera Jones")).refused();
    assert!(why.contains("is tied to Alice Smith already"), "{why}");
    assert_eq!(head(&reg), after_ties);

    // Alice's work, through the socket and over TLS.
    let said = as_alice(
        &a_socket,
        &[
            "add",
            "--tag",
            "IT-1",
            "--name",
            "Laptop 14",
            "--serial",
            "SN-1",
        ],
    )
    .ok();
    assert_eq!(said.trim(), "Added IT-1 (Laptop 14)");
    let said = as_alice(&a_tls, &["assign", "IT-1", "--person", "Sam Patel"]).ok();
    assert_eq!(said.trim(), "IT-1 assigned to Sam Patel");
    as_alice(&a_tls, &["add", "--tag", "IT-2", "--name", "Monitor"]).ok();
    let said = as_alice(&a_tls, &["move", "IT-2", "--location", "Leeds"]).ok();
    assert_eq!(said.trim(), "IT-2 moved to Leeds");
    let said = as_alice(&a_socket, &["list"]).ok();
    assert!(
        said.contains("IT-1") && said.contains("Sam Patel"),
        "{said}"
    );
    assert!(said.contains("2 asset(s)"), "{said}");
    let said = as_alice(&a_tls, &["list", "--search", "lapt"]).ok();
    assert!(said.contains("IT-1") && !said.contains("IT-2"), "{said}");
    let said = as_alice(&a_socket, &["list", "--search", "sn-1", "--json"]).ok();
    let found: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(found[0]["asset_tag"], "IT-1");
    assert_eq!(found[0]["assigned_to"], "Sam Patel");
    let said = as_alice(&a_tls, &["people"]).ok();
    assert!(said.contains("Sam Patel: 1 asset(s)"), "{said}");
    assert!(said.contains("Lee Left (left "), "{said}");
    let said = as_alice(&a_tls, &["locations"]).ok();
    assert!(said.contains("Leeds: 1 asset(s)"), "{said}");

    // Verify prints what the server's own verify computes.
    let said = as_alice(&a_tls, &["verify"]).ok();
    assert!(said.starts_with("Register verified: OK"), "{said}");
    let check = audit::verify_chain(&mut reg.connect_as(&alice)).unwrap();
    assert_eq!(line_value(&said, "Events:"), check.event_count.to_string());
    assert_eq!(line_value(&said, "Head hash:"), check.head_hash);
    assert_eq!(check.first_bad_event, None);
    // The history names the person beside the login; events are the CLI's.
    let said = as_alice(&a_socket, &["history", "IT-1"]).ok();
    assert!(
        said.contains(&format!(
            "[cli by {alice} (Alice Smith)] asset IT-1 created"
        )),
        "{said}"
    );
    assert!(said.contains("asset IT-1 assigned"), "{said}");
    let said = as_alice(&a_socket, &["history", "--json"]).ok();
    let events: serde_json::Value = serde_json::from_str(&said).unwrap();
    let tie = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["changes"][0]["field"] == "login" && e["label"] == "Vera Jones")
        .expect("the tie's event");
    assert_eq!(tie["kind"], "edited");
    assert_eq!(tie["actor"], owner_login.as_str());
    assert_eq!(tie["changes"][0]["new"], vera.as_str());

    // A viewer reads, and its write is refused with nothing changed.
    let v_tls = urls.tls(&vera, &db);
    let said = run(&bin, &v_tls, Some(PASSWORD), &["show", "IT-1"]).ok();
    assert!(said.contains("Sam Patel"), "{said}");
    let before = head(&reg);
    let why = run(
        &bin,
        &v_tls,
        Some(PASSWORD),
        &["add", "--tag", "IT-3", "--name", "Phone"],
    )
    .refused();
    assert!(why.contains("not allowed for this login"), "{why}");
    let why = run(
        &bin,
        &v_tls,
        Some(PASSWORD),
        &["person", "add", "Someone New"],
    )
    .refused();
    assert!(why.contains("not allowed for this login"), "{why}");
    assert_eq!(head(&reg), before);
    assert!(assets::find_asset(&mut reg.owner(), "IT-3").is_err());

    // A command not on the server yet is refused before anything is sent.
    let pdf = std::env::temp_dir().join(format!("{db}-report.pdf"));
    let why = as_alice(&a_tls, &["report", "--out", pdf.to_str().unwrap()]).refused();
    assert!(
        why.contains("`report` works on a register file only so far, not on a team register"),
        "{why}"
    );
    assert!(!pdf.exists());
    let why = as_alice(&a_tls, &["renewals"]).refused();
    assert!(
        why.contains("`renewals` works on a register file only so far"),
        "{why}"
    );
    assert_eq!(head(&reg), before);

    // No password anywhere: refused in a sentence, nothing sent but the sign-in.
    let why = run(&bin, &a_socket, None, &["list"]).refused();
    assert!(
        why.contains("the server asks for a password and none was found"),
        "{why}"
    );

    // The events on the server are the CLI's, written by who the tests say.
    let mut actors = Vec::new();
    audit::for_each_stored(&mut reg.owner(), |ev| {
        assert_eq!(ev.row.source, Source::Cli.as_str());
        actors.push(ev.actor);
    })
    .unwrap();
    assert!(
        actors.contains(&alice) && actors.contains(&owner_login),
        "{actors:?}"
    );
    assert!(!actors.contains(&vera));
}

#[test]
fn the_cli_refuses_urls_the_connection_rule_refuses() {
    let test = "the_cli_refuses_urls_the_connection_rule_refuses";
    // No server needed: these are refused before anything is sent.
    let Some(bin) = cli_binary(test) else {
        return;
    };
    let secret = "N0t-To-Be-Printed";
    let tcp = format!("postgresql://alice:{secret}@localhost:5432/register");
    let Err(register_pg::Error::Refused(rule)) = register_pg::connect(&tcp) else {
        panic!("connect accepted plain TCP");
    };
    let why = run(&bin, &tcp, None, &["list"]).refused();
    assert_eq!(why.trim(), format!("error: {rule}"));
    assert!(!why.contains(secret), "{why}");

    let bad = format!("postgresql://alice:{secret}@localhost:notaport/register");
    let why = run(&bin, &bad, None, &["list"]).refused();
    assert!(
        why.contains("this is not a PostgreSQL connection URL"),
        "{why}"
    );
    assert!(!why.contains(secret), "{why}");

    // An admin command given a file is refused too, and the file is not made.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let why = run(&bin, file.to_str().unwrap(), None, &["team", "setup"]).refused();
    assert!(
        why.contains("`team setup` works on a team register"),
        "{why}"
    );
    assert!(!file.exists());
}

/// Drops what differs between two stores for the same licence in `show --json` (each store's
/// clock), so the rest can be compared.
fn without_times(mut v: serde_json::Value) -> serde_json::Value {
    for field in ["created_at", "updated_at"] {
        v[field] = serde_json::Value::Null;
    }
    for seat in v["seat_holders"].as_array_mut().into_iter().flatten() {
        seat["assigned_at"] = serde_json::Value::Null;
    }
    v
}

/// The licence commands on a team register print what they print for a file: the same
/// licence life run on a register file and, as an editor, on the server gives the same lines
/// (the same JSON, but for the times), the same refusals, and the same history but for who
/// wrote it. A viewer reads licences and their keys and changes none; documents and renewals
/// are refused before anything is sent.
#[test]
fn the_licence_commands_print_on_a_team_register_what_they_print_for_a_file() {
    let test = "the_licence_commands_print_on_a_team_register_what_they_print_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "clilic");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let vera = reg.add_login("vera", Role::Viewer);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let both = |args: &[&str]| twins.both(args);
    let same = |args: &[&str]| twins.same(args);
    let same_refusal = |args: &[&str]| twins.same_refusal(args);

    let said = same(&[
        "licence",
        "add",
        "--product",
        "Figma",
        "--seats",
        "2",
        "--vendor",
        "Figma Inc",
        "--renewal",
        "2027-01-31",
        "--cost",
        "12.50",
        "--per-seat",
        "--period",
        "monthly",
        "--key",
        "FIGMA-KEY-0042",
    ]);
    assert_eq!(said.trim(), "Added licence #1 Figma (2 seats)");
    same(&["licence", "add", "--product", "Slack", "--seats", "1"]);
    let said = same(&[
        "licence",
        "assign",
        "figma",
        "Sam Patel",
        "--note",
        "design",
    ]);
    assert_eq!(
        said.trim(),
        "Sam Patel now has a seat of Figma (1 of 2 in use)"
    );
    same(&["licence", "assign", "#1", "Ana Ruiz"]);
    // Over-allocation, a second seat, a licence nobody has: refused in the same words.
    let why = same_refusal(&["licence", "assign", "Figma", "Bo Chen"]);
    assert!(why.contains("all 2 seats of Figma are in use"), "{why}");
    same_refusal(&["licence", "assign", "Slack", " "]);
    same_refusal(&["licence", "edit", "Figma", "--seats", "1"]);
    same_refusal(&["licence", "show", "Zoom"]);
    same_refusal(&["licence", "unassign", "Slack", "Sam Patel"]);
    same_refusal(&["licence", "archive", "Figma"]);

    let said = same(&["licence", "list"]);
    assert!(said.contains("2/2") && said.contains("•••• 0042"), "{said}");
    assert!(
        said.contains("12.50 per seat monthly (25.00 for 2 seats)"),
        "{said}"
    );
    same(&["licence", "show", "Figma"]);
    let said = same(&["licence", "show", "Figma", "--reveal-key"]);
    assert!(said.contains("Key       FIGMA-KEY-0042"), "{said}");
    let (in_file, on_server) = both(&["licence", "show", "Figma", "--json"]);
    let in_file: serde_json::Value = serde_json::from_str(&in_file.ok()).unwrap();
    let on_server: serde_json::Value = serde_json::from_str(&on_server.ok()).unwrap();
    assert_eq!(without_times(on_server), without_times(in_file));

    let said = same(&[
        "licence",
        "edit",
        "Figma",
        "--seats",
        "3",
        "--key",
        "FIGMA-KEY-9999",
    ]);
    assert_eq!(said.trim(), "Updated licence #1 Figma");
    let said = same(&["licence", "edit", "Figma", "--seats", "3"]);
    assert_eq!(said.trim(), "Figma: nothing changed");
    // The name as typed, as the file prints it.
    let said = same(&["licence", "unassign", "Figma", "sam patel"]);
    assert_eq!(
        said.trim(),
        "Released sam patel's seat of Figma (1 of 3 in use)"
    );
    let said = same(&["licence", "archive", "Slack", "--note", "cancelled"]);
    assert_eq!(
        said.trim(),
        "Archived licence #2 Slack; its history is kept"
    );
    same(&["licence", "list", "--all"]);
    let (in_file, on_server) = both(&["licence", "list", "--all", "--json"]);
    let each = |run: Run| -> Vec<serde_json::Value> {
        let list: Vec<serde_json::Value> = serde_json::from_str(&run.ok()).unwrap();
        list.into_iter().map(without_times).collect()
    };
    assert_eq!(each(on_server), each(in_file));
    same(&["people", "--json"]);

    // The same history, each event on the server naming the login that wrote it.
    let (in_file, on_server) = both(&["licence", "history", "Figma"]);
    let (in_file, on_server) = (in_file.ok(), on_server.ok());
    let tail = |line: &str, source: &str| {
        line.split_once(&format!("[{source}] "))
            .unwrap_or_else(|| panic!("no [{source}] in {line}"))
            .1
            .to_string()
    };
    let file_lines: Vec<String> = in_file.lines().map(|l| tail(l, "cli")).collect();
    let server_lines: Vec<String> = on_server
        .lines()
        .map(|l| tail(l, &format!("cli by {alice}")))
        .collect();
    assert_eq!(server_lines, file_lines);
    assert_eq!(
        file_lines,
        [
            "created; product: - -> Figma; vendor: - -> Figma Inc; seats: - -> 2; \
             renewal_date: - -> 2027-01-31; cost: - -> 12.50; cost_basis: total -> per_seat; \
             period: - -> monthly; licence_key: - -> •••• 0042",
            "seat_assigned; seat: - -> Sam Patel (note: design)",
            "seat_assigned; seat: - -> Ana Ruiz",
            "edited; seats: 2 -> 3; licence_key: •••• 0042 -> •••• 9999",
            "seat_released; seat: Sam Patel -> -",
        ]
    );
    let said = run(
        &bin,
        &team,
        Some(PASSWORD),
        &["licence", "history", "1", "--json"],
    )
    .ok();
    let events: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(events.as_array().unwrap().len(), 5);
    assert_eq!(events[0]["actor"], alice.as_str());
    assert!(!said.contains("FIGMA-KEY"), "{said}");

    // A viewer reads licences and keys, and changes nothing.
    let as_vera = |args: &[&str]| run(&bin, &urls.tls(&vera, &db), Some(PASSWORD), args);
    let said = as_vera(&["licence", "show", "Figma", "--reveal-key"]).ok();
    assert!(
        said.contains("FIGMA-KEY-9999") && said.contains("seat: Ana Ruiz"),
        "{said}"
    );
    let head = audit::head(&mut reg.owner()).unwrap();
    for args in [
        &["licence", "assign", "Figma", "Vera Jones"][..],
        &["licence", "add", "--product", "Zoom", "--seats", "1"],
        &["licence", "edit", "Figma", "--notes", "mine"],
        &["licence", "unassign", "Figma", "Ana Ruiz"],
    ] {
        let why = as_vera(args).refused();
        assert!(
            why.contains("not allowed for this login"),
            "{args:?}: {why}"
        );
    }
    // The renewals forecast is not on the server yet: refused before anything is sent.
    let why = run(&bin, &team, Some(PASSWORD), &["renewals"]).refused();
    assert!(
        why.contains("`renewals` works on a register file only so far"),
        "{why}"
    );
    assert_eq!(audit::head(&mut reg.owner()).unwrap(), head);
    let figma = licences::get_licence(&mut reg.owner(), 1).unwrap().licence;
    assert_eq!((figma.seats_used, figma.seats, figma.notes), (1, 3, None));
}

/// Restoring an archived asset, a category's depreciation default and replacement plan, and a
/// person's edit, leaving and rejoining (saved from the version read) on a team register print
/// what they print for a file, refuse what it refuses in its words, and record the same
/// history but for who wrote it.
#[test]
fn unarchive_category_and_person_commands_print_what_they_print_for_a_file() {
    let test = "unarchive_category_and_person_commands_print_what_they_print_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "cliplan");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let both = |args: &[&str]| twins.both(args);
    let same = |args: &[&str]| twins.same(args);
    let same_refusal = |args: &[&str]| twins.same_refusal(args);

    same(&[
        "add",
        "--tag",
        "IT-0001",
        "--name",
        "Laptop",
        "--category",
        "Laptops",
        "--serial",
        "SN1",
    ]);
    same(&["archive", "IT-0001"]);
    let said = same(&["unarchive", "it-0001", "--note", "found it"]);
    assert_eq!(said.trim(), "IT-0001 is back in the register (Available)");
    let why = same_refusal(&["unarchive", "IT-0001"]);
    assert!(why.contains("IT-0001 is not archived"), "{why}");

    let said = same(&[
        "category",
        " Laptops ",
        "--depreciation",
        "straight-line",
        "--life-months",
        "36",
        "--residual",
        "100",
    ]);
    assert_eq!(said.trim(), "Laptops: depreciation set");
    same_refusal(&["category", "Laptops", "--depreciation", "sideways"]);
    same(&[
        "category",
        "Phones",
        "--depreciation",
        "declining",
        "--rate",
        "25",
    ]);
    let said = same(&[
        "replacement",
        "category",
        "laptops",
        "--life-months",
        "48",
        "--replace-with",
        "1099.00",
    ]);
    assert_eq!(said.trim(), "Replacement plan for laptops saved");
    // The life not given is kept; "" clears the price.
    same(&["replacement", "category", "Laptops", "--replace-with", ""]);
    same_refusal(&["replacement", "category", "Laptops", "--life-months", "0"]);
    same_refusal(&[
        "replacement",
        "category",
        "Laptops",
        "--life-months",
        "four",
    ]);
    let plan = categories::find_category_plan(&mut reg.owner(), "Laptops")
        .unwrap()
        .unwrap();
    assert_eq!((plan.life_months, plan.replace_with), (Some(48), None));

    same(&["person", "add", "Sam Patel"]);
    let said = same(&["person", "edit", "sam patel", "--email", "sam@example.org"]);
    assert!(said.contains("Sam Patel"), "{said}");
    same(&["person", "leave", "Sam Patel", "--note", "moved on"]);
    same_refusal(&["person", "edit", "Sam Patel", "--email", "not an address"]);
    same(&["person", "rejoin", "Sam Patel"]);
    same(&["people", "--json"]);
    let sam = people::find_person(&mut reg.owner(), "Sam Patel")
        .unwrap()
        .unwrap();
    assert_eq!((sam.version, sam.person.active), (4, true));

    // The same history, each event on the server naming the login that wrote it.
    let (in_file, on_server) = both(&["history"]);
    let (in_file, on_server) = (in_file.ok(), on_server.ok());
    let tail = |line: &str, source: &str| {
        line.split_once(&format!("[{source}] "))
            .unwrap_or_else(|| panic!("no [{source}] in {line}"))
            .1
            .to_string()
    };
    let file_lines: Vec<String> = in_file.lines().map(|l| tail(l, "cli")).collect();
    let server_lines: Vec<String> = on_server
        .lines()
        .map(|l| tail(l, &format!("cli by {alice}")))
        .collect();
    assert_eq!(server_lines, file_lines);
    assert_eq!(file_lines.len(), 13, "{in_file}");
}

/// A line of `documents` without its time (each store's clock).
fn without_time(listing: &str) -> String {
    listing
        .lines()
        .map(|l| {
            l.split_whitespace()
                .filter(|w| !(w.len() > 20 && w.ends_with('Z') && w.contains('T')))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The document commands on a team register print what they print for a file: the same
/// attaches, listings, removal and verify, an asset's and a licence's, run on a register file
/// and, as an editor, on the server give the same lines but for the times; a copy saved from either has the attached
/// bytes; a viewer lists documents and attaches none, with nothing sent.
#[test]
fn the_document_commands_print_on_a_team_register_what_they_print_for_a_file() {
    let test = "the_document_commands_print_on_a_team_register_what_they_print_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "clidocs");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let vera = reg.add_login("vera", Role::Viewer);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let both = |args: &[&str]| twins.both(args);
    let same = |args: &[&str]| twins.same_but_times(args);
    let receipt = dir.path().join("Dell-receipt.pdf");
    std::fs::write(&receipt, b"%PDF-1.4 receipt").unwrap();
    let copy = dir.path().join("copy.pdf");
    std::fs::write(&copy, b"%PDF-1.4 receipt").unwrap();
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    let (receipt, copy, empty) = (
        receipt.to_str().unwrap(),
        copy.to_str().unwrap(),
        empty.to_str().unwrap(),
    );

    same(&["add", "--tag", "IT-1", "--name", "Laptop"]);
    let said = same(&["attach", "IT-1", receipt, copy, "--note", "bought"]);
    assert!(
        said.starts_with("Attached Dell-receipt.pdf to IT-1 as receipt (16 bytes, sha256 "),
        "{said}"
    );
    // An empty file among others: refused before any is attached, in the same words.
    let (in_file, on_server) = both(&["attach", "IT-1", receipt, empty]);
    let why = on_server.refused();
    assert_eq!(why, in_file.refused());
    assert!(why.contains("is empty"), "{why}");
    let said = same(&["documents", "IT-1"]);
    assert!(said.ends_with("2 document(s)\n"), "{said}");
    let (in_file, on_server) = both(&["documents", "IT-1", "--json"]);
    let strip = |s: String| {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        for d in v.as_array_mut().unwrap() {
            d["added_at"] = serde_json::Value::Null;
        }
        v
    };
    assert_eq!(strip(on_server.ok()), strip(in_file.ok()));
    let said = same(&["detach", "IT-1", "1", "--note", "duplicate"]);
    assert_eq!(said.trim(), "Removed Dell-receipt.pdf from IT-1");

    let saved = dir.path().join("saved.pdf");
    let said = run(
        &bin,
        &team,
        Some(PASSWORD),
        &[
            "save-document",
            "IT-1",
            "2",
            "--out",
            saved.to_str().unwrap(),
        ],
    )
    .ok();
    assert_eq!(
        said.trim(),
        format!("Saved copy.pdf to {}", saved.display())
    );
    assert_eq!(std::fs::read(&saved).unwrap(), b"%PDF-1.4 receipt");

    // A licence's documents too.
    same(&["licence", "add", "--product", "Figma", "--seats", "2"]);
    let said = same(&["licence", "attach", "figma", receipt, "--note", "invoice"]);
    assert!(
        said.starts_with("Attached Dell-receipt.pdf to Figma as document #3 (receipt, sha256 "),
        "{said}"
    );
    let said = same(&["licence", "documents", "Figma"]);
    assert!(said.ends_with("1 document(s)\n"), "{said}");
    let (in_file, on_server) = both(&["licence", "documents", "Figma", "--json"]);
    assert_eq!(strip(on_server.ok()), strip(in_file.ok()));
    let why = twins.same_refusal(&["licence", "attach", "Figma", empty]);
    assert!(why.contains("is empty"), "{why}");
    same(&["licence", "attach", "Figma", copy]);
    let said = same(&["licence", "detach", "Figma", "3"]);
    assert_eq!(said.trim(), "Removed Dell-receipt.pdf from Figma");

    let (in_file, on_server) = both(&["verify"]);
    let (in_file, on_server) = (in_file.ok(), on_server.ok());
    assert_eq!(line_value(&on_server, "Documents:"), "2, all unchanged");
    assert_eq!(line_value(&in_file, "Documents:"), "2, all unchanged");

    // A viewer lists documents and attaches none; nothing reaches the trail.
    let v_tls = urls.tls(&vera, &db);
    let said = run(&bin, &v_tls, Some(PASSWORD), &["documents", "IT-1"]).ok();
    assert!(said.contains("copy.pdf"), "{said}");
    let before = audit::head(&mut reg.owner()).unwrap();
    let why = run(&bin, &v_tls, Some(PASSWORD), &["attach", "IT-1", receipt]).refused();
    assert!(why.contains("not allowed for this login"), "{why}");
    assert_eq!(audit::head(&mut reg.owner()).unwrap(), before);
}

/// `team move-in` moves a register file in as the owner and prints both heads; `team export`
/// writes it back to a new file that verifies to the server's head (refused to a viewer);
/// `backup` on a team register writes the file's backup format, which `check-backup` takes.
#[test]
fn the_cli_moves_a_register_in_exports_it_and_backs_it_up() {
    let test = "the_cli_moves_a_register_in_exports_it_and_backs_it_up";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file_db = register_core::Db::open(&file).unwrap();
    for (tag, name) in [("IT-0001", "Laptop"), ("IT-0002", "Monitor")] {
        let input = register_core::AssetInput {
            asset_tag: tag.into(),
            name: name.into(),
            category: "Hardware".into(),
            ..Default::default()
        };
        file_db
            .write(Source::Cli, |tx| {
                register_core::assets::create_asset(tx, &input, None)
            })
            .unwrap();
    }
    let (events, file_head) = file_db.read(register_core::audit::head).unwrap();
    drop(file_db);

    let mut reg = TestRegister::new(server, "cli_move");
    let db = reg.database().to_string();
    let owner = format!(
        "postgresql://{db}_owner:{}@/{db}?host={}&port={}",
        PASSWORD.replace('-', "%2D"),
        urls.socket,
        urls.port
    );
    let from = file.to_str().unwrap();
    let said = run(
        &bin,
        &owner,
        None,
        &["team", "move-in", "--from", from, "--note", "moving day"],
    )
    .ok();
    assert!(
        said.contains("2 assets") && said.contains(&format!("{events} events")),
        "{said}"
    );
    assert_eq!(
        line_value(&said, "File head:"),
        format!("event {events}, {file_head}")
    );
    let server_head = audit::head(&mut reg.owner()).unwrap();
    assert_eq!(server_head.0, events + 1);
    assert!(
        line_value(&said, "Server head:")
            .starts_with(&format!("event {}, {}", server_head.0, server_head.1)),
        "{said}"
    );
    assert!(said.contains("marked as moved"), "{said}");
    // The file is marked: it opens read-only, saying where the register went, so no change
    // goes into it by mistake; it is never moved twice.
    let why = run(&bin, from, None, &["status", "IT-0001", "in_maintenance"]).refused();
    assert!(
        why.contains(&format!(
            "moved to the team register postgresql:///{db}?host="
        )),
        "{why}"
    );
    assert!(
        !why.contains("_owner"),
        "the owner's login is not kept: {why}"
    );
    let why = run(&bin, &owner, None, &["team", "move-in", "--from", from]).refused();
    assert!(why.contains("already moved"), "{why}");
    // A server that is not empty refuses a file all the same: the move of a file used again.
    run(&bin, from, None, &["use-again", "--note", "a second try"]).ok();
    let why = run(&bin, &owner, None, &["team", "move-in", "--from", from]).refused();
    assert!(why.contains("not empty"), "{why}");
    let said = run(&bin, from, None, &["status", "IT-0001", "in_maintenance"]).ok();
    assert!(said.contains("In Maintenance"), "{said}");
    let history = run(&bin, from, None, &["verify"]).ok();
    assert!(history.contains("Register verified: OK"), "{history}");
    // A missing file makes no empty register to move.
    let nowhere = dir.path().join("nowhere.db");
    let why = run(
        &bin,
        &owner,
        None,
        &["team", "move-in", "--from", nowhere.to_str().unwrap()],
    )
    .refused();
    assert!(why.contains("there is no register file"), "{why}");
    assert!(!nowhere.exists());
    assert_eq!(audit::head(&mut reg.owner()).unwrap(), server_head);

    // Back to a file, as an auditor; a viewer is refused.
    let auditor = reg.add_login("au", Role::Auditor);
    let viewer = reg.add_login("vi", Role::Viewer);
    let back = dir.path().join("back.db");
    let to = back.to_str().unwrap();
    let why = run(
        &bin,
        &urls.socket(&viewer, &db),
        Some(PASSWORD),
        &["team", "export", "--to", to],
    )
    .refused();
    assert!(why.contains("cannot read the audit trail"), "{why}");
    let said = run(
        &bin,
        &urls.tls(&auditor, &db),
        Some(PASSWORD),
        &["team", "export", "--to", to],
    )
    .ok();
    assert_eq!(
        line_value(&said, "Head:"),
        format!(
            "event {}, {} (the file verifies to the server's head)",
            server_head.0, server_head.1
        )
    );
    let verified = run(&bin, to, None, &["verify"]).ok();
    assert!(verified.contains(&server_head.1), "{verified}");
    assert!(verified.contains("Register verified: OK"), "{verified}");

    // A backup of the team register, checked as any backup is.
    let archive = dir.path().join("team.backup");
    let out = archive.to_str().unwrap();
    let said = run(
        &bin,
        &urls.socket(&auditor, &db),
        Some(PASSWORD),
        &["backup", "--out", out],
    )
    .ok();
    assert!(
        said.contains(&format!("{} events, head {}", server_head.0, server_head.1)),
        "{said}"
    );
    run(&bin, to, None, &["check-backup", out]).ok();
}

/// The stocktake commands on a team register print what they print for a file: the same
/// stocktake started, scanned (arguments and standard input, a move to where it was found),
/// listed and finished on a register file and, as an editor, on the server gives the same
/// lines; a second start and a finished stocktake are refused; the report PDF is refused
/// before anything is sent.
#[test]
fn the_stocktake_commands_print_on_a_team_register_what_they_print_for_a_file() {
    let test = "the_stocktake_commands_print_on_a_team_register_what_they_print_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "clist");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    for (tag, room) in [("IT-1", "Room 1"), ("IT-2", "Room 2"), ("IT-3", "Room 1")] {
        twins.same(&["add", "--tag", tag, "--name", "Laptop"]);
        twins.same(&["assign", tag, "--location", room]);
    }
    let said = twins.same(&[
        "stocktake",
        "start",
        "--name",
        "Q4",
        "--by",
        "Alex",
        "--location",
        "Room 1",
        "--date",
        "2026-12-01",
    ]);
    assert!(
        said.starts_with("Stocktake #1 “Q4” (Room 1), 2026-12-01 by Alex: open"),
        "{said}"
    );
    // The server's refusal says also who started the open one, and when.
    let (in_file, on_server) =
        twins.both(&["stocktake", "start", "--name", "Again", "--by", "Alex"]);
    let (in_file, on_server) = (in_file.refused(), on_server.refused());
    assert!(
        in_file.contains("“Q4” is still open: finish it"),
        "{in_file}"
    );
    assert!(
        on_server.contains(&format!("“Q4” is still open, started by {alice} at ")),
        "{on_server}"
    );
    let said = twins.same(&["stocktake", "scan", "it-1", "IT-2", "NEW-7", "--move"]);
    assert!(
        said.contains("IT-2: found elsewhere (the register has it at Room 2); moved to Room 1"),
        "{said}"
    );
    assert!(
        said.contains("NEW-7: unexpected: No asset in the register has this tag"),
        "{said}"
    );
    let said = twins.same(&["stocktake", "status", "--list", "not-seen"]);
    assert!(said.contains("IT-3"), "{said}");
    let said = twins.same(&["stocktake", "finish", "--lost", "IT-3", "--note", "gone"]);
    assert!(said.contains("missing 1 (Lost/Stolen 1)"), "{said}");
    let said = twins.same(&["stocktake", "scan", "IT-3", "--id", "1"]);
    assert!(
        said.contains("IT-3: not recorded: the stocktake “Q4” is finished; start a new one"),
        "{said}"
    );
    let why = run(
        &bin,
        &team,
        Some(PASSWORD),
        &["stocktake", "report", "--out", "/tmp/x.pdf"],
    )
    .refused();
    assert!(
        why.contains("`stocktake report` works on a register file only so far"),
        "{why}"
    );
}

/// The import commands on a team register print what they print for a file: the dry run, the
/// import, the list of imports and the undo, the refusals of a file with errors and of an undo
/// done already; `export` is refused on the server, naming itself.
#[test]
fn the_import_commands_print_on_a_team_register_what_they_print_for_a_file() {
    let test = "the_import_commands_print_on_a_team_register_what_they_print_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "cliimport");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let team = urls.socket(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let csv = dir.path().join("stock.csv");
    std::fs::write(&csv, crate::imports::make_csv(0, 25)).unwrap();
    let csv = csv.to_str().unwrap();

    let said = twins.same(&["import", csv, "--dry-run"]);
    assert!(
        said.starts_with("Dry run, nothing written. 25 rows in stock.csv"),
        "{said}"
    );
    twins.same(&["import", csv, "--dry-run", "--json"]);
    let said = twins.same(&["import", csv]);
    assert!(
        said.starts_with("Imported stock.csv (import #1, sha256 "),
        "{said}"
    );
    assert!(said.contains("25 created"), "{said}");
    let said = twins.same_but_times(&["imports"]);
    assert!(said.contains("stock.csv (25 created, 0 updated)"), "{said}");
    twins.same(&["import", csv, "--json"]);
    let said = twins.same(&["undo-import", "1"]);
    assert!(said.starts_with("Undid import #1: "), "{said}");
    let why = twins.same_refusal(&["undo-import", "1"]);
    assert!(why.contains("already undone"), "{why}");

    // A file with a row in error: the plan printed, then the same refusal, nothing written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        crate::imports::make_csv(100, 103)
            + "IT-900000,Bad,Laptop,Dell,X,SNBAD,2020-01-01,twelve,CDW,2021-01-01,Available,,,\n",
    )
    .unwrap();
    let (in_file, on_server) = twins.both(&["import", bad.to_str().unwrap()]);
    assert!(!in_file.ok && !on_server.ok);
    assert_eq!((on_server.out, on_server.err), (in_file.out, in_file.err));
    twins.same_but_times(&["imports"]);

    let (_, on_server) = twins.both(&["export"]);
    let why = on_server.refused();
    assert!(why.contains("works on a register file only"), "{why}");
    let check = audit::verify_chain(&mut reg.owner()).unwrap();
    assert_eq!(check.first_bad_event, None);
}

#[test]
fn offboard_prints_on_a_team_register_what_it_prints_for_a_file() {
    let test = "offboard_prints_on_a_team_register_what_it_prints_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "clioff");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let same = |args: &[&str]| twins.same(args);
    let same_refusal = |args: &[&str]| twins.same_refusal(args);

    for (tag, serial) in [("IT-2", "SN2"), ("IT-1", "SN1")] {
        same(&["add", "--tag", tag, "--name", "Laptop", "--serial", serial]);
        same(&["assign", tag, "--person", "Sam Patel"]);
    }
    same(&["licence", "add", "--product", "Figma", "--seats", "2"]);
    same(&["licence", "assign", "Figma", "Sam Patel"]);

    let said = same(&["offboard", "sam patel"]);
    assert_eq!(
        said,
        "Sam Patel holds 2 asset(s) and 1 licence seat(s):\n  [ ] IT-1         Laptop  serial \
         SN1\n  [ ] IT-2         Laptop  serial SN2\n  [ ] licence seat: Figma\n"
    );
    let (in_file, on_server) = twins.both(&["offboard", "Sam Patel", "--json"]);
    let json = |out: String| {
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        for a in v["assets"].as_array_mut().unwrap() {
            a["created_at"] = serde_json::Value::Null;
            a["updated_at"] = serde_json::Value::Null;
        }
        for s in v["licence_seats"].as_array_mut().unwrap() {
            s["assigned_at"] = serde_json::Value::Null;
        }
        v
    };
    assert_eq!(json(on_server.ok()), json(in_file.ok()));
    same_refusal(&["offboard", "Nobody"]);

    // The printable checklist is the file's only: refused before anything is read.
    let pdf = dir.path().join("sam.pdf");
    let pdf = pdf.to_str().unwrap();
    let why = run(
        &bin,
        &team,
        Some(PASSWORD),
        &["offboard", "Sam Patel", "--pdf", pdf],
    )
    .refused();
    assert!(
        why.contains("`offboard --pdf` works on a register file only so far"),
        "{why}"
    );
    assert!(!std::path::Path::new(pdf).exists());
    run(&bin, file, None, &["offboard", "Sam Patel", "--pdf", pdf]).ok();

    let head = audit::head(&mut reg.owner()).unwrap().0;
    let said = same(&[
        "offboard",
        "Sam Patel",
        "--return-all",
        "--location",
        "Store room",
        "--note",
        "leaving",
    ]);
    assert_eq!(
        said.trim(),
        "Returned 2 asset(s) and released 1 licence seat(s) from Sam Patel"
    );
    // The place, two returns, the seat released.
    assert_eq!(audit::head(&mut reg.owner()).unwrap().0, head + 4);
    let why = same_refusal(&[
        "offboard",
        "Sam Patel",
        "--return-all",
        "--location",
        "Store room",
    ]);
    assert!(why.contains("Sam Patel holds nothing to return"), "{why}");
    same(&["offboard", "Sam Patel"]);
    same(&["list"]);
}

#[test]
fn offboarding_steps_print_on_a_team_register_what_they_print_for_a_file() {
    let test = "offboarding_steps_print_on_a_team_register_what_they_print_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "clioffsteps");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let file = path.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let same = |args: &[&str]| twins.same(args);
    let same_refusal = |args: &[&str]| twins.same_refusal(args);

    for (tag, serial) in [("IT-1", "SN1"), ("IT-2", "SN2")] {
        same(&["add", "--tag", tag, "--name", "Laptop", "--serial", serial]);
        same(&["assign", tag, "--person", "Kim Lo"]);
    }
    same(&["licence", "add", "--product", "Slack", "--seats", "2"]);
    same(&["licence", "assign", "Slack", "Kim Lo"]);

    let said = same(&[
        "offboard",
        "Kim Lo",
        "--start",
        "2026-12-31",
        "--note",
        "moving",
    ]);
    assert_eq!(
        said,
        "Kim Lo: offboarding open, leaving on 2026-12-31; 3 of 3 item(s) still held\n  [ ] IT-1 \
         Laptop  SN1\n  [ ] IT-2 Laptop  SN2\n  [ ] Slack (licence seat)  -\n"
    );
    // A second start: the server also says who started the first, and when.
    let (in_file, on_server) = twins.both(&["offboard", "Kim Lo", "--start", "2027-01-01"]);
    let (in_file, on_server) = (in_file.refused(), on_server.refused());
    assert!(
        in_file.contains("Kim Lo's offboarding is already open (leaving on 2026-12-31)"),
        "{in_file}"
    );
    assert!(
        on_server.starts_with(in_file.trim_end())
            && on_server.contains(&format!(", started by {alice} at ")),
        "{on_server}"
    );
    let why = same_refusal(&["offboard", "Kim Lo", "--finish"]);
    assert!(
        why.contains("Kim Lo still holds 2 assets and 1 licence seat"),
        "{why}"
    );
    same_refusal(&["offboard", "Kim Lo", "--resolve", "IT-2", "--missing"]);
    same_refusal(&[
        "offboard",
        "Kim Lo",
        "--resolve-seat",
        "Slack",
        "--missing",
        "--note",
        "?",
    ]);
    same_refusal(&["offboard", "Kim Lo", "--resolve", "IT-9"]);
    same_refusal(&["offboard", "Kim Lo", "--to", "Ana Ruiz"]);
    same_refusal(&["offboard", "Nobody", "--start", "2026-12-31"]);

    same(&[
        "offboard",
        "Kim Lo",
        "--resolve",
        "it-1",
        "--location",
        "Store room",
    ]);
    same(&[
        "offboard",
        "Kim Lo",
        "--resolve",
        "IT-2",
        "--missing",
        "--note",
        "not returned",
    ]);
    same(&[
        "offboard",
        "Kim Lo",
        "--resolve-seat",
        "Slack",
        "--to",
        "Ana Ruiz",
    ]);
    let said = same(&["offboard", "Kim Lo", "--finish", "--note", "all done"]);
    assert_eq!(
        said,
        "Kim Lo: offboarded, left on 2026-12-31; 0 of 3 item(s) still held\n  [x] IT-1 Laptop  \
         returned: Store room\n  [x] IT-2 Laptop  missing: not returned\n  [x] Slack (licence \
         seat)  reassigned: Ana Ruiz\n"
    );
    same_refusal(&["offboard", "Kim Lo", "--start", "2027-01-01"]);

    // Ana's, started and cancelled, as JSON: the same but for each store's times.
    same(&["offboard", "Ana Ruiz", "--start", "2027-02-28"]);
    // Open offboardings: the same, but for when each store started it; the server also says
    // who did.
    let (in_file, on_server) = twins.both(&["offboardings"]);
    let (in_file, on_server) = (in_file.ok(), on_server.ok());
    let started_by = format!("  started by {alice}");
    let untimed = |out: &str| -> String {
        out.lines()
            .map(|l| match (l.find("open since"), l.find(" UTC")) {
                (Some(a), Some(b)) => format!("{}{}", &l[..a], &l[b + 4..]),
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        untimed(&on_server.replace(&started_by, "")),
        untimed(&in_file),
        "{on_server}"
    );
    assert!(
        on_server.starts_with("Ana Ruiz                 leaving on 2027-02-28  open since ")
            && on_server.contains(&format!("1 item(s) still held{started_by}\n")),
        "{on_server}"
    );
    let (in_file, on_server) = twins.both(&["offboardings", "--json"]);
    let listed = |out: String| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        for o in v.as_array_mut().unwrap() {
            o["started_at"] = serde_json::Value::Null;
            o.as_object_mut().unwrap().remove("started_by");
        }
        v
    };
    assert_eq!(listed(on_server.ok()), listed(in_file.ok()));
    let (in_file, on_server) = twins.both(&["offboard", "Ana Ruiz", "--cancel", "--json"]);
    let json = |out: String| {
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["offboarding"]["started_at"] = serde_json::Value::Null;
        v["offboarding"]["finished_at"] = serde_json::Value::Null;
        v
    };
    let on_server = json(on_server.ok());
    assert_eq!(on_server, json(in_file.ok()));
    assert_eq!(on_server["unresolved"], 1);

    // The same events in both, written by alice on the server.
    let file_db = register_core::Db::open(&path).unwrap();
    crate::util::assert_same_events(&file_db, &mut reg.connect_as(&alice), &alice);
}

#[test]
fn dispose_and_disposals_print_on_a_team_register_what_they_print_for_a_file() {
    let test = "dispose_and_disposals_print_on_a_team_register_what_they_print_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "clidisp");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let same = |args: &[&str]| twins.same(args);
    let same_refusal = |args: &[&str]| twins.same_refusal(args);
    let cert = dir.path().join("wipe-certificate.pdf");
    std::fs::write(&cert, b"%PDF-1.4 wiped").unwrap();
    let cert = cert.to_str().unwrap();

    for (tag, serial) in [("IT-1", "SN1"), ("IT-2", "SN2"), ("IT-3", "SN3")] {
        same(&["add", "--tag", tag, "--name", "Laptop", "--serial", serial]);
    }
    same(&["status", "IT-3", "retired"]);
    let said = same(&[
        "dispose",
        "IT-1",
        "--method",
        "recycled",
        "--date",
        "2025-03-01",
        "--to",
        "GreenIT",
        "--wipe-method",
        "NIST 800-88 purge",
        "--certificate",
        cert,
    ]);
    assert_eq!(
        said,
        "IT-1: recycled on 2025-03-01 to GreenIT\n  certificate wipe-certificate.pdf attached\n"
    );
    same(&[
        "dispose",
        "IT-2",
        "--method",
        "sold",
        "--date",
        "2025-04-01",
    ]);
    // A correction, and one that changes nothing.
    same(&[
        "dispose",
        "IT-2",
        "--method",
        "sold",
        "--date",
        "2025-04-02",
    ]);
    let why = same_refusal(&[
        "dispose",
        "IT-2",
        "--method",
        "sold",
        "--date",
        "2025-04-02",
    ]);
    assert!(why.contains("already says exactly this"), "{why}");
    same_refusal(&["dispose", "IT-3", "--method", "burned"]);
    same_refusal(&[
        "dispose",
        "IT-3",
        "--method",
        "sold",
        "--date",
        "2999-01-01",
    ]);
    same_refusal(&["dispose", "NOPE", "--method", "sold"]);
    let said = same(&["disposals"]);
    assert!(
        said.contains("Retired without a disposal record: 1\n  IT-3"),
        "{said}"
    );
    let (in_file, on_server) = twins.both(&["disposals", "--json"]);
    let json = |out: String| {
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        for d in v["disposals"].as_array_mut().unwrap() {
            d["recorded_at"] = serde_json::Value::Null;
            if d["certificate"].is_object() {
                d["certificate"]["added_at"] = serde_json::Value::Null;
            }
        }
        for o in v["retired_without_disposal"].as_array_mut().unwrap() {
            o["retired_at"] = serde_json::Value::Null;
        }
        v
    };
    assert_eq!(json(on_server.ok()), json(in_file.ok()));
    same(&["list"]);
}

#[test]
fn purchase_prints_on_a_team_register_what_it_prints_for_a_file() {
    let test = "purchase_prints_on_a_team_register_what_it_prints_for_a_file";
    let server = server_or_skip!(test);
    let (Some(bin), Some(urls)) = (cli_binary(test), Urls::from_env(test)) else {
        return;
    };
    let mut reg = TestRegister::new(server, "clibuy");
    let db = reg.database().to_string();
    let alice = reg.add_login("alice", Role::Editor);
    let team = urls.tls(&alice, &db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.db");
    let file = file.to_str().unwrap();
    let twins = Twins {
        bin: &bin,
        file,
        team: &team,
    };
    let receipt = dir.path().join("order 4412.pdf");
    std::fs::write(&receipt, b"%PDF-1.4 order").unwrap();
    let receipt = receipt.to_str().unwrap();

    twins.same(&[
        "add", "--tag", "IT-0041", "--name", "Laptop", "--serial", "SN1",
    ]);
    let said = twins.same(&[
        "purchase",
        "--supplier",
        "Dell UK",
        "--date",
        "2026-11-20",
        "--warranty-months",
        "36",
        "--receipt",
        receipt,
        "--item",
        "name=Dell P2723DE;serial=CN1;cost=289.99",
        "--item",
        "name=Dell P2723DE;serial=CN2;cost=289.99",
    ]);
    assert!(
        said.starts_with("IT-0042  Dell P2723DE  serial CN1  289.99\n")
            && said.ends_with("Recorded 2 asset(s); order 4412.pdf attached to each\n"),
        "{said}"
    );
    // Every problem listed on stderr, the same, and nothing recorded.
    let head = audit::head(&mut reg.owner()).unwrap();
    let (in_file, on_server) = twins.both(&[
        "purchase",
        "--date",
        "2026-11-20",
        "--item",
        "name=Dell;serial=SN1;cost=1",
        "--item",
        "serial=CN9;cost=1",
    ]);
    assert_eq!(on_server.refused(), in_file.refused());
    assert_eq!(audit::head(&mut reg.owner()).unwrap(), head);
    twins.same(&["list"]);
}
