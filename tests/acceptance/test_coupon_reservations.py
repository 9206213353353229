"""Coupon reservations and personal coupons through SDK 26.2: a code that needs a reservation works only for the
customers holding one, a code made for a recipient only for that recipient, and the inventory lists both."""
import requests
import talon_one
from talon_one.models import CouponReservations, NewCouponsForMultipleRecipients

from conftest import integration_client
from test_promotions import Shop, TUTORIAL_CART, TWENTY_PERCENT, discounts, reasons


def management_client(base_url, admin):
    configuration = talon_one.Configuration(
        host=base_url, api_key={"manager_auth": admin.token}, api_key_prefix={"manager_auth": "Bearer"})
    return talon_one.ManagementApi(talon_one.ApiClient(configuration))


def inventory_codes(api, customer):
    return sorted(c.value for c in api.get_customer_inventory(customer, coupons=True).coupons)


def test_a_reserved_coupon_works_only_for_its_holder(admin, base_url):
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="HOLD-####", isReservationMandatory=True)
    assert coupon.is_reservation_mandatory and coupon.reservation_counter == 0

    reserved = api.create_coupon_reservation(coupon.value, CouponReservations(integration_ids=["alice", "bob", "alice"]))
    assert reserved.value == coupon.value and reserved.reservation_counter == 2
    # Reserving again keeps the reservation; removing one (and one that never was) counts only what was there.
    again = api.create_coupon_reservation(coupon.value, CouponReservations(integration_ids=["alice"]))
    assert again.reservation_counter == 2
    api.delete_coupon_reservation(coupon.value, CouponReservations(integration_ids=["bob", "nobody"]))
    assert shop.coupon(campaign, coupon.value).reservation_counter == 1

    stranger = shop.session("stranger", profileId="mallory", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(stranger) == ["CouponReservationRequired"] and discounts(stranger) == []
    released = shop.session("bob", profileId="bob", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(released) == ["CouponReservationRequired"]
    anonymous = shop.session("anonymous", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(anonymous) == ["ProfileRequired"]
    holder = shop.session("holder", profileId="alice", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(holder) == [] and discounts(holder) == [24.6]

    # Profiles holding it (mallory and bob have profiles but no reservation); the inventory shows it to alice only.
    customers = api.get_reserved_customers(coupon.value)
    assert customers.total_result_size == 1 and [p.integration_id for p in customers.data] == ["alice"]
    assert inventory_codes(api, "alice") == [coupon.value]
    assert inventory_codes(api, "mallory") == []

    api.delete_coupon_reservation(coupon.value, CouponReservations(integration_ids=["alice"]))
    after = shop.session("holder-later", profileId="alice", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(after) == ["CouponReservationRequired"]
    assert api.get_reserved_customers(coupon.value).data == []


def test_a_soft_reservation_lists_the_coupon_but_anyone_may_redeem_it(admin, base_url):
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="WALLET-####")
    api.create_coupon_reservation(coupon.value, CouponReservations(integration_ids=["alice"]))
    assert inventory_codes(api, "alice") == [coupon.value]
    other = shop.session("other", profileId="bob", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(other) == [] and discounts(other) == [24.6]


def test_coupons_for_multiple_recipients_are_personal(admin, base_url):
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    management = management_client(base_url, admin)
    campaign = shop.campaign([TWENTY_PERCENT])
    created = management.create_coupons_for_multiple_recipients(
        shop.application["id"], campaign.id,
        NewCouponsForMultipleRecipients(usage_limit=1, recipients_integration_ids=["ann", "ben", "ann"],
                                        coupon_pattern="GIFT-#####", attributes={"channel": "mail"}),
        silent="no")
    assert created.total_result_size == 2
    codes = {c.recipient_integration_id: c for c in created.data}
    assert sorted(codes) == ["ann", "ben"]
    assert all(c.value.startswith("GIFT-") and c.usage_limit == 1 and c.attributes == {"channel": "mail"}
               for c in created.data)

    wrong = shop.session("ben-uses-ann", profileId="ben", cartItems=TUTORIAL_CART, couponCodes=[codes["ann"].value])
    assert reasons(wrong) == ["CouponRecipientDoesNotMatch"]
    right = shop.session("ann", profileId="ann", cartItems=TUTORIAL_CART, couponCodes=[codes["ann"].value])
    assert reasons(right) == [] and discounts(right) == [24.6]
    assert inventory_codes(api, "ann") == [codes["ann"].value]
    assert inventory_codes(api, "ben") == [codes["ben"].value]

    # Talon.One's default is silent: 204 and nothing else.
    silent = admin.http.post(admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_with_recipients"),
                             json={"usageLimit": 1, "recipientsIntegrationIds": ["cleo"]})
    assert silent.status_code == 204, silent.text
    assert len(inventory_codes(api, "cleo")) == 1


def test_bad_reservations_are_refused_with_the_field(admin, base_url):
    shop = Shop(admin, base_url)
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="BAD-####")
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    url = f"{base_url}/v1/coupon_reservations"
    unknown = requests.post(f"{url}/NO-SUCH-CODE", json={"integrationIDs": ["alice"]}, headers=headers)
    assert unknown.status_code == 404, unknown.text
    assert requests.get(f"{url}/customerprofiles/NO-SUCH-CODE", headers=headers).status_code == 404
    control = requests.post(f"{url}/{coupon.value}", json={"integrationIDs": ["ok", "bad\nid"]}, headers=headers)
    assert control.status_code == 400 and control.json()["errors"][0]["source"]["pointer"] == "/integrationIDs/1"
    many = requests.post(f"{url}/{coupon.value}", json={"integrationIDs": [f"c{i}" for i in range(1001)]},
                         headers=headers)
    assert many.status_code == 400 and many.json()["errors"][0]["source"]["pointer"] == "/integrationIDs"
    missing = requests.post(f"{url}/{coupon.value}", json={}, headers=headers)
    assert missing.status_code == 400, missing.text
    recipients = admin.http.post(admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_with_recipients"),
                                 json={"usageLimit": 1, "recipientsIntegrationIds": []})
    assert recipients.status_code == 400
    assert recipients.json()["errors"][0]["source"]["pointer"] == "/recipientsIntegrationIds"


def test_update_coupon_makes_a_reservation_mandatory_and_optional_again(admin, base_url):
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    management = management_client(base_url, admin)
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="LATER-####")
    app_id = shop.application["id"]

    updated = management.update_coupon(app_id, campaign.id, str(coupon.id),
                                       talon_one.UpdateCoupon(is_reservation_mandatory=True, attributes={"k": 1}))
    assert updated.is_reservation_mandatory is True and updated.attributes == {"k": 1}
    refused = shop.session("before", profileId="zoe", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(refused) == ["CouponReservationRequired"]
    api.create_coupon_reservation(coupon.value, CouponReservations(integration_ids=["zoe"]))
    held = shop.session("held", profileId="zoe", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(held) == [] and discounts(held) == [24.6]

    relaxed = management.update_coupon(app_id, campaign.id, str(coupon.id),
                                       talon_one.UpdateCoupon(is_reservation_mandatory=False))
    assert relaxed.is_reservation_mandatory is False and relaxed.attributes == {"k": 1}
    anyone = shop.session("anyone", profileId="yan", cartItems=TUTORIAL_CART, couponCodes=[coupon.value])
    assert reasons(anyone) == [] and discounts(anyone) == [24.6]
