"""The learner's journal (SQLite), what it says about the programme, and synthetic learners."""
