//! The intelligence dashboards' data: published and partners' figures with their settings
//! (`indicators`), partners' data returns (`returns`) and record-level extracts' counts (`extracts`).

pub mod extracts;
pub mod indicators;
pub mod returns;
