//! `assure user` and `assure token`: accounts, their roles and API tokens, from the console.

use anyhow::{Result, anyhow};

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account with its first role. The password is read from standard input when
    /// --password-stdin is given; otherwise a temporary one is printed.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator, business_unit, scrutineer, body_member, agency_lead or viewer.
        #[arg(long)]
        role: String,
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// Organisation id, for agency leads.
        #[arg(long)]
        organisation: Option<i64>,
        /// Body id, for body members.
        #[arg(long)]
        body: Option<i64>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts, one a line: email, name, status.
    List {
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Disable an account, ending its sessions and API tokens.
    Disable { email: String },
    /// Enable a disabled account.
    Enable { email: String },
    /// Set a new password (from standard input with --password-stdin, otherwise generated and printed).
    ResetPassword {
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account another role.
    Grant {
        email: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        partnership: String,
        #[arg(long)]
        organisation: Option<i64>,
        #[arg(long)]
        body: Option<i64>,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the token is printed once, alone on the last line.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "created with the assure CLI")]
        label: String,
    },
}
impl UserCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            UserCommand::Add { email, name, role, partnership, organisation, body, password_stdin } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let password = if password_stdin { read_password()? } else { String::new() };
                let input = NewUserInput {
                    email: email.clone(),
                    display_name: name,
                    role,
                    organisation_id: organisation.map(|o| o.to_string()).unwrap_or_default(),
                    body_id: body.map(|b| b.to_string()).unwrap_or_default(),
                    password,
                };
                let (_, generated) = core.create_user(&ctx, p, &input).await.map_err(explain)?;
                println!("Created {}", email.trim().to_lowercase());
                if let Some(password) = generated {
                    println!("Temporary password: {password}");
                }
            }
            UserCommand::List { partnership } => {
                let partnerships = match partnership {
                    Some(slug) => vec![partnership_id(&core, &ctx, &slug).await?],
                    None => ctx.actor.partnerships(),
                };
                let mut seen = std::collections::BTreeSet::new();
                for p in partnerships {
                    for u in core.users(&ctx, p).await.map_err(explain)? {
                        if seen.insert(u.id) {
                            let status = if u.disabled { "disabled" } else { "active" };
                            println!("{}\t{}\t{status}", u.email, u.display_name);
                        }
                    }
                }
            }
            UserCommand::Disable { email } => {
                let user = core
                    .user_by_email(&email)
                    .await
                    .map_err(|_| anyhow!("no account with the email address {email}"))?;
                core.set_user_disabled(&ctx, user.id, true).await.map_err(explain)?;
                println!("Disabled {email}");
            }
            UserCommand::Enable { email } => {
                let user = core
                    .user_by_email(&email)
                    .await
                    .map_err(|_| anyhow!("no account with the email address {email}"))?;
                core.set_user_disabled(&ctx, user.id, false).await.map_err(explain)?;
                println!("Enabled {email}");
            }
            UserCommand::ResetPassword { email, password_stdin } => {
                let user = core
                    .user_by_email(&email)
                    .await
                    .map_err(|_| anyhow!("no account with the email address {email}"))?;
                let password = if password_stdin { read_password()? } else { String::new() };
                let generated = core.reset_password(&ctx, user.id, &password).await.map_err(explain)?;
                println!("Password reset for {email}; their sessions have ended");
                if let Some(p) = generated {
                    println!("Temporary password: {p}");
                }
            }
            UserCommand::Grant { email, role, partnership, organisation, body } => {
                let user = core
                    .user_by_email(&email)
                    .await
                    .map_err(|_| anyhow!("no account with the email address {email}"))?;
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let input = GrantInput {
                    role,
                    organisation_id: organisation.map(|o| o.to_string()).unwrap_or_default(),
                    body_id: body.map(|b| b.to_string()).unwrap_or_default(),
                };
                core.grant_role(&ctx, p, user.id, &input).await.map_err(explain)?;
                println!("Granted");
            }
        }
        Ok(())
    }
}

impl TokenCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let TokenCommand::Create { user, label } = self;

        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        let found = core.user_by_email(&user).await.map_err(|_| anyhow!("no account with the email address {user}"))?;
        let token = core.create_token(&ctx, found.id, &label).await.map_err(explain)?;
        println!("API token for {} (shown once; store it safely):", found.email);
        println!("{token}");
        Ok(())
    }
}
