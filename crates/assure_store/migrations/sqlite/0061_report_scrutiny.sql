-- The independent scrutineer's own report: each piece of scrutiny of its period (what was
-- examined, by which method, when, and what was found) and each recommendation, made to one
-- statutory partner (or, with no organisation, to the partners together), with the partner's
-- response as the business unit records it (whether accepted, what they will do, who responded
-- and when).
CREATE TABLE report_scrutiny_activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    examined TEXT NOT NULL,
    method TEXT NOT NULL,
    done_on TEXT NOT NULL,
    found TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX report_scrutiny_activities_report ON report_scrutiny_activities (report_id);

CREATE TABLE report_recommendations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    recommendation TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    stance TEXT,
    response TEXT,
    responded_by TEXT,
    responded_on TEXT,
    recorded_by TEXT,
    recorded_at TEXT
);
CREATE INDEX report_recommendations_report ON report_recommendations (report_id);
