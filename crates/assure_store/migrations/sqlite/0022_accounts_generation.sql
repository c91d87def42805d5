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
CREATE TRIGGER accounts_users_insert AFTER INSERT ON users BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_users_update AFTER UPDATE ON users BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_users_delete AFTER DELETE ON users BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_role_grants_insert AFTER INSERT ON role_grants BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_role_grants_update AFTER UPDATE ON role_grants BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_role_grants_delete AFTER DELETE ON role_grants BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_organisations_insert AFTER INSERT ON organisations BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_organisations_update AFTER UPDATE ON organisations BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_organisations_delete AFTER DELETE ON organisations BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_bodies_insert AFTER INSERT ON bodies BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_bodies_update AFTER UPDATE ON bodies BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_bodies_delete AFTER DELETE ON bodies BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_partnerships_insert AFTER INSERT ON partnerships BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_partnerships_update AFTER UPDATE ON partnerships BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_partnerships_delete AFTER DELETE ON partnerships BEGIN UPDATE accounts_generation SET generation = generation + 1 WHERE id = 1; END;
