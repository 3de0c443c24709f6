//! At most 5 calls in any one-second window per account and API path,
//! shared by every task in the process (WeChat answers 44990 beyond that).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::sync::lock;

pub const CALLS_PER_WINDOW: usize = 5;
/// One second plus a margin: requests reach the server a little later than
/// they leave, unevenly, and the server counts arrivals.
pub const WINDOW: Duration = Duration::from_millis(1100);

type Slot = Arc<tokio::sync::Mutex<VecDeque<Instant>>>;

#[derive(Default)]
pub struct Throttle {
    slots: Mutex<HashMap<(String, &'static str), Slot>>,
}

/// The one throttle of the process.
pub fn global() -> &'static Throttle {
    static GLOBAL: LazyLock<Throttle> = LazyLock::new(Throttle::default);
    &GLOBAL
}

impl Throttle {
    /// Waits until a call for `account` on `path` fits in the window, and
    /// counts it. Callers queue in order on the slot's lock.
    pub async fn acquire(&self, account: &str, path: &'static str) {
        let slot = {
            let mut slots = lock(&self.slots);
            slots.entry((account.to_owned(), path)).or_default().clone()
        };
        let mut sent = slot.lock().await;
        loop {
            let now = Instant::now();
            while sent.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                sent.pop_front();
            }
            match sent.front() {
                // The window is full: wait until its oldest call leaves it.
                Some(&oldest) if sent.len() >= CALLS_PER_WINDOW => tokio::time::sleep_until(oldest + WINDOW).await,
                _ => {
                    sent.push_back(now);
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn sixth_call_waits_for_the_window() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for _ in 0..5 {
            throttle.acquire("wxa", "/p").await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        throttle.acquire("wxa", "/p").await;
        assert_eq!(start.elapsed(), WINDOW);
        // Another path or account has its own window.
        throttle.acquire("wxa", "/q").await;
        throttle.acquire("wxb", "/p").await;
        assert_eq!(start.elapsed(), WINDOW);
    }
}
