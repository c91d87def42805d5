-- Data returns defined as data: a return's template (its fields, groups, checks between fields
-- and the kind of period it is for) is a versioned file, shared by every partnership on the
-- instance (shipped with Assure or imported by the operator) or one partnership's own, as the
-- audit frameworks are. Code and version are unique per owner.
CREATE TABLE return_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT REFERENCES partnerships (id),
    code TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    period_type TEXT NOT NULL CHECK (period_type IN ('quarter', 'financial_year', 'academic_year')),
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX return_templates_owner_code_version ON return_templates (COALESCE(partnership_id, 0), code, version);

-- Each return names the template (code and version) it answers; an organisation owes one return
-- of a template per period. Every return before this was the adults' Safeguarding Adults
-- Collection figures, whose template is now the shipped `adults` version 2025.1.
--
-- SQLite changes a table's UNIQUE constraint only by building the table again. Values refer to
-- returns, and the migrator runs this in a transaction with foreign keys on: so the checks wait
-- until commit, and putting each return back with its id satisfies its values again.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE data_returns_kept AS SELECT * FROM data_returns;
DROP TABLE data_returns;
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
    template_code TEXT NOT NULL,
    template_version TEXT NOT NULL,
    UNIQUE (partnership_id, organisation_id, template_code, period)
);
INSERT INTO data_returns (id, partnership_id, organisation_id, period, due_on, status, provisional, footnote,
        source, updated_by_label, submitted_at, updated_at, template_code, template_version)
    SELECT id, partnership_id, organisation_id, period, due_on, status, provisional, footnote, source,
        updated_by_label, submitted_at, updated_at, 'adults', '2025.1' 
    FROM data_returns_kept ORDER BY id;
DROP TABLE data_returns_kept;
CREATE INDEX data_returns_organisation_id ON data_returns (organisation_id);
CREATE TRIGGER figures_data_returns_insert AFTER INSERT ON data_returns BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_returns_update AFTER UPDATE ON data_returns BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_returns_delete AFTER DELETE ON data_returns BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
UPDATE figures_generation SET generation = generation + 1 WHERE id = 1;
