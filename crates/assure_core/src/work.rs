//! CPU-heavy work (password hashing, reading uploaded files) run off the async runtime, a
//! bounded number at a time, with a bounded queue: beyond it the caller is told the service is
//! busy (503 with `Retry-After`) rather than memory and threads growing without bound.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::{CoreError, CoreResult};

/// A bounded pool of blocking work.
pub(crate) struct Bounded {
    permits: tokio::sync::Semaphore,
    waiting: AtomicUsize,
    queue: usize,
    wait: Duration,
}

impl Bounded {
    /// At most `concurrency` jobs at once, `queue` more waiting (each for at most `wait`).
    pub(crate) fn new(concurrency: usize, queue: usize, wait: Duration) -> Bounded {
        Bounded { permits: tokio::sync::Semaphore::new(concurrency.max(1)), waiting: AtomicUsize::new(0), queue, wait }
    }

    /// Runs `work` on a blocking thread when a turn comes. A panic in it is an internal error.
    pub(crate) async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> CoreResult<T> {
        let busy = CoreError::Busy { retry_after: crate::error::BUSY_RETRY_SECONDS };
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy);
        }
        let permit = tokio::time::timeout(self.wait, self.permits.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let Ok(Ok(_permit)) = permit else { return Err(busy) };
        tokio::task::spawn_blocking(work).await.map_err(|e| CoreError::Internal(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_beyond_its_queue_is_busy_never_an_error() {
        let pool = std::sync::Arc::new(Bounded::new(1, 2, Duration::from_secs(5)));
        // Someone is working: the next two wait their turn...
        let turn = pool.permits.acquire().await.expect("a permit");
        let mut waiting = Vec::new();
        for i in 0..2 {
            let p = pool.clone();
            waiting.push(tokio::spawn(async move { p.run(move || i * 2).await }));
        }
        while pool.waiting.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        // ...and the one after them is told to come back, at once.
        let turned_away = pool.run(|| 0).await;
        assert!(matches!(turned_away, Err(CoreError::Busy { retry_after }) if retry_after > 0), "{turned_away:?}");
        drop(turn);
        let mut done = Vec::new();
        for w in waiting {
            done.push(w.await.expect("joined").expect("ran"));
        }
        done.sort();
        assert_eq!(done, vec![0, 2]);
    }
}
