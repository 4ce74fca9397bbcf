import assert from "node:assert/strict";
import sinon from "sinon";
import { SYSTEM_CLOCK } from "../../provider/auth0/clock";
import { baseUrlOf, isLoopback, requestTimeoutMs, resolveCredentials } from "../../provider/auth0/credentials";
import { errorFromNetwork, networkFailureKind } from "../../provider/auth0/errors";
import { parseJson, stringifyJson } from "../../provider/auth0/json";
import { type RateAnswer, RateLimit } from "../../provider/auth0/rate-limit";
import { redact, redactQuoted } from "../../provider/auth0/redact";
import { type Attempt, DEFAULT_RETRY, Retrier, retryDelayMs } from "../../provider/auth0/retry";
import { TokenCache } from "../../provider/auth0/token";

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

describe("retry policy", () => {
    const env = (random = 0.5) => ({ policy: DEFAULT_RETRY, random: () => random });
    const LEFT = DEFAULT_RETRY.maxTotalMs;

    it("retryable failures back off exponentially with ±10% jitter, capped", () => {
        const at = (count: number, random: number) => retryDelayMs({}, count, env(random), LEFT);
        assert.equal(at(1, 0.5), 250);
        assert.equal(at(3, 0.5), 1000);
        assert.equal(at(3, 0), 900);
        assert.equal(at(3, 0.999), 1100);
        assert.equal(at(7, 0.5), 16000);
    });

    it("stops past the attempts (429s excepted) or when the wait would end past the deadline", () => {
        assert.equal(retryDelayMs({}, DEFAULT_RETRY.maxAttempts, env(), LEFT), undefined);
        assert.equal(retryDelayMs({ rateLimited: true }, DEFAULT_RETRY.maxAttempts, env(), LEFT), 30_000);
        assert.equal(retryDelayMs({}, 2, env(), 100), undefined);
    });

    it("an attempt that finds the deadline passed ends the loop with the error before it", async () => {
        let now = NOW;
        const lines: string[] = [];
        const retry = new Retrier({
            policy: { ...DEFAULT_RETRY, maxTotalMs: 1000 },
            clock: {
                now: () => now,
                sleep: async (ms) => {
                    now += ms;
                },
            },
            random: () => 0.5,
            log: (line) => lines.push(line),
        });
        const script: Attempt<never>[] = [
            { kind: "retry", reason: "PATCH → ETIMEDOUT", error: new Error("no answer"), mayHaveApplied: true },
            { kind: "expired", error: new Error("out of time") },
        ];
        const deadlines: number[] = [];
        await assert.rejects(
            retry.run(async (deadline) => {
                deadlines.push(deadline);
                now += 400;
                return script.shift() as Attempt<never>;
            }),
            /^Error: no answer \(1 attempt in 1\.1 s\)$/,
        );
        assert.deepEqual(deadlines, [NOW + 1000, NOW + 1000], "one deadline for the whole operation");
        assert.deepEqual(lines, ["auth0: PATCH → ETIMEDOUT; retrying in 0.3 s (attempt 2 of 8)"]);
    });
});

describe("lossless JSON", () => {
    it("writes back every number and key exactly as read", () => {
        const text =
            '{"big":12345678901234567891,"neg":-98765432109876543210,"f":1.50,"e":1e3,"z":-0,"n":42,' +
            '"__proto__":{"constructor":{"prototype":9007199254740993}},"s":"é😀","a":[1,2.0,null,true]}';
        const value = parseJson(text) as Record<string, unknown>;
        assert.equal(stringifyJson(value), text);
        assert.ok(Object.hasOwn(value, "__proto__"), "an own __proto__ key");
        assert.equal(Object.getPrototypeOf(value), Object.prototype);
        assert.equal(value.n, 42, "a number that survives a round trip is a plain number");
    });

    it("takes the last of repeated keys, as JSON.parse does", () => {
        assert.deepEqual(parseJson('{"a":1,"a":2}'), { a: 2 });
        assert.throws(() => parseJson("<html>"), SyntaxError);
    });
});

describe("network failures", () => {
    const tenant = "https://acme.eu.auth0.com";
    const context = { operation: "read connection", connection: "con_a1", tenant };

    it("DNS, TLS and protocol errors are permanent and say the fix; timeouts and resets are retried", () => {
        for (const code of ["ENOTFOUND", "EAI_FAIL", "EPROTO", "ERR_SSL_WRONG_VERSION_NUMBER", "CERT_HAS_EXPIRED"]) {
            assert.equal(networkFailureKind(code, tenant), "permanent", code);
        }
        for (const code of ["ETIMEDOUT", "ECONNRESET", "EPIPE", "ERR_NETWORK", "EAI_AGAIN"]) {
            assert.equal(networkFailureKind(code, tenant), "transient", code);
        }
        assert.equal(networkFailureKind("ECONNREFUSED", tenant), "not-sent");
        assert.match(
            errorFromNetwork(context, "ENOTFOUND", 30_000).message,
            /the host of https:\/\/acme\.eu\.auth0\.com does not resolve \(ENOTFOUND\): check auth0:domain/,
        );
        assert.match(errorFromNetwork(context, "ETIMEDOUT", 30_000, true).message, /may have been applied/);
    });

    it("nothing listening on a loopback address is permanent and names the fix", () => {
        const local = { ...context, tenant: "http://127.0.0.1:4011" };
        assert.equal(networkFailureKind("ECONNREFUSED", local.tenant), "permanent");
        assert.match(
            errorFromNetwork(local, "ECONNREFUSED", 30_000, true).message,
            /nothing is listening on http:\/\/127\.0\.0\.1:4011 \(ECONNREFUSED\): start the emulator .*Nothing was written\.$/,
        );
    });
});

describe("token cache", () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
        clock = sinon.useFakeTimers(NOW);
    });
    afterEach(() => clock.restore());

    const counting = () => {
        let fetches = 0;
        const tokens = new TokenCache(async () => ({ accessToken: `t${++fetches}`, expiresInSeconds: 3600 }));
        return { tokens, fetches: () => fetches };
    };

    it("shares one in-flight fetch and reuses the token until 60 s before it expires", async () => {
        const cache = counting();
        assert.deepEqual(await Promise.all([cache.tokens.get(), cache.tokens.get(), cache.tokens.get()]), [
            "t1",
            "t1",
            "t1",
        ]);
        await clock.tickAsync((3600 - 61) * 1000);
        assert.equal(await cache.tokens.get(), "t1");
        await clock.tickAsync(2000);
        assert.equal(await cache.tokens.get(), "t2");
        assert.equal(cache.fetches(), 2);
    });

    it("renews a rejected token once for every operation that used it; a renewal rejected too is final", async () => {
        const cache = counting();
        const token = await cache.tokens.get();
        assert.deepEqual([cache.tokens.rejected(token), cache.tokens.rejected(token)], [true, true]);
        assert.deepEqual(await Promise.all([cache.tokens.get(), cache.tokens.get()]), ["t2", "t2"]);
        assert.equal(cache.tokens.rejected("t1"), true, "a late 401 for the old token: use the new one");
        assert.equal(await cache.tokens.get(), "t2");
        assert.equal(cache.tokens.rejected("t2"), false);
        assert.equal(cache.fetches(), 2);
        assert.deepEqual(cache.tokens.issued(), ["t1", "t2"]);
    });

    it("renews an accepted renewal again when it is rejected later (it expired)", async () => {
        const cache = counting();
        cache.tokens.rejected(await cache.tokens.get());
        const renewed = await cache.tokens.get();
        cache.tokens.accepted(renewed);
        assert.equal(cache.tokens.rejected(renewed), true);
        assert.equal(await cache.tokens.get(), "t3");
    });

    it("never renews a configured token", async () => {
        const tokens = new TokenCache(async () => ({ accessToken: "fixed", expiresInSeconds: 3600 }), Date.now, false);
        assert.equal(tokens.rejected(await tokens.get()), false);
    });

    it("lets a failed fetch be retried", async () => {
        let fetches = 0;
        const cache = new TokenCache(async () => {
            if (++fetches === 1) throw new Error("down");
            return { accessToken: "ok", expiresInSeconds: 3600 };
        });
        await assert.rejects(cache.get(), /down/);
        assert.equal(await cache.get(), "ok");
    });
});

describe("rate limit", () => {
    let clock: sinon.SinonFakeTimers;
    let lines: string[];
    beforeEach(() => {
        clock = sinon.useFakeTimers(NOW);
        lines = [];
    });
    afterEach(() => clock.restore());

    const rateLimit = () =>
        new RateLimit({ clock: SYSTEM_CLOCK, log: (line) => lines.push(line), maxHoldMs: 30_000, unhintedHoldMs: 250 });
    /** An answer whose headers report a bucket of `limit` with `remaining` left, full again in `resetMs`. */
    const answer = (status: number, limit: number, remaining: number, resetMs: number, more = {}): RateAnswer => ({
        status,
        headers: {
            "x-ratelimit-limit": String(limit),
            "x-ratelimit-remaining": String(remaining),
            "x-ratelimit-reset": String((Date.now() + resetMs) / 1000),
            ...more,
        },
    });
    /** Passes `n` units of `slots` at once; resolves to when each went, in ms from NOW. */
    const passes = (gate: RateLimit, n: number, slots = 1) => {
        const sent: number[] = [];
        const done = Promise.all(
            Array.from({ length: n }, () => gate.pass(slots).then(() => sent.push(Date.now() - NOW))),
        );
        return { sent, done };
    };

    it("a 429 waits for Retry-After in seconds or as an HTTP date, else until x-ratelimit-reset", () => {
        const limit = rateLimit();
        assert.deepEqual(limit.observe(answer(429, 2, 0, 1000, { "retry-after": "2" })), { waitMs: 2000 });
        const date = new Date(NOW + 5000).toUTCString();
        assert.deepEqual(limit.observe(answer(429, 2, 0, 1000, { "retry-after": date })), { waitMs: 5000 });
        assert.deepEqual(limit.observe(answer(429, 2, 0, 3000)), { waitMs: 3000 });
        assert.deepEqual(limit.observe({ status: 429, headers: {} }), {}, "no hint: the caller backs off");
    });

    it("a 429 whose reset lies an hour ahead holds everyone for the cap only, and says why", async () => {
        const limit = rateLimit();
        const refusal = limit.observe(answer(429, 50, 0, 3_600_000));
        assert.equal(refusal?.waitMs, 30_000);
        assert.match(
            String(refusal?.capped),
            /^x-ratelimit-reset is 3600\.0 s ahead; counting 30\.0 s at most: is this machine's clock behind Auth0's\?$/,
        );
        const { sent, done } = passes(limit, 1);
        await clock.tickAsync(60_000);
        await done;
        assert.deepEqual(sent, [30_000]);
    });

    it("paces after a success that says the bucket is empty, from a reset capped at 5 s, and says so", async () => {
        const limit = rateLimit();
        limit.observe(answer(200, 1, 0, 3_600_000));
        assert.deepEqual(lines, [
            "auth0: rate limit reached (x-ratelimit-remaining: 0); pacing requests at one every 4.5 s " +
                "(x-ratelimit-reset is 3600.0 s ahead; counting 5.0 s at most: is this machine's clock behind Auth0's?)",
        ]);
        const { sent, done } = passes(limit, 2);
        await clock.tickAsync(60_000);
        await done;
        assert.deepEqual(sent, [0, 4500]);
    });

    it("sends one probe first; a bucket with room then lets everyone through at once", async () => {
        const limit = rateLimit();
        const { sent, done } = passes(limit, 3, 2);
        await clock.tickAsync(100);
        assert.deepEqual(sent, [0], "the others wait for the probe's answer");
        limit.observe(answer(200, 50, 48, 1000));
        await clock.tickAsync(0);
        await done;
        assert.deepEqual(sent, [0, 100, 100]);
        assert.deepEqual(lines, []);
    });

    it("a small bucket seen on the probe's answer starts pacing before any 429, and says so", async () => {
        const limit = rateLimit();
        const { sent, done } = passes(limit, 4);
        await clock.tickAsync(50);
        // Bucket of 2 with 1 left (and the probe may send one more), full again within 1 s: the
        // pace starts at (1000 - 500) / 2 = 250 ms a request, after the probe's remaining token.
        limit.observe(answer(200, 2, 1, 1000));
        await clock.tickAsync(5000);
        await done;
        assert.deepEqual(sent, [0, 300, 550, 800]);
        assert.deepEqual(lines, [
            "auth0: rate limit: 1 of 2 requests left, 3 queued; pacing requests at one every 0.3 s",
        ]);
    });

    it("a probe answered with a reset 600 s ahead paces from 5 s at most", async () => {
        const limit = rateLimit();
        const { sent, done } = passes(limit, 3, 2);
        limit.observe(answer(200, 3, 2, 600_000));
        await clock.tickAsync(60_000);
        await done;
        // (5000 - 500) / 3 = 1.5 s a request, after the probe's remaining tokens.
        assert.deepEqual(sent, [0, 1500, 4500]);
        assert.match(lines[0], /x-ratelimit-reset is 600\.0 s ahead; counting 5\.0 s at most/);
    });

    it("a probe that got no answer lets the others go", async () => {
        const limit = rateLimit();
        const { sent, done } = passes(limit, 2);
        await clock.tickAsync(30);
        limit.observe(undefined);
        await clock.tickAsync(0);
        await done;
        assert.deepEqual(sent, [0, 30]);
    });

    it("after a 429 holds everyone until the reset, then lets a burst through and paces the rest", async () => {
        const limit = rateLimit();
        // Reset in 1.5 s, bucket of 2: the interval estimate is (1500 - 500) / 2 = 500 ms.
        limit.observe(answer(429, 2, 0, 1500));
        const { sent, done } = passes(limit, 4);
        await clock.tickAsync(5000);
        await done;
        assert.deepEqual(sent, [1500, 1500, 2000, 2500]);
    });

    it("speeds up on success and slows down by half on a new wave of refusals, once per wave", async () => {
        const limit = rateLimit();
        limit.observe(answer(200, 1, 0, 1500)); // interval 1000 ms
        limit.observe(answer(200, 1, 1, 1500)); // 950 ms
        await clock.tickAsync(10_000);
        const faster = passes(limit, 2);
        await clock.tickAsync(5000);
        await faster.done;
        assert.equal(faster.sent[1] - faster.sent[0], 950);
        limit.observe(answer(429, 1, 0, 1000));
        limit.observe(answer(429, 1, 0, 1000)); // the same wave: no second slow-down
        await clock.tickAsync(10_000);
        const slower = passes(limit, 2);
        await clock.tickAsync(10_000);
        await slower.done;
        assert.equal(slower.sent[1] - slower.sent[0], 1425);
    });
});

describe("credentials", () => {
    const env = { AUTH0_DOMAIN: "env.auth0.com", AUTH0_CLIENT_ID: "env-id", AUTH0_CLIENT_SECRET: "env-secret" };

    it("uses stack config whole: a token or secret in the environment never overrides or completes it", () => {
        const conflicting = { ...env, AUTH0_API_TOKEN: "env-token" };
        const config = {
            "auth0:domain": "cfg.eu.auth0.com",
            "auth0:clientId": "cfg-id",
            "auth0:clientSecret": "cfg-secret",
        };
        assert.deepEqual(resolveCredentials(config, conflicting), {
            baseUrl: "https://cfg.eu.auth0.com",
            clientId: "cfg-id",
            clientSecret: "cfg-secret",
            apiToken: undefined,
        });
        assert.throws(
            () => resolveCredentials({ "auth0:domain": "cfg.eu.auth0.com" }, conflicting),
            /stack config sets auth0:domain but no credentials: run `pulumi config set auth0:clientId/,
        );
        assert.throws(
            () => resolveCredentials({ "auth0:domain": "cfg.eu.auth0.com", "auth0:clientId": "cfg-id" }, conflicting),
            /credentials in stack config are incomplete: auth0:clientSecret is not set \(AUTH0_\* environment variables are not mixed/,
        );
        assert.throws(
            () => resolveCredentials({ "auth0:clientId": "cfg-id", "auth0:clientSecret": "s" }, conflicting),
            /stack config sets other auth0:\* keys but not auth0:domain/,
        );
    });

    it("uses the environment whole when stack config sets nothing", () => {
        assert.deepEqual(resolveCredentials({ "auth0:domain": "  " }, env), {
            baseUrl: "https://env.auth0.com",
            clientId: "env-id",
            clientSecret: "env-secret",
            apiToken: undefined,
        });
    });

    it("names the missing setting and how to set it", () => {
        assert.throws(() => resolveCredentials({}, {}), /Auth0 domain is not set: run `pulumi config set auth0:domain/);
        assert.throws(
            () => resolveCredentials({}, { AUTH0_DOMAIN: "x.auth0.com" }),
            /pulumi config set --secret auth0:clientSecret/,
        );
        assert.doesNotThrow(() => resolveCredentials({}, { AUTH0_DOMAIN: "x.auth0.com", AUTH0_API_TOKEN: "t" }));
    });

    it("implies https, allows plain http only to loopback hosts", () => {
        assert.equal(baseUrlOf("acme.eu.auth0.com"), "https://acme.eu.auth0.com");
        assert.equal(baseUrlOf("https://acme.eu.auth0.com/"), "https://acme.eu.auth0.com");
        assert.equal(baseUrlOf("http://127.0.0.1:4010"), "http://127.0.0.1:4010");
        assert.equal(baseUrlOf("http://localhost:4010"), "http://localhost:4010");
        assert.throws(() => baseUrlOf("http://acme.eu.auth0.com"), /plain http, allowed only for loopback hosts/);
        assert.throws(() => baseUrlOf("http://10.0.0.1"), /plain http/);
        assert.throws(() => baseUrlOf("ftp://acme.eu.auth0.com"), /must use https/);
        assert.equal(baseUrlOf("https://127.0.0.1:4010"), "https://127.0.0.1:4010", "https to loopback stays allowed");
        assert.equal(isLoopback("[::1]"), true);
        assert.equal(isLoopback("127.8.9.10"), true);
        assert.equal(isLoopback("128.0.0.1"), false);
    });

    it("refuses a loopback host without a scheme, naming the fix, before any request", () => {
        assert.throws(
            () => baseUrlOf("localhost:4010"),
            /"localhost:4010" is a loopback host without a scheme: use http:\/\/localhost:4010/,
        );
        assert.throws(() => baseUrlOf("127.0.0.1:4010"), /use http:\/\/127\.0\.0\.1:4010/);
        assert.throws(() => baseUrlOf("[::1]:4010"), /use http:\/\/\[::1\]:4010/);
        assert.throws(
            () => resolveCredentials({}, { ...env, AUTH0_DOMAIN: "localhost:4010" }),
            /use http:\/\/localhost:4010/,
        );
    });

    it("refuses a domain that cannot be a host name", () => {
        for (const domain of ["acme_tenant.auth0.com", "-acme.auth0.com", "acme..auth0.com", "acme eu.auth0.com"]) {
            assert.throws(() => baseUrlOf(domain), /is not a host name/, domain);
        }
        assert.throws(
            () => baseUrlOf("https://acme.eu.auth0.com/api/v2"),
            /has a path, query or fragment: use https:\/\/acme\.eu\.auth0\.com/,
        );
        assert.throws(
            () => baseUrlOf("https://user:FAKE-pw-123@acme.eu.auth0.com"),
            (error: Error) =>
                /"https:\/\/user:\[redacted\]@acme\.eu\.auth0\.com" carries a user name or password/.test(
                    error.message,
                ) && !error.message.includes("FAKE-pw-123"),
        );
    });

    it("reads the request timeout from AUTH0_DENY_LIST_TIMEOUT_MS and rejects nonsense by name", () => {
        assert.equal(requestTimeoutMs({}), undefined);
        assert.equal(requestTimeoutMs({ AUTH0_DENY_LIST_TIMEOUT_MS: "5000" }), 5000);
        assert.throws(
            () => requestTimeoutMs({ AUTH0_DENY_LIST_TIMEOUT_MS: "5s" }),
            /AUTH0_DENY_LIST_TIMEOUT_MS="5s" is not a whole number/,
        );
        assert.throws(() => requestTimeoutMs({ AUTH0_DENY_LIST_TIMEOUT_MS: "-1" }), /not a whole number/);
    });
});

describe("redact", () => {
    const secret = "FAKE s3cret/+=&ü~!*";

    it("removes a secret as written, URL-encoded and form-encoded", () => {
        const text = [
            `raw ${secret}`,
            `uri ${encodeURIComponent(secret)}`,
            `form client_secret=${new URLSearchParams({ s: secret }).toString().slice(2)}&x=1`,
        ].join("\n");
        const out = redact(text, [secret]);
        assert.equal(out, "raw [redacted]\nuri [redacted]\nform client_secret=[redacted]&x=1");
    });

    it("removes the password of a URL's user info, whatever the secrets given", () => {
        assert.equal(
            redact("GET https://admin:hunter2@acme.eu.auth0.com/api failed; see http://u:p%40ss@127.0.0.1:9/x", []),
            "GET https://admin:[redacted]@acme.eu.auth0.com/api failed; see http://u:[redacted]@127.0.0.1:9/x",
        );
        assert.equal(
            redact("mailto:someone@example.com and https://host/a@b", []),
            "mailto:someone@example.com and https://host/a@b",
        );
    });

    it("ignores secrets too short to be one", () => {
        assert.equal(redact("abc", ["abc", undefined, ""]), "abc");
    });

    it("hides from a quoting answer each value the request carried, whole or cut, in any encoding", () => {
        const pem = "-----BEGIN PRIVATE KEY-----\nFAKE-key-material-0123456789\n-----END PRIVATE KEY-----\n";
        const carried = ["FAKE-client-secret-0000", pem, "good"];
        const quoted = (body: string) => `blocked near: ${body}`;
        assert.equal(
            redactQuoted(quoted(JSON.stringify({ client_secret: carried[0], passwordPolicy: "good" })), carried),
            'blocked near: {"client_secret":"[redacted]","passwordPolicy":"[redacted]"}',
        );
        // A quote that starts inside the key and is cut short still hides every character of it.
        const cut = JSON.stringify(pem).slice(23, 63);
        assert.equal(redactQuoted(quoted(`${cut}…`), carried), "blocked near: [redacted]…");
        assert.equal(redactQuoted("Payload validation error", carried), "Payload validation error");
    });
});
