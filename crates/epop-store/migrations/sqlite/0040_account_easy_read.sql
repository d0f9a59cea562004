-- The person asked for the e-mails the platform sends them in easy-read
-- French (1) or in its usual words (0). Set by the person only, in
-- « Réglages d'affichage ».
ALTER TABLE accounts ADD COLUMN easy_read_emails INTEGER NOT NULL DEFAULT 0;
