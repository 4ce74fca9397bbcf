/**
 * Write-path integrity (issue #10), each case over real HTTP against the emulator or a small
 * hostile server: no stale write, no lost entry, no false "gone", no hang.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Connection } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { envFor } from "../../harness/credentials";
import { ConnectionDenyListProvider } from "../../provider";
import { listOn, optionsWithoutDenyList } from "../support/connection";
import { startTenant, type Tenant } from "../support/tenant";

const FAST_RETRY = { maxAttempts: 6, maxTotalMs: 60_000, baseDelayMs: 20, maxDelayMs: 200 };

/** A local server answering every request with `handler`; `AUTH0_API_TOKEN` avoids the token call. */
async function hostileServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, env: { AUTH0_DOMAIN: url, AUTH0_API_TOKEN: "FAKE-token" }, close: () => server.close() };
}

describe("write path: integrity under faults and timing", () => {
    let tenant: Tenant;
    afterEach(() => tenant?.emulator.stop());

    describe("a retry re-reads: a change made during the wait is never reverted", () => {
        // After a 429 nothing was applied; after a 503 or a drop it may have been, so success is
        // reported only after one more look at what is live.
        const faults = [
            { name: "503", rule: { kind: "503" }, calls: 5 },
            { name: "dropped connection", rule: { kind: "drop" }, calls: 5 },
        ] as const;
        for (const { name, rule, calls } of faults) {
            it(`PATCH answered by ${name}`, async () => {
                let changed = false;
                tenant = await startTenant(
                    {},
                    {
                        client: {
                            retry: FAST_RETRY,
                            sleep: async () => {
                                // An admin changes the password policy while the provider waits.
                                if (changed) return;
                                changed = true;
                                tenant.emulator.update(SEED_IDS.auth0, (c) => {
                                    (c.options as Record<string, unknown>).passwordPolicy = "excellent";
                                });
                            },
                        },
                    },
                );
                tenant.emulator.injectFault({ ...rule, method: "PATCH" });
                await tenant.provider.create({ connectionId: SEED_IDS.auth0, attributes: ["a"] });
                const options = tenant.emulator.connection(SEED_IDS.auth0)?.options as Record<string, unknown>;
                assert.equal(options.passwordPolicy, "excellent", "the admin's change survives");
                assert.ok((options.non_persistent_attrs as string[]).includes("a"));
                assert.deepEqual(
                    tenant.apiCalls().map((call) => call.split(" ")[0]),
                    ["GET", "PATCH", "GET", "PATCH", "GET"].slice(0, calls),
                );
            });
        }

        it("PATCH answered by 429: waits as long as Retry-After says, in one log line, and applies nothing before", async () => {
            const waits: number[] = [];
            tenant = await startTenant(
                {},
                {
                    client: {
                        retry: { ...FAST_RETRY, maxDelayMs: 5000 },
                        random: () => 0.5,
                        sleep: async (ms) => {
                            waits.push(ms);
                            tenant.emulator.update(SEED_IDS.auth0, (c) => {
                                (c.options as Record<string, unknown>).passwordPolicy = "excellent";
                            });
                        },
                    },
                },
            );
            tenant.emulator.injectFault({ kind: "429", method: "PATCH", retryAfterSeconds: 3 });
            await tenant.provider.create({ connectionId: SEED_IDS.auth0, attributes: ["a"] });
            const options = tenant.emulator.connection(SEED_IDS.auth0)?.options as Record<string, unknown>;
            assert.equal(options.passwordPolicy, "excellent", "the admin's change survives");
            assert.ok(listOn(tenant.emulator, SEED_IDS.auth0).includes("a"));
            assert.equal(waits[0], 3050, "Retry-After's 3 s and 50 ms of jitter");
            assert.deepEqual(
                tenant.log.filter((line) => line.startsWith("auth0:")),
                [`auth0: PATCH /api/v2/connections/${SEED_IDS.auth0} → HTTP 429; retrying in 3.0 s (attempt 2)`],
            );
            // A 429 applied nothing: the retry's PATCH is trusted without a look afterwards.
            assert.deepEqual(
                tenant.apiCalls().map((call) => call.split(" ")[0]),
                ["GET", "PATCH", "GET", "PATCH"],
            );
        });
    });

    it("an abandoned PATCH that lands late does not overwrite a later resource's entry", async function () {
        this.timeout(15_000);
        tenant = await startTenant({}, { client: { timeoutMs: 300, retry: FAST_RETRY } });
        tenant.emulator.injectFault({ kind: "slow", method: "PATCH", slowMs: 900 });
        const a = await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        assert.deepEqual(a.outs.ownedAttributes, ["a"], "its own late write, found on the list, is owned");
        await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["b"] });
        const patches = () => tenant.emulator.requests().filter((r) => r.method === "PATCH");
        assert.ok(
            patches().every((r) => r.status !== 0),
            "the late PATCH had landed before a's create returned",
        );
        assert.deepEqual([...listOn(tenant.emulator, SEED_IDS.google)].sort(), ["a", "b"]);
        assert.ok(
            tenant.log.some((line) => /ETIMEDOUT; retrying/.test(line)),
            tenant.log.join("\n"),
        );
        assert.ok(
            tenant.log.some((line) =>
                /^auth0: waiting .*for an earlier update of connection con_Google0000000001 whose answer is late/.test(
                    line,
                ),
            ),
            tenant.log.join("\n"),
        );
    });

    it("option keys named __proto__, constructor and prototype survive, at top level and nested", async () => {
        const options = JSON.parse(
            '{"__proto__":{"kept":true},"constructor":"c","prototype":1,' +
                '"configuration":{"__proto__":"p","constructor":{"prototype":"x"}},' +
                '"fieldsMap":{"constructor":"given_name","__proto__":"family_name"},"non_persistent_attrs":[]}',
        );
        const seed: Connection[] = [{ id: "con_Proto000000000001", name: "proto", strategy: "samlp", options }];
        tenant = await startTenant({ seed });
        await tenant.provider.create({ connectionId: "con_Proto000000000001", attributes: ["a"] });
        const stored = tenant.emulator.connection("con_Proto000000000001")?.options as Record<string, unknown>;
        const { non_persistent_attrs: _sent, ...rest } = JSON.parse(JSON.stringify(stored));
        const { non_persistent_attrs: _seeded, ...expected } = options;
        assert.equal(JSON.stringify(rest), JSON.stringify(expected));
        assert.ok(Object.hasOwn(stored, "__proto__"), "own __proto__ key kept");
        assert.deepEqual(stored.non_persistent_attrs, ["a"]);
    });

    it("integers beyond 2^53 and every other number go back exactly as read", async () => {
        const options =
            '{"big":12345678901234567891,"negative":-98765432109876543210,"ratio":1.50,"exp":1e3,' +
            '"nested":{"id":9007199254740993,"__proto__":{"kept":true}},"non_persistent_attrs":[]}';
        const patches: string[] = [];
        const server = await hostileServer((req, res) => {
            const head = '{"id":"con_Big0000000000001","name":"big","strategy":"auth0",';
            if (req.method === "GET") {
                res.writeHead(200, { "content-type": "application/json" }).end(`${head}"options":${options}}`);
                return;
            }
            let body = "";
            req.on("data", (chunk) => {
                body += chunk;
            });
            req.on("end", () => {
                patches.push(body);
                // Auth0 answers with the connection as stored: the body's options, as sent.
                res.writeHead(200, { "content-type": "application/json" }).end(`${head}${body.slice(1)}`);
            });
        });
        try {
            const provider = new ConnectionDenyListProvider({ env: server.env, log: () => {} });
            await provider.create({ connectionId: "con_Big0000000000001", attributes: ["a"] });
        } finally {
            server.close();
        }
        const expected = options.replace('"non_persistent_attrs":[]', '"non_persistent_attrs":["a"]');
        assert.deepEqual(patches, [`{"options":${expected}}`]);
    });

    it("an exclusive resource beside another on its connection, or a TenantDenyList covering it, is refused before anything is sent", async () => {
        tenant = await startTenant();
        const urn = (name: string) => `urn:pulumi:dev::p::t::${name}`;
        await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"], exclusive: true });
        const sent = tenant.apiCalls().length;
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["b"] }),
            /has an exclusive ConnectionDenyList and another deny list resource of this stack/,
        );
        assert.equal(tenant.apiCalls().length, sent, "no request for the refused resource");
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), ["a"]);

        // In a stack of its own: a TenantDenyList covering every connection.
        await tenant.emulator.stop();
        tenant = await startTenant();
        await tenant.tenantProvider.create({ attributes: ["y"], declaredBy: urn("tdl") });
        const oidcBefore = listOn(tenant.emulator, SEED_IDS.oidc);
        tenant.emulator.clearRequests();
        const exclusive = { connectionId: SEED_IDS.oidc, attributes: ["x"], exclusive: true, declaredBy: urn("only") };
        await assert.rejects(
            tenant.provider.create(exclusive),
            /has an exclusive ConnectionDenyList and another deny list resource of this stack: "only" \(exclusive \["x"\]\), "tdl" \(tenant-wide/,
        );
        assert.deepEqual(tenant.apiCalls(), [], "refused before any request");
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.oidc), oidcBefore);
    });

    describe("answers classified by what they really say", () => {
        it("an HTML 404 is an error that changes no state; Auth0's JSON 404 means gone", async () => {
            const server = await hostileServer((_req, res) => {
                res.writeHead(404, { "content-type": "text/html" }).end("<html><body>Not Found</body></html>");
            });
            try {
                const provider = new ConnectionDenyListProvider({ env: server.env, log: () => {} });
                await assert.rejects(
                    provider.read(SEED_IDS.google, { connectionId: SEED_IDS.google, attributes: ["a"] }),
                    /HTTP 404.*This 404 is not Auth0's answer for a missing connection/,
                );
            } finally {
                server.close();
            }
            tenant = await startTenant();
            const gone = await tenant.provider.read("con_Gone00000000001", { connectionId: "con_Gone00000000001" });
            assert.equal(gone.id, "");
        });

        it("a PATCH refused for a missing scope names the connection by name and id and says nothing was written", async () => {
            tenant = await startTenant();
            tenant.emulator.setScopes(["read:connections", "read:connections_options", "update:connections"]);
            await assert.rejects(
                tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] }),
                new RegExp(
                    "Auth0 update deny list for connection google-oauth2 \\(con_Google0000000001\\) on http://127\\.0\\.0\\.1:\\d+ " +
                        'failed: HTTP 403 insufficient_scope "Insufficient scope; expected any of: update:connections_options"\\. ' +
                        "Grant the scope update:connections_options to the Machine-to-Machine application .*\\. Nothing was written\\.$",
                ),
            );
        });

        it("a PATCH that meets a 404 after its GET (deleted meanwhile) reads again and fails as gone", async () => {
            tenant = await startTenant();
            tenant.emulator.injectFault({ kind: "slow", method: "PATCH", slowMs: 200 });
            const creating = tenant.provider.create({ connectionId: SEED_IDS.oidc, attributes: ["a"] });
            while (!tenant.emulator.requests().some((r) => r.method === "PATCH")) {
                await new Promise((resolve) => setTimeout(resolve, 5));
            }
            // Another admin deletes the connection while our PATCH is on its way.
            const deleted = await fetch(`${tenant.emulator.url}/api/v2/connections/${SEED_IDS.oidc}`, {
                method: "DELETE",
                headers: { authorization: `Bearer ${tenant.emulator.issuedTokens()[0]}` },
            });
            assert.equal(deleted.status, 202);
            await assert.rejects(
                creating,
                /Connection con_Oidc000000000001 does not exist in tenant http:\/\/127\.0\.0\.1:\d+: .* Nothing was written\.$/,
            );
            assert.deepEqual(
                tenant.apiCalls().map((call) => call.split(" ")[0]),
                ["GET", "PATCH", "DELETE", "GET"],
            );
        });
    });

    describe("bounded time", () => {
        it("an answer trickling in byte by byte hits the request deadline", async function () {
            this.timeout(15_000);
            const server = await hostileServer((_req, res) => {
                res.writeHead(200, { "content-type": "application/json" });
                const timer = setInterval(() => res.write(" "), 100);
                res.on("close", () => clearInterval(timer));
            });
            try {
                const provider = new ConnectionDenyListProvider({
                    env: server.env,
                    log: () => {},
                    client: { timeoutMs: 200, retry: { ...FAST_RETRY, maxAttempts: 2 } },
                });
                await assert.rejects(
                    provider.read(SEED_IDS.google, { connectionId: SEED_IDS.google }),
                    /no complete answer from .* within 0\.2 s \(ETIMEDOUT/,
                );
            } finally {
                server.close();
            }
        });

        it("429s without rate headers back off exponentially instead of every 250 ms", async () => {
            let refusals = 4;
            const server = await hostileServer((_req, res) => {
                if (refusals-- > 0) {
                    res.writeHead(429, { "content-type": "application/json" }).end('{"statusCode":429}');
                    return;
                }
                const body = JSON.stringify({ id: SEED_IDS.google, name: "g", strategy: "x", options: {} });
                res.writeHead(200, { "content-type": "application/json" }).end(body);
            });
            const log: string[] = [];
            try {
                const provider = new ConnectionDenyListProvider({
                    env: server.env,
                    log: (line) => log.push(line),
                    client: {
                        retry: { ...FAST_RETRY, baseDelayMs: 100, maxDelayMs: 10_000 },
                        random: () => 0.5,
                        sleep: async () => {},
                    },
                });
                await provider.read(SEED_IDS.google, { connectionId: SEED_IDS.google });
            } finally {
                server.close();
            }
            assert.deepEqual(
                log.map((line) => /HTTP 429; retrying in ([\d.]+) s/.exec(line)?.[1]),
                ["0.1", "0.2", "0.4", "0.8"],
            );
        });

        it("a PATCH Auth0 accepts and never answers ends within the total bound, end to end", async function () {
            this.timeout(15_000);
            const bound = { maxAttempts: 8, maxTotalMs: 1000, baseDelayMs: 50, maxDelayMs: 200 };
            tenant = await startTenant({}, { client: { timeoutMs: 300, retry: bound } });
            tenant.emulator.injectFault({ kind: "slow", method: "PATCH", slowMs: 60_000, times: 10 });
            const started = Date.now();
            await assert.rejects(
                tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] }),
                /no complete answer .* within 0\.3 s .*may have been applied/,
            );
            const took = Date.now() - started;
            assert.ok(took <= bound.maxTotalMs + 250, `took ${took} ms`);
        });

        it("a refused connection on a loopback address fails at once with the fix", async () => {
            const server = await hostileServer(() => {});
            server.close();
            const log: string[] = [];
            const provider = new ConnectionDenyListProvider({ env: server.env, log: (line) => log.push(line) });
            await assert.rejects(
                provider.read(SEED_IDS.google, { connectionId: SEED_IDS.google }),
                /nothing is listening on http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start the emulator/,
            );
            assert.deepEqual(log, []);
        });

        it("a TLS/protocol error fails at once with the fix instead of being retried", async () => {
            tenant = await startTenant();
            const provider = new ConnectionDenyListProvider({
                env: { ...envFor(tenant.emulator), AUTH0_DOMAIN: tenant.emulator.url.replace("http:", "https:") },
                log: (line) => tenant.log.push(line),
            });
            await assert.rejects(
                provider.read(SEED_IDS.google, { connectionId: SEED_IDS.google }),
                /does not speak HTTPS as an Auth0 tenant does \((EPROTO|ERR_SSL_\w+)\)/,
            );
            assert.deepEqual(
                tenant.log.filter((line) => /retrying/.test(line)),
                [],
            );
        });
    });

    it("every seeded strategy keeps every other option byte-identical through faults", async () => {
        tenant = await startTenant(
            { faults: { rates: { "429": 0.2, "503": 0.2, lost: 0.1 } } },
            { client: { retry: { ...FAST_RETRY, maxAttempts: 12 }, sleep: async () => {} } },
        );
        for (const id of Object.values(SEED_IDS)) {
            const before = tenant.emulator.connection(id);
            const created = await tenant.provider.create({ connectionId: id, attributes: ["fault_attr"] });
            await tenant.provider.delete(id, created.outs);
            assert.equal(optionsWithoutDenyList(tenant.emulator.connection(id)), optionsWithoutDenyList(before), id);
        }
    });
});
