-- Orientations (docs/rules.md#orientation): a regulator or an IOA sends one patient to one
-- occurrence (availability_id and its original date) or beyond the availabilities (both NULL).
-- Nothing about the patient is kept but the optional reference of the regulation's file.
CREATE TABLE orientations (
  id BIGSERIAL PRIMARY KEY,
  made_at BIGINT NOT NULL,
  place_id BIGINT NOT NULL REFERENCES places(id),
  availability_id BIGINT,
  occurrence_date TEXT,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  types INTEGER NOT NULL,
  capacity INTEGER NOT NULL,
  regulator_id BIGINT NOT NULL REFERENCES users(id),
  regulator_role TEXT NOT NULL,
  territory_id BIGINT,
  reference TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  status_at BIGINT NOT NULL,
  status_by BIGINT
);
CREATE INDEX orientations_place ON orientations(place_id, starts_at);
CREATE INDEX orientations_made ON orientations(made_at);
CREATE INDEX orientations_occurrence ON orientations(availability_id, occurrence_date);

-- How many orientations in force each occurrence holds: one row per taken occurrence, counted
-- up and down in the transaction of each orientation and cancellation, so that the capacity is
-- enforced by one conditional upsert (two regulators on the last place: one row wins).
-- starts_at is the occurrence's start, which an exception may have moved from its date.
CREATE TABLE occurrence_takings (
  availability_id BIGINT NOT NULL,
  occurrence_date TEXT NOT NULL,
  place_id BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  taken INTEGER NOT NULL,
  PRIMARY KEY (availability_id, occurrence_date)
);
CREATE INDEX occurrence_takings_place ON occurrence_takings(place_id, starts_at);
