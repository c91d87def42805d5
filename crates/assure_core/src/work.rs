//! CPU-heavy work (password hashing, reading uploaded files) run off the async runtime on a few
//! threads of its own, with a bounded queue: beyond it the caller is told the service is busy
//! (503 with `Retry-After`) rather than memory and threads growing without bound.
//!
//! Dedicated threads rather than the runtime's blocking pool, because the allocator keeps
//! memory per thread: argon2's 19 MiB, freed on one of dozens of blocking threads, stays with
//! each of them; on two threads of their own it stays with two.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use crate::{CoreError, CoreResult};

type Job = Box<dyn FnOnce() + Send>;

/// A bounded pool of blocking work.
pub(crate) struct Bounded {
    jobs: SyncSender<Job>,
}

impl Bounded {
    /// `threads` threads named `name-N`, and at most `queue` jobs waiting for one. The threads
    /// end when the pool is dropped.
    pub(crate) fn new(name: &str, threads: usize, queue: usize) -> Bounded {
        let (jobs, waiting) = sync_channel::<Job>(queue);
        let waiting = Arc::new(Mutex::new(waiting));
        for n in 0..threads.max(1) {
            let waiting = waiting.clone();
            let spawned = std::thread::Builder::new().name(format!("{name}-{n}")).spawn(move || work(&waiting));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a worker thread");
            }
        }
        Bounded { jobs }
    }

    /// Runs `job` on one of the pool's threads when a turn comes. A panic in it is an internal
    /// error; a full queue is [`CoreError::Busy`].
    pub(crate) async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> CoreResult<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)));
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(CoreError::Busy { retry_after: crate::error::BUSY_RETRY_SECONDS });
            }
            Err(TrySendError::Disconnected(_)) => return Err(CoreError::Internal("the worker threads stopped".into())),
        }
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(CoreError::Internal("a background job panicked".into())),
            Err(_) => Err(CoreError::Internal("the worker threads stopped".into())),
        }
    }
}

fn work(waiting: &Mutex<Receiver<Job>>) {
    loop {
        let job = match waiting.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_beyond_its_queue_is_busy_never_an_error() {
        let pool = Arc::new(Bounded::new("test", 1, 2));
        // The one thread is busy until told to stop...
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started, has_started) = tokio::sync::oneshot::channel::<()>();
        let busy = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = started.send(());
                    let _ = hold.recv();
                    1
                })
                .await
            })
        };
        has_started.await.expect("started");
        // ...two more wait their turn (each polled once, which queues it)...
        let mut waiting: Vec<_> = (0..2).map(|i| Box::pin(pool.run(move || i * 2))).collect();
        for w in &mut waiting {
            assert!(tokio::time::timeout(std::time::Duration::ZERO, w).await.is_err(), "still waiting");
        }
        // ...and the one after them is told to come back, at once.
        let turned_away = pool.run(|| 0).await;
        assert!(matches!(turned_away, Err(CoreError::Busy { retry_after }) if retry_after > 0), "{turned_away:?}");
        release.send(()).expect("released");
        assert_eq!(busy.await.expect("joined").expect("ran"), 1);
        let mut done = Vec::new();
        for w in waiting {
            done.push(w.await.expect("ran"));
        }
        done.sort();
        assert_eq!(done, vec![0, 2]);
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_internal_error() {
        let pool = Bounded::new("test", 1, 1);
        let result: CoreResult<()> = pool.run(|| panic!("boom")).await;
        assert!(matches!(result, Err(CoreError::Internal(_))));
        assert_eq!(pool.run(|| 7).await.expect("the thread lives on"), 7);
    }
}
