"""A person's way through Humana's supervisor programme, in the pure domain."""

from datetime import UTC, datetime

import pytest

from local.seeds import humana_programme
from services.enrolment.domain.models import Programme
from services.enrolment.domain.progress import (
    Enrolment,
    EnrolmentStatus,
    MissingPrerequisites,
    StageState,
    progress,
    record,
    require_open,
)
from services.shared.errors import Conflict, Invalid

AT = datetime(2026, 11, 23, tzinfo=UTC)


def humana() -> Programme:
    return Programme(**humana_programme())


def fresh() -> Enrolment:
    return Enrolment(
        programme_id="arbetsledarprogrammet",
        person_id="anna",
        version=1,
        status=EnrolmentStatus.ACTIVE,
        enrolled_at=AT,
        enrolled_by="anna",
    )


def states(programme: Programme, enrolment: Enrolment) -> dict[str, StageState]:
    return {p.key: p.state for p in progress(programme, enrolment)}


def test_the_deep_dives_open_only_when_every_base_course_is_complete() -> None:
    programme, enrolment = humana(), fresh()
    assert len(programme.stages[0].courses) == 9
    assert states(programme, enrolment) == {"basen": "open", "fordjupning-1": "locked", "fordjupning-2": "locked"}
    with pytest.raises(MissingPrerequisites) as raised:
        require_open(programme, enrolment, programme.stages[1])
    courses = [course.name for course in programme.stages[0].courses]
    # named as people know them: the stage, and the courses still to do
    assert (
        raised.value.message == f"Fördjupning 1 opens when this is complete: Basen (still to do: {', '.join(courses)})."
    )
    assert [f.field for f in raised.value.fields] == ["path.session_id"]
    for n in range(1, 9):
        outcome = record(programme, enrolment, "basen", AT, "lms", course_key=f"kurs-{n}")
        enrolment = outcome.enrolment
        assert outcome.unlocked_stages == [] and outcome.completed_stages == []
    with pytest.raises(MissingPrerequisites) as raised:
        require_open(programme, enrolment, programme.stages[1])
    assert raised.value.message.endswith(f"Basen (still to do: {courses[8]}).")
    assert states(programme, enrolment)["basen"] == "in_progress"
    last = record(programme, enrolment, "basen", AT, "lms", course_key="kurs-9")
    assert (last.completed_stages, last.unlocked_stages) == (["basen"], ["fordjupning-1", "fordjupning-2"])
    require_open(programme, last.enrolment, programme.stages[1])
    # the same completion pushed again changes nothing
    again = record(programme, last.enrolment, "basen", AT, "lms", course_key="kurs-9")
    assert again.enrolment == last.enrolment and again.completed_stages == again.unlocked_stages == []


def test_completing_the_required_stages_completes_the_programme_once() -> None:
    programme, enrolment = humana(), fresh()
    enrolment = record(programme, enrolment, "basen", AT, "coord", exempt_reason="validated earlier training").enrolment
    assert enrolment.stages["basen"].state is StageState.EXEMPTED
    enrolment = record(programme, enrolment, "fordjupning-1", AT, "trainer").enrolment
    final = record(programme, enrolment, "fordjupning-2", AT, "trainer")
    assert final.programme_completed and final.enrolment.status is EnrolmentStatus.COMPLETED
    assert record(programme, final.enrolment, "fordjupning-2", AT, "trainer").programme_completed is False


def test_records_are_refused_for_unknown_stages_courses_and_inactive_enrolments() -> None:
    programme = humana()
    with pytest.raises(Invalid):
        record(programme, fresh(), "nope", AT, "x")
    with pytest.raises(Invalid):
        record(programme, fresh(), "basen", AT, "x", course_key="kurs-10")
    with pytest.raises(Conflict):
        record(programme, fresh().model_copy(update={"status": EnrolmentStatus.WITHDRAWN}), "basen", AT, "x")
    assert programme.course_by_external_id("humana-lms-3") == (programme.stages[0], programme.stages[0].courses[2])
