-- PostgreSQL version of migrations/sqlite/001_init.sql (same tables, PostgreSQL types).
-- Accounts, structures, places, agendas, sessions and the audit log.
-- Instants are UTC seconds since 1970; local dates are 'YYYY-MM-DD' in the place's time zone.
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT '',
  password_changed_at BIGINT,
  disabled BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE structures (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  finess TEXT NOT NULL DEFAULT '',
  siret TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  departement TEXT NOT NULL DEFAULT '',
  participates BIGINT NOT NULL DEFAULT 0,
  professionals BIGINT NOT NULL DEFAULT 0,
  accepts_contact BIGINT NOT NULL DEFAULT 0,
  honour_declared BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE places (
  id BIGSERIAL PRIMARY KEY,
  structure_id BIGINT NOT NULL REFERENCES structures(id),
  name TEXT NOT NULL DEFAULT '',
  street TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  town TEXT NOT NULL,
  insee_code TEXT NOT NULL DEFAULT '',
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  time_zone TEXT NOT NULL DEFAULT 'Europe/Paris',
  phone TEXT NOT NULL DEFAULT '',
  regulator_note TEXT NOT NULL DEFAULT '',
  unavailable_indefinite BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX places_structure ON places(structure_id);

CREATE TABLE user_structures (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  structure_id BIGINT NOT NULL REFERENCES structures(id),
  PRIMARY KEY (user_id, structure_id)
);

-- A one-off (weekly = 0) or a weekly series from first_date to last_date (NULL: no end).
-- span_end is the last date any of its occurrences can fall on (NULL: no end), so that the
-- agenda of a week reads only what can show in it.
CREATE TABLE availabilities (
  id BIGSERIAL PRIMARY KEY,
  place_id BIGINT NOT NULL REFERENCES places(id),
  weekly BIGINT NOT NULL,
  first_date TEXT NOT NULL,
  last_date TEXT,
  span_end TEXT,
  start_minute BIGINT NOT NULL,
  end_minute BIGINT NOT NULL,
  kind TEXT NOT NULL,
  capacity BIGINT NOT NULL,
  types BIGINT NOT NULL
);
CREATE INDEX availabilities_place ON availabilities(place_id, span_end);

CREATE TABLE availability_exceptions (
  availability_id BIGINT NOT NULL REFERENCES availabilities(id) ON DELETE CASCADE,
  original_date TEXT NOT NULL,
  deleted BIGINT NOT NULL,
  date TEXT NOT NULL,
  start_minute BIGINT NOT NULL,
  end_minute BIGINT NOT NULL,
  kind TEXT NOT NULL,
  capacity BIGINT NOT NULL,
  types BIGINT NOT NULL,
  PRIMARY KEY (availability_id, original_date)
);

CREATE TABLE unavailability_periods (
  id BIGSERIAL PRIMARY KEY,
  place_id BIGINT NOT NULL REFERENCES places(id),
  position BIGINT NOT NULL,
  first_date TEXT NOT NULL,
  last_date TEXT NOT NULL
);
CREATE INDEX unavailability_periods_place ON unavailability_periods(place_id);

CREATE TABLE sessions (
  id_digest TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  user_id BIGINT,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  client_address TEXT NOT NULL
);

-- Every committed change of a place, so that each server process can bring its search index
-- up to date (docs/deploy.md#the-sas-processes).
CREATE TABLE changes (
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  place_id BIGINT NOT NULL
);
