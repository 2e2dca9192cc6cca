"""The embedded AWS: a moto server in this process, and the resources the wiring asks for.

Provisioning is idempotent: running it again against the same server changes nothing, so a stack
can be restarted against a server that already holds its resources.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from local.moto_dynamodb import make_dynamodb_faithful
from local.topology import (
    ACCOUNT_ID,
    BUS_NAME,
    LOCAL_CREDENTIALS,
    QUEUE_MAX_RECEIVES,
    QUEUE_VISIBILITY_TIMEOUT_S,
    REGION,
    bucket_name,
    dead_letter_queue_name,
    queue_name,
    rule_name,
    table_name,
)
from services.shared.settings import Settings
from services.shared.wiring import ServiceWiring, Subscription, TableSpec

log = logging.getLogger("local.aws")

_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=10)


class EmbeddedAws:
    """A moto server on 127.0.0.1, in a thread of this process."""

    def __init__(self, port: int = 4566) -> None:
        self._requested_port = port
        self._server: ThreadedMotoServer | None = None
        self._session: boto3.session.Session | None = None
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()
        self.port = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # moto's HTTP server logs every request through werkzeug; the gateway logs what matters.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        _add_account_to_delivered_events()
        make_dynamodb_faithful()
        if self._requested_port:
            _refuse_a_taken_port(self._requested_port)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self._requested_port, verbose=False)
        self._server.start()
        self.port = self._server.get_host_and_port()[1]

    def stop(self) -> None:
        self._clients.clear()
        if self._server is None:
            return
        self._server.stop()
        # stop() leaves the listening socket open; close it so the port is free for the next start.
        wsgi_server = getattr(self._server, "_server", None)
        if wsgi_server is not None:
            wsgi_server.server_close()
        self._server = None

    def client(self, service: str) -> Any:
        """A client of the embedded AWS that never reads the developer's credentials or profile.

        One per service, made once: a boto3 client is safe to share between threads, and making
        one costs tens of milliseconds.
        """
        with self._clients_lock:
            if service not in self._clients:
                if self._session is None:
                    self._session = boto3.session.Session(
                        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                        region_name=REGION,
                    )
                self._clients[service] = self._session.client(
                    service, endpoint_url=self.endpoint, config=_CLIENT_CONFIG
                )
            return self._clients[service]


def _refuse_a_taken_port(port: int) -> None:
    """moto's server thread dies quietly when its port is taken, and its start() then waits forever."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise OSError(f"port {port} for the embedded AWS is taken ({error.strerror}); try --aws-port") from error


_stream_listeners: list[Callable[[], None]] = []
_stream_hook_lock = threading.Lock()


def on_stream_write(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` after moto appends a record to any table's stream; returns the undo.

    Only a wake-up call: the stream readers still read through the Streams API, they just need not
    poll fast while nothing happens (a poll costs ~5 ms of CPU here).
    """
    from moto.dynamodb.models.table import StreamShard

    with _stream_hook_lock:
        if not getattr(StreamShard.add, "_local_stack_hook", False):
            original = StreamShard.add

            def add(self: StreamShard, old: Any, new: Any) -> None:
                original(self, old, new)
                for notify in tuple(_stream_listeners):
                    notify()

            add._local_stack_hook = True  # type: ignore[attr-defined]
            StreamShard.add = add  # type: ignore[method-assign]
        _stream_listeners.append(listener)
    return lambda: _stream_listeners.remove(listener)


def forget_old_shard_iterators(keep: int = 1000) -> None:
    """moto keeps every shard iterator it ever handed out; AWS expires them after 15 minutes.

    The readers take a fresh iterator per read (see local.streams), so without this the server's
    memory would grow by a couple of kilobytes per read, forever. Iterators live in insertion order;
    the newest `keep` are far more than any reader holds between its two calls.
    """
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    iterators = dynamodbstreams_backends[ACCOUNT_ID][REGION].shard_iterators
    for stale in list(iterators)[: max(0, len(iterators) - keep)]:
        iterators.pop(stale, None)


def _add_account_to_delivered_events() -> None:
    """moto leaves `account` out of the events it delivers; EventBridge always sends it.

    powertools' EventBridgeModel requires the field, so without it a consumer that parses strictly
    would work in AWS and fail here (or the reverse, if it learned to do without).
    """
    from moto.events.utils import EventTemplateParser

    template = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE
    if '"account"' not in template:
        EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = template.replace(
            '"version": "0",', '"version": "0", "account": "<account>",'
        )


@dataclass(frozen=True)
class QueueRefs:
    url: str
    arn: str


@dataclass(frozen=True)
class Provisioned:
    """What the pollers need to know of the resources made."""

    queues: dict[str, QueueRefs]  # service name -> its event queue
    stream_arns: dict[str, str]  # service name -> its table's stream


def provision(aws: EmbeddedAws, wirings: Iterable[ServiceWiring]) -> Provisioned:
    wirings = tuple(wirings)
    dynamodb, sqs, events = aws.client("dynamodb"), aws.client("sqs"), aws.client("events")
    _ensure_bus(events)
    stream_arns = {w.name: _ensure_table(dynamodb, w.table, table_name(w)) for w in wirings}
    queues = {w.name: _ensure_subscribed_queue(sqs, events, w) for w in wirings if w.subscriptions}
    for spec in (spec for w in wirings for spec in w.buckets):
        _ensure_bucket(aws.client("s3"), bucket_name(spec), spec.retention_days)
    for sender in sorted(sender_emails(wirings)):
        aws.client("ses").verify_email_identity(EmailAddress=sender)  # idempotent in SES and moto
    for name in sorted(
        {w.environment["SES_CONFIGURATION_SET"] for w in wirings if "SES_CONFIGURATION_SET" in w.environment}
    ):
        _ensure_configuration_set(aws.client("sesv2"), name)
    return Provisioned(queues=queues, stream_arns=stream_arns)


def sender_emails(wirings: Iterable[ServiceWiring]) -> set[str]:
    """Every address a function may send from: each wiring's SENDER_EMAIL, else the settings' default."""
    default = str(Settings.model_fields["sender_email"].default)
    return {w.environment.get("SENDER_EMAIL", default) for w in wirings}


def _already(error: ClientError, *codes: str) -> bool:
    return error.response.get("Error", {}).get("Code") in codes


def _ensure_bus(events: Any) -> None:
    try:
        events.create_event_bus(Name=BUS_NAME)
    except ClientError as error:
        if not _already(error, "ResourceAlreadyExistsException"):
            raise


def _ensure_table(dynamodb: Any, spec: TableSpec, name: str) -> str:
    """Create the table unless it exists (from the spec's own CreateTable request); turn on its TTL; its stream."""
    try:
        dynamodb.create_table(**spec.create_table_request(name))
    except ClientError as error:
        if not _already(error, "ResourceInUseException"):
            raise
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
        )
    return str(dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"])


def _ensure_subscribed_queue(sqs: Any, events: Any, wiring: ServiceWiring) -> QueueRefs:
    """The service's queue, with a dead-letter queue, and one bus rule per subscription feeding it."""
    dead_letters = _ensure_queue(sqs, dead_letter_queue_name(wiring), {})
    queue = _ensure_queue(
        sqs,
        queue_name(wiring),
        {
            "VisibilityTimeout": str(QUEUE_VISIBILITY_TIMEOUT_S),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dead_letters.arn, "maxReceiveCount": str(QUEUE_MAX_RECEIVES)}
            ),
        },
    )
    rule_arns = []
    for subscription in wiring.subscriptions:
        name, bus = rule_name(wiring, subscription), subscription_bus(subscription)
        rule_arns.append(
            events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(subscription.pattern()))["RuleArn"]
        )
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue.arn}])
    # moto delivers without it; AWS does not, so the local stack states what the CDK app grants.
    sqs.set_queue_attributes(QueueUrl=queue.url, Attributes={"Policy": json.dumps(_queue_policy(queue, rule_arns))})
    return queue


def subscription_bus(subscription: Subscription) -> str:
    """The bus a subscription's rule is on: the platform's, unless it names another (SES: the default bus)."""
    return subscription.bus or BUS_NAME


def _ensure_queue(sqs: Any, name: str, attributes: dict[str, str]) -> QueueRefs:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]  # returns the existing queue's URL when it exists
    if attributes:
        sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return QueueRefs(url=url, arn=arn)


def _queue_policy(queue: QueueRefs, rule_arns: list[str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "bus-rules-send",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue.arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arns}},
            }
        ],
    }


def _ensure_configuration_set(sesv2: Any, name: str) -> None:
    """The set emails are sent through; its events reach the default bus only in AWS (see local/bounce.py)."""
    try:
        sesv2.create_configuration_set(ConfigurationSetName=name)
    except ClientError as error:
        if not _already(error, "AlreadyExistsException", "ConfigurationSetAlreadyExistsException"):  # SES, moto
            raise


def _ensure_bucket(s3: Any, name: str, retention_days: int) -> None:
    """A versioned bucket with object lock, as the CDK app makes it: a written version never changes."""
    try:
        s3.create_bucket(
            Bucket=name,
            CreateBucketConfiguration={"LocationConstraint": REGION},
            ObjectLockEnabledForBucket=True,  # turns versioning on too
        )
    except ClientError as error:
        if not _already(error, "BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
        return  # made (and locked) before: moto refuses a lock configuration once objects are in
    s3.put_object_lock_configuration(
        Bucket=name,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": retention_days}},
        },
    )
