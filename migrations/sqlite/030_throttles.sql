-- A successful login ends the lock of its account but not the count of the address that
-- failed on it: the per-address limit counts that address's failures, successes never lower it.
ALTER TABLE login_failures ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0;

-- « Mot de passe oublié ? » requests by email typed (known or not) and client address, throttled
-- like logins.
CREATE TABLE reset_requests (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  email TEXT NOT NULL,
  client_address TEXT NOT NULL
);
CREATE INDEX reset_requests_email ON reset_requests(email, at);
CREATE INDEX reset_requests_address ON reset_requests(client_address, at);
