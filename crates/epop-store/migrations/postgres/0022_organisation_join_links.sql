-- An offer to join an organisation (issue 11): when a member invites an
-- existing account that belongs to no organisation, the e-mailed link
-- (an auth token of purpose 'organisation_join') names the organisation.
ALTER TABLE auth_tokens ADD COLUMN organisation_id BIGINT REFERENCES organisations(id) ON DELETE CASCADE;
