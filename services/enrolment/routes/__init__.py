"""Enrolment's HTTP routes, one module per capability; `services.enrolment.api` includes them all."""
