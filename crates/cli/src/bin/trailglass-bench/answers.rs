//! Answer benchmarks for `trailglass-bench --answers-only`: what one view's answer costs the data
//! worker natively (the query, facets, histogram, order, detections, identity facets: all of
//! `Engine::set_view`) and how big it is as the JSON message the page parses, for one engine
//! holding every event and for one of two workers holding every other file (which answers with
//! a part: every value's count, not top lists). The browser's `filter_median_ms` and
//! `facet_median_ms` are these plus the message, the merge and the render. Prints, for each view
//! (`all`, `filter` = service:s3 / service:ec2 alternately, `facet` = the facet click's query,
//! `identities` = the Identities view of everything):
//!
//! * `answer_<view>_ms` and `answer_<view>_bytes` (one engine);
//! * `part_<view>_ms`, `part_<view>_bytes` and `part_<view>_bytes_by_field` (one of two workers:
//!   the serialized size of each field of its `ViewPart`), and `merge_<view>_identities_ms`: the
//!   page's merge of two such parts' Identities view.
//!
//! Figures only, no assertions.

use std::time::Instant;

use trailglass_core::answer::merge_identities;
use trailglass_core::engine::{Answer, Engine, Role, ViewSpec};
use trailglass_core::Limits;

use crate::query::stats;

fn engine(files: &[(String, Vec<u8>)], role: Option<Role>) -> Engine {
    let mut e = Engine::new(Limits::default());
    if let Some(r) = role {
        e.set_role(r);
    }
    let mine =
        files.iter().enumerate().filter(|(i, _)| role.is_none_or(|r| r.keeps_sample_file(*i)));
    e.load_owned(mine.map(|(_, f)| f.clone()));
    e.finish_load(None);
    e.refresh();
    e
}

fn json_len<T: serde::Serialize>(v: &T) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.len())
}

/// Sets each of `queries` in turn `repeat` times (after a first answer of each, which computes
/// the rules' hits and the identities); the answers' times and the last one.
fn time_views(e: &mut Engine, queries: &[&str], repeat: usize) -> (Vec<f64>, Option<Answer>) {
    // `who:` asks for the Identities view (of every event).
    let view = |q: &str| match q.strip_prefix("who:") {
        Some(q) => ViewSpec { query: q.into(), identities: true, ..ViewSpec::default() },
        None => ViewSpec { query: q.into(), services: true, ..ViewSpec::default() },
    };
    let mut seq = 0;
    for q in queries {
        seq += 1;
        e.set_view(seq, view(q));
    }
    let (mut ms, mut last) = (Vec::new(), None);
    for _ in 0..repeat {
        for q in queries {
            seq += 1;
            let t = Instant::now();
            last = e.set_view(seq, view(q));
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    (ms, last)
}

pub fn run(files: &[(String, Vec<u8>)], repeat: usize) {
    let views: [(&str, &[&str]); 4] = [
        ("all", &[""]),
        ("filter", &["service:s3", "service:ec2"]),
        ("facet", &["service:s3 region:us-east-1"]),
        ("identities", &["who:"]),
    ];
    let mut one = engine(files, None);
    for (name, queries) in views {
        let (ms, last) = time_views(&mut one, queries, repeat);
        println!("answer_{name}_ms={:.2}", stats(ms).0);
        println!("answer_{name}_bytes={}", last.as_ref().map_or(0, json_len));
    }
    drop(one);
    let mut half = engine(files, Some(Role { index: 0, of: 2 }));
    for (name, queries) in views {
        let (ms, last) = time_views(&mut half, queries, repeat);
        println!("part_{name}_ms={:.2}", stats(ms).0);
        println!("part_{name}_bytes={}", last.as_ref().map_or(0, json_len));
        // What the page's merge of two such parts costs (this part twice: the same sizes).
        if let Some(p) = last.as_ref().and_then(|a| a.part.as_deref()) {
            let parts = vec![p.identities.clone(), p.identities.clone()];
            let t = Instant::now();
            let merged = merge_identities(parts.into_iter().flatten().collect());
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            println!("merge_{name}_identities_ms={ms:.2} (lines {})", merged.lines.len());
        }
        let Some(p) = last.as_ref().and_then(|a| a.part.as_deref()) else { continue };
        let facets: Vec<String> =
            p.facets.iter().map(|(c, v)| format!("{}:{}", c.name(), json_len(v))).collect();
        println!(
            "part_{name}_bytes_by_field=facets({}) series:{} services:{} samples:{} who:{} \
             identities:{} detections:{}",
            facets.join(","),
            json_len(&p.series),
            json_len(&p.services),
            json_len(&p.samples),
            json_len(&p.who),
            json_len(&p.identities),
            last.as_ref().map_or(0, |a| json_len(&a.detections)),
        );
    }
}
