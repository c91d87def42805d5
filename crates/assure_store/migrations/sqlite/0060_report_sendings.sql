-- Whom a published yearly report was sent to: a recipient the distribution configuration names
-- (by its code) or someone named, how (sent by Assure by e-mail, to the address kept here, or
-- recorded as sent otherwise) and the day, with who recorded it.
CREATE TABLE report_sendings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    recipient_code TEXT,
    recipient_name TEXT NOT NULL,
    how TEXT NOT NULL,
    email TEXT,
    sent_on TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX report_sendings_report ON report_sendings (report_id);
