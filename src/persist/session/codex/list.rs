//! Listing Codex rollouts: `sessions/YYYY/MM/DD/rollout-*.jsonl` (and `.jsonl.zst`, unless the
//! plain file is there too: Codex prefers it) plus the oldest flat `sessions/rollout-*.jsonl`,
//! stat only, each day directory on its own thread. Sub-agent rollouts are listed: only their
//! first line says what they are, so their summary carries `parent`.

use super::super::listing::dir::{self, Found, Problem};
use super::super::{Agent, SessionFile, SessionSource};
use std::path::{Path, PathBuf};

fn is_rollout(name: &str) -> bool {
    name.starts_with("rollout-") && (name.ends_with(".jsonl") || name.ends_with(".jsonl.zst"))
}

/// The uuid at the end of a rollout's name (`rollout-<time>-<uuid>.jsonl`), else its stem.
fn id_hint(name: &str) -> Option<String> {
    let stem = name
        .strip_prefix("rollout-")?
        .trim_end_matches(".zst")
        .strip_suffix(".jsonl")?;
    let tail = stem.len().checked_sub(36).and_then(|at| stem.get(at..));
    let is_uuid = |t: &str| {
        t.len() == 36
            && t.char_indices().all(|(i, c)| {
                if [8, 13, 18, 23].contains(&i) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    };
    Some(tail.filter(|t| is_uuid(t)).unwrap_or(stem).to_owned())
}

/// The rollouts among one directory's entries, a `.zst` only when its plain file is absent.
fn rollouts(found: &[Found]) -> Vec<SessionFile> {
    let plain: Vec<&str> = dir::files(found)
        .map(|(f, _)| f.name.as_str())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    dir::files(found)
        .filter_map(|(f, stamp)| {
            let source = match f.name.strip_suffix(".zst") {
                Some(base) if plain.contains(&base) => return None,
                Some(_) => SessionSource::Document(f.path.clone()),
                None => SessionSource::Lines(f.path.clone()),
            };
            Some(SessionFile {
                agent: Agent::Codex,
                source,
                id_hint: id_hint(&f.name),
                stamp: Some(stamp),
            })
        })
        .collect()
}

/// The session a file at `path` (a rollout in `home/sessions`, flat or in a day directory) is,
/// as [`list`] would list it, or `None` when it is none (another file, a `.zst` beside its plain
/// file).
pub(crate) fn one(home: &Path, path: &Path) -> Option<SessionFile> {
    let depth = path
        .strip_prefix(home.join("sessions"))
        .ok()?
        .components()
        .count();
    let name = path.file_name()?.to_str()?;
    if !(depth == 1 || depth == 4) || !is_rollout(name) {
        return None;
    }
    let source = match name.strip_suffix(".zst") {
        Some(_) if path.with_extension("").exists() => return None,
        Some(_) => SessionSource::Document(path.to_path_buf()),
        None => SessionSource::Lines(path.to_path_buf()),
    };
    Some(SessionFile {
        agent: Agent::Codex,
        source,
        id_hint: id_hint(name),
        stamp: dir::stamp(path),
    })
}

/// Every rollout under `home/sessions`.
pub(crate) fn list(home: &Path) -> (Vec<SessionFile>, Vec<Problem>) {
    let (top, mut problems) = dir::read(&home.join("sessions"), is_rollout);
    let mut sessions = rollouts(&top);
    let mut days: Vec<PathBuf> = Vec::new();
    for year in dir::dirs(&top) {
        let (months, mut p) = dir::read(&year.path, |_| false);
        problems.append(&mut p);
        for month in dir::dirs(&months) {
            let (found, mut p) = dir::read(&month.path, |_| false);
            problems.append(&mut p);
            days.extend(dir::dirs(&found).map(|d| d.path.clone()));
        }
    }
    let (mut found_days, mut more) = dir::each(&days, |day| {
        let (found, problems) = dir::read(day, is_rollout);
        (rollouts(&found), problems)
    });
    sessions.append(&mut found_days);
    problems.append(&mut more);
    (sessions, problems)
}

#[cfg(test)]
mod tests {
    use super::id_hint;

    #[test]
    fn the_id_is_the_uuid_at_the_end_of_the_name() {
        assert_eq!(
            id_hint("rollout-2026-01-02T03-04-05-11111111-1111-4111-8111-111111111111.jsonl.zst")
                .as_deref(),
            Some("11111111-1111-4111-8111-111111111111")
        );
        assert_eq!(id_hint("rollout-test.jsonl").as_deref(), Some("test"));
        assert_eq!(id_hint("other.jsonl"), None);
    }
}
