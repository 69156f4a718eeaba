-- PostgreSQL drops its nid -> networks foreign keys in this version (see the postgres migration: each check
-- there is a locking read of the one networks row). SQLite checks a foreign key with an in-process index
-- lookup and takes no row locks, and dropping one would mean rebuilding every table, so its schema keeps
-- them. The version exists here so both dialects share one migration history.
SELECT 1;
