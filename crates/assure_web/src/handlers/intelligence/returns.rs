//! Partners' data returns through the pages: the business unit asks for a period's return of a
//! template, each organisation answers by the form or the template file (CSV or XLSX), the
//! business unit validates; late returns are marked. The templates, each return's figures over
//! time, and the adults' dashboard the returns feed.

use askama::Template;
use assure_core::CoreError;
use assure_core::intelligence::returns::DataReturn;
use assure_core::intelligence::returns::ReturnView;
use assure_domain::intelligence::returns::FieldKind;
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
use crate::handlers::{Opt, done, field, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Intelligence, href: "/returns", label: "Data returns", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/returns", get(list).post(request))
        .route("/returns/{id}", get(show).post(save))
        .route("/returns/{id}/template.csv", get(template))
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
    /// What a return can ask for: the latest version of each template.
    templates: Vec<Opt>,
    /// How each template's period is written, for the hint.
    periods: Vec<(String, String)>,
    errors: FieldErrors,
    template: String,
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
    let askable =
        if can_request { state.core.askable_return_templates(&page.ctx, page.partnership).await? } else { Vec::new() };
    let mut templates = vec![Opt::new("", "Choose what to ask for")];
    let mut periods = Vec::new();
    for t in askable {
        let kind = assure_domain::intelligence::returns::PeriodType::parse(&t.period_type);
        periods.push((t.title.clone(), kind.map(|k| k.example().to_owned()).unwrap_or_default()));
        templates.push(Opt::new(&t.code, format!("{} (version {})", t.title, t.version)));
    }
    page.layout.page("Data returns", "/dashboard/adults", &[("Adults' dashboard", "/dashboard/adults")]);
    Ok(ListPage {
        layout: page.layout,
        returns,
        can_request,
        organisations,
        templates,
        periods,
        errors,
        template: field(form, "template"),
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
    let (template, period, due_on) = (field(&form, "template"), field(&form, "period"), field(&form, "due_on"));
    let ask = assure_core::intelligence::returns::ReturnRequest {
        template: &template,
        period: &period,
        due_on: &due_on,
        organisation_ids: &orgs,
    };
    match state.core.request_returns(&page.ctx, page.partnership, &ask).await {
        Ok(_) => Ok(done("/returns", "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, errors, &form).await?),
        Err(e) => Err(e.into()),
    }
}

/// The return's template file: a row per field, with its answer so far, for filling in and
/// uploading as CSV (or, saved from a spreadsheet, XLSX).
async fn template(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = state.core.data_return(&page.ctx, DataReturnId(path_id(&id)?)).await?;
    let rows: Vec<Vec<String>> = v
        .template
        .fields
        .iter()
        .map(|f| {
            let value = v.values.iter().find(|(k, _)| *k == f.id).map(|(_, x)| x.clone()).unwrap_or_default();
            let what = match f.kind {
                FieldKind::Pick => format!("{} (one of: {})", f.label, f.choices.join("; ")),
                kind => format!("{} ({})", f.label, kind.label()),
            };
            vec![f.id.clone(), value, what]
        })
        .collect();
    let body = assure_domain::cells::csv_file(&["field", "value", "what"], &rows);
    Ok(crate::handlers::learning::attachment_response(
        &format!("return-{}-{}.csv", v.template.code, v.r.id.0),
        "text/csv; charset=utf-8",
        body.into_bytes(),
    ))
}

/// One field of the return's form: its place, wording, what was given, and how to ask for it.
struct FieldRow {
    id: String,
    label: String,
    help: String,
    value: String,
    /// whole, percent, text or choice.
    kind: &'static str,
    /// A choice's options, with whether each is the answer.
    choices: Vec<(String, bool)>,
    optional: bool,
    /// The answer as shown read-only: a number with its separators, or the words.
    shown: String,
}

/// The fields in their groups: (the group's title, or none, and its rows).
type Grouped = Vec<(String, Vec<FieldRow>)>;

#[derive(Template)]
#[template(path = "intelligence/returns/show.html")]
struct ShowPage {
    layout: Layout,
    v: ReturnView,
    groups: Grouped,
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
    let groups = v
        .template
        .grouped()
        .into_iter()
        .map(|(g, fields)| {
            let rows = fields
                .into_iter()
                .map(|f| {
                    let value = match sent {
                        Some(form) => field(form, &f.id),
                        None => v.values.iter().find(|(k, _)| *k == f.id).map(|(_, x)| x.clone()).unwrap_or_default(),
                    };
                    let shown = match f.kind {
                        _ if value.is_empty() => "not given".to_owned(),
                        FieldKind::Whole => crate::charts::number(&value),
                        FieldKind::Percent => format!("{value}%"),
                        FieldKind::Text | FieldKind::Pick => value.clone(),
                    };
                    FieldRow {
                        id: f.id.clone(),
                        label: f.label.clone(),
                        help: f.help.clone().unwrap_or_default(),
                        kind: f.kind.code(),
                        choices: f.choices.iter().map(|c| (c.clone(), *c == value)).collect(),
                        optional: f.optional,
                        shown,
                        value,
                    }
                })
                .collect();
            (g.map(|g| g.title.clone()).unwrap_or_default(), rows)
        })
        .collect();
    let provisional = sent.map(|f| field(f, "provisional") == "true").unwrap_or(v.r.provisional);
    let footnote = sent.map(|f| field(f, "footnote")).unwrap_or_else(|| v.r.footnote.clone().unwrap_or_default());
    let title = format!("{}: {}", v.r.organisation_name, v.r.period);
    page.layout.page(title, "/dashboard/adults", &[("Data returns", "/returns")]);
    ShowPage { layout: page.layout, v, groups, provisional, footnote, errors, warnings }
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
    let v = state.core.data_return(&page.ctx, DataReturnId(id)).await?;
    let raw: Vec<(String, String)> = v.template.fields.iter().map(|f| (f.id.clone(), field(&form, &f.id))).collect();
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
    let owed = state.core.adults_returns_owed(&page.ctx, page.partnership).await?;
    page.layout.page("Adults' safeguarding dashboard", "/dashboard/adults", &[]);
    render(&AdultsPage { layout: page.layout, d, area_name, tiles, owed })
}
