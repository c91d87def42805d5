//! Accounts: users, role grants, sessions and API tokens. Secrets are stored only as hashes
//! (passwords with argon2id by the caller, session and API tokens with SHA-256).

use assure_domain::authz::{Grant, Role, Scope};
use assure_domain::{BodyId, GrantId, OrganisationId, PartnershipId, TokenId, UserId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, flag, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "role_grants",
        &[
            ("id", Int),
            ("user_id", Int),
            ("role", Text),
            ("partnership_id", Int),
            ("organisation_id", Int),
            ("body_id", Int),
            ("scope_key", Text),
            ("granted_by", Int),
            ("granted_at", Text),
        ],
    ),
    ("second_factor_required", &[("partnership_id", Int), ("role", Text)]),
    ("recovery_codes", &[("id", Int), ("user_id", Int), ("code_hash", Text), ("used_at", Text), ("created_at", Text)]),
    (
        "sessions",
        &[
            ("id", Int),
            ("token_hash", Text),
            ("user_id", Int),
            ("csrf_token", Text),
            ("partnership_id", Int),
            ("second_factor_pending", Bool),
            ("created_at", Text),
            ("last_seen_at", Text),
            ("expires_at", Text),
        ],
    ),
    (
        "api_tokens",
        &[
            ("id", Int),
            ("user_id", Int),
            ("token_hash", Text),
            ("label", Text),
            ("created_at", Text),
            ("last_used_at", Text),
            ("revoked_at", Text),
        ],
    ),
];

/// The accounts themselves: listed first, since records of every capability name who made them.
pub const USERS: &[Table] = &[(
    "users",
    &[
        ("id", Int),
        ("email", Text),
        ("display_name", Text),
        ("password_hash", Text),
        ("disabled", Bool),
        ("totp_secret", Text),
        ("totp_enabled", Bool),
        ("failed_logins", Int),
        ("locked_until", Text),
        ("created_at", Text),
        ("password_changed_at", Text),
        ("must_change_password", Bool),
        ("totp_last_step", Int),
    ],
)];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub created_at: String,
    /// The password was chosen by someone else (a new account, a reset): the user must choose
    /// their own before doing anything else.
    pub must_change_password: bool,
}

impl User {
    /// How records name the person: their name, or their e-mail when the account has none.
    pub fn shown_name(&self) -> &str {
        let name = self.display_name.trim();
        if name.is_empty() { &self.email } else { name }
    }
}

const USER_SELECT: &str = "SELECT id, email, display_name, password_hash, disabled, totp_secret, totp_enabled, \
    failed_logins, locked_until, created_at, must_change_password FROM users";

fn user_from_row(row: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        disabled: flag(row, "disabled")?,
        totp_secret: row.try_get("totp_secret")?,
        totp_enabled: flag(row, "totp_enabled")?,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: row.try_get("locked_until")?,
        created_at: row.try_get("created_at")?,
        must_change_password: flag(row, "must_change_password")?,
    })
}

/// A new account. Its first password was chosen by whoever created it, so it must be changed at
/// the first sign-in.
pub async fn insert_user(conn: &mut Conn, email: &str, display_name: &str, password_hash: &str) -> StoreResult<UserId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO users (email, display_name, password_hash, disabled, totp_enabled, failed_logins, created_at, \
         password_changed_at, must_change_password) VALUES ($1, $2, $3, $4, $5, 0, $6, $6, 1) RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .bind(0_i64)
    .bind(0_i64)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(UserId(id))
}

pub async fn user(conn: &mut Conn, id: UserId) -> StoreResult<User> {
    let row = sqlx::query(&format!("{USER_SELECT} WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    user_from_row(&row)
}

pub async fn user_by_email(conn: &mut Conn, email: &str) -> StoreResult<Option<User>> {
    sqlx::query(&format!("{USER_SELECT} WHERE email = $1"))
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

/// Every user, or only those holding a grant in `partnership`.
pub async fn users(conn: &mut Conn, partnership: Option<PartnershipId>) -> StoreResult<Vec<User>> {
    let rows =
        match partnership {
            None => sqlx::query(&format!("{USER_SELECT} ORDER BY email")).fetch_all(&mut *conn).await?,
            Some(p) => sqlx::query(&format!(
                "{USER_SELECT} WHERE id IN (SELECT user_id FROM role_grants WHERE partnership_id = $1) ORDER BY email"
            ))
            .bind(p.0)
            .fetch_all(&mut *conn)
            .await?,
        };
    rows.iter().map(user_from_row).collect()
}

/// Sets a password. `chosen_by_owner`: the user chose it themselves; otherwise (an
/// administrator's reset) it must be changed at the next sign-in.
pub async fn set_password(conn: &mut Conn, id: UserId, password_hash: &str, chosen_by_owner: bool) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, failed_logins = 0, locked_until = NULL, \
         must_change_password = $3 WHERE id = $4",
    )
    .bind(password_hash)
    .bind(now_text())
    .bind(i64::from(!chosen_by_owner))
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn set_disabled(conn: &mut Conn, id: UserId, disabled: bool) -> StoreResult<()> {
    let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Marks a password as the user's own (the demo's accounts, whose password is printed for the
/// person running it).
pub async fn keep_password(conn: &mut Conn, id: UserId) -> StoreResult<()> {
    sqlx::query("UPDATE users SET must_change_password = 0 WHERE id = $1").bind(id.0).execute(&mut *conn).await?;
    Ok(())
}

/// Accepts a TOTP code's time step once: true when `step` is later than the last accepted one
/// (and records it), false for a code already used (or an earlier one). One statement, so two
/// concurrent sign-ins with the same code cannot both succeed.
pub async fn accept_totp_step(conn: &mut Conn, id: UserId, step: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a user's recovery codes with these (hashes of new codes), or removes them (none).
pub async fn replace_recovery_codes(conn: &mut Conn, id: UserId, hashes: &[String]) -> StoreResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(id.0).execute(&mut *conn).await?;
    let now = now_text();
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)")
            .bind(id.0)
            .bind(hash)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Uses one of a user's recovery codes, by its hash: true only the first time.
pub async fn use_recovery_code(conn: &mut Conn, id: UserId, hash: &str) -> StoreResult<bool> {
    let done =
        sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(now_text())
            .bind(id.0)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() >= 1)
}

/// How many of a user's recovery codes are still unused.
pub async fn recovery_codes_left(conn: &mut Conn, id: UserId) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?)
}

pub async fn set_totp(conn: &mut Conn, id: UserId, secret: Option<&str>, enabled: bool) -> StoreResult<()> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled = $2, totp_last_step = NULL WHERE id = $3")
        .bind(secret)
        .bind(i64::from(enabled))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records a failed sign-in and, at `lock_after` failures, locks the account until `lock_until`.
pub async fn record_failed_login(conn: &mut Conn, id: UserId, lock_after: i64, lock_until: &str) -> StoreResult<i64> {
    let failures: i64 =
        sqlx::query("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("failed_logins")?;
    if failures >= lock_after {
        sqlx::query("UPDATE users SET locked_until = $1, failed_logins = 0 WHERE id = $2")
            .bind(lock_until)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(failures)
}

pub async fn clear_failed_logins(conn: &mut Conn, id: UserId) -> StoreResult<()> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// --- grants -------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GrantRow {
    pub id: GrantId,
    pub user_id: UserId,
    pub role: Role,
    pub partnership_id: PartnershipId,
    pub organisation_id: Option<OrganisationId>,
    pub body_id: Option<BodyId>,
    /// The organisation's or body's name, for display.
    pub scope_name: Option<String>,
    pub granted_at: String,
}

impl GrantRow {
    pub fn grant(&self) -> Grant {
        let scope = match (self.organisation_id, self.body_id) {
            (Some(o), _) => Scope::Organisation(self.partnership_id, o),
            (None, Some(b)) => Scope::Body(self.partnership_id, b),
            (None, None) => Scope::Partnership(self.partnership_id),
        };
        Grant { role: self.role, scope }
    }
}

fn scope_key(scope: Scope) -> String {
    match scope {
        Scope::Partnership(p) => format!("p{p}"),
        Scope::Organisation(p, o) => format!("p{p}/o{o}"),
        Scope::Body(p, b) => format!("p{p}/b{b}"),
    }
}

pub async fn grants(conn: &mut Conn, user: UserId) -> StoreResult<Vec<GrantRow>> {
    let rows = sqlx::query(
        "SELECT g.id, g.user_id, g.role, g.partnership_id, g.organisation_id, g.body_id, \
         COALESCE(o.name, b.name) AS scope_name, g.granted_at FROM role_grants g \
         LEFT JOIN organisations o ON o.id = g.organisation_id LEFT JOIN bodies b ON b.id = g.body_id \
         WHERE g.user_id = $1 ORDER BY g.partnership_id, g.role",
    )
    .bind(user.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok(GrantRow {
                id: GrantId(r.try_get("id")?),
                user_id: UserId(r.try_get("user_id")?),
                role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role: {role}")))?,
                partnership_id: PartnershipId(r.try_get("partnership_id")?),
                organisation_id: r.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
                body_id: r.try_get::<Option<i64>, _>("body_id")?.map(BodyId),
                scope_name: r.try_get("scope_name")?,
                granted_at: r.try_get("granted_at")?,
            })
        })
        .collect()
}

pub async fn insert_grant(conn: &mut Conn, user: UserId, grant: Grant, by: Option<UserId>) -> StoreResult<GrantId> {
    let (organisation, body) = match grant.scope {
        Scope::Partnership(_) => (None, None),
        Scope::Organisation(_, o) => (Some(o.0), None),
        Scope::Body(_, b) => (None, Some(b.0)),
    };
    let id: i64 = sqlx::query(
        "INSERT INTO role_grants (user_id, role, partnership_id, organisation_id, body_id, scope_key, granted_by, granted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(user.0)
    .bind(grant.role.code())
    .bind(grant.scope.partnership().0)
    .bind(organisation)
    .bind(body)
    .bind(scope_key(grant.scope))
    .bind(by.map(|u| u.0))
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(GrantId(id))
}

pub async fn delete_grant(conn: &mut Conn, id: GrantId) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM role_grants WHERE id = $1").bind(id.0).execute(&mut *conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn second_factor_required_roles(conn: &mut Conn, partnership: PartnershipId) -> StoreResult<Vec<Role>> {
    let rows = sqlx::query("SELECT role FROM second_factor_required WHERE partnership_id = $1 ORDER BY role")
        .bind(partnership.0)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String, _>("role").ok().and_then(|c| Role::parse(&c))).collect())
}

pub async fn set_second_factor_required(
    conn: &mut Conn,
    partnership: PartnershipId,
    role: Role,
    required: bool,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM second_factor_required WHERE partnership_id = $1 AND role = $2")
        .bind(partnership.0)
        .bind(role.code())
        .execute(&mut *conn)
        .await?;
    if required {
        sqlx::query("INSERT INTO second_factor_required (partnership_id, role) VALUES ($1, $2)")
            .bind(partnership.0)
            .bind(role.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Does any of the user's grants carry a role whose partnership requires a second factor?
pub async fn user_requires_second_factor(conn: &mut Conn, user: UserId) -> StoreResult<bool> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM role_grants g JOIN second_factor_required s \
         ON s.partnership_id = g.partnership_id AND s.role = g.role WHERE g.user_id = $1",
    )
    .bind(user.0)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

// --- sessions -----------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: i64,
    pub user_id: UserId,
    pub csrf_token: String,
    pub partnership_id: Option<PartnershipId>,
    pub second_factor_pending: bool,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub csrf_token: &'a str,
    pub partnership_id: Option<PartnershipId>,
    pub second_factor_pending: bool,
    pub expires_at: &'a str,
}

pub async fn insert_session(conn: &mut Conn, new: NewSession<'_>) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, partnership_id, second_factor_pending, created_at, \
         last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(new.token_hash)
    .bind(new.user_id.0)
    .bind(new.csrf_token)
    .bind(new.partnership_id.map(|p| p.0))
    .bind(i64::from(new.second_factor_pending))
    .bind(&now)
    .bind(new.expires_at)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

fn session_from(r: &AnyRow) -> StoreResult<Session> {
    Ok(Session {
        id: r.try_get("id")?,
        user_id: UserId(r.try_get("user_id")?),
        csrf_token: r.try_get("csrf_token")?,
        partnership_id: r.try_get::<Option<i64>, _>("partnership_id")?.map(PartnershipId),
        second_factor_pending: flag(r, "second_factor_pending")?,
        created_at: r.try_get("created_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        expires_at: r.try_get("expires_at")?,
    })
}

/// Every generation counter, as columns of a session's or token's lookup (see [`Generations`]).
const GENERATIONS: &str = "(SELECT generation FROM accounts_generation WHERE id = 1) AS accounts_generation, \
    (SELECT generation FROM figures_generation WHERE id = 1) AS figures_generation, \
    (SELECT generation FROM reviews_generation WHERE id = 1) AS reviews_generation, \
    (SELECT generation FROM plan_generation WHERE id = 1) AS plan_generation, \
    (SELECT generation FROM audits_generation WHERE id = 1) AS audits_generation";

/// The generation counters that triggers raise in every transaction that writes what each kind
/// of kept data is made from (migrations 0021, 0022, 0024, 0025, 0026), as one statement read
/// them all: a request's session or token lookup reads them with the session, so that nothing
/// kept needs a statement of its own to know it is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generations {
    /// Users, grants, organisations, bodies and partnerships.
    pub accounts: i64,
    /// Every input of the dashboards.
    pub figures: i64,
    /// Reviews, their pauses and requests, organisations and closed days.
    pub reviews: i64,
    /// Actions, recommendations, reviews, review themes and bodies.
    pub plan: i64,
    /// Campaigns, assessments, answers, moderated scores, organisations and frameworks.
    pub audits: i64,
}

fn generations_from(r: &AnyRow) -> StoreResult<Generations> {
    Ok(Generations {
        accounts: r.try_get("accounts_generation")?,
        figures: r.try_get("figures_generation")?,
        reviews: r.try_get("reviews_generation")?,
        plan: r.try_get("plan_generation")?,
        audits: r.try_get("audits_generation")?,
    })
}

const SESSION_SELECT: &str = "SELECT id, user_id, csrf_token, partnership_id, second_factor_pending, created_at, \
    last_seen_at, expires_at";

pub async fn session_by_token_hash(conn: &mut Conn, token_hash: &str) -> StoreResult<Option<Session>> {
    Ok(session_and_generation(conn, token_hash).await?.map(|(s, _)| s))
}

/// The generation of accounts, grants, organisations, bodies and partnerships (migration 0022).
pub async fn accounts_generation(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT generation FROM accounts_generation WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?)
}

/// A session and, read in the same statement, every generation counter ([`Generations`]).
pub async fn session_and_generation(conn: &mut Conn, token_hash: &str) -> StoreResult<Option<(Session, Generations)>> {
    let row = sqlx::query(&format!("{SESSION_SELECT}, {GENERATIONS} FROM sessions WHERE token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((session_from(&r)?, generations_from(&r)?))).transpose()
}

pub async fn touch_session(conn: &mut Conn, id: i64, now: &str) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn set_session_partnership(conn: &mut Conn, id: i64, partnership: PartnershipId) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET partnership_id = $1 WHERE id = $2")
        .bind(partnership.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut Conn, id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn delete_sessions_of_user(conn: &mut Conn, user: UserId) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *conn).await?.rows_affected())
}

pub async fn delete_expired_sessions(conn: &mut Conn, now: &str, idle_before: &str) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(idle_before)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

// --- API tokens ---------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub label: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub async fn insert_token(conn: &mut Conn, user: UserId, token_hash: &str, label: &str) -> StoreResult<TokenId> {
    let id: i64 = sqlx::query(
        "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user.0)
    .bind(token_hash)
    .bind(label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(TokenId(id))
}

/// The live token with this hash (not revoked), and its user.
pub async fn token_by_hash(conn: &mut Conn, token_hash: &str) -> StoreResult<Option<ApiToken>> {
    Ok(token_and_generation(conn, token_hash).await?.map(|(t, _)| t))
}

/// An unrevoked API token and, in the same statement, every generation counter ([`Generations`]).
pub async fn token_and_generation(conn: &mut Conn, token_hash: &str) -> StoreResult<Option<(ApiToken, Generations)>> {
    let row = sqlx::query(&format!(
        "SELECT id, user_id, label, created_at, last_used_at, revoked_at, {GENERATIONS} FROM api_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL"
    ))
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let token = ApiToken {
            id: TokenId(r.try_get("id")?),
            user_id: UserId(r.try_get("user_id")?),
            label: r.try_get("label")?,
            created_at: r.try_get("created_at")?,
            last_used_at: r.try_get("last_used_at")?,
            revoked_at: r.try_get("revoked_at")?,
        };
        Ok((token, generations_from(&r)?))
    })
    .transpose()
}

pub async fn touch_token(conn: &mut Conn, id: TokenId) -> StoreResult<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now_text())
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn revoke_tokens_of_user(conn: &mut Conn, user: UserId) -> StoreResult<u64> {
    Ok(sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now_text())
        .bind(user.0)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

pub async fn clear_second_factor_pending(conn: &mut Conn, session_id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET second_factor_pending = 0 WHERE id = $1")
        .bind(session_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
