-- The dashboards are kept computed between requests (Core::dashboard) and recomputed only when
-- one of their inputs changes. Every write to an input table bumps this one counter, by trigger,
-- in the writing transaction itself: a dashboard computed at generation n is current exactly while
-- the counter reads n, whichever process or future use-case made the change.
CREATE TABLE figures_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO figures_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER figures_areas_insert AFTER INSERT ON areas BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_areas_update AFTER UPDATE ON areas BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_areas_delete AFTER DELETE ON areas BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_import_batches_insert AFTER INSERT ON import_batches BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_import_batches_update AFTER UPDATE ON import_batches BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_import_batches_delete AFTER DELETE ON import_batches BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_observations_insert AFTER INSERT ON observations BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_observations_update AFTER UPDATE ON observations BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_observations_delete AFTER DELETE ON observations BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_statistical_neighbours_insert AFTER INSERT ON statistical_neighbours BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_statistical_neighbours_update AFTER UPDATE ON statistical_neighbours BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_statistical_neighbours_delete AFTER DELETE ON statistical_neighbours BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_partnership_areas_insert AFTER INSERT ON partnership_areas BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_partnership_areas_update AFTER UPDATE ON partnership_areas BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_partnership_areas_delete AFTER DELETE ON partnership_areas BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_thresholds_insert AFTER INSERT ON indicator_thresholds BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_thresholds_update AFTER UPDATE ON indicator_thresholds BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_thresholds_delete AFTER DELETE ON indicator_thresholds BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_commentary_insert AFTER INSERT ON indicator_commentary BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_commentary_update AFTER UPDATE ON indicator_commentary BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_commentary_delete AFTER DELETE ON indicator_commentary BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_versions_insert AFTER INSERT ON indicator_versions BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_versions_update AFTER UPDATE ON indicator_versions BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_indicator_versions_delete AFTER DELETE ON indicator_versions BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_entered_figures_insert AFTER INSERT ON entered_figures BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_entered_figures_update AFTER UPDATE ON entered_figures BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_entered_figures_delete AFTER DELETE ON entered_figures BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_extract_runs_insert AFTER INSERT ON extract_runs BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_extract_runs_update AFTER UPDATE ON extract_runs BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_extract_runs_delete AFTER DELETE ON extract_runs BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_extract_counts_insert AFTER INSERT ON extract_counts BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_extract_counts_update AFTER UPDATE ON extract_counts BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_extract_counts_delete AFTER DELETE ON extract_counts BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_returns_insert AFTER INSERT ON data_returns BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_returns_update AFTER UPDATE ON data_returns BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_returns_delete AFTER DELETE ON data_returns BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_return_values_insert AFTER INSERT ON data_return_values BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_return_values_update AFTER UPDATE ON data_return_values BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_data_return_values_delete AFTER DELETE ON data_return_values BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_organisations_insert AFTER INSERT ON organisations BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_organisations_update AFTER UPDATE ON organisations BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER figures_organisations_delete AFTER DELETE ON organisations BEGIN UPDATE figures_generation SET generation = generation + 1 WHERE id = 1; END;
