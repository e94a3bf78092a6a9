-- An exception names its availability's place, as occurrence_takings does, so that a build of
-- the search index reads a range of places' exceptions by an index of their own: joined through
-- the availabilities, SQLite walked every availability of the range to find the few that have
-- exceptions (about half a second of CPU per 100,000 places, none of them with any).
ALTER TABLE availability_exceptions ADD COLUMN place_id INTEGER NOT NULL DEFAULT 0;
UPDATE availability_exceptions
SET place_id = (SELECT a.place_id FROM availabilities a WHERE a.id = availability_id);
CREATE INDEX availability_exceptions_place
ON availability_exceptions(place_id, availability_id, original_date);
