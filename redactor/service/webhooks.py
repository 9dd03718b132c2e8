"""Webhooks: signing secrets, Standard Webhooks signatures, the receivers' ``verify_webhook`` and URL checks.

Standard Webhooks style (https://www.standardwebhooks.com): each delivery carries ``webhook-id``
(the same for every retry of one message, so receivers can drop duplicates), ``webhook-timestamp``
(Unix seconds of this attempt) and ``webhook-signature``: ``v1,`` then the base64 HMAC-SHA256 of
``{id}.{timestamp}.{body}``, keyed with the bytes of the secret after its ``whsec_`` prefix. The body
is signed as raw bytes (a multipart body holds a binary file). Standard library only, so a receiver
can copy this module or import it without the service's dependencies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from redactor.errors import InvalidOptionError, WebhookVerificationError

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE = 300.0  # seconds: receivers refuse deliveries older (or newer) than this
MAX_URL_LENGTH = 2000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(raw, validate=True)
    except ValueError as e:
        raise WebhookVerificationError("The signing secret is not a whsec_ base64 secret.") from e


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: ``v1,<base64 HMAC-SHA256 of id.timestamp.body>``."""
    signed = msg_id.encode("utf-8") + b"." + str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signature_headers(secret: str, msg_id: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """The three headers of one delivery attempt, timestamped now unless told otherwise."""
    at = int(time.time()) if timestamp is None else timestamp
    return {"webhook-id": msg_id, "webhook-timestamp": str(at), "webhook-signature": sign(secret, msg_id, at, body)}


def verify_webhook(
    body: bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> str:
    """Check a delivery as a receiver: signature by ``secret``, timestamp within ``tolerance`` seconds.

    ``body`` is the raw request body, exactly as received (before any form parsing); ``headers`` any
    mapping, case-insensitive or not. Returns the ``webhook-id`` (record it to drop redeliveries);
    raises WebhookVerificationError when the delivery must be refused.
    """
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    msg_id = lowered.get("webhook-id")
    stamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not msg_id or not stamp or not signatures:
        raise WebhookVerificationError("Missing webhook-id, webhook-timestamp or webhook-signature header.")
    try:
        timestamp = int(stamp)
    except ValueError as e:
        raise WebhookVerificationError("webhook-timestamp is not Unix seconds.") from e
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError(f"webhook-timestamp is more than {tolerance:g} s away: a replay or a bad clock.")
    expected = sign(secret, msg_id, timestamp, body).encode("ascii")
    for candidate in signatures.split():
        if hmac.compare_digest(candidate.encode("ascii", "replace"), expected):
            return msg_id
    raise WebhookVerificationError()


# ---- webhook URLs ----


def parse_networks(networks: Iterable[str]) -> tuple[Network, ...]:
    """The operator's allowed private networks; a bad CIDR is a configuration error of the caller's choosing."""
    return tuple(ipaddress.ip_network(n, strict=False) for n in networks)


def _is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


Resolver = Callable[[str, int], Iterable[Address]]


def resolve_host(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos: list[Any] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def check_webhook_url(url: str, *, allow_networks: Iterable[Network] = (), resolve: Resolver = resolve_host) -> str:
    """Refuse what is not http(s), carries credentials, or reaches a private, loopback or link-local address.

    Every address the host resolves to must be public, or inside one of ``allow_networks`` (the
    operator's ``REDACTOR_WEBHOOK_ALLOW_NETWORKS``). Called when a URL is registered and again before
    each delivery, so a name re-pointed at an internal address since is refused too. Returns the URL.
    """
    if len(url) > MAX_URL_LENGTH:
        raise InvalidOptionError(f"The webhook URL is longer than {MAX_URL_LENGTH} characters.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise InvalidOptionError("The webhook URL must start with http:// or https://.")
    if parts.username is not None or parts.password is not None:
        raise InvalidOptionError("The webhook URL must not contain credentials; authenticate by its signature.")
    host = parts.hostname
    if not host:
        raise InvalidOptionError("The webhook URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise InvalidOptionError("The webhook URL has an invalid port.") from e
    try:
        addresses = list(resolve(host, port))
    except (OSError, UnicodeError) as e:
        raise InvalidOptionError("The webhook host does not resolve.") from e
    if not addresses:
        raise InvalidOptionError("The webhook host does not resolve.")
    allowed = tuple(allow_networks)
    for address in addresses:
        if _is_public(address):
            continue
        if any(address.version == net.version and address in net for net in allowed):
            continue
        raise InvalidOptionError(
            "The webhook URL reaches a private, loopback or link-local address; the operator must allow its "
            "network (REDACTOR_WEBHOOK_ALLOW_NETWORKS)."
        )
    return url.strip()
