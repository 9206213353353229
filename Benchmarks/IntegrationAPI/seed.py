"""Seeds a Sconto server for `scripts/bench`: one application with N campaigns (a mix of coupon,
cart-item, attribute and time conditions, 10% matching any cart the load sends), coupons spread over
the coupon campaigns, and profiles; with --loyalty also one profile-based loyalty program and one campaign
earning 1 point per 10 of the session total (written on every close, read on every update). Prints a JSON summary (API key, sample coupon codes) on stdout."""
import argparse
import json
import sys
import time

import requests

CATEGORIES = 10  # a cart's items share one category; campaign i matches carts of category i % 10


def cart_condition(k):
    return ["exists", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "Category"], f"cat-{k}"]]]


def rule_for(i, applicable=None):
    # With --applicable K, campaigns from the K-th on need a category no cart has: they can never apply, so the
    # engine's cost can be measured against the campaigns that can (the campaign index's curve).
    k = i % CATEGORIES if applicable is None or i < applicable else f"never-{i}"
    kind = (i // CATEGORIES) % 4
    effect = [["setDiscount", f"campaign {i}", ["*", [".", "Session", "Total"], 0.05]]]
    if kind == 0:
        return ["coupons"], {"title": "coupon", "condition": ["and", ["couponValid"], cart_condition(k)], "effects": effect}
    if kind == 1:
        return [], {"title": "cart item", "condition": cart_condition(k), "effects": effect}
    if kind == 2:
        condition = ["and", cart_condition(k), ["!=", [".", "Session", "Attributes", "ShippingMethod"], "drone"]]
        return [], {"title": "attribute", "condition": condition, "effects": effect}
    condition = ["and", cart_condition(k), ["<", ["days", "2099-01-01T00:00:00Z"], 100000]]
    return [], {"title": "time", "condition": condition, "effects": effect}


def add_loyalty(http, url, prefix, application_id):
    """One profile-based program and one campaign earning 1 point per 10 of the session total."""
    program = http.post(f"{url}/v1/loyalty_programs", json={
        "name": "bench-points", "title": "Points", "description": "1 point per 10 EUR",
        "subscribedApplications": [application_id], "defaultValidity": "unlimited", "defaultPending": "immediate",
        "allowSubledger": False, "sandbox": False, "timezone": "UTC"})
    assert program.status_code == 201, program.text
    campaign = http.post(f"{prefix}/campaigns", json={
        "name": "bench loyalty", "state": "enabled", "tags": [], "features": ["loyalty"], "limits": []}).json()
    earn = ["addLoyaltyPoints", program.json()["id"], ["loyaltyPointsFor", [".", "Session", "Total"], 10, 1, "down"]]
    rule = {"title": "earn", "condition": [">", [".", "Session", "Total"], 0], "effects": [earn]}
    response = http.post(f"{prefix}/campaigns/{campaign['id']}/rulesets",
                         json={"rules": [rule], "bindings": [], "activate": True})
    assert response.status_code == 201, response.text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--campaigns", type=int, default=100)
    parser.add_argument("--coupons", type=int, default=100_000)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--loyalty", action="store_true")
    parser.add_argument("--applicable", type=int, default=None,
                        help="only the first K campaigns can match a cart (default: a tenth of all)")
    args = parser.parse_args()
    http = requests.Session()
    token = http.post(f"{args.url}/v1/sessions", json={"email": args.email, "password": args.password}).json()["token"]
    http.headers["Authorization"] = f"Bearer {token}"
    app = http.post(f"{args.url}/v1/applications",
                    json={"name": "bench", "timezone": "UTC", "currency": "EUR"}).json()
    prefix = f"{args.url}/v1/applications/{app['id']}"
    key = http.post(f"{prefix}/api_keys", json={"title": "bench", "expires": "2099-01-01T00:00:00Z"}).json()["key"]

    if args.loyalty:
        add_loyalty(http, args.url, prefix, app["id"])
    coupon_campaigns = []
    for i in range(args.campaigns):
        features, rule = rule_for(i, args.applicable)
        campaign = http.post(f"{prefix}/campaigns", json={
            "name": f"bench {i}", "state": "enabled", "tags": [], "features": features, "limits": []}).json()
        response = http.post(f"{prefix}/campaigns/{campaign['id']}/rulesets",
                             json={"rules": [rule], "bindings": [], "activate": True})
        assert response.status_code == 201, response.text
        if features:
            coupon_campaigns.append(campaign["id"])

    started = time.time()
    sample = []
    if coupon_campaigns and args.coupons:
        per_campaign = -(-args.coupons // len(coupon_campaigns))
        jobs = []
        for campaign_id in coupon_campaigns:
            response = http.post(f"{prefix}/campaigns/{campaign_id}/coupons_async", json={
                "numberOfCoupons": per_campaign, "couponPattern": "B-##########", "usageLimit": 0, "attributes": {}})
            jobs.append((campaign_id, response.json()["batchId"]))
        for campaign_id, batch in jobs:
            while not http.get(f"{prefix}/campaigns/{campaign_id}/coupons_async/{batch}").json()["done"]:
                time.sleep(0.2)
            page = http.get(f"{prefix}/campaigns/{campaign_id}/coupons/no_total", params={"pageSize": 20}).json()
            sample += [c["value"] for c in page["data"]]
    coupon_seconds = time.time() - started

    integration = {"Authorization": f"ApiKey-v1 {key}"}
    for start in range(0, args.profiles, 1000):
        profiles = [{"profileId": f"p-{n}", "attributes": {"Name": f"Customer {n}"}}
                    for n in range(start, min(start + 1000, args.profiles))]
        response = requests.put(f"{args.url}/v2/customer_profiles", json={"customerProfiles": profiles},
                                headers=integration)
        assert response.status_code in (200, 204), response.text
    json.dump({"key": key, "application": app["id"], "couponCodes": sample[:1000],
               "couponSeconds": round(coupon_seconds, 2), "couponCampaigns": len(coupon_campaigns)}, sys.stdout)


if __name__ == "__main__":
    main()
