"""Check-ins' event entry: enrolment's directory (people, line managers, leavers, units) and what people
have done in their programmes, for the check-in view. Each event is handled once (services.shared.consumer)."""

from __future__ import annotations

from functools import partial
from typing import Any

from services.checkins import people
from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.checkins.contracts import consumed
from services.checkins.domain.people import Person, Unit
from services.checkins.domain.training import ProgrammeNames
from services.shared.consumer import Consumer
from services.shared.consumer import Unit as Work
from services.shared.timezones import in_stockholm, now


def _stores(work: Work) -> tuple[CheckInStore, DirectoryStore]:
    return CheckInStore(work.table), DirectoryStore(work.table)


def _stage(work: Work, change: Any) -> None:
    work.writes += change.writes
    work.events += change.events


def _context(work: Work) -> Any:
    return work.envelope.caused("system:checkins")


def on_person_upserted(work: Work) -> None:
    told = work.envelope.payload(consumed.PersonUpserted)
    record = partial(Person.told, at=work.envelope.time, **told.model_dump())
    store, directory = _stores(work)
    today = in_stockholm(now()).date()
    _stage(work, people.record_told(store, directory, record, told.person_id, today, _context(work)))


def on_manager_changed(work: Work) -> None:
    told = work.envelope.payload(consumed.ManagerChanged)
    store, directory = _stores(work)
    today = in_stockholm(now()).date()

    def changed(known: Person | None) -> Person | None:
        # the person's record carries the manager too; without it there is nothing to change yet
        return known.manager_told(told.manager_id, work.envelope.time) if known else None

    _stage(work, people.record_told(store, directory, changed, told.person_id, today, _context(work)))


def on_person_left(work: Work) -> None:
    told = work.envelope.payload(consumed.PersonLeft)
    store, directory = _stores(work)
    _stage(work, people.left(store, directory, told.person_id, told.left_on, now(), _context(work)))


def on_unit_upserted(work: Work) -> None:
    told = work.envelope.payload(consumed.UnitUpserted)
    work.writes.append(DirectoryStore(work.table).save_unit(Unit(**told.model_dump())))


def on_programme_published(work: Work) -> None:
    told = work.envelope.payload(consumed.ProgrammePublished)
    directory = DirectoryStore(work.table)
    names = ProgrammeNames(
        programme_id=told.programme_id,
        version=told.version,
        name=told.name,
        stages=[(stage.key, stage.name) for stage in told.stages],
    )
    newest = (directory.latest_version(told.programme_id) or 0) < told.version
    work.writes += directory.save_names(names, newest)


def on_enrolment_approved(work: Work) -> None:
    told = work.envelope.payload(consumed.EnrolmentApproved)
    fact = DirectoryStore(work.table).programme_fact(told.person_id, told.programme_id, {"version": told.version})
    work.writes.append(fact)


def on_stage_completed(work: Work) -> None:
    told = work.envelope.payload(consumed.StageCompleted)
    which = "stages_exempted" if told.exempted else "stages_completed"
    fact = DirectoryStore(work.table).programme_fact(told.person_id, told.programme_id, adds={which: {told.stage_key}})
    work.writes.append(fact)


def on_programme_completed(work: Work) -> None:
    told = work.envelope.payload(consumed.ProgrammeCompleted)
    sets = {"completed": True, "version": told.version}
    work.writes.append(DirectoryStore(work.table).programme_fact(told.person_id, told.programme_id, sets))


def _credential(work: Work, told: consumed.AboutCredential, sets: dict[str, Any]) -> None:
    directory = DirectoryStore(work.table)
    work.writes.append(directory.programme_fact(told.person_id, told.programme_id))
    work.writes.append(directory.credential_fact(told.person_id, told.programme_id, told.number, sets))


def on_credential_issued(work: Work) -> None:
    told = work.envelope.payload(consumed.CredentialIssued)
    valid_until = told.valid_until.isoformat() if told.valid_until else None
    _credential(work, told, {"name": told.credential_name, "valid_until": valid_until})


def on_credential_expiring(work: Work) -> None:
    told = work.envelope.payload(consumed.CredentialExpiring)
    _credential(work, told, {"days_left": told.days_left})


def on_credential_expired(work: Work) -> None:
    _credential(work, work.envelope.payload(consumed.AboutCredential), {"expired": True})


def on_credential_revoked(work: Work) -> None:
    _credential(work, work.envelope.payload(consumed.AboutCredential), {"revoked": True})


HANDLERS = {
    "PersonUpserted": on_person_upserted,
    "ManagerChanged": on_manager_changed,
    "PersonLeft": on_person_left,
    "UnitUpserted": on_unit_upserted,
    "ProgrammePublished": on_programme_published,
    "EnrolmentApproved": on_enrolment_approved,
    "StageCompleted": on_stage_completed,
    "ProgrammeCompleted": on_programme_completed,
    "CredentialIssued": on_credential_issued,
    "CredentialExpiring": on_credential_expiring,
    "CredentialExpired": on_credential_expired,
    "CredentialRevoked": on_credential_revoked,
}
consumer = Consumer(HANDLERS)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.lambda_handler(event, context)
