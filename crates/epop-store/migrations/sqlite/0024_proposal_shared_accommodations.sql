-- What the accepted peer worker chose to tell the organisation it must
-- plan for them (accommodations), written on the mission sheet. Only the
-- peer writes it; their profile's sensitive field is never copied here.
ALTER TABLE request_proposals ADD COLUMN shared_accommodations TEXT;
