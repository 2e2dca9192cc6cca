"""The whole system on one machine: an embedded AWS (moto), functions run like Lambda, an HTTP gateway.

Everything here is derived from the services' wiring (`services.registry.SERVICES`), so the local
stack is the production topology in miniature. Start it with `python -m local` (= `make run`).
"""
