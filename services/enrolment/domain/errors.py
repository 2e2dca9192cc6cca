from __future__ import annotations

from services.shared.errors import Conflict


class SessionFull(Conflict):
    code = "session_full"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} is full: every seat is taken.")


class AlreadyInStage(Conflict):
    code = "already_registered"

    def __init__(self) -> None:
        super().__init__("This person already has an active registration for this stage.")
