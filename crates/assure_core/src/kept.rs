//! What is kept between requests: values computed from many rows (a dashboard, a caseload, a
//! page of the plan, a campaign's returns), each under the *generation* of its inputs it was
//! computed at.
//!
//! A generation is a counter in the database that triggers raise in every transaction that
//! writes one of the inputs (migrations 0021 to 0027), whichever process or use-case writes it;
//! a request's session or token lookup reads every counter in its one statement
//! (`Ctx::generations`). A kept value is used only while the counter reads the generation it was
//! computed at, and it is computed from reads made after the counter was read, so it is at least
//! as new as its tag: nothing kept can go stale. Every cache in the process is a [`Kept`]; each
//! says which counter tags it and which tables raise that counter.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use crate::CoreResult;

/// Values by key, each with the generation `G` it was computed at (any ordered tag: a counter,
/// or a counter with the day). At most `MOST` entries: past it, those of older generations go
/// first, then all. One computation runs at a time through [`Kept::get_or_compute`]: requests
/// that find a value out of date while another computes it wait for that one and use what it
/// kept, rather than all computing it at once.
pub struct Kept<K, V, G = i64, const MOST: usize = 1_000> {
    values: Mutex<HashMap<K, (G, Arc<V>)>>,
    computing: tokio::sync::Mutex<()>,
}

impl<K, V, G, const MOST: usize> Default for Kept<K, V, G, MOST> {
    fn default() -> Self {
        Kept { values: Mutex::new(HashMap::new()), computing: tokio::sync::Mutex::new(()) }
    }
}

impl<K: Hash + Eq, V, G: Ord + Copy, const MOST: usize> Kept<K, V, G, MOST> {
    /// The value kept under `key`, if it was computed at `generation`.
    pub fn get(&self, key: &K, generation: G) -> Option<Arc<V>> {
        let values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        values.get(key).filter(|(g, _)| *g == generation).map(|(_, v)| v.clone())
    }

    /// Keeps `value` as computed at `generation`, unless a newer one is kept already (a slower
    /// computation never replaces a newer one); returns the newer of the two.
    pub fn put(&self, key: K, generation: G, value: V) -> Arc<V> {
        let value = Arc::new(value);
        let mut values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((g, newer)) = values.get(&key)
            && *g > generation
        {
            return newer.clone();
        }
        if values.len() >= MOST && !values.contains_key(&key) {
            // What was computed at an older generation is of no further use.
            values.retain(|_, (g, _)| *g >= generation);
            if values.len() >= MOST {
                values.clear();
            }
        }
        values.insert(key, (generation, value.clone()));
        value
    }

    /// The value kept under `key` at `generation`, or `compute`d now (one computation at a time)
    /// and kept. `compute` must read its inputs after `generation` was read.
    pub async fn get_or_compute(
        &self,
        key: K,
        generation: G,
        compute: impl Future<Output = CoreResult<V>>,
    ) -> CoreResult<Arc<V>> {
        if let Some(kept) = self.get(&key, generation) {
            return Ok(kept);
        }
        let _computing = self.computing.lock().await;
        if let Some(kept) = self.get(&key, generation) {
            // Another request computed it while this one waited.
            return Ok(kept);
        }
        Ok(self.put(key, generation, compute.await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_used_only_at_its_generation_and_never_replaced_by_an_older_one() {
        let kept: Kept<&str, u32> = Kept::default();
        assert_eq!(*kept.put("a", 2, 20), 20);
        assert_eq!(kept.get(&"a", 2).as_deref(), Some(&20));
        assert_eq!(kept.get(&"a", 3), None, "the inputs moved on");
        assert_eq!(*kept.put("a", 1, 10), 20, "a slower, older computation gives way");
        assert_eq!(kept.get(&"a", 2).as_deref(), Some(&20));
        assert_eq!(*kept.put("a", 3, 30), 30);
        assert_eq!(kept.get(&"a", 3).as_deref(), Some(&30));
    }

    #[test]
    fn past_its_bound_older_generations_go_first() {
        let kept: Kept<u32, u32, i64, 2> = Kept::default();
        kept.put(1, 1, 1);
        kept.put(2, 2, 2);
        kept.put(3, 2, 3);
        assert_eq!(kept.get(&1, 1), None, "the oldest went");
        assert_eq!((kept.get(&2, 2).as_deref(), kept.get(&3, 2).as_deref()), (Some(&2), Some(&3)));
    }

    #[tokio::test]
    async fn one_computation_serves_the_requests_that_wait_for_it() {
        let kept: Arc<Kept<u32, u32>> = Arc::default();
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (kept, runs) = (kept.clone(), runs.clone());
            tasks.push(tokio::spawn(async move {
                kept.get_or_compute(1, 7, async {
                    runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    Ok(42)
                })
                .await
                .map(|v| *v)
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), 42);
        }
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
