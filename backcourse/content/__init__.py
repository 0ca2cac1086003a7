"""The course content: read data/ into a validated Course, and check it.

``backcourse.content.load_course()`` is the way in; see :mod:`backcourse.content.load`.
"""

from backcourse.content.load import ContentError, load_course

__all__ = ["ContentError", "load_course"]
