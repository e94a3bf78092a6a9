-- API tokens carry scopes (docs/api.md): every token reads the search (`recherche`); the scope
-- `orientation` also lets it orient and cancel, as the regulator's account it was issued for
-- (user_id), whose territory and rights it takes. Existing tokens keep reading only.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'recherche';
ALTER TABLE api_tokens ADD COLUMN user_id INTEGER REFERENCES users(id);
