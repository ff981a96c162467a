"""Prints template.yaml after the SAM transform, as plain CloudFormation JSON, offline (no AWS account needed).

Usage: python3 transform_template.py TEMPLATE. The template's CodeUri '.' is replaced by a placeholder S3 location,
as `sam package` would, because the transform only accepts S3 code locations.
"""
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template uses inline policies only, so no managed-policy names need resolving."""

    def load(self):
        return {}


def main(path):
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    with open(path, encoding="utf-8") as handle:
        template = yaml_parse(handle.read())
    function_globals = template.get("Globals", {}).get("Function", {})
    if function_globals.get("CodeUri") == ".":
        function_globals["CodeUri"] = "s3://placeholder-bucket/bootstrap.zip"
    print(json.dumps(transform(template, {}, NoManagedPolicies()), indent=1, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
