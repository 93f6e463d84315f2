//! The demo's text (bead titles, agent outputs, reviews, errors, the sessions' commands and
//! thinking), from `assets/demo/corpus.toml`.

use serde::Deserialize;

/// Everything the simulator says.
#[derive(Debug, Clone, Deserialize)]
pub struct Corpus {
    /// Repository paths runs are made in.
    pub repos: Vec<String>,
    /// Bead titles.
    pub beads: Vec<String>,
    /// Primary agent outputs that do not finish.
    pub primary: Vec<String>,
    /// Primary agent outputs that say DONE.
    pub primary_done: Vec<String>,
    /// Reviews that fail.
    pub review_fail: Vec<String>,
    /// Reviews that pass.
    pub review_pass: Vec<String>,
    /// Loop errors.
    pub errors: Vec<String>,
    /// Reasons beads fail.
    pub fail_reasons: Vec<String>,
    /// Commands Claude Code and Codex sessions run.
    pub commands: Vec<String>,
    /// What those commands print.
    pub tool_outputs: Vec<String>,
    /// Sessions' thinking.
    pub thoughts: Vec<String>,
    /// API errors a Claude Code session ends on.
    pub api_errors: Vec<String>,
}

const TEXT: &str = include_str!("../../assets/demo/corpus.toml");

impl Corpus {
    /// The built-in corpus.
    ///
    /// # Errors
    /// Only if the embedded file is broken (a test guards against that).
    pub fn load() -> Result<Corpus, toml::de::Error> {
        toml::from_str(TEXT)
    }

    /// A random line of `list` with `{n}` replaced by a digit.
    pub fn pick(list: &[String], rng: &mut fastrand::Rng) -> String {
        let text = list
            .get(rng.usize(..list.len().max(1)))
            .cloned()
            .unwrap_or_default();
        text.replace("{n}", &rng.u8(1..10).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_corpus_is_complete() {
        let c = Corpus::load().unwrap();
        for list in [
            &c.repos,
            &c.beads,
            &c.primary,
            &c.primary_done,
            &c.review_fail,
            &c.review_pass,
            &c.errors,
            &c.fail_reasons,
            &c.commands,
            &c.tool_outputs,
            &c.thoughts,
            &c.api_errors,
        ] {
            assert!(!list.is_empty());
        }
        assert!(c.primary_done.iter().all(|t| t.contains("DONE")));
        assert!(
            c.review_pass
                .iter()
                .all(|t| t.contains("PASS") || t.contains("APPROVED"))
        );
    }
}
