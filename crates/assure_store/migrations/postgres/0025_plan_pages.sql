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
CREATE FUNCTION plan_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE plan_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER plan_plan_actions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_actions FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
CREATE TRIGGER plan_recommendations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recommendations FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
CREATE TRIGGER plan_review_themes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON review_themes FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
CREATE TRIGGER plan_reviews AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reviews FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
CREATE TRIGGER plan_bodies AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bodies FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
