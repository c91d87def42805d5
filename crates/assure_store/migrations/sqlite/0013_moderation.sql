-- Campaigns run jointly by several partnerships (the lead's row included); the assessor's
-- moderated score beside the self score; challenge threads per question; files given as
-- answers; and one-click reminders to the organisations that have not returned.
CREATE TABLE campaign_partnerships (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    PRIMARY KEY (campaign_id, partnership_id)
);
CREATE INDEX campaign_partnerships_partnership_id ON campaign_partnerships (partnership_id);
INSERT INTO campaign_partnerships (campaign_id, partnership_id) SELECT id, partnership_id FROM campaigns;

CREATE TABLE moderated_scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    question TEXT NOT NULL,
    score BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (assessment_id, question)
);

CREATE TABLE challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    question TEXT NOT NULL,
    party TEXT NOT NULL CHECK (party IN ('assessor', 'respondent')),
    body TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX challenges_assessment_id ON challenges (assessment_id);

CREATE TABLE answer_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    question TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (assessment_id, question)
);

CREATE TABLE campaign_nudges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    by_label TEXT NOT NULL,
    organisations BIGINT NOT NULL,
    people BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX campaign_nudges_campaign_id ON campaign_nudges (campaign_id);
