using JobsFunctions.Aws.Iot.Control;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// Job and job-execution events are off in a new account and region; without them the recorders see nothing.
/// This switches both on with UpdateEventConfigurations, leaving every other event type as it was.
/// </summary>
public sealed class JobEventsSwitch(IotControlClient control)
{
    public async Task EnableAsync(CancellationToken cancellationToken)
    {
        var current = await control.DescribeEventConfigurationsAsync(cancellationToken);
        if (IsOn(current, EventTypes.Job) && IsOn(current, EventTypes.JobExecution))
        {
            return;
        }

        await control.UpdateEventConfigurationsAsync(new UpdateEventConfigurationsRequest
        {
            EventConfigurations = new Dictionary<string, EventConfiguration>
            {
                [EventTypes.Job] = new() { Enabled = true },
                [EventTypes.JobExecution] = new() { Enabled = true },
            },
        }, cancellationToken);
    }

    private static bool IsOn(DescribeEventConfigurationsResponse response, string eventType) =>
        response.EventConfigurations?.GetValueOrDefault(eventType)?.Enabled == true;
}
