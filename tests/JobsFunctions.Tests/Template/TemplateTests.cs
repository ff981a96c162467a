using System.Text.Json;

namespace JobsFunctions.Tests.Template;

/// <summary>What a deploy creates, checked on the transformed template: cfn-lint does not catch all of it.</summary>
public sealed class TemplateTests
{
    private static readonly string[] OperatorRoutes =
    [
        "PATCH /jobs/{jobId}",
        "PUT /things/{thingName}/jobs/{jobId}/cancel",
        "POST /things/{thingName}/jobs/{jobId}",
        "GET /jobs",
        "GET /jobs/{jobId}",
        "GET /jobs/{jobId}/iot",
        "GET /jobs/{jobId}/executions",
        "GET /things/{thingName}/jobs/{jobId}/ledger",
        "GET /things/{thingName}/executions",
        "GET /jobs/{jobId}/audit",
        "GET /jobs/{jobId}/policy",
        "PUT /jobs/{jobId}/policy",
        "DELETE /jobs/{jobId}/policy",
        "POST /jobs/{jobId}/policy/preview",
        "GET /policies",
    ];

    [Fact]
    public void Every_function_runs_the_bootstrap_under_a_handler_name_it_knows()
    {
        var functions = TransformedTemplate.OfType("AWS::Lambda::Function").ToList();

        Assert.Equal(4, functions.Count);
        Assert.All(functions, function =>
        {
            var properties = function.Resource.GetProperty("Properties");
            Assert.Equal("provided.al2023", properties.GetProperty("Runtime").GetString());
            Assert.Contains(properties.GetProperty("Handler").GetString(), new CompositionRoot(_ => null).KnownHandlerNames);
            Assert.Equal("JSON", properties.GetProperty("LoggingConfig").GetProperty("LogFormat").GetString());
        });
    }

    [Fact]
    public void Every_operator_route_requires_iam_authorisation_and_no_other_route_exists()
    {
        var (_, api) = Assert.Single(TransformedTemplate.OfType("AWS::ApiGatewayV2::Api"));
        var routes = new List<string>();
        foreach (var path in api.GetProperty("Properties").GetProperty("Body").GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                routes.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                var security = operation.Value.GetProperty("security").EnumerateArray().Single();
                Assert.True(security.TryGetProperty("AWS_IAM", out _), $"{operation.Name} {path.Name} is not IAM-authorised");
                Assert.Equal("2.0", operation.Value.GetProperty("x-amazon-apigateway-integration").GetProperty("payloadFormatVersion").GetString());
            }
        }

        Assert.Equal(OperatorRoutes.Order(StringComparer.Ordinal), routes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_handler_answers_every_route_the_template_declares()
    {
        var api = new Api.ApiHarness();
        foreach (var route in OperatorRoutes)
        {
            var @event = Api.ApiHarness.Event("api-get-job.json");
            @event["routeKey"] = route;
            @event["pathParameters"] = new System.Text.Json.Nodes.JsonObject { ["jobId"] = "fw-2026-11", ["thingName"] = "sensor-42" };

            var reply = await api.InvokeAsync(@event);

            Assert.NotEqual("notFound.route", reply.Code);
        }
    }

    [Fact]
    public void No_policy_grants_a_wildcard_action()
    {
        var actions = TransformedTemplate.OfType("AWS::IAM::Role")
            .SelectMany(role => role.Resource.GetProperty("Properties").TryGetProperty("Policies", out var policies) ? policies.EnumerateArray() : [])
            .SelectMany(policy => policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .SelectMany(statement => statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().Select(action => action.GetString()!) : [statement.GetProperty("Action").GetString()!])
            .ToList();

        Assert.NotEmpty(actions);
        Assert.All(actions, action => Assert.DoesNotContain("*", action));
    }

    [Fact]
    public void Each_jobs_topic_filter_has_its_own_rule_with_an_error_action_and_a_scoped_invoke_permission()
    {
        var rules = TransformedTemplate.OfType("AWS::IoT::TopicRule").ToList();
        var permissions = TransformedTemplate.OfType("AWS::Lambda::Permission")
            .Select(permission => permission.Resource.GetProperty("Properties"))
            .Where(properties => properties.GetProperty("Principal").GetString() == "iot.amazonaws.com")
            .ToList();

        Assert.Equal(
            ["SELECT * FROM '$aws/events/job/+/+'", "SELECT * FROM '$aws/events/jobExecution/+/+'"],
            rules.Select(rule => rule.Resource.GetProperty("Properties").GetProperty("TopicRulePayload").GetProperty("Sql").GetString()).Order(StringComparer.Ordinal));
        Assert.All(rules, rule =>
        {
            var payload = rule.Resource.GetProperty("Properties").GetProperty("TopicRulePayload");
            Assert.Equal("2016-03-23", payload.GetProperty("AwsIotSqlVersion").GetString());
            Assert.True(payload.GetProperty("ErrorAction").TryGetProperty("Sqs", out _));
            Assert.Contains(permissions, permission => permission.GetProperty("SourceArn").GetProperty("Fn::GetAtt")[0].GetString() == rule.LogicalId);
        });
    }

    [Fact]
    public void The_recorder_retries_a_bounded_number_of_times_then_parks_the_event_on_a_queue()
    {
        var (_, config) = Assert.Single(TransformedTemplate.OfType("AWS::Lambda::EventInvokeConfig"),
            config => config.Resource.GetProperty("Properties").GetProperty("FunctionName").GetProperty("Ref").GetString() == "RecorderFunction");
        var properties = config.GetProperty("Properties");

        Assert.InRange(properties.GetProperty("MaximumRetryAttempts").GetInt32(), 0, 2);
        Assert.Equal("FailedInvocationsQueue", properties.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination").GetProperty("Fn::GetAtt")[0].GetString());
    }

    [Fact]
    public void The_table_keeps_point_in_time_recovery_ttl_and_lean_indexes()
    {
        var (_, table) = Assert.Single(TransformedTemplate.OfType("AWS::DynamoDB::Table"));
        var properties = table.GetProperty("Properties");

        Assert.True(properties.GetProperty("PointInTimeRecoverySpecification").GetProperty("PointInTimeRecoveryEnabled").GetBoolean());
        Assert.Equal("expiresAt", properties.GetProperty("TimeToLiveSpecification").GetProperty("AttributeName").GetString());
        Assert.Equal("PAY_PER_REQUEST", properties.GetProperty("BillingMode").GetString());
        Assert.Equal("Retain", table.GetProperty("DeletionPolicy").GetString());
        // Every index projects keys only: an index write happens only when its key changes.
        var projections = properties.GetProperty("GlobalSecondaryIndexes").EnumerateArray().ToDictionary(
            index => index.GetProperty("IndexName").GetString()!,
            index => index.GetProperty("Projection"));
        Assert.Equal(["ByStatus", "ByThing"], projections.Keys.Order(StringComparer.Ordinal));
        Assert.All(projections, pair => Assert.Equal("KEYS_ONLY", pair.Value.GetProperty("ProjectionType").GetString()));
    }

    [Fact]
    public void The_sweeper_runs_the_bootstrap_on_the_SweepSchedule_and_a_failed_run_is_left_to_the_next()
    {
        var function = TransformedTemplate.Resources.GetProperty("SweeperFunction").GetProperty("Properties");
        var (_, rule) = Assert.Single(TransformedTemplate.OfType("AWS::Events::Rule"));
        var (_, invoke) = Assert.Single(TransformedTemplate.OfType("AWS::Lambda::EventInvokeConfig"),
            config => config.Resource.GetProperty("Properties").GetProperty("FunctionName").GetProperty("Ref").GetString() == "SweeperFunction");

        Assert.Equal("sweeper", function.GetProperty("Handler").GetString());
        Assert.Equal("SweepSchedule", rule.GetProperty("Properties").GetProperty("ScheduleExpression").GetProperty("Ref").GetString());
        Assert.Equal("SweeperFunction", rule.GetProperty("Properties").GetProperty("Targets")[0].GetProperty("Arn").GetProperty("Fn::GetAtt")[0].GetString());
        Assert.Equal(0, invoke.GetProperty("Properties").GetProperty("MaximumRetryAttempts").GetInt32());
        var variables = function.GetProperty("Environment").GetProperty("Variables");
        Assert.Equal(("DefaultPolicy", "SweepBudgetSeconds", "IotControlPlaneTps"), (
            variables.GetProperty("DEFAULT_POLICY").GetProperty("Ref").GetString(),
            variables.GetProperty("SWEEP_BUDGET_SECONDS").GetProperty("Ref").GetString(),
            variables.GetProperty("IOT_CONTROL_TPS").GetProperty("Ref").GetString()));
        Assert.True(variables.GetProperty("SWEEP_BUDGET_SECONDS").ValueKind == JsonValueKind.Object
            && function.GetProperty("Timeout").GetInt32() > 50, "the budget's maximum (50 s) must end before the function's timeout");
    }

    [Fact]
    public void The_functions_that_write_audit_entries_are_given_AuditRetentionDays_and_the_others_are_not()
    {
        var parameter = TransformedTemplate.Parameters.GetProperty("AuditRetentionDays");
        var given = TransformedTemplate.OfType("AWS::Lambda::Function")
            .Where(function => function.Resource.GetProperty("Properties").TryGetProperty("Environment", out var environment)
                && environment.GetProperty("Variables").TryGetProperty("AUDIT_RETENTION_DAYS", out var days)
                && days.GetProperty("Ref").GetString() == "AuditRetentionDays")
            .Select(function => function.LogicalId);

        Assert.Equal(["ApiFunction", "SweeperFunction"], given.Order(StringComparer.Ordinal));
        Assert.Equal((365, 0, 3650), (parameter.GetProperty("Default").GetInt32(), parameter.GetProperty("MinValue").GetInt32(), parameter.GetProperty("MaxValue").GetInt32()));
        Assert.Equal(JobsFunctions.Configuration.FunctionSettings.DefaultAuditRetentionDays, parameter.GetProperty("Default").GetInt32());
    }

    [Fact]
    public void The_outputs_give_the_operator_APIs_id_and_the_execute_api_ARN_prefix_caller_policies_need()
    {
        var outputs = TransformedTemplate.Outputs;

        Assert.Equal("OperatorApi", outputs.GetProperty("OperatorApiId").GetProperty("Value").GetProperty("Ref").GetString());
        Assert.Equal("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${OperatorApi}",
            outputs.GetProperty("OperatorApiArnPrefix").GetProperty("Value").GetProperty("Fn::Sub").GetString());
        Assert.Single(TransformedTemplate.OfType("AWS::ApiGatewayV2::Api"), api => api.LogicalId == "OperatorApi");
    }

    [Fact]
    public void The_sweeper_may_call_exactly_the_IoT_actions_it_uses_with_a_wildcard_resource_only_where_IAM_has_none()
    {
        var statements = Statements("SweeperFunctionRole");
        var iot = statements.Where(statement => Actions(statement).Any(action => action.StartsWith("iot", StringComparison.Ordinal))).ToList();

        Assert.Equal(
            ["iot:CancelJob", "iot:CancelJobExecution", "iot:DescribeEndpoint", "iot:DescribeEventConfigurations", "iot:DescribeJobExecution",
                "iot:ListJobExecutionsForJob", "iot:ListJobs", "iotjobsdata:UpdateJobExecution"],
            iot.SelectMany(Actions).Order(StringComparer.Ordinal));
        var unscoped = iot.Where(statement => statement.GetProperty("Resource").ValueKind == JsonValueKind.String
            && statement.GetProperty("Resource").GetString() == "*").SelectMany(Actions).Order(StringComparer.Ordinal);
        Assert.Equal(["iot:DescribeEndpoint", "iot:DescribeEventConfigurations", "iot:ListJobs"], unscoped);
        Assert.All(statements.Where(statement => Actions(statement).Any(action => action.StartsWith("dynamodb:", StringComparison.Ordinal))),
            statement => Assert.DoesNotContain("*", statement.GetProperty("Resource").GetRawText().Replace("/index/*", "", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("JobEventsOffAlarm", "JobsFunctions", "EventsOff")]
    [InlineData("FailedInvocationsAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible")]
    [InlineData("RuleErrorsAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible")]
    public void Each_alarm_fires_on_one_occurrence_and_notifies_the_alarm_topic_when_one_is_given(string logicalId, string metricNamespace, string metric)
    {
        var alarm = TransformedTemplate.Resources.GetProperty(logicalId).GetProperty("Properties");

        Assert.Equal((metricNamespace, metric), (alarm.GetProperty("Namespace").GetString(), alarm.GetProperty("MetricName").GetString()));
        Assert.Equal(("GreaterThanOrEqualToThreshold", 1d), (alarm.GetProperty("ComparisonOperator").GetString(), alarm.GetProperty("Threshold").GetDouble()));
    }

    [Fact]
    public void Every_alarm_notifies_the_alarm_topic_when_one_is_given_and_says_what_to_do()
    {
        var alarms = TransformedTemplate.Resources.EnumerateObject()
            .Where(resource => resource.Value.GetProperty("Type").GetString() == "AWS::CloudWatch::Alarm").ToList();

        Assert.Equal(["EventsCheckFailedAlarm", "FailedInvocationsAlarm", "JobEventsOffAlarm", "OperatorApi5xxAlarm", "RecorderStoreRetriesAlarm",
            "RuleErrorsAlarm", "SweeperErrorsAlarm"], alarms.Select(alarm => alarm.Name).Order(StringComparer.Ordinal));
        Assert.All(alarms, alarm =>
        {
            var properties = alarm.Value.GetProperty("Properties");
            var actions = properties.GetProperty("AlarmActions").GetProperty("Fn::If");
            Assert.Equal(("HasAlarmTopic", "AlarmTopicArn"), (actions[0].GetString(), actions[1][0].GetProperty("Ref").GetString()));
            Assert.Equal("notBreaching", properties.GetProperty("TreatMissingData").GetString());
        });
        Assert.All(alarms.Where(alarm => alarm.Name is not ("FailedInvocationsAlarm" or "RuleErrorsAlarm")),
            alarm => Assert.Matches(@"\. (Read|Check|Look|Turn)", alarm.Value.GetProperty("Properties").GetProperty("AlarmDescription").GetString()));
    }

    [Fact]
    public void The_sweeper_errors_alarm_fires_on_a_failed_run_or_on_one_job_not_swept()
    {
        var alarm = TransformedTemplate.Resources.GetProperty("SweeperErrorsAlarm").GetProperty("Properties");

        Assert.Equal(
            [("AWS/Lambda", "Errors", "FunctionName=SweeperFunction"), (JobsFunctions.Aws.Logging.JsonLog.MetricNamespace, JobsFunctions.Sweeper.SweeperHandler.JobErrorsMetric, "Function=sweeper")],
            WatchedMetrics(alarm));
        Assert.Equal("FILL(invocationErrors, 0) + FILL(jobErrors, 0)", alarm.GetProperty("Metrics")[0].GetProperty("Expression").GetString());
        Assert.Equal(("GreaterThanOrEqualToThreshold", 1d), (alarm.GetProperty("ComparisonOperator").GetString(), alarm.GetProperty("Threshold").GetDouble()));
    }

    [Fact]
    public void The_events_check_alarm_watches_the_metric_the_sweeper_emits_when_the_check_fails()
    {
        var alarm = TransformedTemplate.Resources.GetProperty("EventsCheckFailedAlarm").GetProperty("Properties");

        Assert.Equal(JobsFunctions.Sweeper.SweeperHandler.EventsCheckFailedMetric, alarm.GetProperty("MetricName").GetString());
        Assert.Equal(("Minimum", 1d), (alarm.GetProperty("Statistic").GetString(), alarm.GetProperty("Threshold").GetDouble()));
    }

    [Fact]
    public void The_store_retries_alarm_adds_up_every_outcome_the_recorder_emits_it_under()
    {
        var alarm = TransformedTemplate.Resources.GetProperty("RecorderStoreRetriesAlarm").GetProperty("Properties");

        Assert.Equal(
            ["Function=recorder,Outcome=duplicate", "Function=recorder,Outcome=ledgerOnly", "Function=recorder,Outcome=recorded"],
            WatchedMetrics(alarm).Select(metric => metric.Dimensions).Order(StringComparer.Ordinal));
        Assert.All(WatchedMetrics(alarm), metric => Assert.Equal("StoreRetries", metric.Name));
        Assert.Equal((3, 3), (alarm.GetProperty("EvaluationPeriods").GetInt32(), alarm.GetProperty("DatapointsToAlarm").GetInt32()));
    }

    [Fact]
    public void The_operator_API_alarm_watches_the_HTTP_APIs_own_5xx_count()
    {
        var alarm = TransformedTemplate.Resources.GetProperty("OperatorApi5xxAlarm").GetProperty("Properties");

        Assert.Equal(("AWS/ApiGateway", "5xx"), (alarm.GetProperty("Namespace").GetString(), alarm.GetProperty("MetricName").GetString()));
        var dimension = Assert.Single(alarm.GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(("ApiId", "OperatorApi"), (dimension.GetProperty("Name").GetString(), dimension.GetProperty("Value").GetProperty("Ref").GetString()));
    }

    /// <summary>The metrics a metric-math alarm reads: namespace, name, and its dimensions as <c>Name=Value</c> (a Ref by the resource's name).</summary>
    private static List<(string Namespace, string Name, string Dimensions)> WatchedMetrics(JsonElement alarm) =>
        [.. alarm.GetProperty("Metrics").EnumerateArray()
            .Where(query => query.TryGetProperty("MetricStat", out _))
            .Select(query => query.GetProperty("MetricStat").GetProperty("Metric"))
            .Select(metric => (metric.GetProperty("Namespace").GetString()!, metric.GetProperty("MetricName").GetString()!,
                string.Join(",", metric.GetProperty("Dimensions").EnumerateArray().Select(dimension => dimension.GetProperty("Name").GetString() + "="
                    + (dimension.GetProperty("Value").ValueKind == JsonValueKind.String
                        ? dimension.GetProperty("Value").GetString()
                        : dimension.GetProperty("Value").GetProperty("Ref").GetString())))))];

    [Fact]
    public void The_events_off_alarm_watches_the_metric_the_sweeper_emits()
    {
        var alarm = TransformedTemplate.Resources.GetProperty("JobEventsOffAlarm").GetProperty("Properties");

        Assert.Equal(JobsFunctions.Aws.Logging.JsonLog.MetricNamespace, alarm.GetProperty("Namespace").GetString());
        Assert.Equal(JobsFunctions.Sweeper.SweeperHandler.EventsOffMetric, alarm.GetProperty("MetricName").GetString());
        var dimension = Assert.Single(alarm.GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(("Function", "sweeper"), (dimension.GetProperty("Name").GetString(), dimension.GetProperty("Value").GetString()));
    }

    private static List<JsonElement> Statements(string roleId) =>
        [.. TransformedTemplate.Resources.GetProperty(roleId).GetProperty("Properties").GetProperty("Policies").EnumerateArray()
            .SelectMany(policy => policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())];

    private static IEnumerable<string> Actions(JsonElement statement) => statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } list
        ? list.EnumerateArray().Select(action => action.GetString()!)
        : [statement.GetProperty("Action").GetString()!];
}
