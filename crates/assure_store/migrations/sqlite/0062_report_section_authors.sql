-- A section of a yearly report asked of its author (someone with a role in the partnership: an
-- agency's lead writing their agency's part, a subgroup's chair), with the day it is due. The
-- author writes that section's words, whatever their role, until the report's words are locked;
-- one author per section.
CREATE TABLE report_section_authors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    section TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    due_on TEXT NOT NULL,
    asked_by TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    UNIQUE (report_id, section)
);
CREATE INDEX report_section_authors_user ON report_section_authors (user_id);
