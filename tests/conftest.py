import os

# No test may reach a real AWS account, whatever the machine's environment holds.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="eu-north-1",
    AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",  # moto's streams answer 404 otherwise
    POWERTOOLS_METRICS_DISABLED="true",
    POWERTOOLS_LOG_LEVEL="WARNING",
)
os.environ.pop("AWS_PROFILE", None)

# moto as DynamoDB behaves (conditions of a transaction first, then its writes) and as fast: unpatched,
# it copies the whole table once per item of every transaction. The local stack runs it so too.
from local.moto_dynamodb import make_dynamodb_faithful

make_dynamodb_faithful()
