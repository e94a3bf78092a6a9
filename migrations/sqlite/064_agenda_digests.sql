-- Each place's availabilities as one row (storage/agenda_digest.hpp), which a build of the
-- search index reads instead of the place's rows: a million places have some 37 million
-- series, whose stepping by SQLite was half a build's CPU (docs/benchmarks.md, issue 17).
-- A build writes the digests of the places it read without one; any write to a place's
-- availabilities deletes its digest, in the writer's transaction, so that a digest is never
-- older than the rows. SQLite only: a build on PostgreSQL reads the rows.
CREATE TABLE agenda_digests (
  place_id INTEGER PRIMARY KEY,
  series BLOB NOT NULL
);
CREATE TRIGGER agenda_digests_insert AFTER INSERT ON availabilities
BEGIN DELETE FROM agenda_digests WHERE place_id = NEW.place_id; END;
CREATE TRIGGER agenda_digests_update AFTER UPDATE ON availabilities
BEGIN DELETE FROM agenda_digests WHERE place_id IN (OLD.place_id, NEW.place_id); END;
CREATE TRIGGER agenda_digests_delete AFTER DELETE ON availabilities
BEGIN DELETE FROM agenda_digests WHERE place_id = OLD.place_id; END;
-- A place's id may be given again once it is deleted (SQLite reuses the largest).
CREATE TRIGGER agenda_digests_place_insert AFTER INSERT ON places
BEGIN DELETE FROM agenda_digests WHERE place_id = NEW.id; END;
CREATE TRIGGER agenda_digests_place_delete AFTER DELETE ON places
BEGIN DELETE FROM agenda_digests WHERE place_id = OLD.id; END;
