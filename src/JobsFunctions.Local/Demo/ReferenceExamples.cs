using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// The things and jobs that AWS's CLI reference examples of the operations this product wraps name, each in the state
/// its example needs, so that the examples run verbatim against <c>serve</c> with only <c>--endpoint-url</c> added:
/// <list type="bullet">
/// <item>update-job-execution (https://docs.aws.amazon.com/cli/latest/reference/iot-jobs-data/update-job-execution.html)
/// sets SampleJob on MotionSensor1 to REMOVED and shows <c>versionNumber</c> 3: the execution must be at version 2, so
/// the device has already started it (QUEUED is version 1, IN_PROGRESS 2).</item>
/// <item>cancel-job-execution (https://docs.aws.amazon.com/cli/latest/reference/iot/cancel-job-execution.html) cancels
/// example-job-03 on MyRPi without <c>--force</c>, which only a QUEUED execution allows.</item>
/// <item>update-job (https://docs.aws.amazon.com/cli/latest/reference/iot/update-job.html): the page's example is in fact
/// a describe-job of example-job-01, an IN_PROGRESS snapshot job described "example job test" with one thing,
/// MyRaspberryPi, queued and no rollout, presigned-URL or timeout configuration.</item>
/// </list>
/// </summary>
public static class ReferenceExamples
{
    private static readonly Example[] Examples =
    [
        new("SampleJob", "MotionSensor1", null, Started: true),
        new("example-job-03", "MyRPi", null, Started: false),
        new("example-job-01", "MyRaspberryPi", "example job test", Started: false),
    ];

    /// <summary>
    /// Creates each example's thing and job and prints one line naming the jobs made ready. A name already taken in
    /// the emulator is reported and that example left out: the emulator keeps what it had.
    /// </summary>
    /// <returns>The ids of the jobs made ready.</returns>
    public static IReadOnlyList<string> Create(JobsEmulator emulator, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(console);
        var ready = new List<string>();
        var described = new List<string>();
        foreach (var example in Examples)
        {
            try
            {
                var thing = emulator.CreateThing(example.ThingName, null);
                emulator.CreateJob(new JobSpec
                {
                    JobId = example.JobId,
                    Targets = [thing.ThingArn],
                    Document = """{"operation":"reference-example"}""",
                    Description = example.Description,
                });
            }
            catch (EmulatorException e) when (e.Code == ErrorCodes.ResourceAlreadyExists)
            {
                console.WriteLine($"AWS reference example {example.JobId} not set up: {e.Message}");
                continue;
            }

            if (example.Started)
            {
                emulator.UpdateJobExecution(example.JobId, example.ThingName, new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress });
            }

            ready.Add(example.JobId);
            described.Add($"{example.JobId} on {example.ThingName} ({(example.Started ? "IN_PROGRESS" : "QUEUED")})");
        }

        console.WriteLine(ready.Count > 0
            ? $"AWS reference examples ready: {string.Join(", ", described)}"
            : "AWS reference examples: none set up.");
        return ready;
    }

    private sealed record Example(string JobId, string ThingName, string? Description, bool Started);
}
