import assert from "node:assert/strict";
import sinon from "sinon";
import { SYSTEM_CLOCK } from "../../provider/auth0/clock";
import { baseUrlOf, isLoopback, requestTimeoutMs, resolveCredentials } from "../../provider/auth0/credentials";
import { errorFromNetwork, errorFromResponse, networkFailureKind } from "../../provider/auth0/errors";
import { parseJson, stringifyJson } from "../../provider/auth0/json";
import { MAX_PACING_MS, type RateAnswer, RateLimit } from "../../provider/auth0/rate-limit";
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

    it("reads every shape the same whichever parser reads it: a number that would change sends the text to the lossless one", () => {
        const plain = '{"__proto__":{"a":[1,-2.5,3e-7,0]},"n":9007199254740991,"s":"1.50 and 1e3 in a string"}';
        const value = parseJson(plain) as Record<string, unknown>;
        assert.ok(Object.hasOwn(value, "__proto__"), "an own __proto__ key from JSON.parse too");
        assert.equal(stringifyJson(value), plain);
        for (const number of ["9007199254740993", "1.50", "1e3", "-0", "12345678901234567891"]) {
            const text = `{"x":[${number}]}`;
            assert.equal(stringifyJson(parseJson(text)), text, number);
            assert.equal(stringifyJson(parseJson(number)), number, `${number} alone`);
        }
    });

    it("takes the last of repeated keys, as JSON.parse does", () => {
        assert.deepEqual(parseJson('{"a":1,"a":2}'), { a: 2 });
        assert.throws(() => parseJson("<html>"), SyntaxError);
    });
});

describe("network failures", () => {
    const tenant = "https://acme.eu.auth0.com";
    const context = { operation: "read connection", connection: "con_a1", tenant } as const;

    // DNS is tested here, hermetically (a resolver may not be there to fail); loopback and TLS end
    // to end (write-path.test.ts, reliability.test.ts).
    it("DNS, TLS and protocol errors are permanent, a DNS failure says the fix; timeouts and resets are retried", () => {
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

    it("hints name the settings in the reader's terms: the provider's by default, a command line's when given", () => {
        const terms = { domain: "--domain", rejectedCredentials: "Check --client-id and AUTH0_CLIENT_SECRET." };
        const cli = { ...context, terms };
        assert.match(errorFromNetwork(cli, "ENOTFOUND", 30_000).message, /\(ENOTFOUND\): check --domain \(e\.g\./);
        const local = { ...cli, tenant: "http://127.0.0.1:4011" };
        assert.match(
            errorFromNetwork(local, "ECONNREFUSED", 30_000).message,
            /start the emulator \(npx pulumi-auth0-deny-list emulator\) or correct --domain\. Nothing was written\.$/,
        );
        assert.match(
            errorFromNetwork({ ...context, tenant: "http://127.0.0.1:4011" }, "ECONNREFUSED", 30_000).message,
            /start the emulator \(npx pulumi-auth0-deny-list emulator\) or correct auth0:domain \/ AUTH0_DOMAIN\./,
        );
        const body = JSON.stringify({ statusCode: 401, error: "Unauthorized", message: "Invalid token" });
        assert.match(
            errorFromResponse(cli, 401, body).message,
            /"Invalid token"\. Check --client-id and AUTH0_CLIENT_SECRET\.$/,
        );
        assert.match(
            errorFromResponse(context, 401, body).message,
            /Check auth0:clientId\/auth0:clientSecret \(or AUTH0_CLIENT_ID/,
        );
        for (const message of [
            errorFromNetwork(cli, "ENOTFOUND", 30_000).message,
            errorFromResponse(cli, 401, body).message,
        ])
            assert.doesNotMatch(message, /auth0:/);
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

describe("rate limit: the pacing model, as a function of the answers it sees", () => {
    let clock: sinon.SinonFakeTimers;
    let lines: string[];
    beforeEach(() => {
        clock = sinon.useFakeTimers(NOW);
        lines = [];
    });
    afterEach(() => clock.restore());

    const gate = () => new RateLimit({ clock: SYSTEM_CLOCK, log: (line) => lines.push(line), maxHoldMs: 30_000 });
    /** A success whose headers report a bucket of `limit` with `left` remaining. */
    const left = (limit: number, remaining: number, more = {}): RateAnswer => ({
        status: 200,
        headers: { "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": String(remaining), ...more },
    });
    const refused = (headers = {}): RateAnswer => ({ status: 429, headers });
    const bare: RateAnswer = { status: 200, headers: {} };
    /** One request through `limit`, answered `answer` now. */
    const exchange = async (limit: RateLimit, answer: RateAnswer) => limit.observe(await limit.pass(1), answer);
    /** Units of `slots` passed at once: when each went, in ms from NOW. */
    const passes = (limit: RateLimit, n: number, slots = 1) => {
        const sent: number[] = [];
        const done = Promise.all(
            Array.from({ length: n }, () => limit.pass(slots).then(() => sent.push(Date.now() - NOW))),
        );
        return { sent, done };
    };
    const settle = async (work: { done: Promise<unknown> }, ms = 60_000) => {
        await clock.tickAsync(ms);
        await work.done;
    };

    it("before any answer, work goes as it comes", async () => {
        const work = passes(gate(), 30, 2);
        await settle(work, 0);
        assert.equal(work.sent.length, 30);
        assert.deepEqual(lines, []);
    });

    it("sets the level from `remaining` and, before the rate is bounded, refills a bucket a second", async () => {
        const limit = gate();
        await exchange(limit, left(10, 3));
        // Three tokens: a GET with its PATCH goes, the next pair needs one more (100 ms at 10 a second).
        const work = passes(limit, 3, 2);
        await settle(work);
        assert.deepEqual(work.sent, [0, 100, 300]);
        assert.deepEqual(lines, [
            "auth0: the tenant's rate limit is reached (10 requests, refilling at about 10.0 a second so far); pacing requests",
        ]);
    });

    it("bounds the refill rate by counting, and paces a step above the lower bound", async () => {
        const limit = gate();
        await exchange(limit, left(10, 0));
        await clock.tickAsync(200);
        // One more drawn, 8 left: the bucket gained 8 or 9 + 1 in 200 ms, 40 to 50 a second.
        await exchange(limit, left(10, 8));
        const work = passes(limit, 9);
        await settle(work);
        // 8 at once, then one every 1/42 s (5 % above 40), to the next millisecond.
        assert.deepEqual(work.sent, [200, 200, 200, 200, 200, 200, 200, 200, 224]);
    });

    it("reads an answer at the brim as a lower bound only: a full bucket may have wasted refill", async () => {
        const limit = gate();
        await exchange(limit, left(10, 0));
        await clock.tickAsync(1000);
        // Full again after a second: at least 10 a second, maybe far more.
        await exchange(limit, left(10, 9));
        const work = passes(limit, 11);
        await settle(work);
        // 9 at once, then at the prior, a bucket a second, which nothing rules out (above 9 a second).
        assert.deepEqual(work.sent.slice(8), [1000, 1100, 1200]);
    });

    it("reads a 429 as less than a token left, and as an upper bound on the rate", async () => {
        const limit = gate();
        await exchange(limit, left(10, 0));
        await clock.tickAsync(100);
        // Nothing refilled in 100 ms: under 10 a second; the pace halves that while nothing bounds it from below.
        await exchange(limit, refused());
        const work = passes(limit, 2);
        await settle(work);
        assert.deepEqual(work.sent, [300, 500]);
    });

    it("keeps a bucket no larger than a GET+PATCH pair at the prior, which no answer rules out", async () => {
        const limit = gate();
        await exchange(limit, left(2, 1));
        await clock.tickAsync(1000);
        // Full again after a second: 1 a second at least; the prior, 2 a second, stands (no step above it).
        await exchange(limit, left(2, 1));
        const work = passes(limit, 2, 2);
        await settle(work);
        assert.deepEqual(work.sent, [1500, 2500]);
    });

    it("without rate headers, bounds the rate from above between two 429s", async () => {
        const limit = gate();
        for (let i = 0; i < 3; i++) await exchange(limit, bare);
        await exchange(limit, refused()); // a bucket of 3, empty
        await clock.tickAsync(500);
        await exchange(limit, bare);
        await clock.tickAsync(500);
        // One drawn in a second and empty again: under 2 a second; half that before any lower bound.
        await exchange(limit, refused());
        const work = passes(limit, 1);
        await settle(work);
        assert.deepEqual(work.sent, [2000]);
    });

    it("without rate headers, keeps 8 requests in flight until a 429 shows where the limit is", async () => {
        const limit = gate();
        await exchange(limit, bare);
        const tickets = await Promise.all(Array.from({ length: 8 }, () => limit.pass(1)));
        const work = passes(limit, 1);
        await clock.tickAsync(1000);
        assert.deepEqual(work.sent, [], "8 in flight: the next waits for an answer");
        limit.observe(tickets[0], bare);
        await clock.tickAsync(0);
        assert.deepEqual(work.sent, [1000]);
    });

    it("without rate headers, takes the bucket's size from the successes before the first 429", async () => {
        const limit = gate();
        await exchange(limit, bare);
        await exchange(limit, bare);
        await exchange(limit, refused());
        // A bucket of 2, empty, refilling at 2 a second for all that is known.
        const work = passes(limit, 2);
        await settle(work);
        assert.deepEqual(work.sent, [500, 1000]);
    });

    it("tells a refused request Retry-After as given, a reset only until the model expects a token", async () => {
        // A bucket of 2 with one left, then a 429: empty, a token due in half a second at 2 a second.
        const refusal = async (headers: Record<string, string>) => {
            const limit = gate();
            await exchange(limit, left(2, 1));
            return exchange(limit, refused(headers));
        };
        assert.deepEqual(await refusal({ "retry-after": "2" }), { waitMs: 2000 });
        assert.deepEqual(await refusal({ "retry-after": new Date(NOW + 5000).toUTCString() }), { waitMs: 5000 });
        // A reset 3 s ahead (a full bucket?) waits only for the next token, due in half a second at 2 a second.
        assert.deepEqual(await refusal({ "x-ratelimit-reset": String((NOW + 3000) / 1000) }), { waitMs: 500 });
        // No hint: the caller backs off. (Resets an hour ahead or past: rate-limit.test.ts, over HTTP.)
        assert.deepEqual(await refusal({}), {});
    });

    it("gives back the slot a GET kept for its PATCH when no PATCH follows", async () => {
        const limit = gate();
        await exchange(limit, left(10, 2));
        const get = await limit.pass(2);
        const work = passes(limit, 1);
        limit.observe(get, left(10, 1));
        await clock.tickAsync(0);
        assert.deepEqual(work.sent, [0], "no PATCH came: its slot is free again");
    });

    it("holds no work longer than the cap, however slow the estimate", async () => {
        const limit = gate();
        await exchange(limit, left(10, 0));
        await clock.tickAsync(10_000);
        await exchange(limit, refused()); // under 0.1 a second
        const work = passes(limit, 2);
        await settle(work);
        assert.deepEqual(work.sent, [10_000 + MAX_PACING_MS, 10_000 + 2 * MAX_PACING_MS]);
    });

    it("answers that contradict the bounds (a 429 from another limit on a large bucket) never stall the pace", async () => {
        const limit = gate();
        await exchange(limit, left(1_000_000, 999_999));
        await clock.tickAsync(10);
        await exchange(limit, refused());
        await clock.tickAsync(10);
        await exchange(limit, left(1_000_000, 999_998));
        const work = passes(limit, 50, 2);
        await settle(work, 0);
        assert.equal(work.sent.length, 50);
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
