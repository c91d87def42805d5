-- What an agency sends in answer to a review's request (its summary, a report the request asks
-- for): the file itself (base64, as evidence files are kept), who sent it and when. Read only by
-- the review's panel and the business unit.
CREATE TABLE review_request_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES review_requests (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    sent_by BIGINT REFERENCES users (id),
    sent_by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX review_request_documents_request ON review_request_documents (request_id);
