//! API for assurance frameworks.

use assure_domain::FrameworkId;
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkSummary {
    /// The framework version's id.
    id: i64,
    /// The framework's code (a-z, 0-9 and _).
    code: String,
    /// The version, as the file gives it.
    version: String,
    /// The framework version's title.
    title: String,
    /// The partnership whose own framework this is; null when it is shared by every partnership.
    partnership_id: Option<i64>,
}

/// Every framework version the caller may read: the shared ones and the own frameworks of their
/// partnerships.
#[utoipa::path(get, path = "/frameworks", tag = "audits", params(Paging), responses((status = 200, body = ListOf<FrameworkSummary>), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<FrameworkSummary>>, ApiError> {
    Ok(Json(
        paging.of(state
            .core
            .frameworks(&user.ctx, None)
            .await?
            .into_iter()
            .map(|f| FrameworkSummary {
                id: f.id.0,
                code: f.code,
                version: f.version,
                title: f.title,
                partnership_id: f.partnership_id.map(|p| p.0),
            })
            .collect()),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LevelOut {
    /// The score.
    value: i64,
    /// What the score means.
    label: String,
    /// The colour it is shown in (GOV.UK tag colours).
    colour: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemOut {
    /// The item's id in the framework (1, 1.2, ...).
    id: String,
    /// The id of the item it sits under; null for a standard.
    parent: Option<String>,
    /// standard, criterion or question.
    #[serde(rename = "type")]
    kind: String,
    /// The item's title.
    title: String,
    /// Help for whoever answers.
    help: Option<String>,
    /// Questions: score, yes_no_partly, choice, text, number, date or file.
    answer: Option<String>,
    /// A choice question's choices.
    choices: Vec<String>,
    /// The question's weight in its standard's score.
    weight: f64,
    /// The score expected, if any.
    target: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkOut {
    /// The framework version's id.
    id: i64,
    /// The framework's code (a-z, 0-9 and _).
    code: String,
    /// The version, as the file gives it.
    version: String,
    /// The framework version's title.
    title: String,
    /// The partnership whose own framework this is; null when it is shared by every partnership.
    partnership_id: Option<i64>,
    /// score, rag or percent.
    scheme: String,
    /// The scoring scheme's levels.
    levels: Vec<LevelOut>,
    /// Whether a question may be answered not applicable (with a reason).
    not_applicable_allowed: bool,
    /// The standards, criteria and questions, each after its parent.
    items: Vec<ItemOut>,
}

/// One framework version with its scheme and tree.
#[utoipa::path(get, path = "/frameworks/{id}", tag = "audits", params(("id" = i64, Path)), responses((status = 200, body = FrameworkOut), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<FrameworkOut>, ApiError> {
    let (stored, f) = state.core.framework(&user.ctx, FrameworkId(path_id(&id)?)).await?;
    Ok(Json(FrameworkOut {
        id: stored.id.0,
        partnership_id: stored.partnership_id.map(|p| p.0),
        code: f.code,
        version: f.version,
        title: f.title,
        scheme: f.scheme.kind.code().into(),
        levels: f
            .scheme
            .levels
            .into_iter()
            .map(|l| LevelOut { value: l.value, label: l.label, colour: l.colour })
            .collect(),
        not_applicable_allowed: f.scheme.allow_not_applicable,
        items: f
            .nodes
            .into_iter()
            .map(|n| ItemOut {
                id: n.id,
                parent: n.parent,
                kind: n.kind.code().into(),
                title: n.title,
                help: n.help,
                answer: n.answer.map(|a| a.code().to_owned()),
                choices: n.choices,
                weight: n.weight,
                target: n.target,
            })
            .collect(),
    }))
}
