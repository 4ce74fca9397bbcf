import assert from "node:assert/strict";
import { TokenBucket } from "../../emulator/rate-limit";
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
    it("refills continuously and reports when it is full again", () => {
        let now = 10_000;
        const bucket = new TokenBucket(2, 4, () => now);
        assert.deepEqual(bucket.take(), { allowed: true, limit: 2, remaining: 1, reset: 11 });
        assert.equal(bucket.take().allowed, true);
        assert.deepEqual(bucket.take(), { allowed: false, limit: 2, remaining: 0, reset: 11 });
        now += 250;
        assert.deepEqual(bucket.peek(), { allowed: true, limit: 2, remaining: 1, reset: 11 });
        now += 10_000;
        assert.deepEqual(bucket.take(), { allowed: true, limit: 2, remaining: 1, reset: 21 });
    });

    it("refuses a bucket that could never serve a request", () => {
        assert.throws(() => new TokenBucket(0, 1), RangeError);
        assert.throws(() => new TokenBucket(1, 0), RangeError);
    });
});
