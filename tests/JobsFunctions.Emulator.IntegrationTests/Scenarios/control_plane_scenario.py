"""One control-plane scenario, run unchanged against any endpoint (the emulator, moto server) with boto3, so the
two can be compared. Prints JSON: step name -> response without ResponseMetadata, or {"error": code, "status": n}.

Usage: python3 control_plane_scenario.py ENDPOINT SUFFIX   (SUFFIX keeps names unique on a shared server)
"""
import json
import sys

import boto3
import botocore.config

from scenario_steps import recorder

endpoint, suffix = sys.argv[1].rstrip("/"), sys.argv[2]
session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="dummy", region_name="us-east-1")
iot = session.client("iot", endpoint_url=endpoint, config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))
out = {}
step = recorder(out)

a, b = f"a-{suffix}", f"b-{suffix}"
arns = []
for name in (a, b):
    step(f"createThing_{name[0]}", iot.create_thing, thingName=name)
    arns.append(out[f"createThing_{name[0]}"]["thingArn"])

step("createJob", iot.create_job, jobId=f"job-{suffix}", targets=arns, document='{"op":"reboot"}', description="compare")
step("getJobDocument", iot.get_job_document, jobId=f"job-{suffix}")
step("describeJob_created", iot.describe_job, jobId=f"job-{suffix}")
step("describeExecution_queued", iot.describe_job_execution, jobId=f"job-{suffix}", thingName=a)
step("cancelExecution_a", iot.cancel_job_execution, jobId=f"job-{suffix}", thingName=a, expectedVersion=1)
step("describeExecution_canceled", iot.describe_job_execution, jobId=f"job-{suffix}", thingName=a)
step("cancelExecution_b_stale", iot.cancel_job_execution, jobId=f"job-{suffix}", thingName=b, expectedVersion=99)
step("cancelExecution_b", iot.cancel_job_execution, jobId=f"job-{suffix}", thingName=b)
step("describeJob_allTerminal", iot.describe_job, jobId=f"job-{suffix}")
step("listForJob", iot.list_job_executions_for_job, jobId=f"job-{suffix}")
step("listForThing", iot.list_job_executions_for_thing, thingName=a)

step("createJob2", iot.create_job, jobId=f"job2-{suffix}", targets=arns, document="{}")
step("cancelJob2", iot.cancel_job, jobId=f"job2-{suffix}", reasonCode="STOP", comment="compare")
step("describeJob2", iot.describe_job, jobId=f"job2-{suffix}")
step("describeJob2Execution", iot.describe_job_execution, jobId=f"job2-{suffix}", thingName=a)
step("deleteJob2", iot.delete_job, jobId=f"job2-{suffix}")
step("describeMissingJob", iot.describe_job, jobId=f"none-{suffix}")
print(json.dumps(out))
