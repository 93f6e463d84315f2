//! The search of every run's transcript, on a thread of its own: the same raw-bytes scanner as
//! `beadboard search`, on every core, its matches sent back as they are found (the first ones
//! at once, then with each progress report, about every 50 ms) and the end said last. Matches
//! beyond what the list keeps are counted, not sent; a set cancel flag stops it between
//! transcripts and between chunks of a large one.

use super::Sink;
use crate::app::effect::CorpusJob;
use crate::app::model::corpus::MAX_KEPT;
use crate::app::outcome::{CorpusEnd, CorpusUpdate, Outcome};
use crate::search::{CorpusEvent, CorpusProgress, CorpusSearch, Query};

/// Runs the search, reporting through `sink`.
pub fn run(job: CorpusJob, sink: &Sink) {
    let id = job.id;
    let send = |update: CorpusUpdate| sink.done(Outcome::Corpus(update));
    let query = match Query::new(&job.pattern) {
        Ok(q) => q,
        Err(e) => {
            let why = format!("cannot search for {:?}: {e}", job.pattern);
            return send(CorpusUpdate {
                id,
                end: Some(CorpusEnd::Failed(why)),
                ..CorpusUpdate::default()
            });
        }
    };
    let mut search = CorpusSearch::new(query);
    search.since = job.since;
    search.cancel = job.cancel;
    // Enough text around a match for a wide screen's row (the list cuts it to fit).
    search.context = 200;
    let mut pending = fresh(
        id,
        CorpusProgress {
            files: job.targets.len(),
            ..CorpusProgress::default()
        },
    );
    let (mut kept, mut sent_hits) = (0, false);
    let outcome = search.run(&job.targets, |event| match event {
        CorpusEvent::Hits(hits) => {
            let room = MAX_KEPT - kept;
            kept += hits.len().min(room);
            pending.hits.extend(hits.into_iter().take(room));
            pending.progress.hits = pending.progress.hits.max(kept);
            if !sent_hits && !pending.hits.is_empty() {
                // The first matches go at once: the list fills before the search ends.
                sent_hits = true;
                let progress = pending.progress;
                send(std::mem::replace(&mut pending, fresh(id, progress)));
            }
        }
        CorpusEvent::Progress(progress) => {
            pending.progress = progress;
            send(std::mem::replace(&mut pending, fresh(id, progress)));
        }
        CorpusEvent::Problem(why) => pending.problems.push(why),
    });
    pending.progress = outcome.progress;
    pending.end = Some(if outcome.cancelled {
        CorpusEnd::Cancelled
    } else {
        CorpusEnd::Finished
    });
    send(pending);
}

fn fresh(id: u64, progress: CorpusProgress) -> CorpusUpdate {
    CorpusUpdate {
        id,
        progress,
        ..CorpusUpdate::default()
    }
}
