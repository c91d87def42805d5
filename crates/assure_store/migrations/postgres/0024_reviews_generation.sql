-- Every review's clocks and requests of a partnership (its caseload: the home page's deadlines,
-- the deadlines page, the list of reviews) are kept computed between requests (Core::caseload)
-- and computed again only when one of their inputs changes or the day turns. Every write to an
-- input table raises this counter, by trigger, in the writing transaction itself: a caseload
-- computed at generation n is current exactly while the counter reads n, whichever process or
-- future use-case made the change.
CREATE TABLE reviews_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO reviews_generation (id, generation) VALUES (1, 0);
CREATE FUNCTION reviews_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER reviews_reviews AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reviews FOR EACH STATEMENT EXECUTE FUNCTION reviews_changed();
CREATE TRIGGER reviews_review_pauses AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON review_pauses FOR EACH STATEMENT EXECUTE FUNCTION reviews_changed();
CREATE TRIGGER reviews_review_requests AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON review_requests FOR EACH STATEMENT EXECUTE FUNCTION reviews_changed();
CREATE TRIGGER reviews_organisations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION reviews_changed();
CREATE TRIGGER reviews_closed_days AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON closed_days FOR EACH STATEMENT EXECUTE FUNCTION reviews_changed();
