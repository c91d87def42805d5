//! The demo's training: the 2022-23 offer the annual report describes (seed 003: four virtual
//! lunch-and-learns in Safeguarding Adults Week attended by about 200 staff; the Safeguarding
//! Southend Together Conference of 24 March 2023, over 300 professionals and eight workshops;
//! child exploitation champions, 58 new and 15 refreshed; the GCP2 and harmful sexual behaviour
//! roll-outs, over 200 each), recorded as past bookings whose personal details are already erased
//! (how the published totals split between agencies is the demo's own); and this year's lunch and
//! learn on professional curiosity, with a session seven weeks ago (register, evaluations and
//! follow-ups, one countersigned) and one in three weeks open for booking, with fictional people.

use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{
    Attendance, BookingStatus, ChampionKind, EventInput, NewBooking, NewCountersign, NewEvaluation, NewFollowUp,
    SessionInput,
};
use assure_domain::{OrganisationId, PartnershipId};
use assure_store::training::{self as st, PastBooking};
use chrono::{Days, NaiveDate};

use super::structure::{DemoStructure, ORGS};
use crate::accounts::auth::{random_token, token_hash};
use crate::{CoreResult, Ctx};

/// (title, kind, programme, sessions: (day, starts, ends, place or online, capacity),
/// attended per session, did not attend, late cancellations, evaluated share in tenths)
struct Past {
    title: &'static str,
    kind: &'static str,
    programme: &'static str,
    description: &'static str,
    sessions: &'static [(&'static str, &'static str, &'static str, &'static str, i64)],
    attended: &'static [i64],
    no_shows: i64,
    late: i64,
    evaluated_tenths: i64,
    /// Of those attended, how many refreshed (champions' training).
    refreshed: i64,
    /// The agencies it was for, by name (none: every agency).
    audience: &'static [&'static str],
}

const PAST: &[Past] = &[
    Past {
        title: "Safeguarding Adults Week: lunch and learn",
        kind: "lunch_and_learn",
        programme: "",
        description: "Four virtual lunch and learn sessions on safeguarding topics during Safeguarding Adults Week, 21 to 27 November 2022.",
        sessions: &[
            ("2022-11-21", "12:00", "13:00", "online", 60),
            ("2022-11-22", "12:00", "13:00", "online", 60),
            ("2022-11-23", "12:00", "13:00", "online", 60),
            ("2022-11-24", "12:00", "13:00", "online", 60),
        ],
        attended: &[52, 48, 50, 50],
        no_shows: 3,
        late: 1,
        evaluated_tenths: 5,
        refreshed: 0,
        audience: &[],
    },
    Past {
        title: "Safeguarding Southend Together Conference",
        kind: "conference",
        programme: "",
        description: "A multi-agency conference with eight safeguarding workshops covering adults' and children's topics, and a marketplace of local services that support Southend residents.",
        sessions: &[("2023-03-24", "09:00", "16:30", "Southend-on-Sea", 350)],
        attended: &[305],
        no_shows: 12,
        late: 6,
        evaluated_tenths: 6,
        refreshed: 0,
        audience: &[],
    },
    Past {
        title: "Child exploitation champions",
        kind: "champions",
        programme: "Child exploitation champions",
        description: "Training for agencies' child exploitation champions, new and refreshing.",
        sessions: &[
            ("2022-06-15", "09:30", "15:30", "Southend-on-Sea", 30),
            ("2022-10-12", "09:30", "15:30", "Southend-on-Sea", 30),
            ("2023-02-08", "09:30", "15:30", "Southend-on-Sea", 30),
        ],
        attended: &[25, 24, 24],
        no_shows: 1,
        late: 0,
        evaluated_tenths: 8,
        refreshed: 15,
        audience: &[],
    },
    Past {
        title: "Graded Care Profile 2 (GCP2)",
        kind: "roll_out",
        programme: "GCP2",
        description: "Training in the Graded Care Profile 2 tool, following learning from reviews and the neglect needs assessment.",
        sessions: &[
            ("2022-05-10", "09:30", "13:00", "online", 30),
            ("2022-06-14", "09:30", "13:00", "online", 30),
            ("2022-07-12", "09:30", "13:00", "online", 30),
            ("2022-09-13", "09:30", "13:00", "online", 30),
            ("2022-10-11", "09:30", "13:00", "online", 30),
            ("2022-11-08", "09:30", "13:00", "online", 30),
            ("2023-01-10", "09:30", "13:00", "online", 30),
            ("2023-02-14", "09:30", "13:00", "online", 30),
        ],
        attended: &[26, 25, 27, 26, 25, 26, 25, 25],
        no_shows: 2,
        late: 1,
        evaluated_tenths: 5,
        refreshed: 0,
        audience: &[
            "Southend Children's Services",
            "Southend Early Years Service",
            "Essex Partnership University NHS Foundation Trust",
        ],
    },
    Past {
        title: "Harmful sexual behaviour",
        kind: "roll_out",
        programme: "Harmful sexual behaviour",
        description: "Training rolled out following learning from a case review.",
        sessions: &[
            ("2022-05-17", "13:30", "16:30", "online", 30),
            ("2022-06-21", "13:30", "16:30", "online", 30),
            ("2022-07-19", "13:30", "16:30", "online", 30),
            ("2022-09-20", "13:30", "16:30", "online", 30),
            ("2022-10-18", "13:30", "16:30", "online", 30),
            ("2022-11-15", "13:30", "16:30", "online", 30),
            ("2023-01-17", "13:30", "16:30", "online", 30),
            ("2023-02-21", "13:30", "16:30", "online", 30),
        ],
        attended: &[26, 26, 25, 26, 25, 26, 26, 25],
        no_shows: 2,
        late: 0,
        evaluated_tenths: 5,
        refreshed: 0,
        audience: &[],
    },
];

/// This year's people, fictional: (name, address, organisation, role).
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("Robin Hale", "robin.hale@example.org", "Southend City Council", "Social worker"),
    ("Sasha Onwu", "sasha.onwu@example.org", "Essex Police", "Detective constable"),
    ("Tariq Bell", "tariq.bell@example.org", "Mid and South Essex NHS Foundation Trust", "Safeguarding nurse"),
    ("Una Reyes", "una.reyes@example.org", "Seaview Primary School (fictional)", "Designated safeguarding lead"),
    ("Vic Amadi", "vic.amadi@example.org", "South Essex Homes", "Housing officer"),
    ("Wren Okafor", "wren.okafor@example.org", "Harbourside Family Support (fictional)", "Family support worker"),
    ("Yan Li", "yan.li@example.org", "Southend Adult Social Care", "Social worker"),
    ("Zara Kent", "zara.kent@example.org", "Cliffside Academy (fictional)", "Pastoral lead"),
];

fn sector_of(name: &str) -> Sector {
    ORGS.iter().find(|o| o.0 == name).and_then(|o| Sector::parse(o.2)).unwrap_or(Sector::Other)
}

impl crate::Core {
    pub(super) async fn load_demo_training(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        // Agencies in the order bookings are spread over them: the statutory partners and the
        // larger agencies more often.
        let spread: Vec<(OrganisationId, Sector)> = ORGS
            .iter()
            .enumerate()
            .flat_map(|(i, o)| {
                std::iter::repeat_n(
                    o,
                    if i < 5 {
                        4
                    } else if i < 16 {
                        2
                    } else {
                        1
                    },
                )
            })
            .filter_map(|o| s.orgs.iter().find(|(n, _)| n == o.0).map(|(_, id)| (*id, sector_of(o.0))))
            .collect();
        let mut k = 0usize;
        for past in PAST {
            let event = self
                .create_training_event(
                    ctx,
                    p,
                    &EventInput {
                        title: past.title.into(),
                        kind: past.kind.into(),
                        description: past.description.into(),
                        programme: past.programme.into(),
                        organisation_ids: past
                            .audience
                            .iter()
                            .filter_map(|name| s.orgs.iter().find(|(n, _)| n == name).map(|(_, id)| id.0.to_string()))
                            .collect(),
                        ..Default::default()
                    },
                )
                .await?;
            let mut refreshed_left = past.refreshed;
            for (i, (day, starts, ends, place, capacity)) in past.sessions.iter().enumerate() {
                let online = *place == "online";
                let session = self
                    .add_training_session(
                        ctx,
                        event,
                        &SessionInput {
                            on: (*day).into(),
                            starts_at: (*starts).into(),
                            ends_at: (*ends).into(),
                            place: if online { String::new() } else { (*place).into() },
                            online_link: if online {
                                "https://meetings.example.org/ssp-training".into()
                            } else {
                                String::new()
                            },
                            capacity: capacity.to_string(),
                            ..Default::default()
                        },
                    )
                    .await?;
                let attended = past.attended[i];
                let mut rows = Vec::new();
                let total = attended + past.no_shows + past.late;
                for n in 0..total {
                    let (org, sector) = spread[k % spread.len()];
                    k += 1;
                    let attendance = if n < attended {
                        Attendance::Attended
                    } else if n < attended + past.no_shows {
                        Attendance::NoShow
                    } else {
                        Attendance::LateCancellation
                    };
                    let champion = (past.kind == "champions" && attendance == Attendance::Attended).then(|| {
                        if refreshed_left > 0 && n % 5 == 0 {
                            refreshed_left -= 1;
                            ChampionKind::Refreshed
                        } else {
                            ChampionKind::New
                        }
                    });
                    let evaluated = attendance == Attendance::Attended && (n * 10) < attended * past.evaluated_tenths;
                    rows.push(PastBooking {
                        organisation_id: Some(org),
                        sector,
                        attendance: Some(attendance),
                        champion,
                        evaluation: evaluated.then_some((2 + (n % 3), 4 + (n % 2), 4 + ((n + 1) % 2))),
                        token_hash: token_hash(&random_token(16)),
                    });
                }
                let mut tx = self.store.write().await?;
                st::insert_past_bookings(&mut tx, session, &rows, &format!("{day}T00:00:00.000000Z")).await?;
                tx.commit().await?;
            }
        }
        self.load_demo_current_training(ctx, p, s).await
    }

    /// This year's lunch and learn: seven weeks ago (held, with its register, evaluations and
    /// follow-ups) and in three weeks (open for booking).
    async fn load_demo_current_training(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        let today = self.today();
        let event = self
            .create_training_event(
                ctx,
                p,
                &EventInput {
                    title: "Professional curiosity: lunch and learn".into(),
                    kind: "lunch_and_learn".into(),
                    description:
                        "What professional curiosity looks like in a busy week, from the learning of recent reviews."
                            .into(),
                    levels: "All practitioners".into(),
                    ..Default::default()
                },
            )
            .await?;
        let day = |d: NaiveDate| d.to_string();
        let held_on = today.checked_sub_days(Days::new(49)).unwrap_or(today);
        let next_on = today.checked_add_days(Days::new(21)).unwrap_or(today);
        let mut ids = Vec::new();
        for on in [held_on, next_on] {
            ids.push(
                self.add_training_session(
                    ctx,
                    event,
                    &SessionInput {
                        on: day(on),
                        starts_at: "12:30".into(),
                        ends_at: "13:30".into(),
                        online_link: "https://meetings.example.org/ssp-curiosity".into(),
                        capacity: "30".into(),
                        per_organisation: "5".into(),
                        ..Default::default()
                    },
                )
                .await?,
            );
        }
        let org = |name: &str| s.orgs.iter().find(|(n, _)| n == name).map(|(_, id)| *id);
        let mut tx = self.store.write().await?;
        for (i, (name, email, organisation, role)) in PEOPLE.iter().enumerate() {
            let new = NewBooking {
                name: (*name).into(),
                email: (*email).into(),
                organisation_id: org(organisation),
                organisation_name: None,
                sector: sector_of(organisation),
                role: Some((*role).into()),
                manager_email: Some(format!("manager.{}", email)),
                champion: None,
            };
            // The session held: six attended, one did not, one cancelled late.
            let held = st::insert_booking(&mut tx, ids[0], &new, BookingStatus::Booked, &token_hash(&random_token(32)))
                .await?;
            match i {
                6 => st::set_attendance(&mut tx, held, Some(Attendance::NoShow)).await?,
                7 => {
                    st::set_status(&mut tx, held, BookingStatus::Cancelled, Some(Attendance::LateCancellation), true)
                        .await?
                }
                _ => st::set_attendance(&mut tx, held, Some(Attendance::Attended)).await?,
            }
            if i < 5 {
                let e = NewEvaluation {
                    learned: "To ask the second question, and to check what I am told against what I see.".into(),
                    confidence_before: 2 + (i as i64 % 2),
                    confidence_after: 4,
                    will_do: "Record what I was told and by whom, and check it with the other agencies involved."
                        .into(),
                    rating: 4 + (i as i64 % 2),
                };
                st::set_evaluation(&mut tx, held, &e).await?;
                st::mark_follow_up(&mut tx, held, false, &token_hash(&random_token(32))).await?;
            }
            if i < 2 {
                let f = NewFollowUp {
                    practice_change: "I now check a family's account with the school and the health visitor before closing a referral.".into(),
                    example: "A referral I would have closed after one call turned out to need an early help assessment.".into(),
                };
                st::set_follow_up(&mut tx, held, &f, Some(&token_hash(&random_token(32)))).await?;
            }
            if i == 0 {
                let c =
                    NewCountersign { agrees: true, comment: Some("Seen in supervision and in two case files.".into()) };
                st::countersign(&mut tx, held, &c).await?;
            }
            // The session to come: the first six have booked.
            if i < 6 {
                st::insert_booking(&mut tx, ids[1], &new, BookingStatus::Booked, &token_hash(&random_token(32)))
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
