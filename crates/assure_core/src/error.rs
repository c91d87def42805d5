//! The errors a use-case reports. The web edge maps each to a status; none carries internals
//! to the client ([`CoreError::Internal`] is logged and shown as a generic message).

use assure_domain::FieldErrors;
use assure_store::StoreError;

pub type CoreResult<T> = Result<T, CoreError>;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The record does not exist, or the actor may not know that it does.
    #[error("not found")]
    NotFound,
    /// The actor may see the record but not do this to it.
    #[error("forbidden")]
    Forbidden,
    /// Not signed in, or the credentials are not valid.
    #[error("unauthenticated")]
    Unauthenticated,
    /// The input is not valid; the map says which field and why.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Too many attempts; try again later.
    #[error("too many attempts")]
    Throttled,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for CoreError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => CoreError::NotFound,
            other => CoreError::Internal(other.to_string()),
        }
    }
}

impl From<FieldErrors> for CoreError {
    fn from(errors: FieldErrors) -> Self {
        CoreError::Invalid(errors)
    }
}

impl CoreError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        CoreError::Invalid(FieldErrors::single(field, message))
    }
}
