"""The application and campaign lists page at 100 rows (accounts have thousands): every row is reachable through
"Next →", nothing is shown twice. Rows are created through the Campaign Manager's own forms over HTTP."""
import re

from test_campaign_manager import logged_in_http

PAGE = 100


def walk(http, base_url, path):
    """The rows' link texts of every page of a list, following its Next links."""
    url = base_url + path
    names, pages = [], 0
    while url:
        page = http.get(url).text
        pages += 1
        found = re.findall(r'<td><a href="/applications/\d+(?:/campaigns/\d+)?">([^<]*)</a></td>', page)
        assert len(found) <= PAGE
        names += found
        following = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = base_url + following.group(1).replace("&amp;", "&") if following else None
    return names, pages


def test_the_campaign_list_pages_past_a_hundred_campaigns(server):
    http, token = logged_in_http(server.base_url)
    created = http.post(server.base_url + "/applications", allow_redirects=False,
                        data={"csrf": token, "name": "Paging shop", "currency": "EUR", "timezone": "UTC"})
    application_path = created.headers["Location"]
    for number in range(PAGE + 1):
        response = http.post(server.base_url + application_path + "/campaigns", allow_redirects=False, data={
            "csrf": token, "name": f"Paged campaign {number:03d}", "state": "enabled", "ruleTitle": "ten off",
            "sessionDiscount": "on", "discount": "fixed", "amount": "10"})
        assert response.status_code == 303, response.text
    names, pages = walk(http, server.base_url, application_path)
    assert pages == 2 and sorted(names) == [f"Paged campaign {number:03d}" for number in range(PAGE + 1)]


def test_the_application_list_pages_past_a_hundred_applications(server):
    http, token = logged_in_http(server.base_url)
    for number in range(PAGE + 1):
        response = http.post(server.base_url + "/applications", allow_redirects=False,
                             data={"csrf": token, "name": f"Paged app {number:03d}", "currency": "EUR", "timezone": "UTC"})
        assert response.status_code == 303
    names, pages = walk(http, server.base_url, "/applications")
    assert pages >= 2
    assert sorted(n for n in names if n.startswith("Paged app")) == [f"Paged app {number:03d}" for number in range(PAGE + 1)]
