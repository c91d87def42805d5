//! The intelligence dashboards: published statistics imported and computed into indicators with
//! their settings (`indicators`), partners' data returns (`returns`) and record-level extracts
//! aggregated into counts (`extracts`).

pub mod extracts;
pub mod indicators;
pub mod returns;
