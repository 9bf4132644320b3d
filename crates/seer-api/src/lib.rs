//! seer-api (work in progress).
