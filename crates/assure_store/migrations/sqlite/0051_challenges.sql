-- The challenge and escalation log: each partnership's entries (numbered in the order raised),
-- which way the concern goes, who raised it, the agency it concerns (one of the partnership's, or
-- named), the meeting that raised it, the action agreed and who is responsible, and how it closed
-- (resolved with its evidence, or closed without with the reason); progress as it comes; the
-- plan's actions each produced; and how long an open entry may stand before it is flagged.
CREATE TABLE challenge_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    number BIGINT NOT NULL,
    direction TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    organisation_name TEXT,
    meeting_id BIGINT REFERENCES meetings (id),
    details TEXT NOT NULL,
    action_agreed TEXT NOT NULL,
    responsible TEXT NOT NULL,
    status TEXT NOT NULL,
    closed_on TEXT,
    closure TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, number)
);
CREATE INDEX challenge_entries_organisation ON challenge_entries (organisation_id);
CREATE INDEX challenge_entries_meeting ON challenge_entries (meeting_id);

CREATE TABLE challenge_progress (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    challenge_id BIGINT NOT NULL REFERENCES challenge_entries (id),
    progress_on TEXT NOT NULL,
    progress TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX challenge_progress_challenge ON challenge_progress (challenge_id, progress_on, id);

CREATE TABLE challenge_actions (
    challenge_id BIGINT NOT NULL REFERENCES challenge_entries (id),
    action_id BIGINT NOT NULL REFERENCES plan_actions (id),
    by_label TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (challenge_id, action_id)
);

CREATE TABLE challenge_settings (
    partnership_id BIGINT NOT NULL PRIMARY KEY REFERENCES partnerships (id),
    flag_after_days BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
