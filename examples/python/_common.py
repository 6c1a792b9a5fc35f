"""Shared by the examples: the generated code lives in gen/ (made by scripts/examples.sh)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

from scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc  # noqa: E402

import grpc  # noqa: E402

__all__ = ["scheduler_pb2", "scheduler_pb2_grpc", "connect", "ADDR", "QUEUE"]

ADDR = os.environ.get("SCHEDULER_ADDR", "localhost:50051")
QUEUE = os.environ.get("QUEUE", "default")


def connect(addr: str) -> scheduler_pb2_grpc.SchedulerServiceStub:
    return scheduler_pb2_grpc.SchedulerServiceStub(grpc.insecure_channel(addr))
