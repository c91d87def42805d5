//! Assure's use-cases. Each public method names the actor's context, starts with one
//! authorization check ([`assure_domain::can`]), does its work in one transaction and writes
//! the audit log in that same transaction. The web handlers and the CLI call these and nothing
//! lower, so both obey the same rules.

pub mod accounts;
pub mod audit_log;
pub mod audits;
pub mod bulletins;
pub mod challenges;
pub mod demo;
pub mod documents;
mod error;
pub mod finance;
pub mod inspections;
pub mod intelligence;
pub mod kept;
pub mod learning;
pub mod mail;
pub mod meetings;
mod operations;
pub mod reminders;
pub mod reports;
pub mod reviews;
pub mod risks;
pub mod strategy;
pub mod structure;
pub mod tables;
pub mod training;
pub mod voice;
mod work;

use accounts::auth;
use assure_domain::{Action, Actor, OrganisationId, PartnershipId, ResourceKind, Target, UserId, can};
use assure_store::Store;
use assure_store::audit_log::NewEntry;

pub use assure_store::one_connection_per_task;
pub use error::{BUSY_RETRY_SECONDS, CoreError, CoreResult};

/// Security settings the use-cases need; the binary fills them from its configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends after this long without a request.
    pub session_idle: chrono::Duration,
    /// A session ends this long after sign-in, however active.
    pub session_absolute: chrono::Duration,
    /// Failed sign-ins in a row before the account is locked.
    pub lockout_after: i64,
    pub lockout_for: chrono::Duration,
    /// Sign-in attempts one address may make per window, whatever the account.
    pub attempts_per_address: u32,
    pub attempt_window: chrono::Duration,
    /// The review types, from configuration (see `config/review_types.toml`).
    pub review_types: std::sync::Arc<assure_domain::reviews::ReviewTypes>,
    /// Where reminders are e-mailed from; none: reminders appear in the application only.
    pub mailer: Option<std::sync::Arc<mail::Mailer>>,
    /// The address people reach Assure at, for links in e-mail.
    pub public_url: String,
    /// Password hashes computed at once (each takes about 19 MiB and most of a core).
    pub hashing_concurrency: usize,
    /// Sign-ins that may wait for a turn to hash; beyond them: 503 with `Retry-After`.
    pub hashing_queue: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle: chrono::Duration::minutes(60),
            session_absolute: chrono::Duration::hours(12),
            lockout_after: 5,
            lockout_for: chrono::Duration::minutes(15),
            attempts_per_address: 30,
            attempt_window: chrono::Duration::minutes(5),
            // The shipped file is checked by a test, so this never falls back in practice.
            review_types: std::sync::Arc::new(reviews::shipped_types().unwrap_or_default()),
            mailer: None,
            public_url: "http://127.0.0.1:8080".into(),
            hashing_concurrency: std::thread::available_parallelism().map(usize::from).unwrap_or(2),
            hashing_queue: 32,
        }
    }
}

/// Booking attempts one address may make on the public booking pages in fifteen minutes (an
/// office behind one address books its staff; a script is stopped).
pub const BOOKINGS_PER_ADDRESS: u32 = 60;

/// The entry point to every use-case.
#[derive(Clone)]
pub struct Core {
    pub store: Store,
    pub settings: Settings,
    throttle: std::sync::Arc<auth::AddressThrottle>,
    /// Booking attempts on the public booking pages, per address: every attempt counts.
    booking_throttle: std::sync::Arc<auth::AddressThrottle>,
    /// Feedback from the public page, per client address.
    feedback_throttle: std::sync::Arc<auth::AddressThrottle>,
    /// Password hashing, bounded: see [`work::Bounded`].
    hashing: std::sync::Arc<work::Bounded>,
    /// Reading uploaded files, bounded the same way.
    parsing: std::sync::Arc<work::Bounded>,
    /// Typesetting documents (PDF, Word, workbooks): CPU work off the async runtime.
    rendering: std::sync::Arc<work::Bounded>,
    reads: audit_log::ReadLog,
    /// The dashboards as last computed: see [`intelligence::indicators::Dashboards`].
    dashboards: std::sync::Arc<intelligence::indicators::Dashboards>,
    /// Users and their grants as last read: see [`accounts::auth::KnownUsers`].
    known_users: std::sync::Arc<auth::KnownUsers>,
    /// Every review's clocks, as last computed: see [`reviews::Caseloads`].
    caseloads: std::sync::Arc<reviews::Caseloads>,
    /// The plan's pages and counts, as last read: see [`learning::PlanCounts`].
    plan_counts: std::sync::Arc<learning::PlanCounts>,
    /// Campaigns' returns and progress, as last read: see [`audits::KeptReturns`].
    kept_returns: std::sync::Arc<audits::KeptReturns>,
    /// Every partnership's organisations, as last read: see [`structure::KeptOrganisations`].
    kept_organisations: std::sync::Arc<structure::KeptOrganisations>,
}

impl Core {
    pub fn new(store: Store, settings: Settings) -> Core {
        let throttle =
            std::sync::Arc::new(auth::AddressThrottle::new(settings.attempts_per_address, settings.attempt_window));
        let hashing = std::sync::Arc::new(work::Bounded::new(
            "assure-hashing",
            settings.hashing_concurrency,
            settings.hashing_queue,
        ));
        // Reading an upload takes at most a few hundred MB at the limits: two at once, eight waiting.
        let parsing = std::sync::Arc::new(work::Bounded::new("assure-parsing", 2, 8));
        let rendering = std::sync::Arc::new(work::Bounded::new("assure-rendering", 2, 16));
        Core {
            store,
            settings,
            throttle,
            booking_throttle: std::sync::Arc::new(auth::AddressThrottle::new(
                BOOKINGS_PER_ADDRESS,
                chrono::Duration::minutes(15),
            )),
            feedback_throttle: std::sync::Arc::new(auth::AddressThrottle::new(
                voice::FEEDBACK_PER_ADDRESS,
                chrono::Duration::minutes(voice::FEEDBACK_WINDOW_MINUTES),
            )),
            hashing,
            parsing,
            rendering,
            reads: audit_log::ReadLog::default(),
            dashboards: Default::default(),
            known_users: Default::default(),
            caseloads: Default::default(),
            plan_counts: Default::default(),
            kept_returns: Default::default(),
            kept_organisations: Default::default(),
        }
    }
}

/// A record's version: a digest of the record as stored. The API gives it as the `ETag` of the
/// record's GET and takes it back in `If-Match`; the pages carry it in a hidden `version` field.
/// Any change to the record, by anyone, gives it a new version.
pub fn version_of(record: &impl serde::Serialize) -> String {
    use sha2::Digest as _;
    let bytes = serde_json::to_vec(record).unwrap_or_default();
    hex::encode(&sha2::Sha256::digest(&bytes)[..16])
}

/// Checked inside a write, before a record is changed: if the person said which version they
/// read (`seen`, bare or as an entity tag) and the record is no longer that version, nothing is
/// changed. Saying none changes the record as it now is.
pub(crate) fn still_as_seen(seen: Option<&str>, current: &impl serde::Serialize) -> CoreResult<()> {
    let Some(seen) = seen.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(()) };
    let bare = seen.trim_start_matches("W/").trim_matches('"');
    if seen == "*" || bare == version_of(current) { Ok(()) } else { Err(CoreError::Changed) }
}

/// Proof that the actor may send a file to one upload route, issued by a `permit_*` use-case
/// *before* any byte of the upload is read. The web edge reads an upload's body only in
/// exchange for one, so a file from someone who may not send it is refused unread.
#[derive(Debug)]
pub struct UploadPermit(());

impl UploadPermit {
    fn granted() -> UploadPermit {
        UploadPermit(())
    }
}

/// Who is acting, and from where: every audit entry is built from this.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    /// How the audit log names the actor: their e-mail, or `cli` for the operator's commands.
    pub label: String,
    /// How the records the actor makes name them for people reading them (history, evidence,
    /// sources): their name, or their e-mail when the account has none; the label otherwise.
    pub name: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// Every generation counter as the request's session or token lookup read them, when there
    /// was one: what is kept under them is used without reading them again. A change committed
    /// after the lookup counts from the next request, as it would had the request come a moment
    /// earlier; what is computed is read after the lookup, so it is at least as new as its tag.
    pub generations: Option<assure_store::accounts::Generations>,
}

impl Ctx {
    pub fn user_id(&self) -> Option<UserId> {
        if self.actor.user.0 > 0 { Some(self.actor.user) } else { None }
    }

    /// Whose records of `kind` in `p` the actor reads: everyone's (`Some(None)`), or only those of
    /// the organisations they act for as an agency lead (`Some(Some(ids))`, each allowed by
    /// `can`), or none (`None`). For the lists that show an agency lead their own organisation's
    /// records of a kind the rules otherwise keep from them (bookings, the challenge log).
    pub fn reads_of(&self, kind: ResourceKind, p: PartnershipId) -> Option<Option<Vec<OrganisationId>>> {
        if can(&self.actor, Action::View, &Target::new(kind, p)) {
            return Some(None);
        }
        let own: Vec<OrganisationId> = self
            .actor
            .grants
            .iter()
            .filter_map(|g| match g.scope {
                assure_domain::Scope::Organisation(q, org) if q == p => Some(org),
                _ => None,
            })
            .filter(|org| can(&self.actor, Action::View, &Target::new(kind, p).organisation(Some(*org))))
            .collect();
        (!own.is_empty()).then_some(Some(own))
    }

    /// The one authorization check a use-case starts with. A denied `View` is reported as
    /// not found, so that records a user may not see are indistinguishable from absent ones.
    pub fn authorize(&self, action: Action, target: &Target) -> CoreResult<()> {
        if can(&self.actor, action, target) {
            Ok(())
        } else if action == Action::View || !can(&self.actor, Action::View, target) {
            Err(CoreError::NotFound)
        } else {
            Err(CoreError::Forbidden)
        }
    }

    /// Whether the actor may do `action` to `kind` in any of `partnerships` (a campaign run
    /// jointly), about `organisation` where given.
    pub fn may_in_any(
        &self,
        action: Action,
        kind: ResourceKind,
        partnerships: &[PartnershipId],
        organisation: Option<OrganisationId>,
    ) -> bool {
        partnerships.iter().any(|p| can(&self.actor, action, &Target::new(kind, *p).organisation(organisation)))
    }

    /// As `authorize`, where any one of `partnerships` allowing it is enough.
    pub fn authorize_in_any(
        &self,
        action: Action,
        kind: ResourceKind,
        partnerships: &[PartnershipId],
        organisation: Option<OrganisationId>,
    ) -> CoreResult<()> {
        if self.may_in_any(action, kind, partnerships, organisation) {
            Ok(())
        } else if action == Action::View || !self.may_in_any(Action::View, kind, partnerships, organisation) {
            Err(CoreError::NotFound)
        } else {
            Err(CoreError::Forbidden)
        }
    }

    pub(crate) fn entry(
        &self,
        action: &str,
        record_type: &str,
        record_id: Option<String>,
        partnership: Option<PartnershipId>,
        detail: serde_json::Value,
    ) -> NewEntry {
        NewEntry {
            actor_user_id: self.user_id().map(|u| u.0),
            actor_label: self.label.clone(),
            action: action.to_owned(),
            record_type: record_type.to_owned(),
            record_id,
            partnership_id: partnership.map(|p| p.0),
            ip: self.ip.clone(),
            request_id: self.request_id.clone(),
            detail,
        }
    }
}
