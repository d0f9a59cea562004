-- The review of an easy-read text by the people it is for. A round keeps
-- the text as it was when the review was asked (`text`: what the
-- reviewers read, sentence by sentence) and, once the author marks it
-- reviewed, the text marked (`reviewed_text`): a page carries « Relu par
-- des personnes concernées » only while its easy-read text is still that
-- one. `subject_kind`: ressource, actualite, programme; `subject_slug`
-- its address. `reviewer_names`: the first names of the reviewers who
-- agreed to be named, one per line.
CREATE TABLE easy_reviews (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL,
    subject_slug TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    requested_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    reviewed_at BIGINT,
    reviewed_text TEXT,
    reviewer_names TEXT NOT NULL DEFAULT ''
);
CREATE INDEX easy_reviews_subject ON easy_reviews(subject_kind, subject_slug, reviewed_at);
-- The intervention requests (« Donner son avis ») of a round: reviewing is
-- paid work, matched, framed and paid as any intervention. One request
-- per reviewer; a round may ask for more.
CREATE TABLE easy_review_requests (
    review_id BIGINT NOT NULL REFERENCES easy_reviews(id) ON DELETE CASCADE,
    request_id BIGINT NOT NULL UNIQUE REFERENCES intervention_requests(id) ON DELETE CASCADE,
    PRIMARY KEY (review_id, request_id)
);
-- A reviewer's answer about one sentence (1-based): understood or not,
-- and the words they found hard.
CREATE TABLE easy_review_answers (
    review_id BIGINT NOT NULL REFERENCES easy_reviews(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    sentence BIGINT NOT NULL,
    understood BIGINT NOT NULL,
    words TEXT NOT NULL DEFAULT '',
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (review_id, account_id, sentence)
);
CREATE INDEX easy_review_answers_by_account ON easy_review_answers(account_id);
-- A reviewer who has finished reading, and whether their first name may
-- be shown with the mark.
CREATE TABLE easy_reviewers (
    review_id BIGINT NOT NULL REFERENCES easy_reviews(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    show_name BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    PRIMARY KEY (review_id, account_id)
);
CREATE INDEX easy_reviewers_by_account ON easy_reviewers(account_id);
