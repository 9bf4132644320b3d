//! seer-broker (work in progress).
