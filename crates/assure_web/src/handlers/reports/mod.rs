//! The statutory yearly reports inside Assure: the partnership's reports and the form to start
//! one; a report's page, with the statutory items and whether each is answered, every gap with a
//! link to where it is put right, and each section's words and figures; a section's form; and the
//! report as an HTML page, a tagged PDF or a Word document.

use askama::Template;
use assure_core::CoreError;
use assure_core::documents::{Block, Format};
use assure_core::reports::{ReportList, ReportView, SectionForm, SectionView};
use assure_domain::FieldErrors;
use assure_domain::reports::{AuthorInput, ReportInput, SectionInput, SectionKey};
use assure_domain::structure::Choice;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::download_response;
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/reports",
    label: "Yearly reports",
    needs: Some(assure_domain::ResourceKind::Report),
}];

mod easy_read;
mod public;
mod scrutiny;
mod sign_off;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(sign_off::routes())
        .merge(public::routes())
        .merge(easy_read::routes())
        .merge(scrutiny::routes())
        .route("/reports", get(list).post(create))
        .route("/reports/{id}", get(show))
        .route("/reports/asked", get(asked))
        .route("/reports/{id}/sections/{key}", get(section).post(write_section))
        .route("/reports/{id}/sections/{key}/author", axum::routing::post(ask_author))
        .route("/reports/{id}/sections/{key}/author/withdraw", axum::routing::post(withdraw_author))
        .route("/reports/{id}/{file}", get(file))
}

#[derive(Template)]
#[template(path = "reports/list.html")]
struct ListPage {
    layout: Layout,
    list: ReportList,
    input: ReportInput,
    kinds: Vec<Opt>,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    input: ReportInput,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let list = state.core.reports(&page.ctx, page.partnership).await?;
    page.layout.page("Yearly reports", "/reports", &[]);
    let mut kinds = vec![Opt::new("", "Choose")];
    kinds.extend(list.kinds.iter().map(|k| Opt::new(k.code(), k.label())));
    Ok(ListPage { layout: page.layout, list, input, kinds, errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, ReportInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<ReportInput>,
) -> Result<Response, PageError> {
    match state.core.create_report(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/reports/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// A block of figures as the page shows it.
enum Shown {
    Heading(String),
    Paragraph(String),
    Bullets(Vec<String>),
    Table { header: Vec<String>, rows: Vec<Vec<String>> },
}

fn shown(blocks: &[Block]) -> Vec<Shown> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(_, text) => Some(Shown::Heading(text.clone())),
            Block::Paragraph(text) | Block::Note(text) => Some(Shown::Paragraph(text.clone())),
            Block::Bullets(items) => Some(Shown::Bullets(items.clone())),
            Block::Table(t) => Some(Shown::Table {
                header: t.header.clone(),
                rows: t.rows.iter().map(|row| row.iter().map(|c| c.shown()).collect()).collect(),
            }),
            Block::Figure { .. } | Block::Facts(_) | Block::Pictured { .. } => None,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "reports/show.html")]
struct ShowPage {
    layout: Layout,
    view: ReportView,
    id: i64,
    figures: Vec<Vec<Shown>>,
}

impl ShowPage {
    fn as_of(&self) -> String {
        assure_domain::validation::long_date(self.view.as_of)
    }

    /// The report's words may be changed (no partner has agreed them, and it is not published).
    fn can_write(&self) -> bool {
        self.view.refuses(assure_domain::reports::Step::Write).is_none()
    }

    fn timestamp(&self, at: &str) -> String {
        assure_domain::uk_time::uk_timestamp(at)
    }

    /// An Easy Read section's paragraphs, each with its picture's name and what it shows.
    fn pictured(&self, s: &SectionView) -> Vec<(Option<(&'static str, String)>, String)> {
        let words = s.narrative.as_deref().unwrap_or_default();
        assure_domain::reports::easy_paragraphs(words)
            .into_iter()
            .map(|p| {
                let picture = p.picture.as_deref().and_then(assure_core::reports::easy_read::picture);
                (picture.map(|x| (x.name, x.alt.clone())), p.text)
            })
            .collect()
    }

    /// An Easy Read report's "Words to know": each word and what it means.
    fn glossary(&self, s: &SectionView) -> Vec<(String, String)> {
        assure_domain::reports::glossary(s.narrative.as_deref().unwrap_or_default())
    }

    /// Whom a section is asked of, by when, and whether it is late.
    fn asked(&self, a: &assure_core::reports::Author, written: bool) -> String {
        let late = !written && a.due_on < self.view.as_of && !self.view.published();
        format!(
            "Asked of {} by {}{}",
            a.name,
            assure_domain::validation::long_date(a.due_on),
            if late { ": overdue" } else { "" }
        )
    }

    fn written_by(&self, s: &SectionView) -> String {
        match &s.written_by {
            Some((by, at)) => format!("Written by {by}, {}", assure_domain::uk_time::uk_timestamp(at)),
            None => String::new(),
        }
    }
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let view = state.core.report(&page.ctx, id).await?;
    page.layout.page(view.title.clone(), "/reports", &[("Yearly reports", "/reports")]);
    let figures = view.sections.iter().map(|s| shown(&s.blocks)).collect();
    render(&ShowPage { layout: page.layout, view, id, figures })
}

#[derive(Template)]
#[template(path = "reports/section.html")]
struct SectionPage {
    layout: Layout,
    form: SectionForm,
    id: i64,
    key: SectionKey,
    /// The signed-in account.
    user: Option<assure_domain::UserId>,
    input: SectionInput,
    /// Who to ask to write it, and by when (the business unit's form).
    author_input: AuthorInput,
    errors: FieldErrors,
    /// The check shown is of words sent to be checked, not yet saved.
    previewed: bool,
}

impl SectionPage {
    /// Where the writer goes back to: the report, or (an author who reads only their section)
    /// the sections asked of them.
    fn back(&self) -> String {
        if self.form.reads_report {
            format!("/reports/{}#section-{}", self.id, self.key.code())
        } else {
            "/reports/asked".to_owned()
        }
    }

    fn day(&self, d: &chrono::NaiveDate) -> String {
        assure_domain::validation::long_date(*d)
    }

    fn timestamp(&self, at: &str) -> String {
        assure_domain::uk_time::uk_timestamp(at)
    }

    /// The section is asked of the actor.
    fn mine(&self) -> bool {
        self.form.author.as_ref().is_some_and(|a| Some(a.user_id) == self.user)
    }

    /// The reading ease of the words checked, with what it means.
    fn ease(&self) -> String {
        easy_read::ease(self.form.checked.as_ref())
    }

    /// Each Easy Read rule with how many times the words break it.
    fn counts(&self) -> Vec<(&'static str, usize)> {
        easy_read::counts(self.form.checked.as_ref())
    }

    /// The pictures an Easy Read section may use.
    fn pictures(&self) -> &'static [assure_core::reports::easy_read::ShippedPicture] {
        assure_core::reports::easy_read::pictures()
    }

    fn hint(&self) -> &'static str {
        match (self.form.report.kind.easy_read(), self.key) {
            (true, SectionKey::EasyWords) => {
                "One word on each line: the word, a colon, then what it means. The checks use these words as the glossary."
            }
            (true, _) => {
                "One idea in each sentence. Leave a blank line between paragraphs. Start a paragraph with a picture's name in square brackets, such as [family], to print that picture beside it."
            }
            _ => {
                "Leave a blank line between paragraphs. The figures from the records follow these words in the report."
            }
        }
    }
}

async fn section_page(
    state: &AppState,
    page: Page,
    id: i64,
    key: &str,
    input: Option<SectionInput>,
    errors: FieldErrors,
) -> Result<SectionPage, PageError> {
    let form = state.core.report_section(&page.ctx, id, key).await?;
    Ok(section_page_of(page, form, id, input, errors))
}

fn section_page_of(
    mut page: Page,
    form: SectionForm,
    id: i64,
    input: Option<SectionInput>,
    errors: FieldErrors,
) -> SectionPage {
    let key = form.key;
    let input = input.unwrap_or_else(|| SectionInput { narrative: form.narrative.clone().unwrap_or_default() });
    let back = format!("/reports/{id}");
    if form.reads_report {
        page.layout.page(key.label(), "/reports", &[("Yearly reports", "/reports"), (&form.report.title, &back)]);
    } else {
        page.layout.page(key.label(), "/", &[("Sections asked of you", "/reports/asked")]);
    }
    let author_input = AuthorInput::default();
    let user = page.ctx.user_id();
    SectionPage { layout: page.layout, form, id, key, user, input, author_input, errors, previewed: false }
}

async fn section(
    State(state): State<AppState>,
    page: Page,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    render(&section_page(&state, page, path_id(&id)?, &key, None, FieldErrors::new()).await?)
}

/// A section's form as sent: its words, and whether the author asked only to check them.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SectionSent {
    narrative: String,
    /// "Check without saving" (an Easy Read section).
    preview: Option<String>,
}

async fn write_section(
    State(state): State<AppState>,
    page: Page,
    Path((id, key)): Path<(String, String)>,
    CsrfForm(sent): CsrfForm<SectionSent>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = SectionInput { narrative: sent.narrative };
    if sent.preview.is_some() {
        return match state.core.preview_report_section(&page.ctx, id, &key, &input).await {
            Ok(form) => {
                let mut shown = section_page_of(page, form, id, Some(input), FieldErrors::new());
                shown.previewed = true;
                render(&shown)
            }
            Err(CoreError::Invalid(errors)) => {
                render_invalid(&section_page(&state, page, id, &key, Some(input), errors).await?)
            }
            Err(e) => Err(e.into()),
        };
    }
    match state.core.write_report_section(&page.ctx, id, &key, &input).await {
        // An Easy Read section's author sees the check of what they saved.
        Ok(key) if assure_core::reports::easy_read::is_easy_read_key(key) => {
            Ok(done(&format!("/reports/{id}/sections/{}#check", key.code()), "updated"))
        }
        // The business unit goes back to the report; an author who reads only their section
        // stays on it.
        Ok(key) if reads_report(&page) => Ok(done(&format!("/reports/{id}#section-{}", key.code()), "updated")),
        Ok(key) => Ok(done(&format!("/reports/{id}/sections/{}", key.code()), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&section_page(&state, page, id, &key, Some(input), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The actor reads the partnership's reports, not only sections asked of them.
fn reads_report(page: &Page) -> bool {
    assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::View,
        &assure_domain::Target::new(assure_domain::ResourceKind::Report, page.partnership),
    )
}

/// Asks someone to write the section by a day.
async fn ask_author(
    State(state): State<AppState>,
    page: Page,
    Path((id, key)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<AuthorInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.ask_report_author(&page.ctx, id, &key, &input).await {
        Ok(()) => Ok(done(&format!("/reports/{id}/sections/{key}#author"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let mut shown = section_page(&state, page, id, &key, None, errors).await?;
            shown.author_input = input;
            render_invalid(&shown)
        }
        Err(e) => Err(e.into()),
    }
}

/// No longer asks anyone to write the section.
async fn withdraw_author(
    State(state): State<AppState>,
    page: Page,
    Path((id, key)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<crate::handlers::Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.withdraw_report_author(&page.ctx, id, &key).await {
        Ok(()) => Ok(done(&format!("/reports/{id}/sections/{key}#author"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&section_page(&state, page, id, &key, None, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "reports/asked.html")]
struct AskedPage {
    layout: Layout,
    asked: Vec<assure_core::reports::Asked>,
    today: chrono::NaiveDate,
}

impl AskedPage {
    fn day(&self, d: &chrono::NaiveDate) -> String {
        assure_domain::validation::long_date(*d)
    }

    /// Where the section stands, for its tag.
    fn state(&self, a: &assure_core::reports::Asked) -> (&'static str, &'static str) {
        if !a.open() {
            ("Closed: the report is agreed or published", "govuk-tag--grey")
        } else if a.written {
            ("Written", "govuk-tag--green")
        } else if a.author.due_on < self.today {
            ("Overdue", "govuk-tag--red")
        } else {
            ("Not yet written", "govuk-tag--blue")
        }
    }
}

/// The sections of yearly reports asked of the signed-in person.
async fn asked(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let asked = state.core.sections_asked_of_me(&page.ctx, page.partnership).await?;
    page.layout.page("Sections asked of you", "/", &[]);
    render(&AskedPage { layout: page.layout, asked, today: state.core.today() })
}

/// `report.html`, `report.pdf` or `report.docx`.
async fn file(
    State(state): State<AppState>,
    page: Page,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let format = match file.as_str() {
        "report.html" => Format::Html,
        "report.pdf" => Format::Pdf,
        "report.docx" => Format::Docx,
        _ => return Err(PageError::NotFound),
    };
    Ok(download_response(state.core.report_file(&page.ctx, path_id(&id)?, format).await?))
}
