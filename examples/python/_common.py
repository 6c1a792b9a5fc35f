"""Shared by the examples: the generated stubs are the package priority_scheduler beside this file.

scripts/examples.sh generates it, as docs/api.md shows: protoc maps proto/ under the package name
(-Ipriority_scheduler=proto), so the stubs import each other as priority_scheduler.scheduler.v1
and need no sys.path changes.
"""

import os
import sys
from typing import NoReturn

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from priority_scheduler.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc

__all__ = ["scheduler_pb2", "scheduler_pb2_grpc", "connect", "describe_error", "ADDR", "QUEUE"]

ADDR = os.environ.get("SCHEDULER_ADDR", "localhost:50051")
QUEUE = os.environ.get("QUEUE", "default")


def connect(addr: str) -> scheduler_pb2_grpc.SchedulerServiceStub:
    return scheduler_pb2_grpc.SchedulerServiceStub(grpc.insecure_channel(addr))


def describe_error(err: grpc.RpcError) -> str:
    """`CODE: message`, plus the fields a google.rpc.BadRequest detail names."""
    text = f"{err.code().name}: {err.details()}"
    status = rpc_status.from_call(err)
    for detail in status.details if status else []:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            text += "".join(f" (field {v.field})" for v in bad.field_violations)
    return text


def fail(err: grpc.RpcError) -> NoReturn:
    print(f"error: {describe_error(err)}", file=sys.stderr)
    sys.exit(1)
