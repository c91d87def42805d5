-- Time an organisation gives to a task other than a meeting (authoring a review, running a
-- session), in tenths of an hour, on the day given: counted with the time given to meetings.
CREATE TABLE in_kind_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    task TEXT NOT NULL,
    given_on TEXT NOT NULL,
    given TEXT NOT NULL,
    tenths BIGINT NOT NULL CHECK (tenths > 0),
    note TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX in_kind_tasks_partnership ON in_kind_tasks (partnership_id, given_on);
