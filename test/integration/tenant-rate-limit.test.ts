/**
 * TenantDenyList on a rate-limited tenant, on fake time (the emulator and the client share a sinon
 * clock): the list pages show the bucket before the first write, so the writes that follow are
 * paced from that answer instead of going out together. DESIGN.md §8: ≤ 2 requests per connection
 * that changes plus the list pages, ≤ 10 429s for 200 connections.
 */
import assert from "node:assert/strict";
import { listOn } from "../support/connection";
import { type FakeTime, fakeTime } from "../support/fake-time";
import { startTenant, type Tenant } from "../support/tenant";

describe("TenantDenyList under a rate limit, on fake time", () => {
    let tenant: Tenant;
    let time: FakeTime;
    afterEach(() => tenant?.emulator.stop());

    it("40 connections on a bucket of 10 at 50 a second: no wave of 429s, a GET and a PATCH per connection", async () => {
        time = fakeTime();
        // Fixed jitter: the run is the same every time.
        const client = { ...time.client, random: () => 0.5 };
        tenant = await startTenant(
            {
                seed: [],
                generated: { count: 40, strategies: ["samlp", "oidc", "waad"] },
                rateLimit: { burst: 10, perSecond: 50 },
                clock: time.emulator(),
            },
            { client },
        );
        await time.run(tenant.tenantProvider.create({ attributes: ["national_id"] }), {
            limitMs: 600_000,
            emulator: tenant.emulator,
        });
        for (const c of tenant.emulator.connections())
            assert.ok(listOn(tenant.emulator, c.id).includes("national_id"), c.name);

        const api = tenant.emulator.requests().filter((r) => r.path !== "/oauth/token");
        const refused = api.filter((r) => r.status === 429);
        // The list's answers report the bucket (10, then fewer left) before any write is sent.
        assert.equal(
            new Set(refused.map((r) => r.time)).size,
            refused.length,
            `${refused.length} refused, some at once`,
        );
        const pages = api.filter((r) => r.path === "/api/v2/connections").length;
        assert.equal(api.length - pages, 2 * 40, "requests beyond the list: one GET and one PATCH per connection");
    });
});
