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
CREATE TRIGGER audits_campaigns_insert AFTER INSERT ON campaigns BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_campaigns_update AFTER UPDATE ON campaigns BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_campaigns_delete AFTER DELETE ON campaigns BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_campaign_partnerships_insert AFTER INSERT ON campaign_partnerships BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_campaign_partnerships_update AFTER UPDATE ON campaign_partnerships BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_campaign_partnerships_delete AFTER DELETE ON campaign_partnerships BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_assessments_insert AFTER INSERT ON assessments BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_assessments_update AFTER UPDATE ON assessments BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_assessments_delete AFTER DELETE ON assessments BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_answers_insert AFTER INSERT ON answers BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_answers_update AFTER UPDATE ON answers BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_answers_delete AFTER DELETE ON answers BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_moderated_scores_insert AFTER INSERT ON moderated_scores BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_moderated_scores_update AFTER UPDATE ON moderated_scores BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_moderated_scores_delete AFTER DELETE ON moderated_scores BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_organisations_insert AFTER INSERT ON organisations BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_organisations_update AFTER UPDATE ON organisations BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_organisations_delete AFTER DELETE ON organisations BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_frameworks_insert AFTER INSERT ON frameworks BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_frameworks_update AFTER UPDATE ON frameworks BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER audits_frameworks_delete AFTER DELETE ON frameworks BEGIN UPDATE audits_generation SET generation = generation + 1 WHERE id = 1; END;
