//! The load as the data worker runs it, natively (`trailglass-bench --load-only`): a
//! `Session` given a view and then every file, driven turn by turn as `crates/worker`'s loop
//! drives it (status and answer cadence, the answers' JSON made), then the indexing loop to its
//! end. Reads are instant here (the bytes are in memory), so this is the worker's own share of
//! a browser load: what it spends parsing, detecting, resolving identities and answering.
//! Prints, each the median of the repeats (seconds):
//!
//! * `load_s`: the first file to the last one's answer and status (`finish_load`), and its
//!   parts: `load_ingest_s` (the files' `file_read`: parse and store), `load_answers_s` (the
//!   answers recomputed during the load and their JSON), `load_status_s`, `load_finish_s` (the
//!   last answer: the identities and detections of everything);
//! * `load_answers`: how many answers the cadence asked for;
//! * `index_s`: the indexing loop after the load (the text index, then deferred compression).
//!
//! Figures only, no assertions.

use std::time::Instant;

use trailglass_core::engine::{Due, Request, Session, ViewSpec};
use trailglass_core::{Limits, ReadOptions};

use crate::median;

#[derive(Default)]
struct Times {
    total: f64,
    ingest: f64,
    answers: f64,
    status: f64,
    finish: f64,
    index: f64,
    count: usize,
}

fn no_sample(_: usize) -> Vec<(String, Vec<u8>)> {
    Vec::new()
}

fn once(files: &[(String, Vec<u8>)]) -> Times {
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    let mut s: Session<Vec<u8>> = Session::new(Limits::default(), no_sample);
    let view = ViewSpec { services: true, ..ViewSpec::default() };
    s.handle(Request::View { seq: 1, view }, Vec::new(), now());
    let handles = files.iter().map(|(_, b)| (b.clone(), b.len() as u64)).collect();
    let req = Request::Load {
        paths: files.iter().map(|(p, _)| p.clone()).collect(),
        missing: Vec::new(),
        left_out: Vec::new(),
        options: ReadOptions::default(),
    };
    let mut t = Times::default();
    let began = Instant::now();
    s.handle(req, handles, now());
    let secs = |i: Instant| i.elapsed().as_secs_f64();
    loop {
        if s.should_yield(now()) {
            s.yielded(now());
        }
        if s.stopping() {
            break;
        }
        let Some(p) = s.next_file() else { break };
        s.start_file(&p.path);
        let i = Instant::now();
        let due = s.file_read(&p.path, p.size, p.options, Ok(p.file), now());
        t.ingest += secs(i);
        match due {
            Due::Stop => break,
            Due::Nothing => {}
            Due::Status => {
                let i = Instant::now();
                std::hint::black_box(trailglass_core::engine::Reply::Status(s.status()).to_json());
                s.status_posted(now());
                t.status += secs(i);
            }
            Due::Answer => {
                let i = Instant::now();
                let answer = s.refresh();
                let json = answer.map(|a| trailglass_core::engine::Reply::Answer(a).to_json());
                std::hint::black_box(json);
                let cost = secs(i);
                t.answers += cost;
                t.count += 1;
                let i = Instant::now();
                std::hint::black_box(trailglass_core::engine::Reply::Status(s.status()).to_json());
                t.status += secs(i);
                s.answered(cost * 1000.0, now());
            }
        }
    }
    let i = Instant::now();
    let out = s.finish_load(now());
    for r in &out.replies {
        std::hint::black_box(r.to_json());
    }
    t.finish = secs(i);
    t.total = secs(began);
    let i = Instant::now();
    if out.start_indexing || s.start_indexing(now()) {
        while s.index_step() {}
    }
    t.index = secs(i);
    t
}

pub fn run(files: &[(String, Vec<u8>)], repeat: usize) {
    let runs: Vec<Times> = (0..repeat).map(|_| once(files)).collect();
    let m = |f: fn(&Times) -> f64| median(runs.iter().map(f).collect());
    println!("load_s={:.3}", m(|t| t.total));
    println!("load_ingest_s={:.3}", m(|t| t.ingest));
    println!("load_answers_s={:.3}", m(|t| t.answers));
    println!("load_status_s={:.3}", m(|t| t.status));
    println!("load_finish_s={:.3}", m(|t| t.finish));
    println!("load_answers={}", runs.first().map_or(0, |t| t.count));
    println!("index_s={:.3}", m(|t| t.index));
}
