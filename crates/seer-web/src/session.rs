//! Browser sessions and one-time login links, in memory.
//!
//! A session id is 256 random bits, hex-encoded, and is all the cookie holds: the access token never
//! reaches the browser's storage. Login nonces are single-use and expire. Failed logins are counted in a
//! sliding one-minute window so that guessing is throttled.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::WebError;

/// Most sessions held at once; the oldest is dropped beyond this.
const MAX_SESSIONS: usize = 1024;
/// Most unused login nonces held at once.
const MAX_NONCES: usize = 64;

fn random_id() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| WebError::Random(e.to_string()))?;
    Ok(hex::encode(bytes))
}

#[derive(Default)]
struct Inner {
    /// Session id → expiry.
    sessions: HashMap<String, Instant>,
    /// Login nonce → expiry.
    nonces: HashMap<String, Instant>,
    /// Times of recent failed logins.
    failures: VecDeque<Instant>,
}

/// Sessions, nonces and the login-failure window.
pub(crate) struct Sessions {
    inner: Mutex<Inner>,
    session_ttl: Duration,
    link_ttl: Duration,
}

impl Sessions {
    pub fn new(session_ttl: Duration, link_ttl: Duration) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            session_ttl,
            link_ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Seconds a session lives (for the cookie's `Max-Age`).
    pub fn ttl_secs(&self) -> u64 {
        self.session_ttl.as_secs()
    }

    /// Starts a session and returns its id.
    pub fn create(&self) -> Result<String, WebError> {
        let id = random_id()?;
        let now = Instant::now();
        let mut g = self.lock();
        g.sessions.retain(|_, exp| *exp > now);
        if g.sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = g.sessions.iter().min_by_key(|(_, e)| **e).map(|(k, _)| k.clone())
        {
            g.sessions.remove(&oldest);
        }
        g.sessions.insert(id.clone(), now + self.session_ttl);
        Ok(id)
    }

    /// Whether `id` names a live session.
    pub fn valid(&self, id: &str) -> bool {
        let now = Instant::now();
        let mut g = self.lock();
        match g.sessions.get(id) {
            Some(exp) if *exp > now => true,
            Some(_) => {
                g.sessions.remove(id);
                false
            }
            None => false,
        }
    }

    /// Ends a session.
    pub fn remove(&self, id: &str) {
        self.lock().sessions.remove(id);
    }

    /// A new single-use login nonce.
    pub fn new_login_nonce(&self) -> Result<String, WebError> {
        let nonce = random_id()?;
        let now = Instant::now();
        let mut g = self.lock();
        g.nonces.retain(|_, exp| *exp > now);
        if g.nonces.len() >= MAX_NONCES
            && let Some(oldest) = g.nonces.iter().min_by_key(|(_, e)| **e).map(|(k, _)| k.clone())
        {
            g.nonces.remove(&oldest);
        }
        g.nonces.insert(nonce.clone(), now + self.link_ttl);
        Ok(nonce)
    }

    /// Uses up a login nonce: true once, if it exists and has not expired.
    pub fn consume_nonce(&self, nonce: &str) -> bool {
        let now = Instant::now();
        self.lock().nonces.remove(nonce).is_some_and(|exp| exp > now)
    }

    /// Whether logins are currently throttled (`limit` failures in the last minute).
    pub fn throttled(&self, limit: usize) -> bool {
        let mut g = self.lock();
        prune_failures(&mut g.failures);
        g.failures.len() >= limit
    }

    /// Records a failed login.
    pub fn record_failure(&self) {
        let mut g = self.lock();
        prune_failures(&mut g.failures);
        g.failures.push_back(Instant::now());
    }
}

fn prune_failures(f: &mut VecDeque<Instant>) {
    let now = Instant::now();
    while f
        .front()
        .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
    {
        f.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_and_nonces() -> Result<(), WebError> {
        let s = Sessions::new(Duration::from_secs(60), Duration::from_secs(60));
        let id = s.create()?;
        assert_eq!(id.len(), 64);
        assert!(s.valid(&id));
        assert!(!s.valid("nope"));
        s.remove(&id);
        assert!(!s.valid(&id));
        let n = s.new_login_nonce()?;
        assert!(s.consume_nonce(&n));
        assert!(!s.consume_nonce(&n), "single use");
        Ok(())
    }

    #[test]
    fn expired_things_are_refused() -> Result<(), WebError> {
        let s = Sessions::new(Duration::ZERO, Duration::ZERO);
        let id = s.create()?;
        assert!(!s.valid(&id));
        let n = s.new_login_nonce()?;
        assert!(!s.consume_nonce(&n));
        Ok(())
    }

    #[test]
    fn failures_throttle() {
        let s = Sessions::new(Duration::from_secs(60), Duration::from_secs(60));
        for _ in 0..3 {
            assert!(!s.throttled(3));
            s.record_failure();
        }
        assert!(s.throttled(3));
    }
}
