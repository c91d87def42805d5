//! The demo's case reviews: those of the 2022/23 report with fictional dates, and two live
//! rapid reviews dated from today; their themes.

use assure_domain::{PartnershipId, ReviewId};

use crate::{Core, CoreError, CoreResult};

/// One step of a demo review: the stage, its date, and the decision fields where needed.
pub(super) struct Step(&'static str, String);

impl Core {
    pub(super) async fn demo_review(
        &self,
        ctx: &crate::Ctx,
        p: PartnershipId,
        (type_code, arm, subject, summary): (&str, &str, &str, &str),
        aware_on: String,
        steps: &[Step],
        decision: &str,
    ) -> CoreResult<i64> {
        use assure_domain::reviews::{NewReviewInput, TransitionInput};
        let id = self
            .create_review(
                ctx,
                p,
                &NewReviewInput {
                    type_code: type_code.into(),
                    arm: arm.into(),
                    subject: subject.into(),
                    summary: summary.into(),
                    aware_on,
                },
            )
            .await?;
        for Step(to, on) in steps {
            if *to == "notice_sent" {
                // The notice to the Panel and the Secretary of State, ahead of publication.
                self.set_publication_dates(ctx, id, "", on).await?;
                continue;
            }
            let deciding = *to == "decision";
            let input = TransitionInput {
                to: (*to).into(),
                on: on.clone(),
                decision: if deciding { decision.into() } else { String::new() },
                rationale: if deciding {
                    "The criteria for a review are met; agencies' involvement shows learning to be had.".into()
                } else {
                    String::new()
                },
                signed_la: "on".into(),
                signed_police: "on".into(),
                signed_icb: "on".into(),
                s44_needs: "on".into(),
                s44_concern: "on".into(),
                s44_harm: "on".into(),
                reason: if *to == "not_published" {
                    "Publication would identify surviving family members.".into()
                } else {
                    String::new()
                },
                ..Default::default()
            };
            self.move_review(ctx, id, &input).await?;
        }
        Ok(id.0)
    }

    /// The reviews of the SSP 2022/23 annual report (seed 003), with fictional dates, and two
    /// live rapid reviews whose clocks run from today.
    pub(super) async fn load_demo_reviews(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
        let s = |d: &str| d.to_owned();
        self.demo_review(
            ctx,
            p,
            ("lcspr", "children", "Child F", "Serious harm to a young person known to several agencies."),
            s("2021-03-08"),
            &[
                Step("notification", s("2021-03-11")),
                Step("rapid_review", s("2021-03-12")),
                Step("decision", s("2021-03-30")),
                Step("in_progress", s("2021-05-04")),
                Step("draft", s("2022-06-20")),
                Step("final_signoff", s("2022-09-14")),
                Step("notice_sent", s("2022-10-18")),
                Step("published", s("2022-11-01")),
                Step("learning_disseminated", s("2022-12-01")),
                Step("closed", s("2023-01-16")),
            ],
            "review",
        )
        .await?;
        let h = self
            .demo_review(
                ctx,
                p,
                ("lcspr", "children", "Child H", "A young person's transition to adult services; missing episodes."),
                s("2022-10-03"),
                &[
                    Step("notification", s("2022-10-06")),
                    Step("rapid_review", s("2022-10-07")),
                    Step("decision", s("2022-10-26")),
                    Step("in_progress", s("2022-11-15")),
                ],
                "review",
            )
            .await?;
        // Child H's independent reviewer, the agreed cost, and the practitioners' event (fictional).
        self.appoint(
            ctx,
            ReviewId(h),
            &assure_domain::reviews::conduct::AppointmentInput {
                role: "independent_reviewer".into(),
                name: "Dr Morgan Ashby (fictional)".into(),
                organisation: "Independent safeguarding consultant".into(),
                appointed_on: s("2022-11-21"),
                cost: "6,000".into(),
                note: "Commissioned by the Child Practice Review subgroup.".into(),
                ..Default::default()
            },
        )
        .await?;
        let orgs = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?.0;
        let attended: Vec<String> = orgs
            .iter()
            .filter(|o| ["Essex Police", "Southend City Council"].contains(&o.name.as_str()))
            .map(|o| o.id.to_string())
            .collect();
        self.record_learning_event(
            ctx,
            ReviewId(h),
            &assure_domain::reviews::conduct::LearningEventInput {
                held_on: s("2023-03-14"),
                title: "Practitioner learning event".into(),
                organisation_ids: attended,
                attendees: "16".into(),
                heard: "Workers in children's and adult services did not share one plan for the move to adult \
                        services; missing episodes were recorded but not pieced together."
                    .into(),
            },
        )
        .await?;
        self.pause_review(
            ctx,
            ReviewId(h),
            "2023-06-01",
            "Criminal proceedings: the police asked the partnership to pause until the trial ends.",
        )
        .await?;
        self.demo_review(
            ctx,
            p,
            ("sar_mandatory", "adults", "SAR A", "Self-neglect of an adult living alone."),
            s("2021-11-01"),
            &[
                Step("decision", s("2021-12-15")),
                Step("in_progress", s("2022-01-10")),
                Step("draft", s("2022-08-01")),
                Step("final_signoff", s("2022-10-10")),
                Step("published", s("2022-11-20")),
                Step("learning_disseminated", s("2023-01-10")),
            ],
            "review",
        )
        .await?;
        self.demo_review(
            ctx,
            p,
            ("sar_discretionary", "adults", "SAR B", "Reviewed in rapid time: housing and risk assessment."),
            s("2022-05-09"),
            &[
                Step("decision", s("2022-06-01")),
                Step("in_progress", s("2022-06-15")),
                Step("draft", s("2022-10-03")),
                Step("final_signoff", s("2022-11-30")),
                Step("not_published", s("2022-12-05")),
                Step("learning_disseminated", s("2023-01-20")),
                Step("closed", s("2023-03-31")),
            ],
            "review",
        )
        .await?;
        self.demo_review(
            ctx,
            p,
            ("action_learning", "adults", "SAR C", "Care home system failings; progressing as action learning."),
            s("2022-08-15"),
            &[Step("decision", s("2022-09-20")), Step("in_progress", s("2022-10-17"))],
            "review",
        )
        .await?;
        self.demo_review(
            ctx,
            p,
            ("sar_mandatory", "adults", "SAR D", "Substance misuse, mental health and housing."),
            s("2023-01-16"),
            &[Step("decision", s("2023-02-20")), Step("in_progress", s("2023-03-13")), Step("draft", s("2023-11-06"))],
            "review",
        )
        .await?;
        self.demo_review(
            ctx,
            p,
            ("action_learning", "adults", "AT", "Mental health, substance misuse and accommodation."),
            s("2023-02-01"),
            &[Step("decision", s("2023-03-01")), Step("in_progress", s("2023-03-20"))],
            "review",
        )
        .await?;
        // Live rapid reviews, dated from today so that their clocks are running.
        let cal = self.working_calendar().await?;
        let today = chrono::Utc::now().date_naive();
        let back = |n: u32| cal.sub_working_days(today, n).to_string();
        self.demo_review(
            ctx,
            p,
            ("lcspr", "children", "Child J", "Serious injury to an infant; the council became aware this week."),
            back(3),
            &[],
            "",
        )
        .await?;
        let k = self
            .demo_review(
                ctx,
                p,
                ("lcspr", "children", "Child K", "A teenager seriously harmed in a knife incident."),
                back(12),
                &[Step("notification", back(10)), Step("rapid_review", back(9))],
                "",
            )
            .await?;
        // The rapid review has asked three agencies for what they knew.
        let ahead = |n: u32| cal.add_working_days(today, n).to_string();
        for (name, kind, due) in [
            ("Essex Police", "chronology", ahead(2)),
            ("Essex Partnership University NHS Foundation Trust", "summary", ahead(4)),
            ("Pier Hill High School (fictional)", "chronology", ahead(4)),
        ] {
            let org = orgs
                .iter()
                .find(|o| o.name == name)
                .ok_or_else(|| CoreError::Internal(format!("demo organisation {name}")))?;
            self.request_information(ctx, ReviewId(k), &org.id.to_string(), kind, &due).await?;
        }
        Ok(())
    }
}

impl Core {
    /// The themes seed 003 lists against each review.
    pub(super) async fn tag_demo_reviews(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
        let tags: &[(&str, &[&str])] = &[
            (
                "Child F",
                &[
                    "Mental health",
                    "Exploitation",
                    "Neglect",
                    "Housing and accommodation",
                    "Missing episodes",
                    "Transition",
                    "Adultification",
                    "Communication",
                ],
            ),
            (
                "Child H",
                &[
                    "Transition",
                    "Engagement",
                    "Mental health",
                    "Physical health",
                    "Adultification",
                    "Housing and accommodation",
                    "Missing episodes",
                    "Communication",
                ],
            ),
            ("SAR A", &["Neglect", "Communication"]),
            (
                "SAR B",
                &[
                    "Housing and accommodation",
                    "Risk assessment and management",
                    "Escalation",
                    "Planning and case management",
                    "Mental health",
                ],
            ),
            ("SAR C", &["System failings in care homes", "Communication", "Escalation"]),
            (
                "SAR D",
                &[
                    "Substance misuse",
                    "Mental health",
                    "Housing and accommodation",
                    "Escalation",
                    "Risk assessment and management",
                    "Thresholds",
                ],
            ),
            (
                "AT",
                &[
                    "Mental health",
                    "Substance misuse",
                    "Housing and accommodation",
                    "Risk assessment and management",
                    "Communication",
                    "Planning and case management",
                ],
            ),
        ];
        let themes = self.themes(ctx, p).await?;
        let reviews = self.reviews(ctx, p).await?;
        for (subject, names) in tags {
            let Some((review, _)) = reviews.iter().find(|(r, _)| r.subject == *subject) else { continue };
            let ids: Vec<String> = names
                .iter()
                .map(|n| {
                    themes
                        .iter()
                        .find(|t| t.name == *n)
                        .map(|t| t.id.to_string())
                        .ok_or_else(|| CoreError::Internal(format!("demo theme {n}")))
                })
                .collect::<CoreResult<_>>()?;
            self.set_review_themes(ctx, review.id, &ids, None).await?;
        }
        Ok(())
    }
}
