-- Meetings of the partnership's bodies, and who came: one mark per seat (a membership current on
-- the meeting's day), with the name of whoever sat in the seat for its holder. A meeting is
-- cancelled with a reason, never deleted. A body's quorum: how many seats must be represented,
-- and whether every statutory partner with a seat must be.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    held_on TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    place TEXT,
    cancelled_reason TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_body_held_on ON meetings (body_id, held_on);
CREATE INDEX meetings_held_on ON meetings (held_on);

CREATE TABLE meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    membership_id BIGINT NOT NULL REFERENCES memberships (id),
    presence TEXT NOT NULL,
    attended_by TEXT,
    by_label TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, membership_id)
);

CREATE TABLE body_quorums (
    body_id BIGINT PRIMARY KEY REFERENCES bodies (id),
    members BIGINT,
    statutory_partners BIGINT NOT NULL CHECK (statutory_partners IN (0, 1)),
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
