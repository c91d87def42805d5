-- Days an administrator has closed on top of the built-in bank holidays (a new proclamation).
CREATE TABLE closed_days (
    day TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    added_by BIGINT REFERENCES users (id),
    added_at TEXT NOT NULL
);
CREATE INDEX closed_days_added_by ON closed_days (added_by);
