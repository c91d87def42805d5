-- Partners' data returns: the figures an organisation owes for a period (a financial quarter),
-- by when, and where each return has got. Values are kept as typed (whole numbers), with the
-- return's quality flags and where it came from (the form, a file, the API).
CREATE TABLE data_returns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    period TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('owed', 'draft', 'submitted', 'validated')),
    provisional BIGINT NOT NULL DEFAULT 0,
    footnote TEXT,
    source TEXT,
    updated_by_label TEXT,
    submitted_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, organisation_id, period)
);
CREATE INDEX data_returns_organisation_id ON data_returns (organisation_id);

CREATE TABLE data_return_values (
    return_id BIGINT NOT NULL REFERENCES data_returns (id),
    measure TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (return_id, measure)
);
