//! PDF report tests (to be written).
