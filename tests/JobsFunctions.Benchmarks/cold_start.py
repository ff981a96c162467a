"""Cold start of the bootstrap as Lambda sees it: process start -> first event fetched -> response posted.

Runs a command (the Native AOT bootstrap, or `dotnet bootstrap.dll` for the same code under the JIT) against a
minimal Lambda Runtime API on loopback, feeding it one recorder event that makes a real DynamoDB write (moto), and
reports the wall time from spawn to the posted response, min/median/max over N runs.

usage: cold_start.py --runs N --moto URL --table NAME --event FILE -- COMMAND...
"""
import argparse
import http.server
import json
import os
import statistics
import subprocess
import threading
import time
import uuid


def serve_one(event_bytes, done):
    class Handler(http.server.BaseHTTPRequestHandler):
        served = False

        def do_GET(self):
            if Handler.served:
                time.sleep(30)  # the runtime asks for a second event: it is done, keep it waiting
                return
            Handler.served = True
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", str(uuid.uuid4()))
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:recorder")
            self.send_header("Content-Length", str(len(event_bytes)))
            self.end_headers()
            self.wfile.write(event_bytes)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            self.send_response(202)
            self.end_headers()
            done["at"] = time.perf_counter()
            done["kind"] = "error" if self.path.endswith("/error") else "response"
            done["body"] = body.decode("utf-8", "replace")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--moto", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--event", required=True)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    template = open(args.event, "rb").read()
    timings = []
    for run in range(args.runs):
        event = json.loads(template)
        event["eventId"] = f"cold-start-{uuid.uuid4()}"
        done = {}
        server = serve_one(json.dumps(event).encode(), done)
        env = {
            "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
            "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}", "_HANDLER": "recorder",
            "TABLE_NAME": args.table, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL_DYNAMODB": args.moto,
            "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        }
        started = time.perf_counter()
        process = subprocess.Popen(args.command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while "at" not in done and process.poll() is None and time.perf_counter() - started < 30:
            time.sleep(0.001)
        process.kill()
        process.wait()
        server.shutdown()
        if done.get("kind") != "response":
            raise SystemExit(f"run {run}: no response ({done.get('body')!r}): {process.stderr.read().decode()[-2000:]}")
        timings.append((done["at"] - started) * 1000)
    print(f"cold start to first recorded event over {args.runs} runs: "
          f"min {min(timings):.0f} ms, median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms")


if __name__ == "__main__":
    main()
