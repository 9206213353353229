"""The seed tutorial through talon-one-python-sdk 9.0.0, run by the UI journey in the SDK 9 venv (both SDKs are
imported as `talon_one`, so they cannot share a process). Prints the effects of each update as JSON lines.

Usage: sdk9_tutorial.py BASE_URL KEY COUPON SESSION_ID PROFILE_ID
"""
import json
import sys

import talon_one

base_url, key, coupon, session_id, profile_id = sys.argv[1:6]
# ---- the tutorial's code: host, key, coupon and ids changed ----
configuration = talon_one.Configuration(
    host=base_url,
    api_key_prefix={"Authorization": "ApiKey-v1"},
    api_key={"Authorization": key},
)
integration_api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
customer_session = talon_one.NewCustomerSessionV2()
customer_session.profile_id = profile_id
customer_session.cart_items = [
    talon_one.CartItem(name="Red Spring Blouse", sku="rdbs-1111", quantity=1, price=49, category="Shirts"),
    talon_one.CartItem(name="Denim Trousers", sku="dtr-2222", quantity=1, price=74, category="Trousers"),
]
customer_session.coupon_codes = [coupon]
integration_request = talon_one.IntegrationRequest(customer_session)
# ----------------------------------------------------------------
for request in (integration_request, talon_one.IntegrationRequest(talon_one.NewCustomerSessionV2(state="closed"))):
    response = integration_api.update_customer_session_v2(session_id, request)
    print(json.dumps([{"effectType": e.effect_type, "props": e.props} for e in response.effects]))
