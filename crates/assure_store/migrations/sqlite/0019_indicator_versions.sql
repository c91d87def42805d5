-- The business unit's versions of the catalogue's indicators: title, definition, polarity,
-- decimal places, small-count suppression, named owner and supplying organisation. Each applies
-- to values from its first period on, so earlier values keep the definition they were made
-- under; versions are only added, never changed.
CREATE TABLE indicator_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    indicator TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The key of the first period it applies to (2026 = 2025-26, 2026 Q1, or a month 2025-04).
    effective_from TEXT NOT NULL,
    title TEXT NOT NULL,
    definition TEXT NOT NULL,
    polarity TEXT NOT NULL CHECK (polarity IN ('higher', 'lower', 'neither')),
    decimals BIGINT NOT NULL,
    suppress_below BIGINT NOT NULL,
    owner TEXT,
    supplier_id BIGINT REFERENCES organisations (id),
    reason TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (partnership_id, indicator, version)
);
