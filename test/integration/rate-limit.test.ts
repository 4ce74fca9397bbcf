/**
 * The pacing model over real HTTP, against the emulator's bucket in each way a tenant may report
 * it (its reset meaning the next allowed request or a full bucket, only `Retry-After`, no header at
 * all, a reset an hour in the past or ahead), on fake time shared by both: a limit of a few requests
 * a second is exact and takes no real time. Each case is the smallest bucket Auth0 has (the free
 * tier: 2 at once, 2 a second), where every GET and its PATCH need the whole bucket.
 */
import assert from "node:assert/strict";
import type { Connection, RateLimitOptions } from "../../emulator";
import { listOn } from "../support/connection";
import { FAKE_START, type FakeTime, fakeTime } from "../support/fake-time";
import { bridgedUpdate } from "../support/other-writer";
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

const FREE_TIER = { burst: 2, perSecond: 2 };
const CREATES = 12;

/**
 * Each reading, and how close to the bucket's own bound, (accepted requests − burst) ÷ rate, the
 * creates must end. With `remaining` the model counts the refill; without, only 429s speak and a
 * refused request backs off, so the bound is looser there.
 */
const READINGS: { name: string; headers: Partial<RateLimitOptions>; within: number }[] = [
    { name: "x-ratelimit-reset = when the bucket is full again", headers: { headers: "reset-full" }, within: 1.1 },
    { name: "x-ratelimit-reset = when the next request is allowed", headers: { headers: "reset-next" }, within: 1.1 },
    { name: "a reset an hour in the past (this clock ahead)", headers: { resetOffsetSeconds: -3600 }, within: 1.1 },
    { name: "a reset an hour ahead (this clock behind)", headers: { resetOffsetSeconds: 3600 }, within: 1.1 },
    { name: "Retry-After only", headers: { headers: "retry-after" }, within: 1.5 },
    { name: "no rate header at all, only 429s", headers: { headers: "none" }, within: 1.5 },
];

describe("rate limits over HTTP on fake time, whatever the headers mean", () => {
    let tenant: Tenant;
    let time: FakeTime;
    afterEach(() => tenant?.emulator.stop());

    /** Creates one list per connection, all at once; every one must succeed. */
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

    async function start(rateLimit: RateLimitOptions, seed: Connection[]) {
        time = fakeTime();
        // Fixed jitter: the run is the same every time.
        tenant = await startTenant(
            { seed, rateLimit, clock: time.emulator() },
            { client: { ...time.client, random: () => 0.5 } },
        );
    }

    for (const { name, headers, within } of READINGS) {
        it(`${name}: ${CREATES} creates on a free-tier bucket end within ${within}× its bound, no wave of 429s after the first`, async () => {
            const seed = connections("Small", CREATES);
            await start({ ...FREE_TIER, ...headers }, seed);
            await createAll(seed);
            const api = tenant.emulator.requests().filter((r) => r.path !== "/oauth/token");
            const accepted = api.filter((r) => r.status !== 429).length;
            const bound = ((accepted - FREE_TIER.burst) / FREE_TIER.perSecond) * 1000;
            assert.ok(time.elapsed() <= within * bound, `${time.elapsed()} ms for a bound of ${bound} ms`);
            // The first contact sends every GET at once (nothing shows the bucket before an answer);
            // after it, the model holds the others: fewer 429s than creates.
            const later = api.filter((r) => r.status === 429 && r.time > FAKE_START).length;
            assert.ok(later < CREATES, `${later} 429s after the first wave`);
        });
    }

    it("a 429 whose x-ratelimit-reset is an hour ahead is retried at the bucket's pace, saying this machine's clock may be behind Auth0's", async () => {
        const [target, other] = connections("Ahead", 2);
        await start({ ...FREE_TIER, resetOffsetSeconds: 3600 }, [target, other]);
        // Another writer has just used the whole bucket: the first request meets a 429.
        for (let i = 0; i < FREE_TIER.burst; i++) await bridgedUpdate(tenant.emulator, other.id, {});
        await createAll([target]);
        assert.ok(
            tenant.log.some((line) =>
                /x-ratelimit-reset is 36\d\d\.\d s ahead, past the 30\.0 s cap: is this machine's clock behind Auth0's\?\); retrying in 1\.\d s/.test(
                    line,
                ),
            ),
            tenant.log.join("\n"),
        );
        // Its GET and PATCH wait for two tokens of the refill (1 s), not for the reset or the cap.
        const bound = (2 / FREE_TIER.perSecond) * 1000;
        assert.ok(time.elapsed() <= 1.1 * bound, `${time.elapsed()} ms for a bound of ${bound} ms`);
    });

    it("20 resources by name on a bucket of 5 at 10 a second apply every list, each wait one line", async () => {
        const seed = connections("Limited", 20);
        await start({ burst: 5, perSecond: 10 }, seed);
        await createAll(seed, (c) => ({ connectionName: c.name }));
        assert.ok(tenant.log.length > 0, "the limit was reached");
        for (const line of tenant.log) {
            assert.match(
                line,
                /^auth0: (.*retrying in \d+\.\d s|the tenant's rate limit is reached .*; pacing requests$)/,
            );
        }
    });
});
