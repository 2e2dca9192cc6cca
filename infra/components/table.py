"""A service's table, exactly as its wiring declares it, and the only way to grant access to it."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from services.shared.wiring import TableSpec

# Item-level reads and writes; TransactWriteItems and TransactGetItems are authorised per item
# through these. No Scan: no request, event or schedule path may scan (see ENGINEERING.md).
ITEM_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class ServiceTable(Construct):
    def __init__(self, scope: Construct, id: str, *, spec: TableSpec) -> None:
        super().__init__(scope, id)
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=_string(spec.partition_key),
            sort_key=_string(spec.sort_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
            # The outbox relay and other stream consumers read new images only.
            stream=dynamodb.StreamViewType.NEW_IMAGE,
            time_to_live_attribute=spec.ttl_attribute,
        )
        for index in spec.indexes:
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_string(index.partition_key),
                sort_key=_string(index.sort_key),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        self._index_arns = [f"{self.table.table_arn}/index/{index.name}" for index in spec.indexes]

    def grant_data_access(self, grantee: iam.IGrantable) -> None:
        """Read and write items of this table; query its declared indexes (named, not `index/*`)."""
        iam.Grant.add_to_principal(grantee=grantee, actions=list(ITEM_ACTIONS), resource_arns=[self.table.table_arn])
        if self._index_arns:
            iam.Grant.add_to_principal(grantee=grantee, actions=["dynamodb:Query"], resource_arns=self._index_arns)
