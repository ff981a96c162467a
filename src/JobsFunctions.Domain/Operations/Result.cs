using System.Diagnostics.CodeAnalysis;
using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Domain.Operations;

/// <summary>The value of an operation that answers nothing but success (UpdateJob, CancelJobExecution).</summary>
public readonly record struct Unit
{
    public static Unit Value => default;
}

public static class Result
{
    public static Result<T> Success<T>(T value) => new(value, null);

    public static Result<T> Failure<T>(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Result<T>(default, error);
    }
}

/// <summary>Either the value of an operation or the expected failure that stopped it, never both.</summary>
public sealed class Result<T>
{
    private readonly T? _value;

    internal Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; reading it from a failure is a programming error.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The operation failed ({Error.Code}); it has no value.");

#pragma warning disable CA2225 // Result.Success and Result.Failure are the named alternates.
    public static implicit operator Result<T>(T value) => Result.Success(value);

    public static implicit operator Result<T>(Error error) => Result.Failure<T>(error);
#pragma warning restore CA2225
}
