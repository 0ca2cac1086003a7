"""backcourse: an open, evidence-based Jupyter course on exercise for low back pain."""

__version__ = "0.1.0"
