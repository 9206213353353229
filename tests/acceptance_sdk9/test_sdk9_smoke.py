"""The SDK line the seed tutorial uses (talon-one-python-sdk 9.0.0) talks to Sconto unchanged."""
import talon_one
from talon_one.rest import ApiException

from sconto_server import Admin, Server


def tutorial_client(base_url, key):
    # As in the tutorial: only host and key differ.
    configuration = talon_one.Configuration(
        host=base_url,
        api_key_prefix={"Authorization": "ApiKey-v1"},
        api_key={"Authorization": key},
    )
    return talon_one.IntegrationApi(talon_one.ApiClient(configuration))


def test_tutorial_session_update_and_bad_key():
    server = Server()
    try:
        admin = Admin(server.base_url)
        application = admin.create_application()
        key = admin.create_api_key(application["id"])
        integration_api = tutorial_client(server.base_url, key)
        customer_session = talon_one.NewCustomerSessionV2()
        customer_session.cart_items = [
            talon_one.CartItem(name="Red Spring Blouse", sku="rdbs-1111", quantity=1, price=49, category="Shirts"),
            talon_one.CartItem(name="Denim Trousers", sku="dtr-2222", quantity=1, price=74, category="Trousers"),
        ]
        customer_session.coupon_codes = ["xmas20"]
        integration_request = talon_one.IntegrationRequest(customer_session, response_content=["customerSession"])
        state = integration_api.update_customer_session_v2("sdk9-session", integration_request)
        assert state.customer_session.total == 123
        assert [effect.effect_type for effect in state.effects] == ["rejectCoupon"]

        try:
            tutorial_client(server.base_url, "0" * 64).update_customer_session_v2("x", integration_request)
            raise AssertionError("a wrong key must be refused")
        except ApiException as error:
            assert error.status == 401
    finally:
        assert server.stop() == 0
