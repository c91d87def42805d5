-- Signing a yearly report off: the independent scrutineer's comments on its sections (with the
-- business unit's responses) and their review; explanations, printed in the report, of the gaps
-- the records cannot fill; each statutory partner's agreement; and, once published, the files
-- exactly as published with the SHA-256 of each.
ALTER TABLE reports ADD COLUMN reviewed_by TEXT;
ALTER TABLE reports ADD COLUMN reviewed_at TEXT;
ALTER TABLE reports ADD COLUMN review_summary TEXT;
ALTER TABLE reports ADD COLUMN published_by TEXT;
ALTER TABLE reports ADD COLUMN published_at TEXT;

CREATE TABLE report_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    section TEXT NOT NULL,
    comment TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    response TEXT,
    responded_by TEXT,
    responded_at TEXT
);
CREATE INDEX report_comments_report ON report_comments (report_id);

CREATE TABLE report_explanations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    gap TEXT NOT NULL,
    explanation TEXT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (report_id, gap)
);

CREATE TABLE report_agreements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    agreed_by TEXT NOT NULL,
    agreed_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (report_id, organisation_id)
);

CREATE TABLE report_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (report_id, format)
);
