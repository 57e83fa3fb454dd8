//! A category's depreciation default and replacement plan on the server follow the core's
//! rules and record the core's events: the same settings applied to a file register and to a
//! team register give the same defaults, the same plans, the same events (re-hashing to the
//! same head) and the same refusals in the same words; a category named for the first time is
//! created in both, and a refused setting creates none. Viewers and auditors change none.

use register_core::assets as core_assets;
use register_core::audit::Source;
use register_core::depreciation::{self as core_depreciation, Method};
use register_core::names::{self as core_names, Kind};
use register_core::replacements as core_replacements;
use register_core::values::Money;
use register_core::{AssetInput, Db};
use register_pg::admin::Role;
use register_pg::{assets, categories, names, Client, Error};

use crate::util::{assert_same_events, server_or_skip, TestRegister};

/// One setting, applied to either store by the category's name.
#[derive(Clone)]
enum Step {
    /// An asset filed under a category (so the plan counts it).
    Asset(&'static str, &'static str),
    Default(String, Method),
    Plan(String, Option<u32>, Option<&'static str>),
}

fn money(s: Option<&str>) -> Option<Money> {
    s.map(|s| Money::parse("replace_with", s).unwrap().unwrap())
}

const STRAIGHT: Method = Method::StraightLine {
    life_months: 36,
    residual: 10_000,
};

/// An office setting up its depreciation and its replacement plan, changing its mind, and
/// settings that change nothing.
fn steps() -> Vec<Step> {
    use Step::*;
    vec![
        Asset("IT-0001", "Laptops"),
        Default(" laptops ".into(), STRAIGHT),
        // The same again, spelt otherwise: nothing written.
        Default("LAPTOPS".into(), STRAIGHT),
        Default("Laptops".into(), Method::Declining { rate_bp: 2_500 }),
        // New, and set to what a new category has: created, nothing else recorded.
        Default("Phones".into(), Method::None),
        Default("Monitors".into(), STRAIGHT),
        Plan("Laptops".into(), Some(48), Some("1,099.00")),
        Plan("laptops".into(), Some(48), Some("1099")),
        Plan("Laptops".into(), None, Some("1199.50")),
        Plan("Tablets".into(), Some(30), None),
        Default("Monitors".into(), Method::None),
        Plan("Monitors".into(), Some(600), Some("0")),
    ]
}

/// Settings both stores must refuse, in the same words, creating nothing.
fn refused() -> Vec<Step> {
    use Step::*;
    vec![
        Plan("Laptops".into(), Some(0), None),
        Plan("Docks".into(), Some(601), None),
        Plan(" ".into(), Some(12), None),
        Default("  ".into(), STRAIGHT),
        Default("c".repeat(201), STRAIGHT),
    ]
}

fn apply_file(db: &Db, step: &Step) -> register_core::Result<()> {
    let app = Source::App;
    match step {
        Step::Asset(tag, category) => {
            let input = AssetInput {
                asset_tag: tag.to_string(),
                name: "Laptop".into(),
                category: category.to_string(),
                ..Default::default()
            };
            db.write(app, |tx| core_assets::create_asset(tx, &input, None))
                .map(drop)
        }
        Step::Default(name, m) => db.write(app, |tx| {
            core_depreciation::set_category_method(tx, name, *m)
        }),
        Step::Plan(name, life, price) => db.write(app, |tx| {
            core_replacements::set_category_plan(tx, name, *life, money(*price))
        }),
    }
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    register_pg::write(client, Source::App, |tx| match step {
        Step::Asset(tag, category) => {
            let input = AssetInput {
                asset_tag: tag.to_string(),
                name: "Laptop".into(),
                category: category.to_string(),
                ..Default::default()
            };
            assets::create_asset(tx, &input, None).map(drop)
        }
        Step::Default(name, m) => categories::set_category_method(tx, name, *m),
        Step::Plan(name, life, price) => {
            categories::set_category_plan(tx, name, *life, money(*price))
        }
    })
}

#[test]
fn category_defaults_and_plans_are_the_same_in_both_stores() {
    let server = server_or_skip!("category_defaults_and_plans_are_the_same_in_both_stores");
    let mut reg = TestRegister::new(server, "catplan");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let db = Db::open_in_memory().unwrap();

    for (i, step) in steps().iter().enumerate() {
        apply_file(&db, step).unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
        apply_server(&mut ed, step).unwrap_or_else(|e| panic!("step {i} on the server: {e}"));
    }
    for (i, step) in refused().iter().enumerate() {
        let in_file = apply_file(&db, step).expect_err(&format!("refused step {i} in the file"));
        let on_server =
            apply_server(&mut ed, step).expect_err(&format!("refused step {i} on the server"));
        assert!(
            matches!(&on_server, Error::Core(_)),
            "refused step {i}: {on_server:?}"
        );
        assert_eq!(
            on_server.to_string(),
            in_file.to_string(),
            "refused step {i}"
        );
        let field = match &on_server {
            Error::Core(c) => c.field(),
            _ => None,
        };
        assert_eq!(field, in_file.field(), "refused step {i}");
    }

    // The same categories (Docks never created), defaults and plans.
    let in_file = db.read(|c| core_names::list(c, Kind::Category)).unwrap();
    assert_eq!(names::list(&mut ed, Kind::Category).unwrap(), in_file);
    let listed: Vec<&str> = in_file.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(listed, ["Laptops", "Monitors", "Phones", "Tablets"]);
    let plan = db.read(core_replacements::plan).unwrap();
    for c in &in_file {
        assert_eq!(
            categories::category_method(&mut ed, c.id).unwrap(),
            db.read(|conn| core_depreciation::category_method(conn, c.id))
                .unwrap(),
            "{}",
            c.name
        );
        let file_plan = plan.categories.iter().find(|p| p.id == c.id).unwrap();
        let server_plan = categories::find_category_plan(&mut ed, &c.name.to_uppercase())
            .unwrap()
            .unwrap();
        assert_eq!(&server_plan, file_plan, "{}", c.name);
    }
    let laptops = categories::find_category_plan(&mut ed, "laptops")
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            laptops.life_months,
            laptops.replace_with,
            laptops.asset_count
        ),
        (None, money(Some("1199.50")), 1)
    );
    assert_eq!(
        categories::category_method(&mut ed, laptops.id).unwrap(),
        Method::Declining { rate_bp: 2_500 }
    );
    assert!(categories::find_category_plan(&mut ed, "Docks")
        .unwrap()
        .is_none());

    // The same events, and the same head given the server's times: the asset and the category
    // it created, Laptops' two defaults, Phones created, Monitors created and its default,
    // Laptops' two plans, Tablets created and its plan, Monitors' default and plan.
    assert_eq!(assert_same_events(&db, &mut ed, &editor), 13);
}

/// Viewers and auditors read a category's plan and set none.
#[test]
fn only_editors_set_category_defaults_and_plans() {
    let server = server_or_skip!("only_editors_set_category_defaults_and_plans");
    let mut reg = TestRegister::new(server, "catroles");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    apply_server(&mut ed, &Step::Plan("Laptops".into(), Some(48), None)).unwrap();
    for (name, role) in [("reader", Role::Viewer), ("checker", Role::Auditor)] {
        let login = reg.add_login(name, role);
        let mut client = reg.connect_as(&login);
        let plan = categories::find_category_plan(&mut client, "Laptops")
            .unwrap()
            .unwrap();
        assert_eq!(plan.life_months, Some(48));
        for step in [
            Step::Plan("Laptops".into(), Some(12), None),
            Step::Default("Laptops".into(), STRAIGHT),
        ] {
            let err = apply_server(&mut client, &step).unwrap_err();
            assert!(matches!(err, Error::Denied(_)), "{role:?}: {err:?}");
        }
    }
    let plan = categories::find_category_plan(&mut ed, "Laptops")
        .unwrap()
        .unwrap();
    assert_eq!(plan.life_months, Some(48));
}
