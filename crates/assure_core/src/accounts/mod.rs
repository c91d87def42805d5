//! Account administration: creating users with their first role, granting and revoking roles,
//! disabling accounts, resetting passwords, requiring a second factor for a role, API tokens.

pub mod auth;

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::accounts::{GrantRow, User};

use assure_domain::authz::{Grant, ResourceKind, Role, Scope, ScopeKind};
use assure_domain::validation::{self, optional_id};
use assure_domain::{Action, BodyId, FieldErrors, GrantId, OrganisationId, PartnershipId, Target, UserId};
use assure_store::accounts;
use assure_store::structure as st;
use assure_store::{StoreError, audit_log};
use serde::Deserialize;
use serde_json::json;

use crate::accounts::auth::{random_token, token_hash};
use crate::{Core, CoreError, CoreResult, Ctx};

/// A new account and its first role, as a form or the CLI sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewUserInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub body_id: String,
    /// Empty: Assure generates a temporary password and shows it once.
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct GrantInput {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub body_id: String,
}

/// A user as an administrator sees them, with their roles in the partnership and what the
/// actor may change.
#[derive(Debug, Clone)]
pub struct UserDetail {
    pub user: User,
    pub grants: Vec<GrantRow>,
    /// The actor may disable the account, reset its password or second factor.
    pub manageable: bool,
    /// The roles (of `grants`) the actor may take away.
    pub revocable: Vec<GrantId>,
    /// The actor may give this account roles (it is not their own).
    pub grantable: bool,
}

impl UserDetail {
    pub fn revocable(&self, grant: &GrantId) -> bool {
        self.revocable.contains(grant)
    }
}

fn user_target(p: PartnershipId) -> Target {
    Target::new(ResourceKind::User, p)
}

impl Core {
    /// Checks a grant request against the partnership (the scope it names must exist there) and
    /// against the actor: nobody grants a role they do not hold, or anything to themselves.
    /// `to` is the account receiving it (`None`: one being created).
    async fn resolve_grant(
        &self,
        ctx: &Ctx,
        partnership: PartnershipId,
        to: Option<UserId>,
        input: &GrantInput,
        errors: &mut FieldErrors,
    ) -> CoreResult<Option<Grant>> {
        let role = match Role::parse(input.role.trim()) {
            Some(r) => Some(r),
            None => {
                errors.add(
                    "role",
                    if input.role.trim().is_empty() { "Select a role" } else { "Select a role from the list" },
                );
                None
            }
        };
        let org = errors.check("organisation_id", optional_id("the organisation", &input.organisation_id)).flatten();
        let body = errors.check("body_id", optional_id("the body", &input.body_id)).flatten();
        let Some(role) = role else { return Ok(None) };
        if to.is_some() && to == ctx.user_id() {
            errors.add("role", "You cannot give yourself a role: ask an administrator");
            return Ok(None);
        }
        // Scope aside, may the actor pass this role on at all?
        let probe = Grant { role, scope: Scope::Partnership(partnership) };
        if !assure_domain::authz::may_grant(&ctx.actor, to, &probe) {
            errors.add(
                "role",
                format!("Only an administrator can give the role {}: you can give only roles you hold", role.label()),
            );
            return Ok(None);
        }
        let mut conn = self.store.read().await?;
        let scope = match role.scope_kind() {
            ScopeKind::Partnership => Some(Scope::Partnership(partnership)),
            ScopeKind::Organisation => match org {
                None => {
                    errors.add("organisation_id", "Select the organisation this agency lead acts for");
                    None
                }
                Some(o) => match st::organisation(&mut conn, OrganisationId(o)).await {
                    Ok(found) if found.partnership_id == partnership => {
                        Some(Scope::Organisation(partnership, found.id))
                    }
                    Ok(_) | Err(StoreError::NotFound) => {
                        errors.add("organisation_id", "Select an organisation from the list");
                        None
                    }
                    Err(e) => return Err(e.into()),
                },
            },
            ScopeKind::Body => match body {
                None => {
                    errors.add("body_id", "Select the body this person is a member of");
                    None
                }
                Some(b) => match st::body(&mut conn, BodyId(b)).await {
                    Ok(found) if found.partnership_id == partnership => Some(Scope::Body(partnership, found.id)),
                    Ok(_) | Err(StoreError::NotFound) => {
                        errors.add("body_id", "Select a body from the list");
                        None
                    }
                    Err(e) => return Err(e.into()),
                },
            },
        };
        Ok(scope.map(|scope| Grant { role, scope }))
    }

    /// Creates an account with its first role in `partnership`. Returns the new user's id and,
    /// when none was given, the temporary password to pass on (shown once, never stored).
    pub async fn create_user(
        &self,
        ctx: &Ctx,
        partnership: PartnershipId,
        input: &NewUserInput,
    ) -> CoreResult<(UserId, Option<String>)> {
        ctx.authorize(Action::Create, &user_target(partnership))?;
        let mut errors = FieldErrors::new();
        let email = errors.check("email", validation::email(&input.email));
        let name =
            errors.check("display_name", validation::required_text("the person's name", &input.display_name, 200));
        let grant_input = GrantInput {
            role: input.role.clone(),
            organisation_id: input.organisation_id.clone(),
            body_id: input.body_id.clone(),
        };
        let grant = self.resolve_grant(ctx, partnership, None, &grant_input, &mut errors).await?;
        let generated = input.password.is_empty();
        let password = if generated { temporary_password() } else { input.password.clone() };
        if let Some(email) = &email
            && let Err(m) = assure_domain::password::check_new_password(&password, email)
        {
            errors.add("password", m);
        }
        let (Some(email), Some(name), Some(grant)) = (email, name, grant) else { return Err(errors.into()) };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = self.hash_password(password.clone()).await?;
        let mut tx = self.store.write().await?;
        let id = match accounts::insert_user(&mut tx, &email, &name, &hash).await {
            Ok(id) => id,
            Err(e) if e.is_unique_violation() => {
                return Err(CoreError::field("email", "An account with this email address already exists"));
            }
            Err(e) => return Err(e.into()),
        };
        accounts::insert_grant(&mut tx, id, grant, ctx.user_id()).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "user",
                Some(id.to_string()),
                Some(partnership),
                json!({"email": email, "display_name": name, "role": grant.role.code(), "scope": format!("{:?}", grant.scope)}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((id, generated.then_some(password)))
    }

    pub async fn users(&self, ctx: &Ctx, partnership: PartnershipId) -> CoreResult<Vec<User>> {
        ctx.authorize(Action::View, &user_target(partnership))?;
        let mut conn = self.store.read().await?;
        Ok(accounts::users(&mut conn, Some(partnership)).await?)
    }

    /// A user and the grants the actor may see (those in partnerships where they can view users).
    pub async fn user_detail(&self, ctx: &Ctx, id: UserId) -> CoreResult<UserDetail> {
        let mut conn = self.store.read().await?;
        let user = accounts::user(&mut conn, id).await?;
        let grants = accounts::grants(&mut conn, id).await?;
        let held: Vec<Grant> = grants.iter().map(GrantRow::grant).collect();
        let manageable = assure_domain::authz::may_manage_account(&ctx.actor, id, &held);
        let visible: Vec<GrantRow> = grants
            .into_iter()
            .filter(|g| assure_domain::can(&ctx.actor, Action::View, &user_target(g.partnership_id)))
            .collect();
        if visible.is_empty() {
            return Err(CoreError::NotFound);
        }
        let revocable = visible
            .iter()
            .filter(|g| assure_domain::authz::may_grant(&ctx.actor, Some(id), &g.grant()))
            .map(|g| g.id)
            .collect();
        let grantable = !self.grantable_roles(ctx, visible[0].partnership_id).is_empty() && ctx.user_id() != Some(id);
        Ok(UserDetail { user, grants: visible, manageable, revocable, grantable })
    }

    /// The roles the actor may give in `partnership` (to someone else).
    pub fn grantable_roles(&self, ctx: &Ctx, partnership: PartnershipId) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|role| {
                let grant = Grant { role: *role, scope: Scope::Partnership(partnership) };
                assure_domain::authz::may_grant(&ctx.actor, None, &grant)
            })
            .collect()
    }

    /// Changes to a whole account (disable, reset password or second factor, an API token for
    /// it) need the right in every partnership the account works in, so one partnership cannot
    /// lock another's staff out, and a role covering every role the account holds, so only
    /// administrators manage administrators' and scrutineers' accounts. Nobody changes their
    /// own account this way (they use their account page).
    async fn authorize_account_change(&self, ctx: &Ctx, id: UserId) -> CoreResult<Vec<PartnershipId>> {
        let detail = self.user_detail(ctx, id).await?;
        let mut conn = self.store.read().await?;
        let grants = accounts::grants(&mut conn, detail.user.id).await?;
        drop(conn);
        let mut partnerships: Vec<PartnershipId> = grants.iter().map(|g| g.partnership_id).collect();
        partnerships.sort();
        partnerships.dedup();
        // The account is visible (else `user_detail` said not found): a refusal is "forbidden".
        let held: Vec<Grant> = grants.iter().map(GrantRow::grant).collect();
        if !assure_domain::authz::may_manage_account(&ctx.actor, id, &held) {
            return Err(CoreError::Forbidden);
        }
        Ok(partnerships)
    }

    pub async fn set_user_disabled(&self, ctx: &Ctx, id: UserId, disabled: bool) -> CoreResult<()> {
        let partnerships = self.authorize_account_change(ctx, id).await?;
        if Some(id) == ctx.user_id() && disabled {
            return Err(CoreError::field("disabled", "You cannot disable your own account"));
        }
        let mut tx = self.store.write().await?;
        accounts::set_disabled(&mut tx, id, disabled).await?;
        if disabled {
            accounts::delete_sessions_of_user(&mut tx, id).await?;
            accounts::revoke_tokens_of_user(&mut tx, id).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                if disabled { "disable" } else { "enable" },
                "user",
                Some(id.to_string()),
                partnerships.first().copied(),
                json!({}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password (a generated one when `password` is empty, returned once) and ends the
    /// user's sessions.
    pub async fn reset_password(&self, ctx: &Ctx, id: UserId, password: &str) -> CoreResult<Option<String>> {
        let partnerships = self.authorize_account_change(ctx, id).await?;
        let mut conn = self.store.read().await?;
        let user = accounts::user(&mut conn, id).await?;
        drop(conn);
        let generated = password.is_empty();
        let password = if generated { temporary_password() } else { password.to_owned() };
        assure_domain::password::check_new_password(&password, &user.email)
            .map_err(|m| CoreError::field("password", m))?;
        let hash = self.hash_password(password.clone()).await?;
        let mut tx = self.store.write().await?;
        accounts::set_password(&mut tx, id, &hash, false).await?;
        accounts::delete_sessions_of_user(&mut tx, id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("reset_password", "user", Some(id.to_string()), partnerships.first().copied(), json!({})),
        )
        .await?;
        tx.commit().await?;
        Ok(generated.then_some(password))
    }

    pub async fn grant_role(
        &self,
        ctx: &Ctx,
        partnership: PartnershipId,
        id: UserId,
        input: &GrantInput,
    ) -> CoreResult<GrantId> {
        ctx.authorize(Action::Administer, &user_target(partnership))?;
        let mut conn = self.store.read().await?;
        accounts::user(&mut conn, id).await?;
        drop(conn);
        let mut errors = FieldErrors::new();
        let grant = self.resolve_grant(ctx, partnership, Some(id), input, &mut errors).await?;
        let Some(grant) = grant.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
        // The scope is resolved now; check the whole grant as it will be written.
        if !assure_domain::authz::may_grant(&ctx.actor, Some(id), &grant) {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.store.write().await?;
        let gid = match accounts::insert_grant(&mut tx, id, grant, ctx.user_id()).await {
            Ok(g) => g,
            Err(e) if e.is_unique_violation() => {
                return Err(CoreError::field("role", "The user already has this role"));
            }
            Err(e) => return Err(e.into()),
        };
        audit_log::append(
            &mut tx,
            ctx.entry(
                "grant",
                "user",
                Some(id.to_string()),
                Some(partnership),
                json!({"role": grant.role.code(), "scope": format!("{:?}", grant.scope)}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(gid)
    }

    pub async fn revoke_grant(&self, ctx: &Ctx, user: UserId, grant: GrantId) -> CoreResult<()> {
        let mut conn = self.store.read().await?;
        let grants = accounts::grants(&mut conn, user).await?;
        drop(conn);
        let found = grants.iter().find(|g| g.id == grant).ok_or(CoreError::NotFound)?;
        ctx.authorize(Action::Administer, &user_target(found.partnership_id))?;
        // Taking a role away is as strong as giving it: only someone who could grant it, and
        // never one's own.
        if !assure_domain::authz::may_grant(&ctx.actor, Some(user), &found.grant()) {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.store.write().await?;
        accounts::delete_grant(&mut tx, grant).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "revoke",
                "user",
                Some(user.to_string()),
                Some(found.partnership_id),
                json!({"role": found.role.code()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn second_factor_roles(&self, ctx: &Ctx, partnership: PartnershipId) -> CoreResult<Vec<Role>> {
        ctx.authorize(Action::View, &user_target(partnership))?;
        let mut conn = self.store.read().await?;
        Ok(accounts::second_factor_required_roles(&mut conn, partnership).await?)
    }

    /// Requires (or stops requiring) a second factor of everyone holding `role` here. Only an
    /// administrator may change this.
    pub async fn require_second_factor(
        &self,
        ctx: &Ctx,
        partnership: PartnershipId,
        role: Role,
        required: bool,
    ) -> CoreResult<()> {
        ctx.authorize(Action::Administer, &Target::new(ResourceKind::Partnership, partnership))?;
        let mut tx = self.store.write().await?;
        accounts::set_second_factor_required(&mut tx, partnership, role, required).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "second_factor_policy",
                "partnership",
                Some(partnership.to_string()),
                Some(partnership),
                json!({"role": role.code(), "required": required}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token for `user` (oneself, or someone one administers). The token is
    /// returned once; only its hash is kept.
    pub async fn create_token(&self, ctx: &Ctx, user: UserId, label: &str) -> CoreResult<String> {
        if ctx.user_id() != Some(user) {
            self.authorize_account_change(ctx, user).await?;
        }
        let label =
            validation::required_text("a label for the token", label, 100).map_err(|m| CoreError::field("label", m))?;
        let token = format!("assure_{}", random_token(32));
        let mut tx = self.store.write().await?;
        accounts::user(&mut tx, user).await?;
        let id = accounts::insert_token(&mut tx, user, &token_hash(&token), &label).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("create_token", "user", Some(user.to_string()), None, json!({"token_id": id.0, "label": label})),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The signed-in user's own roles.
    pub async fn own_grants(&self, ctx: &Ctx) -> CoreResult<Vec<GrantRow>> {
        let Some(user) = ctx.user_id() else { return Ok(Vec::new()) };
        let mut conn = self.store.read().await?;
        Ok(accounts::grants(&mut conn, user).await?)
    }

    /// Turns off a user's two-step sign-in (a lost phone), ending their sessions. They set it up
    /// again at their next sign-in if their role requires it.
    pub async fn reset_second_factor(&self, ctx: &Ctx, id: UserId) -> CoreResult<()> {
        let partnerships = self.authorize_account_change(ctx, id).await?;
        let mut tx = self.store.write().await?;
        accounts::set_totp(&mut tx, id, None, false).await?;
        // The old authenticator's recovery codes go with it.
        accounts::replace_recovery_codes(&mut tx, id, &[]).await?;
        accounts::delete_sessions_of_user(&mut tx, id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("reset_second_factor", "user", Some(id.to_string()), partnerships.first().copied(), json!({})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &str) -> CoreResult<User> {
        let mut conn = self.store.read().await?;
        accounts::user_by_email(&mut conn, &email.trim().to_lowercase()).await?.ok_or(CoreError::NotFound)
    }

    /// The operator at the server's console (the CLI): administrator of every partnership, so
    /// that CLI commands pass through the same checks and audit as everyone else.
    pub async fn operator(&self) -> CoreResult<Ctx> {
        let mut conn = self.store.read().await?;
        let grants = st::partnerships(&mut conn)
            .await?
            .into_iter()
            .map(|p| Grant { role: Role::Administrator, scope: Scope::Partnership(p.id) })
            .collect();
        Ok(Ctx {
            actor: assure_domain::Actor { user: UserId(0), grants },
            label: "cli".into(),
            name: "the operator".into(),
            ip: None,
            request_id: None,
            generations: None,
        })
    }
}

/// Four random words' worth of entropy in a form people can type: 20 base64url characters.
fn temporary_password() -> String {
    random_token(15)
}

/// The active account with this e-mail address and a role in the partnership (an agenda item's,
/// a meeting action's or a risk's owner), or what is wrong with the address, in words for the form.
pub(crate) async fn account_in_partnership(
    conn: &mut assure_store::Conn,
    p: PartnershipId,
    email: &str,
) -> CoreResult<Result<UserId, &'static str>> {
    let Some(user) = assure_store::reminders::active_user_by_email(conn, email).await? else {
        return Ok(Err("There is no active account with that email address"));
    };
    let grants = assure_store::accounts::grants(conn, user.user_id).await?;
    Ok(if grants.iter().any(|g| g.partnership_id == p) {
        Ok(user.user_id)
    } else {
        Err("That account has no role in this partnership")
    })
}
