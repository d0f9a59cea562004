-- Sending the questionnaires. The reminder carries a new personal link
-- (only its hash is kept, like the first): both links stay valid. The
-- audience of an intervention has one link per questionnaire, the one the
-- host passes on. Done interventions are found by their end.
ALTER TABLE questionnaire_invitations ADD COLUMN reminder_token_hash TEXT;
CREATE UNIQUE INDEX questionnaire_invitations_reminder_link
    ON questionnaire_invitations(reminder_token_hash);
CREATE UNIQUE INDEX questionnaire_invitations_audience
    ON questionnaire_invitations(questionnaire_id, subject_kind, subject_id)
    WHERE respondent = 'audience';
CREATE INDEX intervention_requests_ended ON intervention_requests(status, scheduled_end);
