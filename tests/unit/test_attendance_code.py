from datetime import UTC, datetime, timedelta

from services.enrolment.domain import attendance_code
from services.enrolment.domain.models import Session

SESSION = Session(
    programme_id="p",
    programme_name="P",
    stage_name="S",
    stage_key="s",
    capacity=5,
    starts_at=datetime(2027, 3, 3, 12, tzinfo=UTC),
    ends_at=datetime(2027, 3, 3, 14, tzinfo=UTC),
)
SECRET = attendance_code.new_secret()


def test_a_code_rotates_and_the_one_before_still_counts_while_people_type() -> None:
    now = SESSION.starts_at
    code, rotates_at = attendance_code.current_code(SECRET, now)
    assert len(code) == 6 and rotates_at > now
    later, _ = attendance_code.current_code(SECRET, rotates_at)
    assert later != code
    assert attendance_code.accepts(SESSION, SECRET, code, rotates_at + timedelta(seconds=30))
    assert not attendance_code.accepts(
        SESSION, SECRET, code, rotates_at + attendance_code.ROTATION + timedelta(seconds=1)
    )
    assert not attendance_code.accepts(
        SESSION, attendance_code.new_secret(), code, now
    )  # each session has its own codes


def test_codes_count_only_around_the_session_and_late_after_ten_minutes() -> None:
    opens, closes = attendance_code.window(SESSION)
    for moment, accepted in (
        (opens - timedelta(seconds=1), False),
        (opens, True),
        (closes, True),
        (closes + timedelta(seconds=1), False),
    ):
        assert (
            attendance_code.accepts(SESSION, SECRET, attendance_code.current_code(SECRET, moment)[0], moment)
            is accepted
        )
    assert attendance_code.attendance_at(SESSION, SESSION.starts_at + timedelta(minutes=10)) == "present"
    assert attendance_code.attendance_at(SESSION, SESSION.starts_at + timedelta(minutes=11)) == "late"
