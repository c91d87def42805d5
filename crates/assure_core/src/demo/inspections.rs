//! The demo's inspections. Three from the 2015-16 annual report (seed 002, Sections 6 and 7), as
//! it gives them: Ofsted's single inspection of Southend's children's services (fieldwork in
//! April and May 2016, published in July 2016, "requires improvement to be good", its twelve
//! recommendations), HMIC's child protection inspection of Essex Police (fieldwork in September
//! and October 2015, published in March 2016, no grades, its recommendations), and HMIC's PEEL
//! vulnerability inspection of Essex Police ("inadequate", published early 2016); the report gives
//! months, so the days are the demo's own. And two of this year's, fictional and dated from today:
//! a joint targeted area inspection whose letter is published, with its areas for improvement as
//! actions on the plan, and a CQC review whose report is not yet published.

use assure_domain::PartnershipId;
use assure_domain::inspections::{InspectionInput, JudgementInput};
use assure_domain::learning::{ActionInput, ProgressInput, RecommendationInput};
use chrono::Days;

use super::structure::DemoStructure;
use crate::{CoreError, CoreResult, Ctx};

const OFSTED_2016: &[&str] = &[
    "Improve the quality of management oversight and decision making at all levels to ensure that children experience good-quality assessment and care planning to meet their needs in a timely way.",
    "Ensure that the results of quality assurance work and independent reviews are analysed, reported and monitored in a way that makes explicit to staff and managers the impact of practice on children and the improvement that is required to deliver good-quality services.",
    "Ensure that visits to children are undertaken in line with their plans, and take appropriate action when this is not the case.",
    "Ensure that thresholds are applied consistently, so that decisions relating to contacts and referrals to children's social care are appropriate, and that these are well informed by appropriate checks with other agencies.",
    "Ensure that children become looked after without unnecessary delay, when this is what they need, and improve the monitoring of this process.",
    "Ensure that children receive ongoing help and support as children in need until this is no longer required.",
    "Ensure that child protection investigations are consistently completed within timescales that are in line with statutory guidance, so that children receive the services that they need as soon as they can.",
    "Strengthen step-down arrangements between statutory and early help services to ensure that decisions to step down are appropriate and that children receive an effective continuum of support.",
    "Strengthen the quality and oversight of assessments and plans for children in need of help and protection, including children affected by domestic violence.",
    "Ensure that arrangements for children placed at home with parents under a care order are suitable, and that appropriate action is being taken to secure permanence for these children.",
    "Ensure that information presented to elected members provides enough detail of performance, quality assurance or other independent reviews to give them a full picture of the quality of the frontline practice that children experience.",
    "Develop and improve the consultation with, and participation of, children and young people, in respect of informing service development and monitoring service quality.",
];

const HMIC_2015: &[&str] = &[
    "Immediately: control room staff assess risks to children, paying particular attention to drawing all relevant information together at an early stage as part of that assessment, and ensure frontline staff are alerted to relevant information.",
    "Immediately: incidents are not downgraded or the response delayed without proper justification and without appropriate checks having been made on the welfare of any children involved.",
    "Immediately: any concerns about an incident involving children at risk are escalated if police have been delayed in attending.",
    "Immediately: relevant intelligence to assess risk is routinely updated on police systems in a timely manner and is readily available to frontline officers when attending incidents.",
    "Immediately: undertake a review, together with children's social care services and other relevant agencies, to ensure that the police are fulfilling their responsibilities as set out in Working Together to Safeguard Children.",
    "Within three months: ensure that officers always check on the welfare of children and record their observations of a child's behaviour and demeanour in domestic abuse incident records, so that a better assessment of a child's needs can be made.",
    "Within three months: take steps to improve practice in cases of children who go missing from home.",
    "Within three months: review how it manages the detention of children, with the assistance of children's social care services and other relevant agencies.",
    "Within six months: take steps with partners to ensure timely forensic medical examinations are conducted in sexual abuse cases involving children.",
    "Within six months: take steps with partner agencies to evaluate its current MARAC arrangements, including preliminary meetings to filter cases, to ensure that vulnerable people including victims and children are protected at an early stage.",
];

impl crate::Core {
    pub(super) async fn load_demo_inspections(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        let org = |name: &str| {
            s.orgs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| id.0.to_string())
                .ok_or_else(|| CoreError::Internal(format!("demo organisation {name}")))
        };
        let body = |name: &str| {
            s.bodies
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| id.0.to_string())
                .ok_or_else(|| CoreError::Internal(format!("demo body {name}")))
        };
        let today = self.today();
        let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today).to_string();
        let recommend = |number: usize, text: &str, body_id: String| RecommendationInput {
            number: number.to_string(),
            text: text.into(),
            scope: "local".into(),
            body_id,
            theme_id: String::new(),
        };

        let ofsted = self
            .record_inspection(
                ctx,
                p,
                &InspectionInput {
                    type_code: "ofsted_sif".into(),
                    title: "Inspection of services for children in need of help and protection, children looked after and care leavers, and review of the Local Safeguarding Children Board".into(),
                    organisation_ids: vec![org("Southend Children's Services")?],
                    fieldwork_from: "2016-04-18".into(),
                    fieldwork_to: "2016-05-12".into(),
                    published_on: "2016-07-04".into(),
                    link: "https://reports.ofsted.gov.uk/".into(),
                    summary: "Children's services in Southend-on-Sea require improvement to be good. A coherent early help offer is effective; work to secure children's lives through adoption and services for care leavers are areas of significant strength; some children are referred and assessed too many times, or stepped down to early help before intervention has been fully effective.".into(),
                },
            )
            .await?;
        self.add_judgement(
            ctx,
            ofsted,
            &JudgementInput {
                area: "Overall effectiveness".into(),
                grade: "Requires improvement to be good".into(),
                ..Default::default()
            },
        )
        .await?;
        let quality = body("Audit, Quality and Assurance")?;
        let mut ofsted_recs = Vec::new();
        for (n, text) in OFSTED_2016.iter().enumerate() {
            ofsted_recs
                .push(self.add_inspection_recommendation(ctx, ofsted, &recommend(n + 1, text, quality.clone())).await?);
        }
        // The partnership's own part: what elected members are told (11) and children's voice (12).
        for (rec, text, note) in [
            (
                ofsted_recs[10],
                "Quarterly performance and quality assurance report to the Children's Services Improvement Board and scrutiny committee",
                "Reported quarterly since October 2016; members' questions recorded with the answers",
            ),
            (
                ofsted_recs[11],
                "Participation strategy with the Children in Care Council and young inspectors",
                "Strategy agreed; young inspectors reviewed two services this year",
            ),
        ] {
            let action = self
                .add_action(
                    ctx,
                    rec,
                    &ActionInput {
                        action: text.into(),
                        organisation_id: org("Southend Children's Services")?,
                        owner: "Director of Children's Services".into(),
                        owner_email: String::new(),
                        target_on: "2017-03-31".into(),
                    },
                )
                .await?;
            self.record_progress(
                ctx,
                action,
                &ProgressInput { note: note.into(), status: "completed".into(), rag: "green".into() },
            )
            .await?;
        }

        let hmic = self
            .record_inspection(
                ctx,
                p,
                &InspectionInput {
                    type_code: "hmic_child_protection".into(),
                    title: "Essex Police: national child protection inspection".into(),
                    organisation_ids: vec![org("Essex Police")?],
                    fieldwork_from: "2015-09-07".into(),
                    fieldwork_to: "2015-10-16".into(),
                    published_on: "2016-03-15".into(),
                    link: "https://hmicfrs.justiceinspectorates.gov.uk/".into(),
                    summary: "Strong commitment to child protection from the chief officers and the Police and Crime Commissioner, but their ambitions were not being realised in practice on the frontline. HMIC revisited in September 2016 to assess progress on every recommendation.".into(),
                },
            )
            .await?;
        self.add_judgement(
            ctx,
            hmic,
            &JudgementInput {
                area: "Child protection".into(),
                finding: "The force was not adequately protecting all children who are at risk due to widespread serious and systemic failings.".into(),
                ..Default::default()
            },
        )
        .await?;
        for (n, text) in HMIC_2015.iter().enumerate() {
            self.add_inspection_recommendation(ctx, hmic, &recommend(n + 1, text, quality.clone())).await?;
        }

        let peel = self
            .record_inspection(
                ctx,
                p,
                &InspectionInput {
                    type_code: "hmic_peel_2014".into(),
                    title: "PEEL: police effectiveness 2015 (vulnerability), Essex Police".into(),
                    organisation_ids: vec![org("Essex Police")?],
                    fieldwork_from: "2015-10-05".into(),
                    fieldwork_to: "2015-10-09".into(),
                    published_on: "2016-02-25".into(),
                    link: String::new(),
                    summary: String::new(),
                },
            )
            .await?;
        self.add_judgement(
            ctx,
            peel,
            &JudgementInput {
                area: "How well does the force protect those who are vulnerable from harm and support victims?".into(),
                grade: "Inadequate".into(),
                ..Default::default()
            },
        )
        .await?;

        // This year's, fictional: a joint targeted area inspection, its letter published.
        let agencies = [
            "Southend Children's Services",
            "Essex Police",
            "Mid and South Essex Integrated Care Board",
            "Probation Service (Essex)",
        ];
        let jtai = self
            .record_inspection(
                ctx,
                p,
                &InspectionInput {
                    type_code: "jtai".into(),
                    title: "Joint targeted area inspection: the multi-agency response to children at risk of criminal exploitation".into(),
                    organisation_ids: agencies.iter().map(|a| org(a)).collect::<CoreResult<_>>()?,
                    fieldwork_from: ago(70),
                    fieldwork_to: ago(66),
                    published_on: ago(21),
                    link: String::new(),
                    summary: "Fictional, for the demo. Strong strategic leadership of the exploitation work; return home interviews and the sharing of health information are areas for improvement.".into(),
                },
            )
            .await?;
        self.add_judgement(
            ctx,
            jtai,
            &JudgementInput {
                area: "Strengths".into(),
                finding: "Leaders share a clear understanding of exploitation in the area, and the exploitation panel knows its children well.".into(),
                ..Default::default()
            },
        )
        .await?;
        let exploitation = body("Exploitation and Missing")?;
        let in_days = |days: u64| today.checked_add_days(Days::new(days)).unwrap_or(today).to_string();
        for (n, text, lead, owner, due) in [
            (
                1,
                "Return home interviews are offered to every child who has been missing, and what children say informs their plans.",
                "Southend Children's Services",
                "Head of Service, Exploitation",
                in_days(60),
            ),
            (
                2,
                "Health information is available to the multi-agency assessment of children at risk of exploitation when it is needed.",
                "Mid and South Essex Integrated Care Board",
                "Designated Nurse for Safeguarding Children",
                in_days(90),
            ),
        ] {
            let rec = self.add_inspection_recommendation(ctx, jtai, &recommend(n, text, exploitation.clone())).await?;
            self.add_action(
                ctx,
                rec,
                &ActionInput {
                    action: format!(
                        "Action plan for area for improvement {n}, reported to the Exploitation and Missing subgroup"
                    ),
                    organisation_id: org(lead)?,
                    owner: owner.into(),
                    owner_email: String::new(),
                    target_on: due,
                },
            )
            .await?;
        }

        // And a CQC review whose fieldwork has ended and whose report is not yet published, with
        // the inspectors' feedback at the end of the fieldwork.
        let cqc = self
            .record_inspection(
                ctx,
                p,
                &InspectionInput {
                    type_code: "cqc_clas".into(),
                    title: "Review of health services for children looked after and safeguarding in Southend".into(),
                    organisation_ids: vec![
                        org("Mid and South Essex Integrated Care Board")?,
                        org("Essex Partnership University NHS Foundation Trust")?,
                    ],
                    fieldwork_from: ago(18),
                    fieldwork_to: ago(14),
                    published_on: String::new(),
                    link: String::new(),
                    summary:
                        "Fictional, for the demo. Feedback at the end of the fieldwork; the draft report is awaited."
                            .into(),
                },
            )
            .await?;
        self.add_judgement(
            ctx,
            cqc,
            &JudgementInput {
                area: "Feedback at the end of the fieldwork".into(),
                finding: "Health assessments of children coming into care are timely; the voice of the child is not always recorded in them.".into(),
                ..Default::default()
            },
        )
        .await?;
        Ok(())
    }
}
