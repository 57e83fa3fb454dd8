//! Registers to start a scenario from: sample assets and licences written through the core, as
//! the CLI would, before the window opens.

use register_core::assets::{self, AssetInput, Holder};
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

/// `n` generated assets for the benchmarks (five makes, four categories, a third assigned to
/// 300 people), written in transactions of 10,000.
pub fn seed_bench(db: &Db, n: usize) {
    let makes = ["Dell", "Lenovo", "Apple", "HP", "Samsung"];
    let people: Vec<String> = (0..300).map(|i| format!("Person {i:03} Example")).collect();
    for chunk in 0..n.div_ceil(10_000) {
        db.write(Source::Import, |tx| {
            for i in chunk * 10_000..((chunk + 1) * 10_000).min(n) {
                let make = makes[i % makes.len()];
                let input = AssetInput {
                    asset_tag: format!("IT-{i:06}"),
                    name: format!("{make} device {i}"),
                    category: ["Laptop", "Phone", "Monitor", "Printer"][i % 4].into(),
                    make: make.into(),
                    model: format!("Model {}", i % 37),
                    serial_number: format!("SN{:09}", i * 7919 % 1_000_000_007),
                    purchase_date: format!("20{:02}-{:02}-15", 18 + i % 8, 1 + i % 12),
                    purchase_cost: format!("{}.00", 100 + i % 2000),
                    supplier: "Insight UK".into(),
                    warranty_expires: format!("20{:02}-{:02}-15", 27 + i % 3, 1 + i % 12),
                    notes: String::new(),
                };
                let a = assets::create_asset(tx, &input, None)?;
                if i % 3 == 0 {
                    assets::assign_asset(
                        tx,
                        a.id,
                        &Holder::Person(people[i % people.len()].clone()),
                        None,
                    )?;
                }
            }
            Ok(())
        })
        .unwrap();
    }
}
