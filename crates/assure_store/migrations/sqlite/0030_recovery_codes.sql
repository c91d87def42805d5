-- Single-use recovery codes for two-step sign-in, kept as SHA-256 hashes (each code carries 79
-- random bits, so a hash cannot be reversed by trying codes).
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
