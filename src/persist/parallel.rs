//! Independent work over a slice, spread over the machine's cores with scoped threads (no pool
//! to keep, nothing left running): scans of many runs and searches of many transcripts.

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
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut chunks = work();
        // A helper that panicked loses its items' results; the remaining order is kept.
        for h in helpers {
            chunks.extend(h.join().unwrap_or_default());
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
}
