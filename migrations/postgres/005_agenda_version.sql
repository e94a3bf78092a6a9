-- Bumped in the transaction of every change to a place's availabilities, so that each server
-- process can keep the rows it read while the version it reads on every request is unchanged.
ALTER TABLE places ADD COLUMN agenda_version BIGINT NOT NULL DEFAULT 0;
