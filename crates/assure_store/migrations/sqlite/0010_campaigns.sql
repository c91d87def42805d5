-- Audit campaigns: a framework version sent to organisations with dates; each recipient's
-- assessment with its answers and the history of its steps.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    framework_id BIGINT NOT NULL REFERENCES frameworks (id),
    title TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX campaigns_partnership_id ON campaigns (partnership_id);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'resubmitted', 'closed')),
    unlocked BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, organisation_id)
);
CREATE INDEX assessments_organisation_id ON assessments (organisation_id);

CREATE TABLE answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    question TEXT NOT NULL,
    score BIGINT,
    not_applicable TEXT,
    value TEXT,
    evidence TEXT,
    confirmed BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (assessment_id, question)
);

CREATE TABLE assessment_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    step TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX assessment_events_assessment_id ON assessment_events (assessment_id);
