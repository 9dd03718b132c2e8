"""redactor.service.webhooks: Standard Webhooks signatures, the receivers' verify_webhook, and webhook URL checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import time

import pytest

import redactor
from redactor.errors import InvalidOptionError, WebhookVerificationError
from redactor.service.webhooks import (
    check_webhook_url,
    new_secret,
    parse_networks,
    sign,
    signature_headers,
    verify_webhook,
)

BODY = b'--b\r\nContent-Disposition: form-data; name="result"\r\n\r\n\x89PNG\x00\xff binary\r\n--b--\r\n'


def test_signature_is_hmac_sha256_of_id_timestamp_body_keyed_by_the_secret_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    expected = hmac.new(base64.b64decode(secret[6:]), b"msg_1.1700000000." + BODY, hashlib.sha256).digest()
    assert sign(secret, "msg_1", 1700000000, BODY) == "v1," + base64.b64encode(expected).decode()


def test_verify_accepts_a_fresh_signed_delivery_and_returns_its_id() -> None:
    secret = new_secret()
    headers = signature_headers(secret, "msg_job_1", BODY)
    assert verify_webhook(BODY, headers, secret) == "msg_job_1"
    upper = {k.upper(): v for k, v in headers.items()}
    assert verify_webhook(BODY, upper, secret) == "msg_job_1"  # header names in any case
    assert redactor.verify_webhook is verify_webhook  # exported by the package


@pytest.mark.parametrize(
    "tamper",
    ["body", "id", "timestamp", "secret", "signature", "missing"],
)
def test_verify_refuses_anything_tampered(tamper: str) -> None:
    secret = new_secret()
    body = BODY
    headers = signature_headers(secret, "msg_job_1", BODY)
    if tamper == "body":
        body = BODY.replace(b"binary", b"BINARY")
    elif tamper == "id":
        headers["webhook-id"] = "msg_job_2"
    elif tamper == "timestamp":
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) - 1)
    elif tamper == "secret":
        secret = new_secret()
    elif tamper == "signature":
        headers["webhook-signature"] = "v1,AAAA"
    else:
        del headers["webhook-signature"]
    with pytest.raises(WebhookVerificationError) as caught:
        verify_webhook(body, headers, secret)
    assert caught.value.code == "invalid_signature"


def test_replays_older_or_newer_than_five_minutes_are_refused() -> None:
    secret = new_secret()
    now = time.time()
    old = signature_headers(secret, "msg_1", BODY, timestamp=int(now) - 301)
    with pytest.raises(WebhookVerificationError, match="replay"):
        verify_webhook(BODY, old, secret, now=now)
    future = signature_headers(secret, "msg_1", BODY, timestamp=int(now) + 301)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(BODY, future, secret, now=now)
    recent = signature_headers(secret, "msg_1", BODY, timestamp=int(now) - 299)
    assert verify_webhook(BODY, recent, secret, now=now) == "msg_1"


def test_any_of_several_signatures_may_match_during_secret_rotation() -> None:
    old, new = new_secret(), new_secret()
    headers = signature_headers(new, "msg_1", BODY)
    headers["webhook-signature"] = (
        f"{sign(old, 'msg_1', int(headers['webhook-timestamp']), BODY)} " + headers["webhook-signature"]
    )
    assert verify_webhook(BODY, headers, new) == "msg_1"
    assert verify_webhook(BODY, headers, old) == "msg_1"


# ---- URLs ----


def _resolver(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: [ipaddress.ip_address(a) for a in addresses]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://user:pass@example.com/hook",
        "https:///nohost",
        "http://example.com:99999/",
    ],
)
def test_only_plain_http_and_https_urls(url: str) -> None:
    with pytest.raises(InvalidOptionError):
        check_webhook_url(url, resolve=_resolver("93.184.215.14"))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.20",
        "169.254.169.254",  # cloud metadata: link-local
        "fe80::1",
        "0.0.0.0",
        "100.64.0.1",  # carrier-grade NAT
        "::ffff:10.0.0.1",  # IPv4-mapped private
        "fd00::1",
        "224.0.0.1",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(address: str) -> None:
    with pytest.raises(InvalidOptionError, match="private, loopback or link-local"):
        check_webhook_url("https://hooks.example.com/x", resolve=_resolver(address))
    literal = f"[{address}]" if ":" in address else address
    with pytest.raises(InvalidOptionError):
        check_webhook_url(f"http://{literal}/x")


def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    with pytest.raises(InvalidOptionError):
        check_webhook_url("https://hooks.example.com/x", resolve=_resolver("93.184.215.14", "10.0.0.5"))


def test_public_addresses_pass_and_the_operator_may_allow_networks() -> None:
    assert check_webhook_url(" https://hooks.example.com/x ", resolve=_resolver("93.184.215.14")) == (
        "https://hooks.example.com/x"
    )
    loopback = parse_networks(["127.0.0.0/8"])
    assert check_webhook_url("http://127.0.0.1:8080/hook", allow_networks=loopback)
    with pytest.raises(InvalidOptionError):  # only the networks allowed
        check_webhook_url("http://10.0.0.1/hook", allow_networks=loopback)


def test_unresolvable_hosts_are_refused() -> None:
    def fail(host: str, port: int) -> list[ipaddress.IPv4Address]:
        raise OSError("no such host")

    with pytest.raises(InvalidOptionError, match="resolve"):
        check_webhook_url("https://nowhere.invalid/x", resolve=fail)
