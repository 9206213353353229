"""The spec-conformance checker itself: it must catch what it is there to catch (no server needed)."""
import json

import pytest

from spec_conformance import SpecConformance

SESSION = "/v2/customer_sessions/s1"


@pytest.fixture(scope="module")
def spec():
    return SpecConformance().spec


@pytest.fixture
def checker(spec):
    return SpecConformance(spec)


def effect(effect_type, props):
    return {"campaignId": 1, "rulesetId": 2, "ruleIndex": 0, "ruleName": "r", "effectType": effect_type, "props": props}


def check(checker, method, path, status, body):
    checker.check(method, path, status, json.dumps(body).encode() if body is not None else b"")
    return checker.all_violations


def test_a_wrong_type_is_named_by_its_pointer(checker):
    [violation] = check(checker, "PUT", SESSION, 200, {"effects": "none", "createdCoupons": [], "createdReferrals": []})
    assert "updateCustomerSessionV2" in violation and "/effects: 'none' is not of type 'array'" in violation


def test_effects_are_held_to_the_props_of_their_type(checker):
    body = {"createdCoupons": [], "createdReferrals": [], "effects": [
        effect("rejectCoupon", {"value": "X", "rejectionReason": "CouponNotFound"}),
        effect("acceptCoupon", {"value": "X"})]}
    assert check(checker, "PUT", SESSION, 200, body) == []  # overlapping variants no longer fail `oneOf`
    body["effects"].append(effect("setDiscount", {"value": 5}))
    [violation] = check(checker, "PUT", SESSION, 200, body)
    assert "/effects/2/props: 'name' is a required property" in violation and "setDiscount effect" in violation


def test_errors_need_talon_ones_error_shape_even_when_undeclared(checker):
    assert check(checker, "GET", "/v1/no_such_route", 404, {"message": "not found", "errors": []}) == []
    [violation] = check(checker, "PUT", f"{SESSION}/reopen", 404, {"error": "not found"})
    assert "'message' is a required property" in violation


def test_an_unknown_operation_or_an_undeclared_success_fails(checker):
    assert "neither in Talon.One's spec" in check(checker, "GET", "/v1/no_such_route", 200, {})[0]
    assert "declares no 201" in check(checker, "PUT", f"{SESSION}/reopen", 201, {})[1]


def test_sconto_extensions_are_held_to_scontos_declared_contract(checker):
    # The contract as `GET /openapi.json` serves it: refs resolve inside that document.
    served = {"paths": {"/v1/applications": {"post": {"operationId": "createApplication", "responses": {
        "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Application"}}}}}}}},
        "components": {"schemas": {"Application": {"type": "object", "required": ["id"],
                                                   "properties": {"id": {"type": "integer"}}}}}}

    class Served:
        data = json.dumps(served).encode()

    def check_extension(status, body):
        checker.check_extension("POST", "/v1/applications", status, json.dumps(body).encode(),
                                lambda: checker.contract(lambda: Served))
        return checker.all_violations

    assert check_extension(201, {"id": 7, "name": "shop"}) == []
    [violation] = check_extension(201, {"anything": True})
    assert "createApplication" in violation and "'id' is a required property" in violation
    assert "declares no 200" in check_extension(200, {"id": 7})[1]
    assert checker.extensions_validated == 2 and checker.validated == 0


def test_listed_extensions_are_really_missing_from_the_spec(spec):
    from spec_conformance import EXTENSIONS
    for method, template in EXTENSIONS:
        concrete = template.replace("{", "").replace("}", "")
        assert spec.operation(method, concrete) is None, f"{method} {template} is in Talon.One's spec: check it"
