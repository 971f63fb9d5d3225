"""/docs: the vendored Swagger UI renders every operation under the app's Content-Security-Policy."""


def test_docs_page_lists_the_operations_without_console_errors(live_server, page, console_errors):
    page.goto(f"{live_server}/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    text = page.inner_text("#swagger-ui")
    for path in ("/api/sessions", "/api/concepts/softmax", "/api/datasets/preview"):
        assert path in text
    assert console_errors == []


def test_an_example_request_can_be_tried_from_the_docs(live_server, page, console_errors):
    page.goto(f"{live_server}/docs#/concepts")
    page.wait_for_selector(".opblock", timeout=20_000)
    block = page.locator(".opblock-post", has_text="/api/concepts/softmax").first
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Execute").click()
    response = block.locator(".responses-table .response .response-col_status").first
    response.wait_for(timeout=20_000)
    assert "200" in response.inner_text()
    assert console_errors == []
