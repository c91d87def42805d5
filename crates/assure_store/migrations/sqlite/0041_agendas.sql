-- Agendas and papers. Each meeting's items in order, each with what the meeting is asked to do
-- with it, the minutes it is given, whether its papers are restricted (read only by the body's
-- members and those who see everything), and the account that provides its papers. A paper is
-- kept as evidence files are (base64). Each body says how many working days before a meeting its
-- papers are due; the pack is published to the members when the business unit says so.
ALTER TABLE meetings ADD COLUMN pack_published_at TEXT;
ALTER TABLE meetings ADD COLUMN pack_published_by TEXT;

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    presenter TEXT,
    purpose TEXT NOT NULL,
    minutes BIGINT,
    restricted BIGINT NOT NULL CHECK (restricted IN (0, 1)),
    owner_user_id BIGINT REFERENCES users (id),
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

CREATE TABLE meeting_papers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES agenda_items (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    added_by BIGINT REFERENCES users (id),
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX meeting_papers_item ON meeting_papers (item_id);

CREATE TABLE body_papers_due (
    body_id BIGINT PRIMARY KEY REFERENCES bodies (id),
    working_days BIGINT NOT NULL CHECK (working_days >= 0),
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
