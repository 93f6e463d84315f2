//! `beadboard sessions`: every NTM session with a store, most recently changed first, with its
//! counts per status (what a session picker shows).

use super::CliError;
use super::json::SessionJson;
use super::output::{JsonItems, Out, Table, outln};
use crate::config::Roots;
use crate::persist::assignment::session_overview;
use crate::persist::gojson;
use crate::persist::parallel;
use crate::present::{sanitize, time};
use chrono::{DateTime, Utc};

/// `sessions [--json]`.
pub fn list(out: &mut Out, roots: &Roots, as_json: bool) -> Result<(), CliError> {
    let all = session_overview(&roots.ntm, parallel::threads())?;
    let now = crate::clock::now();
    if as_json {
        let mut items = JsonItems::default();
        for s in &all {
            let changed = s
                .changed
                .map(|t| gojson::format_time(&DateTime::<Utc>::from(t).fixed_offset()));
            let item = SessionJson {
                session: s.name.clone(),
                changed_at: changed,
                counts: s.stats,
                problem: s.problem.clone(),
            };
            items.item(out, &serde_json::to_value(item)?)?;
        }
        items.end(out)?;
        return Ok(());
    }
    if all.is_empty() {
        outln!(
            out,
            "No sessions in {} (looked for sessions/*/assignments.json).",
            roots.ntm.join("sessions").display()
        )?;
        return Ok(());
    }
    // Schema 9's claim states get their columns when a store has a record in one, so the
    // counts always add up to TOTAL.
    let claims = all
        .iter()
        .any(|s| s.stats.is_some_and(|st| st.claiming + st.claimed > 0));
    let mut headers = vec!["SESSION", "CHANGED", "TOTAL"];
    if claims {
        headers.extend(["◌ CLAIMING", "◍ CLAIMED"]);
    }
    headers.extend([
        "○ ASSIGNED",
        "▶ WORKING",
        "✓ COMPLETED",
        "✗ FAILED",
        "→ REASSIGNED",
    ]);
    Table::stream(out, &headers, &all, |s| {
        let changed = s
            .changed
            .map_or_else(|| "-".to_owned(), |t| time::ago(now, t.into()));
        let mut row = vec![sanitize::one_line(&s.name), changed];
        match (s.stats, &s.problem) {
            (Some(st), _) => {
                row.push(st.total.to_string());
                if claims {
                    row.extend([st.claiming, st.claimed].map(|n| n.to_string()));
                }
                row.extend(
                    [
                        st.assigned,
                        st.working,
                        st.completed,
                        st.failed,
                        st.reassigned,
                    ]
                    .map(|n| n.to_string()),
                );
            }
            (None, problem) => row.push(format!(
                "⚠ unreadable: {}",
                sanitize::one_line(problem.as_deref().unwrap_or_default())
            )),
        }
        row
    })
}
