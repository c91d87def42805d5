-- Calendars. A meeting's sequence grows with every change its members are told of (a calendar
-- keeps the latest version of an invitation by it). Each user may have one private calendar
-- feed: its address carries a secret, kept here only as its SHA-256 hash, replaced when reset.
ALTER TABLE meetings ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;

CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
