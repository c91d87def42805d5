-- In-kind contributions: the time an organisation gives to a meeting (chairing, presenting,
-- authoring, hosting), in tenths of an hour, and each partnership's hourly rate (in pence) that
-- values it. The rate is read when totals are made, so a new rate values every year's time.
CREATE TABLE in_kind (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    given TEXT NOT NULL,
    tenths BIGINT NOT NULL CHECK (tenths > 0),
    note TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX in_kind_meeting ON in_kind (meeting_id);

CREATE TABLE in_kind_rates (
    partnership_id BIGINT PRIMARY KEY REFERENCES partnerships (id),
    pence_per_hour BIGINT NOT NULL CHECK (pence_per_hour >= 0),
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
