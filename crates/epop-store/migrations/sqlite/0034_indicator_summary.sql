-- The indicators read a summary by département, kind of intervention and
-- month (`indicator_sums`, with '*' rows for the whole country and for all
-- kinds) and the peers who did an intervention by département, kind and
-- year (`indicator_peers`), instead of counting a million requests at each
-- reading. Triggers on the tables the figures come from write which
-- (département, time) changed into `indicator_changes`; before a reading
-- (and after the worker's due work) `epop_store::indicators::summary`
-- recounts those cells from the tables and empties the log. The log starts
-- with one row at -1: recount everything. Keys starting with `*` are the
-- country's and the régions' own rows.
CREATE TABLE indicator_changes (
    department_code TEXT,
    at INTEGER
);
CREATE TABLE indicator_sums (
    department_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    month INTEGER NOT NULL,
    metric TEXT NOT NULL,
    detail TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (department_code, kind, month, metric, detail)
);
CREATE INDEX indicator_sums_month ON indicator_sums(month);
CREATE TABLE indicator_peers (
    department_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    PRIMARY KEY (department_code, kind, year, account_id)
);
CREATE INDEX indicator_peers_account ON indicator_peers(year, account_id);
INSERT INTO indicator_changes (department_code, at) VALUES (NULL, -1);
CREATE TRIGGER indicator_requests_insert AFTER INSERT ON intervention_requests BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (NEW.department_code, NEW.submitted_at), (NEW.department_code, NEW.done_at);
END;
CREATE TRIGGER indicator_requests_update AFTER UPDATE OF status, department_code, kind,
    organisation_id, submitted_at, done_at, scheduled_start, scheduled_end, audience_size
    ON intervention_requests BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (OLD.department_code, OLD.submitted_at), (OLD.department_code, OLD.done_at);
    INSERT INTO indicator_changes (department_code, at) VALUES (NEW.department_code, NEW.submitted_at), (NEW.department_code, NEW.done_at);
END;
CREATE TRIGGER indicator_requests_delete AFTER DELETE ON intervention_requests BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (OLD.department_code, OLD.submitted_at), (OLD.department_code, OLD.done_at);
END;
CREATE TRIGGER indicator_organisations_kind AFTER UPDATE OF kind ON organisations BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE organisation_id = NEW.id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE organisation_id = NEW.id;
END;
CREATE TRIGGER indicator_request_transitions_insert AFTER INSERT ON request_transitions BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = NEW.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = NEW.request_id;
END;
CREATE TRIGGER indicator_request_transitions_delete AFTER DELETE ON request_transitions BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = OLD.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = OLD.request_id;
END;
CREATE TRIGGER indicator_request_proposals_insert AFTER INSERT ON request_proposals BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = NEW.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = NEW.request_id;
END;
CREATE TRIGGER indicator_request_proposals_update AFTER UPDATE OF status, request_id ON request_proposals BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = OLD.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = OLD.request_id;
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = NEW.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = NEW.request_id;
END;
CREATE TRIGGER indicator_request_proposals_delete AFTER DELETE ON request_proposals BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = OLD.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = OLD.request_id;
END;
CREATE TRIGGER indicator_request_payments_insert AFTER INSERT ON request_payments BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = NEW.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = NEW.request_id;
END;
CREATE TRIGGER indicator_request_payments_update AFTER UPDATE OF status, fee_cents, request_id ON request_payments BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = OLD.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = OLD.request_id;
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = NEW.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = NEW.request_id;
END;
CREATE TRIGGER indicator_request_payments_delete AFTER DELETE ON request_payments BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = OLD.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = OLD.request_id;
END;
CREATE TRIGGER indicator_request_expenses_insert AFTER INSERT ON request_expenses BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = NEW.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = NEW.request_id;
END;
CREATE TRIGGER indicator_request_expenses_update AFTER UPDATE OF amount_cents, request_id ON request_expenses BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = OLD.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = OLD.request_id;
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = NEW.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = NEW.request_id;
END;
CREATE TRIGGER indicator_request_expenses_delete AFTER DELETE ON request_expenses BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, submitted_at FROM intervention_requests WHERE id = OLD.request_id
        UNION ALL
        SELECT department_code, done_at FROM intervention_requests WHERE id = OLD.request_id;
END;
CREATE TRIGGER indicator_questionnaire_invitations_insert AFTER INSERT ON questionnaire_invitations BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (NEW.department_code, NEW.created_at);
END;
CREATE TRIGGER indicator_questionnaire_invitations_delete AFTER DELETE ON questionnaire_invitations BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (OLD.department_code, OLD.created_at);
END;
CREATE TRIGGER indicator_questionnaire_invitations_update AFTER UPDATE OF sent_at, department_code, intervention_kind, created_at ON questionnaire_invitations BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (OLD.department_code, OLD.created_at);
    INSERT INTO indicator_changes (department_code, at) VALUES (NEW.department_code, NEW.created_at);
END;
CREATE TRIGGER indicator_questionnaire_responses_insert AFTER INSERT ON questionnaire_responses BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (NEW.department_code, NEW.created_at);
END;
CREATE TRIGGER indicator_questionnaire_responses_delete AFTER DELETE ON questionnaire_responses BEGIN
    INSERT INTO indicator_changes (department_code, at) VALUES (OLD.department_code, OLD.created_at);
END;
CREATE TRIGGER indicator_questionnaire_answers_insert AFTER INSERT ON questionnaire_answers BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, created_at FROM questionnaire_responses WHERE id = NEW.response_id;
END;
CREATE TRIGGER indicator_questionnaire_answers_update AFTER UPDATE OF value, declined, question_code
    ON questionnaire_answers BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, created_at FROM questionnaire_responses WHERE id = NEW.response_id;
END;
CREATE TRIGGER indicator_questionnaire_answers_delete AFTER DELETE ON questionnaire_answers BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT department_code, created_at FROM questionnaire_responses WHERE id = OLD.response_id;
END;
