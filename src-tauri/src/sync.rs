//! Locking shared state.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, carrying on when an earlier holder panicked: every value
/// kept behind these locks stays consistent across a panic (history writes
/// are SQLite transactions, the rest are maps replaced entry by entry), so
/// one failed command must not make every later one fail too.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
