-- The same index order as PostgreSQL (see its 0008: there, an index leading with nid was chosen for lookups by
-- id before the table had statistics). SQLite prefers the unique id index either way; the schemas stay alike.
DROP INDEX selfservice_flows_expires_idx;
CREATE INDEX selfservice_flows_expires_idx ON selfservice_flows (expires_at, nid);
