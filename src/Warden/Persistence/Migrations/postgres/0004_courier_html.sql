-- E-mails keep their HTML alternative next to the plain-text body, both rendered when the message is queued.
ALTER TABLE courier_messages ADD COLUMN html_body TEXT NULL;
-- The admin list pages newest first with a (created_at, id) keyset.
CREATE INDEX courier_messages_created_idx ON courier_messages (nid, created_at, id);
