-- Training: an event's target audience by named agencies (beside its sectors and levels); a freed
-- place offered to the next on the waiting list for acceptance until the offer lapses (after the
-- partnership's offer window, or when the session starts), with the offer's own link; the
-- manager chased once for the countersignature of a follow-up, with the reminder's own link (the
-- first still works). Links are kept only as SHA-256 hashes of their tokens.
ALTER TABLE training_events ADD COLUMN organisation_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE training_bookings ADD COLUMN offer_expires_at TEXT;
ALTER TABLE training_bookings ADD COLUMN offer_token_hash TEXT;
ALTER TABLE training_bookings ADD COLUMN manager_reminded_at TEXT;
ALTER TABLE training_bookings ADD COLUMN manager_reminder_token_hash TEXT;
ALTER TABLE training_settings ADD COLUMN offer_hours BIGINT NOT NULL DEFAULT 48;
CREATE UNIQUE INDEX training_bookings_offer_token ON training_bookings (offer_token_hash);
CREATE UNIQUE INDEX training_bookings_manager_reminder_token ON training_bookings (manager_reminder_token_hash);
CREATE INDEX training_bookings_offers ON training_bookings (status, offer_expires_at);
