-- Rows whose change can alter what /sessions/whoami answers. Every Warden process caching whoami answers
-- polls this log and drops the cached sessions of the identities named here, so a revocation, an identity
-- update or a verified address made through another process (or by hand in SQL) reaches its cache too.
-- Inserts need no entry: a new session or identity is not cached yet. SQLite runs one writer at a time, so
-- seq increases in commit order and a reader can follow it with "seq > last seen".
CREATE TABLE session_cache_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    identity_id TEXT NOT NULL,
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TRIGGER sessions_cache_update AFTER UPDATE ON sessions
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.identity_id); END;
CREATE TRIGGER sessions_cache_delete AFTER DELETE ON sessions
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.identity_id); END;
CREATE TRIGGER identities_cache_update AFTER UPDATE ON identities
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.id); END;
CREATE TRIGGER identities_cache_delete AFTER DELETE ON identities
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.id); END;
CREATE TRIGGER verifiable_addresses_cache_update AFTER UPDATE ON identity_verifiable_addresses
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.identity_id); END;
CREATE TRIGGER verifiable_addresses_cache_delete AFTER DELETE ON identity_verifiable_addresses
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.identity_id); END;
CREATE TRIGGER recovery_addresses_cache_update AFTER UPDATE ON identity_recovery_addresses
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.identity_id); END;
CREATE TRIGGER recovery_addresses_cache_delete AFTER DELETE ON identity_recovery_addresses
BEGIN INSERT INTO session_cache_changes (identity_id) VALUES (OLD.identity_id); END;
-- Addresses added to an existing identity arrive with an UPDATE of the identity row; a device added to a
-- session with an UPDATE of the session (refresh). Both are covered by the triggers above.
