-- Surveys of practitioners: each partnership's surveys with their question set (JSON, as
-- assure_domain::voice::survey::Question reads it), the last day they take answers and when they
-- were closed; and the answers, one row per person, one answer per question (JSON array).
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    title TEXT NOT NULL,
    intro TEXT,
    questions TEXT NOT NULL,
    closes_on TEXT,
    closed_at TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX surveys_partnership ON surveys (partnership_id, id);

CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id BIGINT NOT NULL REFERENCES surveys (id),
    answers TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);
