/**
 * Faults, token expiry and hostile answers, injected by the emulator (or a small hostile server)
 * over real HTTP. Waits are recorded through the client's sleep seam, so the suite stays fast;
 * rate limits themselves are under test on fake time (rate-limit.test.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import fc from "fast-check";
import type { Connection } from "../../emulator";
import { SEED_IDS, SEED_SECRETS } from "../../emulator/seed";
import { ConnectionDenyListProvider } from "../../provider";
import { MAX_BODY_BYTES } from "../../provider/auth0/transport";
import { UNKNOWN } from "../../provider/core/schema";

const FIELDS = ["connectionId", "connectionName", "attributes", "exclusive", "triggers"];

import { listOn, optionsWithoutDenyList } from "../support/connection";
import { startTenant, type Tenant } from "../support/tenant";

/** A tenant whose client records its waits instead of sleeping them. */
async function fastTenant(options: Parameters<typeof startTenant>[0] = {}, timeoutMs = 2000, maxAttempts = 4) {
    const waits: number[] = [];
    const tenant = await startTenant(options, {
        client: {
            timeoutMs,
            retry: { maxAttempts, maxTotalMs: 60_000, baseDelayMs: 100, maxDelayMs: 5000 },
            sleep: async (ms) => {
                waits.push(ms);
            },
        },
    });
    return { tenant, waits };
}

describe("reliability", () => {
    let tenant: Tenant;
    afterEach(() => tenant?.emulator.stop());

    it("5xx bursts and dropped or lost answers are retried and end in the right state", async () => {
        // Four failures in a row: the unit retried is the whole read–modify–write, so they add up.
        const run = await fastTenant({}, 2000, 6);
        tenant = run.tenant;
        const before = tenant.emulator.connection(SEED_IDS.samlp);
        tenant.emulator.injectFault({ kind: "503", method: "GET", times: 2 });
        tenant.emulator.injectFault({ kind: "drop", method: "PATCH" });
        tenant.emulator.injectFault({ kind: "lost", method: "PATCH" }); // applied, answer lost: the re-read finds it
        const created = await tenant.provider.create({ connectionId: SEED_IDS.samlp, attributes: ["a"] });
        assert.deepEqual(created.outs.ownedAttributes, ["a"]);
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.samlp), ["a"]);
        assert.equal(
            optionsWithoutDenyList(tenant.emulator.connection(SEED_IDS.samlp)),
            optionsWithoutDenyList(before),
        );
        assert.equal(tenant.log.filter((line) => /retrying in/.test(line)).length, 4);
        assert.deepEqual(
            tenant.apiCalls().map((call) => call.split(" ")[0]),
            ["GET", "GET", "GET", "PATCH", "GET", "PATCH", "GET"],
            "every retry re-reads; the lost-but-applied PATCH is found, not sent again",
        );
    });

    it("a response slower than the timeout is retried", async () => {
        const run = await fastTenant({}, 300);
        tenant = run.tenant;
        tenant.emulator.injectFault({ kind: "slow", method: "GET", slowMs: 600 });
        tenant.emulator.injectFault({ kind: "slow", method: "PATCH", slowMs: 600 });
        await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), ["a"]);
        assert.ok(
            tenant.log.some((line) => /ETIMEDOUT/.test(line)),
            tenant.log.join("\n"),
        );
    });

    it("persistent 5xx fail with a clear, bounded error that says they may have been applied, changing nothing", async () => {
        const run = await fastTenant();
        tenant = run.tenant;
        const before = tenant.emulator.connection(SEED_IDS.auth0);
        tenant.emulator.injectFault({ kind: "500", method: "PATCH", times: 100 });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.auth0, attributes: ["new"] }),
            (error: Error & { properties?: Record<string, unknown> }) => {
                assert.match(
                    error.message,
                    /Auth0 update deny list for connection Username-Password-Authentication \(con_DbUsers000000001\) on http:\/\/127\.0\.0\.1:\d+ failed: HTTP 500 "Internal Server Error"\. Auth0 had a server error/,
                );
                assert.match(error.message, /may have been applied: run `pulumi refresh`/);
                assert.doesNotMatch(error.message, /Nothing was/);
                assert.deepEqual(error.properties?.ownedAttributes, ["new"], "a partial failure owning what it tried");
                return true;
            },
        );
        assert.equal(run.waits.length, 3, "4 attempts in all");
        assert.deepEqual(tenant.emulator.connection(SEED_IDS.auth0), before);
    });

    it("a token that expires mid-run is renewed once, for every operation in flight", async () => {
        tenant = await startTenant();
        await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        tenant.emulator.expireTokens();
        const others = [SEED_IDS.auth0, SEED_IDS.samlp, SEED_IDS.waad, SEED_IDS.oidc];
        const results = await Promise.allSettled(
            others.map((id) => tenant.provider.create({ connectionId: id, attributes: ["b"] })),
        );
        assert.deepEqual(
            results.filter((r) => r.status === "rejected"),
            [],
        );
        for (const id of others) assert.ok(listOn(tenant.emulator, id).includes("b"), id);
        assert.equal(tenant.tokenCalls(), 2, "one renewal shared by the four operations");
    });

    it("a renewed token refused again is fatal: the credentials, not the token, are wrong", async () => {
        tenant = await startTenant();
        tenant.emulator.injectFault({ kind: "401", times: 2 });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] }),
            /HTTP 401 invalid_token "Invalid token\.". Check auth0:clientId\/auth0:clientSecret/,
        );
        assert.equal(tenant.tokenCalls(), 2);
        assert.deepEqual(tenant.apiCalls(), [
            `GET /api/v2/connections/${SEED_IDS.google}`,
            `GET /api/v2/connections/${SEED_IDS.google}`,
        ]);
    });

    it("a 408 is retried by redoing the read–modify–write", async () => {
        const run = await fastTenant();
        tenant = run.tenant;
        tenant.emulator.injectFault({ kind: "408", method: "PATCH" });
        await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), ["a"]);
        assert.ok(
            tenant.log.some((line) => /PATCH \/api\/v2\/connections\/con_\w+ → HTTP 408; retrying in/.test(line)),
            tenant.log.join("\n"),
        );
        assert.deepEqual(
            tenant.apiCalls().map((call) => call.split(" ")[0]),
            ["GET", "PATCH", "GET", "PATCH", "GET"],
            "a 408 may come from a proxy after Auth0 applied the PATCH: the success is looked at",
        );
    });

    it("a PATCH whose answer lacks the declared attributes is re-read, and what it wrote stays owned", async () => {
        tenant = await startTenant();
        tenant.emulator.injectFault({ kind: "stale", method: "PATCH" });
        const created = await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        assert.deepEqual(
            created.outs.ownedAttributes,
            ["a"],
            "found on the list after our own write: owned, not adopted",
        );
        const calls = tenant.apiCalls().map((call) => call.split(" ")[0]);
        assert.deepEqual(calls, ["GET", "PATCH", "GET"], "one re-read, no second PATCH");
        await tenant.provider.delete(SEED_IDS.google, created.outs);
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), []);
    });

    it("hostile answers give clear errors and never lead to a write", async () => {
        const run = await fastTenant();
        tenant = run.tenant;
        tenant.emulator.injectFault({ kind: "nonjson", method: "GET" });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.auth0, attributes: ["a"] }),
            /HTTP 200 with an unexpected body \(not JSON\)/,
        );
        tenant.emulator.injectFault({ kind: "huge", method: "GET" });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.auth0, attributes: ["a"] }),
            new RegExp(`unexpected body \\(larger than ${MAX_BODY_BYTES} bytes\\)`),
        );
        tenant.emulator.update(SEED_IDS.google, (c) => {
            (c.options as Record<string, unknown>).non_persistent_attrs = 42;
        });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] }),
            /non_persistent_attrs that is not a list of strings/,
        );
        tenant.emulator.update(SEED_IDS.waad, (c) => {
            (c as unknown as Record<string, unknown>).options = "garbage";
        });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.waad, attributes: ["a"] }),
            /unexpected body \(options: /,
        );
        assert.ok(!tenant.apiCalls().some((call) => call.startsWith("PATCH")));
    });

    it("100 resources through 20% 429s, 20% 503s and dropped connections end in the right state", async () => {
        const seed: Connection[] = Array.from({ length: 20 }, (_, i) => ({
            id: `con_Faulty${String(i).padStart(10, "0")}`,
            name: `faulty-${i}`,
            strategy: "waad",
            display_name: `Faulty ${i}`,
            options: { client_secret: "FAKE-x", thumbprints: ["ab"], non_persistent_attrs: null },
        }));
        const waits: number[] = [];
        tenant = await startTenant(
            { seed, faults: { rates: { "429": 0.2, "503": 0.2, drop: 0.05 } } },
            {
                client: {
                    retry: { maxAttempts: 12, maxTotalMs: 600_000, baseDelayMs: 10, maxDelayMs: 100 },
                    sleep: async (ms) => {
                        waits.push(ms);
                    },
                },
            },
        );
        const resources = Array.from({ length: 100 }, (_, i) => ({
            connectionId: seed[i % 20].id,
            attributes: [`a${i}`],
        }));
        const results = await Promise.allSettled(resources.map((inputs) => tenant.provider.create(inputs)));
        assert.deepEqual(
            results.filter((r) => r.status === "rejected"),
            [],
        );
        for (const [i, c] of seed.entries()) {
            const expected = Array.from({ length: 5 }, (_, k) => `a${i + 20 * k}`);
            assert.deepEqual([...listOn(tenant.emulator, c.id)].sort(), expected.sort());
            assert.equal(optionsWithoutDenyList(tenant.emulator.connection(c.id)), optionsWithoutDenyList(c), c.id);
            assert.equal(tenant.emulator.connection(c.id)?.display_name, c.display_name);
        }
        const faulted = tenant.emulator.requests().filter((r) => r.fault).length;
        assert.ok(faulted > 10, `only ${faulted} faults injected`);
    });

    it("check never throws and never sends a request, whatever the input", async () => {
        tenant = await startTenant();
        const hostile = fc.oneof(
            fc.anything(),
            fc.constant(UNKNOWN),
            fc.string({ unit: "binary", maxLength: 300 }),
            fc.array(
                fc.oneof(
                    fc.string({ unit: "grapheme" }),
                    fc.constant(UNKNOWN),
                    fc.constant("user.name"),
                    fc.anything(),
                ),
                {
                    maxLength: 150,
                },
            ),
        );
        await fc.assert(
            fc.asyncProperty(
                fc.record(
                    { connectionId: hostile, connectionName: hostile, attributes: hostile, exclusive: hostile },
                    { requiredKeys: [] },
                ),
                async (news) => {
                    const result = await tenant.provider.check({}, news);
                    if (result.failures && result.failures.length > 0) {
                        // Every failure names an input and says something.
                        return result.failures.every((f) => FIELDS.includes(f.property) && f.reason.length > 10);
                    }
                    // Passing input has exactly one target and a list of attributes (or values not known yet).
                    const targets = [news.connectionId, news.connectionName].filter((v) => v !== undefined);
                    return targets.length === 1 && news.attributes !== undefined;
                },
            ),
            { numRuns: 300 },
        );
        assert.deepEqual(tenant.emulator.requests(), []);
    });

    it("no secret appears in any error or log line, whatever fails", async () => {
        const run = await fastTenant();
        tenant = run.tenant;
        const messages: string[] = [];
        const attempt = (p: Promise<unknown>) => p.catch((e: Error) => messages.push(e.message));
        tenant.emulator.injectFault({ kind: "500", method: "PATCH", times: 4 });
        await attempt(tenant.provider.create({ connectionId: SEED_IDS.samlp, attributes: ["a"] }));
        tenant.emulator.setScopes(["read:connections", "read:connections_options", "update:connections"]);
        await attempt(tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] }));
        tenant.emulator.setScopes(["read:connections"]);
        await attempt(tenant.provider.create({ connectionId: SEED_IDS.oidc, attributes: ["a"] }));
        tenant.emulator.expireTokens();
        await attempt(tenant.provider.read(SEED_IDS.waad, { connectionId: SEED_IDS.waad }));
        assert.ok(messages.length >= 3, messages.join("\n"));
        const printed = [...messages, ...tenant.log].join("\n");
        for (const secret of [...SEED_SECRETS, tenant.emulator.clientSecret, ...tenant.emulator.issuedTokens()]) {
            assert.ok(!printed.includes(secret), `leaked ${secret.slice(0, 10)}…`);
        }
    });

    it("an issued access token echoed back by a proxy never reaches an error", async () => {
        const issued = "FAKE-issued-access-token-0123456789";
        const server = createHttpServer((req, res) => {
            if (req.url === "/oauth/token") {
                res.writeHead(200, { "content-type": "application/json" });
                res.end(JSON.stringify({ access_token: issued, expires_in: 86400, token_type: "Bearer" }));
                return;
            }
            const message = `Request blocked by the gateway (Authorization: ${req.headers.authorization})`;
            res.writeHead(400, { "content-type": "application/json" });
            res.end(JSON.stringify({ statusCode: 400, error: "Bad Request", message }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
            const provider = new ConnectionDenyListProvider({
                env: { AUTH0_DOMAIN: url, AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "FAKE-secret" },
                log: () => {},
            });
            await assert.rejects(provider.read(SEED_IDS.google, { connectionId: SEED_IDS.google }), (error: Error) => {
                assert.match(error.message, /Authorization: Bearer \[redacted\]/);
                assert.ok(!error.message.includes(issued), error.message);
                return true;
            });
        } finally {
            server.close();
        }
    });

    it("refuses plain http to anything but loopback, and never skips TLS verification", async () => {
        const remote = new ConnectionDenyListProvider({
            env: { AUTH0_DOMAIN: "http://acme.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "s" },
        });
        await assert.rejects(
            remote.read("con_a1", {}),
            /uses plain http, allowed only for loopback hosts: use https:\/\/acme\.eu\.auth0\.com/,
        );

        const fixtures = path.join(__dirname, "..", "fixtures");
        const server = createServer({
            key: readFileSync(path.join(fixtures, "self-signed.key")),
            cert: readFileSync(path.join(fixtures, "self-signed.crt")),
        });
        let reached = 0;
        server.on("request", (_req, res) => {
            reached++;
            res.end("{}");
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { port } = server.address() as AddressInfo;
            const provider = new ConnectionDenyListProvider({
                env: { AUTH0_DOMAIN: `https://127.0.0.1:${port}`, AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "s" },
                log: () => {},
                client: { retry: { maxAttempts: 1, maxTotalMs: 1000, baseDelayMs: 1, maxDelayMs: 1 } },
            });
            await assert.rejects(
                provider.read("con_a1", {}),
                /the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\); verification is never turned off/,
            );
            assert.equal(reached, 0, "a self-signed certificate must not be accepted");
        } finally {
            server.close();
        }
    });
});
