"""What the boto3 scenarios share: an answer as plain JSON, and a step that records a call's answer or its error."""
import datetime

import botocore.exceptions


def plain(value):
    """boto3's answer without ResponseMetadata, its datetimes as epoch seconds."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return value


def code_and_status(error):
    return {"error": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}


def recorder(out, describe_error=code_and_status):
    """step(name, call, **kwargs): out[name] is the call's plain answer, or describe_error(the ClientError it raised)."""

    def step(name, call, **kwargs):
        try:
            out[name] = plain(call(**kwargs))
        except botocore.exceptions.ClientError as error:
            out[name] = describe_error(error)

    return step
