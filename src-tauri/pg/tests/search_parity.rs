//! Search finds the same assets in both stores: a file register built through the core, its
//! assets copied to the server, and a long list of typed searches (prefixes, serials, accents,
//! punctuation, hostile text) compared tag for tag.

use std::collections::BTreeSet;

use postgres::Client;
use register_core::assets::{
    archive_asset, assign_asset, create_asset, list_assets, move_to_location,
};
use register_core::audit::Source;
use register_core::{Asset, AssetInput, Db, Holder, ListQuery};
use register_pg::admin::Role;
use register_pg::assets::search_assets;

use crate::util::{server_or_skip, TestRegister};

/// (tag, name, serial, make, model, notes, holder, archived)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<Holder>,
    bool,
);

fn person(name: &str) -> Option<Holder> {
    Some(Holder::Person(name.into()))
}

fn place(name: &str) -> Option<Holder> {
    Some(Holder::Location(name.into()))
}

fn rows() -> Vec<Row> {
    vec![
        (
            "IT-0042",
            "Laptop",
            "5CG1234XYZ",
            "HP",
            "EliteBook 840 G8",
            "",
            person("Chloë Brontë"),
            false,
        ),
        (
            "IT-0043",
            "Laptop",
            "5CG1299ABC",
            "HP",
            "EliteBook 840 G9",
            "spare",
            None,
            false,
        ),
        (
            "IT-0044",
            "Monitor 27\"",
            "CN-0ABC-123",
            "Dell",
            "U2720Q",
            "",
            place("Łódź office"),
            false,
        ),
        (
            "IT-0045",
            "Dock (USB-C)",
            "SN/77-88.9",
            "Lenovo",
            "ThinkPad Dock",
            "",
            person("Jürgen Groß"),
            false,
        ),
        (
            "it-0100",
            "Phone",
            "F17XK2",
            "Apple",
            "iPhone 13",
            "screen cracked; see ticket #4411",
            person("Zoë O'Brien"),
            false,
        ),
        (
            "IT-0101",
            "Café laptop",
            "R90ZZ",
            "Lenovo",
            "T14s",
            "e-mail jo.smith@example.com",
            None,
            false,
        ),
        (
            "IT-0102",
            "Old laptop",
            "5CG0000OLD",
            "HP",
            "ProBook",
            "",
            person("Chloë Brontë"),
            true,
        ),
        (
            "IT-0103",
            "Retired phone",
            "OLD123",
            "Apple",
            "iPhone 8",
            "",
            None,
            true,
        ),
        (
            "NET-01",
            "Switch",
            "FOC1234X0AB",
            "Cisco",
            "C9200-24P",
            "rack A, U12",
            place("Server room"),
            false,
        ),
        (
            "NET-02",
            "Router",
            "3.14-159",
            "Ubiquiti",
            "EdgeRouter X",
            "v1.2.3 firmware",
            None,
            false,
        ),
        (
            "FURN-7",
            "Desk",
            "",
            "",
            "",
            "standing desk – oak",
            person("José Núñez"),
            false,
        ),
        (
            "FURN-8",
            "Chair",
            "",
            "Herman Miller",
            "Aeron",
            "size B ½ price",
            place("Åre cabin"),
            false,
        ),
        (
            "AV-1",
            "Projector",
            "ÆØÅ-9",
            "Epson",
            "EB-W49",
            "naïve façade coöperate",
            None,
            false,
        ),
        (
            "AV-2",
            "Камера",
            "ЖК-55",
            "Sony",
            "α7 III",
            "Ёлка",
            person("Ἀθηνᾶ Παππᾶ"),
            false,
        ),
        (
            "AV-3",
            "カメラ",
            "JP-3",
            "Canon",
            "EOS R",
            "東京 office",
            None,
            false,
        ),
        (
            "X-1",
            "A & B, C:D",
            "a:b&c|d",
            "!",
            "(x)",
            "'; DROP TABLE assets; --",
            None,
            false,
        ),
        (
            "X-2",
            "x",
            "",
            "",
            "",
            "under_score and trailing-hyphen- word",
            None,
            false,
        ),
        (
            "X-3",
            "İstanbul kit",
            "IS-1",
            "",
            "",
            "ﬁnance ligature",
            person("Đorđe Łukasz"),
            false,
        ),
        (
            "X-4",
            "Rene\u{301}e's kit",
            "",
            "",
            "",
            "Man\u{303}ana room Ⅻ ① x² \u{E000}pua",
            None,
            false,
        ),
    ]
}

/// The file register with the rows above, and every asset in it (archived ones included).
fn file_register() -> (Db, Vec<Asset>) {
    let db = Db::open_in_memory().unwrap();
    for (tag, name, serial, make, model, notes, holder, archived) in rows() {
        db.write(Source::App, |tx| {
            let input = AssetInput {
                asset_tag: tag.into(),
                name: name.into(),
                category: "Kit".into(),
                make: make.into(),
                model: model.into(),
                serial_number: serial.into(),
                notes: notes.into(),
                ..Default::default()
            };
            let asset = create_asset(tx, &input, None)?;
            match &holder {
                Some(Holder::Location(l)) => {
                    move_to_location(tx, asset.id, l, None)?;
                }
                Some(h) => {
                    assign_asset(tx, asset.id, h, None)?;
                }
                None => {}
            }
            if archived {
                archive_asset(tx, asset.id, None)?;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("create {tag}: {e}"));
    }
    let all = file_search(&db, None, true);
    assert_eq!(all.len(), rows().len());
    let assets = all
        .iter()
        .map(|tag| {
            db.read(|c| register_core::assets::find_asset(c, tag))
                .unwrap()
        })
        .collect();
    (db, assets)
}

/// The tags the file's list finds for `search`.
fn file_search(db: &Db, search: Option<&str>, include_archived: bool) -> Vec<String> {
    let q = ListQuery {
        search: search.map(str::to_string),
        include_archived,
        limit: Some(1000),
        ..Default::default()
    };
    db.read(|c| list_assets(c, &q))
        .unwrap()
        .assets
        .into_iter()
        .map(|a| a.asset_tag)
        .collect()
}

/// Copies the file's assets into the server's table as they are (ids, names, archival), with
/// the people and locations they name (the file's ids) and their categories (by name).
fn copy_assets(client: &mut Client, assets: &[Asset]) {
    let mut tx = client.transaction().unwrap();
    for a in assets {
        for (table, id, name) in [
            ("people", a.person_id, &a.assigned_to),
            ("locations", a.location_id, &a.location),
        ] {
            if let (Some(id), Some(name)) = (id, name) {
                tx.execute(
                    &format!(
                        "INSERT INTO {table} (id, name, created_at) VALUES ($1, $2, now())
                         ON CONFLICT DO NOTHING"
                    ),
                    &[&id, name],
                )
                .unwrap();
            }
        }
        if let Some(category) = &a.category {
            tx.execute(
                "INSERT INTO categories (name, created_at) VALUES ($1, now())
                 ON CONFLICT DO NOTHING",
                &[category],
            )
            .unwrap();
        }
        tx.execute(
            "INSERT INTO assets (id, asset_tag, name, category_name, make, model, serial_number,
                                 notes, status, person_name, location_name, archived_at,
                                 created_at, updated_at, person_id, location_id, category_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                     CASE WHEN $12 THEN $14::text::timestamptz END, $13::text::timestamptz,
                     $14::text::timestamptz, $15, $16,
                     (SELECT id FROM categories WHERE name = $4))",
            &[
                &a.id,
                &a.asset_tag,
                &a.name,
                &a.category,
                &a.make,
                &a.model,
                &a.serial_number,
                &a.notes,
                &a.status.as_str(),
                &a.assigned_to,
                &a.location,
                &a.archived,
                &a.created_at,
                &a.updated_at,
                &a.person_id,
                &a.location_id,
            ],
        )
        .unwrap_or_else(|e| panic!("copy {}: {e:?}", a.asset_tag));
    }
    tx.commit().unwrap();
}

/// Typed searches: tag and serial prefixes, accents typed and not, several words, punctuation
/// only, empty, and text that is syntax in one query language or the other.
const SEARCHES: &[&str] = &[
    "",
    " ",
    "it",
    "IT",
    "it-",
    "IT-004",
    "it 0042",
    "IT-0042",
    "0042",
    "004",
    "0",
    "it-01",
    "net",
    "NET-0",
    "furn",
    "av",
    "x",
    "5",
    "5cg",
    "5CG12",
    "5CG1234",
    "1234",
    "XYZ",
    "cn-0abc",
    "0abc",
    "123",
    "sn/77",
    "77",
    "88.9",
    "9",
    "f17",
    "k2",
    "r90",
    "foc",
    "3.14",
    "3",
    "14",
    "159",
    "old",
    "5CG0000",
    "laptop",
    "LAPTOP",
    "lap top",
    "laptop hp",
    "hp laptop g8",
    "elitebook 840",
    "840 g9",
    "g",
    "monitor 27",
    "27\"",
    "dock usb",
    "usb-c",
    "(usb",
    "c)",
    "cafe",
    "café",
    "CAFÉ",
    "caf",
    "chloë",
    "chloe",
    "Chloe Bronte",
    "brontë",
    "bron",
    "jürgen",
    "jurgen",
    "juergen",
    "groß",
    "gross",
    "gro",
    "łódź",
    "Łódź",
    "lodz",
    "Lodz",
    "łodz",
    "lódź",
    "office",
    "zoë",
    "zoe",
    "o'brien",
    "obrien",
    "brien",
    "o",
    "josé",
    "jose",
    "núñez",
    "nunez",
    "åre",
    "are",
    "ære",
    "æø",
    "aeo",
    "ae",
    "ø",
    "o",
    "naive",
    "naïve",
    "facade",
    "coop",
    "cooperate",
    "½",
    "1",
    "2",
    "price",
    "камера",
    "КАМЕРА",
    "кам",
    "жк",
    "ёлка",
    "елка",
    "α7",
    "α",
    "a7",
    "αθηνα",
    "ἀθηνᾶ",
    "αθηνᾶ",
    "παππα",
    "カメラ",
    "カ",
    "東京",
    "東",
    "istanbul",
    "İstanbul",
    "i̇stanbul",
    "đorđe",
    "dorde",
    "djordje",
    "łukasz",
    "lukasz",
    "ﬁnance",
    "finance",
    "fi",
    "ligature",
    "under",
    "score",
    "under_score",
    "trailing",
    "hyphen",
    "jo",
    "smith",
    "example",
    "com",
    "jo.smith@example.com",
    "e-mail",
    "mail",
    "ticket",
    "#4411",
    "4411",
    "rack a",
    "u12",
    "c9200",
    "24p",
    "v1",
    "1.2.3",
    "firmware",
    "desk oak",
    "oak",
    "–",
    "!",
    "?",
    "&",
    "|",
    "a:* & b",
    "a:*",
    "\"unbalanced ( OR",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    "'; DROP TABLE assets; --",
    "drop table",
    "--",
    "*",
    "\"",
    "'",
    "\\",
    "(x)",
    "x)",
    "a & b",
    "a|b",
    "c:d",
    "a:b&c|d",
    "b",
    "d",
    "!",
    "<->",
    "a <-> b",
    "a:*b",
    "\u{0}",
    "\u{345}",
    "e\u{301}",
    "cafe\u{301}",
    "\u{1F600}",
    "kit",
    "spare",
    "retired",
    "phone",
    "iphone 8",
    "iphone",
    "xk",
    "zz",
    "zzz",
    "renee",
    "renée",
    "rene\u{301}e",
    "manana",
    "mañana",
    "Ⅻ",
    "ⅻ",
    "①",
    "x²",
    "²",
    "\u{E000}",
    "\u{E000}pua",
    "pua",
];

#[test]
fn search_finds_the_same_assets_in_both_stores() {
    let server = server_or_skip!("search_finds_the_same_assets_in_both_stores");
    let (db, assets) = file_register();
    let mut reg = TestRegister::new(server, "search");
    let editor = reg.add_login("copier", Role::Editor);
    copy_assets(&mut reg.connect_as(&editor), &assets);
    let viewer = reg.add_login("reader", Role::Viewer);
    let mut client = reg.connect_as(&viewer);

    let mut differences = Vec::new();
    for search in SEARCHES {
        let file: BTreeSet<String> = file_search(&db, Some(search), false).into_iter().collect();
        let server: BTreeSet<String> = search_assets(&mut client, search, 1000)
            .unwrap_or_else(|e| panic!("search {search:?}: {e}"))
            .into_iter()
            .map(|f| f.asset_tag)
            .collect();
        if file != server {
            differences.push(format!(
                "{search:?}: only in the file {:?}, only on the server {:?}",
                file.difference(&server).collect::<Vec<_>>(),
                server.difference(&file).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} searches differ:\n{}",
        differences.len(),
        SEARCHES.len(),
        differences.join("\n")
    );
}

/// A benchmark, not a check: search at 100k assets (the issue asks p95 ≤ 10 ms), the figures
/// printed. Run with `bash .ci/pg -- --ignored --nocapture bench_search`.
#[test]
#[ignore]
fn bench_search_100k() {
    let server = server_or_skip!("bench_search_100k");
    let reg = TestRegister::new(server, "benchsearch");
    let mut owner = reg.owner();
    let started = std::time::Instant::now();
    // One statement on the server: 100k assets, 1 in 20 archived, names and serials varied.
    owner
        .batch_execute(
            "INSERT INTO people (id, name, created_at)
             SELECT p + 1, 'Person ' || p || ' Brontë', now() FROM generate_series(0, 1999) AS p;
             INSERT INTO locations (id, name, created_at)
             SELECT o + 1, 'Office ' || o, now() FROM generate_series(0, 39) AS o;
             INSERT INTO assets (id, asset_tag, name, make, model, serial_number, notes, status,
                                 person_id, person_name, location_id, location_name, archived_at,
                                 created_at, updated_at)
             SELECT i, 'IT-' || lpad(i::text, 6, '0'),
                    (ARRAY['Laptop', 'Monitor', 'Phone', 'Dock', 'Chair'])[1 + i % 5] || ' ' || i,
                    (ARRAY['HP', 'Dell', 'Lenovo', 'Apple', 'Café Ltd'])[1 + i % 7 % 5],
                    'Model ' || (i % 300), upper(md5(i::text)), 'bought in batch ' || (i % 97),
                    'available', 1 + i % 2000, 'Person ' || (i % 2000) || ' Brontë',
                    1 + i % 40, 'Office ' || (i % 40),
                    CASE WHEN i % 20 = 0 THEN now() END, now(), now()
               FROM generate_series(1, 100000) AS i;
             ANALYZE assets;",
        )
        .unwrap();
    println!(
        "bench: inserted 100k assets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let searches = [
        "laptop",
        "IT-0421",
        "it 05",
        "brontë",
        "bronte person 17",
        "cafe",
        "A3F",
        "model 12",
        "office 3 dock",
        "zzz",
        "",
        "lap",
        "person 1999",
        "batch 96 hp",
        "monitor 4242",
    ];
    for search in searches {
        let mut times: Vec<f64> = (0..40)
            .map(|_| {
                let t = std::time::Instant::now();
                search_assets(&mut owner, search, 100).unwrap();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let found = search_assets(&mut owner, search, 100).unwrap().len();
        println!(
            "bench: search {search:?}: p50 {:.2} ms, p95 {:.2} ms ({found} shown)",
            times[times.len() / 2],
            times[times.len() * 95 / 100]
        );
    }
}
