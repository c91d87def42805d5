-- A password someone else chose (a new account's first password, an administrator's reset) must
-- be changed at the next sign-in; and a TOTP code is accepted once: the time step of the last
-- accepted code is kept, and only a later step is accepted.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
