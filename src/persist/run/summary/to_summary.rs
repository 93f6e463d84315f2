//! [`ToSummary`]: what can be seen as a [`RunSummary`] (a summary, shared or borrowed, or a
//! full [`RunRecord`]), so lists and commands take either without copying what is shared.

use super::{ManifestSummary, RunKind, RunSummary};
use crate::persist::run::RunRecord;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// Anything that can be seen as a [`RunSummary`]: a summary itself, or a full record.
pub trait ToSummary {
    /// The run directory.
    fn run_dir(&self) -> &Path;
    /// The summary (borrowed when it already is one).
    fn to_summary(&self) -> Cow<'_, RunSummary>;
    /// The summary to keep, shared (the same allocation when it already is shared).
    fn to_shared(&self) -> Arc<RunSummary> {
        Arc::new(self.to_summary().into_owned())
    }
}

impl<T: ToSummary> ToSummary for &T {
    fn run_dir(&self) -> &Path {
        (**self).run_dir()
    }

    fn to_summary(&self) -> Cow<'_, RunSummary> {
        (**self).to_summary()
    }

    fn to_shared(&self) -> Arc<RunSummary> {
        (**self).to_shared()
    }
}

impl ToSummary for Arc<RunSummary> {
    fn run_dir(&self) -> &Path {
        &self.dir
    }

    fn to_summary(&self) -> Cow<'_, RunSummary> {
        Cow::Borrowed(self)
    }

    fn to_shared(&self) -> Arc<RunSummary> {
        Arc::clone(self)
    }
}

impl ToSummary for RunSummary {
    fn run_dir(&self) -> &Path {
        &self.dir
    }

    fn to_summary(&self) -> Cow<'_, RunSummary> {
        Cow::Borrowed(self)
    }
}

impl ToSummary for RunRecord {
    fn run_dir(&self) -> &Path {
        &self.dir
    }

    fn to_summary(&self) -> Cow<'_, RunSummary> {
        Cow::Owned(RunSummary {
            dir: self.dir.clone(),
            repo_key: self.repo_key.as_str().into(),
            run_key: self.run_key.clone(),
            kind: RunKind::Agentpair(ManifestSummary::of(&self.manifest)),
            activity: Some(self.activity),
            peek: self.peek.clone().map(Box::new),
            stamp: None,
        })
    }
}
