"""DynamoDB on loopback for the local stack: moto's DynamoDB, with its transactions made to behave as DynamoDB's.

Run as `python3 dynamodb_server.py -H 127.0.0.1 -p PORT` (the arguments of moto_server). It serves moto's own WSGI
application, as moto_server does, through loopback_http.py instead of werkzeug's development server. The server
changes how requests arrive; the patches below only take cost away, each answer and error staying moto's own. Each
speed patch is kept because a measurement showed it needed (docs/measured.md gives the figures); `--without NAME`
leaves one out, to measure it again. Each checks, before it is applied, that moto still has the signature and
behaviour it relies on, and the server refuses to start otherwise.

1. Isolation. DynamoDB applies a TransactWriteItems all at once or not at all, and a single-item write is never
   lost to another (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html,
   "Isolation levels for DynamoDB transactions": serializable). moto_server answers requests on threads and, when
   moto cancels a transaction, it puts back a copy of the whole table taken before it began, dropping what other
   requests wrote in between. Here one thread answers one request at a time (loopback_http.py), so each request
   sees and leaves a table no other request is halfway through. That server also keeps each client's connection
   open, where moto_server closes it after every answer.
2. backup. moto backs a transaction up by deep-copying every table it names, so a write costs time in proportion to
   the table (tens of milliseconds at a few thousand items). Here the backup is the touched items' own before-images,
   put back if the transaction fails, whatever the reason.
3. query. moto answers a Query by sorting every item of the table (and, on the table itself, comparing each one's
   partition key), then walking them from the first. Here a Query on the table starts from its partition's items,
   after the page's start key, and up to the item at which moto's walk stops (the one it meets holding `limit`
   matches); a Query on an index from the items, unsorted, that hold its partition's key value (moto checks those
   same conditions on each item it is given and sorts the matches by the index key itself), so the answer and its
   pages are the same.
4. responses. moto writes every response by walking the operation's output shape member by member, which costs more
   than the operation itself for an item read. The item operations' answers are already DynamoDB JSON (attribute
   values as {"S": ...}, binaries as bytes), so they are written with the json module, binaries in base64 as the
   wire format has them; errors and every other operation go through moto's writer as before.
5. update-parser. moto parses an update expression afresh for every request and lists its handler's methods per
   request; here each distinct expression is parsed once (moto's validator works on a copy of the parsed tree, never
   on it) and each handler class is listed once.
6. plain-updates. An UpdateItem whose expression only SETs string, number or boolean values and ADDs numbers to
   top-level attributes that are not keys (the counter shards' `SET jobId = :job ADD #to :one`) is applied directly
   instead of through moto's expression tree, which it parses, deep-copies and walks a dozen times per request. Every
   other update, and any that could fail (a condition, an ADD onto a non-number, a key attribute, a reserved word),
   is moto's as before.
7. sized-once. moto checks an item's size limit on every attribute it sets, summing the sizes of all the attributes
   set before it, so building an item of n attributes sizes n(n+1)/2 of them. Here an item is built with that check
   made once, by moto's own code, when its last attribute is set: sizes only add up, so the check fails then exactly
   when one of the earlier ones would have.
8. dispatch. A DynamoDB request (its X-Amz-Target names DynamoDB_20120810) goes straight to moto's DynamoHandler,
   called as moto's Flask view calls it, with the same request object, URL and headers, and its answer written as
   that view writes it; Flask's routing and request context around it are left out. Any other request, and one with
   a compressed body, goes through moto's application as before.
"""

import argparse
import base64
import bisect
import copy
import functools
import inspect
import json
import os
import re
import sys
import threading

import loopback_http

# The patches below reach into moto's private names and call order: they were read against these versions only, and a
# different moto may change what they rely on without failing loudly. requirements.txt pins the first of them.
CHECKED_MOTO_VERSIONS = ("5.2.1",)
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt   (at the repository root)"

try:
    import moto
except ImportError as missing:
    sys.exit(f"python3 cannot import moto ({missing}). Install the pinned Python tools: {INSTALL}")
if getattr(moto, "__version__", None) not in CHECKED_MOTO_VERSIONS:
    sys.exit(f"moto {getattr(moto, '__version__', '(unknown version)')} is installed, but this server was checked against moto "
             f"{', '.join(CHECKED_MOTO_VERSIONS)} only. Install the pinned Python tools: {INSTALL}")

try:
    import moto.dynamodb.models as dynamodb_models
    from moto.core.utils import get_service_model
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodb.models import DynamoDBBackend
    import moto.core.responses
    import moto.core.utils
    import moto.dynamodb.urls
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.exceptions import ItemSizeTooLarge, ItemSizeToUpdateTooLarge
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser
    from moto.dynamodb.parsing.reserved_keywords import ReservedKeywords
    from moto.dynamodb.models.table import Table
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from botocore.exceptions import ClientError
    from werkzeug.exceptions import HTTPException
    from werkzeug.wrappers import Request as WsgiRequest, Response as WsgiResponse
except ImportError as missing:
    sys.exit(f"python3 cannot import moto's server ({missing}). Install the pinned Python tools: {INSTALL}")

_in_transaction = threading.local()
_query_scope = threading.local()


class _CopyOutsideTransactions:
    """Stands in for the copy module inside moto's DynamoDB backend: inside a transaction, a table "copied" for a
    rollback is the table itself (the before-images below do that job); everything else is copied as before."""

    def __getattr__(self, name):
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value, memo=None):
        if isinstance(value, Table) and getattr(_in_transaction, "active", False):
            return value
        return copy.deepcopy(value, memo)


def _item_key(table, operation):
    """The touched item's (hash, range) as moto keys its items, or None when the operation names no usable key
    (moto then fails the transaction itself, before writing)."""
    attributes = operation.get("Key") or operation.get("Item")
    if not isinstance(attributes, dict) or table.hash_key_attr not in attributes:
        return None
    hash_key = DynamoType(attributes[table.hash_key_attr])
    if table.range_key_attr is None:
        return hash_key, None
    if table.range_key_attr not in attributes:
        return None
    return hash_key, DynamoType(attributes[table.range_key_attr])


def _before_images(backend, transact_items):
    images = []
    for entry in transact_items:
        operation = next(iter(entry.values()), None)
        if not isinstance(operation, dict):
            continue
        table = backend.tables.get(operation.get("TableName"))
        key = _item_key(table, operation) if table is not None else None
        if key is None:
            continue
        hash_key, range_key = key
        if range_key is None:
            current = table.items.get(hash_key)
        else:
            current = table.items.get(hash_key, {}).get(range_key)
        images.append((table, hash_key, range_key, copy.deepcopy(current)))
    return images


def _put_back(images):
    for table, hash_key, range_key, before in reversed(images):
        if range_key is None:
            if before is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = before
            continue
        bucket = table.items[hash_key]
        if before is None:
            bucket.pop(range_key, None)
            if not bucket:
                table.items.pop(hash_key, None)
        else:
            bucket[range_key] = before


def _backed_up_by_images(transact_write_items):
    def all_or_nothing(self, transact_items):
        images = _before_images(self, transact_items)
        _in_transaction.active = True
        try:
            return transact_write_items(self, transact_items)
        except BaseException:
            _put_back(images)
            raise
        finally:
            _in_transaction.active = False

    all_or_nothing.__name__ = transact_write_items.__name__
    return all_or_nothing


def _queried_items(all_items):
    """Table.all_items as Query sees it: the named partition's items for a Query on the table; for a Query on an
    index, unsorted, the items that hold the index partition's key value (moto checks those same conditions on every
    item it is given, and sorts the matches itself); everywhere else (Scan) the sorted whole as before."""

    def items_for_the_query(self):
        scope = getattr(_query_scope, "active", None)
        if scope is None or scope[0] is not self:
            return all_items(self)
        partition = scope[1]
        if partition is None:
            every = [item for bucket in self.items.values() for item in (bucket.values() if self.range_key_attr else [bucket])]
            for name, expected in scope[4]:
                every = [item for item in every if item.attrs.get(name) is not None and not item.attrs[name] != expected]
            return every
        bucket = self.items.get(partition)
        if bucket is None:
            return []
        if not self.range_key_attr:
            return [bucket]
        ordered = sorted(bucket.values(), key=_plain_value_of_range_key)
        after = _after_start_key(self, partition, ordered, scope[2], scope[3])
        return _first_page_and_one(after, scope[5]) if scope[3] else after

    items_for_the_query.__name__ = all_items.__name__
    return items_for_the_query


def _first_page_and_one(ordered, page):
    """The items (in key order, after the start key) that moto's walk of a table Query's page reaches, or every item
    when the page is unbounded: moto walks the items in order, keeps those the range condition matches, and stops at
    the first item it meets holding `limit` of them (to answer a LastEvaluatedKey), or earlier at 1 MB. Handed the
    items up to and including that one, its walk meets the same items in the same order and stops at the same place;
    the walk past the rest of the partition (up to every item of a job, for each page) is left out. The range test is
    moto's own, on the attribute moto tests."""
    if page is None:
        return ordered
    limit, comparison, values, attribute = page
    kept = 0
    for reached, item in enumerate(ordered):
        if kept == limit:
            return ordered[:reached + 1]
        if comparison:
            value = item.attrs.get(attribute) if attribute else None
            if not (value.compare(comparison, values) if value else item.range_key.compare(comparison, values)):
                continue
        kept += 1
    return ordered


def _after_start_key(table, partition, ordered, start_key, forward):
    """The partition's items (in range key order) that a page starting after ExclusiveStartKey can hold: moto walks
    past every item up to the start key, so leaving out those it would walk past changes nothing but the walk."""
    if not isinstance(start_key, dict) or table.hash_key_attr not in start_key or table.range_key_attr not in start_key:
        return ordered
    if DynamoType(start_key[table.hash_key_attr]) != partition:
        return ordered
    bound = _plain_value(DynamoType(start_key[table.range_key_attr]))
    if forward:
        return ordered[bisect.bisect_right(ordered, bound, key=_plain_value_of_range_key):]
    return ordered[:bisect.bisect_left(ordered, bound, key=_plain_value_of_range_key)]


def _plain_value(value):
    """What DynamoType orders by: its cast value, which for a string, binary or boolean is the value itself."""
    return value.value if value.type in _PLAIN_TYPES else value.cast_value


def _plain_value_of_range_key(item):
    return _plain_value(item.range_key)


def _scoped_query(query):
    def query_in_scope(self, hash_key, *args, **kwargs):
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        start_key = args[3] if len(args) > 3 else kwargs.get("exclusive_start_key")
        forward = args[4] if len(args) > 4 else kwargs.get("scan_index_forward", True)
        limit = args[2] if len(args) > 2 else kwargs.get("limit")
        comparison, values = (args[0] if args else kwargs.get("range_comparison")), (args[1] if len(args) > 1 else kwargs.get("range_objs"))
        range_conditions = kwargs.get("range_key_conditions")
        # A page to cut short only for a Query on the table with a whole-number limit and no legacy QueryFilter (whose
        # walk counts differently); see _first_page_and_one.
        page = (limit, comparison, values, range_conditions[-1][0] if range_conditions else None) \
            if not index_name and isinstance(limit, int) and limit > 0 and not _legacy_filters(kwargs) else None
        _query_scope.active = (self, None if index_name else hash_key, start_key, forward is not False,
                               list(kwargs.get("hash_key_conditions") or []) if index_name else [], page)
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            _query_scope.active = None

    query_in_scope.__name__ = query.__name__
    return query_in_scope


_QUERY_KEYWORDS = frozenset(("index_name", "consistent_read", "filter_expression", "hash_key_conditions", "range_key_conditions",
                             "exclusive_start_key", "scan_index_forward", "projection_expressions", "limit", "range_comparison", "range_objs"))


def _legacy_filters(kwargs):
    return any(name not in _QUERY_KEYWORDS for name in kwargs)


_PLAIN_TYPES = frozenset(("S", "B", "BOOL"))


# Operations whose answer is a plain dict of items, keys and counts (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html).
_ITEM_OPERATIONS = frozenset((
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
    "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
))


def _binary_as_base64(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not DynamoDB JSON")


# The members of those answers that hold only attribute values, keys and counts; an answer with any other member
# (ConsumedCapacity, ItemCollectionMetrics) is written by moto.
_ATTRIBUTE_DATA = frozenset((
    "Item", "Items", "Attributes", "Count", "ScannedCount", "LastEvaluatedKey", "Responses", "UnprocessedKeys", "UnprocessedItems",
))
_output_members = {}


def _written_with_json(serialized):
    def written_directly(self, action_result):
        result = action_result.result
        action = self._get_action()
        if not isinstance(result, dict) or action not in _ITEM_OPERATIONS:
            return serialized(self, action_result)
        members = _output_members.get(action)
        if members is None:
            shape = get_service_model(self.boto3_service_name).operation_model(action).output_shape
            members = _output_members[action] = frozenset(shape.members) if shape is not None else frozenset()
        answer = {}
        for name, value in result.items():
            if value is None or name not in members:
                continue  # moto's writer leaves out what the output shape does not have
            if name not in _ATTRIBUTE_DATA:
                return serialized(self, action_result)
            answer[name] = value
        try:
            body = json.dumps(answer, default=_binary_as_base64, separators=(",", ":"))
        except TypeError:
            return serialized(self, action_result)
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        headers.update(self.response_headers)
        return 200, headers, body

    written_directly.__name__ = serialized.__name__
    return written_directly


_NAME = r"(#[A-Za-z0-9_]+|[A-Za-z][A-Za-z0-9_]*)"
_PLACEHOLDER = r"(:[A-Za-z0-9_]+)"
_CLAUSES = re.compile(r"^\s*(SET|ADD)\s+([^()\[\].]+?)(?:\s+(SET|ADD)\s+([^()\[\].]+?))?\s*$", re.IGNORECASE)
_ACTIONS = {
    "SET": re.compile(rf"^\s*{_NAME}\s*=\s*{_PLACEHOLDER}\s*$"),
    "ADD": re.compile(rf"^\s*{_NAME}\s+{_PLACEHOLDER}\s*$"),
}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _plain_actions(table, expression, names, values):
    """The actions of an update expression made only of `SET name = :value` and `ADD name :number` on top-level,
    non-key attributes, each named once, with string, number or boolean values; None for any other expression, which
    moto's own parser and validator then take, errors included."""
    match = _CLAUSES.match(expression or "")
    if match is None or (match.group(3) is not None and match.group(1).upper() == match.group(3).upper()):
        return None
    keys = {table.hash_key_attr, table.range_key_attr}
    for index in table.all_indexes():
        keys.update(key["AttributeName"] for key in index.schema)
    reserved = ReservedKeywords.get_reserved_keywords()
    actions, targets = [], set()
    clauses = [(match.group(1), match.group(2)), (match.group(3), match.group(4))]
    for keyword, body in clauses:
        if keyword is None:
            continue
        for part in body.split(","):
            action = _ACTIONS[keyword.upper()].match(part)
            if action is None:
                return None
            name, placeholder = action.groups()
            if name.startswith("#"):
                if not names or name not in names:
                    return None
                name = names[name]
            elif name.upper() in reserved:
                return None
            value = (values or {}).get(placeholder)
            if not isinstance(value, dict) or len(value) != 1 or name in keys or name in targets:
                return None
            (kind, raw), = value.items()
            plain = (kind == "N" and isinstance(raw, str) and _NUMBER.match(raw) is not None) \
                or (keyword.upper() == "SET" and ((kind == "S" and isinstance(raw, str)) or (kind == "BOOL" and isinstance(raw, bool))))
            if not plain:
                return None
            targets.add(name)
            actions.append((keyword.upper(), name, DynamoType(value)))
    return actions


def _plain_updates(update_item):
    """UpdateItem (alone or in a transaction) for the plain expressions above, applied directly: the same attributes
    and numbers as moto's executor gives (ADD sums through the same DynamoType addition, from 0 when absent), without
    its parse, deep copy and validation passes over the expression tree. Anything else, a condition, AttributeUpdates,
    a stream, an ADD onto an attribute that is not a number, goes to moto's update_item unchanged."""

    def update_plainly_when_possible(self, table_name, key, update_expression, expression_attribute_names,
                                     expression_attribute_values, attribute_updates=None, expected=None,
                                     condition_expression=None, return_values_on_condition_check_failure=None):
        def by_moto():
            return update_item(self, table_name, key, update_expression, expression_attribute_names,
                               expression_attribute_values, attribute_updates, expected, condition_expression,
                               return_values_on_condition_check_failure)

        table = self.tables.get(table_name)
        if table is None or attribute_updates or expected or condition_expression is not None or table.stream_shard is not None:
            return by_moto()
        wanted = {table.hash_key_attr} | ({table.range_key_attr} if table.range_key_attr else set())
        if not isinstance(key, dict) or set(key) != wanted:
            return by_moto()
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        if hash_value.type != table.hash_key_type or (range_value is not None and range_value.type != table.range_key_type):
            return by_moto()
        actions = _plain_actions(table, update_expression, expression_attribute_names, expression_attribute_values)
        if actions is None:
            return by_moto()
        item = table.get_item(hash_value, range_value)
        if item is not None and any(kind == "ADD" and name in item.attrs and item.attrs[name].type != "N" for kind, name, _ in actions):
            return by_moto()
        if item is None:
            created = {table.hash_key_attr: key[table.hash_key_attr]}
            if range_value is not None:
                created[table.range_key_attr] = key[table.range_key_attr]
            table.put_item(created)
            item = table.get_item(hash_value, range_value)
        try:
            for kind, name, value in actions:
                if kind == "ADD":
                    value = item.attrs.get(name, DynamoType({"N": "0"})) + value
                item.attrs[name] = value
        except ItemSizeTooLarge:
            raise ItemSizeToUpdateTooLarge()
        return item

    update_plainly_when_possible.__name__ = update_item.__name__
    return update_plainly_when_possible


def _item_sized_once(self, hash_key, range_key, attrs):
    """Item.__init__ with one size check: every attribute but the last is set without it, the last through moto's
    LimitedSizeDict, whose check sums the whole item."""
    self.hash_key = hash_key
    self.range_key = range_key
    self.attrs = LimitedSizeDict()
    entries = [(name, DynamoType(value)) for name, value in attrs.items()]
    for name, value in entries[:-1]:
        dict.__setitem__(self.attrs, name, value)
    if entries:
        self.attrs[entries[-1][0]] = entries[-1][1]


_DYNAMODB_TARGET = "DynamoDB_20120810."
_application_layers = []  # wrappers around moto's WSGI application, added by the patches


def _straight_to_dynamodb(application):
    """moto's WSGI application, with DynamoDB's requests handed to DynamoHandler.dispatch as moto's view
    (moto.core.utils.convert_to_flask_response) hands them: request, its URL, its headers as a dict."""

    def dispatching(environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith(_DYNAMODB_TARGET) or environ.get("HTTP_CONTENT_ENCODING"):
            return application(environ, start_response)
        request = WsgiRequest(environ)
        try:
            status, headers, body = DynamoHandler.dispatch(request, request.url, dict(request.headers))
        except ClientError as error:
            status, headers, body = 400, {}, error.response["Error"]["Message"]
        except HTTPException as error:  # what Flask answers for a werkzeug HTTP error raised in a view
            return error(environ, start_response)
        return WsgiResponse(response=body, status=status, headers=headers)(environ, start_response)

    return dispatching


# --- What each patch relies on, checked before it is applied -------------------------------------------------------

def _parameters(function):
    return list(inspect.signature(function).parameters)


def _source_of(function):
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _check_backup():
    # moto backs a transaction up with copy.deepcopy of each table, through the copy module its backend imported.
    return _parameters(_ORIGINAL["transact_write_items"]) == ["self", "transact_items"] \
        and dynamodb_models.copy is copy and "copy.deepcopy(" in _source_of(_ORIGINAL["transact_write_items"])


def _check_update_parser():
    return _parameters(UpdateExpressionParser.make) == ["expression_str"] \
        and _parameters(moto.core.responses.method_names_from_class) == ["clazz"]


def _check_plain_updates():
    return _parameters(_ORIGINAL["update_item"]) == ["self", "table_name", "key", "update_expression", "expression_attribute_names",
                                                     "expression_attribute_values", "attribute_updates", "expected",
                                                     "condition_expression", "return_values_on_condition_check_failure"] \
        and all(f"self.{name}" in _source_of(Table.__init__) for name in ("stream_shard", "hash_key_type", "range_key_type"))


def _check_query():
    # _scoped_query reads these arguments by position; moto's query takes its candidates from all_items and checks
    # each against the key conditions itself.
    return _parameters(Table.query)[:9] == ["self", "hash_key", "range_comparison", "range_objs", "limit", "exclusive_start_key",
                                           "scan_index_forward", "projection_expressions", "index_name"] \
        and "hash_key_conditions" in _parameters(Table.query) and _parameters(Table.all_items) == ["self"] \
        and all(step in _source_of(Table.query) for step in ("self.all_items()", "len(results) == limit", "range_key.compare(range_comparison"))


def _check_responses():
    return _parameters(DynamoHandler.serialized) == ["self", "action_result"] and hasattr(DynamoHandler, "_get_action") \
        and "response_headers" in _source_of(moto.core.responses.BaseResponse.setup_class)


def _check_sized_once():
    # moto's Item sets each attribute through LimitedSizeDict.__setitem__, whose check sums every attribute set so far.
    return _parameters(Item.__init__) == ["self", "hash_key", "range_key", "attrs"] \
        and all(step in _source_of(Item.__init__) for step in ("self.attrs = LimitedSizeDict()", "self.attrs[key] = DynamoType(value)")) \
        and "for item in (list(self.keys()) + list(self.values()))" in _source_of(LimitedSizeDict.__setitem__)


def _check_dispatch():
    # moto's view calls the handler with (request, request.url, dict(request.headers)) and makes a Response of its
    # (status, headers, body); DynamoDB's handler is found by this URL rule.
    view = _source_of(moto.core.utils.convert_to_flask_response.__call__)
    return "self.callback(request, request.url, dict(request.headers))" in view \
        and "Response(response=content, status=status, headers=headers)" in view \
        and moto.dynamodb.urls.url_paths == {"{0}/": DynamoHandler.dispatch}


# --- The patches ----------------------------------------------------------------------------------------------------

_ORIGINAL = {
    "transact_write_items": DynamoDBBackend.transact_write_items,
    "update_item": DynamoDBBackend.update_item,
}


def _apply_backup():
    dynamodb_models.copy = _CopyOutsideTransactions()
    DynamoDBBackend.transact_write_items = _backed_up_by_images(DynamoDBBackend.transact_write_items)


def _apply_update_parser():
    # A failed parse raises and is not remembered, so every request for that expression gets moto's own error.
    UpdateExpressionParser.make = staticmethod(functools.lru_cache(maxsize=4096)(UpdateExpressionParser.make))
    moto.core.responses.method_names_from_class = functools.cache(moto.core.responses.method_names_from_class)


def _apply_plain_updates():
    DynamoDBBackend.update_item = _plain_updates(DynamoDBBackend.update_item)


def _apply_query():
    Table.all_items = _queried_items(Table.all_items)
    Table.query = _scoped_query(Table.query)


def _apply_sized_once():
    Item.__init__ = _item_sized_once


def _apply_dispatch():
    _application_layers.append(_straight_to_dynamodb)


def _apply_responses():
    DynamoHandler.serialized = _written_with_json(DynamoHandler.serialized)


# name: (what it avoids, check, apply), in the order they are applied.
SPEED_PATCHES = {
    "backup": ("a deep copy of every table a transaction names", _check_backup, _apply_backup),
    "plain-updates": ("moto's expression tree for SET/ADD counter updates", _check_plain_updates, _apply_plain_updates),
    "update-parser": ("parsing the same update expression per request", _check_update_parser, _apply_update_parser),
    "query": ("reading, sorting and walking the whole table for a Query page", _check_query, _apply_query),
    "responses": ("moto's shape-by-shape response writer for item answers", _check_responses, _apply_responses),
    "sized-once": ("summing an item's size again for each attribute it is built with", _check_sized_once, _apply_sized_once),
    "dispatch": ("Flask's routing and request context around DynamoDB's handler", _check_dispatch, _apply_dispatch),
}


def _patch(without=()):
    unknown = [name for name in without if name not in SPEED_PATCHES]
    if unknown:
        sys.exit(f"--without names no patch: {', '.join(unknown)} (patches: {', '.join(SPEED_PATCHES)})")
    for name, (_, check, apply) in SPEED_PATCHES.items():
        if name in without:
            continue
        if not check():
            sys.exit(f"moto {moto.__version__} does not behave as the '{name}' patch relies on. Install the pinned Python tools: {INSTALL}")
        apply()


def _options(arguments):
    """-H HOST and -p PORT (as moto_server takes them), --without NAME (repeatable, or comma-separated) to leave a
    speed patch out and measure what it saves, and --idle-timeout SECONDS for kept connections."""
    parser = argparse.ArgumentParser(prog="dynamodb_server.py", description="DynamoDB (moto) on loopback for the local stack.")
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    parser.add_argument("--without", action="append", default=[], metavar="NAME", help=f"one of: {', '.join(SPEED_PATCHES)}")
    parser.add_argument("--idle-timeout", type=float, default=loopback_http.IDLE_SECONDS, metavar="SECONDS",
                        help="how long a kept connection may wait for its next request before it is closed")
    options = parser.parse_args(arguments)
    if options.idle_timeout <= 0:
        parser.error("--idle-timeout must be a positive number of seconds")
    return [name for value in options.without for name in value.split(",") if name], options.host, options.port, options.idle_timeout


if __name__ == "__main__":
    skipped, host, port, idle_seconds = _options(sys.argv[1:])
    _patch(skipped)
    os.environ.setdefault("MOTO_PORT", str(port))  # as moto_server sets it: the port moto writes into URLs it makes
    # moto's own WSGI application, as moto_server builds it; only the HTTP server in front of it is ours.
    application = DomainDispatcherApplication(create_backend_app)
    for layer in _application_layers:
        application = layer(application)
    loopback_http.serve(application, host, port,
                        ready=lambda bound: print(f"DynamoDB (moto {moto.__version__}) on http://{host}:{bound}", flush=True),
                        idle_seconds=idle_seconds)
