-- Training and events: the partnership's events (with the sectors and levels they are for, the
-- strategy's priorities and the case reviews whose learning they serve), their sessions, and
-- practitioners' bookings: who (kept until the retention period after the session, then erased,
-- leaving the organisation, sector and what happened), the waiting list, the register, the
-- evaluation with its certificate, and the impact follow-up with the manager's countersignature.
-- A booking's links (to cancel, evaluate, follow up, countersign) are random tokens kept only as
-- SHA-256 hashes.
CREATE TABLE training_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT,
    sectors TEXT NOT NULL,
    levels TEXT,
    programme TEXT,
    priority_ids TEXT NOT NULL,
    review_ids TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX training_events_partnership ON training_events (partnership_id);

CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES training_events (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT,
    online_link TEXT,
    capacity BIGINT NOT NULL,
    trainer TEXT,
    per_organisation BIGINT,
    cancelled_reason TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX training_sessions_event ON training_sessions (event_id);
CREATE INDEX training_sessions_starts ON training_sessions (starts_at);

CREATE TABLE training_bookings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES training_sessions (id),
    status TEXT NOT NULL,
    attendance TEXT,
    position BIGINT NOT NULL,
    name TEXT,
    email TEXT,
    organisation_id BIGINT REFERENCES organisations (id),
    organisation_name TEXT,
    sector TEXT NOT NULL,
    role TEXT,
    manager_email TEXT,
    champion TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    manager_token_hash TEXT UNIQUE,
    follow_up_token_hash TEXT UNIQUE,
    booked_at TEXT NOT NULL,
    cancelled_at TEXT,
    offered_at TEXT,
    evaluated_at TEXT,
    learned TEXT,
    confidence_before BIGINT,
    confidence_after BIGINT,
    will_do TEXT,
    rating BIGINT,
    follow_up_sent_at TEXT,
    follow_up_reminded_at TEXT,
    followed_up_at TEXT,
    practice_change TEXT,
    example TEXT,
    countersigned_at TEXT,
    manager_agrees BIGINT,
    manager_comment TEXT,
    erased_at TEXT
);

CREATE INDEX training_bookings_session ON training_bookings (session_id, status, position);
CREATE INDEX training_bookings_organisation ON training_bookings (organisation_id);

CREATE TABLE training_settings (
    partnership_id BIGINT NOT NULL PRIMARY KEY REFERENCES partnerships (id),
    retention_days BIGINT NOT NULL,
    no_show_charge BIGINT,
    late_cancellation_charge BIGINT,
    late_within_days BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
