from datetime import UTC, datetime, timedelta

from services.enrolment.domain import checkin
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
SECRET = checkin.new_secret()


def test_a_code_rotates_and_the_one_before_still_counts_while_people_type() -> None:
    now = SESSION.starts_at
    code, rotates_at = checkin.current_code(SECRET, now)
    assert len(code) == 6 and rotates_at > now
    later, _ = checkin.current_code(SECRET, rotates_at)
    assert later != code
    assert checkin.accepts(SESSION, SECRET, code, rotates_at + timedelta(seconds=30))
    assert not checkin.accepts(SESSION, SECRET, code, rotates_at + checkin.ROTATION + timedelta(seconds=1))
    assert not checkin.accepts(SESSION, checkin.new_secret(), code, now)  # each session has its own codes


def test_codes_count_only_around_the_session_and_late_after_ten_minutes() -> None:
    opens, closes = checkin.window(SESSION)
    for moment, accepted in (
        (opens - timedelta(seconds=1), False),
        (opens, True),
        (closes, True),
        (closes + timedelta(seconds=1), False),
    ):
        assert checkin.accepts(SESSION, SECRET, checkin.current_code(SECRET, moment)[0], moment) is accepted
    assert checkin.attendance_at(SESSION, SESSION.starts_at + timedelta(minutes=10)) == "present"
    assert checkin.attendance_at(SESSION, SESSION.starts_at + timedelta(minutes=11)) == "late"
