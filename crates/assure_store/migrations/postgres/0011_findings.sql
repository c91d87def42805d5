-- An audit campaign's findings are recommendations too: they carry the campaign they came from.
ALTER TABLE recommendations ADD COLUMN campaign_id BIGINT REFERENCES campaigns (id);
CREATE INDEX recommendations_campaign_id ON recommendations (campaign_id);
