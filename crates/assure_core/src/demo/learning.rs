//! The demo's learning: recommendations and actions (some overdue, some with evidence and
//! judgements), a live review's chronology and two briefings.

use assure_domain::PartnershipId;

use crate::{Core, CoreError, CoreResult};

/// A demo recommendation: review, number, text, scope, owning subgroup, theme, and its actions;
/// or, when `declined` gives the reason, a finding the partnership decided not to implement.
pub(super) struct DemoRec {
    review: &'static str,
    number: &'static str,
    text: &'static str,
    scope: &'static str,
    body: &'static str,
    theme: &'static str,
    actions: &'static [DemoAction],
    declined: Option<&'static str>,
}

/// Demo evidence: its type, what it shows, and the subgroup's judgement and comment if judged.
pub(super) type DemoEvidence = (&'static str, &'static str, Option<(&'static str, &'static str)>);

/// A demo action: lead organisation, owner, owner's account, what, target (days from today),
/// and where it has got to (status, RAG, progress note, evidence and its judgement).
pub(super) struct DemoAction {
    organisation: &'static str,
    owner: &'static str,
    owner_email: &'static str,
    text: &'static str,
    target_days: i64,
    progress: Option<(&'static str, &'static str, &'static str)>,
    evidence: Option<DemoEvidence>,
}

pub(super) const DEMO_RECOMMENDATIONS: &[DemoRec] = &[
    DemoRec {
        review: "Child F",
        number: "1",
        text: "The partnership should be assured that practitioners recognise adultification and respond to older children as children when they go missing or are exploited.",
        scope: "local",
        body: "Child Practice Review",
        theme: "Adultification",
        actions: &[
            DemoAction {
                organisation: "Essex Police",
                owner: "Detective Inspector, Missing and Exploitation Team",
                owner_email: "police.lead@example.org",
                text: "Brief every response officer on adultification, using the Child F 7-minute briefing.",
                target_days: -120,
                progress: Some((
                    "completed",
                    "green",
                    "Briefing delivered at all shift changes; 412 of 450 officers attended.",
                )),
                evidence: Some((
                    "training",
                    "Attendance records and a dip-sample of 20 missing-person reports after the briefing: 17 recorded the child's vulnerability, against 9 of 20 before.",
                    Some(("assured", "The dip-sample shows a real change in recording. Repeat in six months.")),
                )),
            },
            DemoAction {
                organisation: "Southend Children's Services",
                owner: "Head of Service, Children's Social Care",
                owner_email: "",
                text: "Add adultification to the return-home interview guidance and audit ten interviews.",
                target_days: -30,
                progress: Some(("in_progress", "amber", "Guidance revised; the audit is planned for next month.")),
                evidence: None,
            },
        ],
        declined: None,
    },
    DemoRec {
        review: "Child F",
        number: "2",
        text: "Agencies should share information about missing episodes within one working day, so that patterns are seen.",
        scope: "local",
        body: "Child Practice Review",
        theme: "Missing episodes",
        actions: &[DemoAction {
            organisation: "Essex Partnership University NHS Foundation Trust",
            owner: "Named Nurse for Safeguarding Children",
            owner_email: "",
            text: "Include missing-episode notifications in the mental health triage record.",
            target_days: -10,
            progress: Some(("in_progress", "red", "System change delayed by the supplier.")),
            evidence: Some((
                "policy",
                "Triage procedure updated (version 4) to require checking the missing-episode log.",
                Some(("partly_assured", "The procedure is right; we need evidence that it is followed.")),
            )),
        }],
        declined: None,
    },
    DemoRec {
        review: "Child H",
        number: "1",
        text: "Plans for young people moving to adult services should start by 16 and name who leads each part.",
        scope: "local",
        body: "Child Practice Review",
        theme: "Transition",
        actions: &[DemoAction {
            organisation: "Southend Adult Social Care",
            owner: "Principal Social Worker, Adults",
            owner_email: "",
            text: "Agree a joint transitions protocol with Children's Services.",
            target_days: 45,
            progress: None,
            evidence: None,
        }],
        declined: None,
    },
    DemoRec {
        review: "SAR A",
        number: "1",
        text: "Practitioners should use the self-neglect toolkit and escalate when an adult declines support repeatedly.",
        scope: "local",
        body: "Safeguarding Adults Case Review Panel",
        theme: "Neglect",
        actions: &[
            DemoAction {
                organisation: "Southend Adult Social Care",
                owner: "Head of Safeguarding Adults",
                owner_email: "",
                text: "Relaunch the self-neglect toolkit with a practitioner workshop.",
                target_days: -60,
                progress: Some(("completed", "green", "Workshop held with 64 practitioners from eight agencies.")),
                evidence: Some((
                    "practice_change",
                    "Case file audit of 15 self-neglect cases: the toolkit was used in 12.",
                    None,
                )),
            },
            DemoAction {
                organisation: "Mid and South Essex NHS Foundation Trust",
                owner: "Head of Adult Safeguarding",
                owner_email: "",
                text: "Add self-neglect prompts to discharge planning for adults living alone.",
                target_days: 20,
                progress: Some(("in_progress", "green", "Prompts drafted with the discharge team.")),
                evidence: None,
            },
        ],
        declined: None,
    },
    DemoRec {
        review: "SAR D",
        number: "1",
        text: "Commissioners should ensure that dual-diagnosis pathways are available to adults with both substance misuse and mental health needs.",
        scope: "regional",
        body: "Safeguarding Adults Case Review Panel",
        theme: "Substance misuse",
        actions: &[DemoAction {
            organisation: "Mid and South Essex Integrated Care Board",
            owner: "Director of Mental Health Commissioning",
            owner_email: "",
            text: "Report to the Board on the dual-diagnosis pathway across mid and south Essex.",
            target_days: -5,
            progress: None,
            evidence: None,
        }],
        declined: None,
    },
    DemoRec {
        review: "SAR A",
        number: "2",
        text: "The Board should commission its own hoarding support service for adults who self-neglect.",
        scope: "local",
        body: "Safeguarding Adults Case Review Panel",
        theme: "Neglect",
        actions: &[],
        declined: Some(
            "Essex County Council's new hoarding pathway, open to Southend residents, meets the need; \
             the Board will check its use through the self-neglect audit rather than commission a second service.",
        ),
    },
];

impl Core {
    /// Recommendations and actions for seed 003's reviews (fictional), some overdue and some with
    /// evidence; a chronology for the live rapid review; the briefings of Child F and SAR A.
    pub(super) async fn load_demo_learning(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
        use assure_domain::learning::{ActionInput, EvidenceInput, JudgementInput, ProgressInput, RecommendationInput};
        let reviews = self.reviews(ctx, p).await?;
        let review = |subject: &str| {
            reviews
                .iter()
                .find(|(r, _)| r.subject == subject)
                .map(|(r, _)| r.id)
                .ok_or_else(|| CoreError::Internal(format!("demo review {subject}")))
        };
        let orgs = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?.0;
        let org = |name: &str| {
            orgs.iter()
                .find(|o| o.name == name)
                .map(|o| o.id.to_string())
                .ok_or_else(|| CoreError::Internal(format!("demo organisation {name}")))
        };
        let bodies = self.bodies(ctx, p, false, assure_store::structure::Page::ALL).await?.0;
        let themes = self.themes(ctx, p).await?;
        let today = chrono::Utc::now().date_naive();
        for rec in DEMO_RECOMMENDATIONS {
            let body = bodies
                .iter()
                .find(|b| b.name == rec.body)
                .ok_or_else(|| CoreError::Internal(format!("demo body {}", rec.body)))?;
            let theme = themes.iter().find(|t| t.name == rec.theme).map(|t| t.id.to_string()).unwrap_or_default();
            let rec_id = self
                .add_recommendation(
                    ctx,
                    review(rec.review)?,
                    &RecommendationInput {
                        number: rec.number.into(),
                        text: rec.text.into(),
                        scope: rec.scope.into(),
                        body_id: body.id.to_string(),
                        theme_id: theme,
                    },
                )
                .await?;
            if let Some(reason) = rec.declined {
                // Decided at the board's meeting in the year the review concluded, so the year's
                // annual report gives the reason (Care Act 2014, schedule 2, paragraph 4(1)(g)).
                let decided_on = "2023-02-16".to_owned();
                let decision = assure_domain::learning::DecisionInput {
                    decision: "not_implement".into(),
                    reason: reason.into(),
                    decided_on,
                };
                self.decide_recommendation(ctx, rec_id, &decision).await?;
            }
            for a in rec.actions {
                let target = today + chrono::Duration::days(a.target_days);
                let action = self
                    .add_action(
                        ctx,
                        rec_id,
                        &ActionInput {
                            action: a.text.into(),
                            organisation_id: org(a.organisation)?,
                            owner: a.owner.into(),
                            owner_email: a.owner_email.into(),
                            target_on: target.to_string(),
                        },
                    )
                    .await?;
                if let Some((status, rag, note)) = a.progress {
                    self.record_progress(
                        ctx,
                        action,
                        &ProgressInput { note: note.into(), status: status.into(), rag: rag.into() },
                    )
                    .await?;
                }
                if let Some((kind, narrative, judgement)) = a.evidence {
                    let evidence = self
                        .add_evidence(
                            ctx,
                            action,
                            &EvidenceInput { kind: kind.into(), narrative: narrative.into() },
                            if kind == "training" {
                                vec![crate::learning::UploadFile {
                                    name: "dip-sample-summary.csv".into(),
                                    content_type: "text/csv".into(),
                                    bytes: b"period,reports sampled,vulnerability recorded\nbefore briefing,20,9\nafter briefing,20,17\n"
                                        .to_vec(),
                                }]
                            } else {
                                Vec::new()
                            },
                        )
                        .await?;
                    if let Some((judgement, comment)) = judgement {
                        self.judge_evidence(
                            ctx,
                            evidence,
                            &JudgementInput { judgement: judgement.into(), comment: comment.into() },
                        )
                        .await?;
                    }
                }
            }
        }

        // The live rapid review's chronology so far: the police and the school both record
        // the strategy discussion, which the merged chronology flags as a likely duplicate.
        let k = review("Child K")?;
        let cal = self.working_calendar().await?;
        let day = |n: u32| cal.sub_working_days(today, n).to_string();
        for (agency, date, time, source, event) in [
            (
                "Essex Police",
                day(14),
                "22:40",
                "Incident log",
                "Call from a member of the public: a teenager injured in a park.",
            ),
            (
                "Essex Police",
                day(12),
                "10:00",
                "Strategy discussion minutes",
                "Strategy discussion held with children's social care and the school; section 47 enquiry agreed.",
            ),
            (
                "Pier Hill High School (fictional)",
                day(12),
                "10:00",
                "Safeguarding log",
                "Strategy discussion with police and social care; section 47 enquiry agreed.",
            ),
            (
                "Pier Hill High School (fictional)",
                "2023-09".to_owned(),
                "",
                "Attendance record",
                "Attendance fell below 80% during the autumn term.",
            ),
        ] {
            self.add_chronology_entry(
                ctx,
                k,
                &assure_domain::reviews::chronology::EntryInput {
                    organisation_id: org(agency)?,
                    date,
                    time: time.into(),
                    source: source.into(),
                    event: event.into(),
                    comment: String::new(),
                },
            )
            .await?;
        }

        for (subject, background, learning, questions) in [
            (
                "SAR A",
                "An older adult living alone declined help from several agencies over two years. Her home became unsafe and she died after a fall.",
                "Repeated refusal of support is a sign of risk, not the end of involvement.\nMental capacity should be assessed for the specific decision, and recorded.\nThe self-neglect toolkit helps practitioners agree who leads.",
                "When did you last use the self-neglect toolkit?\nHow do you escalate when an adult keeps declining support?\nWho would you call to convene a multi-agency meeting?",
            ),
            (
                "Child F",
                "A 15-year-old known to several agencies went missing repeatedly and was exploited. Agencies saw each episode separately.",
                "Older children are still children: language such as 'streetwise' or 'making choices' hides risk.\nMissing episodes are a pattern, not a series of incidents.",
                "How does your agency record a child's missing episodes?\nWhat words do you use to describe older children at risk?",
            ),
        ] {
            self.save_briefing(
                ctx,
                review(subject)?,
                &crate::reviews::chronology::BriefingInput {
                    background: background.into(),
                    learning: learning.into(),
                    questions: questions.into(),
                },
            )
            .await?;
        }
        Ok(())
    }
}
