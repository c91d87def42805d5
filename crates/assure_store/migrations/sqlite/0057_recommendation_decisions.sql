-- What the partnership decided about each recommendation: to implement it (every recommendation
-- until said otherwise) or not, with the reason, the day and who recorded it. An adults' board's
-- annual report gives the reasons for every finding it decided not to implement.
ALTER TABLE recommendations ADD COLUMN decision TEXT NOT NULL DEFAULT 'implement';
ALTER TABLE recommendations ADD COLUMN decision_reason TEXT;
ALTER TABLE recommendations ADD COLUMN decided_on TEXT;
ALTER TABLE recommendations ADD COLUMN decided_by TEXT;
