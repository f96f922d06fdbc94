#!/usr/bin/env python3
"""A real OData V4 service for the end-to-end tests: odatapy 5.3.0 serving a CSDL document.

    python3 server.py SCHEMA.xml [--page-size N] [--verbose] [--ignore-stdin]

Binds 127.0.0.1 on an ephemeral port and prints one line, ``READY http://127.0.0.1:PORT/``,
once it accepts requests. It stops cleanly on SIGTERM/SIGINT and when its standard input
reaches end of file, so a test harness that holds the other end of a pipe takes the server
down with it even when the test process dies (``--ignore-stdin`` turns that off for manual
runs with stdin at /dev/null).

Every process starts from the same seed data (see ``seed``): tests start one server each.

What this adds to odatapy's in-memory service (see shared/design/E2E-SERVER.md):

- containment (``users('x')/calendars('c')/events``): contained entities are reached
  through their parent instead of an entity set;
- one directory: an entity written to ``directoryObjects`` also lands in the set of its
  derived type (``users``, ``groups``) and the other way round; ``me`` shares its
  relations with its entry in ``users``;
- bound actions ``assignLicense`` and ``checkMemberGroups``, and the bound function
  ``reminderView(StartDateTime, EndDateTime)``;
- ``DELETE users('a')/memberOf('g')/$ref`` (odatapy takes only ``memberOf/$ref?$id=...``),
  and a right media read link for the single contained photo (``users('a')/photo/$value``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from odatapy.data import ComplexValue, Entity, Property, ValueType
from odatapy.edm.json_value import format_key_literal
from odatapy.edm.names import FullQualifiedName
from odatapy.edm.xml_io import XmlEdmProvider
from odatapy.errors import ODataApplicationException
from odatapy.http.status import HttpStatusCode
from odatapy.server.adapters.wsgi import ODataWSGIApp
from odatapy.server.deserializer.json_deserializer import ODataJsonDeserializer
from odatapy.server.inmemory import InMemoryDataStore, InMemoryProcessor
from odatapy.server.odata import OData
from odatapy.server.processor import ActionProcessor
from odatapy.server.serializer.json_serializer import (
    EntitySerializerOptions,
    PrimitiveSerializerOptions,
)
from odatapy.server.uri.resource import (
    UriResourceAction,
    UriResourceCount,
    UriResourceNavigation,
    UriResourceRef,
    UriResourceValue,
)

NS = "microsoft.graph"

# Entity sets holding a type derived from directoryObject, by type: an entity in one of them
# is also in directoryObjects (and the other way round), as in the real directory.
DIRECTORY_SETS = {
    f"{NS}.user": "users",
    f"{NS}.group": "groups",
    f"{NS}.orgContact": "contacts",
    f"{NS}.device": "devices",
    f"{NS}.directoryRole": "directoryRoles",
    f"{NS}.servicePrincipal": "servicePrincipals",
    f"{NS}.application": "applications",
}
DIRECTORY = "directoryObjects"

# Singletons that are an entry of an entity set: they share its relations.
SINGLETON_SETS = {"me": "users"}

# Path segments that do not change which resource is addressed.
SKIPPED_PARTS = (UriResourceCount, UriResourceValue, UriResourceRef)


# --------------------------------------------------------------------------------------
# storage
# --------------------------------------------------------------------------------------
class DirectoryStore(InMemoryDataStore):
    """The in-memory store, with directoryObjects mirrored into the derived sets."""

    def _mirrors(self, entity_set: str, entity: Entity) -> list[str]:
        if entity_set == DIRECTORY:
            derived = DIRECTORY_SETS.get((entity.type or "").lstrip("#"))
            return [derived] if derived else []
        if entity_set in DIRECTORY_SETS.values():
            return [DIRECTORY]
        return []

    def insert_entity(self, entity_set: str, entity: Entity, index: int | None = None) -> None:
        with self.lock:
            super().insert_entity(entity_set, entity, index)
            for other in self._mirrors(entity_set, entity):
                if not self.contains_entity(other, entity):
                    super().insert_entity(other, entity)

    def remove_entity(self, entity_set: str, entity: Entity) -> bool:
        with self.lock:
            removed = super().remove_entity(entity_set, entity)
            for other in self._mirrors(entity_set, entity):
                super().remove_entity(other, entity)
            return removed

    # Relations are keyed by (set, key, navigation); a singleton uses its set's entries.
    def relation(self, entity_set, key, nav):
        return super().relation(SINGLETON_SETS.get(entity_set, entity_set), key, nav)

    def set_relation(self, entity_set, key, nav, targets):
        super().set_relation(SINGLETON_SETS.get(entity_set, entity_set), key, nav, targets)

    def add_relation(self, entity_set, key, nav, target):
        super().add_relation(SINGLETON_SETS.get(entity_set, entity_set), key, nav, target)

    def remove_relation(self, entity_set, key, nav, target=None):
        super().remove_relation(SINGLETON_SETS.get(entity_set, entity_set), key, nav, target)


class ContainedSet:
    """Stands in for an entity set for the entities contained in one parent's navigation.

    Its name is the canonical path of the collection (``users('a')/calendars``), which makes
    the ids odatapy derives from it (``users('a')/calendars('c')``) right, and keys the
    relations of the contained entities apart per parent.
    """

    def __init__(self, name: str, entity_type: Any) -> None:
        self.name = name
        self.entity_type = entity_type

    def get_binding_target(self, nav_name: str) -> None:
        return None


# --------------------------------------------------------------------------------------
# processor
# --------------------------------------------------------------------------------------
class DirectoryProcessor(InMemoryProcessor, ActionProcessor):
    """odatapy's in-memory processor plus containment and the schema's operations."""

    # --- containment -----------------------------------------------------------------
    def _step_navigation(self, request, target, part, *, for_write: bool) -> None:
        nav = part.navigation_property
        if not nav.contains_target:
            super()._step_navigation(request, target, part, for_write=for_write)
            return
        owner = target.entity
        if owner is None:
            raise ODataApplicationException(
                "A navigation property must follow a single entity.", HttpStatusCode.BAD_REQUEST
            )
        owner_set = target.entity_set or self._singleton_set(target)
        owner_key = self._key_of(owner_set, owner)
        contained, children = self._contained(owner_set, owner, nav)
        if not nav.is_collection and children:
            # odatapy would name it like a collection member (photo('id')), which makes its
            # media read link wrong: a single contained entity is addressed by the path.
            children[0].id = f"{self._base(request)}/{contained.name}"

        target.owner = owner
        target.owner_set_name = owner_set.name
        target.owner_key = owner_key
        target.nav = nav
        target.singleton = None
        target.top_level = False
        target.entity_set = contained
        target.entity_type = nav.type
        target.context_path = contained.name
        target.property_parts = []
        if part.key_predicates:
            wanted = self._keys_of(nav.type, part)
            target.entity = next(
                (c for c in children if all(c.get_value(k) == v for k, v in wanted.items())),
                None,
            )
            if target.entity is None:
                raise ODataApplicationException(
                    "Entity not found.", HttpStatusCode.NOT_FOUND, code="404"
                )
            target.entities, target.is_collection = None, False
        elif nav.is_collection:
            target.entity, target.entities, target.is_collection = None, children, True
        else:
            target.entity = children[0] if children else None
            target.entities, target.is_collection = None, False
            if target.entity is None and not for_write:
                raise ODataApplicationException(
                    f"The navigation property '{nav.name}' has no target.",
                    HttpStatusCode.NOT_FOUND,
                    code="404",
                )
        self._apply_type_filter(target, getattr(part, "type_filter", None))

    def _contained(self, owner_set, owner: Entity, nav) -> tuple[ContainedSet, list[Entity]]:
        """The stand-in set of a parent's contained navigation, and the entities in it."""
        children = self._related(owner_set, self._key_of(owner_set, owner), owner, nav)
        contained = ContainedSet(self._contained_path(owner_set, owner, nav.name), nav.type)
        # odatapy checks duplicates and writes through the set's list: keep it in step.
        self.store.set_entities(contained.name, children)
        return contained, children

    def _contained_path(self, owner_set, owner: Entity, nav_name: str) -> str:
        """``users('a')/calendars``; a singleton owner is named by its entry in its set."""
        root = SINGLETON_SETS.get(owner_set.name, owner_set.name)
        entity_type = owner_set.entity_type
        names = entity_type.key_predicate_names
        literals = []
        for name in names:
            prop = entity_type.get_structural_property(name)
            literal = format_key_literal(owner.get_value(name), prop.type_fqn if prop else None)
            literals.append(f"{name}={literal}" if len(names) > 1 else literal)
        return f"{root}({','.join(literals)})/{nav_name}"

    # --- bound actions ---------------------------------------------------------------
    def process_action(self, request, response, uri_info, request_ct, response_ct) -> None:
        with self.lock:
            parts = [p for p in uri_info.resource_parts if not isinstance(p, SKIPPED_PARTS)]
            action_part = parts[-1]
            assert isinstance(action_part, UriResourceAction)
            action = action_part.action
            if action is None or len(parts) < 2:
                raise ODataApplicationException(
                    f"The action '{action_part.name}' has no implementation.",
                    HttpStatusCode.NOT_IMPLEMENTED,
                )
            owner = self._walk(request, parts[:-1], for_write=True)
            bound = self._require_entity(owner)
            params = self.odata.create_deserializer(request_ct).action_parameters(
                self.service_metadata.edm, action, request.body or b"{}"
            )
            name = action.full_qualified_name.fqn
            if name == f"{NS}.assignLicense":
                self._assign_license(request, response, bound, params, response_ct)
            elif name == f"{NS}.checkMemberGroups":
                self._check_member_groups(request, response, owner, params, response_ct)
            else:
                raise ODataApplicationException(
                    f"The action '{name}' has no implementation.", HttpStatusCode.NOT_IMPLEMENTED
                )

    def _assign_license(self, request, response, user: Entity, params, ct) -> None:
        """Drops the licenses whose skuId is in removeLicenses, then adds addLicenses."""
        remove = {str(g) for g in _values(params.get("removeLicenses"))}
        adding = _values(params.get("addLicenses"))
        added = {str(lic.as_dict().get("skuId")) for lic in adding}
        current = [
            lic
            for lic in _values(user.get_property("assignedLicenses"))
            if str(lic.as_dict().get("skuId")) not in remove | added
        ]
        user.set_property(
            "assignedLicenses",
            current + list(adding),
            ValueType.COLLECTION_COMPLEX,
            f"Collection({NS}.assignedLicense)",
        )
        user_type = self.service_metadata.edm.get_entity_type(FullQualifiedName.parse(f"{NS}.user"))
        body = self._serializer(ct, request).entity(
            self.service_metadata.edm,
            user_type,
            user,
            EntitySerializerOptions(
                context_url=self._context(request, "users/$entity"),
                service_version=self._version(request),
            ),
        )
        self._write(request, response, body, ct)

    def _check_member_groups(self, request, response, owner, params, ct) -> None:
        """The given group ids the object is a direct member of (input order kept)."""
        obj = owner.entity
        owner_set = owner.entity_set or self._singleton_set(owner)
        if owner_set.name == DIRECTORY:  # its links are kept under its own type's set
            owner_set = self.service_metadata.edm.get_entity_set(
                DIRECTORY_SETS.get((obj.type or "").lstrip("#"), DIRECTORY)
            )
        nav = owner_set.entity_type.get_navigation_property("memberOf")
        member_of = (
            self._related(owner_set, self._key_of(owner_set, obj), obj, nav) if nav else []
        )
        ids = {g.get_value("id") for g in member_of}
        found = [g for g in _values(params.get("groupIds")) if g in ids]
        body = self._serializer(ct, request).primitive_collection(
            found,
            PrimitiveSerializerOptions(
                context_url=self._context(request, "Collection(Edm.String)"),
                type_fqn="Edm.String",
                collection=True,
            ),
            self.service_metadata.edm,
        )
        self._write(request, response, body, ct)

    # --- $ref ------------------------------------------------------------------------
    def delete_reference(self, request, response, uri_info) -> None:
        """Also accepts the 4.01 form ``users('a')/memberOf('g')/$ref`` (odatapy: ``$id`` only)."""
        parts = [p for p in uri_info.resource_parts if not isinstance(p, SKIPPED_PARTS)]
        last = parts[-1] if parts else None
        if not (
            isinstance(last, UriResourceNavigation)
            and last.key_predicates
            and last.navigation_property.is_collection
            and not uri_info.id
        ):
            super().delete_reference(request, response, uri_info)
            return
        with self.lock:
            target = self._walk(request, parts, for_write=True)
            member = self._require_entity(target)
            key = target.owner_key
            self.store.remove_relation(target.owner_set_name, key, target.nav.name, member)
            remaining = self.store.relation(target.owner_set_name, key, target.nav.name)
            self._sync_link(target.owner, target.nav, remaining)
            response.set_status(HttpStatusCode.NO_CONTENT)

    # --- bound function --------------------------------------------------------------
    def reminder_view(self, target, part) -> list[ComplexValue]:
        """Reminders of the user's events that start in [StartDateTime, EndDateTime)."""
        user = self._require_entity(target)
        start = _parse_instant(part.typed_parameters.get("StartDateTime"), "StartDateTime")
        end_raw = part.typed_parameters.get("EndDateTime")
        end = _parse_instant(end_raw, "EndDateTime") if end_raw is not None else None
        user_set = target.entity_set or self._singleton_set(target)
        calendars_nav = user_set.entity_type.get_navigation_property("calendars")
        calendar_set, calendars = self._contained(user_set, user, calendars_nav)
        events_nav = calendar_set.entity_type.get_navigation_property("events")
        reminders = []
        for calendar in calendars:
            for event in self._contained(calendar_set, calendar, events_nav)[1]:
                reminder = self._reminder(event, start, end)
                if reminder is not None:
                    reminders.append(reminder)
        reminders.sort(key=lambda r: r.get_property("eventStartTime").value.as_dict()["dateTime"])
        return reminders

    def _reminder(self, event: Entity, start, end) -> ComplexValue | None:
        when = event.get_value("start")
        if when is None or not event.get_value("isReminderOn", True):
            return None
        begins = _parse_instant(when.as_dict()["dateTime"], "start")
        if begins < start or (end is not None and begins >= end):
            return None
        minutes = event.get_value("reminderMinutesBeforeStart") or 15
        fire = begins - dt.timedelta(minutes=minutes)
        return ComplexValue(
            type_name=f"{NS}.reminder",
            properties=[
                Property("eventId", event.get_value("id"), type="Edm.String"),
                Property("eventSubject", event.get_value("subject"), type="Edm.String"),
                _complex_prop("eventStartTime", when),
                _complex_prop("eventEndTime", event.get_value("end")),
                _complex_prop("reminderFireTime", _date_time_zone(fire)),
            ],
        )


def _values(prop: Property | list | None) -> list:
    if prop is None:
        return []
    value = prop.value if isinstance(prop, Property) else prop
    return list(value or [])


def _parse_instant(text: Any, name: str) -> dt.datetime:
    """An ISO 8601 instant; naive values are taken as UTC (Graph's dateTimeTimeZone)."""
    try:
        value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise ODataApplicationException(
            f"'{name}' is not an ISO 8601 date and time: {text!r}.",
            HttpStatusCode.BAD_REQUEST,
            code="badRequest",
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _date_time_zone(value: dt.datetime) -> ComplexValue:
    return ComplexValue(
        type_name=f"{NS}.dateTimeTimeZone",
        properties=[
            Property("dateTime", value.strftime("%Y-%m-%dT%H:%M:%S"), type="Edm.String"),
            Property("timeZone", "UTC", type="Edm.String"),
        ],
    )


def _complex_prop(name: str, value: ComplexValue | None) -> Property:
    return Property(name, value, ValueType.COMPLEX, f"{NS}.dateTimeTimeZone")


# --------------------------------------------------------------------------------------
# seed data
# --------------------------------------------------------------------------------------
# A PNG signature and a few bytes: what matters is that the bytes come back unchanged.
PHOTO = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDRe2e-photo\x00\xff"

E5_SKU = "6fd2c87f-b296-42f0-b197-1e91e994b900"


def _user(uid: str, display: str, given: str, surname: str, **extra: Any) -> dict[str, Any]:
    mail = f"{uid.replace(chr(39), '')}@contoso.example"
    return {
        "id": uid,
        "displayName": display,
        "givenName": given,
        "surname": surname,
        "mail": mail,
        "userPrincipalName": mail,
        "accountEnabled": True,
        "businessPhones": [],
        "assignedLicenses": [],
        **extra,
    }


def _event(eid: str, subject: str, start: str, end: str, minutes: int) -> dict[str, Any]:
    return {
        "id": eid,
        "subject": subject,
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": end, "timeZone": "UTC"},
        "isReminderOn": True,
        "reminderMinutesBeforeStart": minutes,
        "importance": "normal",
        "showAs": "busy",
        "cancelledOccurrences": [],
    }


USERS = [
    _user(
        "alice", "Alice Adams", "Alice", "Adams",
        jobTitle="Engineer", department="R&D", city="Seattle",
        businessPhones=["+1 206 555 0100"],
        assignedLicenses=[{"skuId": E5_SKU, "disabledPlans": []}],
        calendars=[
            {
                "id": "work",
                "name": "Work",
                "color": "lightBlue",
                "isDefaultCalendar": True,
                "events": [
                    _event("standup", "Stand-up", "2024-05-06T09:00:00", "2024-05-06T09:15:00", 5),
                    _event("review", "Design review", "2024-05-07T14:00:00",
                           "2024-05-07T15:00:00", 30),
                ],
            },
            {"id": "home", "name": "Home", "color": "lightGreen", "events": []},
        ],
        photo={"id": "default", "height": 48, "width": 48},
    ),
    _user("bob", "Bob Brown", "Bob", "Brown", jobTitle="Engineering Manager"),
    _user("carol", "Carol Clark", "Carol", "Clark", jobTitle="Director"),
    _user("o'neil", "Pat O'Neil", "Pat", "O'Neil", jobTitle="Engineer", department="R&D"),
    _user("dave", "Dave Davis", "Dave", "Davis", accountEnabled=False),
]

GROUPS = [
    {"id": "g-eng", "displayName": "Engineering", "groupTypes": [], "securityEnabled": True,
     "mailEnabled": False, "proxyAddresses": []},
    {"id": "g-all", "displayName": "Everyone", "groupTypes": ["Unified"], "securityEnabled": False,
     "mailEnabled": True, "proxyAddresses": []},
    {"id": "g-ops", "displayName": "Operations", "groupTypes": [], "securityEnabled": True,
     "mailEnabled": False, "proxyAddresses": []},
]

MANAGERS = {"alice": "bob", "o'neil": "bob", "bob": "carol"}
MEMBER_OF = {"alice": ["g-eng", "g-all"], "bob": ["g-all"], "o'neil": ["g-eng"]}
ME = "alice"


def seed(edm: Any, store: DirectoryStore) -> None:
    """Loads the seed data through odatapy's own (strict) JSON deserializer."""
    reader = ODataJsonDeserializer(strict=True)

    def entity_type(name: str):
        return edm.get_entity_type(FullQualifiedName.parse(f"{NS}.{name}"))

    users = {u["id"]: reader.entity(edm, entity_type("user"), json.dumps(u)) for u in USERS}
    groups = {g["id"]: reader.entity(edm, entity_type("group"), json.dumps(g)) for g in GROUPS}
    # Each also lands in directoryObjects (DirectoryStore), as the same object.
    for entity in users.values():
        store.insert_entity("users", entity)
    for entity in groups.values():
        store.insert_entity("groups", entity)
    store.set_entities("me", [users[ME]])

    # The photo came in inline (a deep insert); its bytes are set here.
    photo = users[ME].get_navigation_link("photo").inline_entity
    photo.media_content = PHOTO
    photo.media_content_type = "image/png"

    for uid, manager in MANAGERS.items():
        store.set_relation("users", repr(uid), "manager", [users[manager]])
    for uid, gids in MEMBER_OF.items():
        for gid in gids:
            store.add_relation("users", repr(uid), "memberOf", groups[gid])
            store.add_relation("groups", repr(gid), "members", users[uid])


# --------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------
class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a request in flight does not hold up the exit


class QuietHandler(WSGIRequestHandler):
    verbose = False

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.verbose:
            super().log_message(format, *args)


def build_app(schema: str, page_size: int):
    odata = OData.new_instance(strict_deserialization=True)
    metadata = odata.create_service_metadata(XmlEdmProvider.from_file(schema))
    handler = odata.create_handler(metadata)
    store = DirectoryStore()
    processor = DirectoryProcessor(store, page_size=page_size)
    handler.register(processor)
    processor.register_function(f"{NS}.reminderView", processor.reminder_view)
    seed(metadata.edm, store)
    return ODataWSGIApp(handler)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema", help="the CSDL (XML) document to serve")
    parser.add_argument("--page-size", type=int, default=2, help="server-driven page size")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    parser.add_argument(
        "--ignore-stdin", action="store_true", help="do not stop at end of standard input"
    )
    args = parser.parse_args()

    QuietHandler.verbose = args.verbose
    running: list[WSGIServer] = []  # the server, once it is built

    def stop(*_: Any) -> None:
        if not running:  # still loading the schema: nothing to shut down
            os._exit(0)
        # shutdown() waits for serve_forever() to return: never call it on that thread.
        threading.Thread(target=running[0].shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not args.ignore_stdin:
        def watch_stdin() -> None:
            # os.read, not sys.stdin: a thread blocked in a buffered read makes the
            # interpreter abort at exit.
            while os.read(sys.stdin.fileno(), 4096):
                pass
            stop()

        threading.Thread(target=watch_stdin, daemon=True).start()

    server = make_server(
        "127.0.0.1", 0, build_app(args.schema, args.page_size),
        server_class=ThreadingServer, handler_class=QuietHandler,
    )
    running.append(server)
    try:
        try:
            print(f"READY http://127.0.0.1:{server.server_address[1]}/", flush=True)
        except BrokenPipeError:  # whoever started us is gone already
            return 0
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
