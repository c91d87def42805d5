-- Published statistics: the areas they are about (local authorities, regions, England), each
-- imported file (its provenance), the measures read from them (a count, a population, a
-- published percentage), and DfE's statistical neighbours. Indicators are computed from these.
CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('national', 'regional', 'local_authority')),
    old_la_code TEXT,
    region_code TEXT
);
CREATE INDEX areas_old_la_code ON areas (old_la_code);

CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE observations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    measure TEXT NOT NULL,
    area_code TEXT NOT NULL REFERENCES areas (code),
    period TEXT NOT NULL,
    -- The figure exactly as published (a count or a percentage), kept as text.
    value TEXT,
    -- DfE's code where no value is published: c (suppressed), z (not applicable), x or : (not available).
    suppressed TEXT,
    batch_id BIGINT NOT NULL REFERENCES import_batches (id),
    UNIQUE (measure, area_code, period)
);
CREATE INDEX observations_area_code ON observations (area_code);

CREATE TABLE statistical_neighbours (
    area_code TEXT NOT NULL REFERENCES areas (code),
    rank BIGINT NOT NULL,
    neighbour_code TEXT NOT NULL REFERENCES areas (code),
    batch_id BIGINT NOT NULL REFERENCES import_batches (id),
    PRIMARY KEY (area_code, rank)
);
