"""Watches jobs to their end (WatchJob) and prints one JSON line per change of each.

    python watch.py [--addr host:port] JOB_ID...

The server sends the job as it is now, then again on every change of its state or progress, and
ends the stream once the job succeeded, died or was cancelled (at once for a job already final).
Exits 0 when every job succeeded, 1 otherwise. SCHEDULER_ADDR sets the default of --addr.
"""

import argparse
import json
import sys

from _common import ADDR, connect, scheduler_pb2

FINAL = {"JOB_STATE_SUCCEEDED", "JOB_STATE_DEAD", "JOB_STATE_CANCELLED"}


def watch(stub, job_id: str) -> str:
    state = "JOB_STATE_UNSPECIFIED"
    for res in stub.WatchJob(scheduler_pb2.WatchJobRequest(job_id=job_id)):
        job = res.job
        state = scheduler_pb2.JobState.Name(job.state)
        record = {
            "id": job.id,
            "state": state,
            "attempt": job.attempt,
            "progress": job.progress.decode(errors="replace"),
            "result": job.result.decode(errors="replace"),
        }
        print(json.dumps(record), flush=True)
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addr", default=ADDR)
    parser.add_argument("job_ids", nargs="+", metavar="JOB_ID")
    args = parser.parse_args()
    stub = connect(args.addr)
    final = [watch(stub, job_id) for job_id in args.job_ids]
    sys.exit(0 if all(s == "JOB_STATE_SUCCEEDED" for s in final) else 1)


if __name__ == "__main__":
    main()
