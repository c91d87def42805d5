//! Small builders: a test sets up only what it needs, through the same use-cases the demo uses,
//! instead of loading the whole demo (so a change to the demo breaks no test that does not use
//! it, and such a test starts faster).

use assure_core::accounts::NewUserInput;
use assure_domain::reviews::{NewReviewInput, TransitionInput};
use assure_domain::structure::{ArmKind, BodyInput, OrganisationInput, PersonInput};
use assure_domain::{BodyId, OrganisationId, PartnershipId, PersonId, RequestId, ReviewId, UserId};
use assure_store::Backend;

use super::{PASSWORD, TestApp};

#[allow(dead_code)]
impl TestApp {
    /// The application over a fresh, empty database.
    pub async fn empty(backend: Backend) -> TestApp {
        Self::build(backend, assure_core::Settings::default(), None).await
    }

    /// A partnership with its children's and adults' arms.
    pub async fn add_partnership(&self, slug: &str, name: &str) -> PartnershipId {
        let arms = [(ArmKind::Children, "Children"), (ArmKind::Adults, "Adults")];
        self.core.add_partnership(slug, name, &arms).await.unwrap()
    }

    /// An organisation of a kind and sector (their codes, such as "statutory_partner", "police").
    pub async fn add_organisation(&self, p: PartnershipId, name: &str, kind: &str, sector: &str) -> OrganisationId {
        let ctx = self.core.operator().await.unwrap();
        let input =
            OrganisationInput { name: name.into(), kind: kind.into(), sector: sector.into(), ..Default::default() };
        self.core.create_organisation(&ctx, p, &input).await.unwrap()
    }

    /// A board or group of a kind (its code, such as "board", "subgroup").
    pub async fn add_body(&self, p: PartnershipId, name: &str, kind: &str, arm: &str) -> BodyId {
        let ctx = self.core.operator().await.unwrap();
        let input = BodyInput {
            name: name.into(),
            kind: kind.into(),
            arm: arm.into(),
            cadence: "quarterly".into(),
            ..Default::default()
        };
        self.core.create_body(&ctx, p, &input).await.unwrap()
    }

    /// A person working for an organisation; `restricted` when their details are (every read of
    /// them is then logged).
    pub async fn add_person(
        &self,
        p: PartnershipId,
        name: &str,
        organisation: OrganisationId,
        restricted: bool,
    ) -> PersonId {
        let ctx = self.core.operator().await.unwrap();
        let input = PersonInput {
            name: name.into(),
            organisation_id: organisation.to_string(),
            restricted: if restricted { "true".into() } else { String::new() },
            ..Default::default()
        };
        self.core.create_person(&ctx, p, &input).await.unwrap()
    }

    /// An account with a role in `p` (scoped to `organisation` for an agency lead, `body` for a
    /// body member), signing in with the tests' password without having to change it.
    pub async fn add_account(
        &self,
        p: PartnershipId,
        email: &str,
        role: &str,
        organisation: Option<OrganisationId>,
        body: Option<BodyId>,
    ) -> UserId {
        let ctx = self.core.operator().await.unwrap();
        let input = NewUserInput {
            email: email.into(),
            display_name: email.split('@').next().unwrap_or(email).replace('.', " "),
            role: role.into(),
            organisation_id: organisation.map(|o| o.to_string()).unwrap_or_default(),
            body_id: body.map(|b| b.to_string()).unwrap_or_default(),
            password: PASSWORD.into(),
        };
        let (user, _) = self.core.create_user(&ctx, p, &input).await.unwrap();
        let mut tx = self.db.store.write().await.unwrap();
        assure_store::accounts::keep_password(&mut tx, user).await.unwrap();
        tx.commit().await.unwrap();
        user
    }

    /// A case review of a type (its code, such as "lcspr") recorded on `aware_on`, moved through
    /// `steps` (stage code, date); a decision is made with its rationale and every sign-off.
    pub async fn add_review(
        &self,
        p: PartnershipId,
        (type_code, arm, subject): (&str, &str, &str),
        aware_on: &str,
        steps: &[(&str, &str)],
    ) -> ReviewId {
        let ctx = self.core.operator().await.unwrap();
        let input = NewReviewInput {
            type_code: type_code.into(),
            arm: arm.into(),
            subject: subject.into(),
            summary: "Serious harm".into(),
            aware_on: aware_on.into(),
        };
        let id = self.core.create_review(&ctx, p, &input).await.unwrap();
        for (to, on) in steps {
            let deciding = *to == "decision";
            let input = TransitionInput {
                to: (*to).into(),
                on: (*on).into(),
                decision: if deciding { "review".into() } else { String::new() },
                rationale: if deciding { "The criteria are met".into() } else { String::new() },
                signed_la: "on".into(),
                signed_police: "on".into(),
                signed_icb: "on".into(),
                ..Default::default()
            };
            self.core.move_review(&ctx, id, &input).await.unwrap();
        }
        id
    }

    /// The starter themes (communication, housing, mental health, ...).
    pub async fn add_starter_themes(&self, p: PartnershipId) {
        let ctx = self.core.operator().await.unwrap();
        for theme in assure_core::reviews::themes::STARTER_THEMES {
            self.core.add_theme(&ctx, p, theme).await.unwrap();
        }
    }

    /// Tags a review with themes, by name.
    pub async fn tag_review(&self, p: PartnershipId, review: ReviewId, names: &[&str]) {
        let ctx = self.core.operator().await.unwrap();
        let themes = self.core.themes(&ctx, p).await.unwrap();
        let ids: Vec<String> = names
            .iter()
            .map(|n| themes.iter().find(|t| t.name == *n).unwrap_or_else(|| panic!("no theme {n}")).id.to_string())
            .collect();
        self.core.set_review_themes(&ctx, review, &ids, None).await.unwrap();
    }

    /// A review asks an organisation for information (its kind's code, such as "chronology").
    pub async fn request_information(
        &self,
        review: ReviewId,
        organisation: OrganisationId,
        kind: &str,
        due_on: chrono::NaiveDate,
    ) -> RequestId {
        let ctx = self.core.operator().await.unwrap();
        self.core.request_information(&ctx, review, &organisation.to_string(), kind, &due_on.to_string()).await.unwrap()
    }
}
