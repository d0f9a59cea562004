//! A small, short-lived cache of reads that anyone may see (a visitor's
//! directory search, the lists of the search form), so that the most
//! requested pages do not run the same SQL again and again.
//!
//! It can never show what a write has just changed in this process: every
//! entry carries the write generation it was read at, and any committed
//! write transaction ([`crate::Tx::commit`]) or write of the directory
//! module bumps the generation *after* its change is committed, so an entry
//! read before (or during) a write is never served again. Writes of other
//! processes (a second server, `epop import-directory`) are seen within
//! [`TTL`]. It holds at most [`CAPACITY`] entries, or the number it is made with.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long an entry may be served: the staleness bound for writes made by
/// another process.
pub const TTL: Duration = Duration::from_secs(2);

/// Entries kept at most, per cache (unless made [`Cache::with_capacity`]).
pub const CAPACITY: usize = 64;

/// Bumped after every committed write (this process).
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The write generation now: read it *before* the read to cache.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

/// Called after a write is committed: every entry read before is dropped.
pub fn written() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

struct Entry<V> {
    generation: u64,
    at: Instant,
    value: V,
}

/// Values by key, each valid for its generation and [`TTL`].
pub struct Cache<V> {
    entries: Mutex<HashMap<String, Entry<V>>>,
    capacity: usize,
}

impl<V> Default for Cache<V> {
    fn default() -> Self {
        Cache::with_capacity(CAPACITY)
    }
}

impl<V> Cache<V> {
    /// A cache of at most `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Cache {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }
}

impl<V> std::fmt::Debug for Cache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").finish_non_exhaustive()
    }
}

impl<V: Clone> Cache<V> {
    /// The value of `key`, if it was read at the current generation less
    /// than [`TTL`] ago.
    pub fn get(&self, key: &str) -> Option<V> {
        let now = generation();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.generation == now && e.at.elapsed() < TTL)
            .map(|e| e.value.clone())
    }

    /// Keeps `value`, read at `generation` (taken before the read).
    pub fn put(&self, key: String, generation: u64, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let current = self::generation();
            entries.retain(|_, e| e.generation == current && e.at.elapsed() < TTL);
            if entries.len() >= self.capacity
                && let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, e)| e.at)
                    .map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            key,
            Entry {
                generation,
                at: Instant::now(),
                value,
            },
        );
    }

    /// How many entries are kept (for tests).
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_drops_what_was_read_before_and_the_size_is_bounded() {
        let c: Cache<i64> = Cache::default();
        let g = generation();
        c.put("a".into(), g, 1);
        assert_eq!(c.get("a"), Some(1));
        written();
        assert_eq!(c.get("a"), None, "read before the write");
        // Read while a write was committing: tagged with the older
        // generation, never served.
        c.put("b".into(), g, 2);
        assert_eq!(c.get("b"), None);
        let g = generation();
        for i in 0..(CAPACITY as i64 * 3) {
            c.put(format!("k{i}"), g, i);
        }
        assert!(c.len() <= CAPACITY);
    }
}
