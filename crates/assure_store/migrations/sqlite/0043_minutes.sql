-- The record of a meeting: interests declared per agenda item, each item's minutes, decisions
-- (numbered per body, in the order made), actions (an owner, a due date, open or done), and the
-- minutes' approval as a correct record at the body's next meeting held, after which they are
-- read-only.
CREATE TABLE meeting_minutes (
    meeting_id BIGINT PRIMARY KEY REFERENCES meetings (id),
    approved_at_meeting_id BIGINT REFERENCES meetings (id),
    approved_by_label TEXT,
    approved_at TEXT,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE item_minutes (
    item_id BIGINT PRIMARY KEY REFERENCES agenda_items (id),
    text TEXT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES agenda_items (id),
    person TEXT NOT NULL,
    interest TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX declarations_item ON declarations (item_id);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    number BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    item_id BIGINT REFERENCES agenda_items (id),
    text TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (body_id, number)
);
CREATE INDEX decisions_meeting ON decisions (meeting_id);

CREATE TABLE meeting_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    item_id BIGINT REFERENCES agenda_items (id),
    text TEXT NOT NULL,
    owner_user_id BIGINT NOT NULL REFERENCES users (id),
    due_on TEXT NOT NULL,
    state TEXT NOT NULL,
    done_on TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meeting_actions_meeting ON meeting_actions (meeting_id);
CREATE INDEX meeting_actions_owner ON meeting_actions (owner_user_id, state);
