//! How fast a Parquet file's rows become JSON lines (`trailglass_parquet::read`), natively:
//! `cargo run --release -p trailglass-parquet --example read_speed -- FILE.parquet` prints the
//! rows, the seconds and MB/s of Parquet bytes and of JSON written (BENCHMARKS.md).

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: read_speed FILE.parquet");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let size = bytes.len() as f64;
    let limits = trailglass_parquet::read::Limits { max_output_bytes: 4 << 30 };
    let t = Instant::now();
    match trailglass_parquet::read::to_ndjson(bytes, limits) {
        Ok(c) => {
            let s = t.elapsed().as_secs_f64();
            println!(
                "rows={} seconds={s:.3} rows_per_s={:.0} parquet_mb_per_s={:.1} json_mb_per_s={:.1} stopped={:?}",
                c.rows,
                c.rows as f64 / s,
                size / s / 1e6,
                c.ndjson.len() as f64 / s / 1e6,
                c.stopped
            );
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
