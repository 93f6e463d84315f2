//! Codex sub-agents' rollouts, found from their parent's. A sub-agent is a thread of its own:
//! it writes its own rollout, `rollout-<local time>-<thread id>.jsonl`, in the day directory
//! of the moment it was spawned (so the parent's day or a later one), and its `session_meta`
//! names the parent (`source.subagent.thread_spawn.parent_thread_id`). The parent names the
//! thread when it starts it: a `sub_agent_activity` event (`kind: "started"`,
//! `agent_thread_id`) in current builds (openai/codex `codex-rs/rollout/src/policy.rs` persists
//! it; the `collab_agent_spawn_end` event is not persisted), a `collab_tool_call`
//! (`new_thread_id`) in older ones.

use super::super::entry::{Entry, EntryKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How many day directories after the parent's are looked in (a session that runs for days).
const MAX_DAYS: usize = 8;

/// The directories a sub-agent of the session whose rollout is `parent` can be in: the
/// parent's own, then (in the dated layout `sessions/YYYY/MM/DD/`) the next days that exist,
/// at most [`MAX_DAYS`].
fn day_dirs(parent: &Path) -> Vec<PathBuf> {
    let Some(day) = parent.parent() else {
        return Vec::new();
    };
    let mut out = vec![day.to_path_buf()];
    let dated: Vec<&Path> = day.ancestors().take(4).collect();
    let [day, month, year, sessions] = dated[..] else {
        return out;
    };
    let number = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (number(year), number(month), number(day)) else {
        return out;
    };
    let sorted = |dir: &Path| -> Vec<(u32, PathBuf)> {
        let mut v: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| Some((number(&e.path())?, e.path())))
            .filter(|(_, p)| p.is_dir())
            .collect();
        v.sort();
        v
    };
    'years: for (yn, ydir) in sorted(sessions).into_iter().filter(|(n, _)| *n >= y) {
        for (mn, mdir) in sorted(&ydir) {
            if (yn, mn) < (y, m) {
                continue;
            }
            for (dn, ddir) in sorted(&mdir) {
                if (yn, mn, dn) <= (y, m, d) {
                    continue;
                }
                if out.len() > MAX_DAYS {
                    break 'years;
                }
                out.push(ddir);
            }
        }
    }
    out
}

/// The thread id a rollout's file name ends with (`rollout-<time>-<id>.jsonl[.zst]`), and
/// whether it is compressed.
fn thread_of(name: &str) -> Option<(&str, bool)> {
    let (stem, packed) = match name.strip_suffix(".jsonl.zst") {
        Some(stem) => (stem, true),
        None => (name.strip_suffix(".jsonl")?, false),
    };
    let rest = stem.strip_prefix("rollout-")?;
    // The time is `YYYY-MM-DDThh-mm-ss` (19 characters), then `-`, then the id.
    Some((rest.get(20..).filter(|id| !id.is_empty())?, packed))
}

/// The rollouts of the threads `ids`, started by the session whose rollout is `parent`: each
/// found in the parent's day directory or a later one (the plain file rather than a compressed
/// one beside it). Threads not found are left out.
#[must_use]
pub fn find(parent: &Path, ids: &[&str]) -> HashMap<String, PathBuf> {
    let mut found: HashMap<String, (PathBuf, bool)> = HashMap::new();
    if ids.is_empty() {
        return HashMap::new();
    }
    for dir in day_dirs(parent) {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let Some((id, packed)) = name.to_str().and_then(thread_of) else {
                continue;
            };
            if !ids.contains(&id) || found.get(id).is_some_and(|(_, p)| !*p) {
                continue;
            }
            found.insert(id.to_owned(), (entry.path(), packed));
        }
        if ids.iter().all(|id| found.contains_key(*id)) {
            break;
        }
    }
    found
        .into_iter()
        .map(|(id, (path, _))| (id, path))
        .collect()
}

/// Links the sub-agent entries of the session whose rollout is `parent` that have no
/// transcript yet to their threads' rollouts, where those exist.
pub fn link<'a>(parent: &Path, entries: impl IntoIterator<Item = &'a mut Entry>) {
    let mut unlinked: Vec<&mut Entry> = entries
        .into_iter()
        .filter(|e| {
            e.kind == EntryKind::Subagent
                && e.subagent
                    .as_ref()
                    .is_some_and(|s| s.path.is_none() && !s.id.is_empty())
        })
        .collect();
    let ids: Vec<String> = unlinked
        .iter()
        .filter_map(|e| e.subagent.as_ref().map(|s| s.id.clone()))
        .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let found = find(parent, &ids);
    for e in &mut unlinked {
        if let Some(link) = e.subagent.as_mut() {
            link.path = found.get(&link.id).cloned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_is_named_by_the_end_of_its_file_name() {
        let id = "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f";
        let name = format!("rollout-2026-08-20T14-00-01-{id}.jsonl");
        assert_eq!(thread_of(&name), Some((id, false)));
        assert_eq!(thread_of(&format!("{name}.zst")), Some((id, true)));
        assert_eq!(thread_of("rollout-2026-08-20T14-00-01-.jsonl"), None);
        assert_eq!(thread_of("history.jsonl"), None);
    }

    #[test]
    fn found_on_the_parents_day_or_a_later_one_the_plain_file_first() {
        let dir = tempfile::tempdir().unwrap();
        let s = dir.path().join("sessions");
        let file = |day: &str, time: &str, id: &str, ext: &str| {
            let d = s.join(day);
            std::fs::create_dir_all(&d).unwrap();
            let p = d.join(format!("rollout-{time}-{id}.{ext}"));
            std::fs::write(&p, "{}\n").unwrap();
            p
        };
        let parent = file("2026/12/31", "2026-12-31T23-50-00", "p", "jsonl");
        let same = file("2026/12/31", "2026-12-31T23-55-00", "a", "jsonl");
        let _packed = file("2027/01/01", "2027-01-01T00-05-00", "b", "jsonl.zst");
        let plain = file("2027/01/01", "2027-01-01T00-05-00", "b", "jsonl");
        let earlier = file("2026/12/30", "2026-12-30T10-00-00", "c", "jsonl");
        let found = find(&parent, &["a", "b", "c", "missing"]);
        assert_eq!(found.get("a"), Some(&same));
        assert_eq!(
            found.get("b"),
            Some(&plain),
            "over midnight, plain over .zst"
        );
        assert_eq!(found.get("c"), None, "never before its parent: {earlier:?}");
        assert_eq!(found.len(), 2);
    }
}
