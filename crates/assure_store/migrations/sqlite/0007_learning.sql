-- The learning loop: recommendations, their actions with milestones and progress, evidence of
-- impact with its attachments and the owning subgroup's judgement; a review's chronology and its
-- 7-minute briefing.
CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    review_id BIGINT REFERENCES reviews (id),
    number TEXT NOT NULL,
    text TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('local', 'regional', 'national')),
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    theme_id BIGINT REFERENCES themes (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX recommendations_partnership_id ON recommendations (partnership_id);
CREATE INDEX recommendations_review_id ON recommendations (review_id);

CREATE TABLE plan_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_user_id BIGINT REFERENCES users (id),
    target_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'cancelled')),
    rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
    completed_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_actions_recommendation_id ON plan_actions (recommendation_id);
CREATE INDEX plan_actions_organisation_id ON plan_actions (organisation_id);
CREATE INDEX plan_actions_owner_user_id ON plan_actions (owner_user_id);

CREATE TABLE action_milestones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id BIGINT NOT NULL REFERENCES plan_actions (id),
    text TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT
);
CREATE INDEX action_milestones_action_id ON action_milestones (action_id);

CREATE TABLE action_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id BIGINT NOT NULL REFERENCES plan_actions (id),
    note TEXT NOT NULL,
    status TEXT NOT NULL,
    rag TEXT NOT NULL,
    by_user_id BIGINT REFERENCES users (id),
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX action_updates_action_id ON action_updates (action_id);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id BIGINT NOT NULL REFERENCES plan_actions (id),
    kind TEXT NOT NULL CHECK (kind IN ('practice_change', 'training', 'policy', 'audit_result', 'data')),
    narrative TEXT NOT NULL,
    by_user_id BIGINT REFERENCES users (id),
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    judgement TEXT CHECK (judgement IN ('assured', 'partly_assured', 'not_assured')),
    judgement_comment TEXT,
    judged_by_label TEXT,
    judged_at TEXT
);
CREATE INDEX evidence_action_id ON evidence (action_id);

-- Attachments are kept in the database (base64), so that a backup holds everything.
CREATE TABLE evidence_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX evidence_files_evidence_id ON evidence_files (evidence_id);

CREATE TABLE chronology_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    occurred_on TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('day', 'month', 'year')),
    occurred_at TEXT,
    source TEXT NOT NULL,
    event TEXT NOT NULL,
    comment TEXT,
    by_user_id BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX chronology_entries_review_id ON chronology_entries (review_id);

CREATE TABLE briefings (
    review_id BIGINT PRIMARY KEY REFERENCES reviews (id),
    background TEXT NOT NULL,
    learning TEXT NOT NULL,
    questions TEXT NOT NULL,
    updated_by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
