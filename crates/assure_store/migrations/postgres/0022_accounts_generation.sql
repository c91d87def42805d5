-- Who someone is and what they may do (their account, their grants and the names of what the
-- grants are over) is kept between requests (Core::session) and read again only when it has
-- changed. Every write to those tables raises this counter, by trigger, in the writing
-- transaction; the session or token lookup reads it in the same statement, so a revoked grant or a
-- disabled account takes effect on the very next request.
CREATE TABLE accounts_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO accounts_generation (id, generation) VALUES (1, 0);
CREATE FUNCTION accounts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER accounts_users AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER accounts_role_grants AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_grants FOR EACH STATEMENT EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER accounts_organisations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER accounts_bodies AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bodies FOR EACH STATEMENT EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER accounts_partnerships AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partnerships FOR EACH STATEMENT EXECUTE FUNCTION accounts_changed();
