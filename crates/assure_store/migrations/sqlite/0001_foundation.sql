-- Assure's first schema (SQLite). Times are RFC 3339 UTC text, dates ISO text, flags 0/1.

CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE arms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    kind TEXT NOT NULL CHECK (kind IN ('children', 'adults')),
    name TEXT NOT NULL,
    UNIQUE (partnership_id, kind)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    totp_secret TEXT,
    totp_enabled BIGINT NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    sector TEXT NOT NULL,
    parent_id BIGINT REFERENCES organisations (id),
    ended_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, name)
);
CREATE INDEX organisations_parent_id ON organisations (parent_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    name TEXT NOT NULL,
    job_title TEXT,
    email TEXT,
    organisation_id BIGINT REFERENCES organisations (id),
    restricted BIGINT NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
    ended_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_partnership_id ON people (partnership_id);
CREATE INDEX people_organisation_id ON people (organisation_id);

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    arm TEXT CHECK (arm IN ('children', 'adults')),
    parent_id BIGINT REFERENCES bodies (id),
    purpose TEXT,
    cadence TEXT NOT NULL,
    restricted BIGINT NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
    ended_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, name)
);
CREATE INDEX bodies_parent_id ON bodies (parent_id);

CREATE TABLE terms_of_reference (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    version BIGINT NOT NULL,
    text TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (body_id, version)
);
CREATE INDEX terms_of_reference_created_by ON terms_of_reference (created_by);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    organisation_id BIGINT REFERENCES organisations (id),
    role TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX memberships_body_id ON memberships (body_id);
CREATE INDEX memberships_person_id ON memberships (person_id);
CREATE INDEX memberships_organisation_id ON memberships (organisation_id);

CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    organisation_id BIGINT REFERENCES organisations (id),
    body_id BIGINT REFERENCES bodies (id),
    scope_key TEXT NOT NULL,
    granted_by BIGINT REFERENCES users (id),
    granted_at TEXT NOT NULL,
    UNIQUE (user_id, role, scope_key)
);
CREATE INDEX role_grants_partnership_id ON role_grants (partnership_id);
CREATE INDEX role_grants_organisation_id ON role_grants (organisation_id);
CREATE INDEX role_grants_body_id ON role_grants (body_id);
CREATE INDEX role_grants_granted_by ON role_grants (granted_by);

CREATE TABLE second_factor_required (
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    role TEXT NOT NULL,
    PRIMARY KEY (partnership_id, role)
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    partnership_id BIGINT REFERENCES partnerships (id),
    second_factor_pending BIGINT NOT NULL CHECK (second_factor_pending IN (0, 1)),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_partnership_id ON sessions (partnership_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

-- The head of the audit chain. Every write transaction locks this row first, which orders
-- writers (the chain must be linear) and, on SQLite, takes the write lock before any read.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id BIGINT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT,
    partnership_id BIGINT,
    ip TEXT,
    request_id TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_partnership_seq ON audit_log (partnership_id, seq);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
