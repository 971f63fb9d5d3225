"""GET /api/sessions/{id}/boundary against the served app: bounded in size, and built away from the web
process's event loop, so hammering it leaves /api/health fast."""

import asyncio
import statistics
import time

import httpx
import pytest

from app.config import get_settings

LARGEST = {"hidden_layers": [64] * 10}  # the most neurons the default limits allow: 640


@pytest.mark.timeout(300)  # with the server's start-up on a busy machine
def test_health_stays_fast_while_the_largest_boundary_is_hammered(live_server, run_async):
    cap, seconds, clients = get_settings().max_boundary_cells, 6.0, 4

    async def scenario() -> tuple[list[float], list[int]]:
        async with httpx.AsyncClient(base_url=live_server, timeout=60,
                                     limits=httpx.Limits(max_connections=clients + 2)) as http:
            r = await http.post("/api/sessions", json=LARGEST)
            assert r.status_code == 201, r.text
            url = f"/api/sessions/{r.json()['id']}/boundary"
            refused = await http.get(url, params={"resolution": 200, "neuron_resolution": 200})
            assert refused.status_code == 422 and f"at most {cap:,}" in refused.json()["detail"]
            # The largest grid under the cap: 200² output cells and 26² for each of 2 features and 640 neurons.
            params = {"resolution": 200, "neuron_resolution": 26}
            assert 200**2 + 26**2 * 642 <= cap < 200**2 + 27**2 * 642
            sizes: list[int] = []
            stop = time.monotonic() + seconds
            latencies: list[float] = []

            async def hammer() -> None:
                while time.monotonic() < stop:
                    got = await http.get(url, params=params)
                    assert got.status_code == 200
                    sizes.append(len(got.content))

            async def probe() -> None:
                while time.monotonic() < stop:
                    started = time.perf_counter()
                    assert (await http.get("/api/health")).status_code == 200
                    latencies.append(time.perf_counter() - started)
                    await asyncio.sleep(0.02)

            await asyncio.gather(*(hammer() for _ in range(clients)), probe())
            await http.delete(url.removesuffix("/boundary"))
            return latencies, sizes

    latencies, sizes = run_async(scenario())
    p99 = statistics.quantiles(latencies, n=100)[98]
    print(f"\n/api/health while {clients} clients fetch boundaries: {len(latencies)} probes, median "
          f"{statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms; {len(sizes)} boundaries of "
          f"{max(sizes) / 1e6:.1f} MB at most")
    assert sizes and max(sizes) < 9 * cap  # a rounded value and its comma: at most 8 bytes a cell, plus brackets
    assert len(latencies) >= 50
    assert p99 < 0.1
