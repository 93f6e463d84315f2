//! Describing the bindings to people: the `?` help groups, the README's Markdown table, and
//! the plain text of `beadboard keys`.

use super::{Key, Keymap};

impl Keymap {
    /// Every binding grouped by scope, for the help overlay: `(scope title, [(keys, label)])`.
    #[must_use]
    pub fn help(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let mut groups: Vec<(&'static str, Vec<(String, &'static str)>)> = Vec::new();
        for b in &self.bindings {
            let entry = (keys_text(&b.keys), b.label);
            match groups
                .iter_mut()
                .find(|(title, _)| *title == b.scope.title())
            {
                Some((_, items)) => items.push(entry),
                None => groups.push((b.scope.title(), vec![entry])),
            }
        }
        groups
    }

    /// The key table as Markdown (the README embeds exactly this; a test checks it).
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut out = String::from("| where | keys | what |\n|---|---|---|\n");
        for b in &self.bindings {
            let keys = b
                .keys
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("| {} | {keys} | {} |\n", b.scope.title(), b.label));
        }
        out
    }

    /// The key table as plain text, one binding per line.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (scope, items) in self.help() {
            out.push_str(scope);
            out.push('\n');
            for (keys, label) in items {
                out.push_str(&format!("  {keys:<24}{label}\n"));
            }
        }
        out
    }
}

/// Keys joined with `/`: `j/↓`.
#[must_use]
pub fn keys_text(keys: &[Key]) -> String {
    keys.iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join("/")
}
