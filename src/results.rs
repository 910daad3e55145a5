//! The answers the views show, as the data worker computed them, and the requests that keep them
//! current: every change of the query, time range, sort or panel sends the worker a new view
//! (`Request::View`); the worker answers it, and answers it again by itself when new data
//! arrives. The selected row's record is asked for when the selection changes.
//!
//! Each answer part is a `Memo` over `Dataset::answer`, so a view re-renders only when its own
//! part changed.

use leptos::prelude::*;
use trailglass_core::answer::{Facet, Histogram, IdentitiesAnswer, ServiceSummary};
use trailglass_core::engine::{Detection, Request, RuleFile, RuleProblem, ViewSpec};
use trailglass_core::query::QueryError;
use trailglass_core::Column;

use crate::state::{Dataset, Panel, ViewState};
use crate::web::worker_client::send;

/// The facet fields of the sidebar, with their query-language names and labels, in the order of
/// the worker's answer (`trailglass_core::engine::FACET_COLUMNS`).
pub const FACETS: [(Column, &str, &str); 9] = [
    (Column::Service, "service", "Service"),
    (Column::Action, "action", "Action"),
    (Column::User, "user", "User"),
    (Column::IdentityType, "type", "Identity type"),
    (Column::Region, "region", "Region"),
    (Column::SourceIp, "ip", "Source IP"),
    (Column::ErrorCode, "error", "Error"),
    (Column::Account, "account", "Account"),
    (Column::Category, "category", "Category"),
];

/// The view the worker should answer for these settings.
pub fn view_spec(view: &ViewState) -> ViewSpec {
    let sort = view.sort.get();
    ViewSpec {
        query: view.query.get(),
        range: view.range.get(),
        sort: sort.key,
        descending: sort.descending,
        services: view.panel.get() == Panel::Services,
        identities: view.panel.get() == Panel::Identities,
    }
}

/// The parts of the current answer. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Results {
    /// The current query's error, if it does not parse (the previous answer stays on screen).
    pub error: Memo<Option<QueryError>>,
    /// Events matching the query and time range.
    pub count: Memo<usize>,
    pub facets: Memo<Vec<(Column, Facet)>>,
    pub histogram: Memo<Histogram>,
    pub services: Memo<Vec<ServiceSummary>>,
    /// The facets of origin and session.
    pub who_facets: Memo<Vec<(String, Facet)>>,
    /// The Identities view (when it is the panel shown).
    pub identities: Memo<IdentitiesAnswer>,
    /// The rules that matched, over everything loaded, most severe first.
    pub detections: Memo<Vec<Detection>>,
    /// Each ATT&CK technique hit with its distinct events.
    pub techniques: Memo<Vec<(String, u64)>>,
    /// How many rules ran over the data.
    pub rules_run: Memo<usize>,
    /// Rules that could not be compiled.
    pub rule_problems: Memo<Vec<RuleProblem>>,
    /// The user's rule files as the engine read them.
    pub rule_files: Memo<Vec<RuleFile>>,
}

impl Results {
    /// The memos, and the effects that send the view and ask for the selected record.
    pub fn new(ds: Dataset, view: ViewState) -> Self {
        let seq = StoredValue::new(0u64);
        Effect::new(move |_| {
            let spec = view_spec(&view);
            seq.update_value(|s| *s += 1);
            send(&Request::View { seq: seq.get_value(), view: spec });
        });
        // The selected record, again when the data changes (a cleared store drops it).
        let generation = Memo::new(move |_| ds.status.with(|s| s.generation));
        Effect::new(move |_| {
            let _ = generation.get();
            match view.selected.get() {
                Some(row) => send(&Request::Detail { row }),
                None => ds.detail.set(None),
            }
        });
        let answer = ds.answer;
        Results {
            error: Memo::new(move |_| answer.with(|a| a.error.clone())),
            count: Memo::new(move |_| answer.with(|a| a.count)),
            facets: Memo::new(move |_| answer.with(|a| a.facets.clone())),
            histogram: Memo::new(move |_| answer.with(|a| a.histogram.clone())),
            services: Memo::new(move |_| answer.with(|a| a.services.clone().unwrap_or_default())),
            who_facets: Memo::new(move |_| answer.with(|a| a.who_facets.clone())),
            identities: Memo::new(move |_| {
                answer.with(|a| a.identities.clone().unwrap_or_default())
            }),
            detections: Memo::new(move |_| answer.with(|a| a.detections.clone())),
            techniques: Memo::new(move |_| answer.with(|a| a.techniques.clone())),
            rules_run: Memo::new(move |_| answer.with(|a| a.rules_run)),
            rule_problems: Memo::new(move |_| answer.with(|a| a.rule_problems.clone())),
            rule_files: Memo::new(move |_| answer.with(|a| a.rule_files.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_order_is_the_engines() {
        let ours: Vec<Column> = FACETS.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(ours, trailglass_core::engine::FACET_COLUMNS.to_vec());
    }
}
