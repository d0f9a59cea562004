-- « Écrire à la coordination »: a visitor's message to the coordinators of
-- a territory (or an event's organiser, a training session's coordinator,
-- the national coordination), kept as a conversation they answer from the
-- platform. The recipients are the accounts it was addressed to when sent;
-- the visitor writes again through a personal link (one per e-mail, stored
-- hashed). Erased a year after its last message. E-mails to the
-- coordination carry the visitor's address as Reply-To, forgotten once sent.
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
CREATE TABLE contact_conversations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    target_kind TEXT NOT NULL,
    target_ref TEXT NOT NULL,
    target_name TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sender_email TEXT NOT NULL,
    sender_phone TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contact_conversations_sender ON contact_conversations(sender_email);
CREATE TABLE contact_recipients (
    conversation_id BIGINT NOT NULL REFERENCES contact_conversations(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    read_at BIGINT,
    PRIMARY KEY (conversation_id, account_id)
);
CREATE INDEX contact_recipients_account ON contact_recipients(account_id);
CREATE TABLE contact_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES contact_conversations(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    from_coordination BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contact_messages_conversation ON contact_messages(conversation_id, id);
CREATE TABLE contact_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    conversation_id BIGINT NOT NULL REFERENCES contact_conversations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
