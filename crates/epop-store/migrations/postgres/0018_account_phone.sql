-- A phone number, from the coordinators' spreadsheets (seen by the
-- coordinators of the person's territory and admins).
ALTER TABLE accounts ADD COLUMN phone TEXT;
