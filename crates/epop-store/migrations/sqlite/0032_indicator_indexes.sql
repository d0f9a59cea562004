-- The indicators count on indexes: requests by when they were sent (in a
-- territory or the whole country), the steps of requests by state and time
-- (interventions marked done in a period), answers by time. The audience
-- size an organisation gave is copied from the form into a column, so the
-- people reached are a sum, not a read of every form; and when a request
-- was marked done is kept on the request (`done_at`, written with the
-- step), so the interventions of a territory and period are one index
-- range of the requests.
ALTER TABLE intervention_requests ADD COLUMN audience_size INTEGER;
UPDATE intervention_requests SET audience_size = CAST(
    substr(
        substr(form, instr(form, 'audience_size=') + 14),
        1,
        CASE WHEN instr(substr(form, instr(form, 'audience_size=') + 14), '&') = 0
            THEN 12
            ELSE instr(substr(form, instr(form, 'audience_size=') + 14), '&') - 1 END
    ) AS INTEGER)
WHERE status <> 'draft' AND instr(form, 'audience_size=') > 0;
ALTER TABLE intervention_requests ADD COLUMN done_at INTEGER;
UPDATE intervention_requests SET done_at = (SELECT MIN(t.created_at) FROM request_transitions t
    WHERE t.request_id = intervention_requests.id AND t.to_status = 'done'
    AND (t.from_status IS NULL OR t.from_status <> 'done'));
CREATE INDEX intervention_requests_done ON intervention_requests(done_at);
CREATE INDEX intervention_requests_place_done ON intervention_requests(department_code, done_at);
CREATE INDEX intervention_requests_sent ON intervention_requests(submitted_at);
CREATE INDEX intervention_requests_place_sent ON intervention_requests(department_code, submitted_at);
CREATE INDEX request_transitions_step_time ON request_transitions(to_status, created_at, request_id);
CREATE INDEX questionnaire_responses_time ON questionnaire_responses(created_at);
CREATE INDEX questionnaire_invitations_time ON questionnaire_invitations(created_at);
