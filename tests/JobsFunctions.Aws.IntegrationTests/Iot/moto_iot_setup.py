#!/usr/bin/env python3
"""Creates IoT things and jobs in a moto server with boto3, so our own client is not its own oracle.

Input (stdin, JSON): {"endpoint": "http://127.0.0.1:PORT", "region": "us-east-1",
                      "jobs": [{"jobId": "...", "things": ["..."], "description": "..."}]}
Output (stdout, JSON): {"jobs": {jobId: {"jobArn": ..., "thingArns": [...]}}}
Exit code 3 means boto3 is not importable.
"""
import json
import sys

try:
    import boto3
except ImportError as error:  # pragma: no cover - reported to the test
    print(f"boto3 is not importable: {error}", file=sys.stderr)
    sys.exit(3)


def main():
    spec = json.load(sys.stdin)
    iot = boto3.client(
        "iot",
        endpoint_url=spec["endpoint"],
        region_name=spec["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    result = {}
    for job in spec["jobs"]:
        arns = []
        for thing in job["things"]:
            arns.append(iot.create_thing(thingName=thing)["thingArn"])
        created = iot.create_job(
            jobId=job["jobId"],
            targets=arns,
            document=json.dumps({"operation": "reboot"}),
            description=job.get("description", "integration test job"),
            targetSelection="SNAPSHOT",
        )
        result[job["jobId"]] = {"jobArn": created["jobArn"], "thingArns": arns}
    json.dump({"jobs": result}, sys.stdout)


if __name__ == "__main__":
    main()
