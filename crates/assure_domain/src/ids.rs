//! Typed identifiers, so that an organisation id can never be passed where a body id is wanted.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    PartnershipId,
    ArmId,
    OrganisationId,
    PersonId,
    BodyId,
    MembershipId,
    TermsId,
    UserId,
    GrantId,
    TokenId,
    ReviewId,
    RequestId,
    RequestDocumentId,
    RecommendationId,
    ActionId,
    EvidenceId,
    AttachmentId,
    FrameworkId,
    CampaignId,
    AssessmentId,
    LinkId,
    ExtractId,
    DataReturnId,
    ReturnTemplateId,
    FigureId,
    MeetingId,
    AgendaItemId,
    PaperId,
    RiskRegisterId,
    RiskId,
    RiskControlId,
    BudgetId,
    BudgetLineId,
);
