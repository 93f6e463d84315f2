//! OpenCode's `task` tool: the call that starts a sub-agent in a child session. Its part's
//! `state.metadata.sessionId` names the child (set as soon as the child exists, so a running
//! task names it too; packages/opencode/src/tool/task.ts); the output names it as well
//! (`<task id="ses_…">`, or `task_id: ses_…` in older builds), which is read when the
//! metadata lacks it. The entry is linked to the child's transcript once the child is known
//! to be in the database ([`link`]). Its result is shown as the answer inside that markup
//! ([`result_text`]).

use super::super::entry::{Entry, EntryKind, SubagentLink};
use super::super::skim::Json;
use super::super::text;
use std::collections::HashSet;
use std::path::Path;

/// The tool's name.
pub(super) const TOOL: &str = "task";

/// Makes the call entry of a `task` part the sub-agent's entry: its text the task's
/// description (or its prompt's first line), its link the child session's id when the part
/// names it.
pub(super) fn subagent_call(call: &mut Entry, input: Option<Json<'_>>, state: Option<Json<'_>>) {
    let [kind, description, prompt] = input.map_or([None; 3], |i| {
        i.pick(["subagent_type", "description", "prompt"])
    });
    let s = |j: Option<Json<'_>>| j.and_then(Json::str).unwrap_or_default().into_owned();
    let (kind, description) = (s(kind), s(description));
    call.kind = EntryKind::Subagent;
    if !description.is_empty() {
        text::set_text(call, text::cut(&description, text::ONE_LINE));
    } else if !s(prompt).is_empty() {
        text::set_text(call, text::first_line(&s(prompt)));
    }
    call.subagent = Some(SubagentLink {
        id: child_id(state).unwrap_or_default(),
        description: describe(kind, description),
        path: None,
    });
}

/// A sub-agent's name in words: its agent's type and the task's description
/// (`explore: find the list command`), or whichever is known.
pub(super) fn describe(kind: String, description: String) -> String {
    match (kind.is_empty(), description.is_empty()) {
        (false, false) => format!("{kind}: {description}"),
        (true, _) => description,
        (false, true) => kind,
    }
}

/// The child session a task part names: its metadata's `sessionId`, else the id its output
/// or error gives.
fn child_id(state: Option<Json<'_>>) -> Option<String> {
    let [metadata, output, error] = state?.pick(["metadata", "output", "error"]);
    let from_metadata = metadata
        .and_then(|m| m.get("sessionId"))
        .and_then(Json::str)
        .map(|s| s.into_owned())
        .filter(|s| !s.is_empty());
    from_metadata.or_else(|| {
        [output, error]
            .into_iter()
            .flatten()
            .find_map(|j| named_in(&j.str()?))
    })
}

/// The session id after `<task id="` or `task_id: ` in a task's output.
fn named_in(text: &str) -> Option<String> {
    ["<task id=\"", "task_id: "].iter().find_map(|mark| {
        let rest = &text[text.find(mark)? + mark.len()..];
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        id.starts_with("ses_").then_some(id)
    })
}

/// A task's output as the sub-agent's answer: the text inside `<task_result>`, else the
/// output without its `<task …>` wrapper, else the output as it is. The child it names is
/// read from the part's raw output ([`child_id`]), not from this.
pub(super) fn result_text(output: &str) -> String {
    if let Some(start) = output.find("<task_result>") {
        let inner = &output[start + "<task_result>".len()..];
        let inner = inner
            .find("</task_result>")
            .map_or(inner, |end| &inner[..end]);
        return inner.trim().to_owned();
    }
    match output.trim_start().strip_prefix("<task ") {
        Some(rest) => {
            let body = rest.split_once('\n').map_or("", |(_, body)| body).trim();
            body.strip_suffix("</task>")
                .unwrap_or(body)
                .trim()
                .to_owned()
        }
        None => output.to_owned(),
    }
}

/// Links each sub-agent entry whose child session is among `children` (the sessions whose
/// parent is the one read) to its transcript in `db`. A `subtask` part (a command that runs
/// as a sub-agent, in the prompt) becomes a `task` call in a later message, with the same
/// agent and description: it takes that call's child.
pub(super) fn link<'a>(
    entries: impl IntoIterator<Item = &'a mut Entry>,
    children: &HashSet<&str>,
    db: &Path,
) {
    let mut entries: Vec<&mut Entry> = entries
        .into_iter()
        .filter(|e| e.subagent.is_some())
        .collect();
    for e in &mut entries {
        if let Some(link) = &mut e.subagent
            && children.contains(link.id.as_str())
        {
            link.path = Some(db.to_path_buf());
        }
    }
    for i in 0..entries.len() {
        let (before, after) = entries.split_at_mut(i + 1);
        let e = &mut before[i];
        let Some(link) = e.subagent.as_mut().filter(|l| l.id.is_empty()) else {
            continue;
        };
        if e.tool.is_some() {
            continue;
        }
        let task = after.iter().find_map(|t| {
            let l = t.subagent.as_ref()?;
            (t.tool.as_deref() == Some(TOOL) && l.description == link.description).then_some(l)
        });
        if let Some(task) = task {
            link.id.clone_from(&task.id);
            link.path.clone_from(&task.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_child_is_read_from_the_metadata_then_from_the_output() {
        let child = |state: &str| child_id(Json::new(state.as_bytes()));
        assert_eq!(
            child(r#"{"metadata":{"sessionId":"ses_a1"},"output":"task_id: ses_b2"}"#).as_deref(),
            Some("ses_a1")
        );
        assert_eq!(
            child(r#"{"output":"<task id=\"ses_c3\" state=\"completed\">\nok"}"#).as_deref(),
            Some("ses_c3")
        );
        assert_eq!(
            child(r#"{"error":"Subagent failed (task_id: ses_d4): boom"}"#).as_deref(),
            Some("ses_d4")
        );
        assert_eq!(child(r#"{"output":"task_id: none here"}"#), None);
        assert_eq!(child(r#"{"status":"pending"}"#), None);
    }

    #[test]
    fn the_result_is_the_text_inside_the_task_markup() {
        let wrapped = "<task id=\"ses_c3\" state=\"completed\">\n<task_result>\nsrc/cmd/list.rs builds the table\n</task_result>\n</task>";
        assert_eq!(result_text(wrapped), "src/cmd/list.rs builds the table");
        let older = "task_id: ses_b2 (for resuming to continue this task if needed)\n\n<task_result>\nfound it\nin two files\n</task_result>";
        assert_eq!(result_text(older), "found it\nin two files");
        let bare = "<task id=\"ses_c3\" state=\"running\">\nstill looking\n</task>";
        assert_eq!(result_text(bare), "still looking");
        assert_eq!(result_text("plain answer"), "plain answer");
    }
}
