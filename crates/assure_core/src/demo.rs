//! The demo: the Southend Safeguarding Partnership as its 2022/23 reports describe it, with
//! Essex and Thurrock as neighbours. Organisations are the real agencies the reports name;
//! people are fictional; accounts use the reserved domain example.org. Everything goes through
//! the same use-cases (validation, audit) as the pages.

use assure_domain::structure::{ArmKind, BodyInput, MembershipInput, OrganisationInput, PersonInput, TermsInput};
use assure_domain::{BodyId, OrganisationId, PartnershipId, PersonId};
use assure_store::audit;
use assure_store::structure as st;
use serde_json::json;

use crate::accounts::{GrantInput, NewUserInput};
use crate::{Core, CoreError, CoreResult};

/// A demo account, for the README and the sign-in hint.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub what: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@example.org",
        name: "Alex Admin",
        role: "administrator",
        what: "Administrator of all three partnerships",
    },
    DemoAccount {
        email: "business.manager@example.org",
        name: "Bea Manager",
        role: "business_unit",
        what: "Southend business manager",
    },
    DemoAccount {
        email: "support.officer@example.org",
        name: "Sam Support",
        role: "business_unit",
        what: "Southend support officer",
    },
    DemoAccount {
        email: "scrutineer@example.org",
        name: "Jo Scrutineer",
        role: "scrutineer",
        what: "Southend independent scrutineer: reads everything, changes nothing",
    },
    DemoAccount {
        email: "police.lead@example.org",
        name: "Pat Constable",
        role: "agency_lead",
        what: "Essex Police safeguarding lead in Southend, Essex and Thurrock",
    },
    DemoAccount {
        email: "cpr.member@example.org",
        name: "Chris Panel",
        role: "body_member",
        what: "Member of Southend's Child Practice Review subgroup",
    },
    DemoAccount {
        email: "viewer@example.org",
        name: "Vic Viewer",
        role: "viewer",
        what: "Reads Southend's unrestricted structure",
    },
    DemoAccount {
        email: "essex.manager@example.org",
        name: "Ellis Manager",
        role: "business_unit",
        what: "Essex business manager",
    },
];

const ORGS: &[(&str, &str, &str, Option<&str>)] = &[
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
type BodySpec = (&'static str, &'static str, &'static str, Option<&'static str>, &'static str, bool, &'static str);

const BODIES: &[BodySpec] = &[
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
const PEOPLE: &[(&str, &str, &str)] = &[
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
const MEMBERS: &[(&str, &str, &str, &str)] = &[
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

fn lookup<T: Copy>(map: &[(String, T)], name: &str) -> CoreResult<T> {
    map.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| CoreError::Internal(format!("demo data names {name}")))
}

impl Core {
    /// Loads the demo into an empty database. `password` becomes every demo account's password.
    pub async fn load_demo(&self, password: &str) -> CoreResult<()> {
        assure_domain::password::check_new_password(password, "demo@example.org")
            .map_err(|m| CoreError::field("password", format!("ASSURE_DEMO_PASSWORD: {m}")))?;
        let mut tx = self.store.write().await?;
        if !st::partnerships(&mut tx).await?.is_empty() {
            return Err(CoreError::field(
                "database",
                "The database already holds partnerships; the demo needs an empty one",
            ));
        }
        let southend = st::create_partnership(
            &mut tx,
            "southend",
            "Southend Safeguarding Partnership",
            &[
                (ArmKind::Children, "Southend Safeguarding Partnership (Children)"),
                (ArmKind::Adults, "Southend Safeguarding Partnership (Adults)"),
            ],
        )
        .await?;
        let essex = st::create_partnership(
            &mut tx,
            "essex",
            "Essex Safeguarding Partnership",
            &[
                (ArmKind::Children, "Essex Safeguarding Children Board"),
                (ArmKind::Adults, "Essex Safeguarding Adults Board"),
            ],
        )
        .await?;
        let thurrock = st::create_partnership(
            &mut tx,
            "thurrock",
            "Thurrock Safeguarding Partnership",
            &[
                (ArmKind::Children, "Thurrock Local Safeguarding Children Partnership"),
                (ArmKind::Adults, "Thurrock Safeguarding Adults Board"),
            ],
        )
        .await?;
        audit::append(
            &mut tx,
            audit::NewEntry {
                actor_label: "cli".into(),
                action: "demo_loaded".into(),
                record_type: "partnership".into(),
                detail: json!({"partnerships": [southend, essex, thurrock]}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;

        let ctx = self.operator().await?;
        let mut orgs: Vec<(String, OrganisationId)> = Vec::new();
        for (name, kind, sector, parent) in ORGS {
            let parent_id = match parent {
                Some(p) => lookup(&orgs, p)?.to_string(),
                None => String::new(),
            };
            let input =
                OrganisationInput { name: (*name).into(), kind: (*kind).into(), sector: (*sector).into(), parent_id };
            orgs.push(((*name).to_owned(), self.create_organisation(&ctx, southend, &input).await?));
        }
        let mut people: Vec<(String, PersonId)> = Vec::new();
        for (name, title, org) in PEOPLE {
            let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
            let input = PersonInput {
                name: (*name).into(),
                job_title: (*title).into(),
                email,
                organisation_id: lookup(&orgs, org)?.to_string(),
                // The independent reviewer of a live review is kept out of general view.
                restricted: if *name == "Jules Carver" { "true".into() } else { String::new() },
            };
            people.push(((*name).to_owned(), self.create_person(&ctx, southend, &input).await?));
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
            let id = self.create_body(&ctx, southend, &input).await?;
            self.add_terms(
                &ctx,
                id,
                &TermsInput { text: format!("{purpose}\n\nMembers attend or send a named deputy; a meeting is quorate with one member from each statutory partner."), effective_from: "2022-04-01".into() },
            )
            .await?;
            bodies.push(((*name).to_owned(), id));
        }
        // The boards refreshed their terms of reference for 2023/24: a second version.
        for board in ["SSP Children's Board (SSPC)", "SSP Adults' Board (SSPA)"] {
            self.add_terms(
                &ctx,
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
            self.add_membership(&ctx, lookup(&bodies, body)?, &input).await?;
        }

        // The neighbours: enough structure for shared audits and for the Essex Police lead.
        let mut police_elsewhere = Vec::new();
        for (p, council, icb) in [
            (essex, "Essex County Council", "Mid and South Essex Integrated Care Board"),
            (thurrock, "Thurrock Council", "Mid and South Essex Integrated Care Board"),
        ] {
            self.create_organisation(
                &ctx,
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
                    &ctx,
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
                &ctx,
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
                &ctx,
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
                &ctx,
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

        for p in [southend, essex, thurrock] {
            for theme in crate::themes::STARTER_THEMES {
                self.add_theme(&ctx, p, theme).await?;
            }
        }
        self.load_demo_reviews(&ctx, southend).await?;
        self.tag_demo_reviews(&ctx, southend).await?;

        for account in ACCOUNTS {
            let (partnership, org, body): (PartnershipId, Option<OrganisationId>, Option<BodyId>) = match account.email
            {
                "police.lead@example.org" => (southend, Some(lookup(&orgs, "Essex Police")?), None),
                "cpr.member@example.org" => (southend, None, Some(lookup(&bodies, "Child Practice Review")?)),
                "essex.manager@example.org" => (essex, None, None),
                _ => (southend, None, None),
            };
            let input = NewUserInput {
                email: account.email.into(),
                display_name: account.name.into(),
                role: account.role.into(),
                organisation_id: org.map(|o| o.to_string()).unwrap_or_default(),
                body_id: body.map(|b| b.to_string()).unwrap_or_default(),
                password: password.into(),
            };
            let (user, _) = self.create_user(&ctx, partnership, &input).await?;
            // The demo prints its accounts' password for the person running it to use as is.
            let mut tx = self.store.write().await?;
            assure_store::accounts::keep_password(&mut tx, user).await?;
            tx.commit().await?;
            if account.email == "admin@example.org" {
                for p in [essex, thurrock] {
                    self.grant_role(&ctx, p, user, &GrantInput { role: "administrator".into(), ..Default::default() })
                        .await?;
                }
            }
            if account.email == "cpr.member@example.org" || account.email == "police.lead@example.org" {
                // Panel members of the live children's reviews.
                let mut conn = self.store.read().await?;
                let reviews = assure_store::reviews::reviews(&mut conn, southend).await?;
                drop(conn);
                for r in reviews.iter().filter(|r| {
                    r.subject == "Child J" || (r.subject == "Child H" && account.email == "cpr.member@example.org")
                }) {
                    self.add_to_panel(&ctx, r.id, account.email).await?;
                }
            }
            if account.email == "police.lead@example.org" {
                for (p, police) in &police_elsewhere {
                    self.grant_role(
                        &ctx,
                        *p,
                        user,
                        &GrantInput {
                            role: "agency_lead".into(),
                            organisation_id: police.to_string(),
                            body_id: String::new(),
                        },
                    )
                    .await?;
                }
            }
        }
        self.load_demo_learning(&ctx, southend).await?;
        self.load_shipped_frameworks().await?;
        self.load_demo_audits(&ctx, southend, &[essex, thurrock]).await?;
        // Southend's published figures, with its statistical neighbours, the East of England and England.
        let files: Vec<(String, Vec<u8>)> =
            crate::indicators::SHIPPED.iter().map(|(n, b)| ((*n).to_owned(), b.to_vec())).collect();
        self.import_published_for(&ctx, &files, Some("882")).await?;
        self.set_partnership_area(&ctx, southend, "E06000033").await?;
        let children = lookup(&orgs, "Southend Children's Services")?;
        self.record_extract_text(&ctx, southend, children, "contacts-2023-24-and-2024-25.csv", &demo_extract()).await?;
        self.load_demo_returns(&ctx, southend, lookup(&orgs, "Southend Adult Social Care")?).await?;
        self.load_demo_figures(&ctx, southend).await?;
        self.set_indicator_threshold(&ctx, southend, "children.rereferral_percent", "20", "24").await?;
        self.set_indicator_threshold(&ctx, southend, "children.cpp_subsequent_percent", "20", "25").await?;
        self.add_indicator_comment(
            &ctx,
            southend,
            "children.referral_rate",
            "2024-25",
            "Referrals fell again after the front door moved to the new MASH triage; the subgroup asked Children's Services for a deep dive into contacts that did not become referrals.",
        )
        .await?;
        Ok(())
    }
}

/// One step of a demo review: the stage, its date, and the decision fields where needed.
struct Step(&'static str, String);

impl Core {
    async fn demo_review(
        &self,
        ctx: &crate::Ctx,
        p: PartnershipId,
        (type_code, arm, subject, summary): (&str, &str, &str, &str),
        aware_on: String,
        steps: &[Step],
        decision: &str,
    ) -> CoreResult<i64> {
        use assure_domain::review::{NewReviewInput, TransitionInput};
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
        Ok(id)
    }

    /// The reviews of the SSP 2022/23 annual report (seed 003), with fictional dates, and two
    /// live rapid reviews whose clocks run from today.
    async fn load_demo_reviews(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
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
        self.pause_review(
            ctx,
            h,
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
        let orgs = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?.0;
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
            self.request_information(ctx, k, &org.id.to_string(), kind, &due).await?;
        }
        Ok(())
    }
}

impl Core {
    /// The themes seed 003 lists against each review.
    async fn tag_demo_reviews(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
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
            self.set_review_themes(ctx, review.id, &ids).await?;
        }
        Ok(())
    }
}

/// A demo recommendation: review, number, text, scope, owning subgroup, theme, and its actions.
struct DemoRec {
    review: &'static str,
    number: &'static str,
    text: &'static str,
    scope: &'static str,
    body: &'static str,
    theme: &'static str,
    actions: &'static [DemoAction],
}

/// Demo evidence: its type, what it shows, and the subgroup's judgement and comment if judged.
type DemoEvidence = (&'static str, &'static str, Option<(&'static str, &'static str)>);

/// A demo action: lead organisation, owner, owner's account, what, target (days from today),
/// and where it has got to (status, RAG, progress note, evidence and its judgement).
struct DemoAction {
    organisation: &'static str,
    owner: &'static str,
    owner_email: &'static str,
    text: &'static str,
    target_days: i64,
    progress: Option<(&'static str, &'static str, &'static str)>,
    evidence: Option<DemoEvidence>,
}

const DEMO_RECOMMENDATIONS: &[DemoRec] = &[
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
    },
];

impl Core {
    /// Recommendations and actions for seed 003's reviews (fictional), some overdue and some with
    /// evidence; a chronology for the live rapid review; the briefings of Child F and SAR A.
    async fn load_demo_learning(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
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
                &assure_domain::chronology::EntryInput {
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
                &crate::chronology::BriefingInput {
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

impl Core {
    /// The 2019 Section 11 cycle, closed, with findings from seed 001 appendix 10 as actions.
    async fn load_demo_2019_cycle(&self, ctx: &crate::Ctx, p: PartnershipId, s11: i64) -> CoreResult<()> {
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
        let (_, framework) = self.framework(s11).await?;
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
    async fn load_demo_s175(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
        let frameworks = self.frameworks().await?;
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
        let (_, framework) = self.framework(s175.id).await?;
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
    async fn load_demo_audits(&self, ctx: &crate::Ctx, p: PartnershipId, joint: &[PartnershipId]) -> CoreResult<()> {
        let frameworks = self.frameworks().await?;
        let s11 = frameworks
            .iter()
            .find(|f| f.code == "section11")
            .ok_or_else(|| CoreError::Internal("the shipped Section 11 framework".into()))?;
        self.load_demo_2019_cycle(ctx, p, s11.id).await?;
        self.load_demo_s175(ctx, p).await?;
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
        let (_, framework) = self.framework(s11.id).await?;
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
            let mut form: Vec<(String, String)> = Vec::new();
            for (i, q) in framework.nodes.iter().filter(|n| n.answer.is_some()).enumerate() {
                if !complete && i > 4 {
                    break;
                }
                let (key, value) = match q.answer {
                    Some(assure_domain::framework::AnswerType::Score) => {
                        ("score", if i % 3 == 0 { "3" } else { "4" }.to_owned())
                    }
                    Some(assure_domain::framework::AnswerType::Number) => ("value", "92".to_owned()),
                    Some(assure_domain::framework::AnswerType::YesNoPartly) => ("value", "partly".to_owned()),
                    _ => ("value", "See the safeguarding annual report, section 2.".to_owned()),
                };
                form.push((format!("{key}:{}", q.id), value));
            }
            self.save_answers(ctx, a.id, &form).await?;
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
                    .find(|n| n.answer == Some(assure_domain::framework::AnswerType::Score))
                    .ok_or_else(|| CoreError::Internal("Section 11 has a scored question".into()))?;
                self.moderate(ctx, a.id, &[(format!("moderated:{}", first.id), "2".into())]).await?;
                self.record_challenge(
                    ctx,
                    a.id,
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
fn demo_answers(
    framework: &assure_domain::framework::Framework,
    score: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    use assure_domain::framework::AnswerType;
    framework
        .nodes
        .iter()
        .filter_map(|q| {
            let answer = match q.answer? {
                AnswerType::Score => ("score", score(&q.id)),
                AnswerType::Number => ("value", "94".to_owned()),
                AnswerType::YesNoPartly => ("value", "yes".to_owned()),
                AnswerType::Date => ("value", "2025-09-01".to_owned()),
                AnswerType::Choice => ("value", q.choices.first().cloned().unwrap_or_default()),
                AnswerType::Text | AnswerType::File => {
                    ("value", "See the safeguarding report to governors.".to_owned())
                }
            };
            Some((format!("{}:{}", answer.0, q.id), answer.1))
        })
        .collect()
}

/// A generated, fictional contacts extract for Southend's 107 neighbourhoods (LSOAs E01015814 to
/// E01015920): two financial years of contacts in date order, about a third becoming referrals,
/// some children referred again within a year.
fn demo_extract() -> String {
    const SOURCES: [&str; 5] = ["police", "school", "health", "local_authority", "other"];
    let mut state: u64 = 0x5eed_2025;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut out = String::from("contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 4, 1).unwrap_or_default();
    let mut id = 0;
    for day in 0..731 {
        let date = start + chrono::Days::new(day);
        for _ in 0..(3 + next(4)) {
            id += 1;
            let outcome = match next(100) {
                0..=33 => "referral",
                34..=79 => "nfa",
                _ => "information",
            };
            let lsoa = if next(50) == 0 { String::new() } else { format!("E0101{:04}", 5814 + next(107)) };
            let person = 1 + next(1800);
            let source = SOURCES[next(5) as usize];
            let age = ["0_4", "5_9", "10_15", "16_17"][next(4) as usize];
            out.push_str(&format!("C{id:06},P{person:05},{date},{source},{outcome},{age},{lsoa}\n"));
        }
    }
    out
}

/// The financial quarter a date falls in, as (the year it starts, 1 to 4).
fn quarter_of(date: chrono::NaiveDate) -> (i32, u32) {
    use chrono::Datelike;
    let start = if date.month() >= 4 { date.year() } else { date.year() - 1 };
    (start, (date.month() + 8) % 12 / 3 + 1)
}

impl Core {
    /// Published figures for the adults' dashboard: Southend's 2018/19 concerns and enquiries as
    /// the partnership's strategy (seed 001) quotes them, with an adult population consistent
    /// with its rates; England's 2018/19 counts from NHS Digital; and a fictional mid-2025
    /// estimate for the demo's quarters.
    async fn load_demo_figures(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
        const STRATEGY: &str = "Southend Safeguarding Partnership strategy, section 1.8 (2018/19)";
        const SAC: &str = "NHS Digital, Safeguarding Adults, England, 2018-19";
        let figures = [
            (
                "E06000033",
                "population_18_plus",
                "2018",
                "142918",
                "Implied by the strategy's 2018/19 rates (944.6 and 531.8 per 100,000): a demo figure",
            ),
            ("E06000033", "concerns", "2018-19", "1350", STRATEGY),
            ("E06000033", "total_enquiries", "2018-19", "760", STRATEGY),
            ("E92000001", "concerns", "2018-19", "415050", SAC),
            ("E92000001", "s42_enquiries", "2018-19", "143390", SAC),
            ("E92000001", "other_enquiries", "2018-19", "18540", SAC),
            (
                "E06000033",
                "population_18_plus",
                "2025",
                "146200",
                "Fictional demo figure, in place of the ONS mid-2025 estimate",
            ),
        ];
        for (area, measure, period, value, source) in figures {
            let input = crate::indicators::FigureInput {
                area: area.into(),
                measure: measure.into(),
                period: period.into(),
                value: value.into(),
                source: source.into(),
            };
            self.enter_figure(ctx, p, &input).await?;
        }
        Ok(())
    }

    /// Fictional adults' returns from Southend Adult Social Care: five quarters validated, the
    /// last one submitted as provisional, the current one late, the next one not yet due.
    async fn load_demo_returns(&self, ctx: &crate::Ctx, p: PartnershipId, asc: OrganisationId) -> CoreResult<()> {
        let today = self.today();
        let (mut year, mut q) = quarter_of(today);
        let mut quarters = Vec::new();
        for _ in 0..7 {
            quarters.push((year, q));
            if q == 1 {
                year -= 1;
                q = 4;
            } else {
                q -= 1;
            }
        }
        quarters.reverse();
        // The quarter just ended is late; the current one is not yet due.
        let n = quarters.len();
        for (i, (y, q)) in quarters.iter().enumerate() {
            let period = format!("{y}-{:02} Q{q}", (y + 1) % 100);
            let due = match i {
                _ if i == n - 1 => today + chrono::Days::new(40),
                _ if i == n - 2 => today - chrono::Days::new(12),
                _ => today - chrono::Days::new(30 + 91 * (n - 2 - i) as u64),
            };
            self.request_returns(ctx, p, &period, &due.to_string(), &[asc.to_string()]).await?;
            if i >= n - 2 {
                continue;
            }
            let k = i as u64;
            let concerns = 330 + (k * 17) % 45;
            let s42 = 100 + (k * 11) % 30;
            let asked = s42 - 8;
            let expressed = asked - 14 - k % 5;
            let fully = expressed * 6 / 10;
            let partly = expressed * 3 / 10;
            let values: Vec<(String, String)> = [
                ("concerns", concerns),
                ("s42_enquiries", s42),
                ("other_enquiries", 12 + k % 6),
                ("msp_asked", asked),
                ("msp_expressed", expressed),
                ("msp_fully", fully),
                ("msp_partly", partly),
                ("msp_not", expressed - fully - partly),
            ]
            .iter()
            .map(|(m, v)| ((*m).to_owned(), v.to_string()))
            .collect();
            let mut conn = self.store.read().await?;
            let id = assure_store::returns::list(&mut conn, p)
                .await?
                .into_iter()
                .find(|r| r.period == period)
                .map(|r| r.id)
                .ok_or_else(|| CoreError::Internal("the demo return just asked for".into()))?;
            drop(conn);
            let provisional = i == n - 3;
            let footnote = if provisional {
                "Provisional: the quarter's enquiries are still being closed on the new case system."
            } else {
                ""
            };
            let input =
                crate::returns::ReturnInput { values: &values, provisional, footnote, submit: true, source: "form" };
            self.save_data_return(ctx, id, &input).await?;
            if !provisional {
                self.validate_data_return(ctx, id, true).await?;
            }
        }
        Ok(())
    }
}
