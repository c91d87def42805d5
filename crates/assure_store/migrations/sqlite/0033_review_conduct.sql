-- How a review is conducted: who is appointed to lead or write it, with the agreed cost, and the
-- learning events where the practitioners involved were heard (with the agencies that attended).
CREATE TABLE review_appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT,
    appointed_on TEXT NOT NULL,
    ends_on TEXT,
    cost_pence BIGINT,
    note TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX review_appointments_review ON review_appointments (review_id);

CREATE TABLE review_learning_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    attendees BIGINT NOT NULL,
    heard TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX review_learning_events_review ON review_learning_events (review_id);

CREATE TABLE review_learning_event_agencies (
    event_id BIGINT NOT NULL REFERENCES review_learning_events (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (event_id, organisation_id)
);
