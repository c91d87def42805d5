//! The partnership's structure: the home page, organisations, people, and boards and subgroups with
//! their memberships.

pub mod bodies;
pub mod home;
pub mod organisations;
pub mod people;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(bodies::routes()).merge(home::routes()).merge(organisations::routes()).merge(people::routes())
}
