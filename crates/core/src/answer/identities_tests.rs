//! The Identities answer over the built-in sample (its story's chain into two more accounts,
//! its new address) and the origin and session facets.

use super::*;

/// The built-in sample: its story's leaked key (svc-deploy) moves into a second and a third
/// account, from an address svc-deploy never used before.
fn sample() -> (Store, Identities) {
    let mut store = Store::new();
    for f in trailglass_sample::generate(&trailglass_sample::SynthOptions::default()) {
        store.ingest_owned(&f.path, f.bytes);
    }
    let mut ids = Identities::new();
    ids.update(&store);
    (store, ids)
}

#[test]
fn the_sample_story_is_one_line_with_its_chain_and_its_new_address() {
    let (store, ids) = sample();
    let mut first = FirstSeen::default();
    first.update(&store, &ids);
    let rows: Vec<u32> = (0..store.len() as u32).collect();
    let a = identities(&store, &ids, &first, &rows);
    let listed: u64 = a.lines.iter().map(|l| l.events).sum();
    assert_eq!(listed, store.len() as u64, "every event is behind one line (none left out)");
    assert_eq!(a.more, 0);
    let svc = a
        .lines
        .iter()
        .find(|l| l.origin.as_ref().is_some_and(|o| o.name == "svc-deploy"))
        .expect("svc-deploy has a line");
    let reached: Vec<(String, Option<String>)> =
        svc.nodes.iter().map(|n| (n.name.clone(), n.account.clone())).collect();
    for acct in ["577254526104", "830042445559"] {
        assert!(
            reached.contains(&("OrganizationAccountAccessRole".into(), Some(acct.into()))),
            "{acct} in {reached:?}"
        );
    }
    // origin → second account → third account, as edges of the graph.
    let node = |acct: &str| {
        svc.nodes.iter().position(|n| n.account.as_deref() == Some(acct)).unwrap() as u32
    };
    let (second, third) = (node("577254526104"), node("830042445559"));
    assert!(svc.edges.iter().any(|&(a, b, _)| a == 0 && b == second));
    assert!(svc.edges.iter().any(|&(a, b, _)| a == second && b == third));
    assert!(svc.errors > 0, "the recon failed a lot");
    assert!(
        svc.firsts.iter().any(|f| f.what == "ip" && f.value == "185.220.101.47"),
        "the attacker's address is new for svc-deploy: {:?}",
        svc.firsts
    );
    assert!(svc.accounts.contains(&"830042445559".to_string()));
}

#[test]
fn facets_count_origins_and_sessions_over_the_matches() {
    let (store, ids) = sample();
    let rows: Vec<u32> = (0..store.len() as u32).step_by(3).collect();
    let f = identity_facets(&store, &ids, &rows, 5);
    let (name, origin) = &f[0];
    assert_eq!(name, "origin");
    let by_hand = rows
        .iter()
        .filter(|&&r| {
            ids.origin_of(r as usize).map(|o| o.text.as_str()) == Some(&origin.values[0].0)
        })
        .count() as u64;
    assert_eq!(origin.values[0].1, by_hand);
    let shown: u64 = origin.values.iter().map(|v| v.1).sum();
    assert_eq!(shown + origin.other, rows.len() as u64);
    assert!(origin.values.windows(2).all(|w| w[0].1 >= w[1].1));
    assert_eq!(f[1].0, "session");
}
