"""Course and learner data as HTML, SVG figures and charts (no widgets)."""
