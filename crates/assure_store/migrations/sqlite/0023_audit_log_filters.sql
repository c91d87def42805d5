-- The audit log's filters each read an index, newest first within the partnership, so that a
-- filtered page costs the same at a million entries as at a thousand: by actor (the account's id;
-- the filter finds the accounts whose e-mail or name matches first), by action, by record, by date.
CREATE INDEX audit_log_partnership_actor ON audit_log (partnership_id, actor_user_id, seq);
CREATE INDEX audit_log_partnership_action ON audit_log (partnership_id, action, seq);
CREATE INDEX audit_log_partnership_record ON audit_log (partnership_id, record_type, record_id, seq);
CREATE INDEX audit_log_partnership_at ON audit_log (partnership_id, at);
