-- Record-level extracts uploaded by partners: each run (who, which organisation, the file's
-- size and SHA-256, the rows read) and the counts it gave. Person ids are never stored: the
-- file is aggregated as it streams in and then deleted.
CREATE TABLE extract_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX extract_runs_partnership_id ON extract_runs (partnership_id);

CREATE TABLE extract_counts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id BIGINT NOT NULL REFERENCES extract_runs (id),
    -- monthly (period a month, category the source), imd (a financial year and decile) or
    -- rereferrals (a financial year).
    kind TEXT NOT NULL CHECK (kind IN ('monthly', 'imd', 'rereferrals')),
    period TEXT NOT NULL,
    category TEXT NOT NULL,
    contacts BIGINT,
    referrals BIGINT NOT NULL,
    persons BIGINT,
    rereferrals BIGINT
);
CREATE INDEX extract_counts_run_id ON extract_counts (run_id);
