-- The same index as PostgreSQL's 0009 (there, lookups by id ranged over an index leading with nid before the
-- table had statistics). SQLite prefers the unique id index either way; the schemas stay alike.
CREATE INDEX courier_messages_nid_id_idx ON courier_messages (nid, id);
