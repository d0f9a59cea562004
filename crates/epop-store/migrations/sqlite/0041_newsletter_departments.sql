-- A newsletter subscription may be for a département (its région is kept
-- beside it, so that a région's figures still count it). Digests are named
-- by the code of the place they are for, as news scopes are: `national`,
-- `region-76`, `departement-34`.
ALTER TABLE newsletter_subscribers ADD COLUMN department_code TEXT REFERENCES departments(code);
CREATE INDEX newsletter_subscribers_by_department ON newsletter_subscribers(department_code, id);
UPDATE newsletter_digests SET territory = 'region-' || territory WHERE territory <> 'national';
-- When a resource was first published, for the digests' « nouvelles
-- ressources » (a later edit or a new version does not make it new again).
ALTER TABLE resources ADD COLUMN published_at BIGINT;
UPDATE resources SET published_at = updated_at WHERE status = 'published';
CREATE INDEX resources_published_at ON resources(published_at);
