//! What an assessor adds to a return: moderated scores, the discussion, the documents given as
//! answers, and the reminders sent to organisations still owing one.

use super::*;

/// The assessor's score for a question, beside the respondent's own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moderated {
    pub question: String,
    pub score: i64,
    pub by_label: String,
    pub updated_at: String,
}

/// Sets (or with `None` clears) the moderated score of one question.
pub async fn set_moderated(
    conn: &mut Conn,
    assessment_id: i64,
    question: &str,
    score: Option<i64>,
    by_label: &str,
) -> StoreResult<()> {
    match score {
        Some(score) => sqlx::query(
            "INSERT INTO moderated_scores (assessment_id, question, score, by_label, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assessment_id, question) DO UPDATE SET \
             score = excluded.score, by_label = excluded.by_label, updated_at = excluded.updated_at",
        )
        .bind(assessment_id)
        .bind(question)
        .bind(score)
        .bind(by_label)
        .bind(now_text()),
        None => sqlx::query("DELETE FROM moderated_scores WHERE assessment_id = $1 AND question = $2")
            .bind(assessment_id)
            .bind(question),
    }
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

fn moderated_from_row(r: &AnyRow) -> StoreResult<Moderated> {
    Ok(Moderated {
        question: r.try_get("question")?,
        score: r.try_get("score")?,
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn moderated(conn: &mut Conn, assessment_id: i64) -> StoreResult<Vec<Moderated>> {
    let rows = sqlx::query(
        "SELECT question, score, by_label, updated_at FROM moderated_scores WHERE assessment_id = $1 ORDER BY id",
    )
    .bind(assessment_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(moderated_from_row).collect()
}

/// Every moderated score in a campaign, by assessment.
pub async fn moderated_of_campaign(conn: &mut Conn, campaign_id: i64) -> StoreResult<Vec<(i64, Moderated)>> {
    let rows = sqlx::query(
        "SELECT m.assessment_id, m.question, m.score, m.by_label, m.updated_at FROM moderated_scores m \
         JOIN assessments a ON a.id = m.assessment_id WHERE a.campaign_id = $1 ORDER BY m.id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("assessment_id")?, moderated_from_row(r)?))).collect()
}

/// One comment in a question's challenge thread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Challenge {
    pub id: i64,
    pub question: String,
    pub party: Party,
    pub body: String,
    pub by_label: String,
    pub created_at: String,
}

pub async fn insert_challenge(
    conn: &mut Conn,
    assessment_id: i64,
    question: &str,
    party: Party,
    body: &str,
    by_label: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO challenges (assessment_id, question, party, body, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(assessment_id)
    .bind(question)
    .bind(party.code())
    .bind(body)
    .bind(by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// An assessment's challenge comments, oldest first.
pub async fn challenges(conn: &mut Conn, assessment_id: i64) -> StoreResult<Vec<Challenge>> {
    let rows = sqlx::query(
        "SELECT id, question, party, body, by_label, created_at FROM challenges WHERE assessment_id = $1 ORDER BY id",
    )
    .bind(assessment_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Challenge {
                id: r.try_get("id")?,
                question: r.try_get("question")?,
                party: {
                    let code: String = r.try_get("party")?;
                    Party::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("challenge party {code}")))?
                },
                body: r.try_get("body")?,
                by_label: r.try_get("by_label")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// A file given as the answer to a question (content base64 in `put_answer_file`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerFile {
    pub question: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub by_label: String,
    pub created_at: String,
}

/// Stores the file answering a question, replacing any earlier one.
pub async fn put_answer_file(
    conn: &mut Conn,
    assessment_id: i64,
    file: &AnswerFile,
    content_base64: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO answer_files (assessment_id, question, file_name, content_type, size, sha256, content, by_label, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (assessment_id, question) DO UPDATE SET \
         file_name = excluded.file_name, content_type = excluded.content_type, size = excluded.size, \
         sha256 = excluded.sha256, content = excluded.content, by_label = excluded.by_label, \
         created_at = excluded.created_at",
    )
    .bind(assessment_id)
    .bind(&file.question)
    .bind(&file.file_name)
    .bind(&file.content_type)
    .bind(file.size)
    .bind(&file.sha256)
    .bind(content_base64)
    .bind(&file.by_label)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Copies a carried-forward file answer from last cycle's assessment.
pub async fn copy_answer_file(conn: &mut Conn, from: i64, to: i64, question: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO answer_files (assessment_id, question, file_name, content_type, size, sha256, content, by_label, \
         created_at) SELECT $1, question, file_name, content_type, size, sha256, content, by_label, created_at \
         FROM answer_files WHERE assessment_id = $2 AND question = $3",
    )
    .bind(to)
    .bind(from)
    .bind(question)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn delete_answer_file(conn: &mut Conn, assessment_id: i64, question: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM answer_files WHERE assessment_id = $1 AND question = $2")
        .bind(assessment_id)
        .bind(question)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

fn answer_file_from_row(r: &AnyRow) -> StoreResult<AnswerFile> {
    Ok(AnswerFile {
        question: r.try_get("question")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// The files an assessment's answers carry (without their content).
pub async fn answer_files(conn: &mut Conn, assessment_id: i64) -> StoreResult<Vec<AnswerFile>> {
    let rows = sqlx::query(
        "SELECT question, file_name, content_type, size, sha256, by_label, created_at FROM answer_files \
         WHERE assessment_id = $1 ORDER BY id",
    )
    .bind(assessment_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(answer_file_from_row).collect()
}

/// One answer's file with its content (base64).
pub async fn answer_file(conn: &mut Conn, assessment_id: i64, question: &str) -> StoreResult<(AnswerFile, String)> {
    let r = sqlx::query(
        "SELECT question, file_name, content_type, size, sha256, by_label, created_at, content FROM answer_files \
         WHERE assessment_id = $1 AND question = $2",
    )
    .bind(assessment_id)
    .bind(question)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((answer_file_from_row(&r)?, r.try_get("content")?))
}

/// A one-click reminder to the organisations that had not returned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nudge {
    pub by_label: String,
    pub organisations: i64,
    pub people: i64,
    pub created_at: String,
}

pub async fn insert_nudge(
    conn: &mut Conn,
    campaign_id: i64,
    by_label: &str,
    organisations: i64,
    people: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO campaign_nudges (campaign_id, by_label, organisations, people, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(campaign_id)
    .bind(by_label)
    .bind(organisations)
    .bind(people)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn nudges(conn: &mut Conn, campaign_id: i64) -> StoreResult<Vec<Nudge>> {
    let rows = sqlx::query(
        "SELECT by_label, organisations, people, created_at FROM campaign_nudges WHERE campaign_id = $1 ORDER BY id DESC",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Nudge {
                by_label: r.try_get("by_label")?,
                organisations: r.try_get("organisations")?,
                people: r.try_get("people")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}
