def test_every_response_carries_security_headers(client):
    for path in ("/api/health", "/", "/concepts", "/docs", "/api/sessions/nope"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]


def test_a_body_over_the_limit_is_413(client):
    big = b'{"epochs": 1, "pad": "' + b"x" * 1_100_000 + b'"}'
    r = client.post("/api/sessions", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["detail"]


def test_a_body_without_declared_length_is_counted_too(client):
    def chunks():
        for _ in range(40):
            yield b"x" * 50_000

    r = client.post("/api/sessions", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_validation_errors_never_echo_huge_inputs(client):
    r = client.post("/api/sessions", json={"dataset": "x" * 500_000})
    assert r.status_code == 422 and len(r.content) < 4096


def test_docs_page_serves_the_vendored_swagger_ui(client):
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in html and "/openapi.json" in html
    assert client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js").status_code == 200
