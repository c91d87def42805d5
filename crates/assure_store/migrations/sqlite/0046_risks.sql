-- Risk registers: per partnership (and arm), each with its matrix in versions (a rating keeps
-- the version it was made under, so changing the matrix never rewrites the past), its categories
-- with the board's appetite, its risks, every rating each risk was given (who, when, why), the
-- controls on each risk and the plan's actions that treat it.
CREATE TABLE risk_registers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    name TEXT NOT NULL,
    arm TEXT,
    body_id BIGINT REFERENCES bodies (id),
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (partnership_id, name)
);
CREATE INDEX risk_registers_body ON risk_registers (body_id);

CREATE TABLE risk_matrices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    register_id BIGINT NOT NULL REFERENCES risk_registers (id),
    version BIGINT NOT NULL,
    definition TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (register_id, version)
);

CREATE TABLE risk_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    register_id BIGINT NOT NULL REFERENCES risk_registers (id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    appetite BIGINT,
    appetite_agreed TEXT,
    appetite_by TEXT,
    appetite_at TEXT,
    UNIQUE (register_id, name)
);

CREATE TABLE risks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    register_id BIGINT NOT NULL REFERENCES risk_registers (id),
    category_id BIGINT NOT NULL REFERENCES risk_categories (id),
    reference TEXT NOT NULL,
    title TEXT NOT NULL,
    consequence TEXT,
    owner TEXT NOT NULL,
    owner_user_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL,
    status_reason TEXT,
    target_date TEXT,
    review_on TEXT NOT NULL,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (register_id, reference)
);
CREATE INDEX risks_category ON risks (category_id);
CREATE INDEX risks_owner ON risks (owner_user_id);

CREATE TABLE risk_ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    risk_id BIGINT NOT NULL REFERENCES risks (id),
    matrix_id BIGINT NOT NULL REFERENCES risk_matrices (id),
    kind TEXT NOT NULL,
    likelihood BIGINT NOT NULL CHECK (likelihood > 0),
    impact BIGINT NOT NULL CHECK (impact > 0),
    rated_on TEXT NOT NULL,
    reason TEXT,
    by_label TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX risk_ratings_risk ON risk_ratings (risk_id, kind, id);
CREATE INDEX risk_ratings_matrix ON risk_ratings (matrix_id);

CREATE TABLE risk_controls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    risk_id BIGINT NOT NULL REFERENCES risks (id),
    description TEXT NOT NULL,
    owner TEXT,
    timeframe TEXT,
    in_place BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX risk_controls_risk ON risk_controls (risk_id);

CREATE TABLE risk_actions (
    risk_id BIGINT NOT NULL REFERENCES risks (id),
    action_id BIGINT NOT NULL REFERENCES plan_actions (id),
    by_label TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (risk_id, action_id)
);
CREATE INDEX risk_actions_action ON risk_actions (action_id);
