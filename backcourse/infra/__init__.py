"""Operating-system plumbing: where files live, owner-only files, notebook files."""
