-- Like 0008 for flows: every index of courier_messages led with nid, and on a database without statistics the
-- generic plan of a lookup by id (WHERE id = $1 AND nid = $2: marking a message sent, the admin API's get) ranged
-- over all of the network's entries of courier_messages_created_idx (nid, created_at, id), checking id in each,
-- until autovacuum's first ANALYZE. An index on (nid, id), as identities and sessions have, makes both
-- conditions a seek.
CREATE INDEX courier_messages_nid_id_idx ON courier_messages (nid, id);
