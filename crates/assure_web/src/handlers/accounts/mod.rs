//! Accounts: signing in (with a second factor), a user's own account, and the administration of
//! users and their roles.

pub mod account;
pub mod sign_in;
pub mod users;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(account::routes()).merge(sign_in::routes()).merge(users::routes())
}
