-- News (« actualités ») and the newsletter (« lettre d’information »).
-- A news item is national (no région, no département), for a région or for
-- a département; its easy-read version (title and text) is optional; its
-- image, when it has one, is a file of the data directory (news/) with its
-- text alternative. `links` holds one « label | /path » per line, to the
-- platform's events, trainings, programmes and resources.
CREATE TABLE news (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    title_easy TEXT,
    body_easy TEXT,
    region_code TEXT REFERENCES regions(code),
    department_code TEXT REFERENCES departments(code),
    image_file TEXT,
    image_alt TEXT,
    links TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX news_by_date ON news(published_at);
-- Newsletter subscribers: one row per address, for a région or national
-- (`region_code` NULL), ordinary or easy-read French; confirmed by the
-- link e-mailed (double opt-in); a member subscribing from their space is
-- confirmed at once. Unsubscribing deletes the row and its links.
CREATE TABLE newsletter_subscribers (
    id INTEGER PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    region_code TEXT REFERENCES regions(code),
    easy INTEGER NOT NULL DEFAULT 0,
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER
);
CREATE INDEX newsletter_subscribers_by_region ON newsletter_subscribers(region_code, id);
CREATE INDEX newsletter_subscribers_by_account ON newsletter_subscribers(account_id);
-- The links e-mailed to a subscriber (confirmation, unsubscription), as
-- hashes; they die with the subscription.
CREATE TABLE newsletter_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    subscriber_id INTEGER NOT NULL REFERENCES newsletter_subscribers(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX newsletter_links_by_subscriber ON newsletter_links(subscriber_id);
-- The monthly digest of a territory (a région code, or `national`), built
-- by the worker, sent when a coordinator or an admin asks: the worker then
-- writes its e-mails to the outbox in batches, `last_subscriber_id` being the last
-- subscriber written to.
CREATE TABLE newsletter_digests (
    id INTEGER PRIMARY KEY NOT NULL,
    territory TEXT NOT NULL,
    month TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    body_easy TEXT NOT NULL,
    built_at INTEGER NOT NULL,
    send_requested_at INTEGER,
    last_subscriber_id INTEGER NOT NULL DEFAULT 0,
    recipients INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER,
    UNIQUE (territory, month)
);
-- A list message's unsubscribe address (RFC 8058): the mailer makes the
-- `List-Unsubscribe` and `List-Unsubscribe-Post` headers from it; it is
-- forgotten once the message is sent, as its body is.
ALTER TABLE outbox ADD COLUMN list_unsubscribe TEXT;
