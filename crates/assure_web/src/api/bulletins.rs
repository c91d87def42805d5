//! API for bulletins: the partnership's issues with their counts, one issue with its items, a
//! whole draft issue composed at once, publishing it and sending it; and the subscribers' counts
//! (addresses are shown to nobody).

use assure_core::bulletins::{Bulletin, BulletinView, SubscriberCounts};
use assure_domain::bulletins::{BulletinInput, ItemInput};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

/// What became of an issue sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinCountsOut {
    /// Copies made, one per confirmed subscriber when it was sent.
    recipients: i64,
    /// Copies the mail server accepted.
    delivered: i64,
    /// Copies that could not be sent.
    failed: i64,
    /// Subscribers who unsubscribed by this link.
    unsubscribes: i64,
    /// Clicks on its items' links in the e-mail (counted per item, never per person).
    clicks: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinOut {
    id: i64,
    /// Its number in the partnership, given when it is published.
    number: Option<i64>,
    title: String,
    introduction: Option<String>,
    status: String,
    published_at: Option<String>,
    sent_at: Option<String>,
    counts: BulletinCountsOut,
}

fn bulletin_out(b: &Bulletin) -> BulletinOut {
    BulletinOut {
        id: b.id,
        number: b.number,
        title: b.title.clone(),
        introduction: b.introduction.clone(),
        status: b.status.code().into(),
        published_at: b.published_at.clone(),
        sent_at: b.sent_at.clone(),
        counts: BulletinCountsOut {
            recipients: b.counts.recipients,
            delivered: b.counts.delivered,
            failed: b.counts.failed,
            unsubscribes: b.counts.unsubscribes,
            clicks: b.counts.clicks,
        },
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinItemOut {
    id: i64,
    kind: String,
    title: String,
    body: Option<String>,
    link: Option<String>,
    clicks: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinDetailOut {
    #[serde(flatten)]
    bulletin: BulletinOut,
    items: Vec<BulletinItemOut>,
    /// Its public page, once published.
    public_path: Option<String>,
}

fn detail_out(v: &BulletinView) -> BulletinDetailOut {
    BulletinDetailOut {
        bulletin: bulletin_out(&v.bulletin),
        items: v
            .items
            .iter()
            .map(|i| BulletinItemOut {
                id: i.id,
                kind: i.kind.code().into(),
                title: i.title.clone(),
                body: i.body.clone(),
                link: i.link.clone(),
                clicks: i.clicks,
            })
            .collect(),
        public_path: v.public_path.clone(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulletinParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The partnership's bulletins, drafts first, then the latest published, with their counts.
#[utoipa::path(get, path = "/bulletins", tag = "bulletins", params(BulletinParams), responses((status = 200, body = ListOf<BulletinOut>), (status = 404, body = Problem)))]
pub async fn bulletins(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<BulletinParams>,
) -> Result<Json<ListOf<BulletinOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let list = state.core.bulletins(&user.ctx, p).await?;
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(list.bulletins.iter().map(bulletin_out).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BulletinItemIn {
    /// briefing, learning, training, news or link.
    #[serde(default)]
    #[schema(required = true, example = "briefing")]
    kind: String,
    #[serde(default)]
    #[schema(required = true, example = "Child T: the 7-minute briefing")]
    title: String,
    /// Plain text; required but for a useful link.
    #[serde(default)]
    body: Option<String>,
    /// An https address or a public page of this site (`/public/...`); required for a useful link.
    #[serde(default)]
    link: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BulletinIn {
    #[serde(default)]
    #[schema(required = true, example = "Summer bulletin")]
    title: String,
    #[serde(default)]
    introduction: Option<String>,
    /// In order; at most 20.
    #[serde(default)]
    items: Vec<BulletinItemIn>,
}

/// Starts a draft bulletin with its items (the business unit). A fault in an item is named by
/// its place: `items[2].title`.
#[utoipa::path(post, path = "/bulletins", tag = "bulletins", params(BulletinParams), request_body = BulletinIn, responses((status = 201, body = BulletinDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<BulletinParams>,
    ApiJson(b): ApiJson<BulletinIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = BulletinInput { title: b.title, introduction: b.introduction.unwrap_or_default() };
    let items: Vec<ItemInput> = b
        .items
        .into_iter()
        .map(|i| ItemInput {
            kind: i.kind,
            title: i.title,
            body: i.body.unwrap_or_default(),
            link: i.link.unwrap_or_default(),
        })
        .collect();
    let id = state.core.create_bulletin_with_items(&user.ctx, p, &input, &items).await?;
    let view = state.core.bulletin(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/bulletins/{id}"), detail_out(&view)))
}

/// One bulletin with its items and counts.
#[utoipa::path(get, path = "/bulletins/{id}", tag = "bulletins", params(("id" = i64, Path)), responses((status = 200, body = BulletinDetailOut), (status = 404, body = Problem)))]
pub async fn bulletin(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<BulletinDetailOut>, ApiError> {
    Ok(Json(detail_out(&state.core.bulletin(&user.ctx, path_id(&id)?).await?)))
}

/// Publishes a draft (the business unit): it takes the partnership's next number, shows on the
/// public archive, and is not changed afterwards.
#[utoipa::path(post, path = "/bulletins/{id}/publish", tag = "bulletins", params(("id" = i64, Path)), responses((status = 200, body = BulletinDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<BulletinDetailOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.publish_bulletin(&user.ctx, id).await?;
    Ok(Json(detail_out(&state.core.bulletin(&user.ctx, id).await?)))
}

/// Sends a published bulletin once to every confirmed subscriber (the business unit; needs an
/// e-mail server). The copies go out after the response: `counts.delivered` grows as they do.
#[utoipa::path(post, path = "/bulletins/{id}/send", tag = "bulletins", params(("id" = i64, Path)), responses((status = 200, body = BulletinDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<BulletinDetailOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.send_bulletin(&user.ctx, id).await?;
    crate::handlers::bulletins::start_sending(&state);
    Ok(Json(detail_out(&state.core.bulletin(&user.ctx, id).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscribersOut {
    /// Confirmed: they are sent each bulletin.
    confirmed: i64,
    /// Asked, and not yet confirmed by the link e-mailed to them (forgotten after 7 days).
    pending: i64,
    /// Unsubscribed (their addresses erased).
    unsubscribed: i64,
}

fn subscribers_out(c: SubscriberCounts) -> SubscribersOut {
    SubscribersOut { confirmed: c.confirmed, pending: c.pending, unsubscribed: c.unsubscribed }
}

/// How many people subscribe to the partnership's bulletin (addresses are shown to nobody).
#[utoipa::path(get, path = "/bulletin-subscribers", tag = "bulletins", params(BulletinParams), responses((status = 200, body = SubscribersOut), (status = 404, body = Problem)))]
pub async fn subscribers(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<BulletinParams>,
) -> Result<Json<SubscribersOut>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    Ok(Json(subscribers_out(state.core.bulletin_subscribers(&user.ctx, p).await?)))
}
