//! Independent work over a slice, spread over the machine's cores with rayon: scans of many
//! runs and searches of many transcripts. Each call has a pool of its own (no pool to keep,
//! nothing left running once it is dropped), so `threads` is exactly the most it uses. A panic
//! in `f` is raised again on the calling thread, after the other items have stopped: never a
//! shorter list.

use rayon::prelude::*;

/// How many threads to use: the available cores, at most 8.
#[must_use]
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Items taken at a time by a thread (small enough to balance, large enough to be cheap).
const CHUNK: usize = 16;

/// `items.iter().map(f).collect()`, on up to `threads` threads; the results keep the items'
/// order and are written in place (no copy of them is ever held). Small inputs, or a pool that
/// cannot be started, run on the calling thread.
///
/// # Panics
/// When `f` panics: the panic is raised again here, as if `f` had run on this thread.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len().div_ceil(CHUNK));
    let pool = (threads > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("beadboard-parallel-{i}"))
                // Its panics are raised again on the caller's thread, which reports them.
                .start_handler(|_| crate::panics::mark_caught())
                .build()
                .ok()
        })
        .flatten();
    match pool {
        Some(pool) => pool.install(|| items.par_iter().with_min_len(CHUNK).map(&f).collect()),
        None => items.iter().map(f).collect(),
    }
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
