//! Benchmark: a register of 100,000 assets (default; `BENCH_ASSETS=N` to change) built through
//! the real write path (validation, uniqueness, audit chain), then text searches and sorted
//! pages as the list view issues them. Prints p50/p95/max per query kind.
//!
//! Run: `cargo bench -p register_core --bench register` (release profile).

use std::time::{Duration, Instant};

use register_core::assets::{self, AssetInput, Holder, ListQuery};
use register_core::{audit, Db, Source, Status};

const MAKES: &[(&str, &[&str])] = &[
    (
        "Dell",
        &[
            "Latitude 5440",
            "XPS 13",
            "OptiPlex 7010",
            "UltraSharp U2723QE",
        ],
    ),
    (
        "Lenovo",
        &["ThinkPad X1 Carbon", "ThinkPad T14", "ThinkCentre M70q"],
    ),
    (
        "Apple",
        &["MacBook Air 13", "MacBook Pro 14", "iPhone 15", "iPad Air"],
    ),
    ("HP", &["EliteBook 840", "LaserJet Pro M404", "ProDesk 400"]),
    ("Samsung", &["Galaxy S24", "Odyssey G5"]),
];
const CATEGORIES: &[&str] = &["Laptop", "Desktop", "Phone", "Tablet", "Monitor", "Printer"];
const FIRST: &[&str] = &[
    "Sam", "Alex", "Priya", "Jürgen", "Chloë", "Dmitri", "Aisha", "Tom", "Mei", "Oliver",
];
const LAST: &[&str] = &[
    "Patel", "Morgan", "Weiß", "Brontë", "Ivanov", "Khan", "Smith", "Chen", "Jones", "Okafor",
];

/// A small deterministic generator (no dependency needed for benchmark data).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() as usize) % xs.len()]
    }
}

fn percentile(mut xs: Vec<Duration>, p: f64) -> Duration {
    xs.sort();
    xs[((xs.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, xs: Vec<Duration>) {
    let max = *xs.iter().max().unwrap();
    println!(
        "{name:<44} n={:<4} p50={:>7.2} ms  p95={:>7.2} ms  max={:>7.2} ms",
        xs.len(),
        percentile(xs.clone(), 0.5).as_secs_f64() * 1e3,
        percentile(xs, 0.95).as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

fn main() {
    let n: usize = std::env::var("BENCH_ASSETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    // BENCH_DB=path keeps the generated register for inspection.
    let path: std::path::PathBuf = std::env::var_os("BENCH_DB")
        .map(Into::into)
        .unwrap_or_else(|| dir.path().join("bench.db"));
    let _ = std::fs::remove_file(&path);
    let db = Db::open(&path).unwrap();
    let mut rng = Lcg(42);
    let people: Vec<String> = (0..400)
        .map(|i| format!("{} {} {i}", rng.pick(FIRST), rng.pick(LAST)))
        .collect();

    let t = Instant::now();
    let mut serials = Vec::new();
    for chunk in 0..n.div_ceil(10_000) {
        db.write(Source::Import, |tx| {
            for i in chunk * 10_000..((chunk + 1) * 10_000).min(n) {
                let (make, models) = rng.pick(MAKES);
                let model = rng.pick(models);
                let serial = format!(
                    "{}{:07}{}",
                    &make[..2].to_uppercase(),
                    rng.next() % 10_000_000,
                    i
                );
                if i % 1000 == 7 {
                    serials.push(serial.clone());
                }
                let input = AssetInput {
                    asset_tag: format!("IT-{i:06}"),
                    name: format!("{make} {model}"),
                    category: rng.pick(CATEGORIES).to_string(),
                    make: make.to_string(),
                    model: model.to_string(),
                    serial_number: serial,
                    purchase_date: format!(
                        "20{:02}-{:02}-{:02}",
                        18 + rng.next() % 8,
                        1 + rng.next() % 12,
                        1 + rng.next() % 28
                    ),
                    purchase_cost: format!("{}.{:02}", 100 + rng.next() % 2400, rng.next() % 100),
                    supplier: rng
                        .pick(&["Insight UK", "CDW", "Dell Direct", "Apple Store", "Misco"])
                        .to_string(),
                    warranty_expires: format!(
                        "20{:02}-{:02}-{:02}",
                        26 + rng.next() % 4,
                        1 + rng.next() % 12,
                        1 + rng.next() % 28
                    ),
                    notes: if i % 5 == 0 {
                        "Spare charger in drawer".into()
                    } else {
                        String::new()
                    },
                };
                let a = assets::create_asset(tx, &input, None)?;
                if i % 3 == 0 {
                    assets::assign_asset(
                        tx,
                        a.id,
                        &Holder::Person(rng.pick(&people).clone()),
                        None,
                    )?;
                } else if i % 47 == 0 {
                    assets::change_status(tx, a.id, Status::InMaintenance, None)?;
                }
            }
            Ok(())
        })
        .unwrap();
    }
    let build = t.elapsed();
    let events = db.read(audit::head).unwrap().0;
    println!(
        "built {n} assets ({events} audit events) through the audited write path in {:.1} s",
        build.as_secs_f64()
    );

    let run = |q: &ListQuery| {
        let t = Instant::now();
        let page = db.read(|c| assets::list_assets(c, q)).unwrap();
        (t.elapsed(), page.total)
    };

    // Type-ahead searches: what a user types, keystroke by keystroke.
    let mut searches = Vec::new();
    let typed: Vec<String> = serials
        .iter()
        .take(40)
        .flat_map(|s| [s[..4].to_string(), s[..8].to_string(), s.clone()])
        .chain(people.iter().take(20).flat_map(|p| {
            let first = p.split(' ').next().unwrap().to_string();
            [first.clone(), p.clone()]
        }))
        .chain(
            [
                "IT-0123",
                "IT-04567",
                "thinkpad",
                "macbook pro",
                "iphone",
                "charger",
                "lat",
            ]
            .map(String::from),
        )
        .collect();
    for s in &typed {
        let q = ListQuery {
            search: Some(s.clone()),
            limit: Some(100),
            ..Default::default()
        };
        searches.push(run(&q).0);
    }
    report("search (first page of 100, count)", searches);

    // After each keystroke the list also asks whether archived assets match (its hint), on the
    // same connection as the next keystroke's search: 5 of them and their count.
    let mut hints = Vec::new();
    for s in &typed {
        let q = ListQuery {
            search: Some(s.clone()),
            only_archived: true,
            limit: Some(5),
            ..Default::default()
        };
        hints.push(run(&q).0);
    }
    report("archived matches, the list's hint (5, count)", hints);

    // The typing tail: searches whose last word is one character match tens of thousands of
    // assets; the first 50 and the count, as the window asks while typing.
    let one_letter = [
        "dell 1",
        "dell 2",
        "lenovo t",
        "apple m",
        "hp e",
        "1",
        "2",
        "a",
        "s",
        "d",
        "l",
        "m",
        "in 1",
        "dell l",
        "thinkpad t",
        "iphone 1",
        "monitor 2",
        "ch",
        "p",
        "x",
    ];
    let mut tail = Vec::new();
    let mut most = 0;
    for _ in 0..3 {
        for s in one_letter {
            let q = ListQuery {
                search: Some(s.into()),
                limit: Some(50),
                ..Default::default()
            };
            let (t, total) = run(&q);
            most = most.max(total);
            tail.push(t);
        }
    }
    report(
        &format!("one-letter last word (up to {most} matches)"),
        tail,
    );

    let mut sorted = Vec::new();
    let mut slowest = (Duration::ZERO, "");
    for key in [
        "asset_tag",
        "name",
        "category",
        "make",
        "serial_number",
        "assigned_to",
        "location",
        "status",
        "purchase_date",
        "purchase_cost",
        "warranty_expires",
    ] {
        for (desc, offset) in [(false, 0), (true, 0), (false, 5_000)] {
            let q = ListQuery {
                sort: Some(key.into()),
                descending: desc,
                offset,
                limit: Some(100),
                ..Default::default()
            };
            let d = run(&q).0;
            if d > slowest.0 {
                slowest = (d, key);
            }
            sorted.push(d);
        }
    }
    report("sorted page of 100 (11 keys, asc/desc/deep)", sorted);
    println!(
        "  slowest sort key: {} ({:.2} ms)",
        slowest.1,
        slowest.0.as_secs_f64() * 1e3
    );

    let mut filtered = Vec::new();
    for s in Status::ALL {
        let q = ListQuery {
            status: Some(s),
            sort: Some("name".into()),
            ..Default::default()
        };
        filtered.push(run(&q).0);
    }
    for c in CATEGORIES {
        let q = ListQuery {
            category: Some(c.to_string()),
            sort: Some("warranty_expires".into()),
            ..Default::default()
        };
        filtered.push(run(&q).0);
    }
    report("filtered + sorted page (status, category)", filtered);

    let t = Instant::now();
    let v = db.read(audit::verify).unwrap();
    assert!(v.ok);
    println!(
        "verify ({} events, integrity_check + chain)        {:.0} ms",
        v.event_count,
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    db.read(|c| register_core::summary::summary(c, register_core::today()))
        .unwrap();
    println!(
        "home summary                                        {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    // The budget forecast: every live asset with a replacement life, 5 years by month, as the
    // window asks for it (10 items per period listed, all counted).
    db.write(Source::Cli, |tx| {
        let names: Vec<String> = tx
            .conn()
            .prepare("SELECT name FROM categories")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for (i, name) in names.iter().enumerate() {
            register_core::replacements::set_category_plan(
                tx,
                name,
                Some(36 + 12 * (i as u32 % 4)),
                None,
            )?;
        }
        register_core::replacements::set_inflation(tx, "3")
    })
    .unwrap();
    let mut times = Vec::new();
    let mut shown = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let f = db
            .read(|c| {
                register_core::forecast::forecast(
                    c,
                    &register_core::forecast::ForecastOptions {
                        from: register_core::today(),
                        years: 5,
                        grouping: register_core::forecast::Grouping::Month,
                        items_per_period: Some(10),
                    },
                )
            })
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        shown = f
            .periods
            .iter()
            .map(|p| p.replacement_count + p.renewal_count)
            .sum::<usize>()
            + f.overdue_count;
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "5-year forecast by month ({shown} items placed)     p50 {:.0} ms, max {:.0} ms",
        times[2], times[4]
    );
    println!(
        "register file: {:.1} MB",
        std::fs::metadata(&path).unwrap().len() as f64 / 1e6
    );
}
