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
CREATE TRIGGER reviews_reviews_insert AFTER INSERT ON reviews BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_reviews_update AFTER UPDATE ON reviews BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_reviews_delete AFTER DELETE ON reviews BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_review_pauses_insert AFTER INSERT ON review_pauses BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_review_pauses_update AFTER UPDATE ON review_pauses BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_review_pauses_delete AFTER DELETE ON review_pauses BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_review_requests_insert AFTER INSERT ON review_requests BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_review_requests_update AFTER UPDATE ON review_requests BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_review_requests_delete AFTER DELETE ON review_requests BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_organisations_insert AFTER INSERT ON organisations BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_organisations_update AFTER UPDATE ON organisations BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_organisations_delete AFTER DELETE ON organisations BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_closed_days_insert AFTER INSERT ON closed_days BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_closed_days_update AFTER UPDATE ON closed_days BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER reviews_closed_days_delete AFTER DELETE ON closed_days BEGIN UPDATE reviews_generation SET generation = generation + 1 WHERE id = 1; END;
