-- The regulators' search: what the « spécialité, structure » field matches, and the API tokens
-- that an administrator issues to an integration (only a digest of each token is kept).
ALTER TABLE structures ADD COLUMN specialties TEXT NOT NULL DEFAULT '';

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

-- The search index of every process reads the changes after the last one it has applied.
CREATE INDEX availabilities_place_id ON availabilities(place_id, id);
CREATE INDEX unavailability_periods_place_position ON unavailability_periods(place_id, position);
