//! Authentication: passwords (argon2id, hashed off the async runtime), sign-in with throttling
//! and lockout, server-side sessions with idle and absolute expiry, the optional TOTP second
//! factor, and API tokens. Session and API tokens are random and stored only as SHA-256 hashes.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, SaltString};
use assure_domain::password::recovery;
use assure_domain::{Actor, PartnershipId, UserId};
use assure_store::accounts::{self, Session, User};
use assure_store::{audit_log, now_text};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{Core, CoreError, CoreResult, Ctx};

/// Verified against when the account does not exist, so that a wrong e-mail costs the same
/// time as a wrong password. The password behind it was random and discarded.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$nkOLRxlO7HVagyfdQA5I5Q$xTdSMChtYDt9ExvxKZJNnfc0m7j/ekLZkGc8XzCRo/8";

thread_local! {
    /// Argon2's working memory (19 MiB at the default cost), kept by each hashing thread and
    /// reused: the hashing pool holds its threads times one block array, however many
    /// passwords are checked. (Allocated afresh per hash, the allocator kept several per thread.)
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The most memory a stored hash may ask for: four times the default cost.
const MAX_M_COST: u32 = 4 * argon2::Params::DEFAULT_M_COST;

fn internal(e: impl std::fmt::Display) -> CoreError {
    CoreError::Internal(e.to_string())
}

/// Runs argon2 with this thread's reused working memory.
fn argon2_into(argon: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> CoreResult<()> {
    BLOCKS.with_borrow_mut(|blocks| {
        let needed = argon.params().block_count();
        if blocks.len() < needed {
            blocks.resize(needed, argon2::Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut blocks[..needed]).map_err(internal)
    })
}

/// An argon2id hash of `password`, as a PHC string. Most of a core for a fraction of a second:
/// run it through [`Core`]'s bounded hashing pool, never on the async runtime.
fn argon2_hash(password: &str) -> CoreResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    let argon = Argon2::default();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(internal)?;
    let mut out = [0u8; argon2::Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon, password.as_bytes(), salt_bytes, &mut out)?;
    let phc = PasswordHash {
        algorithm: argon2::Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: argon2::password_hash::ParamsString::try_from(argon.params()).map_err(internal)?,
        salt: Some(salt.as_salt()),
        hash: Some(argon2::password_hash::Output::new(&out).map_err(internal)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash` (compared in constant time).
fn argon2_verify(password: &str, hash: &str) -> CoreResult<bool> {
    let parsed = PasswordHash::new(hash).map_err(internal)?;
    let params = argon2::Params::try_from(&parsed).map_err(internal)?;
    if params.m_cost() > MAX_M_COST {
        return Err(CoreError::Internal("a stored password hash asks for more memory than allowed".into()));
    }
    let algorithm = argon2::Algorithm::try_from(parsed.algorithm).map_err(internal)?;
    let version = parsed.version.map(argon2::Version::try_from).transpose().map_err(internal)?.unwrap_or_default();
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(CoreError::Internal("a stored password hash has no salt or hash".into()));
    };
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(internal)?;
    let mut out = vec![0u8; expected.len()];
    argon2_into(&Argon2::new(algorithm, version, params), password.as_bytes(), salt_bytes, &mut out)?;
    // `Output` compares in constant time.
    Ok(argon2::password_hash::Output::new(&out).map_err(internal)? == expected)
}

impl Core {
    /// Hashes a new password in the bounded hashing pool (busy: 503, never unbounded memory).
    pub(crate) async fn hash_password(&self, password: String) -> CoreResult<String> {
        self.hashing.run(move || argon2_hash(&password)).await?
    }

    pub(crate) async fn verify_password(&self, password: String, hash: String) -> CoreResult<bool> {
        self.hashing.run(move || argon2_verify(&password, &hash)).await?
    }
}

/// A random secret for a cookie, a CSRF token or an API token.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Counts failed attempts (a wrong password, a wrong code, an unknown link) per key (a client
/// address) in a fixed window, in memory. It slows down password spraying across many
/// accounts, which per-account lockout alone does not. Successful attempts are not counted, so
/// an office behind one address is not locked out by its own staff signing in.
pub struct AddressThrottle {
    limit: u32,
    window: chrono::Duration,
    seen: Mutex<HashMap<String, (DateTime<Utc>, u32)>>,
}

impl AddressThrottle {
    pub fn new(limit: u32, window: chrono::Duration) -> Self {
        AddressThrottle { limit, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Whether `key` has used up its window of failures: the seconds until it may try again.
    pub(crate) fn blocked(&self, key: &str) -> Option<u64> {
        let now = Utc::now();
        let Ok(seen) = self.seen.lock() else { return Some(self.window.num_seconds().max(1) as u64) };
        let (start, failures) = seen.get(key)?;
        let left = (*start + self.window - now).num_seconds();
        (*failures >= self.limit && left > 0).then_some(left.max(1) as u64)
    }

    /// Counts a failure against `key`.
    pub(crate) fn failed(&self, key: &str) {
        let now = Utc::now();
        let Ok(mut seen) = self.seen.lock() else { return };
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now - *start < self.window);
        }
        let entry = seen.entry(key.to_owned()).or_insert((now, 0));
        if now - entry.0 >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

/// A session that has just been created: the cookie value is shown once and never stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    /// The user must still give a TOTP code (or, if they have none, set one up) before
    /// anything else.
    pub second_factor: SecondFactor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    NotNeeded,
    Required,
    MustSetUp,
}

/// Users and their grants as last read, under the generation of accounts and grants (migration
/// 0022: users, grants, and the names of what grants are over raise it), which each session or
/// token lookup reads in the same statement: a revoked grant or a disabled account counts on the
/// next request.
pub type KnownUsers = crate::kept::Kept<UserId, (User, Actor)>;

/// A signed-in user, as resolved from a session cookie or an API token.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    pub actor: Actor,
    pub session: Option<Session>,
    /// The generation counters the lookup read (see [`Ctx::generations`]).
    pub generations: assure_store::accounts::Generations,
}

impl Authenticated {
    pub fn ctx(&self, ip: Option<String>, request_id: Option<String>) -> Ctx {
        Ctx {
            actor: self.actor.clone(),
            label: self.user.email.clone(),
            name: self.user.shown_name().to_owned(),
            ip,
            request_id,
            generations: Some(self.generations),
        }
    }

    /// The partnership the user is working in: the session's choice, else their first.
    pub fn partnership(&self) -> Option<PartnershipId> {
        let mine = self.actor.partnerships();
        self.session
            .as_ref()
            .and_then(|s| s.partnership_id)
            .filter(|p| mine.contains(p))
            .or_else(|| mine.first().copied())
    }
}

pub const SIGN_IN_FAILED: &str = "Enter a correct email address and password";

impl Core {
    pub(crate) async fn actor(&self, conn: &mut assure_store::Conn, user: UserId) -> CoreResult<Actor> {
        let grants = accounts::grants(conn, user).await?;
        Ok(Actor { user, grants: grants.iter().map(|g| g.grant()).collect() })
    }

    async fn log(&self, entry: audit_log::NewEntry) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Signs in with e-mail and password. Every failure looks the same to the caller.
    pub async fn sign_in(&self, email: &str, password: &str, ip: Option<String>) -> CoreResult<NewSession> {
        let address = ip.clone().unwrap_or_else(|| "unknown".into());
        let email = email.trim().to_lowercase();
        let failure = |reason: &str, user: Option<&User>| audit_log::NewEntry {
            actor_user_id: user.map(|u| u.id.0),
            actor_label: if user.is_some() { email.clone() } else { "unknown account".into() },
            action: "sign_in_failed".into(),
            record_type: "user".into(),
            record_id: user.map(|u| u.id.to_string()),
            ip: ip.clone(),
            detail: json!({ "reason": reason }),
            ..Default::default()
        };
        if let Some(retry_after) = self.throttle.blocked(&address) {
            self.log(failure("too many attempts from this address", None)).await?;
            return Err(CoreError::Throttled { retry_after });
        }
        let user = {
            let mut conn = self.store.read().await?;
            accounts::user_by_email(&mut conn, &email).await?
        };
        let Some(user) = user else {
            self.verify_password(password.to_owned(), DUMMY_HASH.to_owned()).await?;
            self.throttle.failed(&address);
            self.log(failure("no such account", None)).await?;
            return Err(CoreError::Unauthenticated);
        };
        let now = Utc::now();
        let locked = user.locked_until.as_deref().is_some_and(|until| until > stamp(now).as_str());
        let matches = self.verify_password(password.to_owned(), user.password_hash.clone()).await?;
        if locked || user.disabled || !matches {
            self.throttle.failed(&address);
            let reason = if locked {
                "account locked"
            } else if user.disabled {
                "account disabled"
            } else {
                "wrong password"
            };
            let mut tx = self.store.write().await?;
            if !locked && !user.disabled {
                let until = stamp(now + self.settings.lockout_for);
                let failures =
                    accounts::record_failed_login(&mut tx, user.id, self.settings.lockout_after, &until).await?;
                if failures >= self.settings.lockout_after {
                    audit_log::append(&mut tx, failure("account locked after repeated failures", Some(&user))).await?;
                }
            }
            audit_log::append(&mut tx, failure(reason, Some(&user))).await?;
            tx.commit().await?;
            return Err(CoreError::Unauthenticated);
        }
        let mut tx = self.store.write().await?;
        accounts::clear_failed_logins(&mut tx, user.id).await?;
        let second_factor = if user.totp_enabled {
            SecondFactor::Required
        } else if accounts::user_requires_second_factor(&mut tx, user.id).await? {
            SecondFactor::MustSetUp
        } else {
            SecondFactor::NotNeeded
        };
        let actor = self.actor(&mut tx, user.id).await?;
        let token = random_token(32);
        let csrf_token = random_token(32);
        accounts::insert_session(
            &mut tx,
            accounts::NewSession {
                token_hash: &token_hash(&token),
                user_id: user.id,
                csrf_token: &csrf_token,
                partnership_id: actor.partnerships().first().copied(),
                second_factor_pending: second_factor != SecondFactor::NotNeeded,
                expires_at: &stamp(now + self.settings.session_absolute),
            },
        )
        .await?;
        audit_log::append(
            &mut tx,
            audit_log::NewEntry {
                actor_user_id: Some(user.id.0),
                actor_label: user.email.clone(),
                action: "sign_in".into(),
                record_type: "user".into(),
                record_id: Some(user.id.to_string()),
                ip,
                detail: json!({ "second_factor": format!("{second_factor:?}") }),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(NewSession { token, csrf_token, second_factor })
    }

    /// Resolves a session cookie. Expired (idle or absolute) sessions are deleted and refused.
    pub async fn session(&self, token: &str) -> CoreResult<Option<Authenticated>> {
        let hash = token_hash(token);
        let mut conn = self.store.read().await?;
        let Some((session, generation)) = accounts::session_and_generation(&mut conn, &hash).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        let now_s = stamp(now);
        let idle_limit = stamp(now - self.settings.session_idle);
        if session.expires_at <= now_s || session.last_seen_at <= idle_limit {
            drop(conn);
            let mut tx = self.store.write().await?;
            accounts::delete_session(&mut tx, session.id).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let (user, actor) = self.who(&mut conn, session.user_id, generation.accounts).await?;
        drop(conn);
        if user.disabled {
            return Ok(None);
        }
        // Refresh the idle clock at most once a minute, so that reads stay reads.
        if session.last_seen_at < stamp(now - chrono::Duration::minutes(1)) {
            let mut conn = self.store.read().await?;
            accounts::touch_session(&mut conn, session.id, &now_s).await?;
        }
        Ok(Some(Authenticated { user, actor, session: Some(session), generations: generation }))
    }

    /// Resolves an API bearer token.
    pub async fn api_token(&self, token: &str) -> CoreResult<Option<Authenticated>> {
        let mut conn = self.store.read().await?;
        let Some((found, generation)) = accounts::token_and_generation(&mut conn, &token_hash(token)).await? else {
            return Ok(None);
        };
        let (user, actor) = self.who(&mut conn, found.user_id, generation.accounts).await?;
        if user.disabled {
            return Ok(None);
        }
        // Note its use at most once a minute, so that reads stay reads.
        let stale = stamp(Utc::now() - chrono::Duration::minutes(1));
        if found.last_used_at.as_deref().is_none_or(|used| used < stale.as_str()) {
            accounts::touch_token(&mut conn, found.id).await?;
        }
        Ok(Some(Authenticated { user, actor, session: None, generations: generation }))
    }

    /// The user and what they may do, as of `generation` of accounts and grants: from
    /// [`KnownUsers`] when nothing has changed since they were read, else read now.
    pub(crate) async fn who(
        &self,
        conn: &mut assure_store::Conn,
        user: UserId,
        generation: i64,
    ) -> CoreResult<(User, Actor)> {
        if let Some(known) = self.known_users.get(&user, generation) {
            return Ok((*known).clone());
        }
        let found = accounts::user(conn, user).await?;
        let actor = self.actor(conn, user).await?;
        Ok((*self.known_users.put(user, generation, (found, actor))).clone())
    }

    pub async fn sign_out(&self, auth: &Authenticated, ip: Option<String>) -> CoreResult<()> {
        let Some(session) = &auth.session else { return Ok(()) };
        let mut tx = self.store.write().await?;
        accounts::delete_session(&mut tx, session.id).await?;
        audit_log::append(
            &mut tx,
            auth.ctx(ip, None).entry("sign_out", "user", Some(auth.user.id.to_string()), None, json!({})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of the user, on every device, and revokes nothing else.
    pub async fn sign_out_everywhere(&self, auth: &Authenticated, ip: Option<String>) -> CoreResult<u64> {
        let mut tx = self.store.write().await?;
        let n = accounts::delete_sessions_of_user(&mut tx, auth.user.id).await?;
        audit_log::append(
            &mut tx,
            auth.ctx(ip, None).entry(
                "sign_out_everywhere",
                "user",
                Some(auth.user.id.to_string()),
                None,
                json!({"sessions": n}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    pub async fn switch_partnership(&self, auth: &Authenticated, partnership: PartnershipId) -> CoreResult<()> {
        let Some(session) = &auth.session else { return Err(CoreError::Unauthenticated) };
        if !auth.actor.partnerships().contains(&partnership) {
            return Err(CoreError::NotFound);
        }
        let mut conn = self.store.read().await?;
        accounts::set_session_partnership(&mut conn, session.id, partnership).await?;
        Ok(())
    }

    /// Checks a TOTP code for a session waiting on its second factor.
    pub async fn verify_second_factor(&self, auth: &Authenticated, code: &str, ip: Option<String>) -> CoreResult<()> {
        let Some(session) = &auth.session else { return Err(CoreError::Unauthenticated) };
        let secret =
            auth.user.totp_secret.clone().filter(|_| auth.user.totp_enabled).ok_or(CoreError::Unauthenticated)?;
        let key = format!("totp:{}", auth.user.id);
        if let Some(retry_after) = self.throttle.blocked(&key) {
            return Err(CoreError::Throttled { retry_after });
        }
        let recovery = recovery::normalise(code);
        let step = matching_step(&totp(&secret, &auth.user.email)?, code);
        let mut tx = self.store.write().await?;
        // A code is accepted once: a second browser replaying it within its 30 seconds fails,
        // and a recovery code is spent when it is used.
        let ok = match (&recovery, step) {
            (Some(r), _) => accounts::use_recovery_code(&mut tx, auth.user.id, &recovery_hash(r)).await?,
            (None, Some(step)) => accounts::accept_totp_step(&mut tx, auth.user.id, step).await?,
            (None, None) => false,
        };
        if !ok {
            self.throttle.failed(&key);
        }
        let ctx = auth.ctx(ip, None);
        if ok {
            accounts::clear_second_factor_pending(&mut tx, session.id).await?;
            let detail = match recovery {
                Some(_) => {
                    json!({"with": "recovery code", "left": accounts::recovery_codes_left(&mut tx, auth.user.id).await?})
                }
                None => json!({}),
            };
            audit_log::append(
                &mut tx,
                ctx.entry("second_factor", "user", Some(auth.user.id.to_string()), None, detail),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        } else {
            audit_log::append(
                &mut tx,
                ctx.entry("second_factor_failed", "user", Some(auth.user.id.to_string()), None, json!({})),
            )
            .await?;
            tx.commit().await?;
            Err(CoreError::field(
                "code",
                if recovery.is_some() {
                    "That recovery code is not one of yours or has been used: each works once"
                } else if step.is_some() {
                    "This code has already been used: wait for the next code in your authenticator app"
                } else {
                    "Enter the 6-digit code shown in your authenticator app, or one of your recovery codes"
                },
            ))
        }
    }

    /// Starts TOTP set-up: a new secret, not yet active. Returns the secret (base32) and its otpauth URI.
    pub async fn begin_totp_setup(&self, auth: &Authenticated) -> CoreResult<(String, String)> {
        // Replacing a working authenticator from a session alone would let whoever holds the
        // session turn the second factor off; an administrator resets it instead.
        if auth.user.totp_enabled {
            return Err(CoreError::field(
                "code",
                "Two-step sign-in is already on. Ask an administrator to reset it if you have lost your authenticator",
            ));
        }
        let secret = totp_rs::Secret::generate_secret().to_encoded().to_string();
        let t = totp(&secret, &auth.user.email)?;
        let mut conn = self.store.read().await?;
        accounts::set_totp(&mut conn, auth.user.id, Some(&secret), false).await?;
        Ok((secret, t.get_url()))
    }

    /// Confirms TOTP set-up with a first code; from then on sign-in asks for a code.
    /// Returns the new recovery codes, to be shown once.
    pub async fn confirm_totp_setup(
        &self,
        auth: &Authenticated,
        code: &str,
        ip: Option<String>,
    ) -> CoreResult<Vec<String>> {
        let mut conn = self.store.read().await?;
        let user = accounts::user(&mut conn, auth.user.id).await?;
        drop(conn);
        let secret =
            user.totp_secret.ok_or_else(|| CoreError::field("code", "Start setting up the authenticator again"))?;
        let Some(step) = matching_step(&totp(&secret, &user.email)?, code) else {
            return Err(CoreError::field("code", "Enter the 6-digit code shown in your authenticator app"));
        };
        let mut tx = self.store.write().await?;
        accounts::set_totp(&mut tx, user.id, Some(&secret), true).await?;
        // The code that turned two-step sign-in on cannot sign in again.
        accounts::accept_totp_step(&mut tx, user.id, step).await?;
        if let Some(session) = &auth.session {
            accounts::clear_second_factor_pending(&mut tx, session.id).await?;
        }
        let codes = new_recovery_codes();
        accounts::replace_recovery_codes(&mut tx, user.id, &codes.iter().map(|c| recovery_hash(c)).collect::<Vec<_>>())
            .await?;
        audit_log::append(
            &mut tx,
            auth.ctx(ip, None).entry(
                "totp_enabled",
                "user",
                Some(user.id.to_string()),
                None,
                json!({"recovery_codes": codes.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(codes.iter().map(|c| recovery::shown(c)).collect())
    }

    /// Replaces the signed-in user's recovery codes (the old ones stop working), on a current
    /// code from their authenticator: a session alone cannot. Returns the new codes, to be shown
    /// once.
    pub async fn replace_recovery_codes(
        &self,
        auth: &Authenticated,
        code: &str,
        ip: Option<String>,
    ) -> CoreResult<Vec<String>> {
        let secret =
            auth.user.totp_secret.clone().filter(|_| auth.user.totp_enabled).ok_or_else(|| {
                CoreError::field("code", "Turn on two-step sign-in first: recovery codes come with it")
            })?;
        let key = format!("totp:{}", auth.user.id);
        if let Some(retry_after) = self.throttle.blocked(&key) {
            return Err(CoreError::Throttled { retry_after });
        }
        let mut tx = self.store.write().await?;
        let accepted = match matching_step(&totp(&secret, &auth.user.email)?, code) {
            Some(step) => accounts::accept_totp_step(&mut tx, auth.user.id, step).await?,
            None => false,
        };
        if !accepted {
            self.throttle.failed(&key);
            return Err(CoreError::field("code", "Enter the 6-digit code shown in your authenticator app now"));
        }
        let codes = new_recovery_codes();
        accounts::replace_recovery_codes(
            &mut tx,
            auth.user.id,
            &codes.iter().map(|c| recovery_hash(c)).collect::<Vec<_>>(),
        )
        .await?;
        audit_log::append(
            &mut tx,
            auth.ctx(ip, None).entry(
                "recovery_codes_replaced",
                "user",
                Some(auth.user.id.to_string()),
                None,
                json!({"recovery_codes": codes.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(codes.iter().map(|c| recovery::shown(c)).collect())
    }

    /// How many of the signed-in user's recovery codes are unused.
    pub async fn recovery_codes_left(&self, auth: &Authenticated) -> CoreResult<i64> {
        let mut conn = self.store.read().await?;
        Ok(accounts::recovery_codes_left(&mut conn, auth.user.id).await?)
    }

    /// Changes the signed-in user's own password, checking the current one first.
    pub async fn change_own_password(
        &self,
        auth: &Authenticated,
        current: &str,
        new: &str,
        ip: Option<String>,
    ) -> CoreResult<()> {
        if !self.verify_password(current.to_owned(), auth.user.password_hash.clone()).await? {
            return Err(CoreError::field("current_password", "Enter your current password correctly"));
        }
        assure_domain::password::check_new_password(new, &auth.user.email)
            .map_err(|m| CoreError::field("new_password", m))?;
        if constant_time_eq(current, new) {
            return Err(CoreError::field("new_password", "Choose a new password, different from the current one"));
        }
        let hash = self.hash_password(new.to_owned()).await?;
        let mut tx = self.store.write().await?;
        accounts::set_password(&mut tx, auth.user.id, &hash, true).await?;
        audit_log::append(
            &mut tx,
            auth.ctx(ip, None).entry("password_changed", "user", Some(auth.user.id.to_string()), None, json!({})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes sessions past their idle or absolute limit; the server runs this periodically.
    pub async fn purge_expired_sessions(&self) -> CoreResult<u64> {
        let now = Utc::now();
        let mut conn = self.store.read().await?;
        Ok(accounts::delete_expired_sessions(&mut conn, &now_text(), &stamp(now - self.settings.session_idle)).await?)
    }
}

/// The 30-second time step whose code `code` is, allowing one step of clock skew either way.
fn matching_step(totp: &totp_rs::TOTP, code: &str) -> Option<i64> {
    let code = code.trim();
    let now = Utc::now().timestamp();
    [now - 30, now, now + 30]
        .into_iter()
        .filter(|t| *t >= 0)
        .find(|t| constant_time_eq(&totp.generate(*t as u64), code))
        .map(|t| t / 30)
}

pub fn totp(secret_base32: &str, account: &str) -> CoreResult<totp_rs::TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|e| CoreError::Internal(format!("{e:?}")))?;
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, Some("Assure".into()), account.to_owned())
        .map_err(|e| CoreError::Internal(e.to_string()))
}

/// New recovery codes, as 16 characters each from the operating system's random source.
fn new_recovery_codes() -> Vec<String> {
    use argon2::password_hash::rand_core::RngCore;
    (0..recovery::COUNT)
        .map(|_| {
            (0..recovery::LENGTH)
                .map(|_| {
                    // Rejection sampling: every letter equally likely.
                    let n = recovery::ALPHABET.len() as u32;
                    loop {
                        let x = OsRng.next_u32() & 31;
                        if x < n {
                            break char::from(recovery::ALPHABET[x as usize]);
                        }
                    }
                })
                .collect()
        })
        .collect()
}

/// A recovery code (normalised) as it is stored: its SHA-256 in hex, as a session token is.
fn recovery_hash(code: &str) -> String {
    token_hash(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }

    #[test]
    fn throttle_blocks_after_its_limit_of_failures_per_address_and_says_for_how_long() {
        let t = AddressThrottle::new(2, chrono::Duration::minutes(5));
        assert_eq!(t.blocked("1.2.3.4"), None);
        t.failed("1.2.3.4");
        assert_eq!(t.blocked("1.2.3.4"), None);
        t.failed("1.2.3.4");
        let wait = t.blocked("1.2.3.4").expect("blocked after two failures");
        assert!((290..=300).contains(&wait), "{wait}");
        assert_eq!(t.blocked("5.6.7.8"), None);
    }

    #[test]
    fn dummy_hash_is_a_valid_argon2id_hash_that_matches_nothing_typed() {
        assert!(!argon2_verify("password", DUMMY_HASH).unwrap_or(true));
    }

    #[test]
    fn a_hash_verifies_its_password_only_and_reads_as_standard_argon2id() {
        let hash = argon2_hash("lighthouse pebble orchard").expect("hashed");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(argon2_verify("lighthouse pebble orchard", &hash).expect("verified"));
        assert!(!argon2_verify("lighthouse pebble orchid", &hash).expect("verified"));
        // The same check as the argon2 crate's own verifier makes.
        use argon2::password_hash::PasswordVerifier;
        let parsed = PasswordHash::new(&hash).expect("parsed");
        assert!(Argon2::default().verify_password(b"lighthouse pebble orchard", &parsed).is_ok());
    }
}
