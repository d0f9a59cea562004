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
    at BIGINT
);
CREATE TABLE indicator_sums (
    department_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    month BIGINT NOT NULL,
    metric TEXT NOT NULL,
    detail TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (department_code, kind, month, metric, detail)
);
CREATE INDEX indicator_sums_month ON indicator_sums(month);
CREATE TABLE indicator_peers (
    department_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    PRIMARY KEY (department_code, kind, year, account_id)
);
CREATE INDEX indicator_peers_account ON indicator_peers(year, account_id);
INSERT INTO indicator_changes (department_code, at) VALUES (NULL, -1);

-- A request's two times: when it was sent, when it was marked done.
CREATE FUNCTION indicator_mark_request(place TEXT, sent BIGINT, done BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO indicator_changes (department_code, at) VALUES (place, sent), (place, done);
$$;

CREATE FUNCTION indicator_requests_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM indicator_mark_request(OLD.department_code, OLD.submitted_at, OLD.done_at);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM indicator_mark_request(NEW.department_code, NEW.submitted_at, NEW.done_at);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_requests AFTER INSERT OR DELETE OR UPDATE OF status, department_code,
    kind, organisation_id, submitted_at, done_at, scheduled_start, scheduled_end, audience_size
    ON intervention_requests FOR EACH ROW EXECUTE FUNCTION indicator_requests_changed();

-- Steps, proposals, payments and expenses: the times of their request.
CREATE FUNCTION indicator_request_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM indicator_mark_request(r.department_code, r.submitted_at, r.done_at)
            FROM intervention_requests r WHERE r.id = OLD.request_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM indicator_mark_request(r.department_code, r.submitted_at, r.done_at)
            FROM intervention_requests r WHERE r.id = NEW.request_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_request_transitions AFTER INSERT OR DELETE ON request_transitions
    FOR EACH ROW EXECUTE FUNCTION indicator_request_rows_changed();
CREATE TRIGGER indicator_request_proposals AFTER INSERT OR DELETE OR UPDATE OF status, request_id
    ON request_proposals FOR EACH ROW EXECUTE FUNCTION indicator_request_rows_changed();
CREATE TRIGGER indicator_request_payments AFTER INSERT OR DELETE
    OR UPDATE OF status, fee_cents, request_id
    ON request_payments FOR EACH ROW EXECUTE FUNCTION indicator_request_rows_changed();
CREATE TRIGGER indicator_request_expenses AFTER INSERT OR DELETE OR UPDATE OF amount_cents, request_id
    ON request_expenses FOR EACH ROW EXECUTE FUNCTION indicator_request_rows_changed();

-- The kind of an organisation: the times of all its requests.
CREATE FUNCTION indicator_organisation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM indicator_mark_request(r.department_code, r.submitted_at, r.done_at)
        FROM intervention_requests r WHERE r.organisation_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_organisations AFTER UPDATE OF kind ON organisations
    FOR EACH ROW EXECUTE FUNCTION indicator_organisation_changed();

-- Invitations and responses: when they were made.
CREATE FUNCTION indicator_questionnaire_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO indicator_changes (department_code, at) VALUES (OLD.department_code, OLD.created_at);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO indicator_changes (department_code, at) VALUES (NEW.department_code, NEW.created_at);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_questionnaire_invitations AFTER INSERT OR DELETE
    OR UPDATE OF sent_at, department_code, intervention_kind, created_at
    ON questionnaire_invitations FOR EACH ROW EXECUTE FUNCTION indicator_questionnaire_changed();
CREATE TRIGGER indicator_questionnaire_responses AFTER INSERT OR DELETE
    ON questionnaire_responses FOR EACH ROW EXECUTE FUNCTION indicator_questionnaire_changed();

-- Answers: when their response was made.
CREATE FUNCTION indicator_answer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO indicator_changes (department_code, at)
        SELECT x.department_code, x.created_at FROM questionnaire_responses x
        WHERE x.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.response_id ELSE NEW.response_id END;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_questionnaire_answers AFTER INSERT OR DELETE
    OR UPDATE OF value, declined, question_code
    ON questionnaire_answers FOR EACH ROW EXECUTE FUNCTION indicator_answer_changed();
