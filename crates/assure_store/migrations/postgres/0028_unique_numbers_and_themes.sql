-- A recommendation's number is unique within its review, and a theme's name within its
-- partnership, without regard to case or surrounding spaces. (An audit's findings are numbered
-- by the framework's section they are about, which several findings share.) Rows that already
-- clash keep their data and are told apart by their id ("1 (42)", "communication (7)"), for
-- the business unit to renumber or merge.
UPDATE recommendations SET number = number || ' (' || id || ')'
WHERE review_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM recommendations o
    WHERE o.review_id = recommendations.review_id AND o.id < recommendations.id
      AND lower(trim(o.number)) = lower(trim(recommendations.number)));
CREATE UNIQUE INDEX recommendations_number_per_review
    ON recommendations (review_id, lower(trim(number))) WHERE review_id IS NOT NULL;

UPDATE themes SET name = name || ' (' || id || ')'
WHERE EXISTS (
    SELECT 1 FROM themes o
    WHERE o.partnership_id = themes.partnership_id AND o.id < themes.id
      AND lower(trim(o.name)) = lower(trim(themes.name)));
CREATE UNIQUE INDEX themes_name_per_partnership ON themes (partnership_id, lower(trim(name)));
