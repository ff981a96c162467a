using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// Things and thing groups: the registry jobs target, and what joining or leaving a group does to CONTINUOUS jobs.
public sealed partial class JobsEmulator
{
    public ThingView CreateThing(string name, IReadOnlyDictionary<string, string>? attributes) => Atomically(() =>
    {
        var wanted = new Dictionary<string, string>(attributes ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (_things.TryGetValue(name, out var existing))
        {
            // CreateThing is idempotent for the same thing; a different one by the same name already exists.
            return SameMap(existing.Attributes, wanted)
                ? View(existing)
                : throw new EmulatorException(ErrorCodes.ResourceAlreadyExists, $"Thing {name} already exists with different attributes.")
                {
                    Resource = (existing.Id, existing.Arn),
                };
        }

        var thing = new EmulatedThing { Name = name, Arn = ThingArn(name), Id = Guid.NewGuid().ToString(), Attributes = wanted };
        _things.Add(name, thing);
        return View(thing);
    });

    public ThingView DescribeThing(string name) => Atomically(() => View(Thing(name)));

    /// <summary>Deleting a thing removes its pending executions (https://docs.aws.amazon.com/iot/latest/apireference/API_JobProcessDetails.html).</summary>
    public void DeleteThing(string name, long? expectedVersion) => Atomically(() =>
    {
        if (!_things.TryGetValue(name, out var thing))
        {
            return;
        }

        if (expectedVersion is { } expected && expected != thing.Version)
        {
            throw new EmulatorException(ErrorCodes.VersionConflict, $"Thing {name} is at version {thing.Version}, not {expected}.");
        }

        foreach (var group in thing.Groups)
        {
            _groups[group].Members.Remove(name);
        }

        _things.Remove(name);
        foreach (var job in _jobs.Values.OrderBy(j => j.Order))
        {
            if (job.Status != EmulatedJobStatus.DeletionInProgress && Latest(job, name) is { } queued && ExecutionTransitions.RemovedWithThing(queued))
            {
                Touch(queued);
                ChangeStatus(queued, ExecutionStatus.Removed);
            }
        }
    });

    public ThingGroupView CreateThingGroup(string name, string? description) => Atomically(() =>
    {
        if (_groups.TryGetValue(name, out var existing))
        {
            return existing.Description == description
                ? View(existing)
                : throw new EmulatorException(ErrorCodes.ResourceAlreadyExists, $"Thing group {name} already exists with different properties.")
                {
                    Resource = (existing.Id, existing.Arn),
                };
        }

        var group = new EmulatedThingGroup
        {
            Name = name,
            Arn = GroupArn(name),
            Id = Guid.NewGuid().ToString(),
            Description = description,
            CreatedAt = _at,
        };
        _groups.Add(name, group);
        return View(group);
    });

    public ThingGroupView DescribeThingGroup(string name) => Atomically(() => View(Group(name)));

    /// <summary>
    /// A thing that joins a group gains an execution of every IN_PROGRESS CONTINUOUS job targeting the group, at once
    /// rather than paced ("near real time", https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html).
    /// </summary>
    public void AddThingToThingGroup(string groupName, string thingName) => Atomically(() =>
    {
        var group = Group(groupName);
        var thing = Thing(thingName);
        if (!group.Members.Add(thingName))
        {
            return;
        }

        thing.Groups.Add(groupName);
        foreach (var job in ContinuousJobsTargeting(group))
        {
            var latest = Latest(job, thingName);
            if (latest is null || latest.Status == ExecutionStatus.Removed)
            {
                Queue(job, thingName);
            }
        }
    });

    /// <summary>A thing that leaves every target of a CONTINUOUS job has its QUEUED execution there REMOVED.</summary>
    public void RemoveThingFromThingGroup(string groupName, string thingName) => Atomically(() =>
    {
        var group = Group(groupName);
        var thing = Thing(thingName);
        if (!group.Members.Remove(thingName))
        {
            return;
        }

        thing.Groups.Remove(groupName);
        foreach (var job in ContinuousJobsTargeting(group))
        {
            if (!IsTargeted(job, thing) && Latest(job, thingName) is { } queued && ExecutionTransitions.RemovedWithThing(queued))
            {
                Touch(queued);
                ChangeStatus(queued, ExecutionStatus.Removed);
            }
        }
    });
}
