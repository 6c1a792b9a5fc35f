"""Holds a Lease stream on a queue, handles one job at a time and prints one JSON line per job.

    python worker.py [--addr host:port] [--queue name] [-n COUNT] [--credits C] [--fail-attempts K]

Acks go inline on the stream, each with a credit granted back and a small JSON result (the
job's `result`, which watchers such as watch.py see). Exits after COUNT jobs (0: run
until SIGTERM or SIGINT). With --fail-attempts K it nacks a job while its attempt is at most K,
to show retries. SCHEDULER_ADDR, QUEUE, COUNT, CREDITS and FAIL_ATTEMPTS set the defaults.
"""

import argparse
import json
import os
import queue
import signal
import sys

from google.protobuf.duration_pb2 import Duration

from _common import ADDR, QUEUE, connect, scheduler_pb2

_CLOSE = object()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addr", default=ADDR)
    parser.add_argument("--queue", default=QUEUE)
    parser.add_argument("-n", type=int, default=int(os.environ.get("COUNT", "0")))
    parser.add_argument("--credits", type=int, default=int(os.environ.get("CREDITS", "1")))
    parser.add_argument(
        "--fail-attempts", type=int, default=int(os.environ.get("FAIL_ATTEMPTS", "0"))
    )
    args = parser.parse_args()
    stub = connect(args.addr)

    # gRPC Python reads the request side of a bidi stream from an iterator: feed it from a queue,
    # and end it (a half-close) with _CLOSE so the server applies our acks before it ends.
    outbox: queue.Queue = queue.Queue()
    closing = False

    def requests():
        while (msg := outbox.get()) is not _CLOSE:
            yield msg

    def close(*_):
        nonlocal closing
        if not closing:
            closing = True
            outbox.put(_CLOSE)

    signal.signal(signal.SIGTERM, close)
    signal.signal(signal.SIGINT, close)

    granted = min(args.credits, args.n) if args.n > 0 else args.credits
    outbox.put(
        scheduler_pb2.LeaseRequest(
            queue=args.queue, visibility_timeout=Duration(seconds=30), credits=granted
        )
    )
    handled = 0
    for res in stub.Lease(requests()):
        for err in res.settle_errors:
            print(f"settle failed: {err.lease_id}: {err.error.message}", file=sys.stderr)
        for leased in res.jobs:
            job = leased.job
            req = scheduler_pb2.LeaseRequest()
            if job.attempt <= args.fail_attempts:
                result = "nack"
                req.nacks.add(
                    lease_id=leased.lease_id, error="example failure", retry_delay=Duration()
                )
            else:
                result = "ack"
                output = json.dumps({"handled_by": "python", "bytes": len(job.payload)})
                req.result_acks.add(lease_id=leased.lease_id, result=output.encode())
            handled += 1
            if args.n == 0 or granted < args.n:
                req.credits = 1
                granted += 1
            if closing:
                settle_unary(stub, req)  # the stream's write side is closed
            else:
                outbox.put(req)
            record = {
                "id": job.id,
                "tenant": job.tenant_id,
                "tier": job.tier,
                "priority": job.priority,
                "attempt": job.attempt,
                "result": result,
            }
            print(json.dumps(record), flush=True)
            if args.n > 0 and handled >= args.n:
                close()


def settle_unary(stub, req) -> None:
    for ack in req.result_acks:
        stub.Ack(ack, timeout=10)
    for n in req.nacks:
        stub.Nack(
            scheduler_pb2.NackRequest(
                lease_id=n.lease_id, error=n.error, retry_delay=n.retry_delay
            ),
            timeout=10,
        )


if __name__ == "__main__":
    main()
