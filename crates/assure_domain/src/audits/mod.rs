//! Assurance audits: frameworks (the standards, questions and scoring scheme an audit asks) and
//! assessments (one organisation's return in a campaign: its lifecycle, answers and scores).

pub mod assessment;
pub mod framework;
