//! Use-cases for the partnership's structure: organisations, people, bodies, terms of
//! reference and memberships. Reads of restricted records are written to the audit log.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::structure::{Arm, Body, Counts, Membership, Organisation, Page, Partnership, Person, Terms};

use assure_domain::authz::ResourceKind as K;
use assure_domain::structure::{
    BodyInput, EndInput, MembershipInput, NewBody, NewMembership, NewOrganisation, NewPerson, OrganisationInput,
    PersonInput, TermsInput,
};
use assure_domain::{
    Action, BodyId, FieldErrors, MembershipId, OrganisationId, PartnershipId, PersonId, Target, TermsId,
};
use assure_store::structure::{self as st, EndableTable};
use assure_store::{Conn, StoreError, audit_log};
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

pub fn org_target(o: &Organisation) -> Target {
    Target::new(K::Organisation, o.partnership_id).organisation(Some(o.id))
}

pub fn person_target(p: &Person) -> Target {
    Target::new(K::Person, p.partnership_id).organisation(p.organisation_id).restricted(p.restricted)
}

pub fn body_target(b: &Body) -> Target {
    Target::new(K::Body, b.partnership_id).body(Some(b.id)).restricted(b.restricted)
}

/// May the actor see this membership row? Only if they may see both its body and its person.
pub(crate) fn membership_visible(ctx: &Ctx, m: &Membership) -> bool {
    let body = Target::new(K::Body, m.partnership_id).body(Some(m.body_id)).restricted(m.body_restricted);
    let person =
        Target::new(K::Person, m.partnership_id).organisation(m.person_organisation_id).restricted(m.person_restricted);
    ctx.authorize(Action::View, &body).is_ok() && ctx.authorize(Action::View, &person).is_ok()
}

/// A body with what its page shows.
#[derive(Debug, Clone)]
pub struct BodyDetail {
    pub body: Body,
    /// Every version of its terms of reference, newest first.
    pub terms: Vec<Terms>,
    /// The version in effect today (not the one added last: a version may take effect later).
    pub current_terms: Option<TermsId>,
    /// The day the detail was read, against which a version is "not yet in effect".
    pub today: chrono::NaiveDate,
    pub members: Vec<Membership>,
    pub children: Vec<Body>,
}

impl BodyDetail {
    /// How a version of the terms stands today: "current", "not yet in effect" or superseded ("").
    pub fn terms_standing(&self, t: &Terms) -> &'static str {
        if Some(t.id) == self.current_terms {
            "current"
        } else if t.effective_from > self.today {
            "not yet in effect"
        } else {
            ""
        }
    }
}

#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub person: Person,
    pub memberships: Vec<Membership>,
}

async fn same_partnership_org(conn: &mut Conn, p: PartnershipId, id: Option<OrganisationId>) -> CoreResult<bool> {
    match id {
        None => Ok(true),
        Some(id) => match st::organisation(conn, id).await {
            Ok(o) => Ok(o.partnership_id == p),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        },
    }
}

async fn same_partnership_body(conn: &mut Conn, p: PartnershipId, id: Option<BodyId>) -> CoreResult<bool> {
    match id {
        None => Ok(true),
        Some(id) => match st::body(conn, id).await {
            Ok(b) => Ok(b.partnership_id == p),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        },
    }
}

impl Core {
    // --- partnerships ---------------------------------------------------------------------

    /// The name of a partnership the actor works in (for a document's title and file name).
    pub(crate) async fn partnership_name(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<String> {
        self.my_partnerships(ctx).await?.into_iter().find(|x| x.id == p).map(|x| x.name).ok_or(CoreError::NotFound)
    }

    /// The partnerships the actor works in.
    pub async fn my_partnerships(&self, ctx: &Ctx) -> CoreResult<Vec<Partnership>> {
        let all = match ctx.generations.map(|g| g.accounts) {
            Some(generation) => match self.kept_organisations.partnerships.get(&(), generation) {
                Some(kept) => kept,
                None => {
                    let mut conn = self.store.read().await?;
                    let read = st::partnerships(&mut conn).await?;
                    self.kept_organisations.partnerships.put((), generation, read)
                }
            },
            None => {
                let mut conn = self.store.read().await?;
                std::sync::Arc::new(st::partnerships(&mut conn).await?)
            }
        };
        Ok(all
            .iter()
            .filter(|p| ctx.authorize(Action::View, &Target::new(K::Partnership, p.id)).is_ok())
            .cloned()
            .collect())
    }

    pub async fn partnership(&self, ctx: &Ctx, id: PartnershipId) -> CoreResult<(Partnership, Vec<Arm>, Counts)> {
        ctx.authorize(Action::View, &Target::new(K::Partnership, id))?;
        let mut conn = self.store.read().await?;
        Ok((st::partnership(&mut conn, id).await?, st::arms(&mut conn, id).await?, st::counts(&mut conn, id).await?))
    }

    // --- organisations --------------------------------------------------------------------

    pub async fn organisations(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        include_ended: bool,
        page: Page,
    ) -> CoreResult<(Vec<Organisation>, i64)> {
        ctx.authorize(Action::View, &Target::new(K::Organisation, p))?;
        let all = self.every_organisation(ctx, p).await?;
        let matching: Vec<&Organisation> = all.iter().filter(|o| include_ended || o.ended_on.is_none()).collect();
        let total = matching.len() as i64;
        let from = usize::try_from(page.offset).unwrap_or(0);
        let most = usize::try_from(page.limit).unwrap_or(0);
        Ok((matching.into_iter().skip(from).take(most).cloned().collect(), total))
    }

    /// Every organisation of the partnership, ended ones too, by name: kept between requests
    /// (see [`KeptOrganisations`]).
    pub(crate) async fn every_organisation(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
    ) -> CoreResult<std::sync::Arc<Vec<Organisation>>> {
        if let Some(kept) = ctx.generations.and_then(|g| self.kept_organisations.organisations.get(&p, g.accounts)) {
            return Ok(kept);
        }
        let mut conn = self.store.read().await?;
        let generation = assure_store::accounts::accounts_generation(&mut conn).await?;
        if let Some(kept) = self.kept_organisations.organisations.get(&p, generation) {
            return Ok(kept);
        }
        // Read after the generation, so what is kept is at least as new as its tag.
        let (all, _) = st::organisations(&mut conn, p, true, Page::ALL).await?;
        Ok(self.kept_organisations.organisations.put(p, generation, all))
    }

    pub async fn organisation(&self, ctx: &Ctx, id: OrganisationId) -> CoreResult<Organisation> {
        let mut conn = self.store.read().await?;
        let org = st::organisation(&mut conn, id).await?;
        ctx.authorize(Action::View, &org_target(&org))?;
        Ok(org)
    }

    async fn check_organisation(
        &self,
        conn: &mut Conn,
        p: PartnershipId,
        id: Option<OrganisationId>,
        new: &NewOrganisation,
    ) -> CoreResult<()> {
        if !same_partnership_org(conn, p, new.parent_id).await? {
            return Err(CoreError::field("parent_id", "Select the parent organisation from the list"));
        }
        if let (Some(id), Some(parent)) = (id, new.parent_id)
            && st::parent_would_cycle(conn, st::Hierarchy::Organisations, id.0, parent.0).await?
        {
            return Err(CoreError::field(
                "parent_id",
                "An organisation cannot sit under itself or one of its own parts",
            ));
        }
        Ok(())
    }

    pub async fn create_organisation(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        input: &OrganisationInput,
    ) -> CoreResult<OrganisationId> {
        ctx.authorize(Action::Create, &Target::new(K::Organisation, p))?;
        let new = input.validate()?;
        let mut tx = self.store.write().await?;
        self.check_organisation(&mut tx, p, None, &new).await?;
        let id = st::insert_organisation(&mut tx, p, &new).await.map_err(|e| {
            CoreError::on_unique(e, "name", "An organisation with this name already exists in the partnership")
        })?;
        audit_log::append(
            &mut tx,
            ctx.entry("create", "organisation", Some(id.to_string()), Some(p), organisation_detail(&new)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an organisation; `seen` is the version the person read, if they said (see
    /// [`crate::version_of`]).
    pub async fn update_organisation(
        &self,
        ctx: &Ctx,
        id: OrganisationId,
        input: &OrganisationInput,
        seen: Option<&str>,
    ) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let before = st::organisation(&mut tx, id).await?;
        ctx.authorize(Action::Update, &org_target(&before))?;
        crate::still_as_seen(seen, &before)?;
        let new = input.validate()?;
        self.check_organisation(&mut tx, before.partnership_id, Some(id), &new).await?;
        st::update_organisation(&mut tx, id, &new).await.map_err(|e| {
            CoreError::on_unique(e, "name", "An organisation with this name already exists in the partnership")
        })?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "organisation",
                Some(id.to_string()),
                Some(before.partnership_id),
                organisation_detail(&new),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn end_organisation(&self, ctx: &Ctx, id: OrganisationId, input: &EndInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let org = st::organisation(&mut tx, id).await?;
        ctx.authorize(Action::End, &org_target(&org))?;
        let date = input.validate()?;
        st::set_ended(&mut tx, EndableTable::Organisations, id.0, Some(date)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("end", "organisation", Some(id.to_string()), Some(org.partnership_id), json!({"ended_on": date})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // --- people ---------------------------------------------------------------------------

    /// People the actor may see. Restricted people appear only to those allowed, and listing
    /// them is itself logged.
    pub async fn people(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        include_ended: bool,
        page: Page,
    ) -> CoreResult<(Vec<Person>, i64)> {
        ctx.authorize(Action::View, &Target::new(K::Person, p))?;
        let mut conn = self.store.read().await?;
        let (all, total) = st::people(&mut conn, p, include_ended, page).await?;
        drop(conn);
        let hidden = all.iter().filter(|x| ctx.authorize(Action::View, &person_target(x)).is_err()).count() as i64;
        let visible: Vec<Person> =
            all.into_iter().filter(|x| ctx.authorize(Action::View, &person_target(x)).is_ok()).collect();
        self.log_restricted_reads(ctx, p, "person", visible.iter().filter(|x| x.restricted).map(|x| x.id.0).collect())
            .await?;
        Ok((visible, total - hidden))
    }

    async fn log_restricted_reads(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        record_type: &str,
        ids: Vec<i64>,
    ) -> CoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let record_id = if ids.len() == 1 { Some(ids[0].to_string()) } else { None };
        self.log_read(ctx, record_type, record_id, Some(p), json!({ "ids": ids })).await
    }

    pub async fn person(&self, ctx: &Ctx, id: PersonId) -> CoreResult<PersonDetail> {
        let mut conn = self.store.read().await?;
        let person = st::person(&mut conn, id).await?;
        ctx.authorize(Action::View, &person_target(&person))?;
        let memberships: Vec<Membership> = st::memberships_of_person(&mut conn, id)
            .await?
            .into_iter()
            .filter(|m| membership_visible(ctx, m))
            .collect();
        drop(conn);
        if person.restricted {
            self.log_restricted_reads(ctx, person.partnership_id, "person", vec![id.0]).await?;
        }
        let bodies: Vec<i64> = memberships.iter().filter(|m| m.body_restricted).map(|m| m.body_id.0).collect();
        self.log_restricted_reads(ctx, person.partnership_id, "body", bodies).await?;
        Ok(PersonDetail { person, memberships })
    }

    async fn check_person(&self, conn: &mut Conn, p: PartnershipId, new: &NewPerson) -> CoreResult<()> {
        if !same_partnership_org(conn, p, new.organisation_id).await? {
            return Err(CoreError::field("organisation_id", "Select the organisation from the list"));
        }
        Ok(())
    }

    pub async fn create_person(&self, ctx: &Ctx, p: PartnershipId, input: &PersonInput) -> CoreResult<PersonId> {
        let new = input.validate();
        // An agency lead may add people only to their own organisation: the target names it.
        let org = new.as_ref().ok().and_then(|n| n.organisation_id);
        ctx.authorize(Action::Create, &Target::new(K::Person, p).organisation(org))?;
        let new = new?;
        let mut tx = self.store.write().await?;
        self.check_person(&mut tx, p, &new).await?;
        let id = st::insert_person(&mut tx, p, &new).await?;
        audit_log::append(&mut tx, ctx.entry("create", "person", Some(id.to_string()), Some(p), person_detail(&new)))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_person(
        &self,
        ctx: &Ctx,
        id: PersonId,
        input: &PersonInput,
        seen: Option<&str>,
    ) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let before = st::person(&mut tx, id).await?;
        ctx.authorize(Action::Update, &person_target(&before))?;
        crate::still_as_seen(seen, &before)?;
        let new = input.validate()?;
        // Moving someone to another organisation needs the right over the new one too.
        ctx.authorize(
            Action::Update,
            &Target::new(K::Person, before.partnership_id).organisation(new.organisation_id),
        )?;
        self.check_person(&mut tx, before.partnership_id, &new).await?;
        st::update_person(&mut tx, id, &new).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("update", "person", Some(id.to_string()), Some(before.partnership_id), person_detail(&new)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn end_person(&self, ctx: &Ctx, id: PersonId, input: &EndInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let person = st::person(&mut tx, id).await?;
        ctx.authorize(Action::End, &person_target(&person))?;
        let date = input.validate()?;
        st::set_ended(&mut tx, EndableTable::People, id.0, Some(date)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("end", "person", Some(id.to_string()), Some(person.partnership_id), json!({"ended_on": date})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // --- bodies ---------------------------------------------------------------------------

    /// Bodies the actor may see. Restricted bodies appear only to those allowed, and listing
    /// them is itself logged.
    pub async fn bodies(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        include_ended: bool,
        page: Page,
    ) -> CoreResult<(Vec<Body>, i64)> {
        ctx.authorize(Action::View, &Target::new(K::Body, p))?;
        let mut conn = self.store.read().await?;
        let (all, total) = st::bodies(&mut conn, p, include_ended, page).await?;
        drop(conn);
        let hidden = all.iter().filter(|b| ctx.authorize(Action::View, &body_target(b)).is_err()).count() as i64;
        let visible: Vec<Body> =
            all.into_iter().filter(|b| ctx.authorize(Action::View, &body_target(b)).is_ok()).collect();
        self.log_restricted_reads(ctx, p, "body", visible.iter().filter(|b| b.restricted).map(|b| b.id.0).collect())
            .await?;
        Ok((visible, total - hidden))
    }

    pub async fn body(&self, ctx: &Ctx, id: BodyId) -> CoreResult<BodyDetail> {
        let mut conn = self.store.read().await?;
        let body = st::body(&mut conn, id).await?;
        ctx.authorize(Action::View, &body_target(&body))?;
        let terms = st::terms(&mut conn, id).await?;
        let members: Vec<Membership> =
            st::memberships_of_body(&mut conn, id).await?.into_iter().filter(|m| membership_visible(ctx, m)).collect();
        let (all, _) = st::bodies(&mut conn, body.partnership_id, false, Page::ALL).await?;
        drop(conn);
        let children: Vec<Body> = all
            .into_iter()
            .filter(|b| b.parent_id == Some(id) && ctx.authorize(Action::View, &body_target(b)).is_ok())
            .collect();
        // The body itself, if restricted, and any restricted group named on its page.
        let restricted: Vec<i64> =
            std::iter::once(&body).chain(&children).filter(|b| b.restricted).map(|b| b.id.0).collect();
        self.log_restricted_reads(ctx, body.partnership_id, "body", restricted).await?;
        let people: Vec<i64> = members.iter().filter(|m| m.person_restricted).map(|m| m.person_id.0).collect();
        self.log_restricted_reads(ctx, body.partnership_id, "person", people).await?;
        let today = self.today();
        let current =
            assure_domain::structure::terms_in_effect(terms.iter().map(|t| (t.version, t.effective_from)), today);
        let current_terms = terms.iter().find(|t| Some(t.version) == current).map(|t| t.id);
        Ok(BodyDetail { body, terms, current_terms, today, members, children })
    }

    async fn check_body(&self, conn: &mut Conn, p: PartnershipId, id: Option<BodyId>, new: &NewBody) -> CoreResult<()> {
        if !same_partnership_body(conn, p, new.parent_id).await? {
            return Err(CoreError::field("parent_id", "Select the parent body from the list"));
        }
        if let (Some(id), Some(parent)) = (id, new.parent_id)
            && st::parent_would_cycle(conn, st::Hierarchy::Bodies, id.0, parent.0).await?
        {
            return Err(CoreError::field("parent_id", "A body cannot report to itself or to one of its own subgroups"));
        }
        Ok(())
    }

    pub async fn create_body(&self, ctx: &Ctx, p: PartnershipId, input: &BodyInput) -> CoreResult<BodyId> {
        ctx.authorize(Action::Create, &Target::new(K::Body, p))?;
        let new = input.validate()?;
        let mut tx = self.store.write().await?;
        self.check_body(&mut tx, p, None, &new).await?;
        let id = st::insert_body(&mut tx, p, &new)
            .await
            .map_err(|e| CoreError::on_unique(e, "name", "A body with this name already exists in the partnership"))?;
        audit_log::append(&mut tx, ctx.entry("create", "body", Some(id.to_string()), Some(p), body_detail(&new)))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_body(&self, ctx: &Ctx, id: BodyId, input: &BodyInput, seen: Option<&str>) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let before = st::body(&mut tx, id).await?;
        ctx.authorize(Action::Update, &body_target(&before))?;
        crate::still_as_seen(seen, &before)?;
        let new = input.validate()?;
        self.check_body(&mut tx, before.partnership_id, Some(id), &new).await?;
        st::update_body(&mut tx, id, &new)
            .await
            .map_err(|e| CoreError::on_unique(e, "name", "A body with this name already exists in the partnership"))?;
        audit_log::append(
            &mut tx,
            ctx.entry("update", "body", Some(id.to_string()), Some(before.partnership_id), body_detail(&new)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn end_body(&self, ctx: &Ctx, id: BodyId, input: &EndInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let body = st::body(&mut tx, id).await?;
        ctx.authorize(Action::End, &body_target(&body))?;
        let date = input.validate()?;
        st::set_ended(&mut tx, EndableTable::Bodies, id.0, Some(date)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("end", "body", Some(id.to_string()), Some(body.partnership_id), json!({"ended_on": date})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a new version of a body's terms of reference; earlier versions stay as they were.
    pub async fn add_terms(&self, ctx: &Ctx, body: BodyId, input: &TermsInput) -> CoreResult<(TermsId, i64)> {
        let mut tx = self.store.write().await?;
        let b = st::body(&mut tx, body).await?;
        ctx.authorize(
            Action::Create,
            &Target::new(K::TermsOfReference, b.partnership_id).body(Some(body)).restricted(b.restricted),
        )?;
        let new = input.validate()?;
        let (id, version) = st::insert_terms(&mut tx, body, &new, ctx.user_id()).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "terms_of_reference",
                Some(id.0.to_string()),
                Some(b.partnership_id),
                json!({"body_id": body, "version": version, "effective_from": new.effective_from}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((id, version))
    }

    // --- memberships ----------------------------------------------------------------------

    async fn check_membership(&self, conn: &mut Conn, p: PartnershipId, new: &NewMembership) -> CoreResult<()> {
        let mut errors = FieldErrors::new();
        match st::person(conn, new.person_id).await {
            Ok(person) if person.partnership_id == p => {}
            Ok(_) | Err(StoreError::NotFound) => errors.add("person_id", "Select the person from the list"),
            Err(e) => return Err(e.into()),
        }
        if !same_partnership_org(conn, p, new.organisation_id).await? {
            errors.add("organisation_id", "Select the organisation represented from the list");
        }
        if errors.is_empty() { Ok(()) } else { Err(errors.into()) }
    }

    pub async fn add_membership(&self, ctx: &Ctx, body: BodyId, input: &MembershipInput) -> CoreResult<MembershipId> {
        let mut tx = self.store.write().await?;
        let b = st::body(&mut tx, body).await?;
        ctx.authorize(
            Action::Create,
            &Target::new(K::Membership, b.partnership_id).body(Some(body)).restricted(b.restricted),
        )?;
        let new = input.validate()?;
        self.check_membership(&mut tx, b.partnership_id, &new).await?;
        check_seat(&mut tx, body, &new, None).await?;
        let id = st::insert_membership(&mut tx, body, &new).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "membership",
                Some(id.to_string()),
                Some(b.partnership_id),
                membership_detail(body, &new),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One membership. A membership of a restricted body is a restricted record: its read is
    /// logged, whichever channel asked.
    pub async fn membership(&self, ctx: &Ctx, id: MembershipId) -> CoreResult<Membership> {
        let mut conn = self.store.read().await?;
        let m = st::membership(&mut conn, id).await?;
        let b = st::body(&mut conn, m.body_id).await?;
        drop(conn);
        ctx.authorize(
            Action::View,
            &Target::new(K::Membership, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
        )?;
        if !membership_visible(ctx, &m) {
            return Err(CoreError::NotFound);
        }
        if b.restricted || m.person_restricted {
            self.log_restricted_reads(ctx, b.partnership_id, "membership", vec![id.0]).await?;
        }
        Ok(m)
    }

    pub async fn update_membership(
        &self,
        ctx: &Ctx,
        id: MembershipId,
        input: &MembershipInput,
        seen: Option<&str>,
    ) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let m = st::membership(&mut tx, id).await?;
        let b = st::body(&mut tx, m.body_id).await?;
        ctx.authorize(
            Action::Update,
            &Target::new(K::Membership, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
        )?;
        crate::still_as_seen(seen, &m)?;
        let new = input.validate()?;
        self.check_membership(&mut tx, b.partnership_id, &new).await?;
        check_seat(&mut tx, b.id, &new, Some(id)).await?;
        st::update_membership(&mut tx, id, &new).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "membership",
                Some(id.to_string()),
                Some(b.partnership_id),
                membership_detail(b.id, &new),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn end_membership(&self, ctx: &Ctx, id: MembershipId, input: &EndInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let m = st::membership(&mut tx, id).await?;
        let b = st::body(&mut tx, m.body_id).await?;
        ctx.authorize(
            Action::End,
            &Target::new(K::Membership, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
        )?;
        let date = input.validate()?;
        if date < m.from_date {
            return Err(CoreError::field("ended_on", "The end date must be the same as or after the start date"));
        }
        st::set_ended(&mut tx, EndableTable::Memberships, id.0, Some(date)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("end", "membership", Some(id.to_string()), Some(b.partnership_id), json!({"to_date": date})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Refuses a second chair or vice-chair whose time overlaps the one in the seat, inside the
/// write that would add it.
async fn check_seat(
    conn: &mut assure_store::Conn,
    body: BodyId,
    new: &NewMembership,
    except: Option<MembershipId>,
) -> CoreResult<()> {
    let others = st::memberships_of_body(conn, body).await?;
    let others = others.iter().filter(|m| Some(m.id) != except).map(|m| (m.role, m.from_date, m.to_date));
    match assure_domain::structure::seat_taken(new.role, new.from_date, new.to_date, others) {
        Some(since) => Err(CoreError::field(
            "role",
            format!(
                "The body has a {} from {} whose time overlaps this one: a body has one at a time, so end \
                 that membership the day before this one starts",
                assure_domain::structure::Choice::label(new.role).to_lowercase(),
                since.format("%-d %B %Y")
            ),
        )),
        None => Ok(()),
    }
}

fn organisation_detail(n: &NewOrganisation) -> serde_json::Value {
    json!({"name": n.name, "kind": n.kind, "sector": n.sector, "parent_id": n.parent_id})
}

fn person_detail(n: &NewPerson) -> serde_json::Value {
    // The audit log records that details changed, not the personal data itself.
    json!({"organisation_id": n.organisation_id, "restricted": n.restricted, "fields": ["name", "job_title", "email"]})
}

fn body_detail(n: &NewBody) -> serde_json::Value {
    json!({"name": n.name, "kind": n.kind, "arm": n.arm, "parent_id": n.parent_id, "cadence": n.cadence, "restricted": n.restricted})
}

fn membership_detail(body: BodyId, n: &NewMembership) -> serde_json::Value {
    json!({"body_id": body, "person_id": n.person_id, "organisation_id": n.organisation_id, "role": n.role, "from_date": n.from_date, "to_date": n.to_date})
}

impl Core {
    /// Adds a partnership (a tenant). The operator's command: it precedes every grant.
    pub async fn add_partnership(
        &self,
        slug: &str,
        name: &str,
        arms: &[(assure_domain::structure::ArmKind, &str)],
    ) -> CoreResult<PartnershipId> {
        let mut tx = self.store.write().await?;
        let id = st::create_partnership(&mut tx, slug, name, arms)
            .await
            .map_err(|e| CoreError::on_unique(e, "slug", "A partnership with this short name already exists"))?;
        audit_log::append(
            &mut tx,
            audit_log::NewEntry {
                actor_label: "cli".into(),
                action: "create".into(),
                record_type: "partnership".into(),
                record_id: Some(id.to_string()),
                partnership_id: Some(id.0),
                detail: json!({"slug": slug, "name": name}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// Every partnership's organisations, and the instance's partnerships, as last read, under the
/// generation of accounts (migration 0022: organisations, users, grants, bodies and
/// partnerships raise it). Nearly every page offers them in a list (the plan's filter, a
/// review's requests, a campaign's recipients, the layout's switcher) and they change seldom. A
/// request whose session lookup read the counter uses that reading ([`Ctx::generations`]).
#[derive(Default)]
pub struct KeptOrganisations {
    organisations: crate::kept::Kept<PartnershipId, Vec<Organisation>>,
    partnerships: crate::kept::Kept<(), Vec<Partnership>>,
}
