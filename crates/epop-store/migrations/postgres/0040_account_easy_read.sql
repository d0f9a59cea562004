-- The words of the e-mails the person gets: `facile` (easy-read French)
-- or `habituels` (the usual words). Set by the person only, in
-- « Affichage ».
ALTER TABLE accounts ADD COLUMN email_words TEXT NOT NULL DEFAULT 'habituels';
