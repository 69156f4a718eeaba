-- The expiry index of selfservice_flows led with nid. Until PostgreSQL has statistics for the table (a new
-- database, until autovacuum first analyzes it), it takes an equality on nid for a selective condition, so the
-- generic plan of every lookup by id (WHERE id = $1 AND nid = $2: each flow read and update, cached per
-- connection) scanned this index over all of the network's flows and filtered on id: measured on a fresh
-- database, PostgreSQL's CPU per login grew with every flow created until the first ANALYZE. With expires_at
-- first the index cannot serve nid alone, so the primary key is the only index for those lookups; a cleanup of
-- expired flows still finds them by expires_at.
DROP INDEX selfservice_flows_expires_idx;
CREATE INDEX selfservice_flows_expires_idx ON selfservice_flows (expires_at, nid);
