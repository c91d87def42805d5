-- Information requests: a review asks an agency for its summary or chronology by a date.
CREATE TABLE review_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('summary', 'chronology')),
    requested_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    returned_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX review_requests_review_id ON review_requests (review_id);
CREATE INDEX review_requests_organisation_id ON review_requests (organisation_id);
