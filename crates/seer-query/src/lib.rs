//! seer-query (work in progress).
