//! A stocktake of 10,000 expected assets in one location, on a register file built through the
//! audited write path: every scan (found, found elsewhere, unknown, repeated) timed from the call
//! to its committed result, then the finish with the rest missing and the report. The goal is
//! each scan under 50 ms (README, "Performance"). `BENCH_EXPECTED=N` for another size.

use std::time::{Duration, Instant};

use register_core::assets::{self, AssetInput, Holder};
use register_core::stocktake::{self, FinishInput, StocktakeInput};
use register_core::{report, Db, Source};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report_times(name: &str, mut xs: Vec<Duration>) {
    xs.sort();
    let p = |q: f64| ms(xs[((xs.len() - 1) as f64 * q) as usize]);
    println!(
        "{name:<40} n={:<6} p50={:>6.2} ms  p95={:>6.2} ms  p99={:>6.2} ms  max={:>6.2} ms",
        xs.len(),
        p(0.5),
        p(0.95),
        p(0.99),
        ms(*xs.last().unwrap())
    );
}

fn main() {
    let n: usize = std::env::var("BENCH_EXPECTED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("bench.db")).unwrap();
    let t = Instant::now();
    for chunk in 0..(n + 1000).div_ceil(5000) {
        db.write(Source::Import, |tx| {
            for i in chunk * 5000..((chunk + 1) * 5000).min(n + 1000) {
                let a = assets::create_asset(
                    tx,
                    &AssetInput {
                        asset_tag: format!("IT-{i:06}"),
                        name: format!("Dell Latitude 5440 #{i}"),
                        ..Default::default()
                    },
                    None,
                )?;
                // The last 1,000 are elsewhere: found in the warehouse, they are "elsewhere".
                let room = if i < n { "Warehouse" } else { "Office" };
                assets::assign_asset(tx, a.id, &Holder::Location(room.into()), None)?;
            }
            Ok(())
        })
        .unwrap();
    }
    println!(
        "built {} assets in {:.1} s",
        n + 1000,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let st = db
        .write(Source::App, |tx| {
            stocktake::start_stocktake(
                tx,
                &StocktakeInput {
                    name: "Bench".into(),
                    counted_by: "Bench".into(),
                    locations: vec!["Warehouse".into()],
                    ..Default::default()
                },
            )
        })
        .unwrap();
    println!(
        "start: {} expected listed in {:.0} ms",
        st.counts.expected,
        ms(t.elapsed())
    );

    let scan = |tag: &str| {
        let t = Instant::now();
        db.write(Source::App, |tx| stocktake::scan(tx, st.id, tag, None))
            .unwrap();
        t.elapsed()
    };
    // 90 % of the expected found, in shuffled order (a stride through the tags).
    let found: Vec<Duration> = (0..n * 9 / 10)
        .map(|k| scan(&format!("IT-{:06}", (k * 7919) % n)))
        .collect();
    let elsewhere: Vec<Duration> = (n..n + 500).map(|i| scan(&format!("IT-{i:06}"))).collect();
    let unknown: Vec<Duration> = (0..500).map(|i| scan(&format!("NEW-{i:05}"))).collect();
    let repeat: Vec<Duration> = (0..500)
        .map(|i| scan(&format!("IT-{:06}", (i * 7919) % n)))
        .collect();
    report_times("scan: found where expected", found);
    report_times("scan: found elsewhere", elsewhere);
    report_times("scan: unknown tag", unknown);
    report_times("scan: already scanned", repeat);

    let t = Instant::now();
    let done = db
        .write(Source::App, |tx| {
            stocktake::finish_stocktake(tx, st.id, &FinishInput::default())
        })
        .unwrap();
    println!(
        "finish: {} missing recorded in {:.0} ms",
        done.counts.missing,
        ms(t.elapsed())
    );
    let t = Instant::now();
    let pdf = db
        .read(|c| report::render_stocktake_report(c, st.id, report::Paper::A4))
        .unwrap();
    println!(
        "report: {} pages in {:.0} ms",
        pdf.page_count,
        ms(t.elapsed())
    );
}
