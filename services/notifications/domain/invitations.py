"""One invitation per occasion: a programme's invitation and one of its sessions' close together are one
message. Pure.

Enrolment invites a programme's audience when the programme is published and a session's audience
when the session is scheduled; for a session of a programme with the same audience each person would
get two invitations back to back. So invitations are told in-app at once, but emailed (and texted)
only after a short window, by the `flush` schedule; a programme's invitation still waiting then is
dropped, with its in-app note, when the same person was invited to one of the programme's sessions
within the window of it (before or after: the bus does not keep order). The session's invitation says
all the programme's would, and when and where. Invitations to two sessions are two occasions: both go.
"""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(minutes=5)
PROGRAMME = "PROGRAMME"  # the occasion of a programme's own invitation


def superseded(programme_invited_at: datetime, session_invited_at: datetime | None) -> bool:
    return session_invited_at is not None and abs(session_invited_at - programme_invited_at) <= WINDOW


def kind(occasion: str) -> str:
    return "InvitationsSent.programme" if occasion == PROGRAMME else "InvitationsSent.session"
