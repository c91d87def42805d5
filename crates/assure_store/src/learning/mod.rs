//! The learning loop's records: recommendations, their actions (milestones, progress updates),
//! evidence of impact with attachments and judgements, and the Consolidated Action Plan query.

use assure_domain::ids::{ActionId, AttachmentId, EvidenceId, RecommendationId};
use assure_domain::learning::{ActionStatus, EvidenceKind, Judgement, NewAction, NewRecommendation, Rag};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{PartnershipId, UserId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, code, date_text, now_text, parse_date};

mod plan;
pub use plan::{plan, plan_count, plan_generation};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "recommendations",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("review_id", Int),
            ("number", Text),
            ("text", Text),
            ("scope", Text),
            ("body_id", Int),
            ("theme_id", Int),
            ("created_at", Text),
            ("updated_at", Text),
            ("campaign_id", Int),
            ("inspection_id", Int),
            ("decision", Text),
            ("decision_reason", Text),
            ("decided_on", Text),
            ("decided_by", Text),
        ],
    ),
    (
        "plan_actions",
        &[
            ("id", Int),
            ("recommendation_id", Int),
            ("organisation_id", Int),
            ("text", Text),
            ("owner", Text),
            ("owner_user_id", Int),
            ("target_on", Text),
            ("status", Text),
            ("rag", Text),
            ("completed_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    ("action_milestones", &[("id", Int), ("action_id", Int), ("text", Text), ("due_on", Text), ("done_on", Text)]),
    (
        "action_updates",
        &[
            ("id", Int),
            ("action_id", Int),
            ("note", Text),
            ("status", Text),
            ("rag", Text),
            ("by_user_id", Int),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "action_revisions",
        &[
            ("id", Int),
            ("action_id", Int),
            ("changes", Text),
            ("reason", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "evidence",
        &[
            ("id", Int),
            ("action_id", Int),
            ("kind", Text),
            ("narrative", Text),
            ("by_user_id", Int),
            ("by_label", Text),
            ("created_at", Text),
            ("judgement", Text),
            ("judgement_comment", Text),
            ("judged_by_label", Text),
            ("judged_at", Text),
        ],
    ),
    (
        "evidence_files",
        &[
            ("id", Int),
            ("evidence_id", Int),
            ("file_name", Text),
            ("content_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Text),
            ("created_at", Text),
        ],
    ),
];

fn optional_code<C: Choice>(row: &AnyRow, column: &str) -> StoreResult<Option<C>> {
    let raw: Option<String> = row.try_get(column)?;
    raw.map(|r| C::parse(&r).ok_or_else(|| StoreError::Corrupt(format!("{column}: {r}")))).transpose()
}

fn date(row: &AnyRow, column: &str) -> StoreResult<NaiveDate> {
    parse_date(column, row.try_get(column)?)?.ok_or_else(|| StoreError::Corrupt(column.into()))
}

// --- recommendations -------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub id: RecommendationId,
    pub partnership_id: PartnershipId,
    pub review_id: Option<i64>,
    pub number: String,
    pub text: String,
    pub scope: assure_domain::learning::RecScope,
    pub body_id: i64,
    pub body_name: String,
    pub theme_id: Option<i64>,
    pub theme_name: Option<String>,
    /// The audit campaign it is a finding of, if any.
    pub campaign_id: Option<i64>,
    /// The inspection that made it, if any.
    pub inspection_id: Option<i64>,
    /// To be implemented (the default), or decided not to be, with the reason, day and who.
    pub decision: assure_domain::learning::RecDecision,
    pub decision_reason: Option<String>,
    pub decided_on: Option<chrono::NaiveDate>,
    pub decided_by: Option<String>,
}

const REC_SELECT: &str = "SELECT r.id, r.partnership_id, r.review_id, r.campaign_id, r.inspection_id, r.number, r.text, r.scope, \
    r.decision, r.decision_reason, r.decided_on, r.decided_by, r.body_id, b.name AS body_name, r.theme_id, t.name AS theme_name FROM recommendations r JOIN bodies b ON b.id = r.body_id \
    LEFT JOIN themes t ON t.id = r.theme_id";

fn recommendation_from_row(row: &AnyRow) -> StoreResult<Recommendation> {
    Ok(Recommendation {
        id: RecommendationId(row.try_get("id")?),
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        review_id: row.try_get("review_id")?,
        number: row.try_get("number")?,
        text: row.try_get("text")?,
        scope: code(row, "scope")?,
        body_id: row.try_get("body_id")?,
        body_name: row.try_get("body_name")?,
        theme_id: row.try_get("theme_id")?,
        theme_name: row.try_get("theme_name")?,
        campaign_id: row.try_get("campaign_id")?,
        inspection_id: row.try_get("inspection_id")?,
        decision: code(row, "decision")?,
        decision_reason: row.try_get("decision_reason")?,
        decided_on: crate::db::parse_date("decided_on", row.try_get("decided_on")?)?,
        decided_by: row.try_get("decided_by")?,
    })
}

/// Where a recommendation came from: a case review, an audit campaign, an inspection, or none
/// of them (the partnership's own).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    pub review_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub inspection_id: Option<i64>,
}

impl Origin {
    pub fn review(id: i64) -> Self {
        Origin { review_id: Some(id), ..Default::default() }
    }

    pub fn campaign(id: i64) -> Self {
        Origin { campaign_id: Some(id), ..Default::default() }
    }

    pub fn inspection(id: i64) -> Self {
        Origin { inspection_id: Some(id), ..Default::default() }
    }

    /// The origin a recommendation records.
    pub fn of(r: &Recommendation) -> Self {
        Origin { review_id: r.review_id, campaign_id: r.campaign_id, inspection_id: r.inspection_id }
    }
}

pub async fn insert_recommendation(
    conn: &mut Conn,
    p: PartnershipId,
    origin: Origin,
    new: &NewRecommendation,
) -> StoreResult<i64> {
    let now = now_text();
    Ok(sqlx::query(
        "INSERT INTO recommendations (partnership_id, review_id, campaign_id, inspection_id, number, text, scope, body_id, \
         theme_id, created_at, updated_at) VALUES ($1, $2, $9, $10, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(p.0)
    .bind(origin.review_id)
    .bind(&new.number)
    .bind(&new.text)
    .bind(new.scope.code())
    .bind(new.body_id)
    .bind(new.theme_id)
    .bind(now)
    .bind(origin.campaign_id)
    .bind(origin.inspection_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// Whether another recommendation of the same review or inspection (not `except`) already has
/// this number, without regard to case or surrounding spaces. (An audit's findings are numbered by
/// the framework section they are about, which several share: never taken.)
pub async fn number_taken(conn: &mut Conn, origin: Origin, number: &str, except: Option<i64>) -> StoreResult<bool> {
    let (column, id) = match (origin.review_id, origin.inspection_id) {
        (Some(r), _) => ("review_id", r),
        (None, Some(i)) => ("inspection_id", i),
        (None, None) => return Ok(false),
    };
    Ok(sqlx::query(&format!(
        "SELECT 1 FROM recommendations WHERE {column} = $1 AND lower(trim(number)) = lower(trim($2)) AND id <> $3"
    ))
    .bind(id)
    .bind(number)
    .bind(except.unwrap_or(0))
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}

pub async fn recommendation(conn: &mut Conn, id: i64) -> StoreResult<Recommendation> {
    let row = sqlx::query(&format!("{REC_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    recommendation_from_row(&row)
}

pub async fn recommendations_of_campaign(conn: &mut Conn, campaign_id: i64) -> StoreResult<Vec<Recommendation>> {
    let rows = sqlx::query(&format!("{REC_SELECT} WHERE r.campaign_id = $1 ORDER BY r.id"))
        .bind(campaign_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(recommendation_from_row).collect()
}

pub async fn recommendations_of_inspection(conn: &mut Conn, inspection_id: i64) -> StoreResult<Vec<Recommendation>> {
    let rows = sqlx::query(&format!("{REC_SELECT} WHERE r.inspection_id = $1 ORDER BY r.id"))
        .bind(inspection_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(recommendation_from_row).collect()
}

pub async fn recommendations_of_review(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<Recommendation>> {
    let rows = sqlx::query(&format!("{REC_SELECT} WHERE r.review_id = $1 ORDER BY r.id"))
        .bind(review_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(recommendation_from_row).collect()
}

/// Every recommendation of the partnership's case reviews, by review.
pub async fn recommendations_of_reviews_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Recommendation>> {
    let rows = sqlx::query(&format!(
        "{REC_SELECT} WHERE r.partnership_id = $1 AND r.review_id IS NOT NULL ORDER BY r.review_id, r.id"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(recommendation_from_row).collect()
}

// --- actions ---------------------------------------------------------------------------------

/// One action with what the plan shows of its recommendation and source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanAction {
    pub id: ActionId,
    pub text: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub owner: String,
    pub owner_user_id: Option<UserId>,
    pub target_on: NaiveDate,
    pub status: ActionStatus,
    pub rag: Option<Rag>,
    pub completed_on: Option<NaiveDate>,
    pub recommendation_id: i64,
    pub recommendation_number: String,
    pub recommendation_text: String,
    pub partnership_id: PartnershipId,
    pub review_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub campaign_title: Option<String>,
    pub inspection_id: Option<i64>,
    pub inspection_title: Option<String>,
    /// The day the inspection's report was published: until then its findings are not public.
    pub inspection_published_on: Option<NaiveDate>,
    pub body_id: i64,
    pub body_name: String,
    pub arm: Option<ArmKind>,
    pub evidence_count: i64,
    pub assured_count: i64,
    pub updated_at: String,
}

const ACTION_SELECT: &str = "SELECT a.id, a.text, a.organisation_id, o.name AS organisation_name, a.owner, \
    a.owner_user_id, a.target_on, a.status, a.rag, a.completed_on, a.updated_at, r.id AS recommendation_id, \
    r.number AS recommendation_number, r.text AS recommendation_text, r.partnership_id, r.review_id, r.campaign_id, \
    (SELECT c.title FROM campaigns c WHERE c.id = r.campaign_id) AS campaign_title, r.inspection_id, \
    (SELECT i.title FROM inspections i WHERE i.id = r.inspection_id) AS inspection_title, \
    (SELECT i.published_on FROM inspections i WHERE i.id = r.inspection_id) AS inspection_published_on, r.body_id, \
    b.name AS body_name, COALESCE(v.arm, b.arm) AS arm, \
    (SELECT COUNT(*) FROM evidence e WHERE e.action_id = a.id) AS evidence_count, \
    (SELECT COUNT(*) FROM evidence e WHERE e.action_id = a.id AND e.judgement = 'assured') AS assured_count \
    FROM plan_actions a JOIN recommendations r ON r.id = a.recommendation_id \
    JOIN organisations o ON o.id = a.organisation_id JOIN bodies b ON b.id = r.body_id \
    LEFT JOIN reviews v ON v.id = r.review_id";

fn action_from_row(row: &AnyRow) -> StoreResult<PlanAction> {
    let owner: Option<i64> = row.try_get("owner_user_id")?;
    Ok(PlanAction {
        id: ActionId(row.try_get("id")?),
        text: row.try_get("text")?,
        organisation_id: row.try_get("organisation_id")?,
        organisation_name: row.try_get("organisation_name")?,
        owner: row.try_get("owner")?,
        owner_user_id: owner.map(UserId),
        target_on: date(row, "target_on")?,
        status: code(row, "status")?,
        rag: optional_code(row, "rag")?,
        completed_on: parse_date("completed_on", row.try_get("completed_on")?)?,
        recommendation_id: row.try_get("recommendation_id")?,
        recommendation_number: row.try_get("recommendation_number")?,
        recommendation_text: row.try_get("recommendation_text")?,
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        review_id: row.try_get("review_id")?,
        campaign_id: row.try_get("campaign_id")?,
        campaign_title: row.try_get("campaign_title")?,
        inspection_id: row.try_get("inspection_id")?,
        inspection_title: row.try_get("inspection_title")?,
        inspection_published_on: parse_date("inspection_published_on", row.try_get("inspection_published_on")?)?,
        body_id: row.try_get("body_id")?,
        body_name: row.try_get("body_name")?,
        arm: optional_code(row, "arm")?,
        evidence_count: row.try_get("evidence_count")?,
        assured_count: row.try_get("assured_count")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn insert_action(
    conn: &mut Conn,
    recommendation_id: i64,
    new: &NewAction,
    owner_user_id: Option<UserId>,
) -> StoreResult<i64> {
    let now = now_text();
    Ok(sqlx::query(
        "INSERT INTO plan_actions (recommendation_id, organisation_id, text, owner, owner_user_id, target_on, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'not_started', $7, $7) RETURNING id",
    )
    .bind(recommendation_id)
    .bind(new.organisation_id)
    .bind(&new.text)
    .bind(&new.owner)
    .bind(owner_user_id.map(|u| u.0))
    .bind(date_text(new.target_on))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn action(conn: &mut Conn, id: i64) -> StoreResult<PlanAction> {
    let row = sqlx::query(&format!("{ACTION_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    action_from_row(&row)
}

pub async fn actions_of_review(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<PlanAction>> {
    let rows = sqlx::query(&format!("{ACTION_SELECT} WHERE r.review_id = $1 ORDER BY r.id, a.id"))
        .bind(review_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(action_from_row).collect()
}

pub async fn actions_of_inspection(conn: &mut Conn, inspection_id: i64) -> StoreResult<Vec<PlanAction>> {
    let rows = sqlx::query(&format!("{ACTION_SELECT} WHERE r.inspection_id = $1 ORDER BY r.id, a.id"))
        .bind(inspection_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(action_from_row).collect()
}

pub async fn actions_of_campaign(conn: &mut Conn, campaign_id: i64) -> StoreResult<Vec<PlanAction>> {
    let rows = sqlx::query(&format!("{ACTION_SELECT} WHERE r.campaign_id = $1 ORDER BY r.id, a.id"))
        .bind(campaign_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(action_from_row).collect()
}

pub async fn actions_of_recommendation(conn: &mut Conn, recommendation_id: i64) -> StoreResult<Vec<PlanAction>> {
    let rows = sqlx::query(&format!("{ACTION_SELECT} WHERE a.recommendation_id = $1 ORDER BY a.id"))
        .bind(recommendation_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(action_from_row).collect()
}

/// Every action on the recommendations of the partnership's case reviews.
pub async fn actions_of_reviews_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<PlanAction>> {
    let rows = sqlx::query(&format!(
        "{ACTION_SELECT} WHERE r.partnership_id = $1 AND r.review_id IS NOT NULL ORDER BY r.review_id, r.id, a.id"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(action_from_row).collect()
}

/// The open actions (not completed or cancelled) of a partnership, or those one user owns.
pub async fn open_actions(conn: &mut Conn, p: PartnershipId, owner: Option<UserId>) -> StoreResult<Vec<PlanAction>> {
    // One user's are read by the owner index, not by scanning the partnership's plan.
    let owned = if owner.is_some() { "a.owner_user_id = $2" } else { "$2 = 0" };
    let rows = sqlx::query(&format!(
        "{ACTION_SELECT} WHERE r.partnership_id = $1 AND a.status IN ('not_started', 'in_progress') \
         AND {owned} ORDER BY a.target_on, a.id"
    ))
    .bind(p.0)
    .bind(owner.map(|u| u.0).unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(action_from_row).collect()
}

/// An organisation's open actions due by a date (or already overdue).
pub async fn open_actions_due(
    conn: &mut Conn,
    p: PartnershipId,
    organisation_id: i64,
    due_by: NaiveDate,
) -> StoreResult<Vec<PlanAction>> {
    let rows = sqlx::query(&format!(
        "{ACTION_SELECT} WHERE r.partnership_id = $1 AND a.organisation_id = $2 AND a.target_on <= $3 \
         AND a.status IN ('not_started', 'in_progress') ORDER BY a.target_on, a.id"
    ))
    .bind(p.0)
    .bind(organisation_id)
    .bind(date_text(due_by))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(action_from_row).collect()
}

/// Records a progress update and leaves the action at its status and RAG.
pub async fn insert_update(
    conn: &mut Conn,
    action_id: i64,
    progress: &assure_domain::learning::Progress,
    completed_on: Option<NaiveDate>,
    by: Option<UserId>,
    by_label: &str,
) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO action_updates (action_id, note, status, rag, by_user_id, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(action_id)
    .bind(&progress.note)
    .bind(progress.status.code())
    .bind(progress.rag.code())
    .bind(by.map(|u| u.0))
    .bind(by_label)
    .bind(&now)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    sqlx::query("UPDATE plan_actions SET status = $1, rag = $2, completed_on = $3, updated_at = $4 WHERE id = $5")
        .bind(progress.status.code())
        .bind(progress.rag.code())
        .bind(completed_on.map(date_text))
        .bind(now)
        .bind(action_id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    pub id: i64,
    pub note: String,
    pub status: ActionStatus,
    pub rag: Rag,
    pub by_label: String,
    pub created_at: String,
}

pub async fn updates(conn: &mut Conn, action_id: i64) -> StoreResult<Vec<Update>> {
    let rows = sqlx::query(
        "SELECT id, note, status, rag, by_label, created_at FROM action_updates WHERE action_id = $1 ORDER BY id DESC",
    )
    .bind(action_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Update {
                id: r.try_get("id")?,
                note: r.try_get("note")?,
                status: code(r, "status")?,
                rag: code(r, "rag")?,
                by_label: r.try_get("by_label")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub id: i64,
    pub text: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

pub async fn insert_milestone(conn: &mut Conn, action_id: i64, text: &str, due_on: NaiveDate) -> StoreResult<i64> {
    Ok(sqlx::query("INSERT INTO action_milestones (action_id, text, due_on) VALUES ($1, $2, $3) RETURNING id")
        .bind(action_id)
        .bind(text)
        .bind(date_text(due_on))
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_write)?
        .try_get("id")?)
}

pub async fn milestones(conn: &mut Conn, action_id: i64) -> StoreResult<Vec<Milestone>> {
    let rows =
        sqlx::query("SELECT id, text, due_on, done_on FROM action_milestones WHERE action_id = $1 ORDER BY due_on, id")
            .bind(action_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Milestone {
                id: r.try_get("id")?,
                text: r.try_get("text")?,
                due_on: date(r, "due_on")?,
                done_on: parse_date("done_on", r.try_get("done_on")?)?,
            })
        })
        .collect()
}

pub async fn set_milestone_done(conn: &mut Conn, id: i64, done_on: NaiveDate) -> StoreResult<()> {
    sqlx::query("UPDATE action_milestones SET done_on = $1 WHERE id = $2")
        .bind(date_text(done_on))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// Replaces a recommendation's fields.
pub async fn update_recommendation(conn: &mut Conn, id: i64, new: &NewRecommendation) -> StoreResult<()> {
    sqlx::query(
        "UPDATE recommendations SET number = $1, text = $2, scope = $3, body_id = $4, theme_id = $5, updated_at = $6 \
         WHERE id = $7",
    )
    .bind(&new.number)
    .bind(&new.text)
    .bind(new.scope.code())
    .bind(new.body_id)
    .bind(new.theme_id)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Records what was decided about a recommendation.
pub async fn decide_recommendation(
    conn: &mut Conn,
    id: i64,
    new: &assure_domain::learning::NewDecision,
    by: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE recommendations SET decision = $1, decision_reason = $2, decided_on = $3, decided_by = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(new.decision.code())
    .bind(new.reason.as_deref())
    .bind(new.decided_on.to_string())
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Replaces what an action is, who leads and owns it and its target, and records why.
pub async fn revise_action(
    conn: &mut Conn,
    id: i64,
    new: &NewAction,
    owner_user_id: Option<UserId>,
    changes: &str,
    reason: &str,
    by_label: &str,
) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "UPDATE plan_actions SET text = $1, organisation_id = $2, owner = $3, owner_user_id = $4, target_on = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&new.text)
    .bind(new.organisation_id)
    .bind(&new.owner)
    .bind(owner_user_id.map(|u| u.0))
    .bind(date_text(new.target_on))
    .bind(&now)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    sqlx::query(
        "INSERT INTO action_revisions (action_id, changes, reason, by_label, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(changes)
    .bind(reason)
    .bind(by_label)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub changes: String,
    pub reason: String,
    pub by_label: String,
    pub created_at: String,
}

pub async fn revisions(conn: &mut Conn, action_id: i64) -> StoreResult<Vec<Revision>> {
    let rows = sqlx::query(
        "SELECT changes, reason, by_label, created_at FROM action_revisions WHERE action_id = $1 ORDER BY id DESC",
    )
    .bind(action_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Revision {
                changes: r.try_get("changes")?,
                reason: r.try_get("reason")?,
                by_label: r.try_get("by_label")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// The owner's account of an action, if it has one.
pub async fn owner_email(conn: &mut Conn, user: UserId) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT email FROM users WHERE id = $1").bind(user.0).fetch_optional(&mut *conn).await?;
    row.map(|r| r.try_get("email").map_err(StoreError::from)).transpose()
}

// --- evidence --------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileMeta {
    pub id: AttachmentId,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub id: EvidenceId,
    pub action_id: i64,
    pub kind: EvidenceKind,
    pub narrative: String,
    pub by_label: String,
    pub created_at: String,
    pub judgement: Option<Judgement>,
    pub judgement_comment: Option<String>,
    pub judged_by_label: Option<String>,
    pub judged_at: Option<String>,
    pub files: Vec<FileMeta>,
}

/// A new attachment; `content` is base64.
pub struct NewFile<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub content: &'a str,
}

pub async fn insert_evidence(
    conn: &mut Conn,
    action_id: i64,
    kind: EvidenceKind,
    narrative: &str,
    by: Option<UserId>,
    by_label: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO evidence (action_id, kind, narrative, by_user_id, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(action_id)
    .bind(kind.code())
    .bind(narrative)
    .bind(by.map(|u| u.0))
    .bind(by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn insert_file(conn: &mut Conn, evidence_id: i64, file: &NewFile<'_>) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO evidence_files (evidence_id, file_name, content_type, size, sha256, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(evidence_id)
    .bind(file.file_name)
    .bind(file.content_type)
    .bind(file.size)
    .bind(file.sha256)
    .bind(file.content)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

const EVIDENCE_SELECT: &str = "SELECT id, action_id, kind, narrative, by_label, created_at, judgement, \
    judgement_comment, judged_by_label, judged_at FROM evidence";

async fn evidence_rows(conn: &mut Conn, rows: Vec<AnyRow>) -> StoreResult<Vec<Evidence>> {
    let mut out = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let files = sqlx::query(
            "SELECT id, file_name, content_type, size, sha256 FROM evidence_files WHERE evidence_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|f| {
            Ok(FileMeta {
                id: AttachmentId(f.try_get("id")?),
                file_name: f.try_get("file_name")?,
                content_type: f.try_get("content_type")?,
                size: f.try_get("size")?,
                sha256: f.try_get("sha256")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        out.push(Evidence {
            id: EvidenceId(id),
            action_id: r.try_get("action_id")?,
            kind: code(r, "kind")?,
            narrative: r.try_get("narrative")?,
            by_label: r.try_get("by_label")?,
            created_at: r.try_get("created_at")?,
            judgement: optional_code(r, "judgement")?,
            judgement_comment: r.try_get("judgement_comment")?,
            judged_by_label: r.try_get("judged_by_label")?,
            judged_at: r.try_get("judged_at")?,
            files,
        });
    }
    Ok(out)
}

pub async fn evidence_of(conn: &mut Conn, action_id: i64) -> StoreResult<Vec<Evidence>> {
    let rows = sqlx::query(&format!("{EVIDENCE_SELECT} WHERE action_id = $1 ORDER BY id"))
        .bind(action_id)
        .fetch_all(&mut *conn)
        .await?;
    evidence_rows(conn, rows).await
}

pub async fn evidence(conn: &mut Conn, id: i64) -> StoreResult<Evidence> {
    let rows = sqlx::query(&format!("{EVIDENCE_SELECT} WHERE id = $1")).bind(id).fetch_all(&mut *conn).await?;
    evidence_rows(conn, rows).await?.pop().ok_or(StoreError::NotFound)
}

pub async fn judge(
    conn: &mut Conn,
    evidence_id: i64,
    judgement: Judgement,
    comment: &str,
    by_label: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE evidence SET judgement = $1, judgement_comment = $2, judged_by_label = $3, judged_at = $4 WHERE id = $5",
    )
    .bind(judgement.code())
    .bind(comment)
    .bind(by_label)
    .bind(now_text())
    .bind(evidence_id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// An attachment with its content (base64) and the evidence it belongs to.
pub async fn file(conn: &mut Conn, id: i64) -> StoreResult<(FileMeta, i64, String)> {
    let f = sqlx::query(
        "SELECT id, evidence_id, file_name, content_type, size, sha256, content FROM evidence_files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((
        FileMeta {
            id: AttachmentId(f.try_get("id")?),
            file_name: f.try_get("file_name")?,
            content_type: f.try_get("content_type")?,
            size: f.try_get("size")?,
            sha256: f.try_get("sha256")?,
        },
        f.try_get("evidence_id")?,
        f.try_get("content")?,
    ))
}
