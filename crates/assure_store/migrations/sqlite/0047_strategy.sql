-- The strategy and subgroups' work plans: a partnership's strategies (a period of financial
-- years, with an extension), their priorities (with linked dashboard indicators), activities
-- (of a priority, of a subgroup's work plan, or both) scheduled by quarter, and every dated
-- update of an activity's status and RAG with its evidence. An activity's status at any day is
-- its latest update on or before that day.
CREATE TABLE strategies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    name TEXT NOT NULL,
    arm TEXT,
    from_year BIGINT NOT NULL,
    to_year BIGINT NOT NULL,
    extended_to BIGINT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, name)
);

CREATE TABLE strategy_priorities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id BIGINT NOT NULL REFERENCES strategies (id),
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    outcome TEXT,
    measure TEXT,
    indicators TEXT NOT NULL,
    position BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (strategy_id, number)
);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    priority_id BIGINT REFERENCES strategy_priorities (id),
    body_id BIGINT REFERENCES bodies (id),
    organisation_id BIGINT REFERENCES organisations (id),
    lead TEXT,
    title TEXT NOT NULL,
    first_quarter BIGINT NOT NULL,
    last_quarter BIGINT NOT NULL,
    status TEXT NOT NULL,
    rag TEXT,
    marker TEXT,
    marker_reason TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX activities_priority ON activities (priority_id);
CREATE INDEX activities_body ON activities (body_id);
CREATE INDEX activities_organisation ON activities (organisation_id);
CREATE INDEX activities_partnership ON activities (partnership_id, last_quarter);

CREATE TABLE activity_quarters (
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    quarter BIGINT NOT NULL,
    PRIMARY KEY (activity_id, quarter)
);

CREATE TABLE activity_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    on_day TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    rag TEXT,
    marker TEXT,
    marker_reason TEXT,
    evidence TEXT NOT NULL,
    by_label TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX activity_updates_activity ON activity_updates (activity_id, on_day, id);
