-- The plan's pages are kept between requests as well as its counts (Core::plan): each row carries
-- its organisation's name, its campaign's title and its evidence counts, so writes to those
-- tables raise the plan's generation too.
CREATE TRIGGER plan_organisations_insert AFTER INSERT ON organisations BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_organisations_update AFTER UPDATE ON organisations BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_organisations_delete AFTER DELETE ON organisations BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_campaigns_insert AFTER INSERT ON campaigns BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_campaigns_update AFTER UPDATE ON campaigns BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_campaigns_delete AFTER DELETE ON campaigns BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_evidence_insert AFTER INSERT ON evidence BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_evidence_update AFTER UPDATE ON evidence BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER plan_evidence_delete AFTER DELETE ON evidence BEGIN UPDATE plan_generation SET generation = generation + 1 WHERE id = 1; END;
