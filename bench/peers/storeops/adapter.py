"""Driver adapter for storeops: submit = POST /api/v1/workflows/order-triage-harness/runs
with {"id": order_id, "input": payload} and an operator token; storeops answers 202 once the
run's start is committed (the run id makes a repeated submission a no-op)."""
import os

import aiohttp

URL = os.environ.get("HARNESS_STOREOPS_URL", "http://127.0.0.1:8089")
TOKEN = os.environ["STOREOPS_TOKEN"]
WORKFLOW = "order-triage-harness"


class Adapter:
    def __init__(self):
        self.versions = {"storeops": os.popen(f"{os.environ.get('HARNESS_STOREOPS_BIN', 'storeops')} --version").read().strip()}

    async def start(self):
        self.s = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=128),
                                       timeout=aiohttp.ClientTimeout(total=30),
                                       headers={"Authorization": f"Bearer {TOKEN}"})

    async def submit(self, p):
        async with self.s.post(f"{URL}/api/v1/workflows/{WORKFLOW}/runs",
                               json={"id": p["order_id"], "input": p}) as r:
            if r.status >= 300:
                raise RuntimeError(f"submit {r.status}: {(await r.text())[:200]}")
            await r.read()

    async def close(self):
        await self.s.close()
