-- The plan's pages are kept between requests as well as its counts (Core::plan): each row carries
-- its organisation's name, its campaign's title and its evidence counts, so writes to those
-- tables raise the plan's generation too.
CREATE TRIGGER plan_organisations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
CREATE TRIGGER plan_campaigns AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON campaigns FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
CREATE TRIGGER plan_evidence AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON evidence FOR EACH STATEMENT EXECUTE FUNCTION plan_changed();
