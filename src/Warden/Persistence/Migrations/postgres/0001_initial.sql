-- Warden schema v1. Every table carries nid (network/tenant id) so a multi-tenant deployment needs no
-- rewrite; uniqueness is always per nid. JSON documents are stored as text: Warden never queries inside them.

CREATE TABLE networks (
    id UUID PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);
INSERT INTO networks (id, created_at) VALUES ('00000000-0000-4000-8000-000000000001', now());

CREATE TABLE identities (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    schema_id VARCHAR(255) NOT NULL,
    traits TEXT NOT NULL,
    state VARCHAR(32) NOT NULL DEFAULT 'active',
    state_changed_at TIMESTAMPTZ NULL,
    metadata_public TEXT NULL,
    metadata_admin TEXT NULL,
    external_id VARCHAR(255) NULL,
    organization_id UUID NULL,
    available_aal VARCHAR(16) NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX identities_nid_external_id_uq ON identities (nid, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX identities_nid_id_idx ON identities (nid, id);

CREATE TABLE identity_credentials (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    identity_id UUID NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    type VARCHAR(32) NOT NULL,
    config TEXT NOT NULL,
    version INT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX identity_credentials_identity_type_uq ON identity_credentials (nid, identity_id, type);

CREATE TABLE identity_credential_identifiers (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    identity_id UUID NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    identity_credential_id UUID NOT NULL REFERENCES identity_credentials(id) ON DELETE CASCADE,
    type VARCHAR(32) NOT NULL,
    identifier VARCHAR(512) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- The database, not a check-then-insert, guarantees one identity per identifier.
CREATE UNIQUE INDEX identity_credential_identifiers_uq ON identity_credential_identifiers (nid, type, identifier);
CREATE INDEX identity_credential_identifiers_identity_idx ON identity_credential_identifiers (identity_id);
CREATE INDEX identity_credential_identifiers_prefix_idx ON identity_credential_identifiers (nid, identifier text_pattern_ops);

CREATE TABLE identity_verifiable_addresses (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    identity_id UUID NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    via VARCHAR(16) NOT NULL,
    value VARCHAR(512) NOT NULL,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    verified_at TIMESTAMPTZ NULL,
    status VARCHAR(16) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX identity_verifiable_addresses_uq ON identity_verifiable_addresses (nid, via, value);
CREATE INDEX identity_verifiable_addresses_identity_idx ON identity_verifiable_addresses (identity_id);

CREATE TABLE identity_recovery_addresses (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    identity_id UUID NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    via VARCHAR(16) NOT NULL,
    value VARCHAR(512) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX identity_recovery_addresses_uq ON identity_recovery_addresses (nid, via, value);
CREATE INDEX identity_recovery_addresses_identity_idx ON identity_recovery_addresses (identity_id);

-- All self-service flows share one table: kind = login|registration|settings|recovery|verification.
-- Flow-specific fields (ui, request_url, return_to, internal context) live in the data document.
CREATE TABLE selfservice_flows (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    kind VARCHAR(32) NOT NULL,
    type VARCHAR(16) NOT NULL,
    state VARCHAR(64) NOT NULL,
    identity_id UUID NULL REFERENCES identities(id) ON DELETE CASCADE,
    session_id UUID NULL,
    csrf_token VARCHAR(255) NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX selfservice_flows_expires_idx ON selfservice_flows (nid, expires_at);

CREATE TABLE selfservice_errors (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    error TEXT NOT NULL,
    csrf_token VARCHAR(255) NOT NULL DEFAULT '',
    was_seen BOOLEAN NOT NULL DEFAULT FALSE,
    seen_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    identity_id UUID NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    -- Only keyed hashes of tokens are stored: a database leak yields no usable session.
    token_hash VARCHAR(128) NOT NULL,
    logout_token_hash VARCHAR(128) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    aal VARCHAR(16) NOT NULL DEFAULT 'aal1',
    authentication_methods TEXT NOT NULL DEFAULT '[]',
    authenticated_at TIMESTAMPTZ NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX sessions_token_hash_uq ON sessions (token_hash);
CREATE UNIQUE INDEX sessions_logout_token_hash_uq ON sessions (logout_token_hash);
CREATE INDEX sessions_identity_idx ON sessions (nid, identity_id, active);
CREATE INDEX sessions_nid_id_idx ON sessions (nid, id);

CREATE TABLE session_devices (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    session_id UUID NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    ip_address VARCHAR(64) NULL,
    user_agent VARCHAR(512) NULL,
    location VARCHAR(512) NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_devices_session_idx ON session_devices (session_id);

CREATE TABLE courier_messages (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    type VARCHAR(16) NOT NULL,
    channel VARCHAR(64) NULL,
    status VARCHAR(16) NOT NULL,
    recipient VARCHAR(512) NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    template_type VARCHAR(64) NOT NULL DEFAULT '',
    template_data TEXT NULL,
    send_count INT NOT NULL DEFAULT 0,
    -- Row claiming: a worker owns a message until claimed_until; a crashed worker's claim expires.
    claimed_by VARCHAR(64) NULL,
    claimed_until TIMESTAMPTZ NULL,
    next_attempt_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX courier_messages_status_idx ON courier_messages (nid, status, next_attempt_at);
CREATE INDEX courier_messages_recipient_idx ON courier_messages (nid, recipient);

CREATE TABLE courier_message_dispatches (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    message_id UUID NOT NULL REFERENCES courier_messages(id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL,
    error TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX courier_message_dispatches_message_idx ON courier_message_dispatches (message_id);

-- One-time secrets: recovery/verification/login/registration codes and link tokens (kind says which).
CREATE TABLE one_time_codes (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    kind VARCHAR(32) NOT NULL,
    flow_id UUID NULL REFERENCES selfservice_flows(id) ON DELETE CASCADE,
    identity_id UUID NULL REFERENCES identities(id) ON DELETE CASCADE,
    address_via VARCHAR(16) NULL,
    address VARCHAR(512) NULL,
    code_hash VARCHAR(128) NOT NULL,
    used_at TIMESTAMPTZ NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX one_time_codes_flow_idx ON one_time_codes (flow_id, kind);
CREATE UNIQUE INDEX one_time_codes_hash_uq ON one_time_codes (nid, kind, code_hash);

-- Settings continuity: a privileged change waiting for re-authentication.
CREATE TABLE continuity_containers (
    id UUID PRIMARY KEY,
    nid UUID NOT NULL REFERENCES networks(id),
    identity_id UUID NULL REFERENCES identities(id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    payload TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
