//! The demo's audits: the closed 2019 Section 11 cycle, a schools' Section 175 audit, and the
//! open joint Section 11 cycle about half answered.

use assure_domain::audits::assessment::{AnswerInput, ModerationInput};
use assure_domain::audits::framework::AnswerType;
use assure_domain::{FrameworkId, PartnershipId};

use crate::{Core, CoreError, CoreResult};

impl Core {
    /// The 2019 Section 11 cycle, closed, with findings from seed 001 appendix 10 as actions.
    pub(super) async fn load_demo_2019_cycle(&self, ctx: &crate::Ctx, p: PartnershipId, s11: i64) -> CoreResult<()> {
        let orgs = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?.0;
        let id_of = |name: &str| {
            orgs.iter()
                .find(|o| o.name == name)
                .map(|o| o.id.to_string())
                .ok_or_else(|| CoreError::Internal(format!("demo organisation {name}")))
        };
        // (organisation, finding's section, finding, that organisation's scores)
        let findings: [(&str, &str, &str, &str); 4] = [
            ("Essex County Fire and Rescue Service", "2.2", "Implement E Safety Policy", "3"),
            (
                "Essex Police",
                "3.2",
                "Provide assurance that the voice of the child is impacting on organisational learning and practice",
                "3",
            ),
            (
                "Southend Children's Services",
                "2.2",
                "Confirm appropriate training and monitoring of E Safety policy and practice",
                "3",
            ),
            (
                "Southend Youth Justice Service",
                "5.1",
                "Consider the impact of not having an information sharing protocol and explore whether there are appropriate agreements to adopt",
                "2",
            ),
        ];
        let campaign = self
            .create_campaign(
                ctx,
                p,
                &crate::audits::CampaignInput {
                    title: "Section 11 audit 2019".into(),
                    framework_id: s11.to_string(),
                    opens_on: "2019-01-07".into(),
                    closes_on: "2019-10-31".into(),
                    organisation_ids: findings.iter().map(|f| id_of(f.0)).collect::<CoreResult<_>>()?,
                    partnership_ids: Vec::new(),
                },
            )
            .await?;
        let (_, framework) = self.framework(ctx, FrameworkId(s11)).await?;
        let view = self.campaign(ctx, campaign).await?;
        for a in &view.assessments {
            let score = findings.iter().find(|f| f.0 == a.organisation_name).map(|f| f.3).unwrap_or("3");
            // Recorded after the event: the lock is lifted to enter the returns, then restored.
            self.set_assessment_unlocked(ctx, a.id, true).await?;
            self.save_answers(ctx, a.id, &demo_answers(&framework, |_| score.to_owned())).await?;
            self.step_assessment(ctx, a.id, "submit", "").await?;
            self.step_assessment(ctx, a.id, "close", "").await?;
            self.set_assessment_unlocked(ctx, a.id, false).await?;
        }
        let bodies = self.bodies(ctx, p, false, assure_store::structure::Page::ALL).await?.0;
        let aqa = bodies
            .iter()
            .find(|b| b.name == "Audit, Quality and Assurance")
            .ok_or_else(|| CoreError::Internal("demo body Audit, Quality and Assurance".into()))?;
        for (org, section, text, _) in findings {
            let rec = self
                .add_finding(
                    ctx,
                    campaign,
                    p,
                    &assure_domain::learning::RecommendationInput {
                        number: section.into(),
                        text: text.into(),
                        scope: "local".into(),
                        body_id: aqa.id.to_string(),
                        theme_id: String::new(),
                    },
                )
                .await?;
            let action = self
                .add_action(
                    ctx,
                    rec,
                    &assure_domain::learning::ActionInput {
                        action: format!("{text} (Section 11 finding, section {section})"),
                        organisation_id: id_of(org)?,
                        owner: "Safeguarding lead".into(),
                        owner_email: String::new(),
                        target_on: "2020-03-31".into(),
                    },
                )
                .await?;
            self.record_progress(
                ctx,
                action,
                &assure_domain::learning::ProgressInput {
                    note: "Confirmed at the Audit, Quality and Assurance subgroup.".into(),
                    status: "completed".into(),
                    rag: "green".into(),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// The yearly Section 175/157 audit to 62 fictional schools, 58 of which have returned.
    pub(super) async fn load_demo_s175(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
        let frameworks = self.frameworks(ctx, None).await?;
        let s175 = frameworks
            .iter()
            .find(|f| f.code == "s175")
            .ok_or_else(|| CoreError::Internal("the shipped S175 framework".into()))?;
        const NAMES: [&str; 31] = [
            "Alder",
            "Beacon",
            "Chalkwell",
            "Downs",
            "Eastwood",
            "Fairfax",
            "Garon",
            "Harcourt",
            "Ivy",
            "Jubilee",
            "Kent Elms",
            "Leigh Hill",
            "Marine",
            "Nelson",
            "Oakwood",
            "Prittle",
            "Queens",
            "Rayleigh Road",
            "Shoebury",
            "Thorpe",
            "Upton",
            "Victoria",
            "Westcliff",
            "Yantlet",
            "Zion",
            "Belfairs",
            "Cliffs",
            "Darlinghurst",
            "Earls Hall",
            "Friars",
            "Hamstel",
        ];
        let mut ids = Vec::new();
        let mut tx = self.store.write().await?;
        for (i, name) in NAMES.iter().flat_map(|n| [(0, *n), (1, *n)]).enumerate() {
            let school = assure_domain::structure::NewOrganisation {
                name: format!("{} {} School (fictional)", name.1, if name.0 == 0 { "Primary" } else { "Academy" }),
                kind: assure_domain::structure::OrganisationKind::School,
                sector: assure_domain::structure::Sector::Education,
                parent_id: None,
            };
            let _ = i;
            ids.push(assure_store::structure::insert_organisation(&mut tx, p, &school).await?.0.to_string());
        }
        tx.commit().await?;
        let today = chrono::Utc::now().date_naive();
        let campaign = self
            .create_campaign(
                ctx,
                p,
                &crate::audits::CampaignInput {
                    title: "Section 175/157 schools audit (demo)".into(),
                    framework_id: s175.id.to_string(),
                    opens_on: (today - chrono::Days::new(60)).to_string(),
                    closes_on: (today + chrono::Days::new(14)).to_string(),
                    organisation_ids: ids,
                    partnership_ids: Vec::new(),
                },
            )
            .await?;
        let (_, framework) = self.framework(ctx, s175.id).await?;
        let view = self.campaign(ctx, campaign).await?;
        for (i, a) in view.assessments.iter().enumerate().take(58) {
            // Mostly green, some amber, a few red: online safety is where schools struggle.
            let answers = demo_answers(&framework, |q| {
                match (q, i % 7) {
                    ("O1", 0) | ("O1", 3) => "1",
                    ("O1", _) | ("R1", 2) | ("T1", 5) => "2",
                    _ => "3",
                }
                .to_owned()
            });
            self.save_answers(ctx, a.id, &answers).await?;
            self.step_assessment(ctx, a.id, "submit", "").await?;
        }
        Ok(())
    }

    /// An open Section 11 campaign run jointly by Southend, Essex and Thurrock, about half
    /// returned: the police in Southend have been challenged on one answer, the council is part-way.
    pub(super) async fn load_demo_audits(
        &self,
        ctx: &crate::Ctx,
        p: PartnershipId,
        joint: &[PartnershipId],
    ) -> CoreResult<()> {
        let frameworks = self.frameworks(ctx, None).await?;
        let s11 = frameworks
            .iter()
            .find(|f| f.code == "section11")
            .ok_or_else(|| CoreError::Internal("the shipped Section 11 framework".into()))?;
        self.load_demo_2019_cycle(ctx, p, s11.id.0).await?;
        self.load_demo_s175(ctx, p).await?;
        // The partnership's own framework for community groups, beside the shared ones.
        self.import_framework(
            ctx,
            Some(p),
            "community-self-assessment.yaml",
            include_bytes!("community-self-assessment.yaml").to_vec(),
        )
        .await?;
        let orgs = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?.0;
        let id_of = |name: &str| {
            orgs.iter()
                .find(|o| o.name == name)
                .map(|o| o.id.to_string())
                .ok_or_else(|| CoreError::Internal(format!("demo organisation {name}")))
        };
        let today = chrono::Utc::now().date_naive();
        let recipients = [
            "Essex Police",
            "Southend City Council",
            "Mid and South Essex NHS Foundation Trust",
            "Essex Partnership University NHS Foundation Trust",
            "Probation Service (Essex)",
        ];
        let mut organisation_ids: Vec<String> = recipients.iter().map(|n| id_of(n)).collect::<CoreResult<_>>()?;
        for q in joint {
            let theirs = self.organisations(ctx, *q, false, assure_store::structure::Page::ALL).await?.0;
            organisation_ids.extend(theirs.into_iter().map(|o| o.id.to_string()));
        }
        let campaign = self
            .create_campaign(
                ctx,
                p,
                &crate::audits::CampaignInput {
                    title: "Section 11 audit (demo)".into(),
                    framework_id: s11.id.to_string(),
                    opens_on: (today - chrono::Days::new(30)).to_string(),
                    closes_on: (today + chrono::Days::new(60)).to_string(),
                    organisation_ids,
                    partnership_ids: joint.iter().map(|q| q.to_string()).collect(),
                },
            )
            .await?;
        let view = self.campaign(ctx, campaign).await?;
        let (_, framework) = self.framework(ctx, s11.id).await?;
        // About half in: four of Southend's partners and Essex's police have returned; the
        // council is part-way.
        const RETURNED: [&str; 4] = [
            "Essex Police",
            "Mid and South Essex NHS Foundation Trust",
            "Essex Partnership University NHS Foundation Trust",
            "Probation Service (Essex)",
        ];
        for a in &view.assessments {
            let ours = a.organisation_partnership == p;
            let complete = (ours && RETURNED.contains(&a.organisation_name.as_str()))
                || (!ours
                    && a.organisation_name == "Essex Police"
                    && joint.first() == Some(&a.organisation_partnership));
            let part_way = ours && a.organisation_name == "Southend City Council";
            if !(complete || part_way) {
                continue;
            }
            let mut answers: Vec<AnswerInput> = Vec::new();
            for (i, q) in framework.nodes.iter().filter(|n| n.answer.is_some()).enumerate() {
                if !complete && i > 4 {
                    break;
                }
                let mut answer = AnswerInput { question: q.id.clone(), ..AnswerInput::default() };
                match q.answer {
                    Some(AnswerType::Score) => answer.score = if i % 3 == 0 { "3" } else { "4" }.to_owned(),
                    Some(AnswerType::Number | AnswerType::Percent) => answer.value = "92".to_owned(),
                    Some(AnswerType::YesNoPartly) => answer.value = "partly".to_owned(),
                    _ => answer.value = "See the safeguarding annual report, section 2.".to_owned(),
                }
                answers.push(answer);
            }
            self.save_answers(ctx, a.id, &answers).await?;
            if complete && !(ours && a.organisation_name == "Essex Police") {
                self.step_assessment(ctx, a.id, "submit", "").await?;
            } else if complete {
                let policy = crate::learning::UploadFile {
                    name: "allegations-policy.txt".into(),
                    content_type: "text/plain".into(),
                    bytes: b"Managing allegations against staff and volunteers (demo document).\n".to_vec(),
                };
                self.upload_answer_file(ctx, a.id, "8.2", Some(policy)).await?;
                self.step_assessment(ctx, a.id, "submit", "").await?;
                // The subgroup moderates the first question down and asks why.
                let first = framework
                    .nodes
                    .iter()
                    .find(|n| n.answer == Some(assure_domain::audits::framework::AnswerType::Score))
                    .ok_or_else(|| CoreError::Internal("Section 11 has a scored question".into()))?;
                self.moderate(ctx, a.id, &[ModerationInput { question: first.id.clone(), score: "2".into() }]).await?;
                self.record_challenge(
                    ctx,
                    a.id.0,
                    &first.id,
                    "Why 3? The board minutes do not show the senior lead reporting on safeguarding this year.",
                    false,
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// A full set of answers to a framework, scores from `score`.
pub(super) fn demo_answers(
    framework: &assure_domain::audits::framework::Framework,
    score: impl Fn(&str) -> String,
) -> Vec<AnswerInput> {
    framework
        .nodes
        .iter()
        .filter_map(|q| {
            let mut answer = AnswerInput { question: q.id.clone(), ..AnswerInput::default() };
            match q.answer? {
                AnswerType::Score => answer.score = score(&q.id),
                AnswerType::Number | AnswerType::Percent => answer.value = "94".to_owned(),
                AnswerType::YesNoPartly => answer.value = "yes".to_owned(),
                AnswerType::Date => answer.value = "2025-09-01".to_owned(),
                AnswerType::Choice => answer.value = q.choices.first().cloned().unwrap_or_default(),
                AnswerType::Text | AnswerType::File => {
                    answer.value = "See the safeguarding report to governors.".to_owned()
                }
            }
            Some(answer)
        })
        .collect()
}
