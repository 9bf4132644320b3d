//! seer-pxl (work in progress).
