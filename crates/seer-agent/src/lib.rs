//! seer-agent (work in progress).
