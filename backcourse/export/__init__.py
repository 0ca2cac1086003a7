"""Instructor outputs: notebooks run to slides, handouts and client reports."""
