//! The voice of practitioners and the public: feedback with its triage steps, "You said, we did"
//! entries, and surveys with their responses.

use assure_domain::structure::Choice;
use assure_domain::voice::survey::{NewSurvey, Question};
use assure_domain::voice::{Giver, NewFeedback, NewSaidDid, NewStep, Status, Step, Topic};
use assure_domain::{OrganisationId, PartnershipId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, code, date_text, flag, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "feedback",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("number", Int),
            ("giver", Text),
            ("topic", Text),
            ("feedback", Text),
            ("reply_to", Text),
            ("status", Text),
            ("body_id", Int),
            ("organisation_id", Int),
            ("received_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "feedback_steps",
        &[
            ("id", Int),
            ("feedback_id", Int),
            ("step", Text),
            ("status", Text),
            ("body_id", Int),
            ("organisation_id", Int),
            ("note", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "surveys",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("title", Text),
            ("intro", Text),
            ("questions", Text),
            ("closes_on", Text),
            ("closed_at", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    ("survey_responses", &[("id", Int), ("survey_id", Int), ("answers", Text), ("received_at", Text)]),
    (
        "said_did",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("feedback_id", Int),
            ("you_said", Text),
            ("we_did", Text),
            ("done_on", Text),
            ("published", Bool),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
];

/// A piece of feedback, with the names of where it was passed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feedback {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub number: i64,
    pub giver: Giver,
    pub topic: Topic,
    pub feedback: String,
    pub reply_to: Option<String>,
    pub status: Status,
    pub body_id: Option<i64>,
    pub organisation_id: Option<OrganisationId>,
    /// The subgroup's or the agency's name it was passed on to.
    pub routed_to: Option<String>,
    /// When it came (UTC, as stored).
    pub received_at: String,
    pub updated_at: String,
}

/// A triage step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackStep {
    pub step: Step,
    pub status: Status,
    pub routed_to: Option<String>,
    pub note: Option<String>,
    pub by_label: String,
    pub created_at: String,
}

/// A "You said, we did" entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SaidDid {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub feedback_id: Option<i64>,
    pub you_said: String,
    pub we_did: String,
    pub done_on: NaiveDate,
    pub published: bool,
    pub by_label: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT f.id, f.partnership_id, f.number, f.giver, f.topic, f.feedback, f.reply_to, f.status, \
    f.body_id, f.organisation_id, COALESCE(b.name, o.name) AS routed_to, f.received_at, f.updated_at \
    FROM feedback f LEFT JOIN bodies b ON b.id = f.body_id LEFT JOIN organisations o ON o.id = f.organisation_id";

fn feedback_from(r: &AnyRow) -> StoreResult<Feedback> {
    Ok(Feedback {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        number: r.try_get("number")?,
        giver: code(r, "giver")?,
        topic: code(r, "topic")?,
        feedback: r.try_get("feedback")?,
        reply_to: r.try_get("reply_to")?,
        status: code(r, "status")?,
        body_id: r.try_get("body_id")?,
        organisation_id: r.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        routed_to: r.try_get("routed_to")?,
        received_at: r.try_get("received_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Records feedback with the next number of its partnership's; returns its id and number.
pub async fn insert(conn: &mut Conn, p: PartnershipId, new: &NewFeedback) -> StoreResult<(i64, i64)> {
    let number: i64 =
        sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM feedback WHERE partnership_id = $1")
            .bind(p.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO feedback (partnership_id, number, giver, topic, feedback, reply_to, status, received_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $7) RETURNING id",
    )
    .bind(p.0)
    .bind(number)
    .bind(new.giver.code())
    .bind(new.topic.code())
    .bind(&new.feedback)
    .bind(new.reply_to.as_deref())
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok((id, number))
}

pub async fn feedback(conn: &mut Conn, id: i64) -> StoreResult<Feedback> {
    let row = sqlx::query(&format!("{SELECT} WHERE f.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    feedback_from(&row)
}

/// A partnership's feedback, the latest first; `orgs` limits it to feedback passed on to some
/// organisations (an agency lead's own).
pub async fn feedback_in(
    conn: &mut Conn,
    p: PartnershipId,
    orgs: Option<&[OrganisationId]>,
) -> StoreResult<Vec<Feedback>> {
    let only = match orgs {
        None => String::new(),
        Some([]) => " AND 1 = 0".into(),
        Some(ids) => {
            format!(" AND f.organisation_id IN ({})", ids.iter().map(|o| o.0.to_string()).collect::<Vec<_>>().join(","))
        }
    };
    let rows = sqlx::query(&format!("{SELECT} WHERE f.partnership_id = $1{only} ORDER BY f.number DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(feedback_from).collect()
}

/// Records a triage step and where it leaves the feedback (passing it on also says where).
pub async fn insert_step(conn: &mut Conn, feedback: i64, new: &NewStep, status: Status, by: &str) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO feedback_steps (feedback_id, step, status, body_id, organisation_id, note, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(feedback)
    .bind(new.step.code())
    .bind(status.code())
    .bind(new.body_id)
    .bind(new.organisation_id)
    .bind(new.note.as_deref())
    .bind(by)
    .bind(&now)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    let routing = new.step == Step::Route;
    sqlx::query(
        "UPDATE feedback SET status = $1, body_id = CASE WHEN $2 = 1 THEN $3 ELSE body_id END, \
         organisation_id = CASE WHEN $2 = 1 THEN $4 ELSE organisation_id END, updated_at = $5 WHERE id = $6",
    )
    .bind(status.code())
    .bind(i64::from(routing))
    .bind(new.body_id)
    .bind(new.organisation_id)
    .bind(now)
    .bind(feedback)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Erases the contact details of feedback closed before `before` (a stored moment): how many.
/// Closed feedback takes no step but reopening, so when it was last changed is when it closed.
pub async fn erase_closed_contacts(conn: &mut Conn, before: &str) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE feedback SET reply_to = NULL WHERE status = 'closed' AND reply_to IS NOT NULL AND updated_at < $1",
    )
    .bind(before)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// A piece of feedback's triage steps, in order.
pub async fn steps(conn: &mut Conn, feedback: i64) -> StoreResult<Vec<FeedbackStep>> {
    let rows = sqlx::query(
        "SELECT s.step, s.status, COALESCE(b.name, o.name) AS routed_to, s.note, s.by_label, s.created_at \
         FROM feedback_steps s LEFT JOIN bodies b ON b.id = s.body_id LEFT JOIN organisations o ON o.id = s.organisation_id \
         WHERE s.feedback_id = $1 ORDER BY s.id",
    )
    .bind(feedback)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FeedbackStep {
                step: code(r, "step")?,
                status: code(r, "status")?,
                routed_to: r.try_get("routed_to")?,
                note: r.try_get("note")?,
                by_label: r.try_get("by_label")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

const SAID_SELECT: &str = "SELECT id, partnership_id, feedback_id, you_said, we_did, done_on, published, by_label, \
    updated_at FROM said_did";

fn said_from(r: &AnyRow) -> StoreResult<SaidDid> {
    Ok(SaidDid {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        feedback_id: r.try_get("feedback_id")?,
        you_said: r.try_get("you_said")?,
        we_did: r.try_get("we_did")?,
        done_on: parse_date("done_on", r.try_get("done_on")?)?
            .ok_or_else(|| StoreError::Corrupt("said_did.done_on".into()))?,
        published: flag(r, "published")?,
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert_said_did(conn: &mut Conn, p: PartnershipId, new: &NewSaidDid, by: &str) -> StoreResult<i64> {
    let now = now_text();
    Ok(sqlx::query(
        "INSERT INTO said_did (partnership_id, feedback_id, you_said, we_did, done_on, published, by_label, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(p.0)
    .bind(new.feedback_id)
    .bind(&new.you_said)
    .bind(&new.we_did)
    .bind(date_text(new.done_on))
    .bind(i64::from(new.published))
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn update_said_did(conn: &mut Conn, id: i64, new: &NewSaidDid, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE said_did SET feedback_id = $1, you_said = $2, we_did = $3, done_on = $4, published = $5, by_label = $6, \
         updated_at = $7 WHERE id = $8",
    )
    .bind(new.feedback_id)
    .bind(&new.you_said)
    .bind(&new.we_did)
    .bind(date_text(new.done_on))
    .bind(i64::from(new.published))
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn said_did(conn: &mut Conn, id: i64) -> StoreResult<SaidDid> {
    let row = sqlx::query(&format!("{SAID_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    said_from(&row)
}

/// A partnership's entries, the latest done first; only the published ones when `published_only`.
pub async fn said_did_in(conn: &mut Conn, p: PartnershipId, published_only: bool) -> StoreResult<Vec<SaidDid>> {
    let only = if published_only { " AND published = 1" } else { "" };
    let rows = sqlx::query(&format!("{SAID_SELECT} WHERE partnership_id = $1{only} ORDER BY done_on DESC, id DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(said_from).collect()
}

/// A survey with how many have answered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Survey {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub title: String,
    pub intro: Option<String>,
    pub questions: Vec<Question>,
    pub closes_on: Option<NaiveDate>,
    pub closed_at: Option<String>,
    pub responses: i64,
    pub by_label: String,
    pub created_at: String,
}

const SURVEY_SELECT: &str = "SELECT s.id, s.partnership_id, s.title, s.intro, s.questions, s.closes_on, s.closed_at, \
    s.by_label, s.created_at, (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses \
    FROM surveys s";

fn survey_from(r: &AnyRow) -> StoreResult<Survey> {
    let questions: String = r.try_get("questions")?;
    Ok(Survey {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        title: r.try_get("title")?,
        intro: r.try_get("intro")?,
        questions: serde_json::from_str(&questions)
            .map_err(|e| StoreError::Corrupt(format!("surveys.questions: {e}")))?,
        closes_on: parse_date("closes_on", r.try_get("closes_on")?)?,
        closed_at: r.try_get("closed_at")?,
        responses: r.try_get("responses")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_survey(conn: &mut Conn, p: PartnershipId, new: &NewSurvey, by: &str) -> StoreResult<i64> {
    let now = now_text();
    let questions = serde_json::to_string(&new.questions).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(sqlx::query(
        "INSERT INTO surveys (partnership_id, title, intro, questions, closes_on, by_label, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(p.0)
    .bind(&new.title)
    .bind(new.intro.as_deref())
    .bind(questions)
    .bind(new.closes_on.map(date_text))
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn survey(conn: &mut Conn, id: i64) -> StoreResult<Survey> {
    let row = sqlx::query(&format!("{SURVEY_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    survey_from(&row)
}

/// A partnership's surveys, the latest first.
pub async fn surveys_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Survey>> {
    let rows = sqlx::query(&format!("{SURVEY_SELECT} WHERE s.partnership_id = $1 ORDER BY s.id DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(survey_from).collect()
}

/// Closes a survey to more answers.
pub async fn close_survey(conn: &mut Conn, id: i64, by: &str) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "UPDATE surveys SET closed_at = $1, by_label = $2, updated_at = $1 WHERE id = $3 AND closed_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Keeps one person's answers.
pub async fn insert_response(conn: &mut Conn, survey: i64, answers: &[String]) -> StoreResult<i64> {
    let json = serde_json::to_string(answers).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(sqlx::query("INSERT INTO survey_responses (survey_id, answers, received_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(survey)
        .bind(json)
        .bind(now_text())
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_write)?
        .try_get("id")?)
}

/// A survey's responses, in the order they came: one answer per question each.
pub async fn responses(conn: &mut Conn, survey: i64) -> StoreResult<Vec<Vec<String>>> {
    let rows = sqlx::query("SELECT answers FROM survey_responses WHERE survey_id = $1 ORDER BY id")
        .bind(survey)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            let raw: String = r.try_get("answers")?;
            serde_json::from_str(&raw).map_err(|e| StoreError::Corrupt(format!("survey_responses.answers: {e}")))
        })
        .collect()
}
