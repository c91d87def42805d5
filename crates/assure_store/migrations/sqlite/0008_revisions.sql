-- Changes to an action after it was agreed (a revised target date, a new owner), each with its reason.
CREATE TABLE action_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id BIGINT NOT NULL REFERENCES plan_actions (id),
    changes TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX action_revisions_action_id ON action_revisions (action_id);
