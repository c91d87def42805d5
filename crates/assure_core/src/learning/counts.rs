//! How many actions match each plan filter, kept between requests. A page of the plan reads only
//! its own rows (in target-date order, by index); counting every matching action is the part
//! that grows with the plan, so the count is kept per partnership, filter and day and made again
//! only when the plan has changed.
//!
//! It cannot go stale: the plan's generation is a counter in the database that triggers raise in
//! every transaction that writes an action, a recommendation, a review, a review's themes or a
//! body (migration 0025), whichever process or use-case writes it. A count is used only while the
//! counter reads the generation it was made at, and the counter is read before counting.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use assure_domain::PartnershipId;
use assure_domain::learning::PlanFilter;
use chrono::NaiveDate;

/// The most filters kept; past it the oldest generation's counts are dropped first.
const KEPT_MOST: usize = 1_000;

/// Counts of the plan by partnership, filter and day, each with the generation it was made at.
#[derive(Default)]
pub struct PlanCounts(Mutex<HashMap<Key, Counted>>);

/// A partnership, a filter and the day it was counted on.
type Key = (PartnershipId, PlanFilter, NaiveDate);

/// The generation a count was made at, and the count.
type Counted = (i64, i64);

impl PlanCounts {
    pub(super) fn get(&self, p: PartnershipId, filter: &PlanFilter, today: NaiveDate, generation: i64) -> Option<i64> {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&(p, filter.clone(), today)).filter(|(g, _)| *g == generation).map(|(_, n)| *n)
    }

    pub(super) fn put(&self, p: PartnershipId, filter: &PlanFilter, today: NaiveDate, generation: i64, n: i64) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= KEPT_MOST {
            // Counts of an older generation or day are of no further use.
            map.retain(|(_, _, day), (g, _)| *g >= generation && *day >= today);
            if map.len() >= KEPT_MOST {
                map.clear();
            }
        }
        let key = (p, filter.clone(), today);
        if map.get(&key).is_none_or(|(g, _)| *g <= generation) {
            map.insert(key, (generation, n));
        }
    }
}
