//! The demo's challenge and escalation log: the six challenges of the 2015-16 annual report's
//! Section 6 (seed 002: what was raised, the action required, the agency responsible and the
//! progress, as the report gives them; the days raised and closed are the demo's own, within that
//! year), and two of this year's, dated from today: an escalation open long enough to be flagged,
//! and a challenge raised at the latest meeting.

use assure_domain::PartnershipId;
use assure_domain::challenges::{ChallengeInput, CloseInput, ProgressInput};
use chrono::{Days, NaiveDate};

use super::structure::DemoStructure;
use crate::{CoreResult, Ctx};

/// (raised on, agency (a partner by name, or typed), details, action required, responsible,
/// progress, outcome, closed on)
type Past =
    (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

const SEED_002: &[Past] = &[
    (
        "2015-06-17",
        "Southend Community Safety Partnership",
        "Delays in the consideration of high risk domestic abuse cases at MARAC",
        "SET Domestic Abuse Strategic Group to address the effectiveness of the functioning of MARAC as part of its review of the Domestic Abuse Strategy",
        "Southend Community Safety Partnership",
        "Southend specific solution is now in place with establishment of a Multi Agency Risk Assessment Team (MARAT) which went live early April 2016. No backlog of cases September 2016",
        "resolved",
        "2016-09-30",
    ),
    (
        "2015-07-15",
        "Essex Police",
        "Provision of performance information regarding the impact of domestic abuse on children",
        "LSCB Business Manager to send request to Essex Police to provide performance information",
        "Essex Police",
        "Introduction of Athena has impacted on performance information provision but reporting now taking place",
        "resolved",
        "2016-03-31",
    ),
    (
        "2015-09-16",
        "Essex Police",
        "A number of procedural issues have been identified regarding the implementation of the CSE Strategy by Essex Police",
        "Essex Police to address the recommended actions detailed in the CSE Review Report",
        "Essex Police",
        "Essex Police have ensured effective implementation of the CSE Strategy. Analysis of CSE intelligence has now been completed",
        "resolved",
        "2016-03-31",
    ),
    (
        "2015-10-21",
        "Southend Health and Wellbeing Board",
        "Concerns regarding the future sustainability around the provision of support to victims and specialist support services. The concerns related to the ad-hoc nature of the funding, e.g. comes from a variety of sources and was not secured funding",
        "Funding and sustainability of specialist support services and victim needs be raised with relevant agencies and partnership groups including Health and Wellbeing Board and Community Safety Partnership",
        "LSCB Chair",
        "Police and Crime Commissioner has provided 3 year funding for SOS Rape Crisis to deliver specialist services to male and female victims of sexual abuse across all ages",
        "resolved",
        "2016-03-31",
    ),
    (
        "2015-11-18",
        "NHS England (East of England)",
        "NHS England advised that they would not be able to regularly attend meetings of the LSCB and SAB due to organisational change and reduced resources. Board AGREED that the proposed arrangement was not acceptable",
        "Response to NHS England setting out the Board's concerns about NHS England attendance at the LSCB",
        "LSCB Chair",
        "NHS England has agreed to attend the Executive of both the LSCB and SAB. Attendance has been variable",
        "unresolved",
        "2016-03-31",
    ),
    (
        "2016-02-17",
        "Essex Police",
        "HMIC Inspections of Police Effectiveness (Vulnerability); and Safeguarding completed and published early 2016. Vulnerability inspection assessed Essex Police as 'inadequate' and the Safeguarding inspection also identified areas for improvement",
        "Improvement Plan to be shared with the LSCB and SAB and monitored by the Boards Executive Groups",
        "Essex Police",
        "Improvement Plan monitored by the LSCB. Re-inspections by HMIC have identified progress made by Essex Police",
        "resolved",
        "2016-09-30",
    ),
];

impl crate::Core {
    pub(super) async fn load_demo_challenges(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        let org = |name: &str| s.orgs.iter().find(|(n, _)| n == name).map(|(_, id)| id.0.to_string());
        for (raised_on, agency, details, action, responsible, progress, outcome, closed_on) in SEED_002 {
            let (id, _) = self
                .raise_challenge(
                    ctx,
                    p,
                    &ChallengeInput {
                        direction: "challenge".into(),
                        raised_on: (*raised_on).into(),
                        raised_by: "The LSCB".into(),
                        organisation_id: org(agency).unwrap_or_default(),
                        organisation_name: if org(agency).is_some() { String::new() } else { (*agency).into() },
                        meeting_id: String::new(),
                        details: (*details).into(),
                        action_agreed: (*action).into(),
                        responsible: (*responsible).into(),
                    },
                )
                .await?;
            self.add_challenge_progress(
                ctx,
                id,
                &ProgressInput { on: (*closed_on).into(), progress: (*progress).into() },
            )
            .await?;
            // The report's last word on each is its evidence (or, for NHS England's variable
            // attendance, why it closed without being resolved).
            let closure = (*progress).to_owned();
            self.close_challenge(
                ctx,
                id,
                &CloseInput { outcome: (*outcome).into(), closed_on: (*closed_on).into(), closure },
            )
            .await?;
        }
        let today = self.today();
        let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today).to_string();
        // This year: an escalation from the youth justice service, open for four months.
        let (escalation, _) = self
            .raise_challenge(
                ctx,
                p,
                &ChallengeInput {
                    direction: "escalation".into(),
                    raised_on: ago(120),
                    raised_by: "Head of Southend Youth Justice Service".into(),
                    organisation_id: org("Southend Youth Justice Service").unwrap_or_default(),
                    details: "Health information for the joint assessments of children at risk of exploitation arrives after the assessment is due, in a third of cases this year".into(),
                    action_agreed: "The ICB's designated nurse to agree a five-working-day turnaround with the community health provider, and report to the executive".into(),
                    responsible: "Mid and South Essex Integrated Care Board".into(),
                    ..Default::default()
                },
            )
            .await?;
        self.add_challenge_progress(
            ctx,
            escalation,
            &ProgressInput {
                on: ago(60),
                progress:
                    "Turnaround agreed in principle; the provider is recruiting to the vacant post before it starts"
                        .into(),
            },
        )
        .await?;
        // And a challenge to the police, raised at the latest meeting held.
        let meeting = {
            let mut conn = self.store.read().await?;
            let since = today.checked_sub_days(Days::new(120)).unwrap_or(today);
            assure_store::meetings::meetings_in(&mut conn, p, since, today)
                .await?
                .into_iter()
                .rfind(|m| m.cancelled_reason.is_none() && !m.body_restricted && m.held_on <= today)
        };
        let raised: NaiveDate = meeting.as_ref().map_or(today, |m| m.held_on);
        self.raise_challenge(
            ctx,
            p,
            &ChallengeInput {
                direction: "challenge".into(),
                raised_on: raised.to_string(),
                raised_by: "The independent chair".into(),
                organisation_id: org("Essex Police").unwrap_or_default(),
                meeting_id: meeting.map(|m| m.id.0.to_string()).unwrap_or_default(),
                details:
                    "Police attendance at initial child protection conferences fell below the agreed level last quarter"
                        .into(),
                action_agreed: "Essex Police to report the reasons and a recovery plan to the next meeting".into(),
                responsible: "Essex Police".into(),
                ..Default::default()
            },
        )
        .await?;
        Ok(())
    }
}
