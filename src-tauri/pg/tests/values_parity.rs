//! An asset's depreciation and replacement cards, the Value page and the replacement plan read
//! the same from both stores: one register built twice (see `twins`), then given the same
//! depreciation defaults, own methods, own lives, category plans and inflation, including
//! changes of mind and settings that change nothing. Every read is compared on several days;
//! the events are the same and re-hash to the same head; the refusals are the same in the same
//! words; an asset's method or life is an asset change, moving its version on and refused
//! over a newer one; viewers and auditors read all of it and change none.

use chrono::NaiveDate;
use register_core::assets as core_assets;
use register_core::audit::Source;
use register_core::depreciation::{self as core_depreciation, Method};
use register_core::replacements as core_replacements;
use register_core::values::Money;
use register_core::Db;
use register_pg::admin::Role;
use register_pg::{assets, categories, depreciation, replacements, Client, Error};

use crate::twins::{twins, TODAY};
use crate::util::assert_same_events;

const STRAIGHT: Method = Method::StraightLine {
    life_months: 36,
    residual: 10_000,
};
const DECLINING: Method = Method::Declining { rate_bp: 2_500 };
const SIXTY: Method = Method::StraightLine {
    life_months: 60,
    residual: 0,
};
const NONE: Method = Method::None;

/// One change, applied to either store; assets by tag.
#[derive(Clone)]
enum Step {
    Defaults(Vec<(&'static str, Method)>),
    Method(&'static str, Option<Method>),
    Life(&'static str, Option<u32>),
    Plan(&'static str, Option<u32>, Option<i64>),
    Inflation(&'static str),
}

/// An office setting up its values, changing its mind, and changes that change nothing.
fn steps() -> Vec<Step> {
    use Step::*;
    vec![
        Defaults(vec![
            ("Laptop", STRAIGHT),
            ("monitor", DECLINING),
            ("Docks", STRAIGHT),
        ]),
        Method("IT-0001", Some(DECLINING)),
        Method("NET-01", Some(SIXTY)),
        Method("NET-01", None),
        // Already following its category: nothing written.
        Method("it-0002", None),
        Method("IT-0008", Some(NONE)),
        Life("it-0002", Some(60)),
        Life("IT-0001", Some(24)),
        Life("IT-0001", Some(24)),
        Life("NET-01", Some(120)),
        Life("NET-01", None),
        Plan("Laptop", Some(48), Some(109_900)),
        Plan("Phone", Some(30), None),
        Inflation("2.5"),
        Inflation("2.50 %"),
        Inflation("3"),
    ]
}

/// Changes both stores must refuse, in the same words, changing nothing.
fn refused() -> Vec<Step> {
    use Step::*;
    vec![
        Life("IT-0001", Some(0)),
        Life("IT-0001", Some(601)),
        Inflation("101"),
        Inflation("2.555"),
        Inflation("lots"),
        // IT-0005 is archived.
        Method("IT-0005", Some(STRAIGHT)),
        Life("IT-0005", Some(12)),
        Defaults(vec![("Laptop", DECLINING), ("  ", STRAIGHT)]),
    ]
}

fn apply_file(db: &Db, step: &Step) -> register_core::Result<()> {
    let id = |tag: &str| db.read(|c| core_assets::find_asset(c, tag)).unwrap().id;
    db.write(Source::App, |tx| match step {
        Step::Defaults(list) => {
            let list: Vec<(String, Method)> =
                list.iter().map(|(n, m)| (n.to_string(), *m)).collect();
            core_depreciation::set_category_methods(tx, &list)
        }
        Step::Method(tag, m) => core_depreciation::set_asset_method(tx, id(tag), *m, Some("why")),
        Step::Life(tag, l) => core_replacements::set_asset_life(tx, id(tag), *l, None),
        Step::Plan(name, l, p) => {
            core_replacements::set_category_plan(tx, name, *l, p.map(Money::from_minor))
        }
        Step::Inflation(p) => core_replacements::set_inflation(tx, p),
    })
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    let current = match step {
        Step::Method(tag, _) | Step::Life(tag, _) => {
            let v = assets::find_asset(client, tag)?;
            (v.asset.id, v.version)
        }
        _ => (0, 0),
    };
    let (id, read) = current;
    register_pg::write(client, Source::App, |tx| match step {
        Step::Defaults(list) => {
            let list: Vec<(String, Method)> =
                list.iter().map(|(n, m)| (n.to_string(), *m)).collect();
            depreciation::set_category_methods(tx, &list)
        }
        Step::Method(_, m) => {
            depreciation::set_asset_method(tx, id, read, *m, Some("why")).map(drop)
        }
        Step::Life(_, l) => replacements::set_asset_life(tx, id, read, *l, None).map(drop),
        Step::Plan(name, l, p) => {
            categories::set_category_plan(tx, name, *l, p.map(Money::from_minor))
        }
        Step::Inflation(p) => replacements::set_inflation(tx, p),
    })
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The days every read is compared on: today, before anything was bought, mid-life, and after
/// every life has run out.
fn days() -> [NaiveDate; 4] {
    [
        TODAY,
        day("2018-01-01"),
        day("2024-07-31"),
        day("2040-02-29"),
    ]
}

/// Every read of values and replacements is the same from `client` as from the file.
fn assert_same_reads(db: &Db, client: &mut Client) {
    let ids: Vec<i64> = (1..=9).collect();
    for as_of in days() {
        for &id in &ids {
            let in_file = db
                .read(|c| core_depreciation::asset_depreciation(c, id, as_of))
                .unwrap();
            let on_server = depreciation::asset_depreciation(client, id, as_of).unwrap();
            assert_eq!(on_server, in_file, "asset {id}'s depreciation on {as_of}");
            let in_file = db
                .read(|c| core_replacements::asset_replacement(c, id, as_of))
                .unwrap();
            let on_server = replacements::asset_replacement(client, id, as_of).unwrap();
            assert_eq!(on_server, in_file, "asset {id}'s replacement on {as_of}");
        }
        let in_file = db
            .read(|c| core_depreciation::value_register(c, as_of))
            .unwrap();
        let on_server = depreciation::value_register(client, as_of).unwrap();
        assert_eq!(on_server, in_file, "the register's value on {as_of}");
        let in_file = db
            .read(|c| core_depreciation::value_totals(c, as_of))
            .unwrap();
        let on_server = depreciation::value_totals(client, as_of).unwrap();
        assert_eq!(on_server, in_file, "the register's totals on {as_of}");
        for until in [as_of, day("2027-12-31"), day("2099-12-31")] {
            let in_file = db
                .read(|c| core_replacements::replacements(c, as_of, until))
                .unwrap();
            let on_server = replacements::replacements(client, as_of, until).unwrap();
            assert_eq!(on_server, in_file, "replacements from {as_of} to {until}");
        }
    }
    let in_file = db.read(core_depreciation::list_category_methods).unwrap();
    assert_eq!(
        depreciation::list_category_methods(client).unwrap(),
        in_file
    );
    let in_file = db.read(core_replacements::plan).unwrap();
    assert_eq!(replacements::plan(client).unwrap(), in_file);
}

#[test]
fn values_and_replacements_are_the_same_in_both_stores() {
    let Some(mut t) = twins("valuesparity") else {
        return;
    };
    // Before any setting: nothing depreciates, nothing can be planned.
    assert_same_reads(&t.db, &mut t.ed);
    let events_before = register_pg::audit::head(&mut t.ed).unwrap().0;

    for (i, step) in steps().iter().enumerate() {
        apply_file(&t.db, step).unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
        apply_server(&mut t.ed, step).unwrap_or_else(|e| panic!("step {i} on the server: {e}"));
    }
    for (i, step) in refused().iter().enumerate() {
        let in_file = apply_file(&t.db, step).expect_err(&format!("refused step {i} in the file"));
        let on_server =
            apply_server(&mut t.ed, step).expect_err(&format!("refused step {i} on the server"));
        let field = match &on_server {
            Error::Core(c) => c.field(),
            other => panic!("refused step {i}: {other:?}"),
        };
        assert_eq!(
            on_server.to_string(),
            in_file.to_string(),
            "refused step {i}"
        );
        assert_eq!(field, in_file.field(), "refused step {i}");
    }
    assert_same_reads(&t.db, &mut t.ed);

    // What the reads compare is not empty.
    let value = depreciation::value_register(&mut t.ed, TODAY).unwrap();
    assert!(value.total.book_value < value.total.cost, "{value:?}");
    assert_eq!(value.currency, "GBP");
    let card = depreciation::asset_depreciation(&mut t.ed, 1, TODAY).unwrap();
    assert_eq!(card.own_method, Some(DECLINING.into()));
    assert_eq!(card.category_method, STRAIGHT.into());
    let plan = replacements::plan(&mut t.ed).unwrap();
    assert_eq!(plan.inflation_percent, "3");
    let r = replacements::replacements(&mut t.ed, TODAY, day("2099-12-31")).unwrap();
    assert!(!r.due.is_empty() && !r.overdue.is_empty(), "{r:?}");
    // Seen from mid-2024, it-0002 is due in more than two whole years: inflated twice.
    let earlier =
        replacements::replacements(&mut t.ed, day("2024-07-31"), day("2099-12-31")).unwrap();
    let monitor = earlier.due.iter().find(|x| x.asset_id == 2).unwrap();
    assert!(monitor.inflated, "{monitor:?}");
    assert_eq!(
        monitor.cost,
        Some(Money::from_minor(31_827)),
        "300.00 after 2 years at 3 %"
    );
    let own = replacements::asset_replacement(&mut t.ed, 1, TODAY).unwrap();
    assert_eq!(own.own_life_months, Some(24));

    // The twins' events, then Laptop's and Monitor's defaults and Docks created with its;
    // IT-0001's method; NET-01's twice; IT-0008's; it-0002's life; IT-0001's; NET-01's twice;
    // Laptop's plan; Phone's; the inflation twice.
    let n = assert_same_events(&t.db, &mut t.ed, &t.editor);
    assert_eq!(n - events_before, 16);
}

/// Setting an asset's method or life is an asset change: it moves the asset's version on, a
/// change that sets what is set keeps it, and a change read at an older version is refused
/// with who changed what, changing nothing.
#[test]
fn an_asset_method_or_life_is_guarded_by_its_version() {
    let Some(mut t) = twins("valuesversions") else {
        return;
    };
    let ed = &mut t.ed;
    let app = Source::App;
    let read = assets::find_asset(ed, "IT-0001").unwrap().version;
    let after = register_pg::write(ed, app, |tx| {
        depreciation::set_asset_method(tx, 1, read, Some(STRAIGHT), None)
    })
    .unwrap();
    assert_eq!(after.version, read + 1);
    let same = register_pg::write(ed, app, |tx| {
        depreciation::set_asset_method(tx, 1, after.version, Some(STRAIGHT), None)
    })
    .unwrap();
    assert_eq!(same.version, after.version);
    let life = register_pg::write(ed, app, |tx| {
        replacements::set_asset_life(tx, 1, after.version, Some(36), None)
    })
    .unwrap();
    assert_eq!(life.version, after.version + 1);

    // Both read at `read`, now two versions old.
    let stale = [
        register_pg::write(ed, app, |tx| {
            depreciation::set_asset_method(tx, 1, read, None, None)
        })
        .unwrap_err(),
        register_pg::write(ed, app, |tx| {
            replacements::set_asset_life(tx, 1, read, Some(12), None)
        })
        .unwrap_err(),
    ];
    for err in stale {
        let Error::Conflict(c) = &err else {
            panic!("{err:?}");
        };
        assert_eq!((c.id, c.changes.len()), (1, 2), "{c:?}");
    }
    let now = assets::find_asset(ed, "IT-0001").unwrap();
    assert_eq!(now.version, life.version);
    let card = depreciation::asset_depreciation(ed, 1, TODAY).unwrap();
    assert_eq!(card.own_method, Some(STRAIGHT.into()));
    let own = replacements::asset_replacement(ed, 1, TODAY).unwrap();
    assert_eq!(own.own_life_months, Some(36));
}

/// Viewers and auditors read every card, the Value page and the plan, and change none of it.
#[test]
fn only_editors_change_values_and_replacements() {
    let Some(mut t) = twins("valuesroles") else {
        return;
    };
    for step in [Step::Life("IT-0001", Some(24)), Step::Inflation("2")] {
        apply_file(&t.db, &step).unwrap();
        apply_server(&mut t.ed, &step).unwrap();
    }
    for (name, role) in [("reader", Role::Viewer), ("checker", Role::Auditor)] {
        let login = t.reg.add_login(name, role);
        let mut client = t.reg.connect_as(&login);
        assert_same_reads(&t.db, &mut client);
        for step in [
            Step::Method("IT-0001", Some(STRAIGHT)),
            Step::Life("IT-0001", Some(12)),
            Step::Inflation("5"),
            Step::Defaults(vec![("Laptop", STRAIGHT)]),
        ] {
            let err = apply_server(&mut client, &step).unwrap_err();
            assert!(matches!(err, Error::Denied(_)), "{role:?}: {err:?}");
        }
    }
    assert_eq!(
        replacements::plan(&mut t.ed).unwrap().inflation_percent,
        "2"
    );
    let own = replacements::asset_replacement(&mut t.ed, 1, TODAY).unwrap();
    assert_eq!(own.own_life_months, Some(24));
}
