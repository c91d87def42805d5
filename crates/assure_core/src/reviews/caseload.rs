//! A partnership's caseload: every review with its clocks, and every clock and information
//! request with a due date, soonest first. The home page, the deadlines page and the list of
//! reviews read it; computing it reads every review, pause and request of the partnership and
//! evaluates every clock, so it is kept between requests and computed again only when one of
//! its inputs has changed or the day has turned.
//!
//! It cannot go stale. Its inputs' generation is a counter in the database that triggers raise
//! in every transaction that writes a review, a pause, a request, an organisation or a closed day
//! (migration 0024), whichever process or use-case writes it. A request reads the counter (one
//! statement) and uses the kept caseload only if it was computed at that generation and on
//! today's date; a computation reads the counter before its inputs, so what it keeps is at least
//! as new as its tag. It holds every review of the partnership: who may see which is decided per
//! request, from the actor and their panels.

use std::collections::HashMap;
use std::sync::Arc;

use assure_domain::PartnershipId;
use assure_domain::reviews::calendar::WorkingCalendar;
use assure_domain::reviews::{self as review, Clock, Pause};
use assure_store::reviews as st;
use chrono::NaiveDate;

use super::{Deadline, Review, request_clock};
use crate::{Core, CoreError, CoreResult};

/// Every review of a partnership with its clocks, as of one generation of their inputs and one day.
#[derive(Debug)]
pub struct Caseload {
    /// Every review, newest first (by the date the partnership became aware), with its clocks.
    pub reviews: Vec<(Review, Vec<Clock>)>,
    /// Where each review is in `reviews`, by its id.
    index: HashMap<i64, usize>,
    /// Every clock with a due date and every information request, of every review: open ones
    /// first, soonest due first; met ones after.
    pub deadlines: Vec<Deadline>,
    /// The working calendar the clocks were counted with.
    pub calendar: WorkingCalendar,
}

impl Caseload {
    /// The review with this id, if it is the partnership's.
    pub fn review(&self, id: i64) -> Option<&Review> {
        self.index.get(&id).map(|&i| &self.reviews[i].0)
    }
}

/// The caseloads as last computed, by partnership, under the generation of their inputs and the
/// day they were computed on. At most one entry per partnership.
pub type Caseloads = crate::kept::Kept<PartnershipId, Caseload, (NaiveDate, i64)>;

impl Core {
    /// The partnership's caseload as its inputs stand today: kept, or computed when they have
    /// changed (see [`Caseloads`]). Not authorized and not logged: callers decide which reviews
    /// the actor may see and log the ones they name.
    pub(crate) async fn caseload(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<Arc<Caseload>> {
        let today = self.today();
        let generation = match ctx.generations {
            Some(g) => g.reviews,
            None => st::reviews_generation(&mut *self.store.read().await?).await?,
        };
        // Computed after the generation was read, so the caseload is at least as new as its tag.
        self.caseloads.get_or_compute(p, (today, generation), self.compute_caseload(p, today)).await
    }

    async fn compute_caseload(&self, p: PartnershipId, today: NaiveDate) -> CoreResult<Caseload> {
        let mut conn = self.store.read().await?;
        let all = st::reviews(&mut conn, p).await?;
        let calendar = super::calendar::working_calendar(&mut conn).await?;
        let mut pauses_of = st::pauses_in(&mut conn, p).await?;
        let requests = st::requests_in(&mut conn, p).await?;
        drop(conn);
        let mut reviews = Vec::with_capacity(all.len());
        let mut deadlines = Vec::new();
        for r in all {
            let kind = self
                .review_types()
                .get(&r.type_code)
                .ok_or_else(|| CoreError::Internal(format!("review {} has the unknown type {}", r.id, r.type_code)))?;
            let pauses: Vec<Pause> = pauses_of.remove(&r.id.0).unwrap_or_default();
            let clocks: Vec<Clock> =
                kind.clocks.iter().map(|rule| review::evaluate(rule, &r.dates, &pauses, today, &calendar)).collect();
            deadlines.extend(clocks.iter().filter(|c| c.due.is_some()).map(|clock| Deadline {
                review_id: r.id.0,
                subject: r.subject.clone(),
                type_name: kind.name.clone(),
                clock: clock.clone(),
            }));
            reviews.push((r, clocks));
        }
        let index: HashMap<i64, usize> = reviews.iter().enumerate().map(|(i, (r, _))| (r.id.0, i)).collect();
        // Information requests are deadlines too.
        for q in &requests {
            let Some(&i) = index.get(&q.review_id) else { continue };
            let r = &reviews[i].0;
            deadlines.push(Deadline {
                review_id: r.id.0,
                subject: r.subject.clone(),
                type_name: self.review_types().get(&r.type_code).map(|t| t.name.clone()).unwrap_or_default(),
                clock: request_clock(q, today, &calendar),
            });
        }
        deadlines.sort_by_key(|d| (d.clock.met_on.is_some(), d.clock.due, d.review_id));
        Ok(Caseload { reviews, index, deadlines, calendar })
    }
}
