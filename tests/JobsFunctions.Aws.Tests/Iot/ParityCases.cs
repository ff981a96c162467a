using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Tests.Support;
using ControlDescribe = JobsFunctions.Aws.Iot.Control.DescribeJobExecutionRequest;
using DataDescribe = JobsFunctions.Aws.Iot.JobsData.DescribeJobExecutionRequest;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>One operation call, written once for botocore (parameters as JSON) and once for our clients.</summary>
public sealed record ParityCase(
    string Name,
    string Service,
    string Operation,
    string ParamsJson,
    Func<IotControlClient, IotJobsDataClient, CancellationToken, Task> Invoke)
{
    public Uri Endpoint => Service == "iot" ? TestClients.ControlEndpoint : TestClients.DataEndpoint;
}

/// <summary>Every operation the clients offer, with the awkward values: colons, unicode, flags, big numbers.</summary>
public static class ParityCases
{
    private static readonly Dictionary<string, string> UnicodeDetails = new()
    {
        ["reason"] = "überholt – 更新 ✓",
        ["step:id"] = "3/4 \"quoted\" <tag>",
    };

    public static IReadOnlyList<ParityCase> All { get; } =
    [
        new("UpdateJob_with_every_nested_structure", "iot", "UpdateJob",
            """
            {"jobId": "fw-2024_01", "description": "Roll out ✓ firmware", "namespaceId": "ns_1-a",
             "presignedUrlConfig": {"roleArn": "arn:aws:iam::123456789012:role/jobs-s3", "expiresInSec": 600},
             "jobExecutionsRolloutConfig": {"maximumPerMinute": 50, "exponentialRate": {"baseRatePerMinute": 5,
                "incrementFactor": 1.5, "rateIncreaseCriteria": {"numberOfSucceededThings": 10}}},
             "abortConfig": {"criteriaList": [{"failureType": "FAILED", "action": "CANCEL",
                "thresholdPercentage": 10.5, "minNumberOfExecutedThings": 5},
                {"failureType": "TIMED_OUT", "action": "CANCEL", "thresholdPercentage": 99.99, "minNumberOfExecutedThings": 1}]},
             "timeoutConfig": {"inProgressTimeoutInMinutes": 10080},
             "jobExecutionsRetryConfig": {"criteriaList": [{"failureType": "TIMED_OUT", "numberOfRetries": 2},
                {"failureType": "FAILED", "numberOfRetries": 0}]}}
            """,
            (control, _, ct) => control.UpdateJobAsync(
                new UpdateJobRequest
                {
                    JobId = "fw-2024_01",
                    Description = "Roll out ✓ firmware",
                    NamespaceId = "ns_1-a",
                    PresignedUrlConfig = new PresignedUrlConfig { RoleArn = "arn:aws:iam::123456789012:role/jobs-s3", ExpiresInSec = 600 },
                    JobExecutionsRolloutConfig = new JobExecutionsRolloutConfig
                    {
                        MaximumPerMinute = 50,
                        ExponentialRate = new ExponentialRolloutRate
                        {
                            BaseRatePerMinute = 5,
                            IncrementFactor = 1.5,
                            RateIncreaseCriteria = new RateIncreaseCriteria { NumberOfSucceededThings = 10 },
                        },
                    },
                    AbortConfig = new AbortConfig
                    {
                        CriteriaList =
                        [
                            new AbortCriteria { FailureType = "FAILED", Action = "CANCEL", ThresholdPercentage = 10.5, MinNumberOfExecutedThings = 5 },
                            new AbortCriteria { FailureType = "TIMED_OUT", Action = "CANCEL", ThresholdPercentage = 99.99, MinNumberOfExecutedThings = 1 },
                        ],
                    },
                    TimeoutConfig = new TimeoutConfig { InProgressTimeoutInMinutes = 10080 },
                    JobExecutionsRetryConfig = new JobExecutionsRetryConfig
                    {
                        CriteriaList =
                        [
                            new RetryCriteria { FailureType = "TIMED_OUT", NumberOfRetries = 2 },
                            new RetryCriteria { FailureType = "FAILED", NumberOfRetries = 0 },
                        ],
                    },
                },
                ct)),

        new("UpdateJob_with_only_the_job_id", "iot", "UpdateJob", """{"jobId": "j1"}""",
            (control, _, ct) => control.UpdateJobAsync(new UpdateJobRequest { JobId = "j1" }, ct)),

        new("CancelJob_forced_with_reason_and_comment", "iot", "CancelJob",
            """{"jobId": "job_-1", "force": true, "reasonCode": "OPERATOR_42", "comment": "stopped: see #42 & more"}""",
            (control, _, ct) => control.CancelJobAsync(
                new CancelJobRequest { JobId = "job_-1", Force = true, ReasonCode = "OPERATOR_42", Comment = "stopped: see #42 & more" }, ct)),

        new("CancelJob_unforced_without_options", "iot", "CancelJob", """{"jobId": "j1", "force": false}""",
            (control, _, ct) => control.CancelJobAsync(new CancelJobRequest { JobId = "j1", Force = false }, ct)),

        new("CancelJobExecution_of_a_thing_with_colons", "iot", "CancelJobExecution",
            """
            {"thingName": "factory:line-1:sensor_7", "jobId": "job-_1", "force": true, "expectedVersion": 7,
             "statusDetails": {"reason": "überholt – 更新 ✓", "step:id": "3/4 \"quoted\" <tag>"}}
            """,
            (control, _, ct) => control.CancelJobExecutionAsync(
                new CancelJobExecutionRequest
                {
                    ThingName = "factory:line-1:sensor_7",
                    JobId = "job-_1",
                    Force = true,
                    ExpectedVersion = 7,
                    StatusDetails = UnicodeDetails,
                },
                ct)),

        new("CancelJobExecution_without_options", "iot", "CancelJobExecution", """{"thingName": "t1", "jobId": "j1"}""",
            (control, _, ct) => control.CancelJobExecutionAsync(new CancelJobExecutionRequest { ThingName = "t1", JobId = "j1" }, ct)),

        new("DescribeJob_before_substitution", "iot", "DescribeJob", """{"jobId": "fw_2-a", "beforeSubstitution": true}""",
            (control, _, ct) => control.DescribeJobAsync(new DescribeJobRequest { JobId = "fw_2-a", BeforeSubstitution = true }, ct)),

        new("DescribeJob_plain", "iot", "DescribeJob", """{"jobId": "j1"}""",
            (control, _, ct) => control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, ct)),

        new("Control_DescribeJobExecution_with_a_large_execution_number", "iot", "DescribeJobExecution",
            """{"thingName": "a:b:c", "jobId": "j-1", "executionNumber": 12345678901}""",
            (control, _, ct) => control.DescribeJobExecutionAsync(
                new ControlDescribe { ThingName = "a:b:c", JobId = "j-1", ExecutionNumber = 12345678901 }, ct)),

        new("ListJobExecutionsForJob_with_filters_and_an_awkward_token", "iot", "ListJobExecutionsForJob",
            """{"jobId": "j1", "status": "IN_PROGRESS", "maxResults": 250, "nextToken": "abc/+=d ef=="}""",
            (control, _, ct) => control.ListJobExecutionsForJobAsync(
                new ListJobExecutionsForJobRequest { JobId = "j1", Status = "IN_PROGRESS", MaxResults = 250, NextToken = "abc/+=d ef==" }, ct)),

        new("ListJobExecutionsForJob_plain", "iot", "ListJobExecutionsForJob", """{"jobId": "j1"}""",
            (control, _, ct) => control.ListJobExecutionsForJobAsync(new ListJobExecutionsForJobRequest { JobId = "j1" }, ct)),

        new("ListJobs_in_progress_with_an_awkward_token", "iot", "ListJobs",
            """{"status": "IN_PROGRESS", "maxResults": 250, "nextToken": "abc/+=d ef=="}""",
            (control, _, ct) => control.ListJobsAsync(
                new ListJobsRequest { Status = "IN_PROGRESS", MaxResults = 250, NextToken = "abc/+=d ef==" }, ct)),

        new("ListJobs_plain", "iot", "ListJobs", "{}",
            (control, _, ct) => control.ListJobsAsync(new ListJobsRequest(), ct)),

        new("DescribeEndpoint_for_jobs", "iot", "DescribeEndpoint", """{"endpointType": "iot:Jobs"}""",
            (control, _, ct) => control.DescribeEndpointAsync(new DescribeEndpointRequest { EndpointType = "iot:Jobs" }, ct)),

        new("DescribeEventConfigurations", "iot", "DescribeEventConfigurations", "{}",
            (control, _, ct) => control.DescribeEventConfigurationsAsync(ct)),

        new("UpdateEventConfigurations_for_jobs", "iot", "UpdateEventConfigurations",
            """{"eventConfigurations": {"JOB": {"Enabled": true}, "JOB_EXECUTION": {"Enabled": false}}}""",
            (control, _, ct) => control.UpdateEventConfigurationsAsync(
                new UpdateEventConfigurationsRequest
                {
                    EventConfigurations = new Dictionary<string, EventConfiguration>
                    {
                        [EventTypes.Job] = new() { Enabled = true },
                        [EventTypes.JobExecution] = new() { Enabled = false },
                    },
                },
                ct)),

        new("UpdateJobExecution_with_every_member", "iot-jobs-data", "UpdateJobExecution",
            """
            {"thingName": "factory:line-1:sensor_7", "jobId": "job-_1", "status": "SUCCEEDED",
             "statusDetails": {"reason": "überholt – 更新 ✓", "step:id": "3/4 \"quoted\" <tag>"},
             "stepTimeoutInMinutes": -1, "expectedVersion": 3, "includeJobExecutionState": true,
             "includeJobDocument": false, "executionNumber": 2}
            """,
            (_, data, ct) => data.UpdateJobExecutionAsync(
                new UpdateJobExecutionRequest
                {
                    ThingName = "factory:line-1:sensor_7",
                    JobId = "job-_1",
                    Status = "SUCCEEDED",
                    StatusDetails = UnicodeDetails,
                    StepTimeoutInMinutes = -1,
                    ExpectedVersion = 3,
                    IncludeJobExecutionState = true,
                    IncludeJobDocument = false,
                    ExecutionNumber = 2,
                },
                ct)),

        new("UpdateJobExecution_with_only_the_status", "iot-jobs-data", "UpdateJobExecution",
            """{"thingName": "t1", "jobId": "j1", "status": "IN_PROGRESS"}""",
            (_, data, ct) => data.UpdateJobExecutionAsync(
                new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "IN_PROGRESS" }, ct)),

        new("Data_DescribeJobExecution_of_the_next_pending_job", "iot-jobs-data", "DescribeJobExecution",
            """{"thingName": "a:b", "jobId": "$next", "includeJobDocument": false, "executionNumber": 1}""",
            (_, data, ct) => data.DescribeJobExecutionAsync(
                new DataDescribe { ThingName = "a:b", JobId = "$next", IncludeJobDocument = false, ExecutionNumber = 1 }, ct)),

        new("Data_DescribeJobExecution_plain", "iot-jobs-data", "DescribeJobExecution", """{"thingName": "t1", "jobId": "j1"}""",
            (_, data, ct) => data.DescribeJobExecutionAsync(new DataDescribe { ThingName = "t1", JobId = "j1" }, ct)),
    ];
}
