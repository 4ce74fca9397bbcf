import assert from "node:assert/strict";
import sinon from "sinon";
import { baseUrlOf, isLoopback, requestTimeoutMs, resolveCredentials } from "../../provider/auth0/credentials";
import { errorFromNetwork, networkFailureKind, redact } from "../../provider/auth0/errors";
import { RateGate } from "../../provider/auth0/rate-gate";
import {
    DEFAULT_RETRY,
    emptyBucketDelayMs,
    MAX_PACING_MS,
    rateLimitDelayMs,
    retryDelayMs,
} from "../../provider/auth0/retry";
import { TokenCache } from "../../provider/auth0/token";

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

describe("retry policy", () => {
    const env = (random = 0.5) => ({ policy: DEFAULT_RETRY, random: () => random });

    it("429 waits for Retry-After in seconds or as an HTTP date", () => {
        const hint = rateLimitDelayMs({ "retry-after": "2" }, NOW);
        assert.equal(hint, 2000);
        assert.equal(retryDelayMs({ hintMs: hint, rateLimited: true }, 1, env(), 0), 2050);
        assert.equal(rateLimitDelayMs({ "retry-after": new Date(NOW + 5000).toUTCString() }, NOW), 5000);
    });

    it("429 without Retry-After waits until x-ratelimit-reset (epoch seconds)", () => {
        assert.equal(rateLimitDelayMs({ "x-ratelimit-reset": String(NOW / 1000 + 3) }, NOW), 3000);
    });

    it("retryable failures back off exponentially with ±10% jitter, capped", () => {
        const at = (count: number, random: number) => retryDelayMs({}, count, env(random), 0);
        assert.equal(at(1, 0.5), 250);
        assert.equal(at(3, 0.5), 1000);
        assert.equal(at(3, 0), 900);
        assert.equal(at(3, 0.999), 1100);
        assert.equal(at(7, 0.5), 16000);
    });

    it("a 429 without rate headers backs off exponentially too, not every 250 ms", () => {
        const waits = [1, 2, 3, 4, 5].map((count) => retryDelayMs({ rateLimited: true }, count, env(), 0));
        assert.deepEqual(waits, [250, 500, 1000, 2000, 4000]);
    });

    it("stops past the attempts (429s excepted) or past the time bound", () => {
        assert.equal(retryDelayMs({}, DEFAULT_RETRY.maxAttempts, env(), 0), undefined);
        assert.equal(retryDelayMs({ rateLimited: true }, DEFAULT_RETRY.maxAttempts, env(), 0), 30_000);
        assert.equal(retryDelayMs({}, 2, env(), DEFAULT_RETRY.maxTotalMs - 100), undefined);
    });

    it("caps proactive pacing after a success that says the bucket is empty", () => {
        const farAhead = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 3600) };
        assert.equal(emptyBucketDelayMs(farAhead, NOW), MAX_PACING_MS);
        const soon = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 1) };
        assert.equal(emptyBucketDelayMs(soon, NOW), 1000);
        assert.equal(emptyBucketDelayMs({ "x-ratelimit-remaining": "3" }, NOW), undefined);
    });
});

describe("network failures", () => {
    const context = { operation: "read connection", connection: "con_a1", tenant: "https://acme.eu.auth0.com" };

    it("DNS, TLS and protocol errors are permanent and say the fix; timeouts and resets are retried", () => {
        for (const code of ["ENOTFOUND", "EAI_FAIL", "EPROTO", "ERR_SSL_WRONG_VERSION_NUMBER", "CERT_HAS_EXPIRED"]) {
            assert.equal(networkFailureKind(code), "permanent", code);
        }
        for (const code of ["ETIMEDOUT", "ECONNRESET", "EPIPE", "ERR_NETWORK", "EAI_AGAIN"]) {
            assert.equal(networkFailureKind(code), "transient", code);
        }
        assert.equal(networkFailureKind("ECONNREFUSED"), "not-sent");
        assert.match(
            errorFromNetwork(context, "ENOTFOUND", 30_000).message,
            /the host of https:\/\/acme\.eu\.auth0\.com does not resolve \(ENOTFOUND\): check auth0:domain/,
        );
        assert.match(errorFromNetwork(context, "ETIMEDOUT", 30_000, true).message, /may have been applied/);
    });
});

describe("token cache", () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
        clock = sinon.useFakeTimers(NOW);
    });
    afterEach(() => clock.restore());

    it("shares one in-flight fetch and reuses the token until 60 s before it expires", async () => {
        let fetches = 0;
        const cache = new TokenCache(async () => ({ accessToken: `t${++fetches}`, expiresInSeconds: 3600 }));
        assert.deepEqual(await Promise.all([cache.get(), cache.get(), cache.get()]), ["t1", "t1", "t1"]);
        await clock.tickAsync((3600 - 61) * 1000);
        assert.equal(await cache.get(), "t1");
        await clock.tickAsync(2000);
        assert.equal(await cache.get(), "t2");
        assert.equal(fetches, 2);
    });

    it("forgets a rejected token, but not a newer one", async () => {
        let fetches = 0;
        const cache = new TokenCache(async () => ({ accessToken: `t${++fetches}`, expiresInSeconds: 3600 }));
        await cache.get();
        cache.invalidate("t1");
        assert.equal(await cache.get(), "t2");
        cache.invalidate("t1");
        assert.equal(await cache.get(), "t2");
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

describe("rate gate", () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
        clock = sinon.useFakeTimers(NOW);
    });
    afterEach(() => clock.restore());

    const gate = () => new RateGate(Date.now, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));

    it("sends one probe first; a bucket with room then lets everyone through at once", async () => {
        const g = gate();
        const sent: number[] = [];
        const passes = [1, 2, 3].map(() => g.pass(2).then(() => sent.push(Date.now() - NOW)));
        await clock.tickAsync(100);
        assert.deepEqual(sent, [0], "the others wait for the probe's answer");
        g.observe({ limit: 50, remaining: 48, resetMs: 1000 });
        await clock.tickAsync(0);
        await Promise.all(passes);
        assert.deepEqual(sent, [0, 100, 100]);
    });

    it("a small bucket seen on the probe's answer starts pacing before any 429", async () => {
        const g = gate();
        const sent: number[] = [];
        const passes = [1, 2, 3, 4].map(() => g.pass().then(() => sent.push(Date.now() - NOW)));
        await clock.tickAsync(50);
        // Bucket of 2 with 1 left (and the probe may send one more), full again within 1 s: the
        // pace starts at (1000 - 500) / 2 = 250 ms a request, after the probe's remaining token.
        g.observe({ limit: 2, remaining: 1, resetMs: 1000 });
        await clock.tickAsync(5000);
        await Promise.all(passes);
        assert.deepEqual(sent, [0, 300, 550, 800]);
    });

    it("a probe that got no answer lets the others go", async () => {
        const g = gate();
        const sent: number[] = [];
        const passes = [1, 2].map(() => g.pass().then(() => sent.push(Date.now() - NOW)));
        await clock.tickAsync(30);
        g.observe(undefined);
        await clock.tickAsync(0);
        await Promise.all(passes);
        assert.deepEqual(sent, [0, 30]);
    });

    it("after a 429 holds everyone until the reset, then lets a burst through and paces the rest", async () => {
        const g = gate();
        // Reset in 1.5 s, bucket of 2: the interval estimate is (1500 - 500) / 2 = 500 ms.
        g.limited(1500, 2, true);
        const sent: number[] = [];
        const passes = [1, 2, 3, 4].map(() => g.pass().then(() => sent.push(Date.now() - NOW)));
        await clock.tickAsync(5000);
        await Promise.all(passes);
        assert.deepEqual(sent, [1500, 1500, 2000, 2500]);
    });

    it("speeds up on success and slows down on a new refusal", async () => {
        const g = gate();
        g.limited(1500, 1, false); // interval 1000 ms, no hold
        g.succeeded(); // 950 ms
        await clock.tickAsync(10_000);
        const sent: number[] = [];
        const first = g.pass().then(() => sent.push(Date.now()));
        const second = g.pass().then(() => sent.push(Date.now()));
        await clock.tickAsync(5000);
        await Promise.all([first, second]);
        assert.equal(sent[1] - sent[0], 950);
        assert.equal(g.limited(1000, 1, true), true, "a refusal while pacing slows down");
        assert.equal(g.limited(1000, 1, true), false, "refusals of one wave count once");
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
            source: "stack config",
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

    it("uses the environment whole when stack config sets nothing, and says so", () => {
        assert.deepEqual(resolveCredentials({ "auth0:domain": "  " }, env), {
            baseUrl: "https://env.auth0.com",
            clientId: "env-id",
            clientSecret: "env-secret",
            apiToken: undefined,
            source: "environment",
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
});
