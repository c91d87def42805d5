//! How fast the statutory clocks are computed: `cargo bench -p assure_domain --bench clocks`.
//! Prints clocks evaluated per second and working-day additions per second, with peak memory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::Instant;

use assure_domain::reviews::calendar::WorkingCalendar;
use assure_domain::reviews::{Pause, RawClock, RawReviewType, ReviewDates, check_types, evaluate};
use chrono::{Datelike, Duration, NaiveDate};

fn clock(code: &str, start: &str, working_days: Option<i32>, months: Option<u32>, met_by: &str) -> RawClock {
    RawClock {
        code: code.into(),
        label: code.into(),
        start: start.into(),
        working_days,
        months,
        met_by: met_by.into(),
        due_soon: 3,
    }
}

fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

fn main() {
    let types = check_types(vec![RawReviewType {
        code: "lcspr".into(),
        name: "LCSPR".into(),
        arm: "children".into(),
        stages: ["referral", "notification", "rapid_review", "decision", "in_progress", "closed"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        statutory_signoff: true,
        care_act_s44: false,
        child_death: false,
        clocks: vec![
            clock("notification", "aware_on", Some(5), None, "notified_on"),
            clock("rapid_review", "notified_on", Some(15), None, "decided_on"),
            clock("completion", "decided_on", None, Some(6), "signed_off_on"),
            clock("notice", "planned_publication_on", Some(-7), None, "notice_sent_on"),
        ],
    }])
    .expect("valid");
    let kind = &types.0[0];
    let cal = WorkingCalendar::default();
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    // A deterministic spread of reviews over ten years, some paused.
    let mut seed: u64 = 44;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as i64
    };
    let n = 100_000;
    let reviews: Vec<(ReviewDates, Vec<Pause>)> = (0..n)
        .map(|_| {
            let aware = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap() + Duration::days(next() % 3900);
            let notified = aware + Duration::days(next() % 9);
            let decided = notified + Duration::days(10 + next() % 20);
            let pauses = if next() % 5 == 0 {
                vec![Pause { from: decided + Duration::days(30), to: Some(decided + Duration::days(30 + next() % 90)) }]
            } else {
                Vec::new()
            };
            (
                ReviewDates {
                    aware_on: Some(aware),
                    notified_on: Some(notified),
                    decided_on: Some(decided),
                    planned_publication_on: Some(decided + Duration::days(200)),
                    ..Default::default()
                },
                pauses,
            )
        })
        .collect();

    let start = Instant::now();
    let mut evaluated = 0u64;
    let mut overdue = 0u64;
    for (dates, pauses) in &reviews {
        for rule in &kind.clocks {
            let c = evaluate(rule, dates, pauses, today, &cal);
            evaluated += 1;
            overdue += u64::from(c.state == assure_domain::reviews::ClockState::Overdue);
        }
    }
    let clock_secs = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut checksum = 0i64;
    for (dates, _) in &reviews {
        let aware = dates.aware_on.unwrap();
        checksum += cal.add_working_days(aware, 15).num_days_from_ce() as i64;
    }
    let add_secs = start.elapsed().as_secs_f64();

    println!(
        "clocks evaluated:        {evaluated} in {clock_secs:.3} s = {:.0} clocks/s ({overdue} overdue)",
        evaluated as f64 / clock_secs
    );
    println!(
        "15-working-day additions: {n} in {add_secs:.3} s = {:.0} additions/s (checksum {checksum})",
        n as f64 / add_secs
    );
    println!("peak memory:             {} MiB", peak_memory_kib() / 1024);
}
