-- Published figures the business unit types in from a publication that no importable file
-- holds: the ONS estimate of adults aged 18+, and Safeguarding Adults Collection counts for
-- England, the neighbours or the area's own earlier years. Kept per partnership, each with
-- the publication it came from, who entered it and when.
CREATE TABLE entered_figures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    area_code TEXT NOT NULL REFERENCES areas (code),
    measure TEXT NOT NULL,
    -- A financial year's key (2019 = 2018-19), or a mid-year for a population.
    period TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, area_code, measure, period)
);
