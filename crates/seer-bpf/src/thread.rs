//! Plumbing shared by the tracers: a drain thread that reports whether loading worked, and per-CPU
//! counter sums.

use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::BpfError;

/// Tells the starter whether the programs were loaded and attached.
pub(crate) type Ready = mpsc::Sender<Result<(), BpfError>>;

/// Spawns `run` on a thread named `name` and waits until it reports ready (or failed to load).
pub(crate) fn spawn_tracer(name: &str, run: impl FnOnce(Ready) + Send + 'static) -> Result<JoinHandle<()>, BpfError> {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || run(tx))
        .map_err(|e| BpfError::Thread(e.to_string()))?;
    match rx.recv() {
        Ok(Ok(())) => Ok(thread),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => Err(BpfError::Thread("tracer thread exited while starting".into())),
    }
}

/// Sum of a per-CPU `u64` counter as returned by `lookup_percpu`.
pub(crate) fn sum_percpu(values: &[Vec<u8>]) -> u64 {
    values
        .iter()
        .filter_map(|v| v.get(..8).and_then(|b| b.try_into().ok()).map(u64::from_ne_bytes))
        .sum()
}
