//! What the training reached, for any period: attendance by agency, sector and kind of event;
//! no-show and cancellation rates; evaluation scores and the change in confidence; impact
//! follow-ups returned, countersigned and what they say; champions trained per programme. Every
//! figure with its table and download; the reader sees the bookings they may (an agency lead,
//! their own organisation's).

use std::collections::BTreeMap;

use assure_domain::structure::Choice;
use assure_domain::training::{Attendance, BookingStatus, ChampionKind, Counts, EventKind, rate};
use assure_domain::{PartnershipId, ResourceKind as K};

use assure_store::training as st;
use chrono::NaiveDate;

use crate::{Core, CoreError, CoreResult, Ctx};

/// A line of a report: what it counts, and the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub name: String,
    pub counts: Counts,
}

/// Champions trained in one programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Champions {
    pub programme: String,
    pub new: i64,
    pub refreshed: i64,
}

/// A follow-up's words, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impact {
    pub event: String,
    pub day: NaiveDate,
    pub practice_change: String,
    pub example: String,
    /// The manager's countersignature: agreed or not, when given.
    pub manager_agrees: Option<bool>,
}

/// One event's results in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventResults {
    pub event_id: i64,
    pub title: String,
    pub kind: EventKind,
    pub sessions: i64,
    pub attended: i64,
    pub evaluations: i64,
    /// Averages in tenths.
    pub confidence_before: Option<i64>,
    pub confidence_after: Option<i64>,
    pub rating: Option<i64>,
    pub follow_ups_returned: i64,
}

/// The training of a period.
#[derive(Debug, Clone)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Counts,
    pub sessions: usize,
    pub by_organisation: Vec<ReportRow>,
    pub by_sector: Vec<ReportRow>,
    pub by_kind: Vec<ReportRow>,
    /// Each event's attendance, evaluation and follow-ups.
    pub by_event: Vec<EventResults>,
    pub evaluations: i64,
    /// Averages in tenths (1 to 5 scales): before, after, rating.
    pub confidence_before: Option<i64>,
    pub confidence_after: Option<i64>,
    pub rating: Option<i64>,
    pub follow_ups_sent: i64,
    pub follow_ups_returned: i64,
    pub countersigned: i64,
    pub impacts: Vec<Impact>,
    pub champions: Vec<Champions>,
    /// The reader sees only their own organisation's bookings.
    pub own_only: bool,
}

/// Tenths as "3.4".
pub fn tenths(v: i64) -> String {
    format!("{}.{}", v / 10, v % 10)
}

fn average(sum: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| (sum * 10 + n / 2) / n)
}

impl Report {
    pub fn no_show_rate(&self) -> String {
        self.total.no_show_rate().map(rate).unwrap_or_else(|| "none marked".into())
    }

    pub fn cancellation_rate(&self) -> String {
        self.total.cancellation_rate().map(rate).unwrap_or_else(|| "no bookings".into())
    }

    /// The change in average confidence, in tenths.
    pub fn confidence_change(&self) -> Option<i64> {
        Some(self.confidence_after? - self.confidence_before?)
    }

    /// One of the report's tables as CSV: "organisation", "sector", "kind" or "event".
    pub fn csv(&self, table: &str) -> Option<String> {
        if table == "event" {
            let t = |v: Option<i64>| v.map(tenths).unwrap_or_default();
            let body: Vec<Vec<String>> = self
                .by_event
                .iter()
                .map(|e| {
                    vec![
                        e.title.clone(),
                        e.kind.label().to_owned(),
                        e.sessions.to_string(),
                        e.attended.to_string(),
                        e.evaluations.to_string(),
                        t(e.confidence_before),
                        t(e.confidence_after),
                        t(e.rating),
                        e.follow_ups_returned.to_string(),
                    ]
                })
                .collect();
            return Some(assure_domain::cells::csv_file(
                &[
                    "event",
                    "kind",
                    "sessions",
                    "attended",
                    "evaluations",
                    "confidence_before",
                    "confidence_after",
                    "usefulness",
                    "follow_ups_returned",
                ],
                &body,
            ));
        }
        let rows = match table {
            "organisation" => &self.by_organisation,
            "sector" => &self.by_sector,
            "kind" => &self.by_kind,
            _ => return None,
        };
        let body: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let c = &r.counts;
                vec![
                    r.name.clone(),
                    c.booked.to_string(),
                    c.attended.to_string(),
                    c.no_show.to_string(),
                    c.late_cancellation.to_string(),
                    c.cancelled.to_string(),
                    c.no_show_rate().map(rate).unwrap_or_default(),
                ]
            })
            .collect();
        Some(assure_domain::cells::csv_file(
            &[table, "booked", "attended", "did_not_attend", "late_cancellations", "cancelled", "no_show_rate"],
            &body,
        ))
    }
}

impl Core {
    /// The training of sessions from `from` to `to` (inclusive), counted in the database.
    pub async fn training_report(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> CoreResult<Report> {
        let own = ctx.reads_of(K::Booking, p).ok_or(CoreError::NotFound)?;
        if to < from {
            return Err(CoreError::field("to", "The end of the period must be on or after its start"));
        }
        let (start, end) = (format!("{from}T00:00"), format!("{}T00:00", to.succ_opt().unwrap_or(to)));
        let (groups, sessions, impacts, events) = {
            let mut conn = self.store.read().await?;
            let (groups, sessions) = st::report_counts(&mut conn, p, &start, &end, own.as_deref()).await?;
            let impacts = st::impacts_between(&mut conn, p, &start, &end, own.as_deref()).await?;
            let events = st::results_by_event(&mut conn, p, &start, &end, own.as_deref()).await?;
            (groups, sessions, impacts, events)
        };
        let mut total = Counts::default();
        let mut orgs: BTreeMap<String, Counts> = BTreeMap::new();
        let mut sectors: BTreeMap<String, Counts> = BTreeMap::new();
        let mut kinds: BTreeMap<usize, Counts> = BTreeMap::new();
        let (mut evaluations, mut before, mut after, mut rated) = (0, 0, 0, 0);
        let (mut sent, mut returned, mut countersigned) = (0, 0, 0);
        let mut champions: BTreeMap<String, Champions> = BTreeMap::new();
        for g in &groups {
            // What one booking of the group counts as, times how many there are.
            let mut one = Counts::default();
            one.add(g.status, g.attendance);
            let c = Counts {
                booked: one.booked * g.n,
                attended: one.attended * g.n,
                no_show: one.no_show * g.n,
                late_cancellation: one.late_cancellation * g.n,
                cancelled: one.cancelled * g.n,
            };
            let add = |into: &mut Counts| {
                into.booked += c.booked;
                into.attended += c.attended;
                into.no_show += c.no_show;
                into.late_cancellation += c.late_cancellation;
                into.cancelled += c.cancelled;
            };
            add(&mut total);
            add(orgs.entry(g.organisation.clone().unwrap_or_else(|| "No organisation given".into())).or_default());
            add(sectors.entry(g.sector.label().to_owned()).or_default());
            add(kinds.entry(EventKind::ALL.iter().position(|k| *k == g.kind).unwrap_or(0)).or_default());
            evaluations += g.evaluated;
            before += g.sum_before;
            after += g.sum_after;
            rated += g.sum_rating;
            sent += g.follow_ups_sent;
            returned += g.followed_up;
            countersigned += g.countersigned;
            if g.kind == EventKind::Champions
                && g.status == BookingStatus::Booked
                && g.attendance == Some(Attendance::Attended)
            {
                let programme = g.programme.clone().unwrap_or_else(|| g.event_title.clone());
                let ch = champions.entry(programme.clone()).or_insert(Champions { programme, new: 0, refreshed: 0 });
                match g.champion {
                    Some(ChampionKind::Refreshed) => ch.refreshed += g.n,
                    _ => ch.new += g.n,
                }
            }
        }
        let rows = |m: BTreeMap<String, Counts>| {
            let mut v: Vec<ReportRow> = m.into_iter().map(|(name, counts)| ReportRow { name, counts }).collect();
            v.sort_by(|a, b| b.counts.attended.cmp(&a.counts.attended).then(a.name.cmp(&b.name)));
            v
        };
        Ok(Report {
            from,
            to,
            total,
            sessions: usize::try_from(sessions).unwrap_or(0),
            by_organisation: rows(orgs),
            by_sector: rows(sectors),
            by_kind: kinds
                .into_iter()
                .map(|(k, counts)| ReportRow { name: EventKind::ALL[k].label().to_owned(), counts })
                .collect(),
            by_event: events
                .into_iter()
                .map(|e| EventResults {
                    event_id: e.event_id,
                    title: e.title,
                    kind: e.kind,
                    sessions: e.sessions,
                    attended: e.attended,
                    evaluations: e.evaluated,
                    confidence_before: average(e.sum_before, e.evaluated),
                    confidence_after: average(e.sum_after, e.evaluated),
                    rating: average(e.sum_rating, e.evaluated),
                    follow_ups_returned: e.followed_up,
                })
                .collect(),
            evaluations,
            confidence_before: average(before, evaluations),
            confidence_after: average(after, evaluations),
            rating: average(rated, evaluations),
            follow_ups_sent: sent,
            follow_ups_returned: returned,
            countersigned,
            impacts: impacts
                .into_iter()
                .map(|(event, starts, practice_change, example, manager_agrees)| Impact {
                    event,
                    day: starts.date(),
                    practice_change,
                    example,
                    manager_agrees,
                })
                .collect(),
            champions: champions.into_values().collect(),
            own_only: own.is_some(),
        })
    }
}
