//! Who may do what: roles granted over a scope, and the one pure decision [`can`].
//!
//! Every use-case starts with a call to `can`; anything not allowed here is denied. The web edge
//! turns a denial of `View` into 404 (the record's existence is not confirmed) and a denial of a
//! change on a record the actor can view into 403.

use serde::{Deserialize, Serialize};

use crate::{BodyId, OrganisationId, PartnershipId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the instance for a partnership: accounts, roles, everything the business unit does.
    Administrator,
    /// The business manager and support officer: create and change everything in the partnership.
    BusinessUnit,
    /// The independent chair or scrutineer: reads everything, including the audit log; changes nothing.
    Scrutineer,
    /// A member of one body: sees the partnership's structure and that body even when restricted.
    BodyMember,
    /// An agency's safeguarding lead: acts for one organisation.
    AgencyLead,
    /// Reads the partnership's unrestricted structure.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Administrator, Role::BusinessUnit, Role::Scrutineer, Role::BodyMember, Role::AgencyLead, Role::Viewer];

    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::BusinessUnit => "business_unit",
            Role::Scrutineer => "scrutineer",
            Role::BodyMember => "body_member",
            Role::AgencyLead => "agency_lead",
            Role::Viewer => "viewer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::BusinessUnit => "Business unit",
            Role::Scrutineer => "Independent scrutineer",
            Role::BodyMember => "Body member",
            Role::AgencyLead => "Agency lead",
            Role::Viewer => "Viewer",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether holding this role (over its whole scope) gives every power `other` gives, so that
    /// whoever holds it may pass `other` on. The business unit covers the agency lead, the body
    /// member and the viewer, but not the scrutineer (who reads the audit log) nor the
    /// administrator; only an administrator covers every role. A test checks this table
    /// against [`can`] over every kind of record.
    pub fn covers(self, other: Role) -> bool {
        use Role::*;
        match self {
            Administrator => true,
            BusinessUnit => matches!(other, BusinessUnit | BodyMember | AgencyLead | Viewer),
            Scrutineer => matches!(other, Scrutineer | Viewer),
            BodyMember => matches!(other, BodyMember | Viewer),
            AgencyLead => matches!(other, AgencyLead | Viewer),
            Viewer => other == Viewer,
        }
    }

    /// The scope a grant of this role must name besides its partnership.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::AgencyLead => ScopeKind::Organisation,
            Role::BodyMember => ScopeKind::Body,
            _ => ScopeKind::Partnership,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Partnership,
    Organisation,
    Body,
}

/// What a grant covers. Every scope sits inside one partnership: no grant spans tenants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Partnership(PartnershipId),
    Organisation(PartnershipId, OrganisationId),
    Body(PartnershipId, BodyId),
}

impl Scope {
    pub fn partnership(self) -> PartnershipId {
        match self {
            Scope::Partnership(p) | Scope::Organisation(p, _) | Scope::Body(p, _) => p,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// The signed-in user as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn partnerships(&self) -> Vec<PartnershipId> {
        let mut ids: Vec<_> = self.grants.iter().map(|g| g.scope.partnership()).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    fn grants_in(&self, partnership: PartnershipId) -> impl Iterator<Item = &Grant> {
        self.grants.iter().filter(move |g| g.scope.partnership() == partnership)
    }

    pub fn has_role(&self, partnership: PartnershipId, role: Role) -> bool {
        self.grants_in(partnership).any(|g| g.role == role)
    }

    /// Whether the actor is an agency lead of this organisation of the partnership.
    pub fn acts_for(&self, partnership: PartnershipId, organisation: OrganisationId) -> bool {
        self.grants_in(partnership)
            .any(|g| g.role == Role::AgencyLead && g.scope == Scope::Organisation(partnership, organisation))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    Partnership,
    Organisation,
    Person,
    Body,
    Membership,
    TermsOfReference,
    User,
    AuditLog,
    /// The working-day calendar: everyone reads it; administrators close extra days.
    Calendar,
    /// A case review: always restricted; seen by its panel, the business unit and the scrutineer.
    Review,
    /// A review's chronology entry: restricted like its review; the agency that was asked for a
    /// chronology sees and adds its own entries.
    Chronology,
    /// A document an agency sends in answer to a review's request (its summary, a report the
    /// request asks for): the agency asked sends it; only the review's panel and the business unit
    /// read it.
    RequestDocument,
    /// A recommendation (from a review, an audit or an inspection). The plan of learning is the
    /// partnership's: everyone in it reads it; the business unit writes it.
    Recommendation,
    /// An action on the plan, owned by its lead organisation, whose agency leads report progress
    /// and evidence on it.
    PlanAction,
    /// The owning subgroup's judgement of evidence: its members and the business unit record it.
    Judgement,
    /// An assurance framework of the partnership's own (the shipped ones are everyone's):
    /// everyone in the partnership reads it; the business unit imports it.
    Framework,
    /// A meeting of a body, with its attendance: seen by whoever sees the body (a restricted
    /// body's only by its members and those who see everything); the business unit plans
    /// meetings and records attendance.
    Meeting,
    /// The papers of a meeting's agenda item: read as its meeting is (a restricted item's only by
    /// the body's members and those who see everything); the business unit adds them, and so
    /// does the item's owner, who also reads them.
    Paper,
    /// An audit campaign: everyone in the partnership sees its progress; the business unit runs it.
    Campaign,
    /// One organisation's return to a campaign: restricted to the business unit, the scrutineer
    /// and that organisation's agency leads, who answer it.
    Assessment,
    /// A risk register and its risks (its matrix, categories, appetite, controls): everyone in
    /// the partnership reads it; the business unit keeps it.
    Risk,
    /// A review of a risk's rating: the business unit records it, and so does the risk's owner
    /// (named on the risk by their account), whatever their role.
    RiskRating,
    /// A strategy with its priorities: everyone in the partnership reads it; the business unit
    /// keeps it.
    Strategy,
    /// An activity of the strategy or of a subgroup's work plan, with its updates: everyone in
    /// the partnership reads it; the business unit keeps it; the members of the subgroup that
    /// leads it add to their work plan and report its progress.
    Activity,
    /// The partnership's budget for a year, its lines and their quarters' figures: the business
    /// unit keeps it; the scrutineer reads it, and so do agency leads of the statutory partners
    /// (the use-case names the statutory partner the actor acts for as the target's
    /// organisation); nobody else.
    Budget,
    /// A training event with its sessions: everyone in the partnership reads the programme; the
    /// business unit runs it. (The public reads a session's booking page without an account.)
    TrainingEvent,
    /// A practitioner's booking on a session, with the register, evaluation and follow-up: the
    /// business unit keeps them; the scrutineer reads them; an agency lead reads its own
    /// organisation's (attendance and charges); nobody else.
    Booking,
    /// An entry of the challenge and escalation log: the business unit keeps the log; the
    /// scrutineer reads it all; an agency lead reads the entries concerning their own
    /// organisation; nobody else.
    Challenge,
    /// Progress on a log entry: the business unit records it, and so does an agency lead of the
    /// organisation the entry concerns.
    ChallengeProgress,
    /// An inspection of the partnership's agencies, with its judgements: everyone in the
    /// partnership reads a published one; one not yet published (the use-case marks it
    /// restricted) is read by the business unit, the scrutineer and the agency leads of the
    /// agencies inspected; the business unit keeps them.
    Inspection,
    /// Feedback given on the partnership's public page, with its triage: the business unit keeps
    /// it; the scrutineer reads it; an agency lead reads what was passed on to their own
    /// organisation; nobody else. Always restricted (the public may write about their family),
    /// every read logged.
    Feedback,
    /// "You said, we did": everyone in the partnership reads it; the business unit keeps it (and
    /// the public reads what it publishes, without an account).
    SaidDid,
    /// A survey of practitioners and its answers: the business unit keeps it; the scrutineer
    /// reads it; nobody else (written answers may say anything). The public answers an open
    /// survey without an account.
    Survey,
    /// A bulletin (an issue of the partnership's newsletter) with its items and its counts
    /// (recipients, deliveries, unsubscribes, clicks): everyone in the partnership reads them,
    /// drafts too; the business unit composes, publishes and sends them. (The public reads a
    /// published issue, and subscribes, without an account; subscribers' addresses are shown to
    /// nobody.)
    Bulletin,
    /// A statutory yearly report (the children's partnership's, the adults' board's) with its
    /// sections: while a draft it gathers figures from records many roles may not read (the
    /// budget, the challenge log, case reviews), so only the business unit, which drafts it, the
    /// scrutineer and administrators read it.
    Report,
    /// The independent scrutineer's part in signing a report off: their comments on its sections
    /// and the record of their review; and their own scrutiny report (its words, what they
    /// examined, their recommendations). Only the scrutineer (and administrators) write it; the
    /// business unit reads it, answers the comments and records the partners' responses to the
    /// recommendations (which is writing the report).
    ReportScrutiny,
    /// One section of a yearly report asked of its author: the author (the target's `owner`),
    /// whatever their role, reads what it asks and writes its words; the business unit asks
    /// authors and writes any section; the scrutineer reads them. Nothing else of the report is
    /// the author's to read.
    ReportSection,
    /// The intelligence dashboard's indicators (published statistics, thresholds, commentary):
    /// everyone in the partnership reads them; the business unit sets thresholds and writes the
    /// commentary.
    Indicator,
}

impl ResourceKind {
    /// Records of this kind are always restricted: special-category personal data, seen only by
    /// those who need it, every read logged (and their documents marked OFFICIAL-SENSITIVE).
    pub fn always_restricted(self) -> bool {
        matches!(
            self,
            ResourceKind::Review
                | ResourceKind::Chronology
                | ResourceKind::RequestDocument
                | ResourceKind::Assessment
                | ResourceKind::Feedback
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    View,
    Create,
    Update,
    /// End a record's life (organisation closed, body stood down, membership ended).
    End,
    /// Grant or revoke roles, disable accounts, reset passwords, require second factors.
    Administer,
}

/// The record an action is aimed at, described by what the rules need to know of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub kind: ResourceKind,
    pub partnership: PartnershipId,
    /// The organisation the record belongs to (an organisation itself, a person's employer).
    pub organisation: Option<OrganisationId>,
    /// The body the record belongs to (a body itself, a membership, terms of reference).
    pub body: Option<BodyId>,
    /// Restricted records are seen only by those who need to, and every read is logged.
    pub restricted: bool,
    /// The actor sits on this case review's panel.
    pub on_panel: bool,
    /// The record's organisation was asked for information on this case review.
    pub asked: bool,
    /// The actor is named as the one who provides this record (an agenda item's papers).
    pub owner: bool,
}

impl Target {
    pub fn new(kind: ResourceKind, partnership: PartnershipId) -> Self {
        Target {
            kind,
            partnership,
            organisation: None,
            body: None,
            restricted: kind.always_restricted(),
            on_panel: false,
            asked: false,
            owner: false,
        }
    }

    pub fn organisation(mut self, id: Option<OrganisationId>) -> Self {
        self.organisation = id;
        self
    }

    pub fn body(mut self, id: Option<BodyId>) -> Self {
        self.body = id;
        self
    }

    pub fn restricted(mut self, restricted: bool) -> Self {
        self.restricted = restricted;
        self
    }

    pub fn on_panel(mut self, on_panel: bool) -> Self {
        self.on_panel = on_panel;
        self
    }

    pub fn asked(mut self, asked: bool) -> Self {
        self.asked = asked;
        self
    }

    pub fn owner(mut self, owner: bool) -> Self {
        self.owner = owner;
        self
    }
}

/// Whether `actor` may give `grant` to the account `to` (`None`: an account being created).
/// Nobody grants themselves anything, and nobody grants a role they do not hold: the actor must
/// administer accounts in the grant's partnership and hold a partnership-wide role there that
/// [covers](Role::covers) it.
pub fn may_grant(actor: &Actor, to: Option<UserId>, grant: &Grant) -> bool {
    let partnership = grant.scope.partnership();
    to != Some(actor.user)
        && can(actor, Action::Administer, &Target::new(ResourceKind::User, partnership))
        && actor
            .grants_in(partnership)
            .any(|held| matches!(held.scope, Scope::Partnership(_)) && held.role.covers(grant.role))
}

/// Whether `actor` may change the whole account `user` holding `grants` (disable it, reset its
/// password or second factor, issue it an API token): only someone who could grant every role
/// it holds, in every partnership it works in. So only administrators manage administrators'
/// and scrutineers' accounts, and nobody manages their own this way.
pub fn may_manage_account(actor: &Actor, user: UserId, grants: &[Grant]) -> bool {
    !grants.is_empty() && grants.iter().all(|g| may_grant(actor, Some(user), g))
}

/// The one authorization decision. Deny by default: each arm lists what a role may do.
pub fn can(actor: &Actor, action: Action, target: &Target) -> bool {
    use Action::*;
    use ResourceKind as K;
    // A review's panel members see it and its chronology, whatever their role in the partnership.
    let panel_view =
        matches!(target.kind, K::Review | K::Chronology | K::RequestDocument) && target.on_panel && action == View;
    // An agenda item's owner, whatever their role, adds its papers and reads them.
    let owner_papers = target.kind == K::Paper && target.owner && matches!(action, View | Create);
    // A risk's owner, whatever their role, rates it.
    let owner_rates = target.kind == K::RiskRating && target.owner && matches!(action, View | Create);
    // A report section's author, whatever their role, reads what it asks and writes it.
    let author_writes = target.kind == K::ReportSection && target.owner && matches!(action, View | Update);
    actor.grants_in(target.partnership).any(|grant| {
        panel_view
            || owner_papers
            || owner_rates
            || author_writes
            || match grant.role {
                Role::Administrator => true,
                Role::BusinessUnit => match target.kind {
                    K::AuditLog => false,
                    K::ReportScrutiny => action == View,
                    K::User => true,
                    K::Partnership => matches!(action, View | Update),
                    _ => !matches!(action, Administer),
                },
                // The scrutineer reads everything but what agencies send a review's panel,
                // comments on a yearly report and records their review of it, and writes
                // their own scrutiny report.
                Role::Scrutineer => match target.kind {
                    K::RequestDocument => false,
                    K::ReportScrutiny => matches!(action, View | Create | Update),
                    _ => action == View,
                },
                Role::Viewer => {
                    action == View
                        && !target.restricted
                        && !matches!(
                            target.kind,
                            K::AuditLog
                                | K::User
                                | K::Budget
                                | K::Booking
                                | K::Challenge
                                | K::ChallengeProgress
                                | K::Survey
                                | K::Report
                                | K::ReportScrutiny
                                | K::ReportSection
                        )
                }
                Role::BodyMember => {
                    let Scope::Body(_, body) = grant.scope else {
                        return false;
                    };
                    let own_body = target.body == Some(body);
                    match (action, target.kind) {
                        (
                            _,
                            K::AuditLog
                            | K::User
                            | K::Budget
                            | K::Booking
                            | K::Challenge
                            | K::ChallengeProgress
                            | K::Survey
                            | K::Report
                            | K::ReportScrutiny
                            | K::ReportSection,
                        ) => false,
                        (View, _) => !target.restricted || own_body,
                        (Update, K::Judgement) => own_body,
                        (Create | Update, K::Activity) => own_body,
                        _ => false,
                    }
                }
                Role::AgencyLead => {
                    let Scope::Organisation(_, org) = grant.scope else {
                        return false;
                    };
                    let own_org = target.organisation == Some(org);
                    match (action, target.kind) {
                        (_, K::AuditLog | K::User | K::Survey | K::Report | K::ReportScrutiny | K::ReportSection) => {
                            false
                        }
                        (View | Create, K::Chronology) => own_org && target.asked,
                        (Create, K::RequestDocument) => own_org && target.asked,
                        (View | Update, K::Assessment) => own_org,
                        (View, K::Budget | K::Booking | K::Challenge) => own_org,
                        (View | Create, K::ChallengeProgress) => own_org,
                        (View, K::Inspection) => !target.restricted || own_org,
                        (View, K::Feedback) => own_org,
                        (View, _) => !target.restricted || (own_org && target.kind == K::Person),
                        (Update, K::Organisation | K::PlanAction) => own_org,
                        // An agency's analyst uploads its own record-level extracts.
                        (Create, K::Indicator) => own_org,
                        (Create | Update | End, K::Person) => own_org,
                        _ => false,
                    }
                }
            }
    })
}

#[cfg(test)]
mod tests;
