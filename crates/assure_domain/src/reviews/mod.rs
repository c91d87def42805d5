//! Case reviews: review types as configuration, the stages a review passes through, the dates
//! it records, and the statutory clocks computed from them.
//!
//! The stages are the statutory pipeline (serious incident, notification to the national Panel,
//! rapid review, decision, review, sign-off, publication, learning, closure); each review *type*
//! chooses which of them it passes through and which clocks run, in `config/review_types.toml`.

pub mod calendar;
pub mod child_deaths;
pub mod chronology;
pub mod conduct;
mod input;
pub mod themes;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::reviews::calendar::WorkingCalendar;
use crate::structure::{ArmKind, Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

mod types;

pub use input::*;
pub use types::*;

choice!(
    /// Where a review is in the pipeline.
    Stage {
        Referral => ("referral", "Referral or serious incident"),
        Notification => ("notification", "Notified to the national Panel"),
        RapidReview => ("rapid_review", "Rapid review"),
        Decision => ("decision", "Decision made"),
        InProgress => ("in_progress", "Review in progress"),
        Draft => ("draft", "Draft report"),
        FinalSignoff => ("final_signoff", "Final sign-off"),
        Published => ("published", "Published"),
        NotPublished => ("not_published", "Not published"),
        LearningDisseminated => ("learning_disseminated", "Learning disseminated"),
        Closed => ("closed", "Closed"),
    }
);

choice!(
    /// The dates a review records; clocks start at one and are met by another.
    DateField {
        AwareOn => ("aware_on", "Partnership became aware"),
        NotifiedOn => ("notified_on", "Panel notified"),
        DecidedOn => ("decided_on", "Decision made"),
        SignedOffOn => ("signed_off_on", "Final sign-off"),
        PlannedPublicationOn => ("planned_publication_on", "Planned publication"),
        NoticeSentOn => ("notice_sent_on", "Publication notice sent"),
        PublishedOn => ("published_on", "Published"),
        ClosedOn => ("closed_on", "Closed"),
    }
);

choice!(
    /// What the decision after a referral or rapid review was.
    Decision {
        Review => ("review", "Carry out the review"),
        OtherRoute => ("other_route", "Other learning route"),
        NoReview => ("no_review", "No review"),
    }
);

choice!(
    ClockState {
        NotStarted => ("not_started", "Not started"),
        Due => ("due", "Due"),
        DueSoon => ("due_soon", "Due soon"),
        Overdue => ("overdue", "Overdue"),
        Met => ("met", "Met"),
        MetLate => ("met_late", "Met late"),
        Paused => ("paused", "Paused"),
        NotNeeded => ("not_needed", "Not needed"),
    }
);

impl ClockState {
    /// The one rule for anything due (a clock, a request to an agency, an action, a return, a
    /// campaign's closing date): overdue once `due` has passed, due soon within `soon` working
    /// days of it, due otherwise.
    pub fn of_due(today: NaiveDate, due: NaiveDate, soon: i64, cal: &WorkingCalendar) -> ClockState {
        if today > due {
            ClockState::Overdue
        } else if cal.working_days_between(today, due) <= soon {
            ClockState::DueSoon
        } else {
            ClockState::Due
        }
    }

    /// Whether people are reminded in this state: once as it falls due soon, once when overdue.
    pub fn reminds(self) -> bool {
        matches!(self, ClockState::DueSoon | ClockState::Overdue)
    }

    /// How a reminder words the due date in this state.
    pub fn was_or_is_due(self) -> &'static str {
        if self == ClockState::Overdue { "was due on" } else { "is due on" }
    }
}

/// The dates a review has recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReviewDates {
    pub aware_on: Option<NaiveDate>,
    pub notified_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub signed_off_on: Option<NaiveDate>,
    pub planned_publication_on: Option<NaiveDate>,
    pub notice_sent_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// The review was published with a recorded reason why no notice to the Panel and the
    /// Secretary of State was needed: the notice clock is "not needed", never overdue.
    pub notice_not_needed: bool,
}

impl ReviewDates {
    pub fn get(&self, f: DateField) -> Option<NaiveDate> {
        match f {
            DateField::AwareOn => self.aware_on,
            DateField::NotifiedOn => self.notified_on,
            DateField::DecidedOn => self.decided_on,
            DateField::SignedOffOn => self.signed_off_on,
            DateField::PlannedPublicationOn => self.planned_publication_on,
            DateField::NoticeSentOn => self.notice_sent_on,
            DateField::PublishedOn => self.published_on,
            DateField::ClosedOn => self.closed_on,
        }
    }

    pub fn set(&mut self, f: DateField, d: Option<NaiveDate>) {
        match f {
            DateField::AwareOn => self.aware_on = d,
            DateField::NotifiedOn => self.notified_on = d,
            DateField::DecidedOn => self.decided_on = d,
            DateField::SignedOffOn => self.signed_off_on = d,
            DateField::PlannedPublicationOn => self.planned_publication_on = d,
            DateField::NoticeSentOn => self.notice_sent_on = d,
            DateField::PublishedOn => self.published_on = d,
            DateField::ClosedOn => self.closed_on = d,
        }
    }

    /// Events happen in order: an event dated before the one it follows is impossible. Returns
    /// the field to blame and why.
    pub fn check_order(&self) -> Result<(), (DateField, String)> {
        let chain = [
            DateField::AwareOn,
            DateField::NotifiedOn,
            DateField::DecidedOn,
            DateField::SignedOffOn,
            DateField::PublishedOn,
            DateField::ClosedOn,
        ];
        let mut last: Option<(DateField, NaiveDate)> = None;
        for f in chain {
            if let Some(d) = self.get(f) {
                if let Some((pf, pd)) = last
                    && d < pd
                {
                    return Err((
                        f,
                        format!(
                            "{} ({}) cannot be before {} ({})",
                            f.label(),
                            validation::long_date(d),
                            pf.label().to_lowercase(),
                            validation::long_date(pd)
                        ),
                    ));
                }
                last = Some((f, d));
            }
        }
        if let (Some(notice), Some(published)) = (self.notice_sent_on, self.published_on)
            && notice > published
        {
            return Err((DateField::NoticeSentOn, "The publication notice must be sent before publication".into()));
        }
        Ok(())
    }
}

/// Checks publication dates as typed against the review they are for: a planned publication
/// date, when set or changed, lies ahead (today or later) and belongs to a review the partners
/// decided to hold; the notice cannot have been sent in the future.
pub fn check_publication_dates(
    dates: &ReviewDates,
    decision: Option<Decision>,
    planned: Option<NaiveDate>,
    notice: Option<NaiveDate>,
    today: NaiveDate,
) -> FieldErrors {
    let mut e = FieldErrors::new();
    if let Some(p) = planned
        && Some(p) != dates.planned_publication_on
    {
        if decision != Some(Decision::Review) {
            e.add(
                "planned_publication_on",
                "Publication can be planned once the partners have decided to hold the review",
            );
        } else if p < today {
            e.add("planned_publication_on", "The planned publication date must be today or later");
        }
    }
    if notice.is_some_and(|n| n > today) {
        e.add("notice_sent_on", "The date the notice was sent cannot be in the future");
    }
    e
}

/// The stage that records a date when a review enters it.
pub fn date_set_by(stage: Stage) -> Option<DateField> {
    match stage {
        Stage::Notification => Some(DateField::NotifiedOn),
        Stage::Decision => Some(DateField::DecidedOn),
        Stage::FinalSignoff => Some(DateField::SignedOffOn),
        Stage::Published => Some(DateField::PublishedOn),
        Stage::Closed => Some(DateField::ClosedOn),
        _ => None,
    }
}

/// A period a review was paused (criminal proceedings, for example); open while `to` is None.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pause {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A clock as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub code: String,
    pub label: String,
    pub due: Option<NaiveDate>,
    pub state: ClockState,
    pub met_on: Option<NaiveDate>,
    /// Working days from today to the due date (negative once overdue).
    pub working_days_left: Option<i64>,
}

/// Evaluates one clock on `today`. Working-day and month clocks stop while the review is paused:
/// the due date moves on by the paused time (working days, or calendar days for month clocks).
/// A due date that would fall on a weekend or bank holiday (a month clock's can) is the next
/// working day.
pub fn evaluate(
    rule: &ClockRule,
    dates: &ReviewDates,
    pauses: &[Pause],
    today: NaiveDate,
    cal: &WorkingCalendar,
) -> Clock {
    let mut clock = Clock {
        code: rule.code.clone(),
        label: rule.label.clone(),
        due: None,
        state: ClockState::NotStarted,
        met_on: None,
        working_days_left: None,
    };
    let Some(start) = dates.get(rule.start) else { return clock };
    let met_on = dates.get(rule.met_by);
    let end = met_on.unwrap_or(today);
    let due = match rule.rule {
        Rule::WorkingDays(n) if n < 0 => cal.sub_working_days(start, n.unsigned_abs()),
        Rule::WorkingDays(n) => {
            let paused: i64 = pauses
                .iter()
                .map(|p| {
                    let (from, to) = (p.from.max(start), p.to.unwrap_or(end).min(end));
                    if to > from { cal.working_days_between(from, to) } else { 0 }
                })
                .sum();
            cal.add_working_days(start, n.unsigned_abs() + u32::try_from(paused).unwrap_or(0))
        }
        Rule::Months(m) => {
            let paused: i64 = pauses
                .iter()
                .map(|p| {
                    let (from, to) = (p.from.max(start), p.to.unwrap_or(end).min(end));
                    (to - from).num_days().max(0)
                })
                .sum();
            start.checked_add_months(Months::new(m)).unwrap_or(start) + chrono::Duration::days(paused)
        }
    };
    // A due date never falls on a weekend or bank holiday: it moves to the next working day.
    let due = cal.on_or_after(due);
    clock.due = Some(due);
    clock.met_on = met_on;
    let paused_now = pauses.iter().any(|p| p.to.is_none() && p.from <= today);
    let not_needed = rule.met_by == DateField::NoticeSentOn && dates.notice_not_needed;
    clock.state = match met_on {
        None if not_needed => ClockState::NotNeeded,
        Some(m) if m <= due => ClockState::Met,
        Some(_) => ClockState::MetLate,
        None if paused_now => ClockState::Paused,
        None => {
            clock.working_days_left = Some(cal.working_days_between(today, due));
            ClockState::of_due(today, due, i64::from(rule.due_soon), cal)
        }
    };
    clock
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_says_when_anything_is_due_soon_or_overdue() {
        let cal = WorkingCalendar::with_extra_days([]);
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        // Due on Friday 13 June 2025: three working days ahead is due soon, after it overdue.
        let due = d("2025-06-13");
        assert_eq!(ClockState::of_due(d("2025-06-02"), due, 3, &cal), ClockState::Due);
        assert_eq!(ClockState::of_due(d("2025-06-10"), due, 3, &cal), ClockState::DueSoon);
        assert_eq!(ClockState::of_due(due, due, 3, &cal), ClockState::DueSoon);
        assert_eq!(ClockState::of_due(d("2025-06-14"), due, 3, &cal), ClockState::Overdue);
        // Reminders are sent in the two states, keyed by their codes (kept stable in the log of
        // reminders sent).
        let reminded: Vec<&str> = ClockState::ALL.iter().filter(|s| s.reminds()).map(|s| s.code()).collect();
        assert_eq!(reminded, vec!["due_soon", "overdue"]);
        assert_eq!(ClockState::Overdue.was_or_is_due(), "was due on");
        assert_eq!(ClockState::DueSoon.was_or_is_due(), "is due on");
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    fn raw_lcspr() -> RawReviewType {
        RawReviewType {
            code: "lcspr".into(),
            name: "LCSPR".into(),
            arm: "children".into(),
            stages: [
                "referral",
                "notification",
                "rapid_review",
                "decision",
                "in_progress",
                "draft",
                "final_signoff",
                "published",
                "not_published",
                "learning_disseminated",
                "closed",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
            statutory_signoff: true,
            care_act_s44: false,
            child_death: false,
            clocks: vec![
                RawClock {
                    code: "notification".into(),
                    label: "Notify".into(),
                    start: "aware_on".into(),
                    working_days: Some(5),
                    months: None,
                    met_by: "notified_on".into(),
                    due_soon: 2,
                },
                RawClock {
                    code: "rapid_review".into(),
                    label: "Rapid review".into(),
                    start: "notified_on".into(),
                    working_days: Some(15),
                    months: None,
                    met_by: "decided_on".into(),
                    due_soon: 3,
                },
                RawClock {
                    code: "completion".into(),
                    label: "Complete".into(),
                    start: "decided_on".into(),
                    working_days: None,
                    months: Some(6),
                    met_by: "signed_off_on".into(),
                    due_soon: 20,
                },
                RawClock {
                    code: "notice".into(),
                    label: "Notice".into(),
                    start: "planned_publication_on".into(),
                    working_days: Some(-7),
                    months: None,
                    met_by: "notice_sent_on".into(),
                    due_soon: 3,
                },
            ],
        }
    }

    fn lcspr() -> ReviewType {
        check_types(vec![raw_lcspr()]).expect("valid").0.remove(0)
    }

    #[test]
    fn bad_configuration_is_refused_with_every_problem_named() {
        let mut bad = raw_lcspr();
        bad.stages = vec!["referral".into(), "limbo".into()];
        bad.clocks[0].start = "yesterday".into();
        bad.clocks[1].working_days = Some(0);
        bad.arm = "pets".into();
        let problems = check_types(vec![bad, raw_lcspr()]).expect_err("invalid");
        for expected in [
            "type lcspr: unknown stage limbo",
            "type lcspr: stages must start with referral, include decision (but for a child death review) and end with closed",
            "type lcspr, clock notification: unknown start date yesterday",
            "type lcspr, clock rapid_review: a clock of zero days or months is not a clock",
            "type lcspr: arm must be children, adults or either",
            "type lcspr: the code is used twice",
        ] {
            assert!(problems.iter().any(|p| p == expected), "missing {expected:?} in {problems:?}");
        }
    }

    #[test]
    fn stages_move_only_forward_along_the_type() {
        let t = lcspr();
        assert_eq!(t.next_stages(Stage::Referral, None), vec![Stage::Notification]);
        assert_eq!(t.next_stages(Stage::Decision, None), Vec::<Stage>::new(), "no decision recorded yet");
        assert_eq!(t.next_stages(Stage::Decision, Some(Decision::Review)), vec![Stage::InProgress]);
        assert_eq!(t.next_stages(Stage::Decision, Some(Decision::NoReview)), vec![Stage::Closed]);
        assert_eq!(
            t.next_stages(Stage::FinalSignoff, Some(Decision::Review)),
            vec![Stage::Published, Stage::NotPublished]
        );
        assert_eq!(t.next_stages(Stage::NotPublished, Some(Decision::Review)), vec![Stage::LearningDisseminated]);
        assert_eq!(t.next_stages(Stage::Closed, Some(Decision::Review)), Vec::<Stage>::new());
    }

    #[test]
    fn clocks_run_due_soon_overdue_met_and_met_late() {
        let t = lcspr();
        let cal = WorkingCalendar::default();
        let notify = &t.clocks[0];
        // Aware on Friday 20 December 2024: due Tuesday 31 December.
        let mut dates = ReviewDates { aware_on: Some(d("2024-12-20")), ..Default::default() };
        let c = evaluate(notify, &dates, &[], d("2024-12-20"), &cal);
        assert_eq!((c.due, c.state, c.working_days_left), (Some(d("2024-12-31")), ClockState::Due, Some(5)));
        assert_eq!(evaluate(notify, &dates, &[], d("2024-12-27"), &cal).state, ClockState::DueSoon);
        let late = evaluate(notify, &dates, &[], d("2025-01-02"), &cal);
        assert_eq!((late.state, late.working_days_left), (ClockState::Overdue, Some(-1)));
        dates.notified_on = Some(d("2024-12-30"));
        assert_eq!(evaluate(notify, &dates, &[], d("2025-03-01"), &cal).state, ClockState::Met);
        dates.notified_on = Some(d("2025-01-02"));
        assert_eq!(evaluate(notify, &dates, &[], d("2025-03-01"), &cal).state, ClockState::MetLate);
        // The rapid review clock starts only when the Panel is notified.
        let rr = evaluate(
            &t.clocks[1],
            &ReviewDates { aware_on: Some(d("2024-12-20")), ..Default::default() },
            &[],
            d("2024-12-20"),
            &cal,
        );
        assert_eq!((rr.state, rr.due), (ClockState::NotStarted, None));
    }

    #[test]
    fn clocks_stop_while_paused() {
        let t = lcspr();
        let cal = WorkingCalendar::default();
        let dates =
            ReviewDates { aware_on: Some(d("2025-06-02")), notified_on: Some(d("2025-06-03")), ..Default::default() };
        let base = evaluate(&t.clocks[1], &dates, &[], d("2025-06-04"), &cal);
        assert_eq!(base.due, Some(d("2025-06-24")));
        // Paused for five working days (Monday 9 to Monday 16 June), then resumed.
        let pause = [Pause { from: d("2025-06-09"), to: Some(d("2025-06-16")) }];
        assert_eq!(evaluate(&t.clocks[1], &dates, &pause, d("2025-06-20"), &cal).due, Some(d("2025-07-01")));
        // Still paused: the clock shows paused and its due date keeps moving.
        let open = [Pause { from: d("2025-06-09"), to: None }];
        let now = evaluate(&t.clocks[1], &dates, &open, d("2025-06-30"), &cal);
        assert_eq!(now.state, ClockState::Paused);
        assert!(now.due > Some(d("2025-07-01")));
        // Month clocks move by the calendar days paused.
        let decided = ReviewDates { decided_on: Some(d("2025-01-31")), ..Default::default() };
        assert_eq!(evaluate(&t.clocks[2], &decided, &[], d("2025-02-01"), &cal).due, Some(d("2025-07-31")));
        let month_pause = [Pause { from: d("2025-03-01"), to: Some(d("2025-03-11")) }];
        // 10 August 2025 is a Sunday: due the Monday after.
        assert_eq!(evaluate(&t.clocks[2], &decided, &month_pause, d("2025-04-01"), &cal).due, Some(d("2025-08-11")));
    }

    #[test]
    fn a_due_date_on_a_weekend_or_bank_holiday_is_the_next_working_day() {
        let t = lcspr();
        let cal = WorkingCalendar::default();
        let due = |decided: &str| {
            let dates = ReviewDates { decided_on: Some(d(decided)), ..Default::default() };
            evaluate(&t.clocks[2], &dates, &[], d(decided), &cal).due
        };
        // Six months from 21 September 2026 is Sunday 21 March 2027: due Monday 22 March.
        assert_eq!(due("2026-09-21"), Some(d("2027-03-22")));
        // From 25 June 2024, Christmas Day and Boxing Day: due Friday 27 December.
        assert_eq!(due("2024-06-25"), Some(d("2024-12-27")));
        // A working day stays as it is.
        assert_eq!(due("2025-01-31"), Some(d("2025-07-31")));
    }

    #[test]
    fn the_publication_notice_is_due_before_the_planned_date() {
        let t = lcspr();
        let cal = WorkingCalendar::default();
        let dates = ReviewDates { planned_publication_on: Some(d("2025-07-15")), ..Default::default() };
        assert_eq!(evaluate(&t.clocks[3], &dates, &[], d("2025-06-01"), &cal).due, Some(d("2025-07-04")));
    }

    #[test]
    fn a_review_is_published_with_its_notice_or_the_reason_none_was_needed() {
        let t = lcspr();
        let today = d("2025-06-30");
        let signed = ReviewDates {
            aware_on: Some(d("2024-06-03")),
            notified_on: Some(d("2024-06-05")),
            decided_on: Some(d("2024-06-20")),
            signed_off_on: Some(d("2025-06-02")),
            ..Default::default()
        };
        let publish = TransitionInput { to: "published".into(), on: "2025-06-27".into(), ..Default::default() };
        let e =
            publish.validate(&t, Stage::FinalSignoff, Some(Decision::Review), &signed, today).expect_err("no notice");
        assert!(e.get("notice_not_needed").is_some_and(|m| m.starts_with("Enter why no notice")), "{e:?}");
        // With the reason: published, and the notice clock is not needed rather than overdue.
        let waived = TransitionInput { notice_not_needed: "The Panel agreed it by letter.".into(), ..publish.clone() };
        let done = waived.validate(&t, Stage::FinalSignoff, Some(Decision::Review), &signed, today).expect("a reason");
        assert_eq!(done.notice_not_needed.as_deref(), Some("The Panel agreed it by letter."));
        let notice = evaluate(&t.clocks[3], &done.dates, &[], today, &WorkingCalendar::default());
        assert_eq!(notice.state, ClockState::NotNeeded);
        // With the notice recorded: published, and the clock, run to the day of publication, is met.
        let noticed = ReviewDates { notice_sent_on: Some(d("2025-06-16")), ..signed };
        let done = publish.validate(&t, Stage::FinalSignoff, Some(Decision::Review), &noticed, today).expect("noticed");
        assert_eq!(done.dates.planned_publication_on, Some(d("2025-06-27")));
        let notice = evaluate(&t.clocks[3], &done.dates, &[], today, &WorkingCalendar::default());
        assert_eq!((notice.due, notice.state), (Some(d("2025-06-18")), ClockState::Met));
    }

    #[test]
    fn publication_is_planned_ahead_and_only_for_a_review_decided_on() {
        let today = d("2026-11-29");
        let dates = ReviewDates { aware_on: Some(d("2026-11-20")), ..Default::default() };
        let e = check_publication_dates(&dates, None, Some(d("2027-03-01")), None, today);
        assert_eq!(
            e.get("planned_publication_on"),
            Some("Publication can be planned once the partners have decided to hold the review")
        );
        let e = check_publication_dates(&dates, Some(Decision::Review), Some(d("2026-11-01")), None, today);
        assert_eq!(e.get("planned_publication_on"), Some("The planned publication date must be today or later"));
        assert!(check_publication_dates(&dates, Some(Decision::Review), Some(d("2027-03-01")), None, today).is_empty());
        // A date planned earlier and now past stays as it was when other dates are saved.
        let planned = ReviewDates { planned_publication_on: Some(d("2026-11-01")), ..dates };
        assert!(
            check_publication_dates(&planned, Some(Decision::Review), Some(d("2026-11-01")), None, today).is_empty()
        );
        let e = check_publication_dates(&planned, Some(Decision::Review), None, Some(d("2026-12-01")), today);
        assert_eq!(e.get("notice_sent_on"), Some("The date the notice was sent cannot be in the future"));
    }

    #[test]
    fn transitions_out_of_order_or_with_impossible_dates_are_refused() {
        let t = lcspr();
        let today = d("2025-06-30");
        let dates =
            ReviewDates { aware_on: Some(d("2025-06-02")), notified_on: Some(d("2025-06-05")), ..Default::default() };
        let skip = TransitionInput { to: "draft".into(), on: "2025-06-10".into(), ..Default::default() };
        let e = skip.validate(&t, Stage::RapidReview, None, &dates, today).expect_err("skips stages");
        assert_eq!(
            e.get("to"),
            Some("A review at \"Rapid review\" cannot move to \"Draft report\"; it can move to: Decision made")
        );
        let early = TransitionInput {
            to: "decision".into(),
            on: "2025-06-04".into(),
            decision: "review".into(),
            rationale: "Criteria met".into(),
            signed_la: "on".into(),
            signed_police: "on".into(),
            signed_icb: "on".into(),
            ..Default::default()
        };
        let e = early.validate(&t, Stage::RapidReview, None, &dates, today).expect_err("decision before notification");
        assert_eq!(e.get("on"), Some("Decision made (4 June 2025) cannot be before panel notified (5 June 2025)"));
        let unsigned = TransitionInput { on: "2025-06-20".into(), signed_police: String::new(), ..early.clone() };
        assert!(
            unsigned
                .validate(&t, Stage::RapidReview, None, &dates, today)
                .expect_err("unsigned")
                .get("signed_la")
                .is_some()
        );
        let future = TransitionInput { on: "2025-07-20".into(), ..early.clone() };
        assert_eq!(
            future.validate(&t, Stage::RapidReview, None, &dates, today).expect_err("future").get("on"),
            Some("The date cannot be in the future")
        );
        let ok = TransitionInput { on: "2025-06-20".into(), ..early };
        let done = ok.validate(&t, Stage::RapidReview, None, &dates, today).expect("valid");
        assert_eq!(
            (done.to, done.decision, done.dates.decided_on),
            (Stage::Decision, Some(Decision::Review), Some(d("2025-06-20")))
        );
    }

    #[test]
    fn subjects_are_pseudonyms() {
        assert_eq!(pseudonym(" Child H "), Ok("Child H".into()));
        assert!(pseudonym("Jane Mary Elizabeth Smith").is_err());
        assert!(pseudonym("").is_err());
    }
}
