"""Enqueues jobs for tenants, one Enqueue call per job, and prints one JSON line per job.

    python producer.py [--addr host:port] [--queue name] TENANT:COUNT[:PRIORITY]...

SCHEDULER_ADDR and QUEUE set the defaults of --addr and --queue. A refused enqueue ends it with
exit code 1 and `error: CODE: message (field f)` on stderr.
"""

import argparse
import json

import grpc

from _common import ADDR, QUEUE, connect, fail, scheduler_pb2


def parse_spec(arg: str) -> tuple[str, int, int]:
    parts = arg.split(":")
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError(f"want TENANT:COUNT[:PRIORITY], got {arg!r}")
    priority = int(parts[2]) if len(parts) == 3 else 0
    return parts[0], int(parts[1]), priority


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addr", default=ADDR)
    parser.add_argument("--queue", default=QUEUE)
    parser.add_argument("specs", nargs="+", type=parse_spec, metavar="TENANT:COUNT[:PRIORITY]")
    args = parser.parse_args()
    stub = connect(args.addr)
    for tenant, count, priority in args.specs:
        for i in range(count):
            request = scheduler_pb2.EnqueueRequest(
                queue=args.queue,
                tenant_id=tenant,
                priority=priority,
                payload=f"job {i} for {tenant}".encode(),
            )
            try:
                res = stub.Enqueue(request, timeout=10)
            except grpc.RpcError as err:
                fail(err)  # exits 1, naming the code and the field at fault
            print(json.dumps({"id": res.job_id, "tenant": tenant, "tier": res.tier}), flush=True)


if __name__ == "__main__":
    main()
