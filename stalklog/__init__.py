"""stalklog: an incident log and course-of-conduct checker for stalking and harassment.

Not legal advice: the check says what the recorded facts *could support*, for review
by a professional.
"""

__version__ = "0.1.0"
