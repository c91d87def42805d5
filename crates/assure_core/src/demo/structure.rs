//! The demo's structure: Southend's agencies, people, boards and groups and their members, and
//! the neighbouring partnerships' statutory partners and boards.

use assure_domain::structure::{BodyInput, MembershipInput, OrganisationInput, PersonInput, TermsInput};
use assure_domain::{BodyId, OrganisationId, PartnershipId, PersonId};

use super::*;
use crate::{Core, CoreResult};

pub(super) const ORGS: &[(&str, &str, &str, Option<&str>)] = &[
    ("Southend City Council", "statutory_partner", "local_authority", None),
    ("Essex Police", "statutory_partner", "police", None),
    ("Mid and South Essex Integrated Care Board", "statutory_partner", "health", None),
    ("Southend Children's Services", "statutory_partner", "local_authority", Some("Southend City Council")),
    ("Southend Adult Social Care", "statutory_partner", "local_authority", Some("Southend City Council")),
    ("Southend Youth Justice Service", "relevant_agency", "probation", Some("Southend City Council")),
    ("Southend Early Years Service", "relevant_agency", "education", Some("Southend City Council")),
    ("Essex Partnership University NHS Foundation Trust", "relevant_agency", "health", None),
    ("Mid and South Essex NHS Foundation Trust", "relevant_agency", "health", None),
    ("East of England Ambulance Service NHS Trust", "relevant_agency", "health", None),
    ("NHS England (East of England)", "relevant_agency", "health", None),
    ("Probation Service (Essex)", "relevant_agency", "probation", None),
    ("British Transport Police", "relevant_agency", "police", None),
    ("South Essex Homes", "relevant_agency", "housing", None),
    ("Essex County Fire and Rescue Service", "relevant_agency", "fire_rescue", None),
    ("Cafcass", "relevant_agency", "other", None),
    ("Southend Association of Voluntary Services", "voluntary_sector", "voluntary", None),
    ("Harbourside Family Support (fictional)", "voluntary_sector", "voluntary", None),
    ("Seaview Primary School (fictional)", "school", "education", None),
    ("Cliffside Academy (fictional)", "school", "education", None),
    ("Pier Hill High School (fictional)", "school", "education", None),
    ("Eastwood Brook Infant School (fictional)", "school", "education", None),
    ("Thames Estuary College (fictional)", "school", "education", None),
];

/// (name, kind, arm, parent, cadence, restricted, purpose)
pub(super) type BodySpec =
    (&'static str, &'static str, &'static str, Option<&'static str>, &'static str, bool, &'static str);

pub(super) const BODIES: &[BodySpec] = &[
    (
        "SSP Executive",
        "executive",
        "both",
        None,
        "quarterly",
        false,
        "The statutory partners' joint leadership of both arms: budget, strategy and sign-off.",
    ),
    (
        "SSP Children's Board (SSPC)",
        "board",
        "children",
        Some("SSP Executive"),
        "quarterly",
        false,
        "Multi-agency safeguarding arrangements for children under the Children and Social Work Act 2017.",
    ),
    (
        "SSP Adults' Board (SSPA)",
        "board",
        "adults",
        Some("SSP Executive"),
        "quarterly",
        false,
        "The Safeguarding Adults Board required by section 43 of the Care Act 2014.",
    ),
    (
        "Audit, Quality and Assurance",
        "subgroup",
        "children",
        Some("SSP Children's Board (SSPC)"),
        "bi_monthly",
        false,
        "Section 11 and Section 175/157 audits, multi-agency case audits and their action plans.",
    ),
    (
        "Performance",
        "subgroup",
        "children",
        Some("SSP Children's Board (SSPC)"),
        "quarterly",
        false,
        "Reviews the children's dashboard and commissions deep dives.",
    ),
    (
        "Performance, Audit, Quality and Assurance (Adults)",
        "subgroup",
        "adults",
        Some("SSP Adults' Board (SSPA)"),
        "quarterly",
        false,
        "Reviews the adults' dashboard and self-assessments.",
    ),
    (
        "Learning and Development",
        "subgroup",
        "both",
        Some("SSP Executive"),
        "bi_monthly",
        false,
        "Training, conferences and evaluation of impact on practice.",
    ),
    (
        "Neglect",
        "subgroup",
        "children",
        Some("SSP Children's Board (SSPC)"),
        "bi_monthly",
        false,
        "Delivery of the neglect strategy and tools.",
    ),
    (
        "Exploitation and Missing",
        "subgroup",
        "children",
        Some("SSP Children's Board (SSPC)"),
        "monthly",
        false,
        "Child exploitation, missing episodes and contextual safeguarding.",
    ),
    (
        "Child Practice Review",
        "subgroup",
        "children",
        Some("SSP Children's Board (SSPC)"),
        "monthly",
        true,
        "Rapid reviews and local child safeguarding practice reviews.",
    ),
    (
        "Safeguarding Adults Case Review Panel",
        "subgroup",
        "adults",
        Some("SSP Adults' Board (SSPA)"),
        "monthly",
        true,
        "Referrals for safeguarding adults reviews and their action plans.",
    ),
    (
        "Safeguarding in Education Forum",
        "forum",
        "children",
        Some("SSP Children's Board (SSPC)"),
        "twice_yearly",
        false,
        "Designated safeguarding leads of Southend's schools and colleges.",
    ),
    (
        "Safeguarding Community Forum",
        "forum",
        "both",
        Some("SSP Executive"),
        "quarterly",
        false,
        "Community and voluntary sector organisations working with children and adults.",
    ),
    (
        "Neglect Strategy Task and Finish Group",
        "task_and_finish",
        "children",
        Some("Neglect"),
        "monthly",
        false,
        "Refreshes the neglect strategy and the graded care profile roll-out.",
    ),
    (
        "SET Procedures Group",
        "set_workstream",
        "both",
        None,
        "quarterly",
        false,
        "Southend, Essex and Thurrock's shared safeguarding procedures.",
    ),
    (
        "SET Learning and Development",
        "set_workstream",
        "both",
        None,
        "quarterly",
        false,
        "Joint learning and development across Southend, Essex and Thurrock.",
    ),
];

/// (name, job title, organisation)
pub(super) const PEOPLE: &[(&str, &str, &str)] = &[
    ("Morgan Hale", "Independent Scrutineer", "Southend City Council"),
    ("Bea Manager", "Business Manager (Children)", "Southend City Council"),
    ("Rowan Pike", "Business Manager (Adults)", "Southend City Council"),
    ("Sam Support", "Business Support Officer", "Southend City Council"),
    ("Dana Whitfield", "Director of Children's Services", "Southend Children's Services"),
    ("Ira Osei", "Director of Adult Social Care", "Southend Adult Social Care"),
    ("Pat Constable", "Detective Superintendent, Head of Public Protection", "Essex Police"),
    ("Kit Morrow", "Detective Chief Inspector, Safeguarding", "Essex Police"),
    ("Lee Ashdown", "Director of Nursing and Safeguarding", "Mid and South Essex Integrated Care Board"),
    ("Noor Hadley", "Designated Nurse for Safeguarding Children", "Mid and South Essex Integrated Care Board"),
    ("Jamie Fenwick", "Head of Safeguarding", "Essex Partnership University NHS Foundation Trust"),
    ("Robin Castell", "Named Nurse Safeguarding", "Mid and South Essex NHS Foundation Trust"),
    ("Toni Baird", "Safeguarding Lead", "East of England Ambulance Service NHS Trust"),
    ("Quinn Adair", "Head of Service", "Probation Service (Essex)"),
    ("Ash Whitlock", "Tenancy Services Manager", "South Essex Homes"),
    ("Drew Kenning", "Safeguarding Manager", "Essex County Fire and Rescue Service"),
    ("Marlowe Reid", "Service Manager", "Cafcass"),
    ("Sky Pemberton", "Chief Executive", "Southend Association of Voluntary Services"),
    ("Frankie Lowe", "Head of Youth Justice", "Southend Youth Justice Service"),
    ("Chris Panel", "Safeguarding Practice Lead", "Southend Children's Services"),
    ("Hayden Brook", "Designated Safeguarding Lead", "Seaview Primary School (fictional)"),
    ("Elliot Marsh", "Headteacher", "Cliffside Academy (fictional)"),
    ("Remy Santos", "Education Safeguarding Adviser", "Southend City Council"),
    ("Jules Carver", "Independent Reviewer", "Southend City Council"),
];

/// (body, person, role, from)
pub(super) const MEMBERS: &[(&str, &str, &str, &str)] = &[
    ("SSP Executive", "Dana Whitfield", "chair", "2022-04-01"),
    ("SSP Executive", "Pat Constable", "member", "2022-04-01"),
    ("SSP Executive", "Lee Ashdown", "member", "2022-04-01"),
    ("SSP Executive", "Morgan Hale", "adviser", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Morgan Hale", "chair", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Sky Pemberton", "vice_chair", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Dana Whitfield", "member", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Kit Morrow", "member", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Noor Hadley", "member", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Frankie Lowe", "member", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Marlowe Reid", "member", "2022-04-01"),
    ("SSP Children's Board (SSPC)", "Drew Kenning", "member", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Morgan Hale", "chair", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Sky Pemberton", "vice_chair", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Ira Osei", "member", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Kit Morrow", "member", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Lee Ashdown", "member", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Jamie Fenwick", "member", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Quinn Adair", "member", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Ash Whitlock", "member", "2022-04-01"),
    ("SSP Adults' Board (SSPA)", "Toni Baird", "member", "2022-04-01"),
    ("Audit, Quality and Assurance", "Noor Hadley", "chair", "2022-04-01"),
    ("Audit, Quality and Assurance", "Remy Santos", "member", "2022-04-01"),
    ("Audit, Quality and Assurance", "Robin Castell", "member", "2022-04-01"),
    ("Performance", "Kit Morrow", "chair", "2022-04-01"),
    ("Performance", "Bea Manager", "member", "2022-04-01"),
    ("Performance, Audit, Quality and Assurance (Adults)", "Jamie Fenwick", "chair", "2022-04-01"),
    ("Learning and Development", "Robin Castell", "chair", "2022-04-01"),
    ("Learning and Development", "Sam Support", "member", "2022-04-01"),
    ("Neglect", "Chris Panel", "chair", "2022-04-01"),
    ("Exploitation and Missing", "Frankie Lowe", "chair", "2022-04-01"),
    ("Exploitation and Missing", "Kit Morrow", "vice_chair", "2022-04-01"),
    ("Child Practice Review", "Noor Hadley", "chair", "2022-04-01"),
    ("Child Practice Review", "Chris Panel", "member", "2022-04-01"),
    ("Child Practice Review", "Jules Carver", "adviser", "2022-09-01"),
    ("Child Practice Review", "Pat Constable", "member", "2022-04-01"),
    ("Safeguarding Adults Case Review Panel", "Ira Osei", "chair", "2022-04-01"),
    ("Safeguarding Adults Case Review Panel", "Quinn Adair", "member", "2022-04-01"),
    ("Safeguarding in Education Forum", "Remy Santos", "chair", "2022-04-01"),
    ("Safeguarding in Education Forum", "Hayden Brook", "member", "2022-04-01"),
    ("Safeguarding in Education Forum", "Elliot Marsh", "member", "2022-04-01"),
    ("Safeguarding Community Forum", "Sky Pemberton", "chair", "2022-04-01"),
    ("SET Procedures Group", "Rowan Pike", "member", "2022-04-01"),
    ("SET Learning and Development", "Robin Castell", "member", "2022-04-01"),
];

/// What the demo's structure holds, by name, for the loaders after it.
pub(super) struct DemoStructure {
    pub orgs: Vec<(String, OrganisationId)>,
    pub bodies: Vec<(String, BodyId)>,
    /// Essex Police in each neighbouring partnership.
    pub police_elsewhere: Vec<(PartnershipId, OrganisationId)>,
}

impl Core {
    /// Southend's organisations, people, boards and groups (with terms of reference) and their
    /// members; the neighbours' statutory partners and boards.
    pub(super) async fn load_demo_structure(
        &self,
        ctx: &crate::Ctx,
        southend: PartnershipId,
        neighbours: [PartnershipId; 2],
    ) -> CoreResult<DemoStructure> {
        let [essex, thurrock] = neighbours;
        let mut orgs: Vec<(String, OrganisationId)> = Vec::new();
        for (name, kind, sector, parent) in ORGS {
            let parent_id = match parent {
                Some(p) => lookup(&orgs, p)?.to_string(),
                None => String::new(),
            };
            let input =
                OrganisationInput { name: (*name).into(), kind: (*kind).into(), sector: (*sector).into(), parent_id };
            orgs.push(((*name).to_owned(), self.create_organisation(ctx, southend, &input).await?));
        }
        let mut people: Vec<(String, PersonId)> = Vec::new();
        for (name, title, org) in PEOPLE {
            // Those with a demo account are recorded with its address: a person's seats are
            // matched to their account by e-mail (their calendar feed, a chair's alerts).
            let email = match *name {
                "Pat Constable" => "police.lead@example.org".to_owned(),
                "Chris Panel" => "cpr.member@example.org".to_owned(),
                _ => format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
            };
            let input = PersonInput {
                name: (*name).into(),
                job_title: (*title).into(),
                email,
                organisation_id: lookup(&orgs, org)?.to_string(),
                // The independent reviewer of a live review is kept out of general view.
                restricted: if *name == "Jules Carver" { "true".into() } else { String::new() },
            };
            people.push(((*name).to_owned(), self.create_person(ctx, southend, &input).await?));
        }
        let mut bodies: Vec<(String, BodyId)> = Vec::new();
        for (name, kind, arm, parent, cadence, restricted, purpose) in BODIES {
            let parent_id = match parent {
                Some(p) => lookup(&bodies, p)?.to_string(),
                None => String::new(),
            };
            let input = BodyInput {
                name: (*name).into(),
                kind: (*kind).into(),
                arm: (*arm).into(),
                parent_id,
                purpose: (*purpose).into(),
                cadence: (*cadence).into(),
                restricted: restricted.to_string(),
            };
            let id = self.create_body(ctx, southend, &input).await?;
            self.add_terms(
                ctx,
                id,
                &TermsInput { text: format!("{purpose}\n\nMembers attend or send a named deputy; a meeting is quorate with one member from each statutory partner."), effective_from: "2022-04-01".into() },
            )
            .await?;
            bodies.push(((*name).to_owned(), id));
        }
        // The boards refreshed their terms of reference for 2023/24: a second version.
        for board in ["SSP Children's Board (SSPC)", "SSP Adults' Board (SSPA)"] {
            self.add_terms(
                ctx,
                lookup(&bodies, board)?,
                &TermsInput {
                    text: "Revised for 2023/24: adds the lead and delegated safeguarding partners of Working Together 2023 and a twice-yearly review of attendance.".into(),
                    effective_from: "2023-04-01".into(),
                },
            )
            .await?;
        }
        for (body, person, role, from) in MEMBERS {
            let person_id = lookup(&people, person)?;
            let org = PEOPLE.iter().find(|(n, _, _)| n == person).map(|(_, _, o)| *o).unwrap_or_default();
            let input = MembershipInput {
                person_id: person_id.to_string(),
                organisation_id: lookup(&orgs, org)?.to_string(),
                role: (*role).into(),
                from_date: (*from).into(),
                to_date: String::new(),
            };
            self.add_membership(ctx, lookup(&bodies, body)?, &input).await?;
        }

        // The neighbours: enough structure for shared audits and for the Essex Police lead.
        let mut police_elsewhere = Vec::new();
        for (p, council, icb) in [
            (essex, "Essex County Council", "Mid and South Essex Integrated Care Board"),
            (thurrock, "Thurrock Council", "Mid and South Essex Integrated Care Board"),
        ] {
            self.create_organisation(
                ctx,
                p,
                &OrganisationInput {
                    name: council.into(),
                    kind: "statutory_partner".into(),
                    sector: "local_authority".into(),
                    parent_id: String::new(),
                },
            )
            .await?;
            let police = self
                .create_organisation(
                    ctx,
                    p,
                    &OrganisationInput {
                        name: "Essex Police".into(),
                        kind: "statutory_partner".into(),
                        sector: "police".into(),
                        parent_id: String::new(),
                    },
                )
                .await?;
            police_elsewhere.push((p, police));
            self.create_organisation(
                ctx,
                p,
                &OrganisationInput {
                    name: icb.into(),
                    kind: "statutory_partner".into(),
                    sector: "health".into(),
                    parent_id: String::new(),
                },
            )
            .await?;
            self.create_body(
                ctx,
                p,
                &BodyInput {
                    name: "Safeguarding Children Board".into(),
                    kind: "board".into(),
                    arm: "children".into(),
                    parent_id: String::new(),
                    purpose: String::new(),
                    cadence: "quarterly".into(),
                    restricted: String::new(),
                },
            )
            .await?;
            self.create_body(
                ctx,
                p,
                &BodyInput {
                    name: "Safeguarding Adults Board".into(),
                    kind: "board".into(),
                    arm: "adults".into(),
                    parent_id: String::new(),
                    purpose: String::new(),
                    cadence: "quarterly".into(),
                    restricted: String::new(),
                },
            )
            .await?;
        }

        Ok(DemoStructure { orgs, bodies, police_elsewhere })
    }
}
