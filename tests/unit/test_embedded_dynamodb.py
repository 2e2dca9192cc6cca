"""The local stack's DynamoDB fixes answer as moto itself would, only faster."""

from __future__ import annotations

import pytest
from moto.dynamodb.models.dynamo_type import DynamoType, Item

from local.moto_dynamodb import _PROJECTED, _project

ITEM = Item(
    DynamoType({"S": "T#t#AGG#2026-03"}),
    DynamoType({"S": "u1"}),
    {
        "pk": {"S": "T#t#AGG#2026-03"},
        "sk": {"S": "u1"},
        "checkins_completed": {"N": "67"},
        "r:stress:sum": {"N": "207"},
        "cells": {"SS": ["a", "b"]},
        "model": {"M": {"unit": {"S": "u1"}, "history": {"L": [{"N": "1"}, {"S": "x"}]}}},
    },
)


@pytest.mark.parametrize(
    "paths",
    [
        [["sk"], ["checkins_completed"], ["r:stress:sum"]],
        [["sk"], ["not_there"]],
        [["cells"], ["model"]],
        [["model", "unit"], ["sk"]],
        [["model", "history[1]"]],
        [["model[0]"]],
    ],
)
def test_a_projection_answers_what_moto_answers(paths: list[list[str]]) -> None:
    # as plain Python: a set's members come in no particular order, from DynamoDB as from moto
    assert _project(ITEM, paths).to_regular_json() == _PROJECTED(ITEM, paths).to_regular_json()
