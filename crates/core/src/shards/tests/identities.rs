//! Who is behind each call, across workers: every event's origin, session and chain as one
//! engine gives them.

use super::*;

/// Each event's origin, session and chain (its hops' calls named by eventID), by eventID.
fn who(c: &mut Cluster, merged: bool) -> BTreeMap<String, String> {
    let total = c.single.engine().store().len();
    let columns = vec!["eventID".to_string(), "origin".into(), "session".into()];
    let req = Request::Rows { offset: 0, limit: total, columns };
    let (m, s) = c.ask(req);
    let page = |replies: &[Reply]| {
        replies
            .iter()
            .find_map(|r| match r {
                Reply::Rows(p) => Some(p.rows.iter().map(|l| (l.id, l.cells.clone())).collect()),
                _ => None,
            })
            .expect("a page")
    };
    let rows: Vec<(u32, Vec<String>)> = if merged { page(&m) } else { page(&s) };
    let ids: BTreeMap<u32, String> =
        rows.iter().map(|(id, cells)| (*id, cells[0].clone())).collect();
    let mut out = BTreeMap::new();
    for (id, cells) in rows {
        let detail = if merged {
            let (m, _) = c.ask(Request::Detail { row: id });
            m.into_iter().find_map(|r| match r {
                Reply::Detail(d) => d,
                _ => None,
            })
        } else {
            c.single.engine().detail(id)
        };
        let mut b = detail.expect("a detail").behind;
        let vias: Vec<String> = b
            .hops
            .iter()
            .map(|h| h.via_row.and_then(|v| ids.get(&v).cloned()).unwrap_or_default())
            .collect();
        b.hops.iter_mut().for_each(|h| h.via_row = None);
        out.insert(cells[0].clone(), format!("{cells:?}\n{b:?}\n{vias:?}"));
    }
    out
}

#[test]
fn who_is_behind_each_call_is_one_engines_answer_across_workers() {
    for of in [2, 3] {
        let mut c = Cluster::new(of);
        c.load(sample_files(3000));
        let mut v = view("", SortKey::Time, false);
        v.identities = true;
        let (m, s) = c.ask(Request::View { seq: 1, view: v.clone() });
        same_answer(&last_answer(&m), &last_answer(&s));
        let lines = last_answer(&s).identities.map_or(0, |a| a.lines.len());
        assert!(lines > 3, "the sample has several origins: {lines}");
        v.query = "origin:*svc-deploy* OR ip:185.220.101.47".into();
        let (m, s) = c.ask(Request::View { seq: 2, view: v });
        same_answer(&last_answer(&m), &last_answer(&s));
        let (merged, single) = (who(&mut c, true), who(&mut c, false));
        assert_eq!(merged.len(), single.len());
        for (id, s) in &single {
            assert_eq!(merged.get(id), Some(s), "event {id} with {of} workers");
        }
        // The chains do cross workers: a call whose credentials another worker's call issued.
        let crossing = c.workers.iter().enumerate().any(|(w, t)| {
            let e = t.engine();
            (0..e.store().len() as u32).any(|r| {
                e.detail(r).is_some_and(|d| {
                    d.behind.origin.is_some()
                        && d.behind
                            .hops
                            .iter()
                            .any(|h| h.via_row.is_some_and(|v| v % of != w as u32))
                })
            })
        });
        assert!(crossing, "some chain crosses workers");
    }
}
