//! Every route × every kind of caller, asserting the exact status. Callers, in column order:
//! anonymous, viewer, agency lead (Essex Police), body member (Child Practice Review),
//! scrutineer, business unit, administrator, and Essex's business manager (the right role in
//! the wrong partnership for every Southend record).
//!
//! 404 means "you may not know this exists"; 403 means "you can see it but not change it".

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::Method;
use serde_json::json;
use support::{Client, TestApp};

const CALLERS: [&str; 8] = [
    "",
    "viewer@example.org",
    "police.lead@example.org",
    "cpr.member@example.org",
    "scrutineer@example.org",
    "business.manager@example.org",
    "admin@example.org",
    "essex.manager@example.org",
];

struct Ids {
    police: i64,
    council: i64,
    probation: i64,
    fire: i64,
    board: i64,
    executive: i64,
    cpr: i64,
    task: i64,
    reviewer: i64,
    pat: i64,
    kit: i64,
    toni: i64,
    pat_user: i64,
    board_memberships: Vec<i64>,
    cpr_membership: i64,
    child_h: i64,
    child_j: i64,
    sar_d: i64,
    k_request: i64,
    child_k: i64,
    sar_a: i64,
    police_action: i64,
    other_action: i64,
    recommendation: i64,
    evidence: i64,
    file: i64,
    campaign: i64,
    police_return: i64,
    council_return: i64,
    school_return: i64,
    link_to_revoke: i64,
    link_token: String,
}

async fn ids(app: &TestApp) -> Ids {
    let ctx = app.core.operator().await.unwrap();
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let detail = app.core.body(&ctx, assure_domain::BodyId(board)).await.unwrap();
    let police_action = app.action_id("Brief every response officer").await;
    let police = app.core.action_detail(&ctx, police_action).await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let campaign = app.core.campaigns(&ctx, southend).await.unwrap()[0].0.id;
    let returns = app.core.campaign(&ctx, campaign).await.unwrap().assessments;
    let return_of = |name: &str| returns.iter().find(|a| a.organisation_name == name).unwrap().id;
    let council_return = return_of("Southend City Council");
    let schools = app.core.campaigns(&ctx, southend).await.unwrap();
    let schools = schools.iter().find(|(c, _)| c.framework_code == "s175").unwrap().0.id;
    let school_return = app.core.campaign(&ctx, schools).await.unwrap().assessments[0].id;
    let (link_to_revoke, _) = app.core.create_respondent_link(&ctx, council_return).await.unwrap();
    let (_, link_token) = app.core.create_respondent_link(&ctx, council_return).await.unwrap();
    Ids {
        school_return,
        link_to_revoke,
        link_token,
        campaign,
        police_return: return_of("Essex Police"),
        council_return: return_of("Southend City Council"),
        police: app.org_id("southend", "Essex Police").await,
        council: app.org_id("southend", "Southend City Council").await,
        probation: app.org_id("southend", "Probation Service (Essex)").await,
        fire: app.org_id("southend", "Essex County Fire and Rescue Service").await,
        board,
        executive: app.body_id("southend", "SSP Executive").await,
        cpr: app.body_id("southend", "Child Practice Review").await,
        task: app.body_id("southend", "Neglect Strategy Task and Finish Group").await,
        reviewer: app.person_id("Jules Carver").await,
        pat: app.person_id("Pat Constable").await,
        kit: app.person_id("Kit Morrow").await,
        toni: app.person_id("Toni Baird").await,
        pat_user: app.core.user_by_email("police.lead@example.org").await.unwrap().id.0,
        board_memberships: detail.members.iter().map(|m| m.id.0).collect(),
        cpr_membership: app
            .core
            .body(&ctx, assure_domain::BodyId(app.body_id("southend", "Child Practice Review").await))
            .await
            .unwrap()
            .members[0]
            .id
            .0,
        child_h: app.review_id("Child H").await,
        child_j: app.review_id("Child J").await,
        sar_d: app.review_id("SAR D").await,
        k_request: app.core.review(&ctx, app.review_id("Child K").await).await.unwrap().requests[0].0.id,
        child_k: app.review_id("Child K").await,
        sar_a: app.review_id("SAR A").await,
        police_action,
        other_action: app.action_id("Add adultification to the return-home").await,
        recommendation: police.recommendation.id,
        evidence: police.evidence[0].id,
        file: police.evidence[0].files[0].id,
    }
}

enum Call {
    Get(String),
    Form(String, Vec<(String, String)>),
    Api(Method, String, Option<serde_json::Value>),
    /// A multipart form (a file upload) with these text fields and no file.
    Upload(String, Vec<(String, String)>),
    /// A form posted through a respondent link (a multipart one if `upload`), with the token
    /// its page gave: (the link's page, where the form posts, fields, upload).
    Link(String, String, Vec<(String, String)>, bool),
}

fn link(page: String, path: String, fields: &[(&str, String)], upload: bool) -> Call {
    Call::Link(page, path, fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(), upload)
}

fn upload(path: impl Into<String>, fields: &[(&str, String)]) -> Call {
    Call::Upload(path.into(), fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

fn get(path: impl Into<String>) -> Call {
    Call::Get(path.into())
}

fn form(path: impl Into<String>, fields: &[(&str, String)]) -> Call {
    Call::Form(path.into(), fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

fn api(method: Method, path: impl Into<String>, body: Option<serde_json::Value>) -> Call {
    Call::Api(method, format!("/api/v1{}", path.into()), body)
}

async fn call(client: &mut Client<'_>, call: &Call) -> u16 {
    match call {
        Call::Get(path) => client.get(path).await.status.as_u16(),
        Call::Form(path, fields) => {
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            client.post(path, &borrowed).await.status.as_u16()
        }
        Call::Upload(path, fields) => {
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            client.post_multipart(path, &borrowed, &[]).await.status.as_u16()
        }
        Call::Link(page, path, fields, upload) => {
            let token = client.get(page).await.attr("input[name=csrf_token]", "value");
            let own = std::mem::replace(&mut client.csrf, token);
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let status = if *upload {
                client.post_multipart(path, &borrowed, &[]).await.status.as_u16()
            } else {
                client.post(path, &borrowed).await.status.as_u16()
            };
            client.csrf = own;
            status
        }
        Call::Api(method, path, body) => match body {
            Some(b) => client.json(method.clone(), path, b.clone()).await.status.as_u16(),
            None => client.request(method.clone(), path, None, String::new()).await.status.as_u16(),
        },
    }
}

/// The table. `n` makes names unique per caller so that creates do not collide.
fn rows(ids: &Ids, n: usize) -> Vec<(String, Call, [u16; 8])> {
    let s = |v: i64| v.to_string();
    let date = || "2024-03-31".to_owned();
    let org =
        |name: &str| vec![("name", name.to_owned()), ("kind", "relevant_agency".into()), ("sector", "police".into())];
    let police_fields =
        vec![("name", "Essex Police".to_owned()), ("kind", "statutory_partner".into()), ("sector", "police".into())];
    let council_fields = vec![
        ("name", "Southend City Council".to_owned()),
        ("kind", "statutory_partner".into()),
        ("sector", "local_authority".into()),
    ];
    let board_json = json!({"name": "SSP Children's Board (SSPC)", "kind": "board", "arm": "children", "parent_id": ids.executive, "cadence": "quarterly"});
    let m0 = ids.board_memberships[0];
    let m1 = ids.board_memberships[1];
    let v = vec![
        // --- pages ---------------------------------------------------------------------------
        ("home".into(), get("/"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("account".into(), get("/account"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("account password form".into(), get("/account/password"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("organisations".into(), get("/organisations"), [303, 200, 200, 200, 200, 200, 200, 200]),
        (
            "organisation".into(),
            get(format!("/organisations/{}", ids.police)),
            [303, 200, 200, 200, 200, 200, 200, 404],
        ),
        ("new organisation form".into(), get("/organisations/new"), [303, 403, 403, 403, 403, 200, 200, 200]),
        (
            "edit own organisation form".into(),
            get(format!("/organisations/{}/edit", ids.police)),
            [303, 403, 200, 403, 403, 200, 200, 404],
        ),
        (
            "edit other organisation form".into(),
            get(format!("/organisations/{}/edit", ids.council)),
            [303, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "end organisation form".into(),
            get(format!("/organisations/{}/end", ids.council)),
            [303, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "create organisation".into(),
            form("/organisations", &org(&format!("New agency {n}"))),
            [303, 403, 403, 403, 403, 303, 303, 303],
        ),
        (
            "update own organisation".into(),
            form(format!("/organisations/{}", ids.police), &police_fields),
            [303, 403, 303, 403, 403, 303, 303, 404],
        ),
        (
            "update other organisation".into(),
            form(format!("/organisations/{}", ids.council), &council_fields),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        (
            "end organisation".into(),
            form(format!("/organisations/{}/end", ids.probation), &[("ended_on", date())]),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        ("people".into(), get("/people"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("person".into(), get(format!("/people/{}", ids.pat)), [303, 200, 200, 200, 200, 200, 200, 404]),
        (
            "restricted person".into(),
            get(format!("/people/{}", ids.reviewer)),
            [303, 404, 404, 404, 200, 200, 200, 404],
        ),
        ("new person form".into(), get("/people/new"), [303, 403, 200, 403, 403, 200, 200, 200]),
        (
            "edit person in own organisation form".into(),
            get(format!("/people/{}/edit", ids.pat)),
            [303, 403, 200, 403, 403, 200, 200, 404],
        ),
        (
            "edit person elsewhere form".into(),
            get(format!("/people/{}/edit", ids.toni)),
            [303, 403, 403, 403, 403, 200, 200, 404],
        ),
        ("end person form".into(), get(format!("/people/{}/end", ids.toni)), [303, 403, 403, 403, 403, 200, 200, 404]),
        (
            "create person in own organisation".into(),
            form("/people", &[("name", format!("New officer {n}")), ("organisation_id", s(ids.police))]),
            [303, 403, 303, 403, 403, 303, 303, 422],
        ),
        (
            "create person elsewhere".into(),
            form("/people", &[("name", format!("New nurse {n}")), ("organisation_id", s(ids.council))]),
            [303, 403, 403, 403, 403, 303, 303, 422],
        ),
        (
            "update person in own organisation".into(),
            form(
                format!("/people/{}", ids.pat),
                &[("name", "Pat Constable".into()), ("organisation_id", s(ids.police))],
            ),
            [303, 403, 303, 403, 403, 303, 303, 404],
        ),
        (
            "move person to another organisation".into(),
            form(format!("/people/{}", ids.kit), &[("name", "Kit Morrow".into()), ("organisation_id", s(ids.fire))]),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        (
            "end person".into(),
            form(format!("/people/{}/end", ids.toni), &[("ended_on", date())]),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        ("bodies".into(), get("/bodies"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("body".into(), get(format!("/bodies/{}", ids.board)), [303, 200, 200, 200, 200, 200, 200, 404]),
        ("restricted body".into(), get(format!("/bodies/{}", ids.cpr)), [303, 404, 404, 200, 200, 200, 200, 404]),
        ("new body form".into(), get("/bodies/new"), [303, 403, 403, 403, 403, 200, 200, 200]),
        ("edit body form".into(), get(format!("/bodies/{}/edit", ids.board)), [303, 403, 403, 403, 403, 200, 200, 404]),
        ("end body form".into(), get(format!("/bodies/{}/end", ids.task)), [303, 403, 403, 403, 403, 200, 200, 404]),
        (
            "new terms form".into(),
            get(format!("/bodies/{}/terms", ids.board)),
            [303, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "new member form".into(),
            get(format!("/bodies/{}/members", ids.board)),
            [303, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "new member of restricted body form".into(),
            get(format!("/bodies/{}/members", ids.cpr)),
            [303, 404, 404, 403, 403, 200, 200, 404],
        ),
        (
            "create body".into(),
            form(
                "/bodies",
                &[
                    ("name", format!("Deep dive group {n}")),
                    ("kind", "task_and_finish".into()),
                    ("cadence", "monthly".into()),
                ],
            ),
            [303, 403, 403, 403, 403, 303, 303, 303],
        ),
        (
            "update body".into(),
            form(
                format!("/bodies/{}", ids.board),
                &[
                    ("name", "SSP Children's Board (SSPC)".into()),
                    ("kind", "board".into()),
                    ("arm", "children".into()),
                    ("parent_id", s(ids.executive)),
                    ("cadence", "quarterly".into()),
                ],
            ),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        (
            "end body".into(),
            form(format!("/bodies/{}/end", ids.task), &[("ended_on", date())]),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        (
            "add terms".into(),
            form(
                format!("/bodies/{}/terms", ids.board),
                &[("text", "Revised.".into()), ("effective_from", "2024-04-01".into())],
            ),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        (
            "add member".into(),
            form(
                format!("/bodies/{}/members", ids.board),
                &[("person_id", s(ids.toni)), ("role", "member".into()), ("from_date", "2024-04-01".into())],
            ),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        (
            "add member to restricted body".into(),
            form(
                format!("/bodies/{}/members", ids.cpr),
                &[("person_id", s(ids.toni)), ("role", "member".into()), ("from_date", "2024-04-01".into())],
            ),
            [303, 404, 404, 403, 403, 303, 303, 404],
        ),
        ("membership form".into(), get(format!("/memberships/{m0}")), [303, 403, 403, 403, 403, 200, 200, 404]),
        (
            "membership of a restricted body form".into(),
            get(format!("/memberships/{}", ids.cpr_membership)),
            [303, 404, 404, 403, 403, 200, 200, 404],
        ),
        (
            "update membership".into(),
            form(
                format!("/memberships/{m0}"),
                &[("person_id", s(ids.reviewer)), ("role", "chair".into()), ("from_date", "2022-04-01".into())],
            ),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        ("end membership form".into(), get(format!("/memberships/{m1}/end")), [303, 403, 403, 403, 403, 200, 200, 404]),
        (
            "end membership".into(),
            form(format!("/memberships/{m1}/end"), &[("ended_on", "2024-03-31".into())]),
            [303, 403, 403, 403, 403, 303, 303, 404],
        ),
        ("accounts".into(), get("/users"), [303, 404, 404, 404, 200, 200, 200, 200]),
        ("account of a user".into(), get(format!("/users/{}", ids.pat_user)), [303, 404, 404, 404, 200, 200, 200, 200]),
        ("new account form".into(), get("/users/new"), [303, 404, 404, 404, 403, 200, 200, 200]),
        (
            "create account".into(),
            form(
                "/users",
                &[
                    ("email", format!("new.lead{n}@example.org")),
                    ("display_name", "New Lead".into()),
                    ("role", "viewer".into()),
                ],
            ),
            [303, 404, 404, 404, 403, 200, 200, 200],
        ),
        (
            "create administrator".into(),
            form(
                "/users",
                &[
                    ("email", format!("new.admin{n}@example.org")),
                    ("display_name", "New Admin".into()),
                    ("role", "administrator".into()),
                ],
            ),
            [303, 404, 404, 404, 403, 422, 200, 422],
        ),
        (
            "grant role".into(),
            form(format!("/users/{}/grants", ids.pat_user), &[("role", "viewer".into())]),
            [303, 404, 404, 404, 403, 303, 422, 303],
        ),
        ("second-factor policy".into(), get("/users/second-factor-policy"), [303, 403, 403, 403, 403, 403, 200, 403]),
        (
            "save second-factor policy".into(),
            form("/users/second-factor-policy", &[]),
            [303, 403, 403, 403, 403, 403, 303, 403],
        ),
        ("audit log".into(), get("/audit"), [303, 404, 404, 404, 200, 404, 200, 404]),
        ("case reviews".into(), get("/reviews"), [303, 200, 200, 200, 200, 200, 200, 200]),
        // --- the learning loop ------------------------------------------------------------------
        ("action plan".into(), get("/plan"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("frameworks".into(), get("/frameworks"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("audit campaigns".into(), get("/campaigns"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("new campaign form".into(), get("/campaigns/new"), [303, 403, 403, 403, 403, 200, 200, 200]),
        ("launch a campaign (empty)".into(), form("/campaigns", &[]), [303, 403, 403, 403, 403, 422, 422, 422]),
        ("a campaign".into(), get(format!("/campaigns/{}", ids.campaign)), [303, 200, 200, 200, 200, 200, 200, 200]),
        (
            "record a finding (empty)".into(),
            form(format!("/campaigns/{}/findings", ids.campaign), &[]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        (
            "add an action to a finding (empty)".into(),
            form(format!("/campaigns/{}/actions", ids.campaign), &[]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        (
            "a campaign's analysis".into(),
            get(format!("/campaigns/{}/analysis", ids.campaign)),
            [303, 404, 404, 404, 200, 200, 200, 200],
        ),
        (
            "a campaign's answers (XLSX)".into(),
            get(format!("/campaigns/{}/returns.xlsx", ids.campaign)),
            [303, 404, 404, 404, 200, 200, 200, 200],
        ),
        (
            "the agency's own return".into(),
            get(format!("/assessments/{}", ids.police_return)),
            [303, 404, 200, 404, 200, 200, 200, 200],
        ),
        (
            "another agency's return".into(),
            get(format!("/assessments/{}", ids.council_return)),
            [303, 404, 404, 404, 200, 200, 200, 200],
        ),
        (
            "answer another agency's return (bad score)".into(),
            form(format!("/assessments/{}/answers", ids.council_return), &[("score:1.1", "9".into())]),
            [303, 404, 404, 404, 403, 422, 422, 403],
        ),
        (
            "answer the agency's own return (submitted)".into(),
            form(format!("/assessments/{}/answers", ids.police_return), &[("score:1.1", "9".into())]),
            [303, 404, 422, 404, 403, 422, 422, 403],
        ),
        (
            "challenge a return (no reason)".into(),
            form(format!("/assessments/{}/steps", ids.police_return), &[("step", "request_changes".into())]),
            [303, 404, 403, 404, 403, 422, 422, 422],
        ),
        (
            "submit another agency's return (incomplete)".into(),
            form(format!("/assessments/{}/steps", ids.council_return), &[("step", "submit".into())]),
            [303, 404, 404, 404, 403, 422, 422, 403],
        ),
        (
            "the agency's own return as PDF".into(),
            get(format!("/assessments/{}/return.pdf", ids.police_return)),
            [303, 404, 200, 404, 200, 200, 200, 200],
        ),
        // A link answers for the organisation: only its own partnership's business unit makes
        // one, never a partnership running the campaign jointly (Essex, here).
        (
            "make a respondent link".into(),
            form(format!("/assessments/{}/links", ids.police_return), &[]),
            [303, 404, 403, 404, 403, 200, 200, 403],
        ),
        (
            "make a respondent link for another partnership's council".into(),
            form(format!("/assessments/{}/links", ids.council_return), &[]),
            [303, 404, 404, 404, 403, 200, 200, 403],
        ),
        (
            "revoke a respondent link".into(),
            form(format!("/links/{}/revoke", ids.link_to_revoke), &[]),
            [303, 404, 404, 404, 403, 303, 303, 303],
        ),
        (
            "a respondent link".into(),
            get(format!("/respond/{}", ids.link_token)),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "a respondent link that does not exist".into(),
            get("/respond/no-such-link"),
            [404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "restore a return's lock (not lifted)".into(),
            form(format!("/assessments/{}/lock", ids.council_return), &[("unlocked", "no".into())]),
            [303, 404, 404, 404, 403, 303, 303, 303],
        ),
        (
            "a school's return (a campaign Essex does not run)".into(),
            get(format!("/assessments/{}", ids.school_return)),
            [303, 404, 404, 404, 200, 200, 200, 404],
        ),
        (
            "moderate a return (score off the scheme)".into(),
            form(format!("/assessments/{}/moderation", ids.police_return), &[("moderated:1.1", "9".into())]),
            [303, 404, 403, 404, 403, 422, 422, 422],
        ),
        (
            "discuss an answer (empty)".into(),
            form(format!("/assessments/{}/challenges", ids.police_return), &[]),
            [303, 404, 422, 404, 403, 422, 422, 422],
        ),
        (
            "upload a document as an answer (no file)".into(),
            upload(format!("/assessments/{}/files", ids.council_return), &[("question", "8.2".into())]),
            [303, 404, 404, 404, 403, 422, 422, 403],
        ),
        (
            "a document given as an answer".into(),
            get(format!("/assessments/{}/files/8.2", ids.police_return)),
            [303, 404, 200, 404, 200, 200, 200, 200],
        ),
        (
            "remind the organisations yet to return".into(),
            form(format!("/campaigns/{}/reminders", ids.campaign), &[]),
            [303, 403, 403, 403, 403, 200, 200, 200],
        ),
        (
            "discuss an answer through a link (empty)".into(),
            link(format!("/respond/{}", ids.link_token), format!("/respond/{}/challenges", ids.link_token), &[], false),
            [422, 422, 422, 422, 422, 422, 422, 422],
        ),
        (
            "upload a document through a link (no file)".into(),
            link(
                format!("/respond/{}", ids.link_token),
                format!("/respond/{}/files", ids.link_token),
                &[("question", "8.2".into())],
                true,
            ),
            [422, 422, 422, 422, 422, 422, 422, 422],
        ),
        // Without the token the link's page gave, a form through the link changes nothing.
        (
            "discuss an answer through a link without its page's token".into(),
            form(format!("/respond/{}/challenges", ids.link_token), &[]),
            [403, 403, 403, 403, 403, 403, 403, 403],
        ),
        (
            "upload a document through a link without its page's token".into(),
            upload(format!("/respond/{}/files", ids.link_token), &[("question", "8.2".into())]),
            [403, 403, 403, 403, 403, 403, 403, 403],
        ),
        ("a framework".into(), get("/frameworks/1"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("a framework's file".into(), get("/frameworks/1/file"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("children's dashboard".into(), get("/dashboard/children"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("record-level extracts".into(), get("/extracts"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("adults' dashboard".into(), get("/dashboard/adults"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("data returns".into(), get("/returns"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("ask for data returns (empty)".into(), form("/returns", &[]), [303, 403, 403, 403, 403, 422, 422, 422]),
        ("a data return's template".into(), get("/returns/template.csv"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("a data return".into(), get("/returns/1"), [303, 200, 200, 200, 200, 200, 200, 404]),
        (
            "answer another organisation's data return (validated)".into(),
            form("/returns/1", &[]),
            [303, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "upload a data return (no file)".into(),
            upload("/returns/1/upload", &[]),
            [303, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "validate a data return (already validated)".into(),
            form("/returns/1/validation", &[("accept", "yes".into())]),
            [303, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "upload an extract (no file)".into(),
            upload("/extracts", &[("organisation_id", ids.police.to_string())]),
            [303, 403, 422, 403, 403, 422, 422, 422],
        ),
        ("an extract's counts".into(), get("/extracts/1"), [303, 200, 200, 200, 200, 200, 200, 404]),
        ("an extract's table".into(), get("/extracts/1/imd.csv"), [303, 200, 200, 200, 200, 200, 200, 404]),
        (
            "children's dashboard (CSV)".into(),
            get("/dashboard/children/values.csv"),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "children's dashboard (XLSX)".into(),
            get("/dashboard/children/values.xlsx"),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "adults' dashboard (CSV)".into(),
            get("/dashboard/adults/values.csv"),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "adults' dashboard (XLSX)".into(),
            get("/dashboard/adults/values.xlsx"),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        ("published figures".into(), get("/dashboard/figures"), [303, 200, 200, 200, 200, 200, 200, 200]),
        (
            "enter a published figure (empty)".into(),
            form("/dashboard/figures", &[]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        (
            "remove a published figure (none such)".into(),
            form("/dashboard/figures/999999/delete", &[]),
            [303, 403, 403, 403, 403, 404, 404, 404],
        ),
        (
            "set the dashboard's area (empty)".into(),
            form("/dashboard/area", &[]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        ("an indicator".into(), get("/indicators/children.referral_rate"), [303, 200, 200, 200, 200, 200, 200, 200]),
        (
            "an indicator's history (CSV)".into(),
            get("/indicators/children.referral_rate/values.csv"),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "an indicator's history (XLSX)".into(),
            get("/indicators/children.referral_rate/values.xlsx"),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "set an indicator's thresholds (not a number)".into(),
            form("/indicators/children.rereferral_percent/thresholds", &[("green", "x".into()), ("red", "25".into())]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        (
            "add a version of an indicator (empty)".into(),
            form("/indicators/children.referral_rate/versions", &[]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        (
            "request a deep dive (empty)".into(),
            form("/indicators/children.referral_rate/deep-dives", &[]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        (
            "comment on an indicator (empty)".into(),
            form("/indicators/children.referral_rate/commentary", &[]),
            [303, 403, 403, 403, 403, 422, 422, 422],
        ),
        (
            "a framework as a spreadsheet".into(),
            get("/frameworks/1/framework.xlsx"),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        ("import a framework (no file)".into(), upload("/frameworks", &[]), [303, 403, 403, 403, 403, 403, 422, 403]),
        ("api frameworks".into(), api(Method::GET, "/frameworks", None), [401, 200, 200, 200, 200, 200, 200, 200]),
        ("api a framework".into(), api(Method::GET, "/frameworks/1", None), [401, 200, 200, 200, 200, 200, 200, 200]),
        ("api indicators".into(), api(Method::GET, "/indicators", None), [401, 200, 200, 200, 200, 200, 200, 200]),
        (
            "api an indicator's values".into(),
            api(Method::GET, "/indicators/children.referral_rate/values?area=E06000033", None),
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "api an adults' indicator's values".into(),
            api(Method::GET, "/indicators/adults.concerns_rate/values?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api published figures".into(),
            api(Method::GET, "/figures?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api enter a published figure (bad)".into(),
            api(
                Method::POST,
                "/figures?partnership=southend",
                Some(serde_json::json!({"area": "x", "measure": "x", "period": "x", "value": 1, "source": ""})),
            ),
            [401, 403, 403, 403, 403, 422, 422, 404],
        ),
        ("api a data return".into(), api(Method::GET, "/returns/1", None), [401, 200, 200, 200, 200, 200, 200, 404]),
        (
            "api send another organisation's data return (validated)".into(),
            api(Method::POST, "/returns/1", Some(serde_json::json!({"values": {"concerns": 1}}))),
            [401, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "api audit campaigns".into(),
            api(Method::GET, "/campaigns?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api a campaign".into(),
            api(Method::GET, format!("/campaigns/{}", ids.campaign), None),
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "api a campaign's analysis".into(),
            api(Method::GET, format!("/campaigns/{}/analysis", ids.campaign), None),
            [401, 404, 404, 404, 200, 200, 200, 200],
        ),
        (
            "api remind the organisations yet to return".into(),
            api(Method::POST, format!("/campaigns/{}/reminders", ids.campaign), None),
            [401, 403, 403, 403, 403, 200, 200, 200],
        ),
        (
            "api the agency's own return".into(),
            api(Method::GET, format!("/assessments/{}", ids.police_return), None),
            [401, 404, 200, 404, 200, 200, 200, 200],
        ),
        (
            "api answer another agency's return (bad score)".into(),
            api(
                Method::POST,
                format!("/assessments/{}/answers", ids.council_return),
                Some(serde_json::json!({"answers": [{"question": "1.1", "score": 9}]})),
            ),
            [401, 404, 404, 404, 403, 422, 422, 403],
        ),
        (
            "api challenge a return (no reason)".into(),
            api(
                Method::POST,
                format!("/assessments/{}/steps", ids.police_return),
                Some(serde_json::json!({"step": "request_changes"})),
            ),
            [401, 404, 403, 404, 403, 422, 422, 422],
        ),
        (
            "api moderate a return (score off the scheme)".into(),
            api(
                Method::POST,
                format!("/assessments/{}/moderation", ids.police_return),
                Some(serde_json::json!({"scores": {"1.1": 9}})),
            ),
            [401, 404, 403, 404, 403, 422, 422, 422],
        ),
        (
            "api discuss an answer (empty)".into(),
            api(
                Method::POST,
                format!("/assessments/{}/challenges", ids.police_return),
                Some(serde_json::json!({"question": "", "body": ""})),
            ),
            [401, 404, 422, 404, 403, 422, 422, 422],
        ),
        ("action plan spreadsheet".into(), get("/plan.xlsx"), [303, 200, 200, 200, 200, 200, 200, 200]),
        (
            "a review's recommendations".into(),
            get(format!("/reviews/{}/recommendations", ids.child_h)),
            [303, 404, 404, 200, 200, 200, 200, 404],
        ),
        (
            "add a recommendation (empty)".into(),
            form(format!("/reviews/{}/recommendations", ids.child_h), &[]),
            [303, 404, 404, 403, 403, 422, 422, 404],
        ),
        (
            "add an action (empty)".into(),
            form(format!("/reviews/{}/actions", ids.child_h), &[]),
            [303, 404, 404, 403, 403, 422, 422, 404],
        ),
        ("an action".into(), get(format!("/actions/{}", ids.police_action)), [303, 200, 200, 200, 200, 200, 200, 404]),
        (
            "change a recommendation form".into(),
            get(format!("/recommendations/{}/edit", ids.recommendation)),
            [303, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "change a recommendation (empty)".into(),
            form(format!("/recommendations/{}/edit", ids.recommendation), &[]),
            [303, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "change an action form".into(),
            get(format!("/actions/{}/edit", ids.police_action)),
            [303, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "change an action (empty)".into(),
            form(format!("/actions/{}/edit", ids.police_action), &[]),
            [303, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "remove a chronology entry (empty)".into(),
            form(format!("/reviews/{}/chronology/remove", ids.child_k), &[]),
            [303, 404, 422, 404, 403, 422, 422, 404],
        ),
        (
            "progress on the agency's own action (empty)".into(),
            form(format!("/actions/{}/progress", ids.police_action), &[]),
            [303, 403, 422, 403, 403, 422, 422, 404],
        ),
        (
            "progress on another agency's action (empty)".into(),
            form(format!("/actions/{}/progress", ids.other_action), &[]),
            [303, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "add a milestone (empty)".into(),
            form(format!("/actions/{}/milestones", ids.police_action), &[]),
            [303, 403, 422, 403, 403, 422, 422, 404],
        ),
        (
            "meet a milestone (empty)".into(),
            form(format!("/actions/{}/milestones/met", ids.police_action), &[]),
            [303, 403, 422, 403, 403, 422, 422, 404],
        ),
        (
            "add evidence (empty)".into(),
            upload(format!("/actions/{}/evidence", ids.police_action), &[]),
            [303, 403, 422, 403, 403, 422, 422, 404],
        ),
        (
            "add evidence to another agency's action (empty)".into(),
            upload(format!("/actions/{}/evidence", ids.other_action), &[]),
            [303, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "judge evidence (empty)".into(),
            form(format!("/evidence/{}/judgement", ids.evidence), &[]),
            [303, 403, 403, 422, 403, 422, 422, 404],
        ),
        ("an attachment".into(), get(format!("/files/{}", ids.file)), [303, 200, 200, 200, 200, 200, 200, 404]),
        (
            "a chronology (the police were asked for theirs)".into(),
            get(format!("/reviews/{}/chronology", ids.child_k)),
            [303, 404, 200, 404, 200, 200, 200, 404],
        ),
        (
            "add a chronology entry (empty)".into(),
            form(format!("/reviews/{}/chronology", ids.child_k), &[]),
            [303, 404, 422, 404, 403, 422, 422, 404],
        ),
        (
            "upload a chronology (no file)".into(),
            upload(format!("/reviews/{}/chronology/upload", ids.child_k), &[]),
            [303, 404, 422, 404, 403, 422, 422, 404],
        ),
        (
            "chronology spreadsheet".into(),
            get(format!("/reviews/{}/chronology.xlsx", ids.child_k)),
            [303, 404, 200, 404, 200, 200, 200, 404],
        ),
        (
            "chronology document".into(),
            get(format!("/reviews/{}/chronology.docx", ids.child_k)),
            [303, 404, 200, 404, 200, 200, 200, 404],
        ),
        ("chronology template".into(), get("/chronology-template.xlsx"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("chronology template (CSV)".into(), get("/chronology-template.csv"), [303, 200, 200, 200, 200, 200, 200, 200]),
        (
            "a briefing".into(),
            get(format!("/reviews/{}/briefing", ids.child_h)),
            [303, 404, 404, 200, 200, 200, 200, 404],
        ),
        (
            "write a briefing (empty)".into(),
            form(format!("/reviews/{}/briefing", ids.child_h), &[]),
            [303, 404, 404, 403, 403, 422, 422, 404],
        ),
        (
            "a briefing as PDF".into(),
            get(format!("/reviews/{}/briefing.pdf", ids.sar_a)),
            [303, 404, 404, 404, 200, 200, 200, 404],
        ),
        (
            "a briefing as DOCX".into(),
            get(format!("/reviews/{}/briefing.docx", ids.sar_a)),
            [303, 404, 404, 404, 200, 200, 200, 404],
        ),
        (
            "api action plan".into(),
            api(Method::GET, "/plan?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api a review's recommendations".into(),
            api(Method::GET, format!("/reviews/{}/recommendations", ids.child_h), None),
            [401, 404, 404, 200, 200, 200, 200, 404],
        ),
        (
            "api add a recommendation (empty)".into(),
            api(Method::POST, format!("/reviews/{}/recommendations", ids.child_h), Some(json!({}))),
            [401, 404, 404, 403, 403, 422, 422, 404],
        ),
        (
            "api add an action (empty)".into(),
            api(Method::POST, format!("/recommendations/{}/actions", ids.recommendation), Some(json!({}))),
            [401, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "api an action".into(),
            api(Method::GET, format!("/actions/{}", ids.police_action), None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api progress on the agency's own action (empty)".into(),
            api(Method::POST, format!("/actions/{}/progress", ids.police_action), Some(json!({}))),
            [401, 403, 422, 403, 403, 422, 422, 404],
        ),
        (
            "api progress on another agency's action (empty)".into(),
            api(Method::POST, format!("/actions/{}/progress", ids.other_action), Some(json!({}))),
            [401, 403, 403, 403, 403, 422, 422, 404],
        ),
        (
            "api a chronology".into(),
            api(Method::GET, format!("/reviews/{}/chronology", ids.child_k), None),
            [401, 404, 200, 404, 200, 200, 200, 404],
        ),
        (
            "api add a chronology entry (empty)".into(),
            api(Method::POST, format!("/reviews/{}/chronology", ids.child_k), Some(json!({}))),
            [401, 404, 422, 404, 403, 422, 422, 404],
        ),
        ("deadlines".into(), get("/deadlines"), [303, 200, 200, 200, 200, 200, 200, 200]),
        ("new review form".into(), get("/reviews/new"), [303, 404, 404, 404, 403, 200, 200, 200]),
        (
            "record a review".into(),
            form(
                "/reviews",
                &[
                    ("type_code", "lcspr".into()),
                    ("arm", "children".into()),
                    ("subject", format!("Child Z{n}")),
                    ("aware_on", "2025-06-02".into()),
                ],
            ),
            [303, 404, 404, 404, 403, 303, 303, 303],
        ),
        (
            "review on a panel member's panel".into(),
            get(format!("/reviews/{}", ids.child_h)),
            [303, 404, 404, 200, 200, 200, 200, 404],
        ),
        (
            "review on two panels".into(),
            get(format!("/reviews/{}", ids.child_j)),
            [303, 404, 200, 200, 200, 200, 200, 404],
        ),
        (
            "review on no one's panel".into(),
            get(format!("/reviews/{}", ids.sar_d)),
            [303, 404, 404, 404, 200, 200, 200, 404],
        ),
        (
            "move a review (future date)".into(),
            form(
                format!("/reviews/{}/move", ids.child_j),
                &[("to", "notification".into()), ("on", "2099-01-01".into())],
            ),
            [303, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "set publication dates".into(),
            form(format!("/reviews/{}/publication", ids.child_j), &[]),
            [303, 404, 403, 403, 403, 303, 303, 404],
        ),
        (
            "pause a review (no reason)".into(),
            form(format!("/reviews/{}/pause", ids.child_j), &[]),
            [303, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "resume a review (not paused)".into(),
            form(format!("/reviews/{}/resume", ids.child_j), &[("resumed_on", "2025-01-01".into())]),
            [303, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "add to a panel (unknown account)".into(),
            form(format!("/reviews/{}/panel", ids.child_j), &[("email", "nobody@example.org".into())]),
            [303, 404, 403, 403, 403, 422, 422, 404],
        ),
        // --- API -----------------------------------------------------------------------------
        (
            "api reviews".into(),
            api(Method::GET, "/reviews?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api record a review".into(),
            api(
                Method::POST,
                "/reviews?partnership=southend",
                Some(
                    json!({"type_code": "lcspr", "arm": "children", "subject": format!("Child Y{n}"), "aware_on": "2025-06-02"}),
                ),
            ),
            [401, 404, 404, 404, 403, 201, 201, 404],
        ),
        (
            "api review".into(),
            api(Method::GET, format!("/reviews/{}", ids.child_j), None),
            [401, 404, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api move a review (future date)".into(),
            api(
                Method::POST,
                format!("/reviews/{}/transitions", ids.child_j),
                Some(json!({"to": "notification", "on": "2099-01-01"})),
            ),
            [401, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "api pause a review (no reason)".into(),
            api(Method::POST, format!("/reviews/{}/pause", ids.child_j), Some(json!({}))),
            [401, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "api resume a review (not paused)".into(),
            api(Method::POST, format!("/reviews/{}/resume", ids.child_j), Some(json!({"resumed_on": "2025-01-01"}))),
            [401, 404, 403, 403, 403, 422, 422, 404],
        ),
        ("themes".into(), get("/themes"), [303, 200, 200, 200, 200, 200, 200, 200]),
        (
            "add a theme".into(),
            form("/themes", &[("name", format!("Theme {n}"))]),
            [303, 404, 404, 404, 403, 303, 303, 303],
        ),
        (
            "tag a review".into(),
            form(format!("/reviews/{}/themes", ids.child_j), &[]),
            [303, 404, 403, 403, 403, 303, 303, 404],
        ),
        (
            "ask an agency (empty)".into(),
            form(format!("/reviews/{}/requests", ids.child_j), &[]),
            [303, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "record a return (empty)".into(),
            form(format!("/reviews/{}/returns", ids.child_j), &[]),
            [303, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "api themes".into(),
            api(Method::GET, "/themes?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api tag a review".into(),
            api(Method::PUT, format!("/reviews/{}/themes", ids.child_j), Some(json!({"theme_ids": []}))),
            [401, 404, 403, 403, 403, 200, 200, 404],
        ),
        (
            "api ask an agency (empty)".into(),
            api(Method::POST, format!("/reviews/{}/requests", ids.child_j), Some(json!({}))),
            [401, 404, 403, 403, 403, 422, 422, 404],
        ),
        (
            "api record a return (empty)".into(),
            api(Method::POST, format!("/requests/{}/returned", ids.k_request), Some(json!({}))),
            [401, 404, 404, 404, 403, 422, 422, 404],
        ),
        (
            "api deadlines".into(),
            api(Method::GET, "/deadlines?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        ("api me".into(), api(Method::GET, "/me", None), [401, 200, 200, 200, 200, 200, 200, 200]),
        (
            "api organisations".into(),
            api(Method::GET, "/organisations?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api create organisation".into(),
            api(
                Method::POST,
                "/organisations?partnership=southend",
                Some(json!({"name": format!("API agency {n}"), "kind": "relevant_agency", "sector": "health"})),
            ),
            [401, 403, 403, 403, 403, 201, 201, 404],
        ),
        (
            "api organisation".into(),
            api(Method::GET, format!("/organisations/{}", ids.police), None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api update own organisation".into(),
            api(
                Method::PUT,
                format!("/organisations/{}", ids.police),
                Some(json!({"name": "Essex Police", "kind": "statutory_partner", "sector": "police"})),
            ),
            [401, 403, 200, 403, 403, 200, 200, 404],
        ),
        (
            "api update other organisation".into(),
            api(
                Method::PUT,
                format!("/organisations/{}", ids.council),
                Some(
                    json!({"name": "Southend City Council", "kind": "statutory_partner", "sector": "local_authority"}),
                ),
            ),
            [401, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "api end organisation".into(),
            api(Method::POST, format!("/organisations/{}/end", ids.probation), Some(json!({"ended_on": "2024-03-31"}))),
            [401, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "api people".into(),
            api(Method::GET, "/people?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api create person".into(),
            api(
                Method::POST,
                "/people?partnership=southend",
                Some(json!({"name": format!("API officer {n}"), "organisation_id": ids.police})),
            ),
            [401, 403, 201, 403, 403, 201, 201, 404],
        ),
        (
            "api person".into(),
            api(Method::GET, format!("/people/{}", ids.pat), None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api restricted person".into(),
            api(Method::GET, format!("/people/{}", ids.reviewer), None),
            [401, 404, 404, 404, 200, 200, 200, 404],
        ),
        (
            "api update person".into(),
            api(
                Method::PUT,
                format!("/people/{}", ids.pat),
                Some(json!({"name": "Pat Constable", "organisation_id": ids.police})),
            ),
            [401, 403, 200, 403, 403, 200, 200, 404],
        ),
        (
            "api end person".into(),
            api(Method::POST, format!("/people/{}/end", ids.kit), Some(json!({"ended_on": "2024-03-31"}))),
            [401, 403, 200, 403, 403, 200, 200, 404],
        ),
        (
            "api bodies".into(),
            api(Method::GET, "/bodies?partnership=southend", None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api create body".into(),
            api(
                Method::POST,
                "/bodies?partnership=southend",
                Some(json!({"name": format!("API group {n}"), "kind": "subgroup", "cadence": "monthly"})),
            ),
            [401, 403, 403, 403, 403, 201, 201, 404],
        ),
        (
            "api body".into(),
            api(Method::GET, format!("/bodies/{}", ids.board), None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api restricted body".into(),
            api(Method::GET, format!("/bodies/{}", ids.cpr), None),
            [401, 404, 404, 200, 200, 200, 200, 404],
        ),
        (
            "api update body".into(),
            api(Method::PUT, format!("/bodies/{}", ids.board), Some(board_json)),
            [401, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "api end body".into(),
            api(Method::POST, format!("/bodies/{}/end", ids.task), Some(json!({"ended_on": "2024-03-31"}))),
            [401, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "api terms".into(),
            api(Method::GET, format!("/bodies/{}/terms", ids.board), None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api add terms".into(),
            api(
                Method::POST,
                format!("/bodies/{}/terms", ids.board),
                Some(json!({"text": "Revised.", "effective_from": "2024-04-01"})),
            ),
            [401, 403, 403, 403, 403, 201, 201, 404],
        ),
        (
            "api memberships of restricted body".into(),
            api(Method::GET, format!("/bodies/{}/memberships", ids.cpr), None),
            [401, 404, 404, 200, 200, 200, 200, 404],
        ),
        (
            "api add membership".into(),
            api(
                Method::POST,
                format!("/bodies/{}/memberships", ids.board),
                Some(json!({"person_id": ids.toni, "role": "member", "from_date": "2024-04-01"})),
            ),
            [401, 403, 403, 403, 403, 201, 201, 404],
        ),
        (
            "api membership".into(),
            api(Method::GET, format!("/memberships/{m0}"), None),
            [401, 200, 200, 200, 200, 200, 200, 404],
        ),
        (
            "api membership of a restricted body".into(),
            api(Method::GET, format!("/memberships/{}", ids.cpr_membership), None),
            [401, 404, 404, 200, 200, 200, 200, 404],
        ),
        (
            "api update membership".into(),
            api(
                Method::PUT,
                format!("/memberships/{m0}"),
                Some(json!({"person_id": ids.reviewer, "role": "chair", "from_date": "2022-04-01"})),
            ),
            [401, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "api end membership".into(),
            api(Method::POST, format!("/memberships/{m1}/end"), Some(json!({"ended_on": "2024-03-31"}))),
            [401, 403, 403, 403, 403, 200, 200, 404],
        ),
        (
            "api list without choosing among several partnerships".into(),
            api(Method::GET, "/organisations", None),
            [401, 200, 422, 200, 200, 200, 422, 200],
        ),
        (
            "api create in own single partnership by default".into(),
            api(
                Method::POST,
                "/organisations",
                Some(json!({"name": format!("Default agency {n}"), "kind": "other", "sector": "other"})),
            ),
            [401, 403, 422, 403, 403, 201, 422, 201],
        ),
        (
            "api audit".into(),
            api(Method::GET, "/audit?partnership=southend", None),
            [401, 404, 404, 404, 200, 404, 200, 404],
        ),
    ];
    v
}

/// The API routes the table covers, as (method, path template), for the OpenAPI drift test.
pub fn api_templates() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = [
        ("get", "/me"),
        ("get", "/organisations"),
        ("post", "/organisations"),
        ("get", "/organisations/{id}"),
        ("put", "/organisations/{id}"),
        ("post", "/organisations/{id}/end"),
        ("get", "/people"),
        ("post", "/people"),
        ("get", "/people/{id}"),
        ("put", "/people/{id}"),
        ("post", "/people/{id}/end"),
        ("get", "/bodies"),
        ("post", "/bodies"),
        ("get", "/bodies/{id}"),
        ("put", "/bodies/{id}"),
        ("post", "/bodies/{id}/end"),
        ("get", "/bodies/{id}/terms"),
        ("post", "/bodies/{id}/terms"),
        ("get", "/bodies/{id}/memberships"),
        ("post", "/bodies/{id}/memberships"),
        ("get", "/memberships/{id}"),
        ("put", "/memberships/{id}"),
        ("post", "/memberships/{id}/end"),
        ("get", "/audit"),
        ("get", "/reviews"),
        ("post", "/reviews"),
        ("get", "/reviews/{id}"),
        ("post", "/reviews/{id}/transitions"),
        ("post", "/reviews/{id}/pause"),
        ("post", "/reviews/{id}/resume"),
        ("get", "/deadlines"),
        ("get", "/themes"),
        ("put", "/reviews/{id}/themes"),
        ("post", "/reviews/{id}/requests"),
        ("post", "/requests/{id}/returned"),
        ("get", "/plan"),
        ("get", "/frameworks"),
        ("get", "/frameworks/{id}"),
        ("get", "/indicators"),
        ("get", "/indicators/{code}/values"),
        ("get", "/figures"),
        ("post", "/figures"),
        ("get", "/returns/{id}"),
        ("post", "/returns/{id}"),
        ("get", "/campaigns"),
        ("get", "/campaigns/{id}"),
        ("get", "/campaigns/{id}/analysis"),
        ("post", "/campaigns/{id}/reminders"),
        ("get", "/assessments/{id}"),
        ("post", "/assessments/{id}/answers"),
        ("post", "/assessments/{id}/steps"),
        ("post", "/assessments/{id}/moderation"),
        ("post", "/assessments/{id}/challenges"),
        ("get", "/reviews/{id}/recommendations"),
        ("post", "/reviews/{id}/recommendations"),
        ("post", "/recommendations/{id}/actions"),
        ("get", "/actions/{id}"),
        ("post", "/actions/{id}/progress"),
        ("get", "/reviews/{id}/chronology"),
        ("post", "/reviews/{id}/chronology"),
    ]
    .iter()
    .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
    .collect();
    v.sort();
    v
}

/// Rows that show a restricted record whenever they answer 200, on every channel: each such
/// answer must have written a `read` entry to the audit log, with the request's id.
const RESTRICTED_READS: &[&str] = &[
    "restricted person",
    "restricted body",
    "membership of a restricted body form",
    "api restricted person",
    "api memberships of restricted body",
    "api membership of a restricted body",
    "review on a panel member's panel",
    "review on two panels",
    "review on no one's panel",
    "api review",
    "a review's recommendations",
    "api a review's recommendations",
    "a chronology (the police were asked for theirs)",
    "chronology spreadsheet",
    "chronology document",
    "api a chronology",
    "a briefing",
    "a briefing as PDF",
    "a briefing as DOCX",
    "the agency's own return",
    "another agency's return",
    "the agency's own return as PDF",
    "a school's return (a campaign Essex does not run)",
    "a document given as an answer",
    "a campaign's analysis",
    "a campaign's answers (XLSX)",
    "api the agency's own return",
    "api a campaign's analysis",
];

async fn matrix(app: &TestApp) {
    let ids = ids(app).await;
    let mut failures = Vec::new();
    let names: Vec<String> = rows(&ids, 0).into_iter().map(|(name, _, _)| name).collect();
    for listed in RESTRICTED_READS {
        assert!(names.iter().any(|n| n == listed), "no row named {listed}");
    }
    for (col, email) in CALLERS.iter().enumerate() {
        let mut page_client = if email.is_empty() { app.anonymous() } else { app.sign_in(email).await };
        let mut api_client = if email.is_empty() { app.anonymous() } else { app.api(email).await };
        for (i, (name, c, expected)) in rows(&ids, col).into_iter().enumerate() {
            let client = if matches!(c, Call::Api(..)) { &mut api_client } else { &mut page_client };
            let request_id = format!("matrix-{col}-{i}");
            client.request_id = Some(request_id.clone());
            let got = call(client, &c).await;
            client.request_id = None;
            let who = if email.is_empty() { "anonymous" } else { email };
            if got != expected[col] {
                failures.push(format!("{name} as {who}: expected {}, got {got}", expected[col]));
            }
            if got == 200 && RESTRICTED_READS.contains(&name.as_str()) && !app.read_logged(&request_id).await {
                failures.push(format!("{name} as {who}: answered 200 without logging the read"));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_matrix_covers_every_api_operation_in_the_openapi_document() {
    let doc = serde_json::to_value(assure_web::openapi()).unwrap();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    assert_eq!(documented, api_templates());
}

on_both!(matrix);
