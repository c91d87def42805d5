-- Bulletins: the partnership's newsletter. An issue is composed from items, numbered in its
-- partnership when it is published, and sent once to the confirmed subscribers. A subscriber is
-- an address that asked for the bulletin (pending until it confirms by the link e-mailed to it;
-- erased when it unsubscribes, the row kept for the counts); the confirmation token is kept only
-- as its hash. Each subscriber's copy of an issue is one delivery, with the hash of the token its
-- unsubscribe link carries (so an unsubscribe is counted against the issue it came from). Clicks
-- are counted per item, through the bulletin's own redirect links, never per person.
CREATE TABLE bulletins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    number BIGINT,
    title TEXT NOT NULL,
    introduction TEXT,
    status TEXT NOT NULL,
    published_at TEXT,
    published_by TEXT,
    sent_at TEXT,
    sent_by TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, number)
);
CREATE INDEX bulletins_partnership ON bulletins (partnership_id, status);

CREATE TABLE bulletin_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bulletin_id BIGINT NOT NULL REFERENCES bulletins (id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT,
    link TEXT,
    clicks BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX bulletin_items_bulletin ON bulletin_items (bulletin_id, position);

CREATE TABLE bulletin_subscribers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    email TEXT,
    status TEXT NOT NULL,
    confirm_hash TEXT,
    asked_at TEXT NOT NULL,
    confirmed_at TEXT,
    ended_at TEXT,
    UNIQUE (partnership_id, email)
);
CREATE UNIQUE INDEX bulletin_subscribers_confirm ON bulletin_subscribers (confirm_hash);
CREATE INDEX bulletin_subscribers_status ON bulletin_subscribers (partnership_id, status);

CREATE TABLE bulletin_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bulletin_id BIGINT NOT NULL REFERENCES bulletins (id),
    subscriber_id BIGINT NOT NULL REFERENCES bulletin_subscribers (id),
    status TEXT NOT NULL,
    unsubscribe_hash TEXT,
    sent_at TEXT,
    unsubscribed_at TEXT,
    UNIQUE (bulletin_id, subscriber_id)
);
CREATE UNIQUE INDEX bulletin_deliveries_unsubscribe ON bulletin_deliveries (unsubscribe_hash);
CREATE INDEX bulletin_deliveries_queued ON bulletin_deliveries (status, id);
