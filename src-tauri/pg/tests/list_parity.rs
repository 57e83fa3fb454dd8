//! The window's asset list reads the same from both stores: one register built twice (see
//! `twins`), and a table of list queries (each filter, each sort key both ways, paging, the
//! limit's cap, archived assets, searches) whose pages must be equal, document counts
//! included, with only each store's clock (created and updated times) left out.

use register_core::assets::{self as core_assets, ListQuery, Page};
use register_core::Status;
use register_pg::assets;

use crate::twins::twins;

fn timeless(mut page: Page) -> Page {
    for a in &mut page.assets {
        a.created_at.clear();
        a.updated_at.clear();
    }
    page
}

const SORTS: &[&str] = &[
    "asset_tag",
    "tag",
    "name",
    "category",
    "make",
    "model",
    "make_model",
    "serial_number",
    "assigned_to",
    "holder",
    "location",
    "status",
    "purchase_date",
    "purchase_cost",
    "warranty_expires",
    "last_seen",
];

fn queries() -> Vec<(String, ListQuery)> {
    let q = ListQuery::default;
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut all = vec![
        ("everything".into(), q()),
        (
            "search".into(),
            ListQuery {
                search: Some("laptop".into()),
                ..q()
            },
        ),
        (
            "two words".into(),
            ListQuery {
                search: Some("hp 5cg".into()),
                ..q()
            },
        ),
        (
            "holder word".into(),
            ListQuery {
                search: Some("ANA".into()),
                ..q()
            },
        ),
        (
            "punctuation only".into(),
            ListQuery {
                search: Some(" !! ".into()),
                ..q()
            },
        ),
        (
            "no match".into(),
            ListQuery {
                search: Some("zzz".into()),
                ..q()
            },
        ),
        (
            "search with archived".into(),
            ListQuery {
                search: Some("laptop".into()),
                include_archived: true,
                ..q()
            },
        ),
        (
            "search archived only".into(),
            ListQuery {
                search: Some("probook OLD".into()),
                only_archived: true,
                ..q()
            },
        ),
        (
            "archived by the middle of a word".into(),
            ListQuery {
                search: Some("000OLD".into()),
                include_archived: true,
                ..q()
            },
        ),
        (
            "with archived".into(),
            ListQuery {
                include_archived: true,
                ..q()
            },
        ),
        (
            "archived only".into(),
            ListQuery {
                only_archived: true,
                ..q()
            },
        ),
        (
            "category".into(),
            ListQuery {
                category: Some(" LAPTOP ".into()),
                ..q()
            },
        ),
        (
            "no such category".into(),
            ListQuery {
                category: Some("Nope".into()),
                ..q()
            },
        ),
        (
            "blank category".into(),
            ListQuery {
                category: Some(" ".into()),
                ..q()
            },
        ),
        (
            "person".into(),
            ListQuery {
                person_id: Some(1),
                ..q()
            },
        ),
        (
            "location".into(),
            ListQuery {
                location_id: Some(1),
                ..q()
            },
        ),
        (
            "other location".into(),
            ListQuery {
                location_id: Some(2),
                ..q()
            },
        ),
        (
            "not seen".into(),
            ListQuery {
                not_seen_since: Some(date("2026-12-01")),
                ..q()
            },
        ),
        (
            "page".into(),
            ListQuery {
                offset: 2,
                limit: Some(3),
                ..q()
            },
        ),
        ("past the end".into(), ListQuery { offset: 100, ..q() }),
        (
            "limit 0".into(),
            ListQuery {
                limit: Some(0),
                ..q()
            },
        ),
        (
            "capped".into(),
            ListQuery {
                limit: Some(5000),
                ..q()
            },
        ),
        (
            "everything at once".into(),
            ListQuery {
                search: Some("laptop".into()),
                status: Some(Status::Deployed),
                category: Some("laptop".into()),
                person_id: Some(1),
                sort: Some("purchase_cost".into()),
                descending: true,
                include_archived: true,
                not_seen_since: Some(date("2026-12-01")),
                ..q()
            },
        ),
    ];
    for status in [
        Status::Available,
        Status::Deployed,
        Status::InMaintenance,
        Status::Retired,
        Status::LostStolen,
    ] {
        all.push((
            format!("status {status:?}"),
            ListQuery {
                status: Some(status),
                ..q()
            },
        ));
    }
    for sort in SORTS {
        for descending in [false, true] {
            all.push((
                format!("sort {sort} descending {descending}"),
                ListQuery {
                    sort: Some(sort.to_string()),
                    descending,
                    include_archived: true,
                    ..q()
                },
            ));
            all.push((
                format!("page of sort {sort} descending {descending}"),
                ListQuery {
                    sort: Some(sort.to_string()),
                    descending,
                    offset: 1,
                    limit: Some(4),
                    ..q()
                },
            ));
        }
    }
    all
}

#[test]
fn the_list_is_the_same_in_both_stores() {
    let Some(mut t) = twins("listparity") else {
        return;
    };
    for (what, query) in queries() {
        let in_file = t.db.read(|c| core_assets::list_assets(c, &query)).unwrap();
        let on_server =
            assets::list_assets(&mut t.ed, &query).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(timeless(on_server), timeless(in_file), "{what}");
    }
    // The queries above see something: rows, documents, archived and never-seen assets.
    let all = assets::list_assets(&mut t.ed, &ListQuery::default()).unwrap();
    assert_eq!((all.total, all.register_total, all.assets.len()), (8, 8, 8));
    assert_eq!(all.assets[0].document_count, 2);
    let archived = ListQuery {
        only_archived: true,
        ..Default::default()
    };
    assert_eq!(assets::list_assets(&mut t.ed, &archived).unwrap().total, 1);

    // An unknown sort key is refused in the same words, in the same field.
    let bad = ListQuery {
        sort: Some("updated_at".into()),
        ..Default::default()
    };
    let in_file =
        t.db.read(|c| core_assets::list_assets(c, &bad))
            .unwrap_err();
    let on_server = assets::list_assets(&mut t.ed, &bad).unwrap_err();
    assert_eq!(on_server.to_string(), in_file.to_string());
    assert!(matches!(on_server, register_pg::Error::Core(e) if e.field() == Some("sort")));
}

/// A viewer, who reads and changes nothing, lists the register.
#[test]
fn a_viewer_lists_the_register() {
    let Some(mut t) = twins("listviewer") else {
        return;
    };
    let viewer = t.reg.add_login("reader", register_pg::admin::Role::Viewer);
    let mut v = t.reg.connect_as(&viewer);
    let q = ListQuery {
        search: Some("laptop".into()),
        include_archived: true,
        ..Default::default()
    };
    assert_eq!(
        timeless(assets::list_assets(&mut v, &q).unwrap()),
        timeless(assets::list_assets(&mut t.ed, &q).unwrap())
    );
}
