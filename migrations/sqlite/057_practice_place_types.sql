-- Practice places made from Pro Santé Connect or the directory were all typed « Cabinet » and
-- took PSC's post office (« 93260 LES LILAS ») for their town when it gave no commune. Their type
-- now comes from their name (docs/rules.md#psc-first-login): an MSP, SOS Médecins or a health
-- centre speaks as one (docs/rules.md#participation). Only « Cabinet », the type those imports
-- alone wrote, is looked at, and the first kind that fits wins, in the code's order.
UPDATE structures SET type = 'Maison de santé pluriprofessionnelle'
WHERE type = 'Cabinet'
  AND (UPPER(name) LIKE '%MAISON DE SANT%' OR UPPER(name) = 'MSP' OR UPPER(name) LIKE 'MSP %'
       OR UPPER(name) LIKE '% MSP' OR UPPER(name) LIKE '% MSP %');
UPDATE structures SET type = 'SOS Médecins'
WHERE type = 'Cabinet' AND UPPER(name) LIKE '%SOS M_DECINS%';
UPDATE structures SET type = 'Centre de santé'
WHERE type = 'Cabinet'
  AND (UPPER(name) LIKE '%CENTRE DE SANT%' OR UPPER(name) = 'CDS' OR UPPER(name) LIKE 'CDS %'
       OR UPPER(name) LIKE '% CDS' OR UPPER(name) LIKE '% CDS %');
-- The post office's postal code is not part of the town.
UPDATE places SET town = TRIM(SUBSTR(town, 6))
WHERE postal_code <> '' AND LENGTH(postal_code) = 5 AND town LIKE postal_code || ' %'
  AND structure_id IN (SELECT id FROM structures
                       WHERE type IN ('Cabinet', 'Maison de santé pluriprofessionnelle',
                                      'SOS Médecins', 'Centre de santé'));
