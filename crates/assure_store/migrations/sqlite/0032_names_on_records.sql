-- Records name the people who made them by their name, not their e-mail (the audit log keeps the
-- e-mail, which identifies the account). Records made before this name people by e-mail: each
-- such e-mail of an account with a name becomes that name.
UPDATE review_events SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = review_events.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE action_updates SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = action_updates.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE evidence SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = evidence.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE evidence SET judged_by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = evidence.judged_by_label)
WHERE judged_by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE briefings SET updated_by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = briefings.updated_by_label)
WHERE updated_by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE action_revisions SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = action_revisions.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE assessment_events SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = assessment_events.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE respondent_links SET created_by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = respondent_links.created_by_label)
WHERE created_by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE moderated_scores SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = moderated_scores.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE challenges SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = challenges.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE answer_files SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = answer_files.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE campaign_nudges SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = campaign_nudges.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE import_batches SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = import_batches.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE indicator_thresholds SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = indicator_thresholds.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE indicator_commentary SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = indicator_commentary.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE extract_runs SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = extract_runs.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE data_returns SET updated_by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = data_returns.updated_by_label)
WHERE updated_by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE entered_figures SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = entered_figures.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE indicator_versions SET by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = indicator_versions.by_label)
WHERE by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
UPDATE review_request_documents SET sent_by_label = (SELECT TRIM(u.display_name) FROM users u WHERE u.email = review_request_documents.sent_by_label)
WHERE sent_by_label IN (SELECT email FROM users WHERE TRIM(display_name) <> '');
