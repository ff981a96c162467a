"""Drives the IoT Jobs emulator with boto3, unmodified, through every operation it serves and the rules of its
state machine, in one process. Prints one JSON object: step name -> the response boto3 returned (without
ResponseMetadata) or the error it raised ({"error": code, "status": http status, "message": ...}).

Usage: python3 boto3_scenario.py http://127.0.0.1:PORT
The emulator must run on a virtual clock (the script advances it with POST /_emulator/clock).
"""
import json
import sys
import urllib.request

import boto3
import botocore.config

from scenario_steps import recorder

endpoint = sys.argv[1].rstrip("/")
session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="dummy", region_name="us-east-1")
config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
iot = session.client("iot", endpoint_url=endpoint, config=config)
data = session.client("iot-jobs-data", endpoint_url=endpoint, config=config)
arn = "arn:aws:iot:us-east-1:123456789012:"
out = {}


def described(e):
    error = {
        "error": e.response["Error"]["Code"],
        "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        "message": e.response["Error"].get("Message"),
        "errorTypeHeader": e.response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-errortype"),
    }
    # Members a modelled error shape adds (ResourceAlreadyExistsException: resourceId, resourceArn).
    for member in ("resourceId", "resourceArn"):
        if member in e.response:
            error[member] = e.response[member]
    return error


step = recorder(out, described)


def emulator(path, body=None):
    request = urllib.request.Request(endpoint + path, data=None if body is None else json.dumps(body).encode(), method="GET" if body is None else "POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def advance(seconds):
    return emulator("/_emulator/clock", {"advanceSeconds": seconds})


# Events and endpoint.
step("updateEventConfigurations", iot.update_event_configurations, eventConfigurations={"JOB": {"Enabled": True}, "JOB_EXECUTION": {"Enabled": True}})
step("describeEventConfigurations", iot.describe_event_configurations)
step("describeEndpoint", iot.describe_endpoint, endpointType="iot:Jobs")

# Things and groups.
for name in ["t1", "t2", "t3"]:
    step(f"createThing_{name}", iot.create_thing, thingName=name)
step("describeThing", iot.describe_thing, thingName="t1")
step("describeMissingThing", iot.describe_thing, thingName="ghost")
step("createThingGroup", iot.create_thing_group, thingGroupName="fleet", thingGroupProperties={"thingGroupDescription": "the fleet"})
step("addThingToThingGroup", iot.add_thing_to_thing_group, thingGroupName="fleet", thingName="t3")
step("describeThingGroup", iot.describe_thing_group, thingGroupName="fleet")

# A SNAPSHOT job with a timeout and a retry on FAILED.
step("createJob", iot.create_job, jobId="job1", targets=[arn + "thing/t1", arn + "thing/t2"], document='{"operation":"update"}',
     description="firmware 2", timeoutConfig={"inProgressTimeoutInMinutes": 10},
     jobExecutionsRetryConfig={"criteriaList": [{"failureType": "FAILED", "numberOfRetries": 1}]})
step("createJobAgain", iot.create_job, jobId="job1", targets=[arn + "thing/t1"], document="{}")
step("getJobDocument", iot.get_job_document, jobId="job1")
step("describeJob_created", iot.describe_job, jobId="job1")

# The device side: pending, $next, start next, updates.
step("getPending_t1", data.get_pending_job_executions, thingName="t1")
step("describeNext_t1", data.describe_job_execution, jobId="$next", thingName="t1")
step("startNext_t1", data.start_next_pending_job_execution, thingName="t1", statusDetails={"step": "download"}, stepTimeoutInMinutes=5)
step("update_staleVersion", data.update_job_execution, jobId="job1", thingName="t1", status="IN_PROGRESS", expectedVersion=1)
step("update_inProgress", data.update_job_execution, jobId="job1", thingName="t1", status="IN_PROGRESS", expectedVersion=2,
     statusDetails={"step": "install"}, stepTimeoutInMinutes=-1, includeJobExecutionState=True, includeJobDocument=True)
step("describeExecution_data", data.describe_job_execution, jobId="job1", thingName="t1", includeJobDocument=False)
step("update_succeeded", data.update_job_execution, jobId="job1", thingName="t1", status="SUCCEEDED", includeJobExecutionState=False)
step("update_afterTerminal", data.update_job_execution, jobId="job1", thingName="t1", status="IN_PROGRESS")
step("update_serviceStatus", data.update_job_execution, jobId="job1", thingName="t2", status="TIMED_OUT")
step("update_failed_t2", data.update_job_execution, jobId="job1", thingName="t2", status="FAILED", statusDetails={"reason": "checksum"})
step("describeExecution_retry", iot.describe_job_execution, jobId="job1", thingName="t2")
step("describeExecution_first", iot.describe_job_execution, jobId="job1", thingName="t2", executionNumber=1)
step("listForJob_failed", iot.list_job_executions_for_job, jobId="job1", status="FAILED")
step("listForJob_page1", iot.list_job_executions_for_job, jobId="job1", maxResults=1)
step("listForJob_page2", iot.list_job_executions_for_job, jobId="job1", maxResults=1, nextToken=out["listForJob_page1"].get("nextToken", "none"))
step("listForThing_t2", iot.list_job_executions_for_thing, thingName="t2")

# Time: the retry starts with a 1-minute step timer and times out on the virtual clock; the job then completes.
step("start_retry", data.update_job_execution, jobId="job1", thingName="t2", status="IN_PROGRESS", stepTimeoutInMinutes=1, includeJobExecutionState=True)
out["clock_59s"] = advance(59)
step("describeExecution_before", iot.describe_job_execution, jobId="job1", thingName="t2")
out["clock_1s"] = advance(1)
step("describeExecution_timedOut", iot.describe_job_execution, jobId="job1", thingName="t2")
step("describeJob_completed", iot.describe_job, jobId="job1")
step("describeExecution_data_completedJob", data.describe_job_execution, jobId="job1", thingName="t1")

# A CONTINUOUS job on the group: joining gains an execution, leaving removes a QUEUED one.
step("createContinuousJob", iot.create_job, jobId="job2", targets=[arn + "thinggroup/fleet"], document='{"operation":"reboot"}',
     targetSelection="CONTINUOUS")
step("addT1ToGroup", iot.add_thing_to_thing_group, thingGroupName="fleet", thingName="t1")
step("listForJob2_joined", iot.list_job_executions_for_job, jobId="job2")
step("removeT1FromGroup", iot.remove_thing_from_thing_group, thingGroupName="fleet", thingName="t1")
step("describeExecution_removed", iot.describe_job_execution, jobId="job2", thingName="t1")
step("cancelExecution_stale", iot.cancel_job_execution, jobId="job2", thingName="t3", expectedVersion=5)
step("cancelExecution", iot.cancel_job_execution, jobId="job2", thingName="t3", expectedVersion=1, statusDetails={"by": "operator"})
step("describeExecution_canceled", iot.describe_job_execution, jobId="job2", thingName="t3")
step("updateJob", iot.update_job, jobId="job2", description="reboot, second wave",
     abortConfig={"criteriaList": [{"failureType": "FAILED", "action": "CANCEL", "thresholdPercentage": 50, "minNumberOfExecutedThings": 10}]},
     jobExecutionsRolloutConfig={"maximumPerMinute": 100})
step("updateJob_retriesUp", iot.update_job, jobId="job2", jobExecutionsRetryConfig={"criteriaList": [{"failureType": "FAILED", "numberOfRetries": 3}]})
step("describeJob_updated", iot.describe_job, jobId="job2")
step("deleteJob_running", iot.delete_job, jobId="job2")
step("listJobs_inProgress", iot.list_jobs, status="IN_PROGRESS")
step("listJobs_page1", iot.list_jobs, maxResults=1)

# Cancel with force, then delete: the job passes through DELETION_IN_PROGRESS, then is gone.
step("createJob3", iot.create_job, jobId="job3", targets=[arn + "thing/t1", arn + "thing/t2"], document="{}")
step("start_job3_t1", data.update_job_execution, jobId="job3", thingName="t1", status="IN_PROGRESS")
step("cancelJob", iot.cancel_job, jobId="job3", force=True, reasonCode="OPERATOR_STOP", comment="stopped by hand")
step("describeJob_canceled", iot.describe_job, jobId="job3")
step("describeExecution_forceCanceled", iot.describe_job_execution, jobId="job3", thingName="t1")
step("cancelJob_again", iot.cancel_job, jobId="job3")
step("deleteExecution", iot.delete_job_execution, jobId="job3", thingName="t2", executionNumber=1)
step("deleteJob", iot.delete_job, jobId="job3")
step("describeJob_deleting", iot.describe_job, jobId="job3")
out["clock_delete"] = advance(1)
step("describeJob_deleted", iot.describe_job, jobId="job3")

# Bad input: what AWS validates, as InvalidRequestException (botocore itself checks only types, required members
# and minimums, so these reach the emulator).
step("bad_jobId", iot.create_job, jobId="bad id!", targets=[arn + "thing/t1"], document="{}")
step("bad_documentSize", iot.create_job, jobId="big", targets=[arn + "thing/t1"], document="x" * 32769)
step("bad_timeout", iot.create_job, jobId="slow", targets=[arn + "thing/t1"], document="{}", timeoutConfig={"inProgressTimeoutInMinutes": 10081})
step("bad_target", iot.create_job, jobId="nowhere", targets=["arn:aws:s3:::bucket"], document="{}")
step("bad_missingThing", iot.create_job, jobId="ghostly", targets=[arn + "thing/ghost"], document="{}")
step("bad_status", data.update_job_execution, jobId="job2", thingName="t3", status="DONE")
step("bad_statusDetails", data.update_job_execution, jobId="job2", thingName="t3", status="IN_PROGRESS",
     statusDetails={f"k{i}": "v" for i in range(11)})
step("bad_stepTimeout", data.update_job_execution, jobId="job2", thingName="t3", status="IN_PROGRESS", stepTimeoutInMinutes=10081)
step("bad_maxResults", iot.list_jobs, maxResults=251)
step("bad_reasonCode", iot.cancel_job, jobId="job2", reasonCode="lower case")
step("bad_incrementFactor", iot.update_job, jobId="job2",
     jobExecutionsRolloutConfig={"exponentialRate": {"baseRatePerMinute": 10, "incrementFactor": 1.25, "rateIncreaseCriteria": {"numberOfNotifiedThings": 5}}})
step("bad_eventType", iot.update_event_configurations, eventConfigurations={"JOBS": {"Enabled": True}})
step("missingJob", iot.describe_job, jobId="nope")

try:
    urllib.request.urlopen(endpoint + "/no/such/operation")
except urllib.error.HTTPError as e:
    out["unknownRoute"] = {"status": e.code, "errorType": e.headers.get("x-amzn-ErrorType")}

out["events"] = emulator("/_emulator/events?after=0")
print(json.dumps(out))
