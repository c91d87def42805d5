//! The demo's accounts: one per role, as the README lists them.

use assure_domain::{BodyId, OrganisationId, PartnershipId};

use super::*;
use crate::accounts::{GrantInput, NewUserInput};
use crate::{Core, CoreResult};

impl Core {
    /// The demo's accounts, each with its role (and panels and roles elsewhere where the README
    /// says so), all with `password`, which the person running the demo keeps.
    pub(super) async fn load_demo_accounts(
        &self,
        ctx: &crate::Ctx,
        password: &str,
        [southend, essex, thurrock]: [PartnershipId; 3],
        s: &DemoStructure,
    ) -> CoreResult<()> {
        let (orgs, bodies, police_elsewhere) = (&s.orgs, &s.bodies, &s.police_elsewhere);
        for account in ACCOUNTS {
            let (partnership, org, body): (PartnershipId, Option<OrganisationId>, Option<BodyId>) = match account.email
            {
                "police.lead@example.org" => (southend, Some(lookup(orgs, "Essex Police")?), None),
                "cpr.member@example.org" => (southend, None, Some(lookup(bodies, "Child Practice Review")?)),
                "essex.manager@example.org" => (essex, None, None),
                _ => (southend, None, None),
            };
            let input = NewUserInput {
                email: account.email.into(),
                display_name: account.name.into(),
                role: account.role.into(),
                organisation_id: org.map(|o| o.to_string()).unwrap_or_default(),
                body_id: body.map(|b| b.to_string()).unwrap_or_default(),
                password: password.into(),
            };
            let (user, _) = self.create_user(ctx, partnership, &input).await?;
            // The demo prints its accounts' password for the person running it to use as is.
            let mut tx = self.store.write().await?;
            assure_store::accounts::keep_password(&mut tx, user).await?;
            tx.commit().await?;
            if account.email == "admin@example.org" {
                for p in [essex, thurrock] {
                    self.grant_role(ctx, p, user, &GrantInput { role: "administrator".into(), ..Default::default() })
                        .await?;
                }
            }
            if account.email == "cpr.member@example.org" || account.email == "police.lead@example.org" {
                // Panel members of the live children's reviews.
                let mut conn = self.store.read().await?;
                let reviews = assure_store::reviews::reviews(&mut conn, southend).await?;
                drop(conn);
                for r in reviews.iter().filter(|r| {
                    r.subject == "Child J" || (r.subject == "Child H" && account.email == "cpr.member@example.org")
                }) {
                    self.add_to_panel(ctx, r.id, account.email).await?;
                }
            }
            if account.email == "police.lead@example.org" {
                for (p, police) in police_elsewhere {
                    self.grant_role(
                        ctx,
                        *p,
                        user,
                        &GrantInput {
                            role: "agency_lead".into(),
                            organisation_id: police.to_string(),
                            body_id: String::new(),
                        },
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}
