-- A partnership's business unit imports frameworks of its own (a local edition of Section 11, a
-- checklist for early years settings). Each framework version is either shared by every
-- partnership on the instance (no partnership: shipped with Assure or imported by the operator)
-- or one partnership's own, which only that partnership sees and uses. Code and version are
-- unique per owner; Assure also refuses a partnership's version that a shared one already has.
ALTER TABLE frameworks ADD COLUMN partnership_id BIGINT REFERENCES partnerships (id);
ALTER TABLE frameworks DROP CONSTRAINT frameworks_code_version_key;
CREATE UNIQUE INDEX frameworks_owner_code_version ON frameworks (COALESCE(partnership_id, 0), code, version);
