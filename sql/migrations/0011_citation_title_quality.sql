-- Whether a citation's title was read whole, cut by the OCR (resolved by doc number or by a
-- unique title prefix), or is a doc number standing without any legible title.
ALTER TABLE citation ADD COLUMN title_quality text NOT NULL DEFAULT 'ok'
  CHECK (title_quality IN ('ok', 'cut', 'doc_number_only'));
