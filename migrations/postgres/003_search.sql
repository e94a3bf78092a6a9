-- PostgreSQL version of migrations/sqlite/003_search.sql.
-- The regulators' search: what the « spécialité, structure » field matches, and the API tokens
-- that an administrator issues to an integration (only a digest of each token is kept).
ALTER TABLE structures ADD COLUMN specialties TEXT NOT NULL DEFAULT '';

CREATE TABLE api_tokens (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- The search index reads every place's agenda in place order at start.
CREATE INDEX availabilities_place_id ON availabilities(place_id, id);
CREATE INDEX unavailability_periods_place_position ON unavailability_periods(place_id, position);
