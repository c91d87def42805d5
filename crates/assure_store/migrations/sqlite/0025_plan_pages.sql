-- The plan is read a page at a time in target-date order: this index lets a page stop at its
-- end instead of sorting every action of the partnership.
CREATE INDEX plan_actions_target_on ON plan_actions (target_on, id);

-- How many actions match a plan filter is kept between requests (Core::plan) and counted again
-- only when the plan changes. Every write to a table the count reads raises this counter, by
-- trigger, in the writing transaction itself: a count made at generation n is current exactly
-- while the counter reads n, whichever process or future use-case made the change.
CREATE TABLE plan_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO plan_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER plan_plan_actions_insert AFTER INSERT ON plan_actions BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_plan_actions_update AFTER UPDATE ON plan_actions BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_plan_actions_delete AFTER DELETE ON plan_actions BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_recommendations_insert AFTER INSERT ON recommendations BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_recommendations_update AFTER UPDATE ON recommendations BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_recommendations_delete AFTER DELETE ON recommendations BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_review_themes_insert AFTER INSERT ON review_themes BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_review_themes_update AFTER UPDATE ON review_themes BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_review_themes_delete AFTER DELETE ON review_themes BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_reviews_insert AFTER INSERT ON reviews BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_reviews_update AFTER UPDATE ON reviews BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_reviews_delete AFTER DELETE ON reviews BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_bodies_insert AFTER INSERT ON bodies BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_bodies_update AFTER UPDATE ON bodies BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_bodies_delete AFTER DELETE ON bodies BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
