-- Themes: the partnership's managed taxonomy, and the themes each review raised.
CREATE TABLE themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (partnership_id, name)
);

CREATE TABLE review_themes (
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    theme_id BIGINT NOT NULL REFERENCES themes (id),
    PRIMARY KEY (review_id, theme_id)
);
CREATE INDEX review_themes_theme_id ON review_themes (theme_id);
