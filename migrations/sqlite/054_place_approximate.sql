-- Whether a place's position is its town's or arrondissement's centre (the offline geocoder
-- placed its street address approximately), so that `sas geocode --again` can place it anew
-- (docs/rules.md#search). Places stored before: those of imports (FINESS, directory, Pro Santé
-- Connect) were geocoded, possibly offline, so they are taken as approximate; placing one again
-- with the BAN configured, or where nothing changed, leaves it where it is.
ALTER TABLE places ADD COLUMN approximate INTEGER NOT NULL DEFAULT 0;
UPDATE places SET approximate = 1
WHERE structure_id IN (SELECT structure_id FROM directory_places)
   OR EXISTS (SELECT 1 FROM audit_log a
              WHERE a.action = 'structure.import' AND a.object = 'structure:' || places.structure_id);
