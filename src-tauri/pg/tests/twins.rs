//! One office's register built twice by the same changes: in a file through the core, and on a
//! test server through register_pg, for the tests that read both and compare (the list, the
//! history, Home). Assets in every status, with and without costs, warranties past, soon and
//! later than [`TODAY`], held by people (one renamed since) and at places, one archived, some with documents;
//! licences renewing past, soon and later, one seat given.

use std::path::Path;

use chrono::NaiveDate;
use register_core::assets as core_assets;
use register_core::audit::Source;
use register_core::documents::{self as core_docs, DocumentStore, Owner};
use register_core::licences::{self as core_licences, LicenceInput};
use register_core::people::{self as core_people, PersonInput};
use register_core::{AssetInput, Connection, Db, Holder, Status};
use register_pg::admin::Role;
use register_pg::{assets, documents, licences, people, Client};
use tempfile::TempDir;

use crate::util::TestRegister;

/// The day the register is read on.
pub const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 12, 3) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The same register in a file and on the server.
pub struct Twins {
    /// The file register.
    pub db: Db,
    /// An editor's connection to the team register.
    pub ed: Client,
    /// The editor's login.
    pub editor: String,
    /// The team register (dropped last: it drops the database).
    pub reg: TestRegister,
    _dir: TempDir,
}

/// (tag, name, category, make, model, serial, bought, cost, warranty, notes)
type New = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const ASSETS: &[New] = &[
    (
        "IT-0001",
        "Laptop",
        "Laptop",
        "HP",
        "EliteBook 840",
        "5CG1234",
        "2023-01-10",
        "1,234.50",
        "2026-12-20",
        "spare charger",
    ),
    (
        "it-0002",
        "monitor",
        "Monitor",
        "Dell",
        "U2720Q",
        "CN-0ABC",
        "2022-05-01",
        "300",
        "2026-11-01",
        "",
    ),
    (
        "IT-0003",
        "Phone",
        "Phone",
        "Apple",
        "iPhone 13",
        "F17XK2",
        "",
        "",
        "2027-06-01",
        "",
    ),
    (
        "NET-01",
        "Switch",
        "network",
        "cisco",
        "C9200",
        "FOC123",
        "2021-03-03",
        "5000",
        "",
        "rack A",
    ),
    (
        "IT-0004",
        "Dock",
        " laptop ",
        "Lenovo",
        "",
        "",
        "",
        "89.99",
        "2026-12-10",
        "",
    ),
    (
        "IT-0005",
        "Old laptop",
        "Laptop",
        "HP",
        "ProBook",
        "5CG0000OLD",
        "2019-02-02",
        "800",
        "2020-02-02",
        "",
    ),
    (
        "IT-0006",
        "Retired phone",
        "Phone",
        "Apple",
        "iPhone 8",
        "",
        "2018-06-06",
        "500",
        "",
        "",
    ),
    (
        "IT-0007",
        "Lost tablet",
        "Tablet",
        "Apple",
        "iPad",
        "DMP1",
        "2024-04-04",
        "450",
        "2026-12-31",
        "",
    ),
    (
        "IT-0008",
        "Printer",
        "",
        "Brother",
        "HL-L2350",
        "E7",
        "",
        "120",
        "2025-01-01",
        "toner low",
    ),
];

fn input(a: &New) -> AssetInput {
    let (asset_tag, name, category, make, model, serial, bought, cost, warranty, notes) = *a;
    AssetInput {
        asset_tag: asset_tag.into(),
        name: name.into(),
        category: category.into(),
        make: make.into(),
        model: model.into(),
        serial_number: serial.into(),
        purchase_date: bought.into(),
        purchase_cost: cost.into(),
        warranty_expires: warranty.into(),
        notes: notes.into(),
        ..Default::default()
    }
}

const PEOPLE: &[&str] = &["Sam Patel", "ana ruiz", "Zed Old"];

/// (product, seats, renewal, cost)
const LICENCES: &[(&str, &str, &str, &str)] = &[
    ("Figma", "2", "2026-12-15", "144.00"),
    ("Office 365", "10", "2027-09-01", "990"),
    ("Old tool", "1", "2026-10-01", ""),
    ("Slack", "5", "2026-12-31", "60"),
];

fn licence(l: &(&str, &str, &str, &str)) -> LicenceInput {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    LicenceInput {
        product: text(l.0),
        seats: text(l.1),
        renewal_date: text(l.2),
        cost: text(l.3),
        ..Default::default()
    }
}

fn holders() -> Vec<(&'static str, Holder)> {
    vec![
        ("IT-0001", Holder::Person("Sam Patel".into())),
        (
            "it-0002",
            Holder::PersonAt {
                person: "ana ruiz".into(),
                location: "Leeds".into(),
            },
        ),
        ("IT-0003", Holder::Person("Zed Old".into())),
    ]
}

/// Person 2, "ana ruiz", after they were given it-0002.
fn renamed() -> PersonInput {
    PersonInput {
        name: "Ana Ruiz-Lopez".into(),
        email: "ana@example.org".into(),
        department: "Finance".into(),
    }
}

const STATUSES: &[(&str, Status)] = &[
    ("IT-0006", Status::Retired),
    ("IT-0007", Status::LostStolen),
    ("IT-0008", Status::InMaintenance),
];

const SEEN: &str = "UPDATE assets SET last_seen = '2026-11-30' WHERE asset_tag = 'IT-0001';
     UPDATE assets SET last_seen = '2026-12-02' WHERE asset_tag = 'NET-01';";

/// The file twin, built at `path` (its documents beside it).
pub fn build_file(path: &Path) -> Db {
    let db = Db::open(path).unwrap();
    let store = DocumentStore::for_register(path);
    let app = Source::App;
    let id = |tag: &str| db.read(|c| core_assets::find_asset(c, tag)).unwrap().id;
    for name in PEOPLE {
        let p = PersonInput {
            name: name.to_string(),
            ..Default::default()
        };
        db.write(app, |tx| core_people::create_person(tx, &p))
            .unwrap();
    }
    for a in ASSETS {
        db.write(app, |tx| core_assets::create_asset(tx, &input(a), None))
            .unwrap();
    }
    for (tag, to) in holders() {
        let id = id(tag);
        db.write(app, |tx| {
            core_assets::assign_asset(tx, id, &to, Some("handed over"))
        })
        .unwrap();
    }
    let ana = renamed();
    db.write(app, |tx| core_people::update_person(tx, 2, &ana))
        .unwrap();
    let net = id("NET-01");
    db.write(app, |tx| {
        core_assets::move_to_location(tx, net, "Server room", None)
    })
    .unwrap();
    for (tag, status) in STATUSES {
        let id = id(tag);
        db.write(app, |tx| core_assets::change_status(tx, id, *status, None))
            .unwrap();
    }
    let old = id("IT-0005");
    db.write(app, |tx| core_assets::archive_asset(tx, old, Some("sold")))
        .unwrap();
    for l in LICENCES {
        db.write(app, |tx| {
            core_licences::create_licence(tx, &licence(l), None)
        })
        .unwrap();
    }
    db.write(app, |tx| {
        core_licences::assign_seat(tx, 1, "Sam Patel", None)
    })
    .unwrap();
    let uploads = path.with_file_name("uploads");
    std::fs::create_dir_all(&uploads).unwrap();
    for (owner, name, bytes) in documents_attached() {
        let file = uploads.join(name);
        std::fs::write(&file, bytes).unwrap();
        core_docs::attach_file_to(&db, &store, app, owner, &file, None, None).unwrap();
    }
    Connection::open(path).unwrap().execute_batch(SEEN).unwrap();
    db
}

fn documents_attached() -> Vec<(Owner, &'static str, &'static [u8])> {
    vec![
        (Owner::Asset(1), "receipt.pdf", b"%PDF-1.4 receipt"),
        (Owner::Asset(1), "warranty.pdf", b"%PDF-1.4 warranty"),
        (Owner::Asset(3), "invoice.pdf", b"%PDF-1.4 invoice"),
    ]
}

fn build_server(ed: &mut Client) {
    let app = Source::App;
    let current = |ed: &mut Client, tag: &str| {
        let v = assets::find_asset(ed, tag).unwrap();
        (v.asset.id, v.version)
    };
    for name in PEOPLE {
        let p = PersonInput {
            name: name.to_string(),
            ..Default::default()
        };
        register_pg::write(ed, app, |tx| people::create_person(tx, &p)).unwrap();
    }
    for a in ASSETS {
        register_pg::write(ed, app, |tx| assets::create_asset(tx, &input(a), None)).unwrap();
    }
    for (tag, to) in holders() {
        let (id, read) = current(ed, tag);
        register_pg::write(ed, app, |tx| {
            assets::assign_asset(tx, id, read, &to, Some("handed over"))
        })
        .unwrap();
    }
    let read = people::get_person(ed, 2).unwrap().version;
    register_pg::write(ed, app, |tx| people::update_person(tx, 2, read, &renamed())).unwrap();
    let (net, read) = current(ed, "NET-01");
    register_pg::write(ed, app, |tx| {
        assets::move_to_location(tx, net, read, "Server room", None)
    })
    .unwrap();
    for (tag, status) in STATUSES {
        let (id, read) = current(ed, tag);
        register_pg::write(ed, app, |tx| {
            assets::change_status(tx, id, read, *status, None)
        })
        .unwrap();
    }
    let (old, read) = current(ed, "IT-0005");
    register_pg::write(ed, app, |tx| {
        assets::archive_asset(tx, old, read, Some("sold"))
    })
    .unwrap();
    for l in LICENCES {
        register_pg::write(ed, app, |tx| {
            licences::create_licence(tx, &licence(l), None)
        })
        .unwrap();
    }
    register_pg::write(ed, app, |tx| {
        licences::assign_seat(tx, 1, "Sam Patel", None)
    })
    .unwrap();
    for (owner, name, bytes) in documents_attached() {
        register_pg::write(ed, app, |tx| {
            documents::attach_document(tx, owner, name, bytes, None, None)
        })
        .unwrap();
    }
}

/// Builds the twins, or `None` (after saying why) when there is no test server.
pub fn twins(name: &str) -> Option<Twins> {
    let server = crate::util::server(name)?;
    let mut reg = TestRegister::new(server, name);
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let dir = tempfile::tempdir().unwrap();
    let db = build_file(&dir.path().join("register.db"));
    build_server(&mut ed);
    reg.owner().batch_execute(SEEN).unwrap();
    Some(Twins {
        db,
        ed,
        editor,
        reg,
        _dir: dir,
    })
}
