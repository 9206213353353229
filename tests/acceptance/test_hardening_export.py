"""Big listings: exports stream in constant memory and linear time; a coupon is read back by id."""
import os
import time

import requests

from sconto_server import Admin, Server
from test_promotions import TWENTY_PERCENT, Shop

COUPONS = int(os.environ.get("SCONTO_EXPORT_COUPONS", "1000000"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def generate(shop, campaign, count):
    started = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_async"),
                                   json={"numberOfCoupons": count, "couponPattern": "EX-##########"})
    assert started.status_code == 200, started.text
    url = shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons_async/{started.json()['batchId']}")
    deadline = time.time() + 900
    while time.time() < deadline:
        progress = shop.admin.http.get(url).json()
        if progress["done"]:
            assert progress["created"] == count and progress.get("failure") is None, progress
            return
        time.sleep(0.5)
    raise AssertionError("coupon generation did not finish")


def test_exporting_a_million_coupons_streams_in_constant_memory_and_linear_time():
    server = Server()
    try:
        shop = Shop(Admin(server.base_url), server.base_url)
        campaign = shop.campaign([TWENTY_PERCENT])
        began = time.time()
        generate(shop, campaign, COUPONS)
        generated = time.time() - began
        url = shop.admin.url(f"/v1/applications/{shop.application['id']}/export_coupons")
        baseline = rss_kib(server.process.pid)
        peak, lines, marks = baseline, 0, []
        started = time.perf_counter()
        with shop.admin.http.get(url, stream=True) as response:
            assert response.status_code == 200
            for line in response.iter_lines(chunk_size=1 << 16):
                lines += 1
                if lines % (COUPONS // 10) == 0:
                    marks.append(time.perf_counter() - started)
                    peak = max(peak, rss_kib(server.process.pid))
        elapsed = time.perf_counter() - started
        assert lines == COUPONS + 1  # the header line
        # Linear: the last tenth costs about what the first did (OFFSET paging grew with every page).
        first, last = marks[0], marks[-1] - marks[-2]
        print(f"\ngenerated {COUPONS} coupons in {generated:.1f} s; exported in {elapsed:.1f} s; "
              f"first tenth {first:.2f} s, last tenth {last:.2f} s; server RSS {baseline // 1024} MiB before, "
              f"peak {peak // 1024} MiB during the export")
        assert last < first * 3 + 0.5
        assert peak - baseline < 64 * 1024  # a million rows are ~120 MB of CSV; memory must not follow
    finally:
        assert server.stop() == 0


def test_a_coupon_updated_beyond_the_first_thousand_is_read_back(admin, base_url):
    shop = Shop(admin, base_url)
    campaign = shop.campaign([TWENTY_PERCENT])
    created = shop.coupons(campaign, numberOfCoupons=1500, couponPattern="PUT-########")
    newest = max(created, key=lambda coupon: coupon.id)
    response = admin.http.put(admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons/{newest.id}"),
                              json={"usageLimit": 7})
    assert response.status_code == 200, response.text
    assert response.json()["id"] == newest.id and response.json()["usageLimit"] == 7
    missing = admin.http.put(admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons/999999999"),
                             json={"usageLimit": 7})
    assert missing.status_code == 404
