"""One logger and one metrics object per process. Logs carry ids, never names, emails or free text."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics(namespace="Ledarlyft")
