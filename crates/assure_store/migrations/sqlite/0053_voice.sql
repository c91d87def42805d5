-- The voice of practitioners and the public: feedback given on the partnership's public page
-- (numbered in each partnership in the order it came; who gave it, about what, the words, how to
-- reply if they asked for one), where it stands and where it was passed on, every triage step
-- with its note, and "You said, we did" entries, published on the public page when the business
-- unit says so.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    number BIGINT NOT NULL,
    giver TEXT NOT NULL,
    topic TEXT NOT NULL,
    feedback TEXT NOT NULL,
    reply_to TEXT,
    status TEXT NOT NULL,
    body_id BIGINT REFERENCES bodies (id),
    organisation_id BIGINT REFERENCES organisations (id),
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, number)
);
CREATE INDEX feedback_organisation ON feedback (organisation_id);

CREATE TABLE feedback_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    feedback_id BIGINT NOT NULL REFERENCES feedback (id),
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    body_id BIGINT REFERENCES bodies (id),
    organisation_id BIGINT REFERENCES organisations (id),
    note TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX feedback_steps_feedback ON feedback_steps (feedback_id, id);

CREATE TABLE said_did (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    feedback_id BIGINT REFERENCES feedback (id),
    you_said TEXT NOT NULL,
    we_did TEXT NOT NULL,
    done_on TEXT NOT NULL,
    published BIGINT NOT NULL CHECK (published IN (0, 1)),
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX said_did_partnership ON said_did (partnership_id, done_on);
