-- Bumped with agenda_version by every change to a place's availabilities, but not by its
-- orientations, unavailability or note: the availability rows a process keeps stay valid while
-- patients are oriented (storage/agenda_rows_cache.hpp); agenda_version still moves with all.
ALTER TABLE places ADD COLUMN rows_version BIGINT NOT NULL DEFAULT 0;
