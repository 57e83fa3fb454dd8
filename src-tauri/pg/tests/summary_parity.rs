//! Home reads the same from both stores: one register built twice (see `twins`: assets in
//! every status, with and without costs, warranties past, soon and later, licences renewing
//! past, soon and later), read on several days. The figures by status, the warranty lists,
//! the Lost/Stolen list (document counts included) and what falls due with its costs are
//! equal; only each store's clock (an asset's created and updated times) is left out.

use chrono::NaiveDate;
use register_core::renewals as core_renewals;
use register_core::summary::{self as core_summary, Summary};
use register_core::{Asset, Status};
use register_pg::summary;

use crate::twins::{twins, TODAY};

fn timeless(mut s: Summary) -> Summary {
    let clear = |assets: &mut Vec<Asset>| {
        for a in assets {
            a.created_at.clear();
            a.updated_at.clear();
        }
    };
    clear(&mut s.expiring_30);
    clear(&mut s.expiring_90);
    clear(&mut s.lost);
    s
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn home_is_the_same_in_both_stores() {
    let Some(mut t) = twins("summaryparity") else {
        return;
    };
    for today in [
        TODAY,
        day("2026-11-25"),
        day("2027-04-15"),
        day("2019-01-01"),
    ] {
        let in_file = t.db.read(|c| core_summary::summary(c, today)).unwrap();
        let on_server = summary::summary(&mut t.ed, today).unwrap();
        assert_eq!(timeless(on_server), timeless(in_file), "summary on {today}");

        let in_file = t.db.read(|c| core_renewals::due_soon(c, today)).unwrap();
        let on_server = summary::due_soon(&mut t.ed, today).unwrap();
        assert_eq!(on_server, in_file, "due soon on {today}");
    }

    // What the days above compare is not empty.
    let s = summary::summary(&mut t.ed, TODAY).unwrap();
    assert_eq!(s.asset_count, 8);
    assert_eq!(s.currency, "GBP");
    assert!(s.by_status.iter().all(|c| c.count > 0), "{:?}", s.by_status);
    let deployed = s
        .by_status
        .iter()
        .find(|c| c.status == Status::Deployed)
        .unwrap();
    assert_eq!(
        (deployed.count, deployed.value.to_string()),
        (3, "1534.50".into())
    );
    let tags = |assets: &[Asset]| {
        assets
            .iter()
            .map(|a| a.asset_tag.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(tags(&s.expiring_30), ["IT-0004", "IT-0001"]);
    assert_eq!(tags(&s.lost), ["IT-0007"]);
    assert_eq!(s.expiring_30[1].document_count, 2);
    let later = summary::summary(&mut t.ed, day("2027-04-15")).unwrap();
    assert_eq!(tags(&later.expiring_90), ["IT-0003"]);
    let due = summary::due_soon(&mut t.ed, TODAY).unwrap();
    let names: Vec<&str> = due.within_30.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Dock", "Figma", "Laptop", "Slack"]);
    assert_eq!(due.cost_30.to_string(), "204.00");

    // A viewer reads Home too.
    let viewer = t.reg.add_login("reader", register_pg::admin::Role::Viewer);
    let mut v = t.reg.connect_as(&viewer);
    assert_eq!(
        timeless(summary::summary(&mut v, TODAY).unwrap()),
        timeless(summary::summary(&mut t.ed, TODAY).unwrap())
    );
    assert_eq!(summary::due_soon(&mut v, TODAY).unwrap(), due);
}
