//! The plan's pages and counts, kept between requests. A page of the plan reads only its own
//! rows (in target-date order, by index), but each row carries its recommendation, organisation,
//! body, review and evidence counts, and counting every matching action grows with the plan: so
//! each page's actions and each filter's count are kept per partnership, filter and day (a page
//! also by its place) and read again only when the plan has changed. Who may update an action
//! and which reviews the actor may name are decided per request.
//!
//! It cannot go stale: the plan's generation is a counter in the database that triggers raise in
//! every transaction that writes an action, a recommendation, a review, a review's themes, a
//! body (migration 0025), an organisation, a campaign or evidence (migration 0027), whichever
//! process or use-case writes it. What is kept is used only while the counter reads the
//! generation it was read at, and the counter is read first.

use assure_domain::PartnershipId;
use assure_domain::learning::PlanFilter;
use assure_store::learning::PlanAction;
use chrono::NaiveDate;

use crate::kept::Kept;

/// Pages longer than this (a whole plan's export) are read every time rather than kept.
pub(super) const KEPT_PAGE_MOST: i64 = 200;

/// Counts of the plan by filter, and its pages, under the plan's generation (at most 1,000 of
/// each).
#[derive(Default)]
pub struct PlanCounts {
    pub(super) counts: Kept<Key, i64>,
    pub(super) pages: Kept<PageKey, Vec<PlanAction>>,
}

/// A partnership, a filter and the day it was counted on.
pub(super) type Key = (PartnershipId, PlanFilter, NaiveDate);

/// A count's key, and the page's offset and length.
pub(super) type PageKey = (Key, i64, i64);
