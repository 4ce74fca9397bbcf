/**
 * Rate limits over real HTTP on fake time: the emulator and the client share a sinon clock, so
 * a limit of a few requests per second, or a reset an hour away, is exact and takes no real
 * time. What is asserted follows from the limit and the caps, not from what a run measured.
 */
import assert from "node:assert/strict";
import type { Connection, EmulatorOptions } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { MAX_PACING_MS } from "../../provider/auth0/rate-limit";
import { listOn } from "../support/connection";
import { type FakeTime, fakeTime } from "../support/fake-time";
import { startTenant, type Tenant } from "../support/tenant";

/** `n` database connections whose deny list holds `keep`. */
function connections(prefix: string, n: number): Connection[] {
    return Array.from({ length: n }, (_, i) => ({
        id: `con_${prefix}${String(i).padStart(16 - prefix.length, "0")}`,
        name: `${prefix.toLowerCase()}-${i}`,
        strategy: "auth0",
        options: { brute_force_protection: true, non_persistent_attrs: ["keep"] },
    }));
}

describe("rate limits, on fake time", () => {
    let tenant: Tenant;
    let time: FakeTime;
    afterEach(() => tenant?.emulator.stop());

    /** An emulator with Auth0's clock `aheadMs` ahead of the provider's, both on fake time. */
    async function start(options: EmulatorOptions, aheadMs = 0): Promise<void> {
        time = fakeTime();
        // Fixed jitter: the run is the same every time.
        const client = { ...time.client, random: () => 0.5 };
        tenant = await startTenant({ ...options, clock: time.emulator(aheadMs) }, { client });
    }

    /** Runs one create per connection, all at once; every one must succeed. */
    async function createAll(seed: Connection[], target: (c: Connection) => object = (c) => ({ connectionId: c.id })) {
        const results = await time.run(
            Promise.allSettled(seed.map((c) => tenant.provider.create({ ...target(c), attributes: ["a"] }))),
            { limitMs: 600_000, emulator: tenant.emulator },
        );
        assert.deepEqual(
            results.filter((r) => r.status === "rejected"),
            [],
        );
        for (const c of seed) assert.deepEqual(listOn(tenant.emulator, c.id), ["keep", "a"]);
    }

    it("a reset an hour ahead on a 429 (client clock behind Auth0's) holds nothing past the cap, and says so", async () => {
        await start({}, 3_600_000);
        tenant.emulator.injectFault({ kind: "429", method: "GET" });
        const creating = tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        await time.run(creating, { limitMs: 600_000, emulator: tenant.emulator });
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), ["a"]);
        // One wait: the policy's longest.
        assert.equal(time.elapsed(), 30_000);
        assert.deepEqual(tenant.log, [
            `auth0: GET /api/v2/connections/${SEED_IDS.google} → HTTP 429 (x-ratelimit-reset is 3601.0 s ahead; ` +
                "counting 30.0 s at most: is this machine's clock behind Auth0's?); retrying in 30.0 s (attempt 2)",
        ]);
    });

    it("a probe answered with a reset 600 s ahead paces five creates over seconds, not minutes, and says so", async () => {
        const seed = connections("Skewed", 5);
        await start({ seed, rateLimit: { burst: 3, perSecond: 3 } }, 600_000);
        await createAll(seed);
        // Ten requests, none paced from more than the cap.
        assert.ok(time.elapsed() < 10 * MAX_PACING_MS, `took ${time.elapsed()} ms of fake time`);
        assert.match(
            tenant.log[0],
            /^auth0: rate limit: 2 of 3 requests left, 8 queued; pacing requests at one every 1\.5 s \(x-ratelimit-reset is 601\.0 s ahead; counting 5\.0 s at most/,
        );
    });

    it("a free-tier bucket (2 at once, 2 a second) is learned from the first answer: no wave of 429s", async () => {
        const seed = connections("Small", 12);
        await start({ seed, rateLimit: { burst: 2, perSecond: 2 } });
        await createAll(seed);
        // Sent all at once, 10 of the first 12 GETs would be refused together. Paced from the
        // probe's answer (before any 429), a request the pace sends a little early is refused
        // alone, and the pace slows down.
        assert.match(tenant.log[0], /^auth0: rate limit: 1 of 2 requests left, 22 queued; pacing requests/);
        const refused = tenant.emulator.requests().filter((r) => r.status === 429);
        assert.equal(new Set(refused.map((r) => r.time)).size, refused.length, "two requests refused at once");
    });

    it("20 resources by name on a bucket of 5 at 10 a second apply every list, each wait one line", async () => {
        const seed = connections("Limited", 20);
        await start({ seed, rateLimit: { burst: 5, perSecond: 10 } });
        await createAll(seed, (c) => ({ connectionName: c.name }));
        assert.ok(tenant.log.length > 0, "the limit was reached");
        for (const line of tenant.log)
            assert.match(line, /^auth0: .*(retrying in|pacing requests at one every) \d+\.\d s/);
    });
});
