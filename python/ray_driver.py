"""Run a mixsmith stage plan on a Ray cluster (src/executors/run-ray.ts starts this).

Ray's API is Python, so this small driver is the only Python in mixsmith's run path. It knows
nothing of mixsmith: it reads a stage plan (stages in order, each a list of independent command
lines; see src/executors/stage-plan.ts), runs every task of a stage as a Ray task on whichever node
Ray picks, waits for the stage, and goes on to the next one only if every task succeeded. The
commands (the mixsmith CLI with its stage arguments) must exist at the same paths on every node,
and the folders they read and write must be shared (as a cluster's file system is).

Usage: python ray_driver.py --address HOST:PORT --plan PLAN.json [--cpus-per-task N] [--retries N]

Output: one JSON object per line on stdout: each task's outcome as it ends
({"id", "status": "ok"|"skipped"|"failed", "exitCode", "node", "attempts", "stderrTail"}), then
{"stage": NAME, "ok": true|false} per stage. Exit 0 when every stage succeeded, 3 when a stage
failed, 2 when the cluster could not be reached. Logs go to stderr.

Idempotence: a task whose "done" file exists is skipped; the command writes that file last, so a
task cut off mid-write is redone. A task killed by a signal (its node or process died) is retried
up to --retries times; a task that exits with an error is not (mixsmith's errors are deterministic:
the same input fails the same way).
"""

import argparse
import json
import os
import socket
import subprocess
import sys

STDERR_TAIL_BYTES = 4096
CONNECT_TIMEOUT_S = 10


def reachable(address):
    """Whether the cluster's GCS port accepts a TCP connection within CONNECT_TIMEOUT_S.

    ray.init retries an unreachable address for minutes; this answers in seconds."""
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
            return True
    except (OSError, ValueError):
        return False


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description="Run a mixsmith stage plan on a Ray cluster.")
    parser.add_argument("--address", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--cpus-per-task", type=float, default=1)
    parser.add_argument("--retries", type=int, default=2)
    args = parser.parse_args()
    with open(args.plan, encoding="utf-8") as f:
        plan = json.load(f)

    if not reachable(args.address):
        print(
            f"ray_driver: no Ray cluster answers at {args.address} (no TCP connection within {CONNECT_TIMEOUT_S} s)",
            file=sys.stderr,
        )
        return 2

    import ray

    try:
        ray.init(address=args.address, log_to_driver=False, logging_level="ERROR")
    except Exception as error:  # noqa: BLE001 - any failure to connect is reported the same way
        print(f"ray_driver: cannot reach the Ray cluster at {args.address}: {error}", file=sys.stderr)
        return 2

    @ray.remote(num_cpus=args.cpus_per_task, max_retries=args.retries)
    def run_task(task, retries):
        node = ray.util.get_node_ip_address()
        done = task.get("done")
        if done and os.path.exists(done):
            return {"id": task["id"], "status": "skipped", "node": node}
        attempts = 0
        while True:
            attempts += 1
            proc = subprocess.run(
                task["argv"],
                cwd=task.get("cwd"),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                check=False,
            )
            tail = proc.stderr[-STDERR_TAIL_BYTES:].decode("utf-8", "replace")
            if proc.returncode == 0:
                return {"id": task["id"], "status": "ok", "exitCode": 0, "node": node, "attempts": attempts}
            if proc.returncode < 0 and attempts <= retries:
                continue
            return {
                "id": task["id"],
                "status": "failed",
                "exitCode": proc.returncode,
                "node": node,
                "attempts": attempts,
                "stderrTail": tail,
            }

    try:
        for stage in plan["stages"]:
            tasks = {run_task.remote(task, args.retries): task for task in stage["tasks"]}
            pending = list(tasks)
            ok = True
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                try:
                    outcome = ray.get(ready[0])
                except Exception as error:  # noqa: BLE001 - the task's node or worker died past its retries
                    outcome = {"id": tasks[ready[0]]["id"], "status": "failed", "exitCode": None,
                               "stderrTail": f"Ray lost the task: {type(error).__name__}: {error}"[-STDERR_TAIL_BYTES:]}
                emit(outcome)
                ok = ok and outcome["status"] != "failed"
            emit({"stage": stage["name"], "ok": ok})
            if not ok:
                return 3
        return 0
    finally:
        ray.shutdown()


if __name__ == "__main__":
    sys.exit(main())
