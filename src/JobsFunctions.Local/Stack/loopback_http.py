"""A WSGI application served over HTTP/1.1 on loopback, one request at a time, connections kept open.

The local DynamoDB (dynamodb_server.py) serves moto's own WSGI application through this instead of werkzeug's
development server, which moto_server uses. That server answers every request with `Connection: close`, on a new
thread, and after each answer waits up to 10 ms for stray request bytes. The clients (four recorders, the operator
API, the sweeper, the demo) then open a connection per request, and the request threads spend their time waiting for
Python's interpreter lock behind each other's socket calls. Here one thread runs an event loop: it reads requests from
every open connection, hands each to the application in turn, and writes the answer with its length, so a client
keeps its connection (RFC 9112, section 9.3: persistence is HTTP/1.1's default).

Answering one request at a time is also what makes the store's transactions isolated: no request sees a table another
is halfway through.
"""

import asyncio
import io
import sys
import traceback
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

# Bounds on what one request may bring: DynamoDB's largest request (BatchWriteItem, 25 items of 400 KB) is about
# 10 MB; its headers are a few hundred bytes.
MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024
# How long a refused client's remaining bytes are read and dropped before its connection is closed.
LINGER_SECONDS = 2
# How long a kept connection may wait for its next request, or take to send one, before it is closed: longer than .NET
# keeps an idle pooled connection (SocketsHttpHandler.PooledConnectionIdleTimeout, 1 minute by default since .NET 6),
# so such a client closes first, and what a client that never closes holds open is bounded.
IDLE_SECONDS = 300


class _Refused(Exception):
    """A request this server answers with an error of its own and then closes the connection."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class _Head:
    def __init__(self, method, target, version, headers):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers  # [(name, value)] as sent

    def header(self, name):
        wanted = name.lower()
        values = [value for key, value in self.headers if key.lower() == wanted]
        return ", ".join(values) if values else None

    @property
    def keeps_connection(self):
        tokens = {token.strip().lower() for token in (self.header("Connection") or "").split(",")}
        if self.version == "HTTP/1.1":
            return "close" not in tokens
        return "keep-alive" in tokens


async def _read_head(reader):
    """The request line and header fields, or None when the client closed the connection between requests."""
    try:
        block = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as ended:
        if ended.partial.strip():
            raise _Refused(400, "the connection ended inside a request's header") from None
        return None
    except asyncio.LimitOverrunError:
        raise _Refused(431, f"the request's header is over {MAX_HEAD_BYTES} bytes") from None
    lines = block[:-4].decode("latin-1").split("\r\n")
    while lines and not lines[0]:
        lines.pop(0)  # RFC 9112, section 2.2: empty lines before a request line are ignored
    parts = lines[0].split(" ") if lines else []
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise _Refused(400, "the request line is not 'METHOD target HTTP/1.x'")
    method, target, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise _Refused(505, f"{version} is not HTTP/1.0 or HTTP/1.1")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise _Refused(400, f"a header line is malformed: {line[:80]!r}")
        headers.append((name, value.strip(" \t")))
    return _Head(method, target, version, headers)


async def _read_body(reader, writer, head):
    if head.header("Expect") and head.header("Expect").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    encoding = (head.header("Transfer-Encoding") or "").lower()
    if encoding:
        if encoding != "chunked":
            raise _Refused(501, f"Transfer-Encoding {encoding} is not served")
        return await _read_chunks(reader)
    length = head.header("Content-Length")
    if length is None:
        return b""
    if not length.isdigit():
        raise _Refused(400, f"Content-Length {length!r} is not a number")
    if int(length) > MAX_BODY_BYTES:
        raise _Refused(413, f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        return await reader.readexactly(int(length))
    except asyncio.IncompleteReadError:
        raise _Refused(400, "the connection ended inside a request's body") from None


async def _read_chunks(reader):
    body = bytearray()
    try:
        while True:
            size_line = (await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise _Refused(400, "a chunk size is not hexadecimal") from None
            if len(body) + size > MAX_BODY_BYTES:
                raise _Refused(413, f"the body is over {MAX_BODY_BYTES} bytes")
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailer fields, not used
                return bytes(body)
            body += await reader.readexactly(size)
            if await reader.readexactly(2) != b"\r\n":
                raise _Refused(400, "a chunk does not end with CRLF")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        raise _Refused(400, "the connection ended inside a chunked body") from None


def _environ(head, body, local, peer):
    path, _, query = head.target.partition("?")
    environ = {
        "REQUEST_METHOD": head.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),  # PEP 3333: a "native string" of the bytes
        "QUERY_STRING": query,
        "RAW_URI": head.target,
        "REQUEST_URI": head.target,
        "SERVER_NAME": local[0],
        "SERVER_PORT": str(local[1]),
        "SERVER_PROTOCOL": head.version,
        "REMOTE_ADDR": peer[0] if peer else "",
        "REMOTE_PORT": str(peer[1]) if peer else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in head.headers:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue  # the body is read whole: its length is what the application gets
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
            continue
        key = "HTTP_" + key
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _call(application, environ):
    """The application's status line, header fields and whole body (PEP 3333, one call)."""
    started = {}

    def start_response(status, headers, exc_info=None):
        if exc_info is not None and started.get("sent"):
            raise exc_info[1].with_traceback(exc_info[2])
        started["status"], started["headers"] = status, headers
        return written.append

    written = []
    result = application(environ, start_response)
    try:
        for piece in result:
            written.append(piece)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started["status"], started["headers"], b"".join(written)


def _answer(status, headers, body, keep, with_body=True):
    lines = [f"HTTP/1.1 {status}"]
    lines += [f"{name}: {value}" for name, value in headers
              if name.lower() not in ("content-length", "connection", "transfer-encoding")]
    lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: keep-alive" if keep else "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body if with_body else b"")


def _refusal(status, message):
    body = (message + "\n").encode("utf-8")
    return _answer(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "text/plain; charset=utf-8")], body, keep=False)


async def _refuse_and_close(reader, writer, refused):
    """Writes the refusal, then closes in stages (RFC 9112, section 9.6): the sending side first, then a short wait
    that reads and drops what the client is still sending, so its unread bytes do not reset the connection before
    the client has read why."""
    writer.write(_refusal(refused.status, str(refused)))
    await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()
    try:
        async with asyncio.timeout(LINGER_SECONDS):
            dropped = 0
            while dropped < MAX_BODY_BYTES and (piece := await reader.read(65536)):
                dropped += len(piece)
    except (TimeoutError, ConnectionError):
        pass


async def _serve_connection(application, reader, writer, idle_seconds):
    local = writer.get_extra_info("sockname") or ("127.0.0.1", 0)
    peer = writer.get_extra_info("peername")
    try:
        while True:
            try:
                async with asyncio.timeout(idle_seconds):
                    head = await _read_head(reader)
                    if head is None:
                        return
                    body = await _read_body(reader, writer, head)
            except TimeoutError:
                return  # idle, or too slow to send a request: closed, as the client's next request would find it
            except _Refused as refused:
                await _refuse_and_close(reader, writer, refused)
                return
            keep = head.keeps_connection
            try:
                status, headers, answer = _call(application, _environ(head, body, local, peer))
            except Exception:  # the application failed: the client gets a 500, the server keeps serving
                traceback.print_exc()
                writer.write(_refusal(500, "the server failed on this request (its log says why)"))
                await writer.drain()
                return
            writer.write(_answer(status, headers, answer, keep, with_body=head.method != "HEAD"))
            await writer.drain()
            if not keep:
                return
    except (ConnectionError, asyncio.CancelledError):
        return
    finally:
        writer.close()


def serve(application, host, port, ready=None, idle_seconds=IDLE_SECONDS):
    """Serves until the process is stopped; `ready(port)` is called once the socket listens."""

    async def run():
        server = await asyncio.start_server(
            lambda reader, writer: _serve_connection(application, reader, writer, idle_seconds), host, port, limit=MAX_HEAD_BYTES)
        if ready is not None:
            ready(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
