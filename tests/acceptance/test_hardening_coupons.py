"""Coupon generation that cannot finish is refused up front; job progress stays in its application and campaign."""
import time

import pytest

from test_promotions import TWENTY_PERCENT, Shop


@pytest.fixture
def shop(admin, base_url):
    return Shop(admin, base_url, caseSensitivity="insensitive-uppercase")


@pytest.mark.parametrize("route", ["/coupons", "/coupons_async"])
def test_a_pattern_with_one_code_after_case_folding_is_refused_at_once(shop, route):
    campaign = shop.campaign([TWENTY_PERCENT])
    started = time.monotonic()
    response = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}{route}"),
                                    json={"numberOfCoupons": 5, "couponPattern": "#####", "validCharacters": ["a", "A"]})
    elapsed = time.monotonic() - started
    print(f"\nlooping pattern refused in {elapsed * 1000:.1f} ms ({route})")
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["source"]["pointer"] == "/couponPattern"
    assert "1 distinct codes" in response.json()["message"]
    assert elapsed < 1
    # The server is still free to answer.
    assert shop.admin.http.get(shop.admin.url("/v1/applications")).status_code == 200


def test_job_progress_is_visible_only_under_its_application_and_campaign(shop, admin, base_url):
    campaign = shop.campaign([TWENTY_PERCENT])
    other_campaign = shop.campaign([TWENTY_PERCENT], name="other")
    started = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_async"),
                                   json={"numberOfCoupons": 100, "couponPattern": "JOB-######"})
    assert started.status_code == 200, started.text
    batch = started.json()["batchId"]
    own = f"{shop.prefix}/campaigns/{campaign.id}/coupons_async/{batch}"
    for _ in range(100):
        progress = shop.admin.http.get(shop.admin.url(own)).json()
        if progress["done"]:
            break
        time.sleep(0.05)
    assert progress["created"] == 100
    elsewhere = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/campaigns/{other_campaign.id}/coupons_async/{batch}"))
    assert elsewhere.status_code == 404
    other_shop = Shop(admin, base_url)
    foreign = other_shop.campaign([TWENTY_PERCENT])
    across = shop.admin.http.get(shop.admin.url(f"{other_shop.prefix}/campaigns/{foreign.id}/coupons_async/{batch}"))
    assert across.status_code == 404


def test_a_running_job_does_not_keep_the_server_from_stopping():
    from sconto_server import Admin, Server
    server = Server()
    shop = Shop(Admin(server.base_url), server.base_url)
    campaign = shop.campaign([TWENTY_PERCENT])
    started = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_async"),
                                   json={"numberOfCoupons": 2_000_000, "couponPattern": "STOP-##########"})
    assert started.status_code == 200, started.text
    time.sleep(1)
    assert shop.admin.http.get(shop.admin.url("/v1/applications")).status_code == 200  # still answering
    stopping = time.monotonic()
    assert server.stop() == 0
    print(f"\nstopped with a 2,000,000-code job running in {time.monotonic() - stopping:.2f} s")
    assert time.monotonic() - stopping < 15
