"""Every service's wiring, in one list: the CDK app and the local stack both iterate it."""

from services.checkins.wiring import WIRING as CHECKINS
from services.enrolment.wiring import WIRING as ENROLMENT
from services.notifications.wiring import WIRING as NOTIFICATIONS
from services.reporting.wiring import WIRING as REPORTING
from services.shared.wiring import ServiceWiring

SERVICES: tuple[ServiceWiring, ...] = (ENROLMENT, CHECKINS, NOTIFICATIONS, REPORTING)
