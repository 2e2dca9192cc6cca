"""A service's buckets, exactly as its wiring declares them: versioned, object lock, private, TLS only."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.nag import acknowledge
from services.shared.wiring import BucketSpec

# What a function may do with the objects: write a new version, read any version. Never delete, never
# change retention: with object lock in compliance mode nobody can, and the role does not even ask.
OBJECT_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject")


class ServiceBucket(Construct):
    def __init__(self, scope: Construct, id: str, *, spec: BucketSpec) -> None:
        super().__init__(scope, id)
        self.spec = spec
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            versioned=True,
            object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(spec.retention_days)),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.bucket,
            "AwsSolutions-S1",
            "Objects are written once and read through the service's API, whose every request is logged with "
            "the caller; object lock keeps every version, so access logs would record nothing that can change.",
        )

    def grant_objects(self, function: lambda_.Function) -> None:
        """Read every version and write new ones; objects only (the key is the one wildcard)."""
        iam.Grant.add_to_principal(
            grantee=function, actions=list(OBJECT_ACTIONS), resource_arns=[self.bucket.arn_for_objects("*")]
        )
        role = function.role
        assert role is not None
        logical_id = Stack.of(self).get_logical_id(self.bucket.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            role,
            f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>/*]",
            "A report's key names its tenant and half-year, which are known only when it is published; the "
            "grant is limited to this one bucket's objects and to reading and writing versions.",
        )
