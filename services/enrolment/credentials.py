"""Credentials after they are issued: revoked with a reason, announced 90 and 30 days before they
expire, and at expiry the programme opens again for recertification."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.contracts.events import CredentialExpired, CredentialExpiring, CredentialRevoked
from services.enrolment.domain import credentials
from services.enrolment.domain.progress import EnrolmentStatus
from services.shared.envelope import DomainEvent, EventContext, EventEnvelope
from services.shared.errors import Conflict, FieldProblem, NotFound
from services.shared.store import Write


def revoke_credential(store: ProgressStore, code: str, reason: str, context: EventContext) -> credentials.Credential:
    credential = store.credential(code)
    if credential is None:
        raise NotFound("No credential with this code.")
    if credential.revoked_reason:
        raise Conflict("The credential is revoked already.", [FieldProblem("code", "revoked already")])
    revoked = credential.model_copy(update={"revoked_reason": reason})
    event = CredentialRevoked(
        programme_id=credential.programme_id,
        person_id=credential.person_id,
        number=credential.number,
        credential_name=credential.credential_name,
        reason=reason,
    )
    store.revoke(revoked, EventEnvelope.wrap(event, context))
    return revoked


def send_expiry_notices(store: ProgressStore, now: datetime, context: EventContext) -> int:
    """Notices 90 and 30 days before a credential expires; at expiry, the programme opens again."""
    horizon = now + timedelta(days=max(credentials.NOTICE_DAYS))
    sent = 0
    for entry, credential in store.expiring(horizon):
        for notice in credentials.notices_due(
            credential, now, {k for k in entry if k.startswith(("notice", "expired"))}
        ):
            base = {
                "programme_id": credential.programme_id,
                "person_id": credential.person_id,
                "number": credential.number,
                "credential_name": credential.credential_name,
            }
            writes: list[Write] = [store.notice_sent(entry, notice)]
            if notice == "expired":
                event: DomainEvent = CredentialExpired(**base)
                enrolment = store.enrolment(credential.person_id, credential.programme_id)
                if enrolment and enrolment.status is EnrolmentStatus.COMPLETED:
                    lapsed = enrolment.model_copy(update={"status": EnrolmentStatus.EXPIRED})
                    writes.append(store.enrolment_item(lapsed, enrolment.revision))
            else:
                assert credential.valid_until is not None
                event = CredentialExpiring(
                    **base, valid_until=credential.valid_until, days_left=int(notice.removeprefix("notice-"))
                )
            try:
                store.save(writes, [EventEnvelope.wrap(event, context)])
            except Conflict:
                continue  # sent by a run at the same time
            sent += 1
    return sent
