-- Generated secrets for installations that configure none (see Sessions/SessionKeys): persisted so sessions
-- survive restarts and several instances agree. Configured secrets.default / secrets.cookie take precedence.
CREATE TABLE warden_secrets (
    nid TEXT NOT NULL REFERENCES networks(id),
    name VARCHAR(64) NOT NULL,
    value VARCHAR(255) NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (nid, name)
);
