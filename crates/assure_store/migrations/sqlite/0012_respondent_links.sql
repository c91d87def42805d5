-- Links that let an organisation without an account answer one assessment. Only the token's
-- SHA-256 hash is kept; a link expires, can be revoked, and every use is counted and logged.
CREATE TABLE respondent_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT,
    uses BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX respondent_links_assessment_id ON respondent_links (assessment_id);
