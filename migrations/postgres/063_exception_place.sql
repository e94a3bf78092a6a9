-- An exception names its availability's place, as occurrence_takings does, so that a build of
-- the search index reads a range of places' exceptions by an index of their own: joined through
-- the availabilities, SQLite walked every availability of the range to find the few that have
-- exceptions (about half a second of CPU per 100,000 places, none of them with any).
ALTER TABLE availability_exceptions ADD COLUMN place_id BIGINT;
UPDATE availability_exceptions e SET place_id = a.place_id FROM availabilities a
WHERE a.id = e.availability_id;
ALTER TABLE availability_exceptions ALTER COLUMN place_id SET NOT NULL;
CREATE INDEX availability_exceptions_place
ON availability_exceptions(place_id, availability_id, original_date);
