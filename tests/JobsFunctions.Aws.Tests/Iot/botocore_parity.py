#!/usr/bin/env python3
"""Prints the HTTP requests botocore would send for a list of IoT operations, without sending them.

Input (stdin, JSON):
  {"region": "...", "timestamp": "YYYYMMDDTHHMMSSZ",
   "credentials": {"access_key": "...", "secret_key": "...", "token": "..."},
   "cases": [{"name": "...", "service": "iot" | "iot-jobs-data", "endpoint": "https://...",
              "operation": "CancelJob", "params": {...},
              "ours": {"method": "...", "url": "...", "contentType": str | null, "body": base64 | null}}]}
Output (stdout, JSON): [{"name", "method", "url", "headers": {...}, "body": str | null,
                         "authorizationForOurs": "AWS4-HMAC-SHA256 ..."}]

The signing clock is pinned to "timestamp". JSON serializers differ in spacing and escaping, and the body hash is
part of the signature, so besides botocore's own request the script also signs the other client's exact request
with botocore's SigV4 signer: that Authorization header must match byte for byte.
Exit code 3 means botocore is not importable.
"""
import base64
import datetime
import json
import sys

try:
    import botocore.auth
    import botocore.session
    from botocore.awsrequest import AWSRequest, AWSResponse
    from botocore.config import Config
    from botocore import xform_name
except ImportError as error:  # pragma: no cover - reported to the test
    print(f"botocore is not importable: {error}", file=sys.stderr)
    sys.exit(3)


class _CannedBody:
    def stream(self, **_):
        yield b"{}"


def sign_ours(case, session, region):
    ours = case["ours"]
    headers = {"Content-Type": ours["contentType"]} if ours.get("contentType") else {}
    body = base64.b64decode(ours["body"]) if ours.get("body") is not None else None
    request = AWSRequest(method=ours["method"], url=ours["url"], headers=headers, data=body)
    signer = botocore.auth.SigV4Auth(session.get_credentials(), case["service"], region)
    signer.add_auth(request)
    return request.headers["Authorization"]


def main():
    spec = json.load(sys.stdin)
    pinned = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda *args, **kwargs: pinned

    creds = spec["credentials"]
    session = botocore.session.get_session()
    session.set_credentials(creds["access_key"], creds["secret_key"], creds.get("token"))

    clients = {}
    results = []
    for case in spec["cases"]:
        key = (case["service"], case["endpoint"])
        if key not in clients:
            clients[key] = session.create_client(
                case["service"],
                region_name=spec["region"],
                endpoint_url=case["endpoint"],
                config=Config(retries={"max_attempts": 0}),
            )
        client = clients[key]
        captured = {}

        def before_send(request, **_):
            body = request.body
            if isinstance(body, bytes):
                body = body.decode("utf-8")
            captured.update(
                method=request.method,
                url=request.url,
                headers={
                    k: (v.decode("utf-8") if isinstance(v, bytes) else v)
                    for k, v in request.headers.items()
                },
                body=body if body else None,
            )
            return AWSResponse(request.url, 200, {}, _CannedBody())

        client.meta.events.register("before-send", before_send)
        try:
            getattr(client, xform_name(case["operation"]))(**case["params"])
        finally:
            client.meta.events.unregister("before-send", before_send)
        results.append(dict(name=case["name"], authorizationForOurs=sign_ours(case, session, spec["region"]), **captured))

    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
