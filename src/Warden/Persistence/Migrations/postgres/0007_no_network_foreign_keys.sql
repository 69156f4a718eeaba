-- Drops the foreign keys from every table's nid to networks(id). Warden writes one network id, its own
-- constant, so they protected against nothing that can happen, and they were not free: PostgreSQL checks a
-- foreign key on every INSERT with a locking read of the parent row (SELECT ... FOR KEY SHARE), so each new
-- flow, session, device, identity, credential, identifier and address took a row lock on the single networks
-- row, and concurrent writers shared that one row's lock (a multixact). Measured before this change, the two
-- checks of a session INSERT (nid and identity_id) cost more than the INSERT itself. The identity_id, session_id
-- and credential foreign keys stay: they carry the cascading deletes.
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
              WHERE contype = 'f' AND confrelid = 'networks'::regclass
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
    END LOOP;
END
$$;
