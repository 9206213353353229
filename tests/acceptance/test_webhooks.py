"""Webhooks through SDK 26.2 and a real HTTP receiver on 127.0.0.1: the `triggerWebhook` effect of a closed
session is written to the outbox in the session's commit and sent after it, retried on 5xx, signed with the
webhook's secret, carrying one idempotency id; a dry run sends nothing; a kill -9 between commit and delivery
loses nothing; URLs to private or link-local addresses are refused."""
import hashlib
import hmac
import http.server
import json
import socket
import threading
import time

import pytest
import requests
import talon_one
from talon_one.models import IntegrationRequest, NewCustomerSessionV2

from conftest import integration_client
from sconto_server import Admin, Server, free_port

ALLOW_LOCAL = ("--webhook-allow-hosts", "127.0.0.1")
CART = [{"name": "Blouse", "sku": "b-1", "quantity": 1, "price": 49, "category": "Shirts"}]


class Receiver:
    """An HTTP server in a thread that records every request and answers 500 to the first `failures`."""

    def __init__(self, port=None, failures=0):
        self.requests, self.failures = [], failures
        self.changed = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                with receiver.changed:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    failing = len(receiver.requests) <= receiver.failures
                    receiver.changed.notify_all()
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"no" if failing else b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port or 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count, timeout=60):
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.requests) >= count, timeout), self.requests
            return list(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Hooks:
    """A server allowed to call 127.0.0.1, an application with a key, and a webhook-calling campaign."""

    def __init__(self, server):
        self.server, self.admin = server, Admin(server.base_url)
        self.application = self.admin.create_application("Webhooks")
        self.api = integration_client(server.base_url, self.admin.create_api_key(self.application["id"]))
        configuration = talon_one.Configuration(host=server.base_url, api_key={"manager_auth": self.admin.token},
                                                api_key_prefix={"manager_auth": "Bearer"})
        self.management = talon_one.ManagementApi(talon_one.ApiClient(configuration))

    def create_webhook(self, url, **fields):
        body = {"applicationIds": [self.application["id"]], "title": "Order placed", "draft": False, "verb": "POST",
                "url": url, "headers": ["Content-Type: application/json"], "enabled": True,
                "payload": '{"profile": "${$profile}", "total": ${$total}}',
                "params": [{"type": "string", "title": "profile", "ui": {}}, {"type": "number", "title": "total", "ui": {}}],
                **fields}
        return self.admin.http.post(self.admin.url("/v1/webhooks"), json=body)

    def campaign_calling(self, webhook_id):
        prefix = f"/v1/applications/{self.application['id']}"
        response = self.admin.http.post(self.admin.url(prefix + "/campaigns"), json={
            "name": "notify", "state": "enabled", "tags": [], "features": [], "limits": []})
        assert response.status_code == 201, response.text
        rules = [{"title": "tell the shop", "condition": ["=", [".", "Session", "State"], "closed"],
                  "effects": [["triggerWebhook", webhook_id, [".", "Session", "ProfileId"], [".", "Session", "Total"]]]}]
        ruleset = self.admin.http.post(self.admin.url(f"{prefix}/campaigns/{response.json()['id']}/rulesets"),
                                       json={"rules": rules, "bindings": [], "activate": True})
        assert ruleset.status_code == 201, ruleset.text

    def close_session(self, session_id, dry=False, profile='shopper "7"'):
        request = IntegrationRequest(customer_session=NewCustomerSessionV2(
            profile_id=profile, state="closed", cart_items=CART))
        answer = self.api.update_customer_session_v2(session_id, request, dry=dry)
        return [e for e in answer.effects if e.effect_type == "triggerWebhook"]

    def logs(self, webhook_id):
        response = self.admin.http.get(self.admin.url(f"/v1/webhooks/{webhook_id}/logs"))
        assert response.status_code == 200, response.text
        return response.json()["data"]


@pytest.fixture(scope="module")
def server():
    server = Server(args=(*ALLOW_LOCAL, "--webhook-retry-base-ms", "200"))
    yield server
    server.stop_cleanly()


@pytest.fixture
def hooks(server):
    return Hooks(server)


def test_a_closed_sessions_webhook_arrives_once_signed_after_two_retries(hooks):
    receiver = Receiver(failures=2)
    try:
        created = hooks.create_webhook(receiver.url)
        assert created.status_code == 201, created.text
        webhook = created.json()
        secret = webhook["signingSecret"]
        assert len(secret) == 64
        # The spec's operations read it back (without the secret).
        fetched = hooks.management.get_webhook(webhook["id"])
        assert fetched.title == "Order placed" and fetched.url == receiver.url and fetched.params[1].type == "number"
        listed = hooks.management.get_webhooks(application_ids=str(hooks.application["id"]))
        assert [w.id for w in listed.data] == [webhook["id"]]
        hooks.campaign_calling(webhook["id"])

        [effect] = hooks.close_session("s-1")
        assert effect.props == {"webhookId": webhook["id"], "webhookName": "Order placed"}

        deliveries = receiver.wait_for(3)
        assert [d["path"] for d in deliveries] == ["/hook"] * 3
        keys = {d["headers"]["Idempotency-Key"] for d in deliveries}
        assert len(keys) == 1
        body = deliveries[-1]["body"]
        # The profile id's quotes were escaped: the payload is JSON with the rule's arguments.
        assert json.loads(body) == {"profile": 'shopper "7"', "total": 49}
        expected = "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
        assert all(d["headers"]["X-Sconto-Signature"] == expected for d in deliveries)

        deadline = time.time() + 30
        while len(hooks.logs(webhook["id"])) < 3 and time.time() < deadline:
            receiver.wait_for(3, timeout=0.2)
        logs = hooks.logs(webhook["id"])
        assert [(l["attempt"], l["outcome"], l["status"]) for l in logs] == [
            (3, "delivered", 200), (2, "retrying", 500), (1, "retrying", 500)]
        assert logs[0]["response"] == "ok" and logs[0]["latencyMs"] >= 0 and logs[0]["deliveryId"] in keys
        # Delivered: nothing more is sent.
        assert len(receiver.wait_for(3)) == 3 and hooks.server.count("webhook_delivery") >= 1
    finally:
        receiver.close()


def test_a_dry_run_sends_nothing(hooks):
    receiver = Receiver()
    try:
        webhook = hooks.create_webhook(receiver.url).json()
        hooks.campaign_calling(webhook["id"])
        before = hooks.server.count("webhook_delivery")
        [effect] = hooks.close_session("dry-1", dry=True, profile="p")
        assert effect.props["webhookId"] == webhook["id"]
        assert hooks.server.count("webhook_delivery") == before
        # An open session does not call it (the rule wants a closed one); the real close does, once.
        hooks.api.update_customer_session_v2("dry-1", IntegrationRequest(customer_session=NewCustomerSessionV2(
            profile_id="p", state="open", cart_items=CART)))
        assert hooks.server.count("webhook_delivery") == before
        hooks.close_session("dry-1", profile="p")
        assert hooks.server.count("webhook_delivery") == before + 1
        assert len(receiver.wait_for(1)) == 1
    finally:
        receiver.close()


@pytest.mark.parametrize("url", ["http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data",
                                 "http://192.168.1.5:8080/", "http://[::1]:9/", "http://0.0.0.0/"])
def test_private_and_link_local_urls_are_refused_at_save(hooks, url):
    response = hooks.create_webhook(url)
    assert response.status_code == 400, response.text
    assert any(error.get("source", {}).get("pointer") == "/url" for error in response.json()["errors"]), response.text


def test_without_the_allow_list_loopback_is_refused_too():
    server = Server()
    try:
        response = Hooks(server).create_webhook("http://127.0.0.1:9/hook")
        assert response.status_code == 400 and "/url" in response.text, response.text
    finally:
        server.stop_cleanly()


def test_a_delivery_committed_before_kill_9_is_sent_after_restart():
    port = free_port()  # the receiver is down: nothing listens here yet
    first = Server(args=ALLOW_LOCAL)  # retries from 1 s: the kill comes long before they run out
    hooks = Hooks(first)
    webhook = hooks.create_webhook(f"http://127.0.0.1:{port}/hook").json()
    hooks.campaign_calling(webhook["id"])
    assert len(hooks.close_session("killed-1")) == 1
    first.kill()
    database_url, owned = first.release_database()

    receiver = Receiver(port=port)
    second = Server(args=ALLOW_LOCAL, database_url=database_url, owned_database=owned)
    try:
        [delivery] = receiver.wait_for(1)
        assert json.loads(delivery["body"])["total"] == 49
        logs = []
        admin = Admin(second.base_url)
        deadline = time.time() + 30
        while time.time() < deadline:
            logs = admin.http.get(admin.url(f"/v1/webhooks/{webhook['id']}/logs")).json()["data"]
            if logs and logs[0]["outcome"] == "delivered":
                break
            receiver.wait_for(1, timeout=0.2)
        assert logs[0]["outcome"] == "delivered"
        assert all(l["outcome"] == "retrying" for l in logs[1:])
        assert len(receiver.requests) == 1
    finally:
        receiver.close()
        second.stop_cleanly()
