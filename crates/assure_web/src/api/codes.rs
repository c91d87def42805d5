//! The codes a property of the API takes, written into the OpenAPI document as `enum` from the
//! domain's own lists ([`Choice::ALL`]), so the document cannot drift from what the server
//! accepts and sends. Review types are left out: each partnership configures its own.

use assure_domain::audits::assessment::{AssessmentState, Party, Step};
use assure_domain::audits::framework::{AnswerType, NodeKind, SchemeKind};
use assure_domain::intelligence::returns::{FieldKind, PeriodType, ReturnStatus};
use assure_domain::learning::{ActionStatus, Rag, RecScope};
use assure_domain::meetings::agenda::Purpose;
use assure_domain::meetings::minutes::ActionState;
use assure_domain::meetings::{Presence, Week};
use assure_domain::reviews::chronology::Precision;
use assure_domain::reviews::conduct::AppointmentRole;
use assure_domain::reviews::{ClockState, Decision, Stage};
use assure_domain::structure::{ArmKind, BodyKind, Cadence, Choice, MembershipRole, OrganisationKind, Sector};
use serde_json::Value;

fn codes<C: Choice>() -> Vec<&'static str> {
    C::ALL.iter().map(|c| c.code()).collect()
}

/// (schema, property, the codes it takes).
fn table() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let role: Vec<&'static str> = assure_domain::Role::ALL.iter().map(|r| r.code()).collect();
    let mut line_categories = codes::<assure_domain::finance::IncomeKind>();
    line_categories.extend(codes::<assure_domain::finance::Group>());
    let inspection_kinds: Vec<&'static str> =
        assure_core::inspections::types().types.iter().map(|t| t.code.as_str()).collect();
    let mut arm_or_both = codes::<ArmKind>();
    arm_or_both.push("both");
    vec![
        ("OrganisationIn", "kind", codes::<OrganisationKind>()),
        ("OrganisationOut", "kind", codes::<OrganisationKind>()),
        ("OrganisationIn", "sector", codes::<Sector>()),
        ("OrganisationOut", "sector", codes::<Sector>()),
        ("AnalysisRowOut", "sector", codes::<Sector>()),
        ("BodyIn", "kind", codes::<BodyKind>()),
        ("BodyOut", "kind", codes::<BodyKind>()),
        ("BodyIn", "cadence", codes::<Cadence>()),
        ("BodyOut", "cadence", codes::<Cadence>()),
        ("BodyIn", "arm", arm_or_both),
        ("BodyOut", "arm", codes::<ArmKind>()),
        ("ReviewIn", "arm", codes::<ArmKind>()),
        ("ReviewOut", "arm", codes::<ArmKind>()),
        ("IndicatorOut", "arm", codes::<ArmKind>()),
        ("MembershipIn", "role", codes::<MembershipRole>()),
        ("MembershipOut", "role", codes::<MembershipRole>()),
        ("RoleRef", "role", role),
        ("ReviewOut", "stage", codes::<Stage>()),
        ("ReviewSummary", "stage", codes::<Stage>()),
        ("TransitionIn", "to", codes::<Stage>()),
        ("ReviewOut", "decision", codes::<Decision>()),
        ("TransitionIn", "decision", codes::<Decision>()),
        ("ClockOut", "state", codes::<ClockState>()),
        ("RequestOut", "state", codes::<ClockState>()),
        ("EntryOut", "precision", codes::<Precision>()),
        ("AppointmentIn", "role", codes::<AppointmentRole>()),
        ("AppointmentOut", "role", codes::<AppointmentRole>()),
        ("RecommendationIn", "scope", codes::<RecScope>()),
        ("RecommendationOut", "scope", codes::<RecScope>()),
        ("RecommendationOut", "decision", codes::<assure_domain::learning::RecDecision>()),
        ("RecommendationDecisionIn", "decision", codes::<assure_domain::learning::RecDecision>()),
        ("RecommendationDecisionOut", "decision", codes::<assure_domain::learning::RecDecision>()),
        ("ProgressIn", "status", codes::<ActionStatus>()),
        ("ActionOut", "status", codes::<ActionStatus>()),
        ("ProgressIn", "rag", codes::<Rag>()),
        ("ActionOut", "rag", codes::<Rag>()),
        ("ActionOut", "source_kind", codes::<assure_domain::learning::PlanSource>()),
        ("InspectionIn", "kind", inspection_kinds.clone()),
        ("FeedbackOut", "giver", codes::<assure_domain::voice::Giver>()),
        ("FeedbackOut", "topic", codes::<assure_domain::voice::Topic>()),
        ("FeedbackOut", "status", codes::<assure_domain::voice::Status>()),
        ("FeedbackStepOut", "step", codes::<assure_domain::voice::Step>()),
        ("FeedbackStepOut", "status", codes::<assure_domain::voice::Status>()),
        ("TriageIn", "step", codes::<assure_domain::voice::Step>()),
        ("BulletinOut", "status", codes::<assure_domain::bulletins::Status>()),
        ("BulletinItemOut", "kind", codes::<assure_domain::bulletins::ItemKind>()),
        ("BulletinItemIn", "kind", codes::<assure_domain::bulletins::ItemKind>()),
        ("ReportOut", "kind", codes::<assure_domain::reports::ReportKind>()),
        ("ReportIn", "kind", codes::<assure_domain::reports::ReportKind>()),
        ("ReportSectionOut", "key", codes::<assure_domain::reports::SectionKey>()),
        ("ReportGapOut", "section", codes::<assure_domain::reports::SectionKey>()),
        ("ReportOut", "status", codes::<assure_domain::reports::ReportStatus>()),
        ("ReportCommentOut", "section", codes::<assure_domain::reports::SectionKey>()),
        ("ReportCommentIn", "section", codes::<assure_domain::reports::SectionKey>()),
        ("ReportActivityOut", "method", codes::<assure_domain::reports::Method>()),
        ("ReportActivityIn", "method", codes::<assure_domain::reports::Method>()),
        ("ReportRecommendationOut", "stance", codes::<assure_domain::reports::Stance>()),
        ("ReportPartnerResponseIn", "stance", codes::<assure_domain::reports::Stance>()),
        ("ReportEasyReadFindingOut", "rule", codes::<assure_domain::reports::easy_read::Rule>()),
        ("ReportEasyReadCountOut", "rule", codes::<assure_domain::reports::easy_read::Rule>()),
        ("InspectionOut", "kind", inspection_kinds),
        ("FrameworkOut", "scheme", codes::<SchemeKind>()),
        ("ItemOut", "type", codes::<NodeKind>()),
        ("ItemOut", "answer", codes::<AnswerType>()),
        ("AssessmentOut", "state", codes::<AssessmentState>()),
        ("RecipientOut", "state", codes::<AssessmentState>()),
        ("StepIn", "step", codes::<Step>()),
        ("CommentOut", "party", codes::<Party>()),
        ("ReturnOut", "status", codes::<ReturnStatus>()),
        ("ReturnSummaryOut", "status", codes::<ReturnStatus>()),
        ("TemplateSummaryOut", "period_type", codes::<PeriodType>()),
        ("TemplateOut", "period_type", codes::<PeriodType>()),
        ("TemplateFieldOut", "kind", codes::<FieldKind>()),
        ("TemplateFigureOut", "kind", vec![FieldKind::Whole.code(), FieldKind::Percent.code()]),
        ("SeatOut", "presence", codes::<Presence>()),
        ("MarkIn", "presence", codes::<Presence>()),
        ("SeatOut", "role", codes::<MembershipRole>()),
        ("PlanIn", "week", codes::<Week>()),
        ("PlanIn", "weekday", assure_domain::meetings::WEEKDAYS.iter().map(|(_, code, _)| *code).collect()),
        ("AgendaItemIn", "purpose", codes::<Purpose>()),
        ("AgendaItemOut", "purpose", codes::<Purpose>()),
        ("AgendaItemOut", "papers_withheld", vec!["restricted", "not_published"]),
        ("StandingItemIn", "purpose", codes::<Purpose>()),
        ("StandingItemOut", "purpose", codes::<Purpose>()),
        ("MeetingActionOut", "state", codes::<ActionState>()),
        ("ActionStateIn", "state", codes::<ActionState>()),
        ("MinutesOut", "status", vec!["none", "draft", "approved"]),
        ("SeatOut", "reply", codes::<assure_domain::meetings::Reply>()),
        ("ReplyIn", "reply", codes::<assure_domain::meetings::Reply>()),
        ("RegisterIn", "arm", codes::<ArmKind>()),
        ("RegisterSummaryOut", "arm", codes::<ArmKind>()),
        ("RegisterOut", "arm", codes::<ArmKind>()),
        ("BandOut", "colour", codes::<assure_domain::risks::BandColour>()),
        ("RiskOut", "direction", codes::<assure_domain::risks::Direction>()),
        ("RiskOut", "status", codes::<assure_domain::risks::Status>()),
        ("StatusIn", "status", codes::<assure_domain::risks::Status>()),
        ("HistoryOut", "kind", codes::<assure_domain::risks::RatingKind>()),
        ("LinkedActionOut", "status", codes::<ActionStatus>()),
        ("BudgetLineIn", "side", codes::<assure_domain::finance::Side>()),
        ("BudgetLineOut", "side", codes::<assure_domain::finance::Side>()),
        ("BudgetLineIn", "category", line_categories.clone()),
        ("BudgetLineOut", "category", line_categories),
        ("ChallengeIn", "direction", codes::<assure_domain::challenges::Direction>()),
        ("ChallengeOut", "direction", codes::<assure_domain::challenges::Direction>()),
        ("ChallengeOut", "status", codes::<assure_domain::challenges::Status>()),
        ("TrainingEventIn", "kind", codes::<assure_domain::training::EventKind>()),
        ("TrainingEventOut", "kind", codes::<assure_domain::training::EventKind>()),
        ("TrainingBookingOut", "status", codes::<assure_domain::training::BookingStatus>()),
        ("TrainingBookingOut", "attendance", codes::<assure_domain::training::Attendance>()),
        ("TrainingMarkIn", "attendance", codes::<assure_domain::training::Attendance>()),
        ("TrainingBookingOut", "sector", codes::<Sector>()),
        ("TrainingBookingOut", "champion", codes::<assure_domain::training::ChampionKind>()),
        ("StrategyIn", "arm", codes::<ArmKind>()),
        ("StrategySummaryOut", "arm", codes::<ArmKind>()),
        ("ActivityOut", "status", codes::<assure_domain::strategy::Status>()),
        ("ActivityOut", "rag", codes::<assure_domain::strategy::Rag>()),
        ("ActivityOut", "marker", codes::<assure_domain::strategy::Marker>()),
        ("UpdateOut", "status", codes::<assure_domain::strategy::Status>()),
        ("UpdateOut", "rag", codes::<assure_domain::strategy::Rag>()),
        ("UpdateOut", "marker", codes::<assure_domain::strategy::Marker>()),
        ("ActivityProgressIn", "status", codes::<assure_domain::strategy::Status>()),
        ("ActivityProgressIn", "rag", codes::<assure_domain::strategy::Rag>()),
        ("ActivityProgressIn", "marker", codes::<assure_domain::strategy::Marker>()),
        ("ReportLineOut", "status", codes::<assure_domain::strategy::Status>()),
        ("ReportLineOut", "rag", codes::<assure_domain::strategy::Rag>()),
        ("ReportLineOut", "outcome", codes::<assure_domain::strategy::Outcome>()),
        ("TaskTimeIn", "given", codes::<assure_domain::meetings::in_kind::Given>()),
        ("TaskTimeOut", "given", codes::<assure_domain::meetings::in_kind::Given>()),
    ]
}

/// Writes each property's codes into the document (with `null` where the property may be null),
/// and returns the entries of the table that name no property, which a test keeps empty.
pub(super) fn write(doc: &mut Value) -> Vec<String> {
    let mut missing = Vec::new();
    for (schema, property, codes) in table() {
        let Some(p) = doc.pointer_mut(&format!("/components/schemas/{schema}/properties/{property}")) else {
            missing.push(format!("{schema}.{property}"));
            continue;
        };
        let nullable = match p.get("type") {
            Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
            _ => false,
        };
        let mut values: Vec<Value> = codes.into_iter().map(Value::from).collect();
        if nullable {
            values.push(Value::Null);
        }
        p["enum"] = Value::Array(values);
    }
    missing
}

/// Dates and times by the API's names for them: a property ending `_on`, and `due`, `from`,
/// `on`, `from_date`, `to_date` and `effective_from`, is a date (`2026-11-29`); a meeting's
/// `starts_at` and `ends_at` are times of day (`10:00`, in England's time); `at` and any other
/// ending `_at` a moment in UTC (RFC 3339, `2026-11-29T15:40:32.000000Z`).
pub(super) fn write_formats(doc: &mut Value) {
    const DATES: [&str; 6] = ["due", "from", "on", "from_date", "to_date", "effective_from"];
    const TIMES_OF_DAY: [&str; 2] = ["starts_at", "ends_at"];
    let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for schema in schemas.values_mut() {
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else { continue };
        for (name, p) in properties.iter_mut() {
            let string = match p.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
                _ => false,
            };
            if TIMES_OF_DAY.contains(&name.as_str()) {
                if string {
                    p["pattern"] = Value::from("^([01][0-9]|2[0-3]):[0-5][0-9]$");
                }
                continue;
            }
            let format = if name.ends_with("_on") || DATES.contains(&name.as_str()) {
                "date"
            } else if name == "at" || name.ends_with("_at") {
                "date-time"
            } else {
                continue;
            };
            if string {
                p["format"] = Value::from(format);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_entry_names_a_property_of_the_document() {
        let mut doc = serde_json::to_value(super::super::api_router().split_for_parts().1).unwrap();
        assert_eq!(super::write(&mut doc), Vec::<String>::new());
        assert!(doc.pointer("/components/schemas/OrganisationIn/properties/kind/enum").is_some());
        // Every example is one of its property's codes.
        for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
            for (property, p) in schema["properties"].as_object().into_iter().flatten() {
                if let (Some(example), Some(codes)) = (p.get("example"), p.get("enum").and_then(|e| e.as_array())) {
                    assert!(codes.contains(example), "{name}.{property}: {example} is not one of {codes:?}");
                }
            }
        }
    }
}
