//! The partnership's public bulletin pages, reached without an account: the archive of published
//! issues, an issue, subscribing (double opt-in: the link e-mailed opens a page whose button
//! confirms, so that a mail scanner fetching the link confirms nothing), unsubscribing (the page's
//! button, or one click from the mail client: a POST to the link itself, RFC 8058, which carries
//! no cookie and so no form token: the link's token is the credential), and the items' links,
//! which count the click and go on.

use askama::Template;
use assure_core::CoreError;
use assure_core::bulletins::{BulletinSite, PublicBulletins, PublicIssue};
use assure_domain::FieldErrors;
use assure_domain::bulletins::SubscribeInput;
use assure_domain::structure::Choice;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, LinkForm, Nonce};
use crate::handlers::training::public::public_layout;
use crate::handlers::{Empty, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/{slug}/bulletins", get(archive))
        .route("/public/{slug}/bulletins/subscribe", get(subscribe_page).post(subscribe))
        .route("/public/{slug}/bulletins/confirm/{token}", get(confirm_page).post(confirm))
        .route("/public/{slug}/bulletins/unsubscribe/{token}", get(unsubscribe_page).post(unsubscribe))
        .route("/public/{slug}/bulletins/{number}", get(issue))
        .route("/public/{slug}/bulletins/{number}/go/{item}", get(go))
}

#[derive(Template)]
#[template(path = "bulletins/public/archive.html")]
struct ArchivePage {
    layout: Layout,
    public: PublicBulletins,
}

/// "3 March 2027": the day in England of a stored moment.
fn day(moment: &Option<String>) -> String {
    moment
        .as_deref()
        .and_then(assure_domain::uk_time::uk_date)
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

impl ArchivePage {
    fn day(&self, moment: &Option<String>) -> String {
        day(moment)
    }
}

async fn archive(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let public = state.core.public_bulletins(&slug).await?;
    let (jar, layout) = public_layout(&state, &format!("Bulletins: {}", public.site.partnership_name), nonce, jar);
    Ok((jar, render(&ArchivePage { layout, public })?).into_response())
}

#[derive(Template)]
#[template(path = "bulletins/public/issue.html")]
struct IssuePage {
    layout: Layout,
    issue: PublicIssue,
    published: String,
}

impl IssuePage {
    fn name(&self) -> String {
        assure_domain::bulletins::issue_name(self.issue.bulletin.number.unwrap_or_default())
    }
}

async fn issue(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let issue = state.core.public_bulletin(&slug, path_id(&number)?).await?;
    let (jar, layout) = public_layout(&state, &issue.bulletin.title, nonce, jar);
    let published = day(&issue.bulletin.published_at);
    Ok((jar, render(&IssuePage { layout, issue, published })?).into_response())
}

async fn go(
    State(state): State<AppState>,
    Path((slug, number, item)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let link = state.core.bulletin_click(&slug, path_id(&number)?, path_id(&item)?).await?;
    Ok(Redirect::to(&link).into_response())
}

#[derive(Template)]
#[template(path = "bulletins/public/subscribe.html")]
struct SubscribePage {
    layout: Layout,
    site: BulletinSite,
    input: SubscribeInput,
    errors: FieldErrors,
    /// The address was taken: the page says to look for the e-mail.
    asked: bool,
}

async fn subscribe_page(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let site = state.core.bulletin_site(&slug).await?;
    let (jar, layout) = public_layout(&state, &format!("Get {}'s bulletin", site.partnership_name), nonce, jar);
    let page =
        SubscribePage { layout, site, input: SubscribeInput::default(), errors: FieldErrors::new(), asked: false };
    Ok((jar, render(&page)?).into_response())
}

async fn subscribe(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(slug): Path<String>,
    LinkForm(input): LinkForm<SubscribeInput>,
) -> Result<Response, PageError> {
    let result = state.core.subscribe(&slug, &input, client.ip, client.request_id).await;
    let site = state.core.bulletin_site(&slug).await?;
    match result {
        Ok(()) => {
            let (jar, layout) = public_layout(&state, "Check your email", nonce, jar);
            let page = SubscribePage { layout, site, input, errors: FieldErrors::new(), asked: true };
            Ok((jar, render(&page)?).into_response())
        }
        Err(CoreError::Invalid(errors)) => {
            let (jar, layout) = public_layout(&state, &format!("Get {}'s bulletin", site.partnership_name), nonce, jar);
            let page = SubscribePage { layout, site, input, errors, asked: false };
            Ok((jar, render_invalid(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// What a confirmation or unsubscribe link's page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkState {
    /// The link works: the page offers its button.
    Ready,
    /// The button was pressed and it is done.
    Done,
    /// The link has expired, was used, or never was.
    Spent,
}

#[derive(Template)]
#[template(path = "bulletins/public/link.html")]
struct LinkPage {
    layout: Layout,
    slug: String,
    partnership_name: String,
    /// `confirm` or `unsubscribe`.
    purpose: &'static str,
    token: String,
    state: LinkState,
}

impl LinkPage {
    fn ready(&self) -> bool {
        self.state == LinkState::Ready
    }

    fn done(&self) -> bool {
        self.state == LinkState::Done
    }
}

fn link_page(
    state: &AppState,
    nonce: String,
    jar: CookieJar,
    site: BulletinSite,
    purpose: &'static str,
    token: String,
    link: LinkState,
) -> Result<Response, PageError> {
    let title = match (purpose, link) {
        ("confirm", LinkState::Done) => "Subscription confirmed",
        ("confirm", _) => "Confirm your subscription",
        (_, LinkState::Done) => "You are unsubscribed",
        _ => "Unsubscribe from the bulletin",
    };
    let (jar, layout) = public_layout(state, title, nonce, jar);
    let page =
        LinkPage { layout, slug: site.slug, partnership_name: site.partnership_name, purpose, token, state: link };
    Ok((jar, render(&page)?).into_response())
}

async fn confirm_page(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path((slug, token)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let site = state.core.bulletin_site(&slug).await?;
    let ready = state.core.confirmation_pending(&slug, &token).await?;
    let link = if ready { LinkState::Ready } else { LinkState::Spent };
    link_page(&state, nonce, jar, site, "confirm", token, link)
}

async fn confirm(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path((slug, token)): Path<(String, String)>,
    LinkForm(_): LinkForm<Empty>,
) -> Result<Response, PageError> {
    let site = state.core.bulletin_site(&slug).await?;
    let link = match state.core.confirm_subscription(&slug, &token, client.ip).await {
        Ok(()) => LinkState::Done,
        Err(CoreError::NotFound) => LinkState::Spent,
        Err(e) => return Err(e.into()),
    };
    link_page(&state, nonce, jar, site, "confirm", token, link)
}

async fn unsubscribe_page(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path((slug, token)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let site = state.core.bulletin_site(&slug).await?;
    let ready = state.core.unsubscribe_pending(&slug, &token).await?;
    let link = if ready { LinkState::Ready } else { LinkState::Spent };
    link_page(&state, nonce, jar, site, "unsubscribe", token, link)
}

/// The page's button and the mail client's one click alike: the body (`List-Unsubscribe=One-Click`
/// from a mail client) is not read beyond the server's form limit, and no form token is asked for.
async fn unsubscribe(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path((slug, token)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let site = state.core.bulletin_site(&slug).await?;
    let link = match state.core.unsubscribe(&slug, &token, client.ip).await {
        Ok(_) => LinkState::Done,
        Err(CoreError::NotFound) => LinkState::Spent,
        Err(e) => return Err(e.into()),
    };
    link_page(&state, nonce, jar, site, "unsubscribe", token, link)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stored_moment_reads_as_a_day() {
        assert_eq!(super::day(&Some("2027-03-03T10:00:00.000000Z".into())), "3 March 2027");
        assert_eq!(super::day(&Some("2027-07-03T23:10:00.000000Z".into())), "4 July 2027", "in summer time");
        assert_eq!(super::day(&None), "");
    }
}
