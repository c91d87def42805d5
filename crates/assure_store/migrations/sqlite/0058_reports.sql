-- The statutory yearly reports: one per partnership, kind (children's or adults') and period, with
-- the words of each section of its template (the figures are read from the records whenever the
-- report is shown or built). Who wrote a section last, and when, is kept with it.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, kind, period_start, period_end)
);

CREATE TABLE report_sections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    section TEXT NOT NULL,
    narrative TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (report_id, section)
);
