-- People in attendance at a meeting who hold no seat on the body (officers, guests, someone who
-- "also attended"), by name as recorded, with what they came as.
CREATE TABLE meeting_guests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    name TEXT NOT NULL,
    came_as TEXT,
    by_label TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX meeting_guests_meeting ON meeting_guests (meeting_id);
