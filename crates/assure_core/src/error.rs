//! The errors a use-case reports. The web edge maps each to a status; none carries internals
//! to the client ([`CoreError::Internal`] is logged and shown as a generic message).

use assure_domain::FieldErrors;
use assure_store::StoreError;

pub type CoreResult<T> = Result<T, CoreError>;

/// What a caller turned away at capacity is told to wait before trying again.
pub const BUSY_RETRY_SECONDS: u64 = 2;

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
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts")]
    Throttled { retry_after: u64 },
    /// The service is at capacity (every database connection or password-hashing slot is in
    /// use); try again after this many seconds. Nothing was changed.
    #[error("busy")]
    Busy { retry_after: u64 },
    /// The record changed since the person read it (the version they saw is no longer the one
    /// stored): nothing was changed; they read it again and make their change to that.
    #[error("changed since it was read")]
    Changed,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for CoreError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => CoreError::NotFound,
            StoreError::Busy => CoreError::Busy { retry_after: BUSY_RETRY_SECONDS },
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

    /// A write refused by a unique constraint as a field error (a name or number already taken);
    /// anything else as the error it is.
    pub(crate) fn on_unique(error: StoreError, field: &str, message: &str) -> Self {
        if error.is_unique_violation() { CoreError::field(field, message) } else { error.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_with_no_free_connection_is_busy_not_broken() {
        let busy = CoreError::from(StoreError::Busy);
        assert!(matches!(busy, CoreError::Busy { retry_after: BUSY_RETRY_SECONDS }), "{busy:?}");
        let broken = CoreError::from(StoreError::Corrupt("x".into()));
        assert!(matches!(broken, CoreError::Internal(_)), "{broken:?}");
    }
}
