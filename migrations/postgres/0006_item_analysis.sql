-- Each offer's and need's title and description analysed into matching concepts (stems, thesaurus groups,
-- taxonomy mentions), written with the item so that suggestions do not analyse partners' texts on every request.
-- NULL or an older encoding: analysed when read, and rewritten at start-up.
ALTER TABLE offers ADD COLUMN analysis TEXT;
ALTER TABLE needs ADD COLUMN analysis TEXT;
