-- Who gave each consent (issue 11): the person themself ('person'), or a
-- coordinator or admin recording the person's written consent ('written':
-- the day the person gave it, how — paper form, e-mail… — and an optional
-- note). recorded_by is the account that wrote the line: the person
-- themself, or the coordinator.
ALTER TABLE consents ADD COLUMN source TEXT NOT NULL DEFAULT 'person';
ALTER TABLE consents ADD COLUMN recorded_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL;
ALTER TABLE consents ADD COLUMN written_on TEXT;
ALTER TABLE consents ADD COLUMN written_how TEXT;
ALTER TABLE consents ADD COLUMN note TEXT;
-- Existing consents were given by the account itself (the pages asked the
-- person; the coordinators' pages could also tick the box, a hole closed
-- with this version).
UPDATE consents SET recorded_by = account_id;
-- Until now the import made profiles public without asking the person: a
-- public profile without a standing consent to be listed becomes visible to
-- members only, until the person says yes (or a written consent is recorded).
UPDATE profiles SET visibility = 'members'
WHERE visibility = 'public' AND NOT EXISTS (
    SELECT 1 FROM consents c
    WHERE c.account_id = profiles.account_id AND c.purpose = 'annuaire' AND c.withdrawn_at IS NULL
);
