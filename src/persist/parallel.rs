//! Independent work over a slice, spread over the machine's cores with scoped threads (no pool
//! to keep, nothing left running): scans of many runs and searches of many transcripts. A panic
//! in `f` on any thread is raised again on the calling thread: never a shorter list.
//!
//! (rayon does the same; measured on the year of history it added 1–1.5 MiB to every peak,
//! which took the dashboard to its 48 MiB goal, and was no faster: see BENCHMARKS.md.)

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads to use: the available cores, at most 8.
#[must_use]
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Items taken at a time by a thread (small enough to balance, large enough to be cheap).
const CHUNK: usize = 16;

/// `items.iter().map(f).collect()`, on up to `threads` threads; the results keep the items'
/// order. Small inputs run on the calling thread.
///
/// # Panics
/// When `f` panics: the panic is raised again here, as if `f` had run on this thread.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len().div_ceil(CHUNK));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let cursor = AtomicUsize::new(0);
    // Each thread keeps its chunks' results apart, so they are put in order by moving each
    // chunk once (at most twice the results' size is ever held).
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = cursor.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + CHUNK).min(items.len());
            done.push((start, items[start..end].iter().map(&f).collect()));
        }
    };
    let mut chunks: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                s.spawn(|| {
                    // Its panic is raised again on the caller's thread, which reports it.
                    crate::panics::mark_caught();
                    work()
                })
            })
            .collect();
        let mut chunks = work();
        for h in helpers {
            match h.join() {
                Ok(done) => chunks.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        chunks
    });
    chunks.sort_unstable_by_key(|(start, _)| *start);
    let mut out = Vec::with_capacity(items.len());
    for (_, chunk) in chunks {
        out.extend(chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_on_many_threads() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            super::map(&items, 4, |i| i * 2),
            (0..1000).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&items[..3], 4, |i| i + 1), vec![1, 2, 3]);
        assert!(super::map(&[] as &[u8], 4, |i| *i).is_empty());
    }

    #[test]
    fn a_panicking_item_panics_the_caller_and_never_shortens_the_list() {
        let items: Vec<usize> = (0..1000).collect();
        let raised = std::panic::catch_unwind(|| {
            super::map(&items, 4, |&i| {
                if i == 500 {
                    panic!("item {i} is bad");
                }
                i
            })
        })
        .expect_err("the panic reaches the caller");
        let text = raised.downcast_ref::<String>().cloned().unwrap_or_default();
        assert_eq!(text, "item 500 is bad");
        // On one thread too (small input).
        assert!(
            std::panic::catch_unwind(|| super::map(&items[..3], 4, |_| -> u8 { panic!("x") }))
                .is_err()
        );
    }
}
