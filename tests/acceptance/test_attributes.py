"""Custom attributes: defined through the SDK, enforced on integration requests, usable in rules."""
import uuid

import requests
import talon_one
from talon_one.models import Attribute, ErrorResponseWithStatus
from talon_one.rest import ApiException


def new_attribute(entity, name, type_, **extra):
    return talon_one.NewAttribute(entity=entity, name=name, title=name, type=type_, description="",
                                  suggestions=[], editable=True, **extra)


def put_session(base_url, key, body):
    return requests.put(f"{base_url}/v2/customer_sessions/attr-{uuid.uuid4().hex[:8]}", json=body,
                        headers={"Authorization": f"ApiKey-v1 {key}"})


def test_attribute_crud_through_the_sdk(mgmt_api):
    name = f"LoyaltyTier{uuid.uuid4().hex[:6]}"
    created = mgmt_api.create_attribute(new_attribute("CustomerProfile", name, "string"))
    assert isinstance(created, Attribute) and created.name == name
    assert mgmt_api.get_attribute(created.id).type == "string"
    listed = mgmt_api.get_attributes(entity="CustomerProfile")
    assert any(attribute.id == created.id for attribute in listed.data)
    try:
        mgmt_api.create_attribute(new_attribute("CustomerProfile", name, "string"))
        raise AssertionError("a duplicate attribute must be refused")
    except ApiException as error:
        assert error.status == 409


def test_unknown_and_mistyped_attributes_are_refused(base_url, integration_key, mgmt_api):
    response = put_session(base_url, integration_key,
                           {"customerSession": {"attributes": {"NoSuchAttribute": 1}}})
    assert response.status_code == 400
    error = ErrorResponseWithStatus.from_dict(response.json())
    assert error.errors[0].source.pointer == "/customerSession/attributes/NoSuchAttribute"
    response = put_session(base_url, integration_key, {"customerSession": {"attributes": {"ShippingMethod": 5}}})
    assert response.status_code == 400 and "ShippingMethod" in response.json()["message"]
    name = f"GiftWrap{uuid.uuid4().hex[:6]}"
    mgmt_api.create_attribute(new_attribute("CartItem", name, "boolean"))
    cart = [{"sku": "a", "quantity": 1, "price": 5, "attributes": {name: "yes"}}]
    response = put_session(base_url, integration_key, {"customerSession": {"cartItems": cart}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"] == f"/customerSession/cartItems/0/attributes/{name}"
    cart[0]["attributes"][name] = True
    assert put_session(base_url, integration_key, {"customerSession": {"cartItems": cart}}).status_code == 200


def test_rules_read_custom_attributes(admin, base_url, mgmt_api):
    application = admin.create_application("attribute rules")
    key = admin.create_api_key(application["id"])
    name = f"Channel{uuid.uuid4().hex[:6]}"
    mgmt_api.create_attribute(new_attribute("CustomerSession", name, "string"))
    campaign = admin.http.post(admin.url(f"/v1/applications/{application['id']}/campaigns"), json={
        "name": "app users", "state": "enabled", "tags": [], "features": [], "limits": []}).json()
    rule = {"title": "app orders", "condition": ["=", [".", "Session", "Attributes", name], "app"],
            "effects": [["setDiscount", "app bonus", 3]]}
    response = admin.http.post(admin.url(f"/v1/applications/{application['id']}/campaigns/{campaign['id']}/rulesets"),
                               json={"rules": [rule], "bindings": [], "activate": True})
    assert response.status_code == 201, response.text
    cart = [{"sku": "a", "quantity": 1, "price": 50}]
    app = put_session(base_url, key, {"customerSession": {"cartItems": cart, "attributes": {name: "app"}}}).json()
    web = put_session(base_url, key, {"customerSession": {"cartItems": cart, "attributes": {name: "web"}}}).json()
    assert [e["props"]["value"] for e in app["effects"]] == [3]
    assert web["effects"] == []
