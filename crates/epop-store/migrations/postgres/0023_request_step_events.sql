-- What happened at a step of a request that did not change its status
-- (a framework chosen, a référent named, a payment recorded, an edit): a
-- code the pages name in words. Older rows are named from their reason.
ALTER TABLE request_transitions ADD COLUMN event TEXT;
UPDATE request_transitions SET event = 'framework'
  WHERE from_status = to_status AND reason LIKE 'Cadre choisi%';
UPDATE request_transitions SET event = 'edited'
  WHERE from_status = to_status AND reason = 'Demande modifiée par la coordination';
