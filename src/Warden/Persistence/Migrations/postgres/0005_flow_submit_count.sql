-- Wrong one-time-code submissions per flow (recovery, verification). Counted with an atomic
-- UPDATE ... RETURNING so concurrent guesses cannot slip past the limit between a read and a write.
ALTER TABLE selfservice_flows ADD COLUMN submit_count INTEGER NOT NULL DEFAULT 0;
