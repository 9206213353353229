"""Coupon management: batches, background generation with progress, CSV import and export, changes."""
import csv
import io
import time

import pytest
from talon_one.models import Coupon

from test_promotions import TWENTY_PERCENT, Shop


@pytest.fixture
def shop(admin, base_url):
    return Shop(admin, base_url)


def coupon_url(shop, campaign, suffix=""):
    return shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons{suffix}")


def all_coupons(shop, campaign, **params):
    found, skip = [], 0
    while True:
        page = shop.admin.http.get(coupon_url(shop, campaign, "/no_total"),
                                   params={"pageSize": 1000, "skip": skip, **params}).json()
        found += [Coupon.from_dict(c) for c in page["data"]]
        skip += len(page["data"])
        if not page["hasMore"]:
            return found


def test_ten_thousand_codes_in_one_request(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    created = shop.coupons(campaign, numberOfCoupons=10_000, couponPattern="TK-########", usageLimit=3)
    assert len({c.value for c in created}) == 10_000
    assert all(c.usage_limit == 3 and c.value.startswith("TK-") for c in created)
    assert len(all_coupons(shop, campaign)) == 10_000


def test_hundred_thousand_codes_in_the_background(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    started = time.time()
    response = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_async"),
                                    json={"numberOfCoupons": 100_000, "couponPattern": "BG-#########",
                                          "usageLimit": 1, "attributes": {}})
    assert response.status_code == 200, response.text
    batch_id = response.json()["batchId"]
    seen_progress = set()
    while True:
        progress = shop.admin.http.get(
            shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_async/{batch_id}")).json()
        seen_progress.add(progress["created"])
        if progress["done"]:
            break
        assert time.time() - started < 120, progress
        time.sleep(0.05)
    assert progress["created"] == 100_000 and progress.get("failure") is None, progress
    assert len(seen_progress) > 1  # progress was visible while it ran
    codes = [c.value for c in all_coupons(shop, campaign, batchId=batch_id)]
    assert len(codes) == len(set(codes)) == 100_000
    print(f"\n100,000 codes in {time.time() - started:.1f} s; server-side rate {progress['codesPerSecond']:.0f} codes/s")


def test_csv_export_and_import_round_trip(shop):
    source = shop.campaign([TWENTY_PERCENT], name="source")
    shop.coupons(source, numberOfCoupons=50, couponPattern="RT-#####", usageLimit=2,
                 expiryDate="2099-01-01T00:00:00Z", attributes={})
    exported = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/export_coupons"), params={"campaignId": source.id})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 50 and {row["limitval"] for row in rows} == {"2"}

    # Import the same codes into another application (codes are unique per application).
    other = Shop(shop.admin, shop.base_url)
    target = other.campaign([TWENTY_PERCENT], name="target")
    upload = {"upFile": ("coupons.csv", exported.text, "text/csv")}
    response = other.admin.http.post(other.admin.url(f"{other.prefix}/campaigns/{target.id}/import_coupons"),
                                     files=upload)
    assert response.status_code == 200, response.text
    assert response.json()["amount"] == 50
    imported = {c.value: c for c in all_coupons(other, target)}
    assert set(imported) == {row["value"] for row in rows}
    assert all(c.usage_limit == 2 and c.expiry_date.year == 2099 for c in imported.values())

    # Importing them again fails whole: nothing half-imported.
    again = other.admin.http.post(other.admin.url(f"{other.prefix}/campaigns/{target.id}/import_coupons"),
                                  files=upload)
    assert again.status_code == 409
    assert len(all_coupons(other, target)) == 50


def test_bad_csv_rows_name_their_line(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    text = 'value,limitval,attributes\nGOOD-1,1,\nBAD-2,many,\n"QUOTED,3",1,"{""tier"": ""gold""}"\n'
    response = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/import_coupons"),
                                    files={"upFile": ("c.csv", text, "text/csv")})
    assert response.status_code == 400
    assert "line 3, limitval" in response.json()["message"]
    assert all_coupons(shop, campaign) == []
    fixed = text.replace("BAD-2,many", "BAD-2,2")
    response = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/import_coupons"),
                                    files={"upFile": ("c.csv", fixed, "text/csv")})
    assert response.status_code == 200, response.text
    coupons = {c.value: c for c in all_coupons(shop, campaign)}
    assert coupons["QUOTED,3"].attributes == {"tier": "gold"}


def test_update_and_delete_coupons(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    created = shop.coupons(campaign, numberOfCoupons=5, couponPattern="UPD-####")
    first = created[0]
    response = shop.admin.http.put(coupon_url(shop, campaign, f"/{first.id}"), json={"usageLimit": 9})
    assert Coupon.from_dict(response.json()).usage_limit == 9
    assert shop.admin.http.put(coupon_url(shop, campaign), json={"usageLimit": 4}).status_code == 204
    assert {c.usage_limit for c in all_coupons(shop, campaign)} == {4}
    assert shop.admin.http.delete(coupon_url(shop, campaign, f"/{first.id}")).status_code == 204
    assert shop.admin.http.delete(coupon_url(shop, campaign, f"/{first.id}")).status_code == 404
    assert shop.admin.http.delete(coupon_url(shop, campaign), params={"value": created[1].value}).status_code == 204
    assert len(all_coupons(shop, campaign)) == 3
    assert shop.admin.http.put(coupon_url(shop, campaign, f"/{created[2].id}"),
                               json={"usageLimit": -1}).status_code == 400
