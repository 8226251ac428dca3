"""Results kept in .cache/ by a digest of everything they were made from: whole stage outputs
(saved_files) and digest -> entry tables in one JSON file (jsoncache). Deleting .cache/ is
always safe. Imports nothing of builder."""
