import assert from "node:assert/strict";
import { type RateLimitStatus, rateLimitHeaders, TokenBucket } from "../../emulator/rate-limit";
import { SEED_IDS } from "../../emulator/seed";
import { fakeTime } from "../support/fake-time";
import { accessToken, apiErrorBody, type Response, request, requestToken, tokenForm, useEmulator } from "./helpers";

const LIST = "/api/v2/connections";

const limitHeaders = (response: Response) =>
    ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"].map((name) => response.headers.get(name));

describe("emulator rate limit", () => {
    describe("with a slow bucket", () => {
        const emulator = useEmulator(() => ({ rateLimit: { burst: 3, perSecond: 0.5 } }));

        it("answers 429 too_many_requests once the burst is spent, with the remaining count", async () => {
            const token = await accessToken(emulator());
            const responses = [];
            for (let i = 0; i < 4; i++) responses.push(await request(emulator(), "GET", LIST, { token }));
            assert.deepEqual(
                responses.map((r) => r.status),
                [200, 200, 200, 429],
            );
            assert.deepEqual(
                responses.map((r) => r.headers.get("x-ratelimit-remaining")),
                ["2", "1", "0", "0"],
            );
            assert.deepEqual(
                responses[3].json,
                apiErrorBody(429, "Too Many Requests", "Global limit has been reached", "too_many_requests"),
            );
            assert.equal(responses[3].headers.get("retry-after"), null);
            // Empty bucket, 3 tokens at 0.5/s: full again about 6 s from now, in epoch seconds.
            const reset = Number(responses[3].headers.get("x-ratelimit-reset"));
            const now = Date.now() / 1000;
            assert.ok(reset >= now + 5 && reset <= now + 7, `reset ${reset} vs now ${now}`);
        });

        it("sends the x-ratelimit headers on every response, /oauth/token and errors included", async () => {
            const responses = [
                await requestToken(emulator(), tokenForm(emulator())),
                await requestToken(emulator(), { ...tokenForm(emulator()), client_secret: "wrong" }),
                await request(emulator(), "GET", LIST),
                await request(emulator(), "GET", "/elsewhere"),
            ];
            const token = await accessToken(emulator());
            const path = `/api/v2/connections/${SEED_IDS.auth0}`;
            responses.push(await request(emulator(), "PATCH", path, { token, body: { id: "x" } }));
            // The unauthenticated GET and the PATCH drew a token each: one left.
            responses.push(await request(emulator(), "GET", LIST, { token }));
            responses.push(await request(emulator(), "GET", LIST, { token }));
            assert.deepEqual(
                responses.map((r) => r.status),
                [200, 401, 401, 404, 400, 200, 429],
            );
            for (const response of responses) {
                const [limit, remaining, reset] = limitHeaders(response);
                assert.equal(limit, "3");
                assert.match(String(remaining), /^\d+$/);
                assert.match(String(reset), /^\d{10}$/);
            }
        });

        it("does not draw from the bucket for /oauth/token", async () => {
            for (let i = 0; i < 5; i++)
                assert.equal((await requestToken(emulator(), tokenForm(emulator()))).status, 200);
            const token = await accessToken(emulator());
            assert.equal((await request(emulator(), "GET", LIST, { token })).headers.get("x-ratelimit-remaining"), "2");
        });
    });

    describe("on a fake clock", () => {
        const time = fakeTime();
        const emulator = useEmulator(() => ({
            rateLimit: { burst: 1, perSecond: 0.5 },
            latencyMs: 1000,
            clock: time.clock,
        }));

        it("delays answers, refills, reports resets, records times and expires tokens on the clock it is given", async () => {
            const start = time.clock.now;
            const token = await time.run(accessToken(emulator()));
            const get = () => time.run(request(emulator(), "GET", LIST, { token }));
            const first = await get();
            assert.equal(first.status, 200);
            // Drawn after its 1 s of latency, at 2 s: empty, full again 2 s later.
            assert.equal(first.headers.get("x-ratelimit-reset"), String((start + 4000) / 1000));
            assert.equal((await get()).status, 429, "half a token refilled by 3 s");
            await time.clock.tickAsync(1000);
            assert.equal((await get()).status, 200);
            assert.deepEqual(
                emulator()
                    .requests()
                    .map((r) => [r.time - start, r.status]),
                [
                    [0, 200],
                    [1000, 200],
                    [2000, 429],
                    [4000, 200],
                ],
            );
            await time.clock.tickAsync(86_400_000);
            assert.equal((await get()).status, 401, "the token expired a fake day after it was issued");
        });
    });

    describe("without a limit", () => {
        const emulator = useEmulator();

        it("still sends the headers, with a very large limit", async () => {
            const response = await request(emulator(), "GET", LIST, { token: await accessToken(emulator()) });
            const [limit, remaining] = limitHeaders(response).map(Number);
            assert.ok(limit >= 1_000_000);
            assert.ok(remaining >= limit - 1);
        });
    });
});

describe("TokenBucket", () => {
    it("refills continuously and reports when the next request is allowed and when it is full again", () => {
        let now = 10_000;
        const bucket = new TokenBucket(2, 4, () => now);
        const status = (s: RateLimitStatus) => [s.allowed, s.remaining, s.nextAt - now, s.fullAt];
        assert.deepEqual(status(bucket.take()), [true, 1, 0, 11]);
        assert.deepEqual(status(bucket.take()), [true, 0, 250, 11]);
        assert.deepEqual(status(bucket.take()), [false, 0, 250, 11]);
        now += 250;
        assert.deepEqual(status(bucket.peek()), [true, 1, 0, 11]);
        now += 10_000;
        assert.deepEqual(status(bucket.take()), [true, 1, 0, 21]);
    });

    it("refuses a bucket that could never serve a request", () => {
        assert.throws(() => new TokenBucket(0, 1), RangeError);
        assert.throws(() => new TokenBucket(1, 0), RangeError);
    });
});

describe("rate headers, as each reading reports the same bucket", () => {
    // Two tokens at 4 a second, drawn at 10.1 s: one left, then none (the next one 250 ms later).
    const NOW = 10_100;
    const drawn = () => {
        const bucket = new TokenBucket(2, 4, () => NOW);
        return [bucket.take(), bucket.take(), bucket.take()];
    };
    const read = (options: Parameters<typeof rateLimitHeaders>[1]) => drawn().map((s) => rateLimitHeaders(s, options));
    const limits = (remaining: string, reset: string) => ({
        "x-ratelimit-limit": "2",
        "x-ratelimit-remaining": remaining,
        "x-ratelimit-reset": reset,
    });

    it("reset-full (the default): the second the bucket is full again", () => {
        assert.deepEqual(read({}), [limits("1", "11"), limits("0", "11"), limits("0", "11")]);
    });

    it("reset-next: the second the next request is allowed", () => {
        assert.deepEqual(read({ headers: "reset-next" }), [limits("1", "11"), limits("0", "11"), limits("0", "11")]);
        const later = new TokenBucket(2, 0.5, () => NOW);
        later.take();
        later.take();
        // The next token 2 s away, the bucket full 4 s away.
        assert.equal(rateLimitHeaders(later.take(), { headers: "reset-next" })["x-ratelimit-reset"], "13");
        assert.equal(rateLimitHeaders(later.peek(), {})["x-ratelimit-reset"], "15");
    });

    it("retry-after: only a 429 says anything, in whole seconds until the next request", () => {
        assert.deepEqual(read({ headers: "retry-after" }), [{}, {}, { "retry-after": "1" }]);
    });

    it("none: no rate header at all", () => {
        assert.deepEqual(read({ headers: "none" }), [{}, {}, {}]);
    });

    it("an offset moves the reset into the past or far ahead", () => {
        assert.deepEqual(read({ resetOffsetSeconds: -3600 })[0], limits("1", String(11 - 3600)));
        assert.deepEqual(read({ headers: "reset-next", resetOffsetSeconds: 3600 })[2], limits("0", String(11 + 3600)));
    });
});
