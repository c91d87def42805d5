-- A campaign's returns as the analysis reads them (every answer and moderated score) and every
-- campaign's progress are kept between requests (assure_core::audits::KeptReturns) and read again
-- only when the audits change. Every write to a table they read raises this counter, by trigger,
-- in the writing transaction itself: what was read at generation n is current exactly while the
-- counter reads n, whichever process or future use-case made the change.
CREATE TABLE audits_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO audits_generation (id, generation) VALUES (1, 0);
CREATE FUNCTION audits_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audits_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audits_campaigns AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON campaigns FOR EACH STATEMENT EXECUTE FUNCTION audits_changed();
CREATE TRIGGER audits_campaign_partnerships AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON campaign_partnerships FOR EACH STATEMENT EXECUTE FUNCTION audits_changed();
CREATE TRIGGER audits_assessments AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assessments FOR EACH STATEMENT EXECUTE FUNCTION audits_changed();
CREATE TRIGGER audits_answers AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON answers FOR EACH STATEMENT EXECUTE FUNCTION audits_changed();
CREATE TRIGGER audits_moderated_scores AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON moderated_scores FOR EACH STATEMENT EXECUTE FUNCTION audits_changed();
CREATE TRIGGER audits_organisations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION audits_changed();
CREATE TRIGGER audits_frameworks AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON frameworks FOR EACH STATEMENT EXECUTE FUNCTION audits_changed();
