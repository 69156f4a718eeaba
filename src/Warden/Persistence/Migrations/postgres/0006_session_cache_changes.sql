-- Every Warden process caching /sessions/whoami answers LISTENs on this channel and drops the cached
-- sessions of the identity named in each notification. PostgreSQL delivers a notification only when its
-- transaction commits (and never for a rolled-back one), so a revocation, an identity update or a verified
-- address made through any instance, or by hand in SQL, reaches every cache. Inserts need no notification:
-- a new session or identity is not cached yet.
CREATE FUNCTION warden_session_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0] names the column holding the identity id (id on identities, identity_id elsewhere).
    PERFORM pg_notify('warden_session_cache', to_jsonb(OLD) ->> TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_cache AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION warden_session_cache_notify('identity_id');
CREATE TRIGGER identities_cache AFTER UPDATE OR DELETE ON identities
    FOR EACH ROW EXECUTE FUNCTION warden_session_cache_notify('id');
CREATE TRIGGER verifiable_addresses_cache AFTER UPDATE OR DELETE ON identity_verifiable_addresses
    FOR EACH ROW EXECUTE FUNCTION warden_session_cache_notify('identity_id');
CREATE TRIGGER recovery_addresses_cache AFTER UPDATE OR DELETE ON identity_recovery_addresses
    FOR EACH ROW EXECUTE FUNCTION warden_session_cache_notify('identity_id');

-- TRUNCATE fires no row triggers; a payload that is not an identity id tells every cache to start empty.
CREATE FUNCTION warden_session_cache_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('warden_session_cache', '*');
    RETURN NULL;
END
$$;
CREATE TRIGGER sessions_cache_truncate AFTER TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION warden_session_cache_flush();
CREATE TRIGGER identities_cache_truncate AFTER TRUNCATE ON identities FOR EACH STATEMENT EXECUTE FUNCTION warden_session_cache_flush();
CREATE TRIGGER verifiable_addresses_cache_truncate AFTER TRUNCATE ON identity_verifiable_addresses FOR EACH STATEMENT EXECUTE FUNCTION warden_session_cache_flush();
CREATE TRIGGER recovery_addresses_cache_truncate AFTER TRUNCATE ON identity_recovery_addresses FOR EACH STATEMENT EXECUTE FUNCTION warden_session_cache_flush();
