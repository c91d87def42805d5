//! The home page: the partnership at a glance.

use askama::Template;
use assure_core::structure::{Arm, Counts};
use assure_domain::structure::Choice as _;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::Page;
use crate::handlers::render;
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry { section: Section::Home, href: "/", label: "Home", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(show))
}

/// One row of "My tasks": something asked of their organisation, an action they own, a clock of
/// a review they keep, the papers they owe a meeting, a risk to review or a report's section to
/// write.
enum Task {
    Request(assure_core::reviews::Request, assure_domain::reviews::Clock),
    Action(Box<assure_core::learning::PlanItem>),
    Deadline(assure_core::reviews::Deadline),
    Papers(assure_core::meetings::PapersOwed),
    MeetingAction(assure_core::meetings::MeetingAction),
    /// A risk they own whose review is due within two weeks or overdue.
    Risk(assure_core::risks::Risk),
    /// A section of a yearly report asked of them, not yet written.
    Section(assure_core::reports::Asked),
}

impl Task {
    fn due(&self) -> Option<chrono::NaiveDate> {
        match self {
            Task::Request(q, _) => Some(q.due_on),
            Task::Action(i) => Some(i.action.target_on),
            Task::Deadline(d) => d.clock.due,
            Task::Papers(o) => Some(o.due_on),
            Task::MeetingAction(a) => Some(a.due_on),
            Task::Risk(r) => Some(r.review_on),
            Task::Section(a) => Some(a.author.due_on),
        }
    }
}

#[derive(Template)]
#[template(path = "structure/home/show.html")]
struct HomePage {
    layout: Layout,
    name: String,
    arms: Vec<Arm>,
    counts: Counts,
    /// Every task, soonest due first, whatever its kind.
    tasks: Vec<Task>,
    more_deadlines: usize,
    notifications: Vec<assure_core::reminders::Notification>,
}

impl HomePage {
    fn overdue(&self, due: &chrono::NaiveDate) -> bool {
        *due < assure_domain::uk_time::uk_today()
    }
}

async fn show(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let (partnership, arms, counts) = state.core.partnership(&page.ctx, page.partnership).await?;
    let tasks = state.core.my_tasks(&page.ctx, page.partnership).await?;
    let actions = state.core.my_actions(&page.ctx, page.partnership).await?;
    let papers = state.core.papers_owed(&page.ctx, page.partnership).await?;
    let meeting_actions = state.core.my_meeting_actions(&page.ctx, page.partnership).await?;
    let soon = state.core.today() + chrono::Days::new(14);
    let risks: Vec<_> =
        state.core.my_risks(&page.ctx, page.partnership).await?.into_iter().filter(|r| r.review_on <= soon).collect();
    let sections: Vec<_> = state
        .core
        .sections_asked_of_me(&page.ctx, page.partnership)
        .await?
        .into_iter()
        .filter(|a| a.open() && !a.written)
        .collect();
    let notifications = state.core.notifications(page.auth.user.id, page.partnership).await?;
    page.layout.page("Home", "/", &[]);
    let more_deadlines = tasks.more_deadlines;
    let mut all: Vec<Task> = tasks.requests.into_iter().map(|(q, c)| Task::Request(q, c)).collect();
    all.extend(actions.into_iter().map(|i| Task::Action(Box::new(i))));
    all.extend(tasks.deadlines.into_iter().map(Task::Deadline));
    all.extend(papers.into_iter().map(Task::Papers));
    all.extend(meeting_actions.into_iter().map(Task::MeetingAction));
    all.extend(risks.into_iter().map(Task::Risk));
    all.extend(sections.into_iter().map(Task::Section));
    all.sort_by_key(|t| t.due().unwrap_or(chrono::NaiveDate::MAX));
    render(&HomePage {
        layout: page.layout,
        name: partnership.name,
        arms,
        counts,
        tasks: all,
        more_deadlines,
        notifications,
    })
}
