-- The dashboards are kept computed between requests (Core::dashboard) and recomputed only when
-- one of their inputs changes. Every write to an input table bumps this one counter, by trigger,
-- in the writing transaction itself: a dashboard computed at generation n is current exactly while
-- the counter reads n, whichever process or future use-case made the change.
CREATE TABLE figures_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO figures_generation (id, generation) VALUES (1, 0);
CREATE FUNCTION figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE figures_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER figures_areas AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON areas FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_import_batches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON import_batches FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_observations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON observations FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_statistical_neighbours AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statistical_neighbours FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_partnership_areas AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partnership_areas FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_indicator_thresholds AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicator_thresholds FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_indicator_commentary AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicator_commentary FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_indicator_versions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicator_versions FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_entered_figures AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON entered_figures FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_extract_runs AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON extract_runs FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_extract_counts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON extract_counts FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_data_returns AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON data_returns FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_data_return_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON data_return_values FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
CREATE TRIGGER figures_organisations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION figures_changed();
