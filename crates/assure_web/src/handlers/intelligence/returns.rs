//! Partners' data returns through the pages: the business unit asks for a quarter's figures,
//! each organisation answers by the form or the template (CSV or XLSX), the business unit
//! validates; late returns are marked. And the adults' dashboard the returns feed.

use askama::Template;
use assure_core::CoreError;
use assure_core::intelligence::returns::DataReturn;
use assure_core::intelligence::returns::ReturnView;
use assure_domain::intelligence::returns::RETURN_MEASURES;
use assure_domain::structure::Choice as _;
use assure_domain::{DataReturnId, FieldErrors};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page, PendingUpload, UPLOAD_BYTES};
use crate::handlers::intelligence::dashboard::{TileView, tile_view};
use crate::handlers::{done, field, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Intelligence, href: "/returns", label: "Data returns", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/returns", get(list).post(request))
        .route("/returns/template.csv", get(template))
        .route("/returns/{id}", get(show).post(save))
        .route("/returns/{id}/upload", post(upload).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/returns/{id}/validation", post(validate))
        .route("/dashboard/adults", get(adults))
}

#[derive(Template)]
#[template(path = "intelligence/returns/list.html")]
struct ListPage {
    layout: Layout,
    returns: Vec<(DataReturn, bool)>,
    can_request: bool,
    organisations: Vec<(i64, String, bool)>,
    errors: FieldErrors,
    period: String,
    due_on: String,
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    errors: FieldErrors,
    form: &[(String, String)],
) -> Result<ListPage, PageError> {
    let returns = state.core.data_returns(&page.ctx, page.partnership).await?;
    let can_request = assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::Create,
        &assure_domain::Target::new(assure_domain::ResourceKind::Indicator, page.partnership),
    );
    let organisations = if can_request {
        let chosen: Vec<&str> = form.iter().filter(|(k, _)| k == "organisation_ids").map(|(_, v)| v.as_str()).collect();
        let (orgs, _) =
            state.core.organisations(&page.ctx, page.partnership, false, assure_core::structure::Page::ALL).await?;
        orgs.into_iter()
            .map(|o| {
                let id = o.id.0;
                (id, o.name, chosen.contains(&id.to_string().as_str()))
            })
            .collect()
    } else {
        Vec::new()
    };
    page.layout.page("Data returns", "/dashboard/adults", &[("Adults' dashboard", "/dashboard/adults")]);
    Ok(ListPage {
        layout: page.layout,
        returns,
        can_request,
        organisations,
        errors,
        period: field(form, "period"),
        due_on: field(form, "due_on"),
    })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, FieldErrors::new(), &[]).await?)
}

async fn request(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let orgs: Vec<String> = form.iter().filter(|(k, _)| k == "organisation_ids").map(|(_, v)| v.clone()).collect();
    match state
        .core
        .request_returns(&page.ctx, page.partnership, &field(&form, "period"), &field(&form, "due_on"), &orgs)
        .await
    {
        Ok(_) => Ok(done("/returns", "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, errors, &form).await?),
        Err(e) => Err(e.into()),
    }
}

/// The template a return's figures can be sent in.
async fn template(_page: Page) -> Result<Response, PageError> {
    let rows: Vec<Vec<String>> =
        RETURN_MEASURES.iter().map(|(m, label)| vec![(*m).to_owned(), String::new(), (*label).to_owned()]).collect();
    let body = assure_domain::cells::csv_file(&["measure", "value", "what"], &rows);
    Ok(crate::handlers::learning::attachment_response(
        "data-return-template.csv",
        "text/csv; charset=utf-8",
        body.into_bytes(),
    ))
}

#[derive(Template)]
#[template(path = "intelligence/returns/show.html")]
struct ShowPage {
    layout: Layout,
    v: ReturnView,
    /// (measure, wording, value shown).
    rows: Vec<(String, String, String)>,
    provisional: bool,
    footnote: String,
    errors: FieldErrors,
    warnings: Vec<String>,
}

fn show_page(
    mut page: Page,
    v: ReturnView,
    errors: FieldErrors,
    warnings: Vec<String>,
    sent: Option<&[(String, String)]>,
) -> ShowPage {
    let rows = RETURN_MEASURES
        .iter()
        .map(|(m, label)| {
            let value = match sent {
                Some(f) => field(f, m),
                None => v.values.iter().find(|(k, _)| k == m).map(|(_, x)| x.clone()).unwrap_or_default(),
            };
            ((*m).to_owned(), (*label).to_owned(), value)
        })
        .collect();
    let provisional = sent.map(|f| field(f, "provisional") == "true").unwrap_or(v.r.provisional);
    let footnote = sent.map(|f| field(f, "footnote")).unwrap_or_else(|| v.r.footnote.clone().unwrap_or_default());
    let title = format!("{}: {}", v.r.organisation_name, v.r.period);
    page.layout.page(title, "/dashboard/adults", &[("Data returns", "/returns")]);
    ShowPage { layout: page.layout, v, rows, provisional, footnote, errors, warnings }
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = state.core.data_return(&page.ctx, DataReturnId(path_id(&id)?)).await?;
    render(&show_page(page, v, FieldErrors::new(), Vec::new(), None))
}

async fn save(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let raw: Vec<(String, String)> = RETURN_MEASURES.iter().map(|(m, _)| ((*m).to_owned(), field(&form, m))).collect();
    let submit = field(&form, "action") == "submit";
    let (provisional, footnote) = (field(&form, "provisional") == "true", field(&form, "footnote"));
    let input = assure_core::intelligence::returns::ReturnInput {
        values: &raw,
        provisional,
        footnote: &footnote,
        submit,
        source: "form",
    };
    let result = state.core.save_data_return(&page.ctx, DataReturnId(id), &input).await;
    after_save(&state, page, id, result, Some(&form), submit).await
}

/// The end of every save of a return: back to it with the banner; the page with the warnings
/// the figures raised; or the page with the form's errors and what was sent.
async fn after_save(
    state: &AppState,
    page: Page,
    id: i64,
    result: Result<Vec<String>, CoreError>,
    sent: Option<&[(String, String)]>,
    submitted: bool,
) -> Result<Response, PageError> {
    match result {
        Ok(warnings) if warnings.is_empty() => {
            Ok(done(&format!("/returns/{id}"), if submitted { "return-submitted" } else { "return-saved" }))
        }
        Ok(warnings) => {
            let v = state.core.data_return(&page.ctx, DataReturnId(id)).await?;
            render(&show_page(page, v, FieldErrors::new(), warnings, None))
        }
        Err(CoreError::Invalid(errors)) => {
            let v = state.core.data_return(&page.ctx, DataReturnId(id)).await?;
            render_invalid(&show_page(page, v, errors, Vec::new(), sent))
        }
        Err(e) => Err(e.into()),
    }
}

async fn upload(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let permit = state.core.permit_data_return_upload(&page.ctx, DataReturnId(id)).await?;
    let mut upload = pending.read(permit).await?;
    let Some(file) = upload.files_named("file").into_iter().next() else {
        let v = state.core.data_return(&page.ctx, DataReturnId(id)).await?;
        return render_invalid(&show_page(
            page,
            v,
            FieldErrors::single("file", "Choose the completed template (CSV or XLSX)"),
            Vec::new(),
            None,
        ));
    };
    let submit = upload.field("action") == "submit";
    let result = state.core.upload_data_return(&page.ctx, DataReturnId(id), &file.name, file.bytes, submit).await;
    after_save(&state, page, id, result, None, submit).await
}

async fn validate(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let accept = field(&form, "accept") == "yes";
    match state.core.validate_data_return(&page.ctx, DataReturnId(id), accept).await {
        Ok(()) => Ok(done(&format!("/returns/{id}"), if accept { "return-accepted" } else { "return-sent-back" })),
        Err(CoreError::Invalid(errors)) => {
            let v = state.core.data_return(&page.ctx, DataReturnId(id)).await?;
            render_invalid(&show_page(page, v, errors, Vec::new(), None))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "intelligence/returns/adults.html")]
struct AdultsPage {
    layout: Layout,
    d: assure_core::intelligence::indicators::Dashboard,
    area_name: String,
    tiles: Vec<TileView>,
    owed: Vec<(DataReturn, bool)>,
}

async fn adults(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let d = state.core.dashboard(&page.ctx, page.partnership, assure_domain::structure::ArmKind::Adults).await?;
    let area_name = d.area.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "The partnership".into());
    let tiles = d.tiles.iter().cloned().map(|t| tile_view(t, &area_name)).collect();
    let owed = state
        .core
        .data_returns(&page.ctx, page.partnership)
        .await?
        .into_iter()
        .filter(|(r, _)| r.status.outstanding())
        .collect();
    page.layout.page("Adults' safeguarding dashboard", "/dashboard/adults", &[]);
    render(&AdultsPage { layout: page.layout, d, area_name, tiles, owed })
}
