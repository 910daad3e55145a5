//! The rules in the engine: detections carried by every answer, the detection terms of the
//! query language, the rules of a row, the user's rule files, the detection exports, and the
//! agreed JSON shape of it all.

use super::tests::{answer, handle, loaded, session, view};
use super::*;
use crate::answer::{Finding, FINDINGS};

/// A user rule file with one rule on CreateUser (critical) named `mine`.
const MINE: &str = r#"
title: '=HYPERLINK("x") users made'
id: 11111111-2222-3333-4444-555555555555
name: mine
author: 'me, "quoted"'
tags:
    - attack.persistence
    - attack.t1136.003
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventName: CreateUser
    condition: selection
level: critical
"#;

fn sorted_as_listed(ds: &[Detection]) -> bool {
    ds.windows(2).all(|w| (w[0].level, w[0].count) >= (w[1].level, w[1].count))
}

/// Every answer carries the detections of all loaded data, most severe first, with buckets
/// aligned to its histogram; the findings are their counts; the detection terms select the
/// same events; a row's detail names its rules.
#[test]
fn answers_carry_the_detections() {
    let mut e = session();
    let a = answer(handle(&mut e, Request::View { seq: 1, view: view("") }));
    assert!(a.detections.is_empty() && a.rule_problems.is_empty() && a.rule_files.is_empty());
    let a = answer(handle(&mut e, Request::Sample { events: 3000 }));
    assert!(
        a.detections.len() >= 5,
        "{:?}",
        a.detections.iter().map(|d| &d.title).collect::<Vec<_>>()
    );
    assert!(sorted_as_listed(&a.detections));
    assert!(a.rule_problems.is_empty(), "{:?}", a.rule_problems);
    for d in &a.detections {
        assert!(d.count > 0 && d.first_ms <= d.last_ms && d.first_ms.is_some(), "{d:?}");
        assert!(d.top_users.len() <= 3 && d.top_ips.len() <= 3);
        assert!(d.top_users.windows(2).all(|w| w[0].1 >= w[1].1));
        assert!(d.techniques.windows(2).all(|w| w[0] < w[1]));
        assert!(!d.author.is_empty(), "{}: the author is shown with every detection", d.title);
        assert_eq!(d.buckets.len(), a.histogram.counts.len());
        // The whole data is the view: every (timed) match is in a bucket.
        assert_eq!(d.buckets.iter().map(|&b| u64::from(b)).sum::<u64>(), d.count, "{}", d.title);
        let n = answer(handle(
            &mut e,
            Request::View { seq: 2, view: view(&format!("rule:{}", d.rule)) },
        ));
        assert_eq!(n.count as u64, d.count, "rule:{}", d.rule);
        assert_eq!(n.detections.len(), a.detections.len(), "the view does not narrow them");
    }
    // The findings are the counts of the findings rules, found by their names too.
    assert!(!a.findings.is_empty());
    for f in &a.findings {
        let finding: &Finding = FINDINGS.iter().find(|x| x.id == f.id).expect("known");
        let by_rule =
            answer(handle(&mut e, Request::View { seq: 3, view: view(&format!("rule:{}", f.id)) }));
        let by_query = answer(handle(&mut e, Request::View { seq: 4, view: view(finding.query) }));
        assert_eq!((by_rule.count, by_query.count), (f.count, f.count), "{}", f.id);
        let d = a.detections.iter().find(|d| d.title == finding.title).expect("a detection");
        assert_eq!(d.count, f.count as u64);
    }
    // Level terms: the union of the detections at or above the level.
    let high = answer(handle(&mut e, Request::View { seq: 5, view: view("level>=high") })).count;
    let most = a.detections.iter().filter(|d| d.level >= Level::High).map(|d| d.count).max();
    assert!(most.is_some_and(|m| high as u64 >= m), "{high} {most:?}");
    let narrowed = answer(handle(
        &mut e,
        Request::View { seq: 6, view: view("level>=high service:cloudtrail") },
    ));
    assert!(narrowed.count <= high && narrowed.count > 0);
    // A narrower view keeps every detection, with buckets of its own histogram.
    let d0 = &narrowed.detections[0];
    assert_eq!(d0.buckets.len(), narrowed.histogram.counts.len());
    // The detail of a logging row names the logging rule, and only reported rules.
    let logging =
        a.detections.iter().find(|d| d.title == "CloudTrail stopped or changed").expect("logging");
    let row = {
        answer(handle(&mut e, Request::View { seq: 7, view: view("rule:logging") }));
        e.engine().sorted()[0]
    };
    let detail = e.engine().detail(row).expect("row");
    assert!(detail.rules.contains(&logging.rule), "{:?}", detail.rules);
    assert!(detail.rules.iter().all(|id| a.detections.iter().any(|d| &d.rule == id)));
    // Clear forgets the detections, not the rules.
    let cleared = answer(handle(&mut e, Request::Clear));
    assert!(cleared.detections.is_empty() && cleared.findings.is_empty());
}

/// A user's rule file runs at once and is replaced by name; a bad rule is a problem with its
/// line and column that stops nothing; removing the file removes its detections.
#[test]
fn user_rules_are_added_replaced_and_removed() {
    let mut e = loaded();
    answer(handle(&mut e, Request::View { seq: 1, view: view("") }));
    let generation = e.engine_mut().status().generation;
    let replies = handle(&mut e, Request::AddRules { name: "mine.yml".into(), text: MINE.into() });
    assert!(matches!(&replies[0], Reply::Status(s) if s.generation == generation));
    let a = answer(replies);
    assert_eq!(a.seq, 1, "the current view is answered again");
    assert_eq!(a.rule_files, vec![RuleFile { name: "mine.yml".into(), rules: 1, problems: 0 }]);
    let mine = &a.detections[0];
    assert_eq!((mine.origin, mine.level, mine.count), (RuleOrigin::User, Level::Critical, 1));
    assert_eq!(mine.rule, "11111111-2222-3333-4444-555555555555");
    assert_eq!(mine.top_users, vec![("bob".to_string(), 1)]);
    assert_eq!(mine.tactics, vec!["persistence"]);
    for q in ["rule:mine", "rule:1111*", "level:critical", "technique:T1136*", "tactic:persistence"]
    {
        assert_eq!(answer(handle(&mut e, Request::View { seq: 2, view: view(q) })).count, 1, "{q}");
    }
    assert_eq!(e.engine().detail(1).expect("row").rules[0], mine.rule);
    // Replaced by a file with a broken rule and a good one.
    let text = format!("{MINE}---\ntitle: broken\ndetection:\n    sel:\n        eventName|base64offset: x\n    condition: sel\n");
    let a = answer(handle(&mut e, Request::AddRules { name: "mine.yml".into(), text }));
    assert_eq!(a.rule_files, vec![RuleFile { name: "mine.yml".into(), rules: 1, problems: 1 }]);
    let p = &a.rule_problems[0];
    assert_eq!(p.file, "mine.yml");
    assert!(p.line > 1 && p.column >= 1 && p.message.contains("base64offset"), "{p:?}");
    assert_eq!(a.detections.iter().filter(|d| d.origin == RuleOrigin::User).count(), 1);
    assert!(a.findings.iter().any(|f| f.id == "denied"), "the built-in rules still run");
    let a = answer(handle(&mut e, Request::RemoveRules { name: "mine.yml".into() }));
    assert!(a.rule_files.is_empty() && a.rule_problems.is_empty());
    assert!(a.detections.iter().all(|d| d.origin != RuleOrigin::User));
    assert_eq!(answer(handle(&mut e, Request::View { seq: 3, view: view("rule:mine") })).count, 0);
    // Removing a file that is not there re-answers all the same.
    assert_eq!(handle(&mut e, Request::RemoveRules { name: "none.yml".into() }).len(), 2);
}

#[test]
fn detection_exports() {
    let mut e = loaded();
    handle(&mut e, Request::AddRules { name: "mine.yml".into(), text: MINE.into() });
    let a = answer(handle(&mut e, Request::View { seq: 1, view: view("") }));
    let n = a.detections.len();
    assert!(n >= 2);
    let export = |e: &mut super::tests::Tab, format| {
        let out = e.handle(Request::Export { format, columns: vec![] }, vec![], 0.0);
        assert!(matches!(&out.replies[0], Reply::Exported { name, .. } if name == format.file().0));
        String::from_utf8(out.export.expect("bytes")).expect("utf8")
    };
    let csv = export(&mut e, ExportFormat::DetectionsCsv);
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), n + 1, "{csv}");
    assert_eq!(
        lines[0],
        "rule,title,level,author,origin,techniques,tactics,count,first_seen,last_seen,event_ids"
    );
    assert_eq!(
        lines[1],
        "11111111-2222-3333-4444-555555555555,\"'=HYPERLINK(\"\"x\"\") users made\",critical,\
         \"me, \"\"quoted\"\"\",user,T1136.003,persistence,1,2024-03-01T10:00:01.000Z,\
         2024-03-01T10:00:01.000Z,b2"
    );
    let json: serde_json::Value =
        serde_json::from_str(&export(&mut e, ExportFormat::DetectionsJson)).expect("json");
    let list = json.as_array().expect("an array");
    assert_eq!(list.len(), n);
    assert_eq!(list[0]["event_ids"], serde_json::json!(["b2"]));
    assert_eq!(list[0]["level"], "critical");
    assert_eq!(list[0]["first_seen"], "2024-03-01T10:00:01.000Z");
    for d in list {
        assert_eq!(
            d["event_ids"].as_array().map(Vec::len),
            d["count"].as_u64().map(|c| c as usize)
        );
    }
    let layer: serde_json::Value =
        serde_json::from_str(&export(&mut e, ExportFormat::AttackNavigator)).expect("json");
    for k in ["name", "versions", "domain", "techniques", "gradient", "legendItems"] {
        assert!(layer.get(k).is_some(), "the layer has {k}: {layer}");
    }
    assert_eq!(
        layer["versions"],
        serde_json::json!({"layer": "4.5", "navigator": "5.1.0", "attack": "16"})
    );
    assert_eq!(layer["domain"], "enterprise-attack");
    let techniques = layer["techniques"].as_array().expect("techniques");
    let t = techniques.iter().find(|t| t["techniqueID"] == "T1136.003").expect("the user rule's");
    assert_eq!(
        (t["score"].as_u64(), t["color"].as_str()),
        (Some(1), Some(crate::answer::level_color(Level::Critical)))
    );
    // Scored by events: the findings' credentials rule matched the same CreateUser.
    assert!(t["comment"]
        .as_str()
        .is_some_and(|c| c.contains("users made") && c.contains("New users")));
    let parent =
        techniques.iter().find(|t| t["techniqueID"] == "T1136").expect("its parent, expanded");
    assert_eq!(parent["showSubtechniques"], true);
    for t in techniques.iter().filter(|t| t.get("score").is_some()) {
        assert!(t["techniqueID"].is_string() && t["color"].is_string() && t["comment"].is_string());
    }
    assert_eq!(layer["legendItems"].as_array().map(Vec::len), Some(5));
}

/// The detections' JSON is the shape agreed with the page: lowercase levels and origins, pairs as
/// arrays, and an answer or detail without the new fields still reads.
#[test]
fn detections_serialize_in_the_agreed_shape() {
    let d = Detection {
        rule: "4db60cc0-36fb-42b7-9b58-a5b53019fb74".into(),
        title: "AWS CloudTrail Important Change".into(),
        level: Level::Medium,
        author: "vitaliy0x1".into(),
        origin: RuleOrigin::Sigmahq,
        link: Some("https://github.com/SigmaHQ/sigma/blob/x/rules/a.yml".into()),
        techniques: vec!["T1562.008".into()],
        tactics: vec!["defense-evasion".into()],
        count: 2,
        first_ms: Some(1),
        last_ms: Some(5),
        top_users: vec![("alice".into(), 2)],
        top_ips: vec![("203.0.113.5".into(), 2)],
        buckets: vec![1, 0, 1],
    };
    let v = serde_json::to_value(&d).expect("ser");
    assert_eq!(v["level"], "medium");
    assert_eq!(v["origin"], "sigmahq");
    assert_eq!(v["top_users"], serde_json::json!([["alice", 2]]));
    assert_eq!(serde_json::from_value::<Detection>(v).expect("de"), d);
    for (o, name) in [
        (RuleOrigin::Sigmahq, "sigmahq"),
        (RuleOrigin::Trailglass, "trailglass"),
        (RuleOrigin::User, "user"),
    ] {
        assert_eq!(serde_json::to_string(&o).expect("ser"), format!("\"{name}\""));
    }
    let p = RuleProblem {
        file: "mine.yml".into(),
        rule: Some("t".into()),
        line: 3,
        column: 5,
        message: "unknown modifier `base64offset`".into(),
    };
    let a = Answer {
        detections: vec![d],
        rule_problems: vec![p],
        rule_files: vec![RuleFile { name: "mine.yml".into(), rules: 1, problems: 1 }],
        ..Answer::default()
    };
    let text = serde_json::to_string(&Reply::Answer(a.clone())).expect("ser");
    assert_eq!(serde_json::from_str::<Reply>(&text).expect("de"), Reply::Answer(a));
    // The earlier shapes still read.
    let mut old = serde_json::to_value(Answer::default()).expect("ser");
    for k in ["detections", "rule_problems", "rule_files"] {
        old.as_object_mut().expect("object").remove(k);
    }
    assert_eq!(serde_json::from_value::<Answer>(old).expect("de"), Answer::default());
    let mut old = serde_json::to_value(RowDetail::default()).expect("ser");
    old.as_object_mut().expect("object").remove("rules");
    assert_eq!(serde_json::from_value::<RowDetail>(old).expect("de"), RowDetail::default());
    for f in
        [ExportFormat::DetectionsCsv, ExportFormat::DetectionsJson, ExportFormat::AttackNavigator]
    {
        let text = serde_json::to_string(&f).expect("ser");
        assert_eq!(serde_json::from_str::<ExportFormat>(&text).expect("de"), f);
    }
}

/// The path index is kept across answers and extended as a load adds files: the detections of
/// a load answered file by file are those of the same files read at once, and after Clear and
/// other files, those of a fresh engine over them.
#[test]
fn detections_follow_a_growing_load() {
    let files = super::tests::sample_files(4000);
    assert!(files.len() >= 3, "the sample comes in several files");
    let run = |files: &[(String, Vec<u8>)], answer_each: bool| {
        let mut s = session();
        answer(handle(&mut s, Request::View { seq: 1, view: view("") }));
        let e = s.engine_mut();
        for (path, bytes) in files {
            e.start_file(path);
            e.ingest(path, bytes.clone());
            e.file_done(bytes.len() as u64);
            if answer_each {
                e.refresh();
            }
        }
        e.finish_load(None);
        let a = e.refresh().expect("an answer");
        (s, a)
    };
    let (mut grown, by_file) = run(&files, true);
    let (_, at_once) = run(&files, false);
    assert!(!by_file.detections.is_empty());
    assert_eq!(by_file.detections, at_once.detections);
    assert_eq!(by_file.techniques, at_once.techniques);
    assert!(by_file.rules_run > 50, "{}", by_file.rules_run);
    // Each technique's distinct events: at most the sum of its detections, at least the largest.
    for (t, n) in &by_file.techniques {
        let counts: Vec<u64> = by_file
            .detections
            .iter()
            .filter(|d| d.techniques.contains(t))
            .map(|d| d.count)
            .collect();
        assert!(counts.iter().max().is_some_and(|m| n >= m) && *n <= counts.iter().sum(), "{t}");
    }
    // Cleared and loaded with other files (the last one only): as a fresh engine.
    answer(handle(&mut grown, Request::Clear));
    let rest = &files[files.len() - 1..];
    let e = grown.engine_mut();
    for (path, bytes) in rest {
        e.start_file(path);
        e.ingest(path, bytes.clone());
        e.file_done(bytes.len() as u64);
    }
    e.finish_load(None);
    let after = e.refresh().expect("an answer");
    let (_, fresh) = run(rest, false);
    assert_eq!(after.detections, fresh.detections);
}

/// During a load every answer's detections are of every row read so far (each answer runs the
/// rules over the rows added since the last): at each step the same as an engine that read those
/// files at once, and so are a row's rules in its detail and the detections export.
#[test]
fn detections_during_a_load_cover_every_row_read() {
    let files = super::tests::sample_files(4000);
    assert!(files.len() > 2);
    let mut s = session();
    answer(handle(&mut s, Request::View { seq: 1, view: view("") }));
    s.engine_mut().queue(files.len(), 0);
    for k in 1..=files.len() {
        let (path, bytes) = &files[k - 1];
        let e = s.engine_mut();
        e.ingest(path, bytes.clone());
        if k == files.len() {
            e.finish_load(None);
        }
        let a = e.refresh().expect("an answer");
        let mut f = session();
        answer(handle(&mut f, Request::View { seq: 1, view: view("") }));
        f.engine_mut().load_owned(files[..k].to_vec());
        let fresh = f.engine_mut().refresh().expect("an answer");
        assert_eq!(a.detections, fresh.detections, "after {k} files");
        assert_eq!(a.techniques, fresh.techniques, "after {k} files");
        let (g, h) = (s.engine_mut(), f.engine_mut());
        let last = (g.store().len() - 1) as u32;
        assert_eq!(g.detail(last).map(|d| d.rules), h.detail(last).map(|d| d.rules));
        let csv = |e: &mut Engine| e.export(ExportFormat::DetectionsCsv, &[]).expect("export");
        assert_eq!(csv(g), csv(h), "after {k} files");
    }
    let e = s.engine_mut();
    let any = e.refresh().expect("an answer");
    assert!(any.detections.iter().any(|d| d.count > 0), "the sample matches rules");
}
