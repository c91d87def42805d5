//! Extractors: who is asking (session cookie or bearer token), from where, and the CSRF check
//! on every state-changing form.

use std::net::SocketAddr;

use assure_core::accounts::auth::{Authenticated, SecondFactor, constant_time_eq};
use assure_core::{Ctx, UploadPermit};
use assure_domain::PartnershipId;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::CookieJar;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::layout::{Flash, Layout};

/// The client's address and the request id, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .config
            .trust_proxy
            .then(|| parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned());
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(ClientInfo { ip: forwarded.or(peer), request_id })
    }
}

/// The nonce that this response's Content-Security-Policy allows scripts with.
#[derive(Debug, Clone)]
pub struct Nonce(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Nonce {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Nonce>().cloned().unwrap_or(Nonce(String::new())))
    }
}

/// The session, if the request carries a live one (whatever its second-factor state).
pub struct MaybeUser(pub Option<Authenticated>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(found) = parts.extensions.get::<Option<Authenticated>>() {
            return Ok(MaybeUser(found.clone()));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let user = match jar.get(state.session_cookie()) {
            Some(cookie) => state.core.session(cookie.value()).await?,
            None => None,
        };
        parts.extensions.insert(user.clone());
        Ok(MaybeUser(user))
    }
}

/// The CSRF token the session expects, put in the request by [`Page`] for [`CsrfForm`].
#[derive(Clone)]
struct ExpectedCsrf(String);

/// A signed-in user on a page route, with everything a page needs. Not signed in: the
/// sign-in page; second factor outstanding: the second-factor page.
pub struct Page {
    pub auth: Authenticated,
    pub ctx: Ctx,
    pub partnership: PartnershipId,
    pub layout: Layout,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await?;
        let path = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
        let Some(auth) = user else {
            return Err(PageError::SignIn(if parts.method == axum::http::Method::GET { path } else { "/".into() }));
        };
        let session = auth.session.clone().ok_or(PageError::SignIn("/".into()))?;
        if session.second_factor_pending {
            return Err(PageError::SecondFactor(if auth.user.totp_enabled {
                SecondFactor::Required
            } else {
                SecondFactor::MustSetUp
            }));
        }
        // A password someone else chose is changed before anything else is done with it.
        if auth.user.must_change_password && parts.uri.path() != "/account/password" {
            return Err(PageError::ChangePassword);
        }
        let Ok(ClientInfo { ip, request_id }) = ClientInfo::from_request_parts(parts, state).await;
        let ctx = auth.ctx(ip, request_id);
        let partnerships = state.core.my_partnerships(&ctx).await?;
        let Some(partnership) = auth.partnership() else { return Err(PageError::NoPartnership) };
        let Ok(Nonce(nonce)) = Nonce::from_request_parts(parts, state).await;
        let flash = parts.uri.query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == "done")
                .and_then(|(_, v)| Flash::parse(&v))
        });
        parts.extensions.insert(ExpectedCsrf(session.csrf_token.clone()));
        let layout = Layout::for_user(&auth, &ctx, partnership, partnerships, nonce, session.csrf_token, flash);
        Ok(Page { auth, ctx, partnership, layout })
    }
}

/// A form body whose `csrf_token` field matched the session's. Use after [`Page`].
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

/// Reads a urlencoded form whose `csrf_token` field must equal `expected`, then parses it.
async fn checked_form<T: DeserializeOwned>(req: Request, expected: Option<String>) -> Result<T, PageError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let bytes = axum::body::Bytes::from_request(req, &()).await.map_err(|e| rejected(e.status()))?;
    if !is_form {
        return Err(PageError::BadRequest);
    }
    let field: CsrfField = serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::BadRequest)?;
    match expected {
        Some(token) if !token.is_empty() && constant_time_eq(&token, &field.csrf_token) => {}
        _ => return Err(PageError::StaleForm),
    }
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::BadRequest)?;
    let joined =
        serde_urlencoded::to_string(crate::handlers::with_joined_dates(fields)).map_err(|_| PageError::BadRequest)?;
    serde_urlencoded::from_str(&joined).map_err(|_| PageError::BadRequest)
}

impl<T, S> FromRequest<S> for CsrfForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = PageError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let expected = req.extensions().get::<ExpectedCsrf>().map(|ExpectedCsrf(token)| token.clone());
        checked_form(req, expected).await.map(CsrfForm)
    }
}

/// The largest upload (a chronology file, evidence with its attachments). Only the routes that
/// take files accept bodies this large; every other route keeps `max_body_bytes`.
pub const UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Uploads read into memory at once (each up to [`UPLOAD_BYTES`]); others wait up to
/// [`UPLOAD_WAIT`] for a turn, then get 503 with `Retry-After`.
pub const UPLOADS_AT_ONCE: usize = 8;
const UPLOAD_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The text fields a form may send with its files.
const MAX_FIELDS: usize = 100;

/// A `multipart/form-data` body whose `csrf_token` field matched: its text fields and its files.
/// It holds one of [`UPLOADS_AT_ONCE`] turns until dropped.
pub struct CsrfUpload {
    pub fields: std::collections::HashMap<String, String>,
    pub files: Vec<(String, assure_core::learning::UploadFile)>,
    _turn: tokio::sync::OwnedSemaphorePermit,
}

impl CsrfUpload {
    /// A text field; a GOV.UK date input's three boxes (`name-day`, `name-month`, `name-year`)
    /// joined into one ISO date, as [`CsrfForm`] joins them.
    pub fn field(&self, name: &str) -> String {
        if let Some(value) = self.fields.get(name) {
            return value.clone();
        }
        let part = |p: &str| self.fields.get(&format!("{name}-{p}")).cloned();
        match (part("day"), part("month"), part("year")) {
            (None, None, None) => String::new(),
            (d, m, y) => {
                crate::handlers::join_date(&d.unwrap_or_default(), &m.unwrap_or_default(), &y.unwrap_or_default())
            }
        }
    }

    /// The files sent under `name`, leaving out the empty part a browser sends when none was chosen.
    pub fn files_named(&mut self, name: &str) -> Vec<assure_core::learning::UploadFile> {
        let (wanted, rest): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.files).into_iter().partition(|(n, _)| n == name);
        self.files = rest;
        wanted.into_iter().map(|(_, f)| f).filter(|f| !(f.name.is_empty() && f.bytes.is_empty())).collect()
    }
}

/// The record-level extract route's largest file (ten million contacts is about 700 MB).
pub const EXTRACT_BYTES: usize = 2 * 1024 * 1024 * 1024;

/// A file streamed to a temporary file as it arrives, never held in memory, and deleted when
/// this is dropped.
pub struct SpooledFile {
    pub name: String,
    pub path: std::path::PathBuf,
    pub size: u64,
    pub sha256: String,
}

impl Drop for SpooledFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A `multipart/form-data` body whose file was streamed to disk.
pub struct StreamedUpload {
    pub fields: std::collections::HashMap<String, String>,
    pub file: Option<SpooledFile>,
}

/// A `multipart/form-data` body that has not been read. A handler first asks the use-case
/// whether the actor may send this file (an [`UploadPermit`]) and only then reads it, so a file
/// from someone who may not send it is refused without reading a byte. The form's `csrf_token`
/// (the session's on signed-in pages, the link's cookie on respondent links) must come before
/// any file, as a form in document order sends it; a file before a matching token is refused
/// unread.
pub struct PendingUpload {
    req: Request,
    expected: Option<String>,
    turns: std::sync::Arc<tokio::sync::Semaphore>,
}

impl<S> FromRequest<S> for PendingUpload
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let expected = match req.extensions().get::<ExpectedCsrf>() {
            Some(ExpectedCsrf(token)) => Some(token.clone()),
            None => CookieJar::from_headers(req.headers()).get(state.respond_cookie()).map(|c| c.value().to_owned()),
        };
        Ok(PendingUpload { req, expected, turns: state.uploads.clone() })
    }
}

fn rejected(status: axum::http::StatusCode) -> PageError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE { PageError::TooLarge } else { PageError::BadRequest }
}

/// Whether the form's `csrf_token` field matches the token expected.
fn csrf_sent(expected: Option<&str>, fields: &std::collections::HashMap<String, String>) -> Result<(), PageError> {
    let sent = fields.get("csrf_token").map(String::as_str).unwrap_or("");
    match expected {
        Some(token) if !token.is_empty() && constant_time_eq(token, sent) => Ok(()),
        _ => Err(PageError::StaleForm),
    }
}

impl PendingUpload {
    async fn multipart(req: Request) -> Result<axum::extract::Multipart, PageError> {
        axum::extract::Multipart::from_request(req, &()).await.map_err(|e| rejected(e.status()))
    }

    /// Reads the whole body into memory (up to the route's limit) once the permit is shown.
    pub async fn read(self, _permit: UploadPermit) -> Result<CsrfUpload, PageError> {
        let turn = tokio::time::timeout(UPLOAD_WAIT, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| PageError::Busy(assure_core::BUSY_RETRY_SECONDS))?
            .map_err(|_| PageError::Busy(assure_core::BUSY_RETRY_SECONDS))?;
        let mut fields = std::collections::HashMap::new();
        let mut files = Vec::new();
        let mut checked = false;
        let expected = self.expected;
        let mut multipart = Self::multipart(self.req).await?;
        while let Some(field) = multipart.next_field().await.map_err(|e| rejected(e.status()))? {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    if !checked {
                        csrf_sent(expected.as_deref(), &fields)?;
                        checked = true;
                    }
                    let content_type = field.content_type().unwrap_or_default().to_owned();
                    let bytes = field.bytes().await.map_err(|e| rejected(e.status()))?.to_vec();
                    files.push((name, assure_core::learning::UploadFile { name: file_name, content_type, bytes }));
                }
                None => {
                    if fields.len() >= MAX_FIELDS {
                        return Err(PageError::BadRequest);
                    }
                    let text = field.text().await.map_err(|e| rejected(e.status()))?;
                    fields.insert(name, text);
                }
            }
        }
        if !checked {
            csrf_sent(expected.as_deref(), &fields)?;
        }
        Ok(CsrfUpload { fields, files, _turn: turn })
    }

    /// Streams the body's one file (field `file`) to a temporary file, never holding it in
    /// memory, once the permit is shown.
    pub async fn spool(self, _permit: UploadPermit) -> Result<StreamedUpload, PageError> {
        use sha2::Digest;
        use tokio::io::AsyncWriteExt;
        let expected = self.expected;
        let mut multipart = Self::multipart(self.req).await?;
        let mut fields = std::collections::HashMap::new();
        let mut file = None;
        while let Some(mut field) = multipart.next_field().await.map_err(|e| rejected(e.status()))? {
            let name = field.name().unwrap_or_default().to_owned();
            let Some(file_name) = field.file_name().map(str::to_owned) else {
                if fields.len() >= MAX_FIELDS {
                    return Err(PageError::BadRequest);
                }
                let text = field.text().await.map_err(|e| rejected(e.status()))?;
                fields.insert(name, text);
                continue;
            };
            csrf_sent(expected.as_deref(), &fields)?;
            if file.is_some() || name != "file" {
                return Err(PageError::BadRequest);
            }
            let token: u64 = rand::random();
            let path = std::env::temp_dir().join(format!("assure-upload-{token:016x}.csv"));
            let mut out = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .await
                .map_err(|e| PageError::Internal(format!("spooling an upload: {e}")))?;
            let mut spooled = SpooledFile { name: file_name, path, size: 0, sha256: String::new() };
            let mut hash = sha2::Sha256::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| rejected(e.status()))? {
                hash.update(&chunk);
                spooled.size += chunk.len() as u64;
                out.write_all(&chunk).await.map_err(|e| PageError::Internal(format!("spooling an upload: {e}")))?;
            }
            out.flush().await.map_err(|e| PageError::Internal(format!("spooling an upload: {e}")))?;
            spooled.sha256 = hex::encode(hash.finalize());
            file = Some(spooled);
        }
        if file.is_none() {
            csrf_sent(expected.as_deref(), &fields)?;
        }
        Ok(StreamedUpload { fields, file })
    }
}

/// A form posted through a respondent link. The link is the credential, and the form must also
/// carry the token of the link page's cookie (a double submit, as at sign-in).
pub struct LinkForm<T>(pub T);

impl<T, S> FromRequest<S> for LinkForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let expected = CookieJar::from_headers(req.headers()).get(state.respond_cookie()).map(|c| c.value().to_owned());
        checked_form(req, expected).await.map(LinkForm)
    }
}

/// An API caller, authenticated by `Authorization: Bearer <token>`.
pub struct ApiUser {
    pub auth: Authenticated,
    pub ctx: Ctx,
}

impl ApiUser {
    /// The partnership a request is about: `?partnership=<slug>`, which may be left out only
    /// by someone who works in exactly one partnership.
    pub async fn partnership(&self, state: &AppState, slug: Option<&str>) -> Result<PartnershipId, ApiError> {
        let mine = state.core.my_partnerships(&self.ctx).await?;
        match (slug, mine.as_slice()) {
            (Some(slug), _) => mine
                .iter()
                .find(|p| p.slug == slug)
                .map(|p| p.id)
                .ok_or(ApiError::Core(assure_core::CoreError::NotFound)),
            (None, [only]) => Ok(only.id),
            (None, []) => Err(ApiError::Core(assure_core::CoreError::NotFound)),
            (None, several) => {
                let slugs: Vec<&str> = several.iter().map(|p| p.slug.as_str()).collect();
                Err(assure_domain::FieldErrors::single(
                    "partnership",
                    format!(
                        "This account works in more than one partnership: add ?partnership= with one of {}",
                        slugs.join(", ")
                    ),
                )
                .into())
            }
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let auth = state.core.api_token(token).await?.ok_or(ApiError::Unauthenticated)?;
        if auth.user.must_change_password {
            return Err(ApiError::ChangePassword);
        }
        let Ok(ClientInfo { ip, request_id }) = ClientInfo::from_request_parts(parts, state).await;
        let ctx = auth.ctx(ip, request_id);
        Ok(ApiUser { auth, ctx })
    }
}
