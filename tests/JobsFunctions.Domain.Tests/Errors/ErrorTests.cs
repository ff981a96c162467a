using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Domain.Tests.Errors;

public sealed class ErrorTests
{
    [Fact]
    public void A_validation_error_is_coded_by_field_and_rule_and_names_its_field()
    {
        var error = Error.Validation("statusDetails", "tooMany", "statusDetails may hold at most 10 name/value pairs.");

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("validation.statusDetails.tooMany", error.Code);
        Assert.Equal("statusDetails", error.Field);
    }

    [Fact]
    public void Not_found_and_conflict_errors_keep_their_code_and_concern_no_field()
    {
        var notFound = Error.NotFound("notFound.execution", "No such execution.");
        var conflict = Error.Conflict("conflict.version", "The execution changed since it was read.");

        Assert.Equal((ErrorKind.NotFound, "notFound.execution", null), (notFound.Kind, notFound.Code, notFound.Field));
        Assert.Equal((ErrorKind.Conflict, "conflict.version", null), (conflict.Kind, conflict.Code, conflict.Field));
    }
}
