-- Questionnaires sent after what the network evaluates. A questionnaire is
-- a (purpose, version): a changed questionnaire is a new version, never an
-- edit, and every response keeps the version it answered. `questions` holds
-- the version's questions as JSON (code, wordings, kind, options, bounds).
CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    questions TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (purpose, version)
);
-- Who is asked: a personal link (the hash of its random token), what it is
-- about, in which département, and when it was sent, reminded (once) and
-- answered. The person's address stays here only; a response does not
-- point back to its invitation, so answers are kept apart from identity.
-- `respondent`: host, peer, audience, trainee, employer, participant.
-- `subject_kind`: intervention, training, event.
CREATE TABLE questionnaire_invitations (
    id INTEGER PRIMARY KEY NOT NULL,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    token_hash TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    respondent TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    email TEXT,
    easy_read INTEGER NOT NULL DEFAULT 0,
    department_code TEXT REFERENCES departments(code),
    intervention_kind TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    reminded_at INTEGER,
    answered_at INTEGER
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
    id INTEGER PRIMARY KEY NOT NULL,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    respondent TEXT NOT NULL,
    department_code TEXT REFERENCES departments(code),
    intervention_kind TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX questionnaire_responses_place ON questionnaire_responses(department_code, created_at);
CREATE INDEX questionnaire_responses_subject ON questionnaire_responses(subject_kind, subject_id);
CREATE TABLE questionnaire_answers (
    id INTEGER PRIMARY KEY NOT NULL,
    response_id INTEGER NOT NULL REFERENCES questionnaire_responses(id) ON DELETE CASCADE,
    question_code TEXT NOT NULL,
    value INTEGER,
    text TEXT,
    declined INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX questionnaire_answers_response ON questionnaire_answers(response_id, question_code);
