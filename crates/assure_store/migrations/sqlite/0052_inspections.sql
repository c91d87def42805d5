-- Inspections of the partnership's agencies and joint inspections: the kind of inspection (from
-- config/inspections.toml, which names the inspectorate and its grade scale), the agencies
-- inspected, the fieldwork and the publication kept apart (a report is published months after its
-- fieldwork), the report's link, and the judgements per area with their grades. Its
-- recommendations are the plan's recommendations, carrying the inspection they came from.
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    type_code TEXT NOT NULL,
    title TEXT NOT NULL,
    fieldwork_from TEXT NOT NULL,
    fieldwork_to TEXT NOT NULL,
    published_on TEXT,
    link TEXT,
    summary TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX inspections_partnership ON inspections (partnership_id, fieldwork_from);

CREATE TABLE inspection_agencies (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (inspection_id, organisation_id)
);
CREATE INDEX inspection_agencies_organisation ON inspection_agencies (organisation_id);

CREATE TABLE inspection_judgements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id BIGINT NOT NULL REFERENCES inspections (id),
    area TEXT NOT NULL,
    grade TEXT,
    organisation_id BIGINT REFERENCES organisations (id),
    finding TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX inspection_judgements_inspection ON inspection_judgements (inspection_id, id);
CREATE INDEX inspection_judgements_organisation ON inspection_judgements (organisation_id);

ALTER TABLE recommendations ADD COLUMN inspection_id BIGINT REFERENCES inspections (id);
CREATE INDEX recommendations_inspection_id ON recommendations (inspection_id);
CREATE UNIQUE INDEX recommendations_number_per_inspection
    ON recommendations (inspection_id, lower(trim(number))) WHERE inspection_id IS NOT NULL;
