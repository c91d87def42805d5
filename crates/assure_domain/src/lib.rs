//! Assure's domain: the partnership's vocabulary as pure types and rules.
//!
//! Nothing here performs I/O or knows about SQL, HTTP or templates; the store, the
//! use-cases and the web edge all depend on this crate and never the other way round.

pub mod audits;
pub mod authz;
pub mod bulletins;
pub mod cells;
pub mod challenges;
pub mod files;
pub mod finance;
pub mod ids;
pub mod inspections;
pub mod intelligence;
pub mod learning;
pub mod meetings;
pub mod password;
pub mod reports;
pub mod reviews;
pub mod risks;
pub mod strategy;
pub mod structure;
pub mod training;
pub mod uk_time;
pub mod validation;
pub mod voice;

pub use authz::{Action, Actor, Grant, ResourceKind, Role, Scope, Target, can};
pub use ids::*;
pub use validation::{FieldErrors, Validated};
