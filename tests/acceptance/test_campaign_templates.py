"""Issue 10: campaigns from templates, the official SDK's way (getCampaignTemplates, createCampaignFromTemplate)."""
import json

import pytest
import requests
from talon_one.models import Binding, Campaign, CreateTemplateCampaign

from test_promotions import TUTORIAL_CART, Shop, discounts

PERCENT_OFF = {
    "name": "Percent off", "description": "A percentage off the session", "instructions": "Set the percentage",
    "state": "enabled", "tags": ["seasonal"], "features": [], "campaignType": "advanced",
    "templateParams": [{"name": "percent", "type": "number", "description": "How many percent off"},
                       {"name": "label", "type": "string", "description": "The discount's name"}],
    "rules": [{"title": "percent off", "condition": [">", [".", "Session", "Total"], 0],
               "effects": [["setDiscount", [".", "Template", "label"],
                            ["*", [".", "Session", "Total"], ["/", [".", "Template", "percent"], 100]]]]}],
}


@pytest.fixture
def shop(admin, base_url):
    return Shop(admin, base_url)


def create_template(admin, **changes):
    return admin.http.post(admin.url("/v1/campaign_templates"), json={**PERCENT_OFF, **changes})


def test_a_campaign_from_a_template_through_the_sdk(shop, mgmt_api, base_url):
    created = create_template(shop.admin)
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    listed = mgmt_api.get_campaign_templates(name="Percent", state="enabled", page_size=50)
    assert template_id in [t.id for t in listed.data]
    # The SDK builds and sends the request; its answer is read raw, since SDK 26.2's `Rule` model types effects
    # as objects where the spec (which Sconto follows) has Talang arrays.
    raw = mgmt_api.create_campaign_from_template_without_preload_content(shop.application["id"], CreateTemplateCampaign(
        name="Ten percent", template_id=template_id,
        template_param_values=[Binding(name="percent", expression=[10]), Binding(name="label", expression=["10%"])]))
    assert raw.status == 201, raw.data
    answer = json.loads(raw.data)
    campaign = Campaign.from_dict(answer["campaign"])
    assert campaign.name == "Ten percent" and campaign.tags == ["seasonal"]
    assert campaign.active_ruleset_id == answer["ruleset"]["id"]
    assert answer["ruleset"]["rules"][0]["effects"][0][1] == "10%"
    # The values are bound into the rules: the campaign gives 10 % of the tutorial cart (123).
    effects = shop.session("from-template", cartItems=TUTORIAL_CART)
    assert discounts(effects) == [12.3]
    assert [e["props"]["name"] for e in effects] == ["10%"]


@pytest.mark.parametrize("values, message", [
    ([{"name": "percent", "expression": [10]}], "needs a value for 'label'"),
    ([{"name": "percent", "expression": ["ten"]}, {"name": "label", "expression": ["x"]}], "must be a number"),
    ([{"name": "percent", "expression": [1]}, {"name": "label", "expression": ["x"]},
      {"name": "other", "expression": [1]}], "not a parameter"),
])
def test_template_values_are_checked_and_nothing_is_created(shop, values, message):
    template_id = create_template(shop.admin).json()["id"]
    url = shop.admin.url(f"{shop.prefix}/create_campaign_from_template")
    response = shop.admin.http.post(url, json={"name": "bad", "templateId": template_id, "templateParamValues": values})
    assert response.status_code == 400, response.text
    assert message in response.text and response.json()["errors"][0]["source"]["pointer"] == "/templateParamValues"
    campaigns = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/campaigns")).json()
    assert campaigns["totalResultSize"] == 0


def test_templates_with_bad_rules_or_states_are_refused(shop):
    bad = create_template(shop.admin, rules=[{"title": "t", "condition": [".", "Template", "nope"], "effects": []}])
    assert bad.status_code == 400 and bad.json()["errors"][0]["source"]["pointer"] == "/rules/0/condition"
    draft = create_template(shop.admin, state="draft").json()["id"]
    response = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/create_campaign_from_template"),
                                    json={"name": "x", "templateId": draft})
    assert response.status_code == 400 and "draft" in response.text
    missing = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/create_campaign_from_template"),
                                   json={"name": "x", "templateId": 999999})
    assert missing.status_code == 400 and missing.json()["errors"][0]["source"]["pointer"] == "/templateId"
