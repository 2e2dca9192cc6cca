"""What every route module shares: the service's `Api` and its table, for the caller's tenant."""

from __future__ import annotations

from services.notifications.adapters.repository import NotificationRepository
from services.shared.http import Api
from services.shared.identity import Identity
from services.shared.settings import settings
from services.shared.store import TenantTable

api = Api("notifications")


def repository(identity: Identity) -> NotificationRepository:
    return NotificationRepository(TenantTable(settings().table_name, identity.tenant_id))
