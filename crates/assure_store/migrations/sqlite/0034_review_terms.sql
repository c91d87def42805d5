-- A review's own terms of reference: each version a document, with the date the panel agreed it.
-- Versions are numbered per review and kept side by side; the latest agreed is the one in force.
CREATE TABLE review_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    version BIGINT NOT NULL,
    agreed_on TEXT NOT NULL,
    note TEXT,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (review_id, version)
);
