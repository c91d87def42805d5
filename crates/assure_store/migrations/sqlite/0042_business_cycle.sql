-- A body's annual business cycle: standing items that come to its meetings in the months named
-- (months as "3,9"), added to each meeting's agenda when the meeting is planned.
CREATE TABLE standing_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    title TEXT NOT NULL,
    presenter TEXT,
    purpose TEXT NOT NULL,
    minutes BIGINT,
    restricted BIGINT NOT NULL CHECK (restricted IN (0, 1)),
    months TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX standing_items_body ON standing_items (body_id);
