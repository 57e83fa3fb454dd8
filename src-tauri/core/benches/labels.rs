//! Label sheets: 1,000 assets' labels (QR code, tag, name, organisation, a line) rendered to PDF
//! on each layout, from a register built through the audited write path. The goal is under 2 s
//! for the 1,000 (README, "Performance"). `BENCH_LABELS=N` for another count.

use std::time::Instant;

use register_core::report::labels::{self, LabelLayout, LabelOptions, LabelSelection};
use register_core::{assets, AssetInput, Db, ListQuery, Source};

fn main() {
    let n: usize = std::env::var("BENCH_LABELS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let db = Db::open_in_memory().unwrap();
    db.write(Source::Import, |tx| {
        for i in 0..n {
            let input = AssetInput {
                asset_tag: format!("IT-{i:06}"),
                name: format!("Dell Latitude 5440 laptop with docking station {i}"),
                ..Default::default()
            };
            assets::create_asset(tx, &input, None)?;
        }
        Ok(())
    })
    .unwrap();
    let all = LabelSelection::Query {
        query: ListQuery::default(),
    };
    for layout in LabelLayout::ALL {
        let opts = LabelOptions {
            layout,
            start: None,
            line: Some("Property of Acme Clinic — if found call 01234 567890".into()),
        };
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..5 {
            let t = Instant::now();
            let pdf = db
                .read(|c| {
                    let rows = labels::select_for_labels(c, &all)?;
                    labels::render_labels(c, &rows, &opts)
                })
                .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            last = Some(pdf);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let pdf = last.unwrap();
        println!(
            "{n} labels, {:<7} ({:>4} pages, {:>5.2} MB)  p50 {:>5.0} ms, max {:>5.0} ms",
            layout.key(),
            pdf.page_count,
            pdf.bytes.len() as f64 / 1e6,
            times[2],
            times[4]
        );
    }
}
