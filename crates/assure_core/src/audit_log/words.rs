//! The audit log in words: each entry as a sentence a person reads ("Bea Manager moved case
//! review 12 to its next stage"), and the lists its filters offer. The entry itself (its codes
//! and JSON detail) stays as written; these only say it.

use super::Entry;

/// Every action the log records: its code, what it says with `{record}` standing for the record,
/// and how the filter's list names it.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("read", "read {record}", "Read a restricted record"),
    ("create", "created {record}", "Created a record"),
    ("update", "changed {record}", "Changed a record"),
    ("end", "recorded the end of {record}", "Ended a record"),
    ("delete", "deleted {record}", "Deleted a record"),
    ("sign_in", "signed in", "Signed in"),
    ("sign_in_failed", "failed to sign in", "Failed to sign in"),
    ("sign_out", "signed out", "Signed out"),
    ("sign_out_everywhere", "signed out on every device", "Signed out on every device"),
    ("second_factor", "passed two-step sign-in", "Passed two-step sign-in"),
    ("second_factor_failed", "failed two-step sign-in", "Failed two-step sign-in"),
    ("totp_enabled", "turned on two-step sign-in", "Turned on two-step sign-in"),
    ("recovery_codes_replaced", "made new recovery codes", "Made new recovery codes"),
    ("password_changed", "changed their password", "Changed their password"),
    ("grant", "granted a role to {record}", "Granted a role"),
    ("revoke", "removed a role from {record}", "Removed a role"),
    ("disable", "disabled {record}", "Disabled an account"),
    ("enable", "enabled {record}", "Enabled an account"),
    ("reset_password", "reset the password of {record}", "Reset a password"),
    ("reset_second_factor", "reset two-step sign-in for {record}", "Reset two-step sign-in"),
    ("create_token", "issued an API token to {record}", "Issued an API token"),
    ("second_factor_policy", "changed who must use two-step sign-in", "Changed the two-step sign-in policy"),
    ("backup", "backed up the database", "Backed up the database"),
    ("restore", "restored the database from a backup", "Restored the database"),
    ("demo_loaded", "loaded the demo partnership", "Loaded the demo"),
    ("close_day", "closed a day in the working calendar", "Closed a day"),
    ("reopen_day", "reopened a day in the working calendar", "Reopened a day"),
    ("transition", "moved {record} to its next stage", "Moved a case review on"),
    ("pause", "paused {record}", "Paused a case review"),
    ("resume", "resumed {record}", "Resumed a case review"),
    ("panel_add", "added someone to the panel of {record}", "Added to a review's panel"),
    ("themes", "tagged {record} with its themes", "Tagged a review's themes"),
    ("request", "asked for information on {record}", "Asked for information"),
    ("request_returned", "recorded information returned on {record}", "Recorded a return of information"),
    ("request_documents", "sent documents in answer to a request on {record}", "Sent documents to a review"),
    ("chronology_add", "added chronology entries to {record}", "Added chronology entries"),
    ("chronology_remove", "removed a chronology entry from {record}", "Removed a chronology entry"),
    ("briefing", "wrote the 7-minute briefing of {record}", "Wrote a 7-minute briefing"),
    ("appoint", "appointed a reviewer or author to {record}", "Appointed a reviewer"),
    ("learning_event", "recorded a practitioner learning event of {record}", "Recorded a learning event"),
    ("terms", "added a version of the terms of reference of {record}", "Added terms of reference"),
    ("findings", "recorded the child death panel's findings on {record}", "Recorded a child death review's findings"),
    ("rename", "renamed {record}", "Renamed a theme"),
    ("merge", "merged {record} into another theme", "Merged themes"),
    ("progress", "reported progress on {record}", "Reported progress"),
    ("milestone_add", "added a milestone to {record}", "Added a milestone"),
    ("milestone_met", "recorded a milestone of {record} as met", "Met a milestone"),
    ("evidence_add", "added evidence of impact to {record}", "Added evidence"),
    ("judge", "judged {record}", "Judged evidence"),
    ("revise", "revised {record}", "Revised an action"),
    ("calendar_feed", "made a new calendar feed address", "Calendar feed address made"),
    ("in_kind", "recorded time given to {record}", "Time given recorded"),
    ("in_kind_rate", "set the hourly rate for time given in {record}", "Rate for time given set"),
    ("import", "imported {record}", "Imported a file"),
    ("framework_loaded", "loaded {record}", "Loaded a framework"),
    ("template_loaded", "loaded {record}", "Loaded a return template"),
    ("answer", "saved answers on {record}", "Saved answers"),
    ("answer_file", "uploaded a file as an answer on {record}", "Uploaded an answer's file"),
    ("submit", "submitted {record}", "Submitted a return"),
    ("request_changes", "asked for changes to {record}", "Asked for changes"),
    ("validate", "accepted {record}", "Accepted a data return"),
    ("close", "closed {record}", "Closed a return"),
    ("reopen", "reopened {record}", "Reopened a return"),
    ("lock", "locked {record}", "Locked a return"),
    ("unlock", "lifted the lock on {record}", "Lifted a lock"),
    ("link_create", "made a respondent link for {record}", "Made a respondent link"),
    ("link_revoke", "revoked a respondent link for {record}", "Revoked a respondent link"),
    ("link_refused", "was refused a respondent link to {record}", "Refused a respondent link"),
    ("moderate", "moderated the scores of {record}", "Moderated scores"),
    ("challenge", "commented on an answer of {record}", "Commented on an answer"),
    ("remind", "reminded organisations about {record}", "Sent reminders"),
    ("threshold", "set the thresholds of {record}", "Set thresholds"),
    ("comment", "wrote commentary on {record}", "Wrote commentary"),
    ("version", "changed the definition of {record}", "Changed an indicator's definition"),
    ("extract", "uploaded {record}", "Uploaded an extract"),
    ("cancel", "cancelled {record}", "Cancelled a meeting"),
    ("attendance", "recorded attendance at {record}", "Recorded attendance"),
    ("quorum", "set the quorum of {record}", "Set a quorum"),
    ("plan", "planned the meetings of {record}", "Planned a year of meetings"),
    ("papers", "added papers to {record}", "Added papers"),
    ("remove_paper", "removed a paper from {record}", "Removed a paper"),
    ("reorder", "reordered the agenda of {record}", "Reordered an agenda"),
    ("publish_pack", "published the papers of {record}", "Published a meeting's papers"),
    ("papers_due", "set when the papers of {record} are due", "Set a papers deadline"),
    ("minutes", "wrote the minutes of {record}", "Wrote minutes"),
    ("reply", "replied to the invitation to {record}", "Replied to an invitation"),
    ("declare", "recorded an interest declared at {record}", "Recorded a declaration of interest"),
    ("decide", "recorded a decision of {record}", "Recorded a decision"),
    ("rate", "reviewed the rating of {record}", "Reviewed a risk's rating"),
    ("status", "changed the status of {record}", "Changed a risk's status"),
    ("control", "changed the controls on {record}", "Changed a risk's controls"),
    ("link_action", "linked an action on the plan to {record}", "Linked an action to a risk"),
    ("unlink_action", "unlinked an action on the plan from {record}", "Unlinked an action from a risk"),
    ("appetite", "set the board's appetite for {record}", "Set a risk appetite"),
    ("matrix", "changed the risk matrix of {record}", "Changed a risk matrix"),
    ("contributions", "set the partners' contributions to {record}", "Set partners' contributions"),
    ("figures", "recorded a quarter's actual and forecast of {record}", "Recorded a quarter's figures"),
    ("lock_year", "locked {record} at its outturn", "Locked a year's budget"),
    ("book", "booked a place on {record}", "Booked a place"),
    ("cancel_booking", "cancelled a booking on {record}", "Cancelled a booking"),
    ("cancel_session", "cancelled {record}, with its bookings", "Cancelled a training session"),
    ("accept_offer", "accepted a place offered from the waiting list of {record}", "Accepted a place offered"),
    ("register", "took the register of {record}", "Took a register"),
    ("evaluate", "evaluated {record}", "Evaluated a session"),
    ("follow_up", "said what changed in their practice after {record}", "Returned a follow-up"),
    ("countersign", "countersigned a follow-up of {record}", "Countersigned a follow-up"),
    ("training_settings", "set the training settings of {record}", "Set the training settings"),
    (
        "training_work",
        "lapsed offers of places, sent training follow-ups and reminders, and erased booking details past their retention in {record}",
        "Training offers, follow-ups and retention",
    ),
    ("close_challenge", "closed {record}", "Closed a log entry"),
    ("triage_feedback", "moved {record} on", "Triaged feedback"),
    ("close_survey", "closed {record} to answers", "Closed a survey"),
    ("erase_contacts", "erased the contact details of closed {record}", "Erased feedback's contact details"),
    ("answer_survey", "answered {record}", "Answered a survey"),
    ("reopen_challenge", "reopened {record}", "Reopened a log entry"),
    (
        "challenge_settings",
        "set when open entries of the challenge log of {record} are flagged",
        "Set the challenge log's flag",
    ),
    ("decide_recommendation", "recorded what was decided about {record}", "Decided about a recommendation"),
    ("publish_bulletin", "published {record}", "Published a bulletin"),
    ("send_bulletin", "sent {record} to its subscribers", "Sent a bulletin"),
    ("subscribe", "asked for the bulletin ({record})", "Asked to subscribe to the bulletin"),
    ("confirm_subscription", "confirmed {record}", "Confirmed a bulletin subscription"),
    ("unsubscribe", "ended {record}", "Unsubscribed from the bulletin"),
    ("approve_minutes", "recorded the minutes of {record} approved as a correct record", "Approved minutes"),
    ("explain_gap", "explained a gap in {record}", "Explained a report's gap"),
    ("scrutiny_comment", "commented on {record} as its independent scrutineer", "Commented on a report"),
    ("respond_comment", "responded to the scrutineer's comment on {record}", "Responded to a scrutineer's comment"),
    ("review_report", "recorded the independent scrutineer's review of {record}", "Reviewed a report"),
    ("agree_report", "recorded a statutory partner's agreement to {record}", "Recorded a partner's agreement"),
    ("reopen_report", "reopened {record}, withdrawing its review and agreements", "Reopened a report"),
    ("publish_report", "published {record}", "Published a report"),
    ("send_report", "sent {record} to a recipient, or recorded it sent", "Sent a report"),
    ("scrutiny_activity", "recorded a piece of scrutiny in {record}", "Recorded a piece of scrutiny"),
    ("remove_scrutiny_activity", "removed a piece of scrutiny from {record}", "Removed a piece of scrutiny"),
    ("scrutiny_recommendation", "made a recommendation in {record}", "Made a scrutiny recommendation"),
    ("remove_scrutiny_recommendation", "removed a recommendation from {record}", "Removed a scrutiny recommendation"),
    (
        "respond_recommendation",
        "recorded a partner's response to a recommendation of {record}",
        "Recorded a partner's response",
    ),
    ("ask_section_author", "asked someone to write a section of {record}", "Asked a section's author"),
    ("withdraw_section_author", "withdrew the request for a section of {record}", "Withdrew a section's author"),
];

/// Every kind of record the log names: its code and its name in a sentence.
pub const RECORDS: &[(&str, &str)] = &[
    ("partnership", "the partnership"),
    ("organisation", "organisation"),
    ("person", "person"),
    ("body", "board or subgroup"),
    ("membership", "membership"),
    ("meeting", "meeting"),
    ("agenda_item", "agenda item"),
    ("paper", "meeting paper"),
    ("standing_item", "standing item of a business cycle"),
    ("meeting_action", "action from a meeting"),
    ("terms_of_reference", "terms of reference"),
    ("risk_register", "risk register"),
    ("strategy", "strategy"),
    ("priority", "priority of the strategy"),
    ("activity", "activity"),
    ("risk", "risk"),
    ("challenge_entry", "entry of the challenge and escalation log"),
    ("inspection", "inspection"),
    ("feedback", "feedback from the public page"),
    ("said_did", "\"You said, we did\" entry"),
    ("survey", "survey"),
    ("bulletin", "bulletin"),
    ("bulletin_subscriber", "subscription to the bulletin"),
    ("report", "yearly report"),
    ("inspection_judgement", "judgement of an inspection"),
    ("budget", "budget"),
    ("training_event", "training event"),
    ("training_session", "training session"),
    ("budget_line", "line of a budget"),
    ("risk_category", "risk category"),
    ("user", "account"),
    ("calendar", "the working calendar"),
    ("review", "case review"),
    ("request_document", "document sent to a case review"),
    ("theme", "theme"),
    ("recommendation", "recommendation"),
    ("action", "action"),
    ("evidence", "evidence"),
    ("campaign", "audit campaign"),
    ("assessment", "audit return"),
    ("framework", "framework"),
    ("indicator", "indicator"),
    ("dashboard_area", "the dashboard's area"),
    ("entered_figure", "entered figure"),
    ("published_data", "published data"),
    ("data_return", "data return"),
    ("return_template", "return template"),
    ("extract_run", "record-level extract"),
    ("database", "the database"),
];

/// How a sentence names an actor who is no account: the operator's commands, Assure itself.
pub fn actor_words(label: &str) -> &str {
    match label {
        "cli" => "The operator",
        "system" => "Assure",
        "unknown account" => "Someone with no account",
        other => other,
    }
}

/// How a sentence names the entry's record: "case review 12", "the working calendar".
pub fn record_words(record_type: &str, record_id: Option<&str>) -> String {
    let noun = RECORDS
        .iter()
        .find(|(code, _)| *code == record_type)
        .map(|(_, noun)| (*noun).to_owned())
        .unwrap_or_else(|| record_type.replace('_', " "));
    match record_id {
        Some(id) if !noun.starts_with("the ") => format!("{noun} {id}"),
        _ if noun.starts_with("the ") => noun,
        _ => format!("a {noun}"),
    }
}

/// The entry as a sentence: who did what to which record, naming the actor `who` (their name,
/// where the reader knows the account). An action the list does not know is said by its code,
/// never dropped.
pub fn sentence(e: &Entry, who: &str, record_name: Option<&str>) -> String {
    let record = match record_name {
        Some(name) => name.to_owned(),
        None => record_words(&e.record_type, e.record_id.as_deref()),
    };
    let done = match ACTIONS.iter().find(|(code, _, _)| *code == e.action) {
        Some((_, phrase, _)) => phrase.replace("{record}", &record),
        None => format!("{} ({record})", e.action.replace('_', " ")),
    };
    format!("{who} {done}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, record_type: &str, record_id: Option<&str>) -> Entry {
        Entry {
            seq: 1,
            at: "2026-11-29T12:00:00Z".into(),
            actor_user_id: Some(2),
            actor_label: "business.manager@example.org".into(),
            action: action.into(),
            record_type: record_type.into(),
            record_id: record_id.map(str::to_owned),
            partnership_id: Some(1),
            ip: None,
            request_id: None,
            detail: "{}".into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn said(e: &Entry) -> String {
        sentence(e, actor_words(&e.actor_label), None)
    }

    #[test]
    fn each_entry_reads_as_who_did_what_to_which_record() {
        assert_eq!(
            said(&entry("transition", "review", Some("12"))),
            "business.manager@example.org moved case review 12 to its next stage"
        );
        assert_eq!(said(&entry("read", "assessment", Some("4"))), "business.manager@example.org read audit return 4");
        assert_eq!(said(&entry("sign_in", "user", Some("2"))), "business.manager@example.org signed in");
        assert_eq!(
            said(&entry("close_day", "calendar", None)),
            "business.manager@example.org closed a day in the working calendar"
        );
        assert_eq!(said(&entry("read", "review", None)), "business.manager@example.org read a case review");
        assert_eq!(
            said(&entry("something_new", "gadget", Some("3"))),
            "business.manager@example.org something new (gadget 3)"
        );
    }

    #[test]
    fn every_action_and_record_is_listed_once() {
        let mut codes: Vec<&str> = ACTIONS.iter().map(|(c, _, _)| *c).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before);
        let mut records: Vec<&str> = RECORDS.iter().map(|(c, _)| *c).collect();
        records.sort_unstable();
        let before = records.len();
        records.dedup();
        assert_eq!(records.len(), before);
    }
}
