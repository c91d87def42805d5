-- The Child Death Overview Panel's findings on each death it reviewed: the category of death,
-- whether there were modifiable factors, and when it reviewed it. One row per review.
CREATE TABLE child_death_findings (
    review_id BIGINT PRIMARY KEY REFERENCES reviews (id),
    category TEXT NOT NULL,
    modifiable BIGINT NOT NULL CHECK (modifiable IN (0, 1)),
    reviewed_on TEXT NOT NULL,
    by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
