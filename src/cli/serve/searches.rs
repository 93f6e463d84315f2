//! The searches a host is running for its client, by id, each with the flag that stops it: a
//! [`crate::remote::protocol::Request::Cancel`] sets it; a search's [`Ticket`] removes its
//! entry when the search ends, either way, before its end is sent (so the registry never
//! grows, and a cancel after the end finds nothing and is ignored).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The searches under way, shared by the request loop and the searches' threads.
#[derive(Debug, Clone, Default)]
pub struct Searches {
    running: Arc<Mutex<HashMap<u64, Arc<AtomicBool>>>>,
}

/// One search's place in [`Searches`]: its flag, and its entry, removed when dropped.
#[derive(Debug)]
pub struct Ticket {
    id: u64,
    /// Set when the client cancels the search.
    pub cancel: Arc<AtomicBool>,
    searches: Searches,
}

impl Searches {
    /// Registers the search `id` (made in the request loop, before its thread starts, so a
    /// cancel read right after it finds it). A second search with an id still running takes
    /// the id over: a cancel then stops the newer one.
    #[must_use]
    pub fn start(&self, id: u64) -> Ticket {
        let cancel = Arc::new(AtomicBool::new(false));
        if let Ok(mut running) = self.running.lock() {
            running.insert(id, Arc::clone(&cancel));
        }
        Ticket {
            id,
            cancel,
            searches: self.clone(),
        }
    }

    /// Stops the search `id`; false (and nothing done) when no search under way has it.
    pub fn cancel(&self, id: u64) -> bool {
        let flag = self
            .running
            .lock()
            .ok()
            .and_then(|running| running.get(&id).cloned());
        flag.inspect(|f| f.store(true, Ordering::Relaxed)).is_some()
    }

    /// How many searches are under way.
    #[cfg(test)]
    #[must_use]
    pub fn len(&self) -> usize {
        self.running.lock().map_or(0, |r| r.len())
    }

    /// No search is under way.
    #[cfg(test)]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Ticket {
    /// The search's id.
    #[must_use]
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Whether the client cancelled the search.
    #[cfg(test)]
    #[must_use]
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut running) = self.searches.running.lock()
            && running
                .get(&self.id)
                .is_some_and(|f| Arc::ptr_eq(f, &self.cancel))
        {
            running.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancel_finds_only_a_search_under_way_and_an_end_leaves_nothing() {
        let searches = Searches::default();
        assert!(!searches.cancel(1), "unknown: ignored");
        let first = searches.start(1);
        let other = searches.start(2);
        assert_eq!(searches.len(), 2);
        assert!(searches.cancel(1));
        assert!(first.cancelled() && !other.cancelled());
        drop(first);
        assert!(!searches.cancel(1), "ended: ignored");
        // An id taken over by a newer search: the older one's end leaves the newer's entry.
        let newer = searches.start(2);
        drop(other);
        assert!(searches.cancel(2));
        assert!(newer.cancelled());
        drop(newer);
        assert!(searches.is_empty());
    }
}
