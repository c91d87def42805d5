//! Assure's persistence: one SQL repository that runs on SQLite (the default) or PostgreSQL.
//!
//! The two backends share every query, written in the SQL both accept (numbered `$n`
//! placeholders, `RETURNING`, text timestamps), and keep separate, embedded migration trees.
//! The contract tests in `tests/contract/` run against both, so the trees cannot drift.

pub mod accounts;
pub mod audit_log;
pub mod audits;
pub mod backup;
pub mod bulletins;
pub mod challenges;
mod db;
pub mod finance;
pub mod inspections;
pub mod intelligence;
pub mod learning;
pub mod meetings;
pub mod reminders;
pub mod reports;
pub mod reviews;
pub mod risks;
pub mod strategy;
pub mod structure;
pub mod training;
pub mod voice;

pub use db::{
    Backend, Conn, ConstraintKind, ReadConn, Store, StoreError, StoreResult, WriteTx, holds_connection, now_text,
    one_connection_per_task,
};
