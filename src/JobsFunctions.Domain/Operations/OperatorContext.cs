using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// Who is calling, as the API's IAM authorizer established it. Any member may be absent (a route without IAM
/// authorization has none of them).
/// </summary>
public sealed record Caller(
    string? UserArn = null,
    string? AccountId = null,
    string? CallerId = null,
    string? AccessKey = null,
    string? UserId = null,
    string? PrincipalOrgId = null)
{
    public static Caller Anonymous { get; } = new();

    /// <summary>
    /// The identity idempotency keys are scoped to: the most specific one known. Two principals never share keys; an
    /// access key is not used because one principal rotates through many.
    /// </summary>
    public string Principal => UserArn ?? CallerId ?? UserId ?? AccountId ?? "anonymous";
}

/// <summary>
/// What surrounds one operator request besides the command: its id (also the id of what it records), the route it
/// came in on, the caller, and the two optional headers — a reason for the audit trail and an idempotency key.
/// </summary>
public sealed record OperatorContext(
    string RequestId,
    string Route,
    Caller Caller,
    string? Reason = null,
    string? IdempotencyKey = null);

/// <summary>
/// Limits of the context's optional values: a reason has the limits of CancelJob's comment (1–2028 characters, no
/// control characters); an idempotency key is 1–255 visible ASCII characters (a UUID fits, whitespace does not).
/// </summary>
public static class OperatorContextRules
{
    public const int ReasonMaxLength = 2028;
    public const int IdempotencyKeyMaxLength = 255;

    public static Error? Check(OperatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return FieldRules.Text(context.Reason, "reason", ReasonMaxLength)
            ?? FieldRules.Length(context.IdempotencyKey, "idempotencyKey", 1, IdempotencyKeyMaxLength)
            ?? (context.IdempotencyKey is { } key && !key.All(c => c is >= '!' and <= '~')
                ? FieldRules.Invalid("idempotencyKey", "pattern", "idempotencyKey must be visible ASCII characters (no spaces).")
                : null);
    }
}
