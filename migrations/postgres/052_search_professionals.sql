-- The regulators' search reads who practises at each place (docs/rules.md#search): the
-- directory's professionals and the accounts of a structure, by structure.
CREATE INDEX directory_places_structure ON directory_places(structure_id);
CREATE INDEX user_structures_structure ON user_structures(structure_id);
