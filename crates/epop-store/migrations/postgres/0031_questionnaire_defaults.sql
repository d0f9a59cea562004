-- A personal link keeps the answers given so far (URL-encoded, one page per
-- question), erased when the response is sent.
ALTER TABLE questionnaire_invitations ADD COLUMN draft TEXT;
-- Version 1 of the questionnaire of each purpose, so that the worker always
-- has a current one. `questions` is JSON: code, wording, easy_wording,
-- required, kind (echelle, oui-non, choix-unique, choix-multiples, nombre,
-- texte-court) and options, min, max, max_length where the kind needs them.
INSERT INTO questionnaires (purpose, version, title, questions, created_by, created_at)
    VALUES ('intervention', 1, 'Votre avis sur l’intervention', '[{"code": "ressenti", "wording": "Comment s’est passée l’intervention ?", "easy_wording": "Comment ça s’est passé ?", "required": true, "kind": "echelle"}, {"code": "utile", "wording": "L’intervention a-t-elle été utile ?", "easy_wording": "L’intervention a été utile ?", "required": true, "kind": "echelle"}, {"code": "encore", "wording": "Souhaitez-vous vivre à nouveau une intervention par les pairs ?", "easy_wording": "Vous voulez refaire une intervention comme celle-ci ?", "required": true, "kind": "oui-non"}, {"code": "commentaire", "wording": "Souhaitez-vous ajouter quelque chose ?", "easy_wording": "Vous voulez dire autre chose ?", "required": false, "kind": "texte-court", "max_length": 2000}]', NULL, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
INSERT INTO questionnaires (purpose, version, title, questions, created_by, created_at)
    VALUES ('fin-formation', 1, 'Votre avis sur la formation', '[{"code": "ressenti", "wording": "Comment s’est passée la formation ?", "easy_wording": "La formation s’est bien passée ?", "required": true, "kind": "echelle"}, {"code": "utile", "wording": "Ce que vous avez appris vous sera-t-il utile ?", "easy_wording": "Ce que vous avez appris va vous aider ?", "required": true, "kind": "echelle"}, {"code": "recommander", "wording": "Conseilleriez-vous cette formation à une autre personne ?", "easy_wording": "Vous conseillez cette formation à une autre personne ?", "required": true, "kind": "oui-non"}, {"code": "commentaire", "wording": "Souhaitez-vous ajouter quelque chose ?", "easy_wording": "Vous voulez dire autre chose ?", "required": false, "kind": "texte-court", "max_length": 2000}]', NULL, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
INSERT INTO questionnaires (purpose, version, title, questions, created_by, created_at)
    VALUES ('formation-6-mois', 1, 'Six mois après votre formation', '[{"code": "utile", "wording": "Six mois après, la formation vous est-elle utile ?", "easy_wording": "Aujourd’hui, la formation vous aide ?", "required": true, "kind": "echelle"}, {"code": "intervenu", "wording": "Avez-vous fait au moins une intervention par les pairs depuis la formation ?", "easy_wording": "Vous avez fait une intervention depuis la formation ?", "required": true, "kind": "oui-non"}, {"code": "commentaire", "wording": "Souhaitez-vous ajouter quelque chose ?", "easy_wording": "Vous voulez dire autre chose ?", "required": false, "kind": "texte-court", "max_length": 2000}]', NULL, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
INSERT INTO questionnaires (purpose, version, title, questions, created_by, created_at)
    VALUES ('evenement', 1, 'Votre avis sur l’événement', '[{"code": "ressenti", "wording": "Comment s’est passé l’événement ?", "easy_wording": "L’événement s’est bien passé ?", "required": true, "kind": "echelle"}, {"code": "appris", "wording": "Avez-vous appris quelque chose de nouveau ?", "easy_wording": "Vous avez appris quelque chose ?", "required": true, "kind": "oui-non"}, {"code": "commentaire", "wording": "Souhaitez-vous ajouter quelque chose ?", "easy_wording": "Vous voulez dire autre chose ?", "required": false, "kind": "texte-court", "max_length": 2000}]', NULL, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
-- The intervention feedback given before the questionnaires becomes
-- responses to version 1 of `intervention`, with their dates: feeling and
-- usefulness are scale steps, « peut-être » is « je ne sais pas » (-1). A
-- response does not say who gave it (the account stays in request_feedback).
INSERT INTO questionnaire_responses (questionnaire_id, subject_kind, subject_id, respondent, department_code, intervention_kind, created_at)
    SELECT q.id, 'intervention', f.request_id, f.side, r.department_code, r.kind, f.created_at
    FROM request_feedback f
    JOIN intervention_requests r ON r.id = f.request_id
    JOIN questionnaires q ON q.purpose = 'intervention' AND q.version = 1
    ORDER BY f.created_at, f.request_id, f.side;
INSERT INTO questionnaire_answers (response_id, question_code, value, text, declined)
    SELECT x.id, 'ressenti', f.feeling, NULL, 0
    FROM request_feedback f
    JOIN questionnaire_responses x ON x.subject_kind = 'intervention' AND x.subject_id = f.request_id AND x.respondent = f.side;
INSERT INTO questionnaire_answers (response_id, question_code, value, text, declined)
    SELECT x.id, 'utile', f.useful, NULL, 0
    FROM request_feedback f
    JOIN questionnaire_responses x ON x.subject_kind = 'intervention' AND x.subject_id = f.request_id AND x.respondent = f.side;
INSERT INTO questionnaire_answers (response_id, question_code, value, text, declined)
    SELECT x.id, 'encore', CASE f.again WHEN 'oui' THEN 1 WHEN 'non' THEN 0 ELSE -1 END, NULL, 0
    FROM request_feedback f
    JOIN questionnaire_responses x ON x.subject_kind = 'intervention' AND x.subject_id = f.request_id AND x.respondent = f.side;
INSERT INTO questionnaire_answers (response_id, question_code, value, text, declined)
    SELECT x.id, 'commentaire', NULL, f.comment, 0
    FROM request_feedback f
    JOIN questionnaire_responses x ON x.subject_kind = 'intervention' AND x.subject_id = f.request_id AND x.respondent = f.side
    WHERE f.comment IS NOT NULL AND f.comment <> '';
