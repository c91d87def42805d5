//! `/api/v1`: the JSON API. Bearer tokens (`assure token create`), RFC 9457 problems, paged
//! lists, and an OpenAPI 3.1 document generated from these handlers' annotations, so that the
//! document and the routes come from the same code.

mod audits;
mod bulletins;
mod challenges;
mod codes;
mod finance;
mod inspections;
mod intelligence;
mod learning;
mod meetings;
mod reports;
mod reviews;
mod risks;
mod strategy;
mod structure;
mod training;
mod voice;

use assure_domain::FieldErrors;
use axum::extract::{FromRequest, Request, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::ApiUser;

#[derive(OpenApi)]
#[openapi(
    info(title = "Assure API", description = "The partnership's structure, case reviews, the learning loop (recommendations, actions, chronologies), accounts and audit log. Authenticate with `Authorization: Bearer <token>`; create a token with `assure token create --user EMAIL`."),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(crate::error::Problem))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me))
        .routes(routes!(structure::list_organisations, structure::create_organisation))
        .routes(routes!(structure::get_organisation, structure::update_organisation))
        .routes(routes!(structure::end_organisation))
        .routes(routes!(structure::people::list_people, structure::people::create_person))
        .routes(routes!(structure::people::get_person, structure::people::update_person))
        .routes(routes!(structure::people::end_person))
        .routes(routes!(structure::list_bodies, structure::create_body))
        .routes(routes!(structure::get_body, structure::update_body))
        .routes(routes!(structure::end_body))
        .routes(routes!(structure::list_terms, structure::add_terms))
        .routes(routes!(structure::list_memberships, structure::add_membership))
        .routes(routes!(structure::get_membership, structure::update_membership))
        .routes(routes!(structure::end_membership))
        .routes(routes!(reviews::list_reviews, reviews::create_review))
        .routes(routes!(reviews::get_review))
        .routes(routes!(reviews::transition))
        .routes(routes!(reviews::pause))
        .routes(routes!(reviews::resume))
        .routes(routes!(reviews::deadlines))
        .routes(routes!(reviews::themes, reviews::add_theme))
        .routes(routes!(reviews::get_theme, reviews::rename_theme))
        .routes(routes!(reviews::merge_theme))
        .routes(routes!(reviews::review_themes, reviews::set_themes))
        .routes(routes!(reviews::request_information))
        .routes(routes!(reviews::returned))
        .routes(routes!(reviews::conduct::appointments, reviews::conduct::appoint))
        .routes(routes!(reviews::conduct::learning_events, reviews::conduct::record_learning_event))
        .routes(routes!(reviews::conduct::review_terms))
        .routes(routes!(reviews::conduct::child_deaths))
        .routes(routes!(learning::plan))
        .routes(routes!(audits::frameworks::list))
        .routes(routes!(audits::frameworks::get))
        .routes(routes!(audits::campaigns))
        .routes(routes!(audits::campaign))
        .routes(routes!(audits::analysis))
        .routes(routes!(audits::remind))
        .routes(routes!(audits::assessment))
        .routes(routes!(audits::answer))
        .routes(routes!(audits::step))
        .routes(routes!(audits::moderate))
        .routes(routes!(audits::discuss))
        .routes(routes!(intelligence::list))
        .routes(routes!(intelligence::values))
        .routes(routes!(intelligence::list_figures, intelligence::enter_figure))
        .routes(routes!(intelligence::list_returns))
        .routes(routes!(intelligence::template_figures))
        .routes(routes!(intelligence::get_return, intelligence::send_return))
        .routes(routes!(intelligence::list_templates))
        .routes(routes!(intelligence::get_template))
        .routes(routes!(learning::recommendations, learning::add_recommendation))
        .routes(routes!(learning::add_action))
        .routes(routes!(learning::decide))
        .routes(routes!(learning::get_action))
        .routes(routes!(learning::progress))
        .routes(routes!(learning::chronology, learning::add_entry))
        .routes(routes!(meetings::list))
        .routes(routes!(meetings::get))
        .routes(routes!(meetings::create))
        .routes(routes!(meetings::plan))
        .routes(routes!(meetings::record))
        .routes(routes!(meetings::attendance))
        .routes(routes!(meetings::agenda::add))
        .routes(routes!(meetings::agenda::get, meetings::agenda::update, meetings::agenda::remove))
        .routes(routes!(meetings::agenda::add_paper))
        .routes(routes!(meetings::agenda::paper))
        .routes(routes!(meetings::agenda::publish))
        .routes(routes!(meetings::agenda::cycle, meetings::agenda::add_standing))
        .routes(routes!(meetings::agenda::remove_standing))
        .routes(routes!(meetings::minutes::get, meetings::minutes::save))
        .routes(routes!(meetings::minutes::declare))
        .routes(routes!(meetings::minutes::decide))
        .routes(routes!(meetings::minutes::add_action))
        .routes(routes!(meetings::minutes::approve))
        .routes(routes!(meetings::minutes::progress))
        .routes(routes!(meetings::minutes::search))
        .routes(routes!(meetings::grid::import_grid))
        .routes(routes!(meetings::reply))
        .routes(routes!(meetings::in_kind::totals))
        .routes(routes!(meetings::in_kind::record_task))
        .routes(routes!(risks::registers, risks::create_register))
        .routes(routes!(risks::register))
        .routes(routes!(risks::add_risk))
        .routes(routes!(risks::risk, risks::update_risk))
        .routes(routes!(risks::rate))
        .routes(routes!(risks::set_status))
        .routes(routes!(risks::add_control))
        .routes(routes!(risks::set_appetite))
        .routes(routes!(strategy::list, strategy::create))
        .routes(routes!(strategy::get))
        .routes(routes!(strategy::quarter))
        .routes(routes!(strategy::year))
        .routes(routes!(strategy::activity))
        .routes(routes!(strategy::progress))
        .routes(routes!(strategy::add_activity))
        .routes(routes!(strategy::work_plan, strategy::add_to_work_plan))
        .routes(routes!(finance::list, finance::create))
        .routes(routes!(finance::get, finance::update))
        .routes(routes!(finance::contributions))
        .routes(routes!(finance::add_line))
        .routes(routes!(finance::update_line, finance::remove_line))
        .routes(routes!(finance::quarter))
        .routes(routes!(finance::lock))
        .routes(routes!(training::events, training::create_event))
        .routes(routes!(training::event))
        .routes(routes!(training::add_session))
        .routes(routes!(training::session))
        .routes(routes!(training::register))
        .routes(routes!(training::cancel))
        .routes(routes!(training::attendance_report))
        .routes(routes!(training::report))
        .routes(routes!(training::charges))
        .routes(routes!(challenges::challenges, challenges::raise))
        .routes(routes!(challenges::challenge))
        .routes(routes!(challenges::progress))
        .routes(routes!(challenges::close))
        .routes(routes!(inspections::inspections, inspections::record))
        .routes(routes!(inspections::inspection))
        .routes(routes!(inspections::add_judgement))
        .routes(routes!(inspections::add_recommendation))
        .routes(routes!(voice::feedback))
        .routes(routes!(voice::feedback_item))
        .routes(routes!(voice::triage))
        .routes(routes!(voice::said_did, voice::record_said_did))
        .routes(routes!(voice::surveys))
        .routes(routes!(voice::survey))
        .routes(routes!(bulletins::bulletins, bulletins::create))
        .routes(routes!(bulletins::bulletin))
        .routes(routes!(bulletins::publish))
        .routes(routes!(bulletins::send))
        .routes(routes!(bulletins::subscribers))
        .routes(routes!(reports::reports, reports::create))
        .routes(routes!(reports::report))
        .routes(routes!(reports::asked))
        .routes(routes!(reports::section, reports::write_section))
        .routes(routes!(reports::ask_author, reports::withdraw_author))
        .routes(routes!(reports::explain_gap))
        .routes(routes!(reports::comment))
        .routes(routes!(reports::respond))
        .routes(routes!(reports::review))
        .routes(routes!(reports::agree))
        .routes(routes!(reports::reopen))
        .routes(routes!(reports::publish))
        .routes(routes!(reports::send))
        .routes(routes!(reports::add_activity))
        .routes(routes!(reports::remove_activity))
        .routes(routes!(reports::add_recommendation))
        .routes(routes!(reports::remove_recommendation))
        .routes(routes!(reports::respond_to_recommendation))
        .routes(routes!(reports::check_easy_read))
        .routes(routes!(audit))
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    complete(api_router().split_for_parts().1)
}

/// The document as the server behaves: every error is a problem (`application/problem+json`,
/// the [`Problem`](crate::error::Problem) schema), and every operation declares the errors any
/// request to it may meet besides its own: 400 (a query string or body that cannot be read), 401
/// (no valid bearer token), 404 (a partnership or record not found, or not yours to see), 500
/// and 503 (at capacity); one that takes a body also 403, 413 (too large) and 422 (invalid
/// fields). Codes are written as `enum` and dates as `format` ([`codes`]). Schemathesis checks the
/// server against it in `scripts/test`.
fn complete(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut v) = serde_json::to_value(&doc) else { return doc };
    let problem = serde_json::json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
    let common: [(&str, &str); 5] = [
        ("400", "The query string or body could not be read"),
        ("401", "A valid bearer token is required"),
        ("404", "Not found, or not yours to see"),
        ("500", "Something went wrong on the server's side"),
        ("503", "At capacity: try again after Retry-After seconds; nothing was changed"),
    ];
    let with_body: [(&str, &str); 3] = [
        ("403", "Your role does not allow this change"),
        ("413", "The body is larger than the server's limit"),
        ("422", "The request has invalid fields: each is named in errors"),
    ];
    if let Some(paths) = v.get_mut("paths").and_then(serde_json::Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for op in item.values_mut() {
                let has_body = op.get("requestBody").is_some();
                let Some(responses) = op.get_mut("responses").and_then(serde_json::Value::as_object_mut) else {
                    continue;
                };
                for (status, response) in responses.iter_mut() {
                    if status.as_str() >= "400" {
                        response["content"] = problem.clone();
                    }
                }
                let extra = if has_body { &with_body[..] } else { &[][..] };
                for (status, description) in common.iter().chain(extra) {
                    responses
                        .entry((*status).to_owned())
                        .or_insert_with(|| serde_json::json!({"description": description, "content": problem.clone()}));
                }
            }
        }
    }
    codes::write(&mut v);
    codes::write_formats(&mut v);
    serde_json::from_value(v).unwrap_or(doc)
}

pub fn routes() -> Router<AppState> {
    let (router, doc) = api_router().split_for_parts();
    let doc = complete(doc);
    let json = doc.to_pretty_json().unwrap_or_default();
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let json = json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], json).into_response() }
            }),
        )
        .fallback(|| async { ApiError::Core(assure_core::CoreError::NotFound) })
}

/// A file sent as the body of an API request, read into memory once an upload turn is free (as
/// the pages' uploads wait for one, [`crate::extract::UPLOADS_AT_ONCE`]) and refused (413) past
/// `limit` bytes without reading further. Call it only after the use-case's `permit_*`.
pub(crate) async fn file_body(
    state: &AppState,
    body: axum::body::Body,
    limit: usize,
) -> Result<axum::body::Bytes, ApiError> {
    let busy = || ApiError::from(assure_core::CoreError::Busy { retry_after: assure_core::BUSY_RETRY_SECONDS });
    let _turn = tokio::time::timeout(std::time::Duration::from_secs(10), state.uploads.clone().acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    axum::body::to_bytes(body, limit).await.map_err(|_| ApiError::TooLarge)
}

/// A JSON body whose wrong-typed fields become 422 field errors and whose malformed JSON is a 400.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::BadRequest("send the body as application/json".into()));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadRequest("the body could not be read".into())
            }
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        // Fields the request does not have are refused by name rather than silently dropped: a
        // misspelt field would otherwise look like a change that was saved.
        let mut unknown: Vec<String> = Vec::new();
        let mut track = serde_path_to_error::Track::new();
        let parsed = {
            let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
            serde_ignored::deserialize(tracked, |path| unknown.push(path.to_string()))
        };
        let parsed = parsed.map_err(|inner| serde_path_to_error::Error::new(track.path(), inner));
        match parsed {
            Ok(_) if !unknown.is_empty() => {
                let mut errors = FieldErrors::new();
                for field in unknown {
                    errors.add(&field, format!("{field} is not a field of this request"));
                }
                Err(errors.into())
            }
            Ok(value) => Ok(ApiJson(value)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                // serde says "missing field `theme_ids` at line 1 column 2".
                let text = inner.to_string();
                let missing = text.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
                if let (true, Some(field)) = (inner.is_data(), missing) {
                    let field = if path == "." { field.to_owned() } else { format!("{path}.{field}") };
                    Err(FieldErrors::single(&field, format!("{field} is required")).into())
                } else if inner.is_data() && path != "." {
                    let message = if inner.to_string().starts_with("invalid type") {
                        "has the wrong type".to_owned()
                    } else {
                        "is not valid".to_owned()
                    };
                    Err(FieldErrors::single(&path, format!("{path} {message}")).into())
                } else {
                    Err(ApiError::BadRequest(format!(
                        "the body is not valid JSON for this request (line {}, column {})",
                        inner.line(),
                        inner.column()
                    )))
                }
            }
        }
    }
}

/// A use-case's result with its field errors named as the request names the fields, where the
/// API's name for a field differs from the form's (`owning_subgroup_id` for `body_id`).
pub(crate) fn as_named<T>(result: assure_core::CoreResult<T>, names: &[(&str, &str)]) -> Result<T, ApiError> {
    result.map_err(|e| match e {
        assure_core::CoreError::Invalid(errors) => {
            let mut renamed = FieldErrors::new();
            for (field, messages) in errors.iter() {
                let field = names.iter().find(|(core, _)| *core == field).map_or(field, |(_, api)| *api);
                for m in messages {
                    renamed.add(field, m.clone());
                }
            }
            renamed.into()
        }
        other => other.into(),
    })
}

/// A query string read into `T`, whose problems are answered as a problem document (400, naming
/// the parameter) like every other API error, never as plain text.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize::<_, T>(de).map(Query).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            ApiError::BadRequest(if path == "." {
                format!("the query string is not valid: {message}")
            } else {
                format!("the query parameter {path} is not valid: {message}")
            })
        })
    }
}

/// The page asked for: from 1 (the first when none or less).
pub(crate) fn page_number(raw: Option<i64>) -> i64 {
    raw.unwrap_or(1).max(1)
}

/// Items per page asked for: 1 to 200, 50 when none.
pub(crate) fn per_page(raw: Option<i64>) -> i64 {
    raw.unwrap_or(50).clamp(1, 200)
}

/// Paging and partnership choice, common to list endpoints.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The partnership's short name (e.g. `southend`); defaults to your first partnership.
    pub partnership: Option<String>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
    /// Include records that have ended.
    pub include_ended: Option<bool>,
}

impl ListParams {
    fn page(&self) -> assure_core::structure::Page {
        let per = per_page(self.per_page);
        assure_core::structure::Page { limit: per, offset: (page_number(self.page) - 1) * per }
    }

    fn envelope<T: Serialize>(&self, items: Vec<T>, total: i64) -> ListOf<T> {
        ListOf { items, total, page: page_number(self.page), per_page: per_page(self.per_page) }
    }
}

/// One record with its version ([`assure_core::version_of`]) as its `ETag`, which a change sends
/// back in `If-Match`.
pub struct Tagged<T>(pub String, pub T);

impl<T: Serialize> axum::response::IntoResponse for Tagged<T> {
    fn into_response(self) -> axum::response::Response {
        let mut res = Json(self.1).into_response();
        if let Ok(v) = axum::http::HeaderValue::from_str(&format!("\"{}\"", self.0)) {
            res.headers_mut().insert(axum::http::header::ETAG, v);
        }
        res
    }
}

/// The `If-Match` of a change: the version of the record the caller read, if they sent it.
pub struct IfMatch(pub Option<String>);

impl IfMatch {
    pub fn seen(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get(axum::http::header::IF_MATCH) {
            None => Ok(IfMatch(None)),
            Some(v) => v
                .to_str()
                .map(|v| IfMatch(Some(v.trim().to_owned())))
                .map_err(|_| ApiError::BadRequest("the If-Match header is not valid".into())),
        }
    }
}

/// The page of a list to return. Every list answers in the one envelope ([`ListOf`]).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
}

impl Paging {
    /// This page of a list read whole (a list the use-case bounds: a partnership's reviews,
    /// campaigns, deadlines, one review's chronology), with the whole list's count.
    pub fn of<T>(&self, all: Vec<T>) -> ListOf<T> {
        let per_page = per_page(self.per_page);
        let page = page_number(self.page);
        let total = all.len() as i64;
        let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let items = all.into_iter().skip(skip).take(per_page as usize).collect();
        ListOf { items, total, page, per_page }
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListOf<T> {
    /// This page's items.
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: i64,
    /// The page (from 1), as asked for with `page`.
    pub page: i64,
    /// Items a page, as asked for with `per_page` (1 to 200).
    pub per_page: i64,
}

#[derive(Serialize, ToSchema)]
struct PartnershipRef {
    /// The partnership's id.
    id: i64,
    /// The partnership's short name, used as the partnership query parameter.
    slug: String,
    /// The partnership's name.
    name: String,
}

#[derive(Serialize, ToSchema)]
struct RoleRef {
    /// The role.
    role: String,
    /// The partnership the role is held in.
    partnership_id: i64,
    /// The organisation the role is held over (agency leads).
    organisation_id: Option<i64>,
    /// The body the role is held over (body members).
    body_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct Me {
    /// The account's id.
    id: i64,
    /// The account's e-mail address.
    email: String,
    /// The account's name.
    display_name: String,
    /// The partnerships the account works in.
    partnerships: Vec<PartnershipRef>,
    /// The roles the account holds, each over its scope.
    roles: Vec<RoleRef>,
}

/// Who the token belongs to, their partnerships and roles.
#[utoipa::path(get, path = "/me", tag = "accounts", responses((status = 200, body = Me), (status = 401, body = crate::error::Problem)))]
async fn me(State(state): State<AppState>, user: ApiUser) -> Result<Json<Me>, ApiError> {
    let partnerships = state.core.my_partnerships(&user.ctx).await?;
    let grants = state.core.own_grants(&user.ctx).await?;
    Ok(Json(Me {
        id: user.auth.user.id.0,
        email: user.auth.user.email.clone(),
        display_name: user.auth.user.display_name.clone(),
        partnerships: partnerships
            .into_iter()
            .map(|p| PartnershipRef { id: p.id.0, slug: p.slug, name: p.name })
            .collect(),
        roles: grants
            .into_iter()
            .map(|g| RoleRef {
                role: g.role.code().into(),
                partnership_id: g.partnership_id.0,
                organisation_id: g.organisation_id.map(|o| o.0),
                body_id: g.body_id.map(|b| b.0),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    pub partnership: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// ISO date, inclusive.
    pub from: Option<String>,
    /// ISO date, inclusive.
    pub to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct AuditEntry {
    /// The entry's place in the log.
    seq: i64,
    /// When (UTC).
    at: String,
    /// The account that did it; null for the console and the system.
    actor_user_id: Option<i64>,
    /// Who did it: an e-mail address, or the console (cli) or the system.
    actor_label: String,
    /// What was done (create, update, read, import, ...).
    action: String,
    /// The kind of record.
    record_type: String,
    /// The record's id.
    record_id: Option<String>,
    /// The address the request came from, if any.
    ip: Option<String>,
    /// The request's id, as sent in the X-Request-Id header.
    request_id: Option<String>,
    /// What changed, as JSON text.
    #[schema(value_type = Object)]
    detail: serde_json::Value,
    /// This entry's hash, chaining it to the one before.
    hash: String,
}

/// The partnership's audit entries, newest first (administrators and the scrutineer).
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditParams), responses((status = 200, body = ListOf<AuditEntry>), (status = 404, body = crate::error::Problem)))]
async fn audit(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<AuditParams>,
) -> Result<Json<ListOf<AuditEntry>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let per = per_page(q.per_page);
    let query = crate::handlers::audit_log::AuditQuery {
        actor: q.actor.unwrap_or_default(),
        action: q.action.unwrap_or_default(),
        record_type: q.record_type.unwrap_or_default(),
        record_id: q.record_id.unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        page: q.page,
        ..Default::default()
    };
    let (entries, total) = state.core.audit_entries(&user.ctx, p, query.filter(per)).await?;
    let items = entries
        .into_iter()
        .map(|e| AuditEntry {
            seq: e.seq,
            at: e.at,
            actor_user_id: e.actor_user_id,
            actor_label: e.actor_label,
            action: e.action,
            record_type: e.record_type,
            record_id: e.record_id,
            ip: e.ip,
            request_id: e.request_id,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
            hash: e.hash,
        })
        .collect();
    Ok(Json(ListOf { items, total, page: page_number(q.page), per_page: per }))
}

/// A record id from the path; anything else is not found.
pub(crate) fn path_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|v| *v > 0).ok_or(ApiError::Core(assure_core::CoreError::NotFound))
}

#[cfg(test)]
mod tests {
    /// utoipa keeps one schema per name: a second API type of the same name silently replaces the
    /// first in the document (and its codes, examples and required fields with it). So every type
    /// deriving `ToSchema` in this crate has a name of its own.
    #[test]
    fn no_two_api_types_share_a_schema_name() {
        fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("the source directory reads").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    rust_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        rust_files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file reads");
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !(line.contains("#[derive(") && line.contains("ToSchema")) {
                    continue;
                }
                let declared = lines[i + 1..].iter().take(8).find_map(|l| {
                    let l = l.trim_start();
                    ["pub struct ", "pub enum ", "struct ", "enum ", "pub(crate) struct "]
                        .iter()
                        .find_map(|kw| l.strip_prefix(kw))
                        .map(|rest| {
                            rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("").to_owned()
                        })
                });
                if let Some(name) = declared {
                    let relative = file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&file);
                    seen.entry(name).or_default().push(relative.display().to_string());
                }
            }
        }
        assert!(seen.len() > 50, "the API's types were found: {}", seen.len());
        let shared: Vec<_> = seen.iter().filter(|(_, files)| files.len() > 1).collect();
        assert!(shared.is_empty(), "API types sharing a schema name: {shared:?}");
    }
}
