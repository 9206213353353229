"""The seed tutorial (shared/seeds/000_…), run as written with only the host and the key changed."""
import re

import pytest
import requests
import talon_one
from talon_one.rest import ApiException

from sconto_server import Admin, Server


@pytest.fixture(scope="module")
def demo():
    server = Server(args=["--demo"])
    key = re.search(r"Integration API key: ([0-9a-f]{64})", server.logs()).group(1)
    yield server, key
    assert server.stop() == 0


def test_tutorial(demo):
    server, key = demo
    # ---- the tutorial's code, host and key changed ----
    configuration = talon_one.Configuration(
        host=server.base_url,
        api_key_prefix={"Authorization": "ApiKey-v1"},
        api_key={"Authorization": key},
    )
    integration_api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
    customer_session = talon_one.NewCustomerSessionV2()
    customer_session.cart_items = [
        talon_one.CartItem(name="Red Spring Blouse", sku="rdbs-1111", quantity=1, price=49, category="Shirts"),
        talon_one.CartItem(name="Denim Trousers", sku="dtr-2222", quantity=1, price=74, category="Trousers"),
    ]
    customer_session.coupon_codes = ["xmas20"]
    integration_request = talon_one.IntegrationRequest(customer_session)
    # ---------------------------------------------------
    response = integration_api.update_customer_session_v2("my_session_id", integration_request)
    by_type = {effect.effect_type: effect for effect in response.effects}
    assert set(by_type) == {"acceptCoupon", "setDiscount"}
    assert by_type["acceptCoupon"].props["value"] == "xmas20"
    assert by_type["setDiscount"].props["value"] == 24.6  # 20% of 123

    # Closing the session redeems the coupon, once.
    closing = talon_one.NewCustomerSessionV2(state="closed")
    integration_api.update_customer_session_v2("my_session_id", talon_one.IntegrationRequest(closing))
    admin = Admin(server.base_url)
    application = next(app for app in admin.http.get(admin.url("/v1/applications")).json()["data"]
                       if app["name"] == "Demo shop")
    campaigns = admin.http.get(admin.url(f"/v1/applications/{application['id']}/campaigns")).json()["data"]
    coupons = admin.http.get(admin.url(
        f"/v1/applications/{application['id']}/campaigns/{campaigns[0]['id']}/coupons/no_total")).json()["data"]
    assert [(c["value"], c["usageCounter"]) for c in coupons] == [("xmas20", 1)]
    assert campaigns[0]["couponRedemptionCount"] == 1

    # A closed session cannot be opened again by an update.
    with pytest.raises(ApiException) as refused:
        reopen = talon_one.NewCustomerSessionV2(state="open")
        integration_api.update_customer_session_v2("my_session_id", talon_one.IntegrationRequest(reopen))
    assert refused.value.status == 400
    assert "closed" in refused.value.body


def test_demo_seed_is_idempotent(demo):
    server, _ = demo
    admin = Admin(server.base_url)
    names = [app["name"] for app in admin.http.get(admin.url("/v1/applications")).json()["data"]]
    assert names.count("Demo shop") == 1
    assert requests.get(server.base_url + "/healthz").status_code == 200
