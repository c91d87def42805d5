-- The intelligence dashboard: the area each partnership covers (its local authority, by ONS
-- code), the business unit's RAG thresholds for each indicator, and the performance subgroup's
-- commentary on each period.
CREATE TABLE partnership_areas (
    partnership_id BIGINT PRIMARY KEY REFERENCES partnerships (id),
    area_code TEXT NOT NULL
);

CREATE TABLE indicator_thresholds (
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    indicator TEXT NOT NULL,
    -- At or better than green is green; at or worse than red is red; between is amber.
    green TEXT NOT NULL,
    red TEXT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (partnership_id, indicator)
);

CREATE TABLE indicator_commentary (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    body TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX indicator_commentary_partnership_id ON indicator_commentary (partnership_id, indicator);
