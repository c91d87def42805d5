//! The demo's voice of practitioners and the public. Southend's feedback is fictional and comes in
//! as the demo loads (through the public page's own use-case): one piece passed on to the learning
//! and development subgroup, answered and closed, with its "You said, we did"; one acknowledged;
//! one passed on to Essex Police; one just received. Essex's "You said, we did" is the three of its
//! 2022-23 report's "It's My Life" (seed 004), as it gives them. And a survey after this
//! year's lunch and learn with six practitioners' answers (fictional).

use assure_domain::PartnershipId;
use assure_domain::voice::{FeedbackInput, SaidDidInput, TriageInput};

use super::structure::DemoStructure;
use crate::{CoreError, CoreResult, Ctx};

const ESSEX_2022_23: &[(&str, &str, &str)] = &[
    (
        "You told us that the festive season can be really challenging for care leavers",
        "So we ensure every care leaver in Essex gets a care leavers pack in December",
        "2022-12-01",
    ),
    (
        "You told us that your identity and culture is important to you",
        "So we have developed our Proud To Be Me group, and young people have developed an anti-racist thinking tool to help address racism, to be used across the partnership",
        "2023-01-31",
    ),
    (
        "You described an increase in anxiety and worry since the pandemic",
        "So we give training to foster carers to help them support you and your feelings, and to give you the right care",
        "2023-03-31",
    ),
];

impl crate::Core {
    pub(super) async fn load_demo_voice(
        &self,
        ctx: &Ctx,
        (southend, essex): (PartnershipId, PartnershipId),
        s: &DemoStructure,
    ) -> CoreResult<()> {
        let id_of = |list: &[(String, i64)], name: &str| {
            list.iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| id.to_string())
                .ok_or_else(|| CoreError::Internal(format!("demo {name}")))
        };
        let orgs: Vec<(String, i64)> = s.orgs.iter().map(|(n, id)| (n.clone(), id.0)).collect();
        let bodies: Vec<(String, i64)> = s.bodies.iter().map(|(n, id)| (n.clone(), id.0)).collect();
        let give = |giver: &str, topic: &str, words: &str, reply_to: &str| FeedbackInput {
            giver: giver.into(),
            topic: topic.into(),
            feedback: words.into(),
            reply_to: reply_to.into(),
            website: String::new(),
        };
        let step = |step: &str, body: String, org: String, note: &str| TriageInput {
            step: step.into(),
            body_id: body,
            organisation_id: org,
            note: note.into(),
        };
        // The demo's own address for the public page's limit on feedback per address.
        let from = Some("demo".to_owned());
        let (first, _) = self
            .give_feedback(
                "southend",
                &give(
                    "practitioner",
                    "training",
                    "The professional curiosity lunch and learn was really useful. Night staff in our service cannot come at lunchtime: could there be an evening session?",
                    "",
                ),
                from.clone(),
                None,
            )
            .await?;
        self.triage_feedback(ctx, first, &step("acknowledge", String::new(), String::new(), "")).await?;
        let ld = id_of(&bodies, "Learning and Development")?;
        self.triage_feedback(ctx, first, &step("route", ld, String::new(), "For the next programme")).await?;
        self.triage_feedback(
            ctx,
            first,
            &step("respond", String::new(), String::new(), "An evening session is in the next programme"),
        )
        .await?;
        self.triage_feedback(
            ctx,
            first,
            &step("close", String::new(), String::new(), "Evening session added; recorded as You said, we did"),
        )
        .await?;
        self.record_said_did(
            ctx,
            southend,
            &SaidDidInput {
                you_said: "You told us that night staff cannot come to lunchtime training".into(),
                we_did: "So we now run the professional curiosity session in the evening too".into(),
                done_on: self.today().to_string(),
                published: "yes".into(),
                feedback_id: first.to_string(),
            },
        )
        .await?;
        let (second, _) = self
            .give_feedback(
                "southend",
                &give(
                    "parent_carer",
                    "website",
                    "I could not find how to ask for early help for my family on the website.",
                    "parent.carer@example.org",
                ),
                from.clone(),
                None,
            )
            .await?;
        self.triage_feedback(ctx, second, &step("acknowledge", String::new(), String::new(), "")).await?;
        let (third, _) = self
            .give_feedback(
                "southend",
                &give(
                    "practitioner",
                    "review_learning",
                    "The briefing on Child F helped me challenge a decision to close a referral. Response officers would use a shorter version on their phones.",
                    "",
                ),
                from.clone(),
                None,
            )
            .await?;
        let police = id_of(&orgs, "Essex Police")?;
        self.triage_feedback(ctx, third, &step("route", String::new(), police, "For the force's briefings team"))
            .await?;
        self.give_feedback(
            "southend",
            &give(
                "young_person",
                "other",
                "The online safety assemblies at school feel like they are for younger children.",
                "",
            ),
            from,
            None,
        )
        .await?;
        // A survey after this year's lunch and learn, with six practitioners' answers.
        let survey = self
            .create_survey(
                ctx,
                southend,
                &assure_domain::voice::survey::SurveyInput {
                    title: "After the professional curiosity lunch and learn".into(),
                    intro: "Five minutes on what you took from the session, to plan the next one.".into(),
                    questions: "scale: How confident do you feel asking about a child's lived experience?\n\
                        choice: Where do you work? | Police | Health | Children's social care | Education | Voluntary sector\n\
                        text: What will you do differently?"
                        .into(),
                    closes_on: String::new(),
                },
            )
            .await?;
        for (n, (confidence, work, different)) in [
            ("4", "Police", "Ask to see where the child sleeps"),
            ("5", "Health", "Record what the child says in their own words"),
            ("3", "Education", ""),
            ("4", "Children's social care", "Check who else lives in the home"),
            ("5", "Police", ""),
            ("4", "Voluntary sector", "Ask the child, not only the parent"),
        ]
        .into_iter()
        .enumerate()
        {
            let answers = [("q1", confidence), ("q2", work), ("q3", different)]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<Vec<_>>();
            self.answer_survey("southend", survey, &answers, Some(format!("demo-survey-{n}")), None).await?;
        }
        for (said, did, on) in ESSEX_2022_23 {
            self.record_said_did(
                ctx,
                essex,
                &SaidDidInput {
                    you_said: (*said).into(),
                    we_did: (*did).into(),
                    done_on: (*on).into(),
                    published: "yes".into(),
                    feedback_id: String::new(),
                },
            )
            .await?;
        }
        Ok(())
    }
}
