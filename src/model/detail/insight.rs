//! The statistics of a CloudTrail Insight event (an unusual rate of calls or errors): as a
//! sentence for the summary, and as label/value rows for the panel's table.

use crate::model::columns::short_service;
use crate::model::detail::json::Json;
use crate::model::format::{format_minutes, format_number};

/// What an Insight event measured (`insightDetails.insightContext.statistics`).
#[derive(Clone, Debug, PartialEq)]
pub struct InsightStats {
    /// "Start" or "End".
    pub state: String,
    /// "ApiCallRateInsight" or "ApiErrorRateInsight".
    pub insight_type: String,
    /// `ec2:RunInstances`.
    pub action: String,
    pub error_code: Option<String>,
    /// Averages per minute over the baseline and the insight period.
    pub baseline_avg: Option<f64>,
    pub insight_avg: Option<f64>,
    /// Durations in minutes.
    pub baseline_minutes: Option<f64>,
    pub insight_minutes: Option<f64>,
}

/// The statistics of an Insight event; `None` for other events.
pub fn insight_stats(ev: &Json) -> Option<InsightStats> {
    let d = ev.get("insightDetails").filter(|v| matches!(v, Json::Obj(_)))?;
    let st = ["insightContext", "statistics"];
    let stat = |k: &[&str]| d.f64_at(&[st.as_slice(), k].concat());
    let src = d.str_at(&["eventSource"]).unwrap_or_default();
    let name = d.str_at(&["eventName"]).unwrap_or_else(|| "(unknown action)".into());
    Some(InsightStats {
        state: d.str_at(&["state"]).unwrap_or_default(),
        insight_type: d.str_at(&["insightType"]).unwrap_or_default(),
        action: match short_service(&src) {
            "" => name,
            s => format!("{s}:{name}"),
        },
        error_code: d.str_at(&["errorCode"]),
        baseline_avg: stat(&["baseline", "average"]),
        insight_avg: stat(&["insight", "average"]),
        baseline_minutes: stat(&["baselineDuration"]),
        insight_minutes: stat(&["insightDuration"]),
    })
}

impl InsightStats {
    fn is_error_rate(&self) -> bool {
        self.insight_type == "ApiErrorRateInsight"
    }

    /// "Insight: unusual rate of ec2:RunInstances (baseline 0.5/min, observed 12/min)".
    pub fn sentence(&self) -> String {
        let head = if self.state == "End" { "Insight ended" } else { "Insight" };
        let what = if self.is_error_rate() { "unusual error rate of" } else { "unusual rate of" };
        let mut parts = Vec::new();
        if let Some(e) = &self.error_code {
            parts.push(e.clone());
        }
        if let Some(b) = self.baseline_avg {
            parts.push(format!("baseline {}/min", format_number(b)));
        }
        if let Some(i) = self.insight_avg {
            parts.push(format!("observed {}/min", format_number(i)));
        }
        let detail =
            if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) };
        format!("{head}: {what} {}{detail}", self.action)
    }

    /// Label/value rows for the statistics table.
    pub fn table(&self) -> Vec<(&'static str, String)> {
        let rate = |v: Option<f64>| v.map(|v| format!("{}/min", format_number(v)));
        let mut rows = vec![
            (
                "Type",
                Some(
                    if self.is_error_rate() { "API error rate" } else { "API call rate" }
                        .to_string(),
                ),
            ),
            ("State", Some(self.state.clone()).filter(|s| !s.is_empty())),
            ("Action", Some(self.action.clone())),
            ("Error code", self.error_code.clone()),
            ("Baseline average", rate(self.baseline_avg)),
            ("Insight average", rate(self.insight_avg)),
        ];
        if let (Some(b), Some(i)) = (self.baseline_avg, self.insight_avg) {
            if b > 0.0 {
                rows.push(("Ratio", Some(format!("{}×", format_number(i / b)))));
            }
        }
        rows.push(("Insight duration", self.insight_minutes.map(format_minutes)));
        rows.push(("Baseline duration", self.baseline_minutes.map(format_minutes)));
        rows.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::detail::fixtures::{ev, BUCKET_POLICY, INSIGHT};
    use crate::model::detail::summary::summary;

    #[test]
    fn insight_summary_and_table() {
        let e = ev(INSIGHT);
        assert_eq!(
            summary(&e),
            "Insight: unusual rate of ec2:RunInstances (baseline 0.5/min, observed 12/min)"
        );
        let stats = insight_stats(&e).expect("insight");
        assert_eq!(stats.insight_minutes, Some(5.0));
        let table = stats.table();
        assert!(table.contains(&("Baseline average", "0.5/min".into())), "{table:?}");
        assert!(table.contains(&("Insight average", "12/min".into())));
        assert!(table.contains(&("Ratio", "24×".into())));
        assert!(table.contains(&("Insight duration", "5 min".into())));
        assert!(table.contains(&("Baseline duration", "7.87 days".into())));
        let err = r#"{"insightDetails":{"state":"End","eventSource":"iam.amazonaws.com","eventName":"GetUser","insightType":"ApiErrorRateInsight","errorCode":"AccessDenied","insightContext":{"statistics":{"baseline":{"average":8.82145e-05},"insight":{"average":0.6}}}}}"#;
        assert_eq!(summary(&ev(err)), "Insight ended: unusual error rate of iam:GetUser (AccessDenied, baseline 0.0000882/min, observed 0.6/min)");
        assert_eq!(insight_stats(&ev(BUCKET_POLICY)), None);
    }
}
