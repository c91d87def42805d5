-- Why no notice to the Panel and the Secretary of State was needed, when a review was published
-- without one (the notice clock is then "not needed").
ALTER TABLE reviews ADD COLUMN notice_not_needed TEXT;
