-- Délégataires (SPEC §12): a délégataire acts for professionals and structure managers of his
-- territory, linked by an account manager; the professional or manager ends the link in « Vos
-- délégataires » (the row is deleted, the audit log keeps who linked and who ended it).
CREATE TABLE delegations (
  delegate_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  principal_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (delegate_id, principal_id)
);
CREATE INDEX delegations_principal ON delegations(principal_id);

-- A change made by a délégataire is his (user_id), on behalf of this professional or manager.
ALTER TABLE audit_log ADD COLUMN on_behalf_of INTEGER;
