//! Audit campaigns, each recipient's assessment, its answers and the history of its steps.

pub mod frameworks;

use assure_domain::PartnershipId;
use assure_domain::audits::assessment::{Answer, AssessmentState, Party};
use assure_domain::ids::{AssessmentId, CampaignId};
use assure_domain::structure::Choice;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, flag, now_text, parse_date};

mod links;
mod moderation;

pub use links::*;
pub use moderation::*;

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "campaigns",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("framework_id", Int),
            ("title", Text),
            ("opens_on", Text),
            ("closes_on", Text),
            ("created_at", Text),
        ],
    ),
    (
        "assessments",
        &[
            ("id", Int),
            ("campaign_id", Int),
            ("organisation_id", Int),
            ("state", Text),
            ("unlocked", Bool),
            ("updated_at", Text),
        ],
    ),
    (
        "answers",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("score", Int),
            ("not_applicable", Text),
            ("value", Text),
            ("evidence", Text),
            ("confirmed", Bool),
            ("updated_at", Text),
        ],
    ),
    (
        "assessment_events",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("step", Text),
            ("to_state", Text),
            ("reason", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "respondent_links",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("token_hash", Text),
            ("created_by_label", Text),
            ("created_at", Text),
            ("expires_on", Text),
            ("revoked_at", Text),
            ("last_used_at", Text),
            ("uses", Int),
        ],
    ),
    ("campaign_partnerships", &[("campaign_id", Int), ("partnership_id", Int)]),
    (
        "moderated_scores",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("score", Int),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "challenges",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("party", Text),
            ("body", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "answer_files",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("file_name", Text),
            ("content_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "campaign_nudges",
        &[
            ("id", Int),
            ("campaign_id", Int),
            ("by_label", Text),
            ("organisations", Int),
            ("people", Int),
            ("created_at", Text),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    pub id: CampaignId,
    pub partnership_id: PartnershipId,
    pub framework_id: i64,
    pub framework_title: String,
    pub framework_code: String,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Every partnership running the campaign, the lead (`partnership_id`) first.
    pub partnerships: Vec<PartnershipId>,
}

const CAMPAIGN_SELECT: &str = "SELECT c.id, c.partnership_id, c.framework_id, f.title AS framework_title, \
    f.code AS framework_code, c.title, c.opens_on, c.closes_on FROM campaigns c JOIN frameworks f ON f.id = c.framework_id";

fn date(row: &AnyRow, column: &str) -> StoreResult<NaiveDate> {
    parse_date(column, row.try_get(column)?)?.ok_or_else(|| StoreError::Corrupt(column.into()))
}

fn campaign_from_row(r: &AnyRow) -> StoreResult<Campaign> {
    Ok(Campaign {
        id: CampaignId(r.try_get("id")?),
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        framework_id: r.try_get("framework_id")?,
        framework_title: r.try_get("framework_title")?,
        framework_code: r.try_get("framework_code")?,
        title: r.try_get("title")?,
        opens_on: date(r, "opens_on")?,
        closes_on: date(r, "closes_on")?,
        partnerships: Vec::new(),
    })
}

/// Fills in each campaign's partnerships, the lead first, in one query.
async fn with_partnerships(conn: &mut Conn, mut campaigns: Vec<Campaign>) -> StoreResult<Vec<Campaign>> {
    if campaigns.is_empty() {
        return Ok(campaigns);
    }
    let ids: Vec<String> = campaigns.iter().map(|c| c.id.to_string()).collect();
    let rows = sqlx::query(&format!(
        "SELECT campaign_id, partnership_id FROM campaign_partnerships WHERE campaign_id IN ({}) \
         ORDER BY campaign_id, partnership_id",
        ids.join(", ")
    ))
    .fetch_all(&mut *conn)
    .await?;
    for c in &mut campaigns {
        c.partnerships.push(c.partnership_id);
    }
    for r in &rows {
        let (campaign, partnership): (i64, i64) = (r.try_get("campaign_id")?, r.try_get("partnership_id")?);
        if let Some(c) = campaigns.iter_mut().find(|c| c.id == CampaignId(campaign))
            && !c.partnerships.contains(&PartnershipId(partnership))
        {
            c.partnerships.push(PartnershipId(partnership));
        }
    }
    Ok(campaigns)
}

/// A new campaign led by `p` and run jointly with `joint` (the lead may be listed again).
pub async fn insert_campaign(
    conn: &mut Conn,
    p: PartnershipId,
    joint: &[PartnershipId],
    framework_id: i64,
    title: &str,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO campaigns (partnership_id, framework_id, title, opens_on, closes_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(p.0)
    .bind(framework_id)
    .bind(title)
    .bind(date_text(opens_on))
    .bind(date_text(closes_on))
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    let mut all = vec![p];
    all.extend(joint.iter().copied().filter(|j| *j != p));
    all.dedup();
    for partnership in all {
        sqlx::query("INSERT INTO campaign_partnerships (campaign_id, partnership_id) VALUES ($1, $2)")
            .bind(id)
            .bind(partnership.0)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(id)
}

pub async fn campaign(conn: &mut Conn, id: i64) -> StoreResult<Campaign> {
    let row = sqlx::query(&format!("{CAMPAIGN_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let c = campaign_from_row(&row)?;
    Ok(with_partnerships(conn, vec![c]).await?.remove(0))
}

/// The campaigns a partnership leads or runs jointly, newest first.
pub async fn campaigns(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Campaign>> {
    let rows = sqlx::query(&format!(
        "{CAMPAIGN_SELECT} WHERE c.id IN (SELECT campaign_id FROM campaign_partnerships WHERE partnership_id = $1) \
         ORDER BY c.opens_on DESC, c.id DESC"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    let list = rows.iter().map(campaign_from_row).collect::<StoreResult<Vec<_>>>()?;
    with_partnerships(conn, list).await
}

/// The latest campaign of the same framework code that opened before this one and shares a
/// partnership with it: the previous cycle, for comparison.
pub async fn previous_campaign(conn: &mut Conn, c: &Campaign) -> StoreResult<Option<Campaign>> {
    let ids: Vec<String> = c.partnerships.iter().map(|p| p.0.to_string()).collect();
    let row = sqlx::query(&format!(
        "{CAMPAIGN_SELECT} WHERE f.code = $1 AND c.id <> $2 AND (c.opens_on < $3 OR (c.opens_on = $3 AND c.id < $2)) \
         AND c.id IN (SELECT campaign_id FROM campaign_partnerships WHERE partnership_id IN ({})) \
         ORDER BY c.opens_on DESC, c.id DESC LIMIT 1",
        ids.join(", ")
    ))
    .bind(&c.framework_code)
    .bind(c.id.0)
    .bind(date_text(c.opens_on))
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) => Ok(Some(with_partnerships(conn, vec![campaign_from_row(&r)?]).await?.remove(0))),
        None => Ok(None),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub id: AssessmentId,
    pub campaign_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The answering organisation's own partnership and sector.
    pub organisation_partnership: PartnershipId,
    pub sector: String,
    pub state: AssessmentState,
    pub unlocked: bool,
    pub updated_at: String,
}

const ASSESSMENT_SELECT: &str = "SELECT a.id, a.campaign_id, a.organisation_id, o.name AS organisation_name, \
    o.partnership_id AS organisation_partnership, o.sector, a.state, a.unlocked, a.updated_at \
    FROM assessments a JOIN organisations o ON o.id = a.organisation_id";

fn assessment_from_row(r: &AnyRow) -> StoreResult<Assessment> {
    let state: String = r.try_get("state")?;
    Ok(Assessment {
        id: AssessmentId(r.try_get("id")?),
        campaign_id: r.try_get("campaign_id")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        organisation_partnership: PartnershipId(r.try_get("organisation_partnership")?),
        sector: r.try_get("sector")?,
        state: AssessmentState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("state: {state}")))?,
        unlocked: flag(r, "unlocked")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert_assessment(conn: &mut Conn, campaign_id: i64, organisation_id: i64) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO assessments (campaign_id, organisation_id, state, unlocked, updated_at) \
         VALUES ($1, $2, 'draft', 0, $3) RETURNING id",
    )
    .bind(campaign_id)
    .bind(organisation_id)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn assessment(conn: &mut Conn, id: i64) -> StoreResult<Assessment> {
    let row = sqlx::query(&format!("{ASSESSMENT_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    assessment_from_row(&row)
}

pub async fn assessments(conn: &mut Conn, campaign_id: i64) -> StoreResult<Vec<Assessment>> {
    let rows = sqlx::query(&format!("{ASSESSMENT_SELECT} WHERE a.campaign_id = $1 ORDER BY o.name"))
        .bind(campaign_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(assessment_from_row).collect()
}

/// The audits' generation: triggers add one on every write to campaigns, their partnerships,
/// assessments, answers, moderated scores, organisations and frameworks (migration 0026), in the
/// writing transaction.
pub async fn audits_generation(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT generation FROM audits_generation WHERE id = 1").fetch_one(&mut *conn).await?.try_get(0)?)
}

/// Where the returns of every campaign the partnership leads or runs jointly have got, in one
/// statement: by campaign, state, and whether any answer has been confirmed, how many returns.
pub async fn campaign_states(
    conn: &mut Conn,
    p: PartnershipId,
) -> StoreResult<Vec<(i64, AssessmentState, bool, usize)>> {
    let rows = sqlx::query(
        "SELECT a.campaign_id, a.state, CAST(CASE WHEN EXISTS (SELECT 1 FROM answers x WHERE x.assessment_id = a.id \
         AND x.confirmed = 1) THEN 1 ELSE 0 END AS BIGINT) AS started, COUNT(*) AS n FROM assessments a \
         WHERE a.campaign_id IN (SELECT campaign_id FROM campaign_partnerships WHERE partnership_id = $1) \
         GROUP BY a.campaign_id, a.state, started",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let state: String = r.try_get("state")?;
            let started: i64 = r.try_get("started")?;
            let n: i64 = r.try_get("n")?;
            Ok((
                r.try_get("campaign_id")?,
                AssessmentState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("state: {state}")))?,
                started == 1,
                usize::try_from(n).unwrap_or(0),
            ))
        })
        .collect()
}

/// The organisation's latest assessment against any version of a framework code, in earlier
/// campaigns (whichever partnership led them): where answers carry forward from.
pub async fn previous_assessment(
    conn: &mut Conn,
    framework_code: &str,
    organisation_id: i64,
    before_campaign: i64,
) -> StoreResult<Option<i64>> {
    let row = sqlx::query(
        "SELECT a.id FROM assessments a JOIN campaigns c ON c.id = a.campaign_id JOIN frameworks f ON f.id = c.framework_id \
         WHERE f.code = $1 AND a.organisation_id = $2 AND c.id <> $3 \
         ORDER BY c.opens_on DESC, c.id DESC LIMIT 1",
    )
    .bind(framework_code)
    .bind(organisation_id)
    .bind(before_campaign)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| r.try_get("id").map_err(StoreError::from)).transpose()
}

pub async fn set_state(conn: &mut Conn, id: i64, state: AssessmentState) -> StoreResult<()> {
    sqlx::query("UPDATE assessments SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state.code())
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn set_unlocked(conn: &mut Conn, id: i64, unlocked: bool) -> StoreResult<()> {
    sqlx::query("UPDATE assessments SET unlocked = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(unlocked))
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn insert_event(
    conn: &mut Conn,
    assessment_id: i64,
    step: &str,
    to: AssessmentState,
    reason: Option<&str>,
    by_label: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO assessment_events (assessment_id, step, to_state, reason, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(assessment_id)
    .bind(step)
    .bind(to.code())
    .bind(reason)
    .bind(by_label)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub step: String,
    pub to: AssessmentState,
    pub reason: Option<String>,
    pub by_label: String,
    pub created_at: String,
}

pub async fn events(conn: &mut Conn, assessment_id: i64) -> StoreResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT step, to_state, reason, by_label, created_at FROM assessment_events WHERE assessment_id = $1 ORDER BY id",
    )
    .bind(assessment_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let to: String = r.try_get("to_state")?;
            Ok(Event {
                step: r.try_get("step")?,
                to: AssessmentState::parse(&to).ok_or_else(|| StoreError::Corrupt(format!("to_state: {to}")))?,
                reason: r.try_get("reason")?,
                by_label: r.try_get("by_label")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Writes an answer, replacing any earlier one to the same question.
pub async fn save_answer(conn: &mut Conn, assessment_id: i64, a: &Answer) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO answers (assessment_id, question, score, not_applicable, value, evidence, confirmed, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (assessment_id, question) DO UPDATE SET \
         score = excluded.score, not_applicable = excluded.not_applicable, value = excluded.value, \
         evidence = excluded.evidence, confirmed = excluded.confirmed, updated_at = excluded.updated_at",
    )
    .bind(assessment_id)
    .bind(&a.question)
    .bind(a.score)
    .bind(a.not_applicable.as_deref())
    .bind(a.value.as_deref())
    .bind(a.evidence.as_deref())
    .bind(i64::from(a.confirmed))
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn answers(conn: &mut Conn, assessment_id: i64) -> StoreResult<Vec<Answer>> {
    let rows = sqlx::query(
        "SELECT question, score, not_applicable, value, evidence, confirmed FROM answers WHERE assessment_id = $1 \
         ORDER BY id",
    )
    .bind(assessment_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(answer_from_row).collect()
}

fn answer_from_row(r: &AnyRow) -> StoreResult<Answer> {
    Ok(Answer {
        question: r.try_get("question")?,
        score: r.try_get("score")?,
        not_applicable: r.try_get("not_applicable")?,
        value: r.try_get("value")?,
        evidence: r.try_get("evidence")?,
        confirmed: flag(r, "confirmed")?,
    })
}

/// Every answer in a campaign, by assessment: one query for the analysis and the workbook.
pub async fn answers_of_campaign(conn: &mut Conn, campaign_id: i64) -> StoreResult<Vec<(i64, Answer)>> {
    let rows = sqlx::query(
        "SELECT x.assessment_id, x.question, x.score, x.not_applicable, x.value, x.evidence, x.confirmed \
         FROM answers x JOIN assessments a ON a.id = x.assessment_id WHERE a.campaign_id = $1 ORDER BY x.id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("assessment_id")?, answer_from_row(r)?))).collect()
}

/// Removes an answer the respondent cleared.
pub async fn delete_answer(conn: &mut Conn, assessment_id: i64, question: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM answers WHERE assessment_id = $1 AND question = $2")
        .bind(assessment_id)
        .bind(question)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}
