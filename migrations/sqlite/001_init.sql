-- Accounts, structures, places, agendas, sessions and the audit log.
-- Instants are UTC seconds since 1970; local dates are 'YYYY-MM-DD' in the place's time zone.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT '',
  password_changed_at INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE structures (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  finess TEXT NOT NULL DEFAULT '',
  siret TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  departement TEXT NOT NULL DEFAULT '',
  participates INTEGER NOT NULL DEFAULT 0,
  professionals INTEGER NOT NULL DEFAULT 0,
  accepts_contact INTEGER NOT NULL DEFAULT 0,
  honour_declared INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE places (
  id INTEGER PRIMARY KEY,
  structure_id INTEGER NOT NULL REFERENCES structures(id),
  name TEXT NOT NULL DEFAULT '',
  street TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  town TEXT NOT NULL,
  insee_code TEXT NOT NULL DEFAULT '',
  latitude REAL NOT NULL,
  longitude REAL NOT NULL,
  time_zone TEXT NOT NULL DEFAULT 'Europe/Paris',
  phone TEXT NOT NULL DEFAULT '',
  regulator_note TEXT NOT NULL DEFAULT '',
  unavailable_indefinite INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX places_structure ON places(structure_id);

CREATE TABLE user_structures (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  structure_id INTEGER NOT NULL REFERENCES structures(id),
  PRIMARY KEY (user_id, structure_id)
);

-- A one-off (weekly = 0) or a weekly series from first_date to last_date (NULL: no end).
-- span_end is the last date any of its occurrences can fall on (NULL: no end), so that the
-- agenda of a week reads only what can show in it.
CREATE TABLE availabilities (
  id INTEGER PRIMARY KEY,
  place_id INTEGER NOT NULL REFERENCES places(id),
  weekly INTEGER NOT NULL,
  first_date TEXT NOT NULL,
  last_date TEXT,
  span_end TEXT,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  kind TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  types INTEGER NOT NULL
);
CREATE INDEX availabilities_place ON availabilities(place_id, span_end);

CREATE TABLE availability_exceptions (
  availability_id INTEGER NOT NULL REFERENCES availabilities(id) ON DELETE CASCADE,
  original_date TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  date TEXT NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  kind TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  types INTEGER NOT NULL,
  PRIMARY KEY (availability_id, original_date)
);

CREATE TABLE unavailability_periods (
  id INTEGER PRIMARY KEY,
  place_id INTEGER NOT NULL REFERENCES places(id),
  position INTEGER NOT NULL,
  first_date TEXT NOT NULL,
  last_date TEXT NOT NULL
);
CREATE INDEX unavailability_periods_place ON unavailability_periods(place_id);

CREATE TABLE sessions (
  id_digest TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user_id INTEGER,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  client_address TEXT NOT NULL
);

-- Every committed change of a place, so that each server process can bring its search index
-- up to date (docs/deploy.md#the-sas-processes).
CREATE TABLE changes (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  place_id INTEGER NOT NULL
);
