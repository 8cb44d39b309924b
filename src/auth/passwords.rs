//! Password hashes (argon2id, memory-hard) and the bounded pool that computes them.
//!
//! One argon2id hash takes about 19 MiB and tens of milliseconds of a core. Run on Tokio's
//! blocking pool as requests arrive, a flood of logins would start hundreds of them at once
//! (gigabytes, and a starved runtime). The [`HashPool`] runs at most `workers` at a time (half
//! the cores, at least one, by default: hashing never takes every core from the requests the
//! event loop serves) with at most `queue` more waiting; a request beyond that is answered 503
//! with `Retry-After` at once, without hashing anything.

use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

use super::AuthError;
use crate::metrics::Metrics;

/// A hash of nothing anyone knows, verified when the username does not exist, so that a login
/// for an unknown user costs the same as one with a wrong password.
pub static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("decoy password for unknown users").expect("argon2"));

/// A salted argon2id PHC string of `password`.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
}

/// Whether `password` matches the PHC string `phc`.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Runs password hashing on a bounded number of threads with a bounded queue.
pub struct HashPool {
    /// One permit per hash running.
    workers: Arc<Semaphore>,
    /// One permit per hash running or waiting.
    admitted: Arc<Semaphore>,
    metrics: Metrics,
}

impl HashPool {
    /// `workers` hashes at once (0: half the cores, at least one), `queue` more waiting.
    pub fn new(workers: u32, queue: u32, metrics: Metrics) -> Self {
        let workers = match workers {
            0 => std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            n => n as usize,
        };
        Self {
            workers: Arc::new(Semaphore::new(workers)),
            admitted: Arc::new(Semaphore::new(workers + queue as usize)),
            metrics,
        }
    }

    /// Runs `f` (a hash or a verification) when a worker is free, or refuses at once when the
    /// queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AuthError> {
        let Ok(_admitted) = self.admitted.clone().try_acquire_owned() else {
            self.metrics
                .ratelimit_dropped
                .with_label_values(&["password_hashing"])
                .inc();
            return Err(AuthError::Busy);
        };
        let _worker = self
            .workers
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|_| AuthError::HashFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_the_right_password_and_are_salted() {
        let a = hash("correct horse").unwrap();
        let b = hash("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify("correct horse", &a));
        assert!(!verify("wrong horse", &a));
    }

    #[tokio::test]
    async fn a_full_pool_refuses_at_once_and_serves_again_when_free() {
        let pool = Arc::new(HashPool::new(1, 1, Metrics::default()));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(parking_lot::Mutex::new(hold));
        type Hold = Arc<parking_lot::Mutex<std::sync::mpsc::Receiver<()>>>;
        let busy = |pool: Arc<HashPool>, hold: Hold| {
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = hold.lock().recv();
                })
                .await
            })
        };
        // One running, one queued: the third is refused without waiting.
        let running = busy(pool.clone(), hold.clone());
        let queued = busy(pool.clone(), hold.clone());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let refused = pool.run(|| ()).await.unwrap_err();
        assert!(matches!(refused, AuthError::Busy));
        release.send(()).unwrap();
        release.send(()).unwrap();
        running.await.unwrap().unwrap();
        queued.await.unwrap().unwrap();
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }
}
