"""ipywidgets views: thin, they collect input, call the logic, show the result."""
