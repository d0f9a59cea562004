-- Questionnaires sent after what the network evaluates. A questionnaire is
-- a (purpose, version): a changed questionnaire is a new version, never an
-- edit, and every response keeps the version it answered. `questions` holds
-- the version's questions as JSON (code, wordings, kind, options, bounds).
CREATE TABLE questionnaires (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose TEXT NOT NULL,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    questions TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (purpose, version)
);
-- Who is asked: a personal link (the hash of its random token), what it is
-- about, in which département, and when it was sent, reminded (once) and
-- answered. The person's address stays here only; a response does not
-- point back to its invitation, so answers are kept apart from identity.
-- `respondent`: host, peer, audience, trainee, employer, participant.
-- `subject_kind`: intervention, training, event.
CREATE TABLE questionnaire_invitations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires(id),
    token_hash TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    respondent TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    email TEXT,
    easy_read BIGINT NOT NULL DEFAULT 0,
    department_code TEXT REFERENCES departments(code),
    intervention_kind TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    reminded_at BIGINT,
    answered_at BIGINT
);
CREATE UNIQUE INDEX questionnaire_invitations_once
    ON questionnaire_invitations(questionnaire_id, subject_kind, subject_id, respondent, email);
CREATE INDEX questionnaire_invitations_due ON questionnaire_invitations(sent_at, answered_at);
CREATE INDEX questionnaire_invitations_place ON questionnaire_invitations(department_code, created_at);
-- One response (anonymous: no account, no invitation) and its answers, one
-- row per question; `declined` is « je préfère ne pas répondre ».
-- `value` holds a scale step, 1 yes / 0 no / -1 je ne sais pas, a number or
-- a choice's index; several choices give one row per choice.
CREATE TABLE questionnaire_responses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires(id),
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    respondent TEXT NOT NULL,
    department_code TEXT REFERENCES departments(code),
    intervention_kind TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX questionnaire_responses_place ON questionnaire_responses(department_code, created_at);
CREATE INDEX questionnaire_responses_subject ON questionnaire_responses(subject_kind, subject_id);
CREATE TABLE questionnaire_answers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id BIGINT NOT NULL REFERENCES questionnaire_responses(id) ON DELETE CASCADE,
    question_code TEXT NOT NULL,
    value BIGINT,
    text TEXT,
    declined BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX questionnaire_answers_response ON questionnaire_answers(response_id, question_code);
