-- A partnership's business unit imports frameworks of its own (a local edition of Section 11, a
-- checklist for community groups). Each framework version is either shared by every partnership
-- on the instance (no partnership: shipped with Assure or imported by the operator) or one
-- partnership's own, which only that partnership sees and uses. Code and version are unique per
-- owner; Assure also refuses a partnership's version that a shared one already has.
--
-- SQLite drops a table's UNIQUE constraint only by building the table again. Campaigns refer to
-- frameworks, and the migrator runs this in a transaction with foreign keys on: so the checks
-- wait until commit, the rows are kept aside, and putting each back (with its id) satisfies again
-- every campaign that refers to it.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE frameworks_kept AS SELECT id, code, version, title, source, created_at FROM frameworks;
DROP TABLE frameworks;
CREATE TABLE frameworks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    partnership_id BIGINT REFERENCES partnerships (id)
);
INSERT INTO frameworks (id, code, version, title, source, created_at, partnership_id)
    SELECT id, code, version, title, source, created_at, NULL FROM frameworks_kept ORDER BY id;
DROP TABLE frameworks_kept;
CREATE UNIQUE INDEX frameworks_owner_code_version ON frameworks (COALESCE(partnership_id, 0), code, version);
CREATE TRIGGER audits_frameworks_insert AFTER INSERT ON frameworks BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_frameworks_update AFTER UPDATE ON frameworks BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_frameworks_delete AFTER DELETE ON frameworks BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
-- The audits' kept figures read frameworks: the rebuild counts as a change.
UPDATE audits_generation SET generation = generation + 1 WHERE id = 1;
