//! seer-collect (work in progress).
