/**
 * TenantDenyList on a rate-limited tenant, on fake time (the emulator and the client share a sinon
 * clock), in each way a tenant may report its bucket: the list pages' answers show the bucket
 * before the first write, so the writes that follow are paced instead of going out together.
 * DESIGN.md §8: ≤ 2 requests per connection that changes plus the list pages, ≤ 10 429s.
 */
import assert from "node:assert/strict";
import type { RateLimitOptions } from "../../emulator";
import { listOn } from "../support/connection";
import { fakeTime } from "../support/fake-time";
import { startTenant, type Tenant } from "../support/tenant";

const CONNECTIONS = 40;

/** Each reading, and the 429s it may cost: with `remaining` the model counts the refill; without, it finds the limit by 429s. */
const READINGS: { name: string; headers: Partial<RateLimitOptions>; refusals: number }[] = [
    { name: "reset = bucket full", headers: { headers: "reset-full" }, refusals: 2 },
    { name: "reset = next request", headers: { headers: "reset-next" }, refusals: 2 },
    { name: "a reset an hour in the past", headers: { resetOffsetSeconds: -3600 }, refusals: 2 },
    { name: "a reset an hour ahead", headers: { resetOffsetSeconds: 3600 }, refusals: 2 },
    { name: "Retry-After only", headers: { headers: "retry-after" }, refusals: 10 },
    { name: "no rate header", headers: { headers: "none" }, refusals: 10 },
];

describe("TenantDenyList under a rate limit, on fake time", () => {
    let tenant: Tenant;
    afterEach(() => tenant?.emulator.stop());

    for (const { name, headers, refusals } of READINGS) {
        it(`${name}: ${CONNECTIONS} connections on a bucket of 10 at 50 a second, a GET and a PATCH each, at most ${refusals} 429s`, async () => {
            const time = fakeTime();
            // Fixed jitter: the run is the same every time.
            const client = { ...time.client, random: () => 0.5 };
            tenant = await startTenant(
                {
                    seed: [],
                    generated: { count: CONNECTIONS, strategies: ["samlp", "oidc", "waad"] },
                    rateLimit: { burst: 10, perSecond: 50, ...headers },
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
            const refused = api.filter((r) => r.status === 429).length;
            assert.ok(refused <= refusals, `${refused} 429s`);
            // Beyond the list, a GET and a PATCH per connection, and a refused request and its redone GET per 429.
            const pages = api.filter((r) => r.path === "/api/v2/connections").length;
            assert.ok(
                api.length - pages <= 2 * (CONNECTIONS + refused),
                `${api.length - pages} requests beyond the list`,
            );
        });
    }
});
