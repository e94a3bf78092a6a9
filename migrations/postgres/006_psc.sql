-- Pro Santé Connect (docs/rules.md#psc-first-login): sign-ins under way (state, nonce and PKCE
-- verifier kept server-side so that any server process can take the callback), PSC identities
-- linked to accounts, and the ID token of each PSC session (id_token_hint of the provider's
-- logout).
CREATE TABLE psc_pending (
  state_digest TEXT PRIMARY KEY,
  browser_digest TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX psc_pending_created ON psc_pending(created_at);

CREATE TABLE psc_identities (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  national_id TEXT NOT NULL DEFAULT '',
  linked_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX psc_identities_user ON psc_identities(user_id);

CREATE TABLE psc_sessions (
  session_digest TEXT PRIMARY KEY,
  id_token TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX psc_sessions_created ON psc_sessions(created_at);

-- A verified identity not linked yet, while « Mise à jour du compte » is filled (cookie digest).
CREATE TABLE psc_profiles (
  digest TEXT PRIMARY KEY,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  national_id TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  activities TEXT NOT NULL,
  id_token TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX psc_profiles_created ON psc_profiles(created_at);

-- Links sent by email: kind 'lier' (case 1, user_id set) or 'verifier' (case 2); digests only.
CREATE TABLE psc_links (
  digest TEXT PRIMARY KEY,
  profile_digest TEXT NOT NULL,
  kind TEXT NOT NULL,
  user_id BIGINT NOT NULL DEFAULT 0,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  used_at BIGINT
);

-- « Ce compte existe déjà » answers and links sent, per PSC identity (rate limit).
CREATE TABLE psc_attempts (
  subject TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX psc_attempts_subject ON psc_attempts(subject, at);

-- The health professionals' directory (`sas import-directory`, Annuaire Santé extraction
-- PS_LibreAcces_Personne_activite): a practice place is a structure owned by the entry.
CREATE TABLE directory_professionals (
  national_id TEXT PRIMARY KEY,
  last_name TEXT NOT NULL,
  first_name TEXT NOT NULL,
  profession TEXT NOT NULL,
  specialty TEXT NOT NULL
);

CREATE TABLE directory_places (
  national_id TEXT NOT NULL REFERENCES directory_professionals(national_id) ON DELETE CASCADE,
  site_key TEXT NOT NULL,
  structure_id BIGINT NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
  PRIMARY KEY (national_id, site_key)
);
