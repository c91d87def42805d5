//! Published statistics and the indicators computed from them.
//!
//! `assure import FILE…` recognises the DfE explore-education-statistics files (referrals, children
//! in need, child protection plans, looked-after children), the ONS 0–17 population estimates
//! and DfE's statistical-neighbour groupings, checks every row (row and column in each error),
//! and loads them for every area, England and the regions as comparators; a file with any
//! problem loads nothing. Indicators are computed on reading, from the counts and populations,
//! as [`assure_domain::intelligence::indicators`] defines them.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::intelligence::indicators::{Comment, EnteredFigure};

mod compute;
mod dashboard;
mod import;
mod settings;

pub use compute::*;
pub use dashboard::*;
pub use import::*;
pub use settings::*;
