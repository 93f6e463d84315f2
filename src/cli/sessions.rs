//! `beadboard sessions`: every NTM session with a store, most recently changed first, with its
//! counts per status (what a session picker shows).

use super::CliError;
use super::output::{JsonItems, Out, Table, outln};
use crate::config::Roots;
use crate::persist::assignment::session_overview;
use crate::persist::gojson;
use crate::persist::parallel;
use crate::present::{sanitize, time};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

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
            let mut item = json!({"session": s.name, "changed_at": changed});
            if let (Some(st), Value::Object(map)) = (s.stats, &mut item) {
                for (k, n) in [
                    ("total", st.total),
                    ("assigned", st.assigned),
                    ("working", st.working),
                    ("completed", st.completed),
                    ("failed", st.failed),
                    ("reassigned", st.reassigned),
                ] {
                    map.insert(k.to_owned(), json!(n));
                }
            }
            if let (Some(p), Value::Object(map)) = (&s.problem, &mut item) {
                map.insert("problem".to_owned(), json!(p));
            }
            items.item(out, &item)?;
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
    let mut table = Table::new(&[
        "SESSION",
        "CHANGED",
        "TOTAL",
        "○ ASSIGNED",
        "▶ WORKING",
        "✓ DONE",
        "✗ FAILED",
        "→ MOVED",
    ]);
    for s in &all {
        let changed = s
            .changed
            .map_or_else(|| "-".to_owned(), |t| time::ago(now, t.into()));
        let mut row = vec![sanitize::one_line(&s.name), changed];
        match (s.stats, &s.problem) {
            (Some(st), _) => row.extend(
                [
                    st.total,
                    st.assigned,
                    st.working,
                    st.completed,
                    st.failed,
                    st.reassigned,
                ]
                .map(|n| n.to_string()),
            ),
            (None, problem) => row.push(format!(
                "⚠ unreadable: {}",
                sanitize::one_line(problem.as_deref().unwrap_or_default())
            )),
        }
        table.row(row);
    }
    table.print(out)?;
    Ok(())
}
