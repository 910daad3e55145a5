//! The merge driven over in-process engines, as the page drives it over workers, and every
//! reply compared with one engine holding all the files: two and three workers, the sample and
//! a spread of files, every sort, pages at every depth, steps, details, finds.

use std::collections::{BTreeMap, VecDeque};

use super::*;
use crate::answer::SortKey;
use crate::engine::{Session, ViewSpec};
use crate::store::{Column, Limits};

mod detections;
mod identities;

type Tab = Session<Vec<u8>>;
/// A request as a worker takes it, with its files' bytes and sizes.
type Posted = (Request, Vec<(Vec<u8>, u64)>);
/// A table row compared by its time, its sort text and its cells.
type Keyed = (Option<i64>, String, Vec<String>);

fn sample_files(events: usize) -> Vec<(String, Vec<u8>)> {
    trailglass_sample::builtin(events).into_iter().map(|f| (f.path, f.bytes)).collect()
}

/// A session's replies to a request, its load (if it starts one) run to the end with a clock
/// that moves a second per file, so Status and Answer replies come during it as in a browser.
fn serve(s: &mut Tab, req: Request, files: Vec<(Vec<u8>, u64)>, clock: &mut f64) -> Vec<Reply> {
    let out = s.handle(req, files, *clock);
    let mut replies = out.replies;
    if out.start_load {
        while let Some(p) = s.next_file() {
            if s.stopping() {
                break;
            }
            s.start_file(&p.path);
            *clock += 1000.0;
            let due = s.file_read(&p.path, p.size, p.options, Ok(p.file), *clock);
            match due {
                crate::engine::Due::Stop => break,
                crate::engine::Due::Nothing => {}
                crate::engine::Due::Status => {
                    replies.push(Reply::Status(s.status()));
                    s.status_posted(*clock);
                }
                crate::engine::Due::Answer => {
                    let a = s.refresh();
                    replies.push(Reply::Status(s.status()));
                    replies.extend(a.map(Reply::Answer));
                    s.answered(1.0, *clock);
                }
            }
        }
        replies.extend(s.finish_load(*clock).replies);
    }
    replies
}

/// Workers behind a merge, and one engine with everything beside them.
struct Cluster {
    merge: Coordinator,
    workers: Vec<Tab>,
    single: Tab,
    clock: f64,
    /// Each worker's requests not yet handled (the page posts; the worker takes them in order).
    inbox: Vec<VecDeque<Posted>>,
    /// The last merged export's bytes.
    download: Option<Vec<u8>>,
}

impl Cluster {
    fn new(of: u32) -> Self {
        let merge = Coordinator::new(of);
        let workers = (0..of).map(|_| Session::new(Limits::default(), sample_files)).collect();
        let mut c = Cluster {
            merge,
            workers,
            single: Session::new(Limits::default(), sample_files),
            clock: 0.0,
            inbox: vec![VecDeque::new(); of as usize],
            download: None,
        };
        let start = c.merge.start();
        let mut no_files = Vec::new();
        assert!(c.post(start, &mut no_files).is_empty());
        c
    }

    /// Posts the merge's outs; returns the replies for the page once every worker is idle.
    /// Workers take their requests one at a time, in turn, so their replies interleave.
    fn post(&mut self, outs: Vec<Out>, files: &mut [Option<Vec<u8>>]) -> Vec<Reply> {
        let mut page = Vec::new();
        self.route(outs, files, &mut page);
        loop {
            let mut any = false;
            for w in 0..self.workers.len() {
                let Some((req, fs)) = self.inbox[w].pop_front() else { continue };
                any = true;
                let replies = serve(&mut self.workers[w], req, fs, &mut self.clock);
                for r in replies {
                    let outs = self.merge.reply(w as u32, r, self.clock);
                    self.route(outs, files, &mut page);
                }
            }
            if !any {
                return page;
            }
        }
    }

    fn route(&mut self, outs: Vec<Out>, files: &mut [Option<Vec<u8>>], page: &mut Vec<Reply>) {
        for o in outs {
            match o {
                Out::Ask(w, r) => self.inbox[w as usize].push_back((r, Vec::new())),
                Out::Load(w, r, idx) => {
                    let fs = idx
                        .iter()
                        .map(|&i| {
                            let b = files[i].take().expect("each file goes to one worker");
                            let n = b.len() as u64;
                            (b, n)
                        })
                        .collect();
                    self.inbox[w as usize].push_back((r, fs));
                }
                Out::Reply(r) => page.push(*r),
                Out::Download { name, mime, bytes } => {
                    self.download = Some(bytes.clone());
                    page.push(Reply::Exported { name, mime, bytes: bytes.len() as u64 });
                }
            }
        }
    }

    /// The merged replies and the single engine's to one request.
    fn ask(&mut self, req: Request) -> (Vec<Reply>, Vec<Reply>) {
        self.ask_each(req.clone(), req)
    }

    /// The merged replies to `merged` and the single engine's to `single`.
    fn ask_each(&mut self, merged: Request, single: Request) -> (Vec<Reply>, Vec<Reply>) {
        let single = serve(&mut self.single, single, Vec::new(), &mut self.clock);
        let outs = self.merge.request(merged, &[]);
        (self.post(outs, &mut []), single)
    }

    /// The merged export's file and the single engine's, as text.
    fn export(
        &mut self,
        format: crate::engine::ExportFormat,
        columns: Vec<String>,
    ) -> (String, String) {
        let req = Request::Export { format, columns };
        let merged = self.merge.request(req.clone(), &[]);
        let replies = self.post(merged, &mut []);
        assert!(replies.iter().any(|r| matches!(r, Reply::Exported { .. })), "{replies:?}");
        let mine = String::from_utf8(self.download.take().expect("the file")).expect("utf-8");
        let out = self.single.handle(req, Vec::new(), 0.0);
        let theirs = String::from_utf8(out.export.expect("the file")).expect("utf-8");
        (mine, theirs)
    }

    fn load(&mut self, files: Vec<(String, Vec<u8>)>) {
        let paths: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
        let sizes: Vec<u64> = files.iter().map(|f| f.1.len() as u64).collect();
        let req = Request::Load {
            paths,
            missing: vec!["gone.json".into()],
            left_out: Vec::new(),
            options: Default::default(),
        };
        let all = files.iter().map(|f| (f.1.clone(), f.1.len() as u64)).collect();
        serve(&mut self.single, req.clone(), all, &mut self.clock);
        let outs = self.merge.request(req, &sizes);
        let mut fs: Vec<Option<Vec<u8>>> = files.into_iter().map(|f| Some(f.1)).collect();
        let replies = self.post(outs, &mut fs);
        let last = last_status(&replies).expect("a status");
        let single = self.single.status();
        assert_eq!(last.totals, single.totals);
        assert_eq!(last.progress, None);
    }
}

fn last_status(replies: &[Reply]) -> Option<Status> {
    replies.iter().rev().find_map(|r| match r {
        Reply::Status(s) => Some(s.clone()),
        _ => None,
    })
}

fn last_answer(replies: &[Reply]) -> Answer {
    replies
        .iter()
        .rev()
        .find_map(|r| match r {
            Reply::Answer(a) => Some(a.clone()),
            _ => None,
        })
        .expect("an answer")
}

use crate::engine::Status;

/// The parts of an answer the merge makes (ids and generations differ; the rules' lists are the
/// first worker's, the same in every worker).
fn same_answer(merged: &Answer, single: &Answer) {
    assert_eq!(merged.count, single.count);
    assert_eq!(merged.error, single.error);
    assert_eq!(merged.facets, single.facets);
    assert_eq!(merged.histogram, single.histogram);
    assert_eq!(merged.services, single.services);
    assert_eq!(merged.techniques, single.techniques, "the ATT&CK techniques' events");
    assert_eq!(merged.who_facets, single.who_facets, "the origin and session facets");
    assert_eq!(merged.identities, single.identities, "the Identities view");
    // Detections: the same rules with the same counts, times, top users and addresses and
    // timelines (correlations included: fired over every worker's matches).
    assert_eq!(merged.detections, single.detections, "the detections");
    assert_eq!(merged.findings, single.findings, "the findings");
}

/// Rows of a page as (time, cells): ids differ between the merge and one engine.
fn lines(replies: &[Reply]) -> Vec<(Option<i64>, Vec<String>)> {
    replies
        .iter()
        .find_map(|r| match r {
            Reply::Rows(p) => Some(p.rows.iter().map(|l| (l.time_ms, l.cells.clone())).collect()),
            _ => None,
        })
        .expect("a page")
}

/// Rows of equal sort key may come in another order (ties go by row id, which differs): groups
/// consecutive rows of the same key (the time alone for a time sort) and sorts within.
fn by_key(rows: Vec<(Option<i64>, Vec<String>)>, by_time: bool) -> Vec<Keyed> {
    let mut groups: BTreeMap<usize, Vec<Keyed>> = BTreeMap::new();
    let mut g = 0;
    let mut prev: Option<(Option<i64>, String)> = None;
    for (t, cells) in rows {
        let key = (t, cells.get(1).cloned().unwrap_or_default());
        let same = prev.as_ref().is_some_and(|p| p.0 == key.0 && (by_time || p.1 == key.1));
        if !same {
            g += 1;
            prev = Some(key.clone());
        }
        groups.entry(g).or_default().push((key.0, key.1, cells));
    }
    groups
        .into_values()
        .flat_map(|mut v| {
            v.sort();
            v
        })
        .collect()
}

fn view(query: &str, sort: SortKey, descending: bool) -> ViewSpec {
    ViewSpec { query: query.into(), sort, descending, services: true, ..ViewSpec::default() }
}

fn check_view(c: &mut Cluster, seq: u64, v: ViewSpec) {
    let key_col = match v.sort {
        SortKey::Time => "eventID".to_string(),
        SortKey::Column(col) => col.name().to_string(),
    };
    let sort = v.sort;
    let (m, s) = c.ask(Request::View { seq, view: v });
    let (ma, sa) = (last_answer(&m), last_answer(&s));
    same_answer(&ma, &sa);
    let total = sa.count;
    let columns = vec!["eventID".to_string(), key_col, "user".into()];
    // Every row once, in pages of 97: the whole merged order is the single one.
    let mut all_m = Vec::new();
    let mut all_s = Vec::new();
    let mut offset = 0;
    while offset < total {
        let req = Request::Rows { offset, limit: 97, columns: columns.clone() };
        let (m, s) = c.ask(req);
        all_m.extend(lines(&m));
        all_s.extend(lines(&s));
        offset += 97;
    }
    assert_eq!(all_m.len(), total);
    let key = |v: &Vec<(Option<i64>, Vec<String>)>| -> Vec<(Option<i64>, String)> {
        v.iter().map(|(t, c)| (*t, c.get(1).cloned().unwrap_or_default())).collect()
    };
    if matches!(sa.count, 0) {
        return;
    }
    // The sort keys in the same order; the rows the same within equal keys.
    if let SortKey::Column(_) = sort {
        assert_eq!(key(&all_m), key(&all_s));
    } else {
        let t = |v: &Vec<(Option<i64>, Vec<String>)>| v.iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(t(&all_m), t(&all_s));
    }
    let by_time = matches!(sort, SortKey::Time);
    assert_eq!(by_key(all_m.clone(), by_time), by_key(all_s, by_time));
    // A deep page on its own (no earlier page asked).
    let deep = total * 2 / 3;
    let (m, _) = c.ask(Request::Rows { offset: deep, limit: 40, columns: columns.clone() });
    let want: Vec<_> = all_m.iter().skip(deep).take(40).map(|x| x.0).collect();
    assert_eq!(lines(&m).iter().map(|x| x.0).collect::<Vec<_>>(), want);
}

fn selected(replies: &[Reply]) -> (Option<u32>, Option<usize>, Option<String>) {
    replies
        .iter()
        .find_map(|r| match r {
            Reply::Selected { row, pos, event_id } => Some((*row, *pos, event_id.clone())),
            _ => None,
        })
        .expect("a selection")
}

#[test]
fn two_workers_answer_the_sample_as_one_engine() {
    let mut c = Cluster::new(2);
    let (m, s) = c.ask(Request::Sample { events: 3000 });
    assert_eq!(last_status(&m).map(|s| s.totals), last_status(&s).map(|s| s.totals));
    // The sample's story fires rules, so the detections compared below are not empty.
    let (m, _) = c.ask(Request::View { seq: 99, view: view("", SortKey::Time, false) });
    let fired = last_answer(&m).detections;
    assert!(fired.len() >= 3 && fired.iter().all(|d| d.buckets.iter().sum::<u32>() > 0));
    let mut seq = 0;
    for (q, sort, desc) in [
        ("", SortKey::Time, false),
        ("", SortKey::Time, true),
        ("errorCode:*", SortKey::Column(Column::User), false),
        ("service:s3 OR service:iam", SortKey::Column(Column::Action), true),
        ("AccessDenied", SortKey::Column(Column::SourceIp), false),
        ("nothing-matches-this-xyz", SortKey::Time, false),
    ] {
        seq += 1;
        check_view(&mut c, seq, view(q, sort, desc));
    }
}

#[test]
fn steps_details_and_finds_place_rows_in_the_merged_order() {
    let mut c = Cluster::new(3);
    c.ask(Request::Sample { events: 2000 });
    let (m, s) = c.ask(Request::View { seq: 1, view: view("", SortKey::Time, true) });
    same_answer(&last_answer(&m), &last_answer(&s));
    // Walk a few steps from the first row, both ways, and compare positions and events.
    let (mut mrow, mut srow) = (None, None);
    for by in [0, 1, 5, 250, -3, 10_000, -20_000] {
        let (m, s) = c.ask_each(Request::Step { from: mrow, by }, Request::Step { from: srow, by });
        let (ms, ss) = (selected(&m), selected(&s));
        assert_eq!(ms.1, ss.1, "the position after a step of {by}");
        assert!(ms.2.is_some(), "step {by}: {ms:?} {ss:?}");
        mrow = ms.0;
        srow = ss.0;
        // The step moved the single engine the same way; keep them in step by position.
        let (m2, _) = c.ask(Request::Detail { row: mrow.unwrap() });
        let d = m2.iter().find_map(|r| match r {
            Reply::Detail(d) => d.clone(),
            _ => None,
        });
        let d = d.expect("the detail");
        assert_eq!(d.pos, ms.1);
        assert_eq!(Some(d.event_id.clone()), ms.2);
        let (f, _) = c.ask(Request::Find { event_id: d.event_id.clone() });
        assert_eq!(selected(&f), (mrow, ms.1, Some(d.event_id)));
    }
    let (f, _) = c.ask(Request::Find { event_id: "no-such-event".into() });
    assert_eq!(selected(&f), (None, None, None));
}

#[test]
fn files_spread_over_workers_load_and_answer_as_one_engine() {
    let mut c = Cluster::new(2);
    c.load(sample_files(2500));
    let (m, _) = c.ask(Request::View { seq: 1, view: view("", SortKey::Time, false) });
    assert!(last_answer(&m).count > 0);
    check_view(&mut c, 2, view("region:us-east-1", SortKey::Column(Column::Region), false));
    let files = last_status(&c.ask(Request::Clear).0);
    assert_eq!(files.map(|s| s.totals.kept), Some(0));
}

#[test]
fn events_in_files_of_different_workers_are_kept_once() {
    // Every file twice, the copy under another name (so not sent to the same worker): three
    // workers hold copies of each other's events, found once the load ends. `Cluster::load`
    // compares the totals (kept, duplicates) with one engine's.
    let mut c = Cluster::new(3);
    let files = sample_files(2500);
    let copies = files.iter().map(|(p, b)| {
        let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
        (format!("{dir}/copy-{name}"), b.clone())
    });
    let all: Vec<(String, Vec<u8>)> = files.iter().cloned().chain(copies).collect();
    c.load(all);
    let kept = c.single.status().totals.kept;
    assert_eq!(c.single.status().totals.duplicates, kept);
    // Some copies were indeed in other workers: each holds fewer rows than it read.
    let dropped: u64 = c.workers.iter().map(|w| w.engine().store().totals().duplicates).sum();
    assert_eq!(dropped, kept);
    check_view(&mut c, 1, view("", SortKey::Time, true));
    check_view(&mut c, 2, view("AccessDenied", SortKey::Column(Column::Action), false));
    // A second load of the same files again: all duplicates, wherever they go.
    c.load(files);
    assert_eq!(c.single.status().totals.duplicates, 2 * kept);
    check_view(&mut c, 3, view("", SortKey::Time, false));
}

#[test]
fn rows_without_a_time_come_last_in_the_merged_order_both_ways() {
    // Files of events without a time among the sample's, spread over three workers.
    let mut c = Cluster::new(3);
    let untimed = |i: usize| {
        let ev = |j: usize| {
            format!(
                r#"{{"eventSource":"s3.amazonaws.com","eventName":"NoTime{i}","eventID":"nt-{i}-{j}"}}"#
            )
        };
        (
            format!("untimed-{i}.json"),
            format!(r#"{{"Records":[{},{}]}}"#, ev(0), ev(1)).into_bytes(),
        )
    };
    let mut files = sample_files(1500);
    files.extend((0..5).map(untimed));
    c.load(files);
    for (seq, desc) in [(1, false), (2, true)] {
        check_view(&mut c, seq, view("", SortKey::Time, desc));
        let total = c.single.engine().matches().len();
        let (m, _) = c.ask(Request::Rows { offset: total - 12, limit: 12, columns: vec![] });
        let times: Vec<Option<i64>> = lines(&m).into_iter().map(|l| l.0).collect();
        assert!(times[..2].iter().all(Option::is_some), "desc {desc}: {times:?}");
        assert!(times[2..].iter().all(Option::is_none), "desc {desc}: {times:?}");
    }
}

#[test]
fn during_a_load_the_page_hears_at_one_workers_pace() {
    let mut m = Coordinator::new(2);
    let loading = |files_done| Status {
        progress: Some(crate::engine::Progress {
            files_done,
            files_total: 9,
            ..Default::default()
        }),
        ..Status::default()
    };
    let statuses = |outs: Vec<Out>| {
        outs.into_iter()
            .filter(|o| matches!(o, Out::Reply(r) if matches!(**r, Reply::Status(_))))
            .count()
    };
    // Both workers post every 250 ms, out of step: the page gets one status per 250 ms.
    let mut heard = 0;
    for i in 0..20 {
        let t = f64::from(i) * 125.0;
        heard += statuses(m.reply((i % 2) as u32, Reply::Status(loading(i as usize)), t));
    }
    assert!((9..=11).contains(&heard), "{heard} statuses in 2.5 s");
    // The end of the load is heard at once, whatever the pace.
    let done = Status::default();
    assert_eq!(statuses(m.reply(0, Reply::Status(done.clone()), 2_380.0)), 0, "one still loads");
    assert_eq!(statuses(m.reply(1, Reply::Status(done), 2_390.0)), 1);
}

/// The exchange's messages by hand: a candidate pair whose second hashes differ (two records
/// that share the dedupe's key: seen in a million generated events) drops nothing; one whose
/// hashes agree drops the copy of the higher-numbered worker.
#[test]
fn a_shared_key_alone_drops_no_event() {
    use crate::engine::dedupe::{encode_pairs, Pair};
    use base64::Engine as _;
    let b64 = |words: &[u64]| {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    for (second_hashes, dropped) in [((7, 8), None), ((7, 7), Some(vec![5]))] {
        let mut m = Coordinator::new(2);
        let loading = Status { progress: Some(Default::default()), ..Status::default() };
        m.reply(0, Reply::Status(loading.clone()), 0.0);
        m.reply(1, Reply::Status(loading), 0.0);
        m.reply(0, Reply::Status(Status::default()), 1.0);
        let outs = m.reply(1, Reply::Status(Status::default()), 2.0);
        let keys: Vec<_> =
            outs.iter().filter(|o| matches!(o, Out::Ask(_, Request::Keys))).collect();
        assert_eq!(keys.len(), 2, "the load's end asks both workers for their keys");
        m.reply(0, Reply::Keys { store: 10, to: vec![String::new(), "k".into()] }, 3.0);
        let outs = m.reply(1, Reply::Keys { store: 11, to: vec!["k".into(), String::new()] }, 3.0);
        assert!(outs.iter().any(|o| matches!(o, Out::Ask(0, Request::Owned { store: 10, from }) if from == &vec![(1, "k".to_string())])));
        let pair = Pair { keep: (0, 3), lose: (1, 5) };
        m.reply(0, Reply::Pairs { pairs: encode_pairs(&[pair]) }, 4.0);
        let outs = m.reply(1, Reply::Pairs { pairs: encode_pairs(&[]) }, 4.0);
        assert!(outs.contains(&Out::Ask(0, Request::Digests { store: 10, rows: vec![3] })));
        assert!(outs.contains(&Out::Ask(1, Request::Digests { store: 11, rows: vec![5] })));
        m.reply(0, Reply::Digests { store: 10, digests: b64(&[second_hashes.0]) }, 5.0);
        let outs = m.reply(1, Reply::Digests { store: 11, digests: b64(&[second_hashes.1]) }, 5.0);
        let drops: Vec<_> = outs
            .into_iter()
            .filter_map(|o| match o {
                Out::Ask(1, Request::DropRows { store: 11, rows }) => Some(rows),
                Out::Ask(_, Request::DropRows { .. }) => panic!("dropped from the wrong worker"),
                _ => None,
            })
            .collect();
        assert_eq!(drops.into_iter().next(), dropped);
    }
}

/// A worker's failure answers its oldest ask: the job is given up, and the asks after it still
/// meet their replies (the queues stay in step).
#[test]
fn a_failed_ask_leaves_the_queues_in_step() {
    let mut c = Cluster::new(2);
    c.ask(Request::Sample { events: 2000 });
    c.ask(Request::View { seq: 1, view: view("", SortKey::Time, false) });
    let columns = vec!["eventID".to_string()];
    let outs =
        c.merge.request(Request::Rows { offset: 0, limit: 10, columns: columns.clone() }, &[]);
    assert!(outs.iter().any(|o| matches!(o, Out::Ask(0, _))));
    // Worker 0 fails its ask; worker 1 answers its own, which finds the job gone.
    let heard = c.merge.reply(0, Reply::Failed { message: "Export failed: x".into() }, c.clock);
    assert!(heard
        .iter()
        .any(|o| matches!(o, Out::Reply(r) if matches!(**r, Reply::Failed { .. }))));
    for o in outs {
        if let Out::Ask(1, r) = o {
            c.inbox[1].push_back((r, Vec::new()));
        }
    }
    assert!(c.post(Vec::new(), &mut []).iter().all(|r| !matches!(r, Reply::Rows(_))));
    // The next page is the single engine's.
    let (m, s) = c.ask(Request::Rows { offset: 5, limit: 20, columns });
    let times = |r: &[Reply]| lines(r).into_iter().map(|l| l.0).collect::<Vec<_>>();
    assert_eq!(times(&m).len(), 20);
    assert_eq!(times(&m), times(&s));
}

#[test]
fn a_merged_export_is_the_file_one_engine_writes() {
    use crate::engine::ExportFormat;
    let mut c = Cluster::new(2);
    c.load(sample_files(6000));
    c.ask(Request::View { seq: 1, view: view("", SortKey::Time, true) });
    let columns: Vec<String> = ["time", "user", "requestParameters.bucketName", "eventID"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for format in [ExportFormat::Json, ExportFormat::Ndjson, ExportFormat::Csv] {
        let (mine, theirs) = c.export(format, columns.clone());
        // More than one chunk of the merged export.
        let n = theirs.lines().count();
        assert!(n > super::page_job::EXPORT_CHUNK, "{format:?}: {n} lines");
        // Equal times may come in another order (ties go by row id): the same lines, and the
        // same sequence of times (CSV's first column; the records' eventTime).
        fn sorted(t: &str) -> Vec<&str> {
            let mut l: Vec<&str> = t.lines().collect();
            l.sort_unstable();
            l
        }
        assert_eq!(sorted(&mine), sorted(&theirs), "{format:?}");
        let times = |t: &str| -> Vec<String> {
            t.lines()
                .map(|l| l.split("eventTime").nth(1).unwrap_or(l).chars().take(26).collect())
                .collect()
        };
        if format == ExportFormat::Csv {
            let first = |t: &str| {
                t.lines().map(|l| l.split(',').next().unwrap_or("").to_string()).collect::<Vec<_>>()
            };
            assert_eq!(first(&mine), first(&theirs));
        } else {
            assert_eq!(times(&mine), times(&theirs), "{format:?}");
        }
    }
}
