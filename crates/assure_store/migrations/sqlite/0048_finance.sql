-- The partnership's money: a budget per financial year (by the year it starts), its lines of
-- income, expenditure and in kind (a partner's contribution is an income line set as an amount
-- or as a share, in hundredths of a per cent, of what the contributions' total leaves after the
-- amounts; a flag says when the table counts the in kind, as some do), each line's actual and
-- forecast per quarter, and the changes made after the year was locked with their reasons.
-- Money is whole pence.
CREATE TABLE budgets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    year BIGINT NOT NULL,
    title TEXT,
    contributions_total BIGINT,
    reserves_brought_forward BIGINT,
    reserves_carried_forward BIGINT,
    in_kind_counted BIGINT NOT NULL DEFAULT 0,
    notes TEXT,
    locked_at TEXT,
    locked_by TEXT,
    by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partnership_id, year)
);

CREATE TABLE budget_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    budget_id BIGINT NOT NULL REFERENCES budgets (id),
    side TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    review_id BIGINT REFERENCES reviews (id),
    budget BIGINT,
    share BIGINT,
    tenths BIGINT,
    position BIGINT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX budget_lines_budget ON budget_lines (budget_id, position);
CREATE INDEX budget_lines_review ON budget_lines (review_id);

CREATE TABLE budget_quarters (
    line_id BIGINT NOT NULL REFERENCES budget_lines (id),
    quarter BIGINT NOT NULL,
    actual BIGINT,
    forecast BIGINT,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (line_id, quarter)
);

CREATE TABLE budget_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    budget_id BIGINT NOT NULL REFERENCES budgets (id),
    what TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_label TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX budget_changes_budget ON budget_changes (budget_id);
