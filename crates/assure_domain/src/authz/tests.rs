//! The table of `can`'s answers: every role against every kind of record and action, with the
//! scopes that narrow them (a body, an organisation, the owner), each row one case.

use super::*;

const P: PartnershipId = PartnershipId(1);
const OTHER_P: PartnershipId = PartnershipId(2);
const ORG: OrganisationId = OrganisationId(10);
const OTHER_ORG: OrganisationId = OrganisationId(11);
const BODY: BodyId = BodyId(20);
const OTHER_BODY: BodyId = BodyId(21);

fn actor(role: Role) -> Actor {
    let scope = match role.scope_kind() {
        ScopeKind::Partnership => Scope::Partnership(P),
        ScopeKind::Organisation => Scope::Organisation(P, ORG),
        ScopeKind::Body => Scope::Body(P, BODY),
    };
    Actor { user: UserId(1), grants: vec![Grant { role, scope }] }
}

fn org(id: OrganisationId) -> Target {
    Target::new(ResourceKind::Organisation, P).organisation(Some(id))
}

fn person(id: OrganisationId, restricted: bool) -> Target {
    Target::new(ResourceKind::Person, P).organisation(Some(id)).restricted(restricted)
}

fn body(id: BodyId, restricted: bool) -> Target {
    Target::new(ResourceKind::Body, P).body(Some(id)).restricted(restricted)
}

use Action::*;
use Role::*;

fn review(on_panel: bool) -> Target {
    Target::new(ResourceKind::Review, P).on_panel(on_panel)
}

fn action(org: OrganisationId) -> Target {
    Target::new(ResourceKind::PlanAction, P).organisation(Some(org))
}

fn assessment(org: OrganisationId) -> Target {
    Target::new(ResourceKind::Assessment, P).organisation(Some(org))
}

fn judgement(body: BodyId) -> Target {
    Target::new(ResourceKind::Judgement, P).body(Some(body))
}

fn chronology(org: OrganisationId, on_panel: bool, asked: bool) -> Target {
    Target::new(ResourceKind::Chronology, P).organisation(Some(org)).on_panel(on_panel).asked(asked)
}

fn paper(body: BodyId, restricted: bool, owner: bool) -> Target {
    Target::new(ResourceKind::Paper, P).body(Some(body)).restricted(restricted).owner(owner)
}

fn request_document(org: OrganisationId, on_panel: bool, asked: bool) -> Target {
    Target::new(ResourceKind::RequestDocument, P).organisation(Some(org)).on_panel(on_panel).asked(asked)
}

/// (role, action, target, allowed): read it as a policy table.
fn table() -> Vec<(Role, Action, Target, bool)> {
    let audit = Target::new(ResourceKind::AuditLog, P);
    let users = Target::new(ResourceKind::User, P);
    let partnership = Target::new(ResourceKind::Partnership, P);
    vec![
        (Administrator, Administer, users, true),
        // The challenge log: the business unit keeps it, the scrutineer reads it, an agency
        // lead reads its own organisation's entries and reports their progress.
        (BusinessUnit, Create, Target::new(ResourceKind::Challenge, P), true),
        (Scrutineer, View, Target::new(ResourceKind::Challenge, P).organisation(Some(ORG)), true),
        (Scrutineer, Create, Target::new(ResourceKind::ChallengeProgress, P).organisation(Some(ORG)), false),
        (AgencyLead, View, Target::new(ResourceKind::Challenge, P).organisation(Some(ORG)), true),
        (AgencyLead, View, Target::new(ResourceKind::Challenge, P).organisation(Some(OTHER_ORG)), false),
        (AgencyLead, View, Target::new(ResourceKind::Challenge, P), false),
        (AgencyLead, Update, Target::new(ResourceKind::Challenge, P).organisation(Some(ORG)), false),
        (AgencyLead, Create, Target::new(ResourceKind::ChallengeProgress, P).organisation(Some(ORG)), true),
        (AgencyLead, Create, Target::new(ResourceKind::ChallengeProgress, P).organisation(Some(OTHER_ORG)), false),
        (AgencyLead, View, Target::new(ResourceKind::ChallengeProgress, P).organisation(Some(OTHER_ORG)), false),
        (Viewer, View, Target::new(ResourceKind::Challenge, P), false),
        (BodyMember, View, Target::new(ResourceKind::Challenge, P).body(Some(BODY)), false),
        (Viewer, View, Target::new(ResourceKind::Inspection, P), true),
        (Viewer, View, Target::new(ResourceKind::Inspection, P).restricted(true), false),
        (Viewer, Create, Target::new(ResourceKind::Inspection, P), false),
        (AgencyLead, View, Target::new(ResourceKind::Inspection, P).restricted(true).organisation(Some(ORG)), true),
        (
            AgencyLead,
            View,
            Target::new(ResourceKind::Inspection, P).restricted(true).organisation(Some(OTHER_ORG)),
            false,
        ),
        (AgencyLead, Update, Target::new(ResourceKind::Inspection, P).organisation(Some(ORG)), false),
        (Scrutineer, View, Target::new(ResourceKind::Inspection, P).restricted(true), true),
        (BusinessUnit, Create, Target::new(ResourceKind::Inspection, P), true),
        (BusinessUnit, Update, Target::new(ResourceKind::Feedback, P), true),
        (Scrutineer, View, Target::new(ResourceKind::Feedback, P), true),
        (Scrutineer, Update, Target::new(ResourceKind::Feedback, P), false),
        (AgencyLead, View, Target::new(ResourceKind::Feedback, P).organisation(Some(ORG)), true),
        (AgencyLead, View, Target::new(ResourceKind::Feedback, P), false),
        (AgencyLead, Update, Target::new(ResourceKind::Feedback, P).organisation(Some(ORG)), false),
        (Viewer, View, Target::new(ResourceKind::Feedback, P), false),
        (BodyMember, View, Target::new(ResourceKind::Feedback, P), false),
        (Viewer, View, Target::new(ResourceKind::SaidDid, P), true),
        (Viewer, Create, Target::new(ResourceKind::SaidDid, P), false),
        (Viewer, View, Target::new(ResourceKind::Survey, P), false),
        (AgencyLead, View, Target::new(ResourceKind::Survey, P).organisation(Some(ORG)), false),
        (BodyMember, View, Target::new(ResourceKind::Survey, P).body(Some(BODY)), false),
        (Scrutineer, View, Target::new(ResourceKind::Survey, P), true),
        (Scrutineer, Create, Target::new(ResourceKind::Survey, P), false),
        (BusinessUnit, Create, Target::new(ResourceKind::Survey, P), true),
        (Viewer, View, Target::new(ResourceKind::Bulletin, P), true),
        (Viewer, Create, Target::new(ResourceKind::Bulletin, P), false),
        (BodyMember, View, Target::new(ResourceKind::Bulletin, P).body(Some(BODY)), true),
        (AgencyLead, Update, Target::new(ResourceKind::Bulletin, P).organisation(Some(ORG)), false),
        (Scrutineer, Update, Target::new(ResourceKind::Bulletin, P), false),
        (BusinessUnit, Update, Target::new(ResourceKind::Bulletin, P), true),
        (BusinessUnit, Create, Target::new(ResourceKind::Report, P), true),
        (Scrutineer, View, Target::new(ResourceKind::Report, P), true),
        (Scrutineer, Update, Target::new(ResourceKind::Report, P), false),
        (Scrutineer, Create, Target::new(ResourceKind::ReportScrutiny, P), true),
        (Scrutineer, Update, Target::new(ResourceKind::ReportScrutiny, P), true),
        (BusinessUnit, Update, Target::new(ResourceKind::ReportScrutiny, P), false),
        (BusinessUnit, View, Target::new(ResourceKind::ReportScrutiny, P), true),
        (BusinessUnit, Create, Target::new(ResourceKind::ReportScrutiny, P), false),
        (AgencyLead, View, Target::new(ResourceKind::ReportScrutiny, P).organisation(Some(ORG)), false),
        (Viewer, View, Target::new(ResourceKind::ReportScrutiny, P), false),
        (Viewer, View, Target::new(ResourceKind::Report, P), false),
        (BodyMember, View, Target::new(ResourceKind::Report, P).body(Some(BODY)), false),
        (AgencyLead, View, Target::new(ResourceKind::Report, P).organisation(Some(ORG)), false),
        // A section asked of its author: they read and write it, whatever their role; nobody else
        // but the business unit (and the scrutineer, reading).
        (AgencyLead, Update, Target::new(ResourceKind::ReportSection, P).owner(true), true),
        (AgencyLead, View, Target::new(ResourceKind::ReportSection, P).owner(true), true),
        (AgencyLead, Create, Target::new(ResourceKind::ReportSection, P).owner(true), false),
        (AgencyLead, Update, Target::new(ResourceKind::ReportSection, P).organisation(Some(ORG)), false),
        (AgencyLead, View, Target::new(ResourceKind::Report, P).owner(true), false),
        (BodyMember, Update, Target::new(ResourceKind::ReportSection, P).body(Some(BODY)).owner(true), true),
        (BodyMember, Update, Target::new(ResourceKind::ReportSection, P).body(Some(BODY)), false),
        (Viewer, View, Target::new(ResourceKind::ReportSection, P), false),
        (Scrutineer, View, Target::new(ResourceKind::ReportSection, P), true),
        (Scrutineer, Update, Target::new(ResourceKind::ReportSection, P), false),
        (BusinessUnit, Update, Target::new(ResourceKind::ReportSection, P), true),
        (Administrator, Administer, Target::new(ResourceKind::Calendar, P), true),
        (BusinessUnit, Administer, Target::new(ResourceKind::Calendar, P), false),
        (Viewer, View, Target::new(ResourceKind::Calendar, P), true),
        (AgencyLead, View, Target::new(ResourceKind::Calendar, P), true),
        (AgencyLead, Administer, Target::new(ResourceKind::Calendar, P), false),
        (Administrator, View, audit, true),
        // What an agency sends a review: it sends; the panel and the business unit read.
        (AgencyLead, Create, request_document(ORG, false, true), true),
        (AgencyLead, Create, request_document(ORG, false, false), false),
        (AgencyLead, Create, request_document(OTHER_ORG, false, true), false),
        (AgencyLead, View, request_document(ORG, false, true), false),
        (AgencyLead, View, request_document(ORG, true, true), true),
        (BodyMember, View, request_document(ORG, true, false), true),
        (BusinessUnit, View, request_document(ORG, false, false), true),
        (Scrutineer, View, request_document(ORG, false, false), false),
        (Viewer, View, request_document(ORG, false, true), false),
        (Administrator, End, body(OTHER_BODY, true), true),
        (BusinessUnit, Create, org(OTHER_ORG), true),
        (BusinessUnit, End, body(BODY, false), true),
        (BusinessUnit, View, person(ORG, true), true),
        (BusinessUnit, Create, users, true),
        (BusinessUnit, Administer, users, true),
        (BusinessUnit, View, audit, false),
        (BusinessUnit, Update, partnership, true),
        (BusinessUnit, Create, partnership, false),
        (Scrutineer, View, audit, true),
        (Scrutineer, View, person(OTHER_ORG, true), true),
        (Scrutineer, View, body(OTHER_BODY, true), true),
        (Scrutineer, Update, org(ORG), false),
        (Scrutineer, Create, users, false),
        (Viewer, View, org(ORG), true),
        (Viewer, View, person(ORG, true), false),
        (Viewer, View, audit, false),
        (Viewer, Update, org(ORG), false),
        (BodyMember, View, body(BODY, true), true),
        (BodyMember, View, body(OTHER_BODY, true), false),
        (BodyMember, View, body(OTHER_BODY, false), true),
        (BodyMember, Update, body(BODY, false), false),
        (AgencyLead, Update, org(ORG), true),
        (AgencyLead, Update, org(OTHER_ORG), false),
        (AgencyLead, Create, person(ORG, false), true),
        (AgencyLead, Create, person(OTHER_ORG, false), false),
        (AgencyLead, View, person(ORG, true), true),
        (AgencyLead, View, person(OTHER_ORG, true), false),
        (AgencyLead, End, org(ORG), false),
        (AgencyLead, Create, body(BODY, false), false),
        (AgencyLead, View, users, false),
        (AgencyLead, View, audit, false),
        (BusinessUnit, Create, review(false), true),
        (BusinessUnit, Update, review(false), true),
        (Scrutineer, View, review(false), true),
        (Scrutineer, Update, review(false), false),
        (Viewer, View, review(false), false),
        (Viewer, View, review(true), true),
        (Viewer, Update, review(true), false),
        (AgencyLead, View, review(false), false),
        (AgencyLead, View, review(true), true),
        (BodyMember, View, review(false), false),
        (Viewer, View, Target::new(ResourceKind::Recommendation, P), true),
        (Viewer, Create, Target::new(ResourceKind::Recommendation, P), false),
        (AgencyLead, Create, Target::new(ResourceKind::Recommendation, P), false),
        (BusinessUnit, Create, Target::new(ResourceKind::Recommendation, P), true),
        (AgencyLead, View, action(OTHER_ORG), true),
        (AgencyLead, Update, action(ORG), true),
        (AgencyLead, Update, action(OTHER_ORG), false),
        (AgencyLead, Create, action(ORG), false),
        (BusinessUnit, Update, action(OTHER_ORG), true),
        (Scrutineer, Update, action(ORG), false),
        (BodyMember, Update, action(ORG), false),
        (BodyMember, Update, judgement(BODY), true),
        (BodyMember, Update, judgement(OTHER_BODY), false),
        (AgencyLead, Update, judgement(BODY), false),
        (BusinessUnit, Update, judgement(OTHER_BODY), true),
        (Scrutineer, Update, judgement(BODY), false),
        (AgencyLead, View, chronology(ORG, false, true), true),
        (AgencyLead, Create, chronology(ORG, false, true), true),
        (AgencyLead, View, chronology(ORG, false, false), false),
        (AgencyLead, View, chronology(OTHER_ORG, false, true), false),
        (Viewer, View, chronology(ORG, true, false), true),
        (Viewer, Create, chronology(ORG, true, false), false),
        (BodyMember, View, chronology(ORG, false, false), false),
        (Scrutineer, View, chronology(ORG, false, false), true),
        (BusinessUnit, Create, chronology(ORG, false, false), true),
        (Viewer, View, Target::new(ResourceKind::Campaign, P), true),
        (AgencyLead, Create, Target::new(ResourceKind::Campaign, P), false),
        (BusinessUnit, Create, Target::new(ResourceKind::Campaign, P), true),
        // The risk register: everyone reads it; the business unit keeps it; owners rate theirs.
        (Viewer, View, Target::new(ResourceKind::Risk, P), true),
        (AgencyLead, Update, Target::new(ResourceKind::Risk, P), false),
        (BusinessUnit, Create, Target::new(ResourceKind::Risk, P), true),
        (Scrutineer, View, Target::new(ResourceKind::Risk, P), true),
        (Scrutineer, Create, Target::new(ResourceKind::RiskRating, P), false),
        (AgencyLead, Create, Target::new(ResourceKind::RiskRating, P), false),
        (AgencyLead, Create, Target::new(ResourceKind::RiskRating, P).owner(true), true),
        (Viewer, Create, Target::new(ResourceKind::RiskRating, P).owner(true), true),
        (Viewer, Update, Target::new(ResourceKind::RiskRating, P).owner(true), false),
        (BusinessUnit, Create, Target::new(ResourceKind::RiskRating, P), true),
        // The strategy: everyone reads it; a subgroup's members report on their work plan.
        (Viewer, View, Target::new(ResourceKind::Strategy, P), true),
        (BodyMember, Update, Target::new(ResourceKind::Strategy, P).body(Some(BODY)), false),
        (BusinessUnit, Create, Target::new(ResourceKind::Strategy, P), true),
        (BodyMember, Update, Target::new(ResourceKind::Activity, P).body(Some(BODY)), true),
        (BodyMember, Create, Target::new(ResourceKind::Activity, P).body(Some(BODY)), true),
        (BodyMember, Update, Target::new(ResourceKind::Activity, P).body(Some(OTHER_BODY)), false),
        (AgencyLead, Update, Target::new(ResourceKind::Activity, P).body(Some(BODY)), false),
        (Scrutineer, Update, Target::new(ResourceKind::Activity, P), false),
        (Viewer, View, Target::new(ResourceKind::Activity, P), true),
        // The budget: the business unit keeps it; the scrutineer and statutory partners' leads read it.
        (BusinessUnit, Update, Target::new(ResourceKind::Budget, P), true),
        (Scrutineer, View, Target::new(ResourceKind::Budget, P), true),
        (Scrutineer, Update, Target::new(ResourceKind::Budget, P), false),
        (Viewer, View, Target::new(ResourceKind::Budget, P), false),
        (BodyMember, View, Target::new(ResourceKind::Budget, P).body(Some(BODY)), false),
        (AgencyLead, View, Target::new(ResourceKind::Budget, P), false),
        (AgencyLead, View, Target::new(ResourceKind::Budget, P).organisation(Some(ORG)), true),
        (AgencyLead, View, Target::new(ResourceKind::Budget, P).organisation(Some(OTHER_ORG)), false),
        (AgencyLead, Update, Target::new(ResourceKind::Budget, P).organisation(Some(ORG)), false),
        // Training: everyone reads the programme; bookings the business unit, the scrutineer
        // and the agency lead of the booking's organisation.
        (Viewer, View, Target::new(ResourceKind::TrainingEvent, P), true),
        (Viewer, Create, Target::new(ResourceKind::TrainingEvent, P), false),
        (BusinessUnit, Create, Target::new(ResourceKind::TrainingEvent, P), true),
        (Viewer, View, Target::new(ResourceKind::Booking, P).organisation(Some(ORG)), false),
        (BodyMember, View, Target::new(ResourceKind::Booking, P).body(Some(BODY)), false),
        (AgencyLead, View, Target::new(ResourceKind::Booking, P).organisation(Some(ORG)), true),
        (AgencyLead, View, Target::new(ResourceKind::Booking, P).organisation(Some(OTHER_ORG)), false),
        (AgencyLead, Update, Target::new(ResourceKind::Booking, P).organisation(Some(ORG)), false),
        (Scrutineer, View, Target::new(ResourceKind::Booking, P), true),
        (Scrutineer, Update, Target::new(ResourceKind::Booking, P), false),
        (BusinessUnit, Update, Target::new(ResourceKind::Booking, P), true),
        // A partnership's own framework: the business unit imports it, everyone reads it.
        (BusinessUnit, Create, Target::new(ResourceKind::Framework, P), true),
        (AgencyLead, Create, Target::new(ResourceKind::Framework, P), false),
        (Scrutineer, Create, Target::new(ResourceKind::Framework, P), false),
        (AgencyLead, View, Target::new(ResourceKind::Framework, P), true),
        (Viewer, View, Target::new(ResourceKind::Framework, P), true),
        (BusinessUnit, Create, Target::new(ResourceKind::Framework, OTHER_P), false),
        // Meetings: seen as their body is; planned and recorded by the business unit.
        (BusinessUnit, Create, Target::new(ResourceKind::Meeting, P).body(Some(BODY)), true),
        (BodyMember, Create, Target::new(ResourceKind::Meeting, P).body(Some(BODY)), false),
        (BodyMember, View, Target::new(ResourceKind::Meeting, P).body(Some(BODY)).restricted(true), true),
        (BodyMember, View, Target::new(ResourceKind::Meeting, P).body(Some(OTHER_BODY)).restricted(true), false),
        (Viewer, View, Target::new(ResourceKind::Meeting, P).body(Some(BODY)), true),
        (Viewer, View, Target::new(ResourceKind::Meeting, P).body(Some(BODY)).restricted(true), false),
        (AgencyLead, Update, Target::new(ResourceKind::Meeting, P).body(Some(BODY)), false),
        // Papers: a restricted item's only for the body's members and those who see everything;
        // the business unit and the item's owner add them.
        (BodyMember, View, paper(BODY, true, false), true),
        (BodyMember, View, paper(OTHER_BODY, true, false), false),
        (Viewer, View, paper(BODY, false, false), true),
        (Viewer, View, paper(BODY, true, false), false),
        (AgencyLead, View, paper(BODY, true, false), false),
        (AgencyLead, View, paper(BODY, true, true), true),
        (AgencyLead, Create, paper(BODY, true, true), true),
        (AgencyLead, Create, paper(BODY, false, false), false),
        (Viewer, Update, paper(BODY, false, true), false),
        (BusinessUnit, Create, paper(BODY, true, false), true),
        (Scrutineer, View, paper(BODY, true, false), true),
        (Scrutineer, Create, paper(BODY, true, false), false),
        (AgencyLead, Update, assessment(ORG), true),
        (AgencyLead, View, assessment(OTHER_ORG), false),
        (Viewer, View, assessment(ORG), false),
        (BodyMember, View, assessment(ORG), false),
        (Scrutineer, View, assessment(ORG), true),
        (Scrutineer, Update, assessment(ORG), false),
    ]
}

#[test]
fn policy_table() {
    for (role, action, target, allowed) in table() {
        assert_eq!(can(&actor(role), action, &target), allowed, "{role:?} {action:?} {target:?}");
    }
}

#[test]
fn no_role_reaches_another_partnership() {
    for role in Role::ALL {
        for action in [View, Create, Update, End, Administer] {
            for kind in [ResourceKind::Organisation, ResourceKind::Person, ResourceKind::Body, ResourceKind::AuditLog] {
                let target = Target::new(kind, OTHER_P).organisation(Some(ORG)).body(Some(BODY));
                assert!(!can(&actor(role), action, &target), "{role:?} {action:?} {kind:?}");
            }
        }
    }
}

#[test]
fn an_actor_without_grants_can_do_nothing() {
    let nobody = Actor { user: UserId(9), grants: vec![] };
    assert!(!can(&nobody, View, &org(ORG)));
}

#[test]
fn role_codes_round_trip() {
    for role in Role::ALL {
        assert_eq!(Role::parse(role.code()), Some(role));
    }
}

const KINDS: [ResourceKind; 28] = [
    ResourceKind::Partnership,
    ResourceKind::Organisation,
    ResourceKind::Person,
    ResourceKind::Body,
    ResourceKind::Membership,
    ResourceKind::TermsOfReference,
    ResourceKind::User,
    ResourceKind::AuditLog,
    ResourceKind::Calendar,
    ResourceKind::Review,
    ResourceKind::Chronology,
    ResourceKind::RequestDocument,
    ResourceKind::Recommendation,
    ResourceKind::PlanAction,
    ResourceKind::Judgement,
    ResourceKind::Framework,
    ResourceKind::Meeting,
    ResourceKind::Paper,
    ResourceKind::Risk,
    ResourceKind::RiskRating,
    ResourceKind::Strategy,
    ResourceKind::Activity,
    ResourceKind::Campaign,
    ResourceKind::Assessment,
    ResourceKind::Indicator,
    ResourceKind::Budget,
    ResourceKind::TrainingEvent,
    ResourceKind::Booking,
];

/// Every target the rules can tell apart, in partnership `P`, as use-cases build them.
fn every_target() -> Vec<Target> {
    let mut out = Vec::new();
    for kind in KINDS {
        for organisation in [None, Some(ORG), Some(OTHER_ORG)] {
            for body in [None, Some(BODY), Some(OTHER_BODY)] {
                for flags in 0..16u8 {
                    // Reviews, chronologies and returns are always restricted (`Target::new`).
                    let always = Target::new(kind, P).restricted;
                    out.push(
                        Target::new(kind, P)
                            .organisation(organisation)
                            .body(body)
                            .restricted(always || flags & 1 != 0)
                            .on_panel(flags & 2 != 0)
                            .asked(flags & 4 != 0)
                            .owner(flags & 8 != 0),
                    );
                }
            }
        }
    }
    out
}

#[test]
fn a_role_covers_another_exactly_when_it_can_do_everything_the_other_can() {
    let targets = every_target();
    for a in Role::ALL {
        for b in Role::ALL {
            let holds_all = targets.iter().all(|t| {
                [View, Create, Update, End, Administer]
                    .into_iter()
                    .all(|action| !can(&actor(b), action, t) || can(&actor(a), action, t))
            });
            assert_eq!(a.covers(b), holds_all, "{a:?} covers {b:?}");
        }
    }
}

fn grant(role: Role) -> Grant {
    let scope = match role.scope_kind() {
        ScopeKind::Partnership => Scope::Partnership(P),
        ScopeKind::Organisation => Scope::Organisation(P, OTHER_ORG),
        ScopeKind::Body => Scope::Body(P, OTHER_BODY),
    };
    Grant { role, scope }
}

#[test]
fn nobody_grants_a_role_they_do_not_hold_or_anything_to_themselves() {
    let admin = actor(Administrator);
    let bu = actor(BusinessUnit);
    let someone = Some(UserId(2));
    for role in Role::ALL {
        assert!(may_grant(&admin, someone, &grant(role)), "administrator grants {role:?}");
        assert!(!may_grant(&admin, Some(admin.user), &grant(role)), "administrator to self {role:?}");
        assert!(!may_grant(&bu, Some(bu.user), &grant(role)), "business unit to self {role:?}");
        let bu_may = matches!(role, BusinessUnit | AgencyLead | BodyMember | Viewer);
        assert_eq!(may_grant(&bu, someone, &grant(role)), bu_may, "business unit grants {role:?}");
        assert_eq!(may_grant(&bu, None, &grant(role)), bu_may, "business unit creates with {role:?}");
        for other in [Scrutineer, BodyMember, AgencyLead, Viewer] {
            assert!(!may_grant(&actor(other), someone, &grant(role)), "{other:?} grants {role:?}");
        }
    }
    // Holding a role in one partnership grants nothing in another.
    let elsewhere = Grant { role: Viewer, scope: Scope::Partnership(OTHER_P) };
    assert!(!may_grant(&admin, someone, &elsewhere));
}

#[test]
fn only_administrators_manage_administrators_and_scrutineers_accounts() {
    let admin = actor(Administrator);
    let bu = actor(BusinessUnit);
    let someone = UserId(2);
    for role in [Administrator, Scrutineer] {
        assert!(may_manage_account(&admin, someone, &[grant(role)]));
        assert!(!may_manage_account(&bu, someone, &[grant(role)]), "{role:?}");
        // Holding such a role beside an ordinary one still protects the account.
        assert!(!may_manage_account(&bu, someone, &[grant(Viewer), grant(role)]), "{role:?} and viewer");
    }
    assert!(may_manage_account(&bu, someone, &[grant(AgencyLead), grant(Viewer)]));
    assert!(!may_manage_account(&bu, bu.user, &[grant(BusinessUnit)]), "one's own account");
    // A role in a partnership the actor does not administer protects the account too.
    let also_elsewhere = [grant(Viewer), Grant { role: Viewer, scope: Scope::Partnership(OTHER_P) }];
    assert!(!may_manage_account(&bu, someone, &also_elsewhere));
}
