//! Registers to start a scenario from: sample assets and licences written through the core, as
//! the CLI would, before the window opens.

use register_core::assets::{self, AssetInput};
use register_core::licences::{self, LicenceInput};
use register_core::{Db, Source};

pub fn asset(tag: &str, name: &str, make: &str, serial: &str) -> AssetInput {
    AssetInput {
        asset_tag: tag.into(),
        name: name.into(),
        category: "Laptop".into(),
        make: make.into(),
        model: "Model X".into(),
        serial_number: serial.into(),
        purchase_date: "2024-03-01".into(),
        purchase_cost: "999.00".into(),
        supplier: "Insight UK".into(),
        warranty_expires: "2027-03-01".into(),
        notes: String::new(),
    }
}

pub fn seed_three(db: &Db) {
    for (t, n, m, s) in [
        ("IT-0001", "Dell Latitude 5440", "Dell", "5CD1111"),
        ("IT-0002", "MacBook Air 13", "Apple", "C02ZZ222"),
        ("IT-0003", "Dell UltraSharp monitor", "Dell", "CN0333"),
    ] {
        db.write(Source::Cli, |tx| {
            assets::create_asset(tx, &asset(t, n, m, s), None)
        })
        .unwrap();
    }
}

pub fn licence(
    db: &Db,
    product: &str,
    vendor: &str,
    seats: &str,
    renewal: &str,
    cost: &str,
    period: &str,
) -> i64 {
    db.write(Source::Cli, |tx| {
        licences::create_licence(
            tx,
            &LicenceInput {
                product: Some(product.into()),
                vendor: Some(vendor.into()),
                seats: Some(seats.into()),
                renewal_date: Some(renewal.into()),
                cost: Some(cost.into()),
                period: Some(period.into()),
                licence_key: Some("M365-ABCD-EFGH-7Q2X".into()),
                ..Default::default()
            },
            None,
        )
    })
    .unwrap()
    .id
}

pub fn days_from_today(n: u64) -> chrono::NaiveDate {
    register_core::today() + chrono::Days::new(n)
}
