-- Case reviews: the review, every stage change (who, when, why), pauses and the panel.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    arm TEXT NOT NULL CHECK (arm IN ('children', 'adults')),
    type_code TEXT NOT NULL,
    subject TEXT NOT NULL,
    summary TEXT,
    stage TEXT NOT NULL,
    decision TEXT,
    decision_rationale TEXT,
    not_published_reason TEXT,
    aware_on TEXT NOT NULL,
    notified_on TEXT,
    decided_on TEXT,
    signed_off_on TEXT,
    planned_publication_on TEXT,
    notice_sent_on TEXT,
    published_on TEXT,
    closed_on TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX reviews_partnership_id ON reviews (partnership_id);
CREATE INDEX reviews_created_by ON reviews (created_by);

CREATE TABLE review_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    stage_from TEXT,
    stage_to TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note TEXT,
    by_user BIGINT REFERENCES users (id),
    by_label TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX review_events_review_id ON review_events (review_id);
CREATE INDEX review_events_by_user ON review_events (by_user);

CREATE TABLE review_pauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX review_pauses_review_id ON review_pauses (review_id);

CREATE TABLE review_panel (
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (review_id, user_id)
);
CREATE INDEX review_panel_user_id ON review_panel (user_id);
