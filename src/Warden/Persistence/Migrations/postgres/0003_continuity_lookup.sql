-- A pending settings change is looked up (and consumed) by its name and owner; expired ones are swept by age.
CREATE INDEX continuity_containers_name_idx ON continuity_containers (nid, name, identity_id);
CREATE INDEX continuity_containers_expires_idx ON continuity_containers (nid, expires_at);
