-- A professional's own practice known by neither FINESS nor SIRET is named to other systems by
-- its « RPPS rang » (the directory's « Ancien identifiant de la structure », IDNST « 4 » + it):
-- the FHIR publisher's PractitionerRole.organization (docs/fhir.md#mapping).
ALTER TABLE structures ADD COLUMN rpps_rang TEXT NOT NULL DEFAULT '';
