//! Every resolution of these tests again with its events dealt over two and three data workers
//! (each event in a worker of its own turn, so every chain crosses workers), exchanged as the
//! workers exchange them: each event's origin, chain, session and hops are one engine's.

use super::*;

/// A worker: its store (its events in their order) and its identities.
struct Worker {
    store: Store,
    ids: Identities,
}

fn event_id(s: &Store, r: usize) -> String {
    crate::query::field_text(s, r, "eventID").unwrap_or_default()
}

/// What a test compares of one event's resolution, rows named by their eventID.
fn seen(s: &Store, ids: &Identities, r: usize, name: &dyn Fn(u32) -> String) -> String {
    let mut b = ids.behind(s, r);
    let vias: Vec<String> =
        b.hops.iter().map(|h| h.via_row.map(name).unwrap_or_default()).collect();
    b.hops.iter_mut().for_each(|h| h.via_row = None);
    let session = ids.session_of(r).map(|x| ids.session_label(s, x)).unwrap_or_default();
    format!(
        "origin {:?}\nchain {:?}\nsession {session}\nbehind {b:?}\nvia {vias:?}",
        ids.origin_of(r).map(|o| &o.text),
        ids.chain_texts(s, r),
    )
}

/// Deals the events over `of` workers, runs the exchange, and compares every event with `whole`.
pub(super) fn agrees(files: &[Vec<Value>], whole: (&Store, &Identities), of: u32) {
    let events: Vec<&Value> = files.iter().flatten().collect();
    let mut workers: Vec<Worker> = (0..of)
        .map(|w| {
            let mut store = Store::new();
            for (i, e) in events.iter().enumerate().filter(|(i, _)| *i as u32 % of == w) {
                let text = json!({ "Records": [e] }).to_string();
                store.ingest(&format!("e{i}.json"), text.as_bytes());
            }
            let mut ids = Identities::new();
            ids.set_role(crate::role::Role { index: w, of });
            Worker { store, ids }
        })
        .collect();
    let tables = workers.iter_mut().map(|w| w.ids.table(&w.store)).collect();
    let table = IdTable::merge(tables);
    let claims = workers.iter_mut().map(|w| w.ids.share(&w.store, table.clone())).collect();
    let graph = IdGraph::of(&table, claims);
    for w in &mut workers {
        w.ids.take_graph(graph.clone());
    }
    let (ws, wi) = whole;
    let whole_name = |r: u32| event_id(ws, r as usize);
    let split_name = |id: u32| {
        let w = &workers[(id % of) as usize];
        event_id(&w.store, (id / of) as usize)
    };
    for w in &workers {
        for r in 0..w.store.len() {
            let id = event_id(&w.store, r);
            let at = (0..ws.len()).find(|&x| event_id(ws, x) == id).unwrap();
            let expected = seen(ws, wi, at, &whole_name);
            let got = seen(&w.store, &w.ids, r, &split_name);
            assert_eq!(got, expected, "event {id} with {of} workers");
        }
    }
}
