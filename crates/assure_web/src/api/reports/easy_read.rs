//! API for the Easy Read checker: a text checked against the Easy Read rules, sentence by
//! sentence, with the counts and the reading ease.

use assure_domain::reports::easy_read::{CheckInput, Checked};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ReportParams;
use crate::AppState;
use crate::api::{ApiJson, Query};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportEasyReadIn {
    /// The Easy Read text, up to 40,000 characters.
    #[serde(default)]
    #[schema(required = true, example = "We keep children safe.")]
    text: String,
    /// The words and acronyms the text's glossary explains (at most 200).
    #[serde(default)]
    glossary: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportEasyReadFindingOut {
    /// long, verbs, word, acronym, percentage or passive.
    rule: String,
    /// The word or words it is about; empty for the whole sentence.
    words: String,
    /// What to do about it.
    advice: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportEasyReadSentenceOut {
    text: String,
    words: usize,
    verbs: usize,
    findings: Vec<ReportEasyReadFindingOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportEasyReadCountOut {
    rule: String,
    count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportEasyReadOut {
    /// The Flesch reading ease of the whole text (Easy Read should be 80 or more).
    reading_ease: Option<f64>,
    counts: Vec<ReportEasyReadCountOut>,
    sentences: Vec<ReportEasyReadSentenceOut>,
}

fn out(c: &Checked) -> ReportEasyReadOut {
    ReportEasyReadOut {
        reading_ease: c.reading_ease,
        counts: c
            .counts()
            .into_iter()
            .map(|(rule, count)| ReportEasyReadCountOut { rule: rule.code().into(), count })
            .collect(),
        sentences: c
            .sentences
            .iter()
            .map(|s| ReportEasyReadSentenceOut {
                text: s.text.clone(),
                words: s.words,
                verbs: s.verbs,
                findings: s
                    .findings
                    .iter()
                    .map(|f| ReportEasyReadFindingOut {
                        rule: f.rule.code().into(),
                        words: f.words.clone(),
                        advice: f.advice.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Checks an Easy Read text (those who read the partnership's reports): each sentence with what
/// breaks the rules, the counts, and the reading ease. Nothing is kept.
#[utoipa::path(post, path = "/reports/easy-read-check", tag = "reports", params(ReportParams), request_body = ReportEasyReadIn, responses((status = 200, body = ReportEasyReadOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn check_easy_read(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ReportParams>,
    ApiJson(r): ApiJson<ReportEasyReadIn>,
) -> Result<Json<ReportEasyReadOut>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = CheckInput { text: r.text, glossary: r.glossary.join("\n") };
    let checked = state.core.check_easy_read(&user.ctx, p, &input).await?;
    Ok(Json(out(&checked)))
}
