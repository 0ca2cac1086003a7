"""Pure logic: models, parsing, citations and quiz scoring. Imports no UI or plotting libraries."""
