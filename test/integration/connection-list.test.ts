/**
 * Listing every connection (`listAllConnections`, shared by the provider host and the command
 * line) over real HTTP: against the emulator's checkpoint paging, and against stand-in servers
 * for the other shapes Auth0 could send (a bare array, a page repeated, a checkpoint ignored).
 * Waits are recorded through the client's sleep seam, so retries cost no time.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Connection, type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { Auth0Client } from "../../provider/auth0/client";
import { listAllConnections } from "../../provider/host/connection-list";

const LIST_PATH = /^\/api\/v2\/connections$/;

/** An emulator and a client on it that logs and records its waits instead of sleeping them. */
async function tenantOf(options: EmulatorOptions) {
    const emulator = await startEmulator(options);
    const log: string[] = [];
    const waits: number[] = [];
    const client = new Auth0Client(
        { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
        {
            log: (line) => log.push(line),
            sleep: async (ms) => {
                waits.push(ms);
            },
        },
    );
    /** The list requests the emulator received, with their queries. */
    const lists = () => emulator.requests().filter((r) => r.method === "GET" && LIST_PATH.test(r.path));
    return { emulator, client, log, waits, lists };
}

/** A stand-in Management API answering `GET /api/v2/connections` with `answer(from)`. */
async function fakeTenant(answer: (from: string | null) => unknown) {
    const asked: (string | null)[] = [];
    const server = http.createServer((req, res) => {
        const from = new URL(req.url ?? "/", "http://x").searchParams.get("from");
        asked.push(from);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(from)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = new Auth0Client({ baseUrl: `http://127.0.0.1:${port}`, apiToken: "FAKE-token" }, { log: () => {} });
    return {
        client,
        asked,
        stop: () => {
            server.closeAllConnections();
            return new Promise((resolve) => server.close(resolve));
        },
    };
}

function connections(n: number): Connection[] {
    return Array.from({ length: n }, (_, i) => ({
        id: `con_List${String(i).padStart(12, "0")}`,
        name: `c-${i}`,
        strategy: "auth0",
        options: { non_persistent_attrs: [] },
    }));
}

const ids = (list: readonly { id: string }[]) => list.map((c) => c.id);

describe("listAllConnections", () => {
    let emulator: Emulator | undefined;
    afterEach(async () => {
        await emulator?.stop();
        emulator = undefined;
    });

    it("reads every page by checkpoint, 100 at a time, and stops at the page without next", async () => {
        const tenant = await tenantOf({ generated: { count: 245 } });
        emulator = tenant.emulator;
        const progress: number[] = [];
        const listed = await listAllConnections(tenant.client, { onPage: (fetched) => progress.push(fetched) });
        assert.deepEqual(ids(listed), ids(tenant.emulator.connections()));
        assert.deepEqual(listed[7], tenant.emulator.connections()[7], "whole connections, options included");
        assert.deepEqual(progress, [100, 200, 250]);
        const queries = tenant.lists().map((r) => r.query);
        assert.equal(queries.length, 3);
        assert.deepEqual(queries[0], { take: "100" });
        assert.deepEqual(Object.keys(queries[1]).sort(), ["from", "take"]);
        assert.notEqual(queries[1].from, queries[2].from);
    });

    it("asks for the strategies given, as Auth0's repeated strategy parameter, and only those come back", async () => {
        const tenant = await tenantOf({ generated: { count: 300 } });
        emulator = tenant.emulator;
        const listed = await listAllConnections(tenant.client, { strategies: ["samlp", "oidc", "samlp"] });
        const expected = tenant.emulator.connections().filter((c) => c.strategy === "samlp" || c.strategy === "oidc");
        assert.equal(expected.length, 122);
        assert.deepEqual(ids(listed), ids(expected));
        // Recorded queries join a repeated parameter with ","; `strategy[]=…` would show under its own key.
        assert.deepEqual(
            tenant.lists().map((r) => r.query.strategy),
            ["samlp,oidc", "samlp,oidc"],
        );
    });

    it("lists nothing, without a request, for an empty list of strategies", async () => {
        const tenant = await tenantOf({});
        emulator = tenant.emulator;
        assert.deepEqual(await listAllConnections(tenant.client, { strategies: [] }), []);
        assert.equal(tenant.emulator.requests().length, 0);
    });

    for (const kind of ["429", "503"] as const) {
        it(`retries a ${kind} on a middle page and goes on from the same checkpoint`, async () => {
            const tenant = await tenantOf({ generated: { count: 295 } });
            emulator = tenant.emulator;
            const listed = await listAllConnections(tenant.client, {
                onPage: (fetched) => {
                    if (fetched === 100) {
                        tenant.emulator.injectFault({ kind, method: "GET", path: LIST_PATH, retryAfterSeconds: 2 });
                    }
                },
            });
            assert.deepEqual(ids(listed), ids(tenant.emulator.connections()));
            const lists = tenant.lists();
            assert.deepEqual(
                lists.map((r) => [r.status, r.fault]),
                [
                    [200, undefined],
                    [Number(kind), kind],
                    [200, undefined],
                    [200, undefined],
                ],
            );
            assert.equal(lists[2].query.from, lists[1].query.from, "the retry asks for the same page");
            if (kind === "429") assert.ok(tenant.waits[0] >= 2000, `waited ${tenant.waits[0]} ms for Retry-After`);
            const retries = tenant.log.filter((line) => / retrying in /.test(line));
            assert.equal(retries.length, 1);
            assert.match(retries[0], new RegExp(`^auth0: GET /api/v2/connections → HTTP ${kind}; retrying in`));
        });
    }

    it("returns all of 2,500 connections, each once, in 25 pages", async () => {
        const tenant = await tenantOf({ generated: { count: 2495, strategies: ["samlp", "oidc", "waad"] } });
        emulator = tenant.emulator;
        const listed = await listAllConnections(tenant.client);
        assert.equal(listed.length, 2500);
        assert.equal(new Set(ids(listed)).size, 2500);
        assert.deepEqual(ids(listed), ids(tenant.emulator.connections()));
        assert.equal(tenant.lists().length, 25);
    });

    it("sees a connection created while it pages, and none deleted before its page", async () => {
        const tenant = await tenantOf({ generated: { count: 195 } });
        emulator = tenant.emulator;
        let added: Connection[] = [];
        const before = tenant.emulator.connections();
        const listed = await listAllConnections(tenant.client, {
            onPage: (fetched) => {
                if (fetched !== 100) return;
                added = tenant.emulator.addConnections({ count: 1, namePrefix: "self-service" });
                tenant.emulator.update(before[150].id, (c) => {
                    c.display_name = "renamed while listed";
                });
            },
        });
        assert.deepEqual(ids(listed), [...ids(before), ...ids(added)]);
        assert.equal(listed[150].display_name, "renamed while listed");
    });

    it("returns a connection seen on two pages once", async () => {
        const all = connections(150);
        // The tenant shifted between pages: page 2 starts one earlier and repeats c-99.
        const tenant = await fakeTenant((from) =>
            from === null ? { connections: all.slice(0, 100), next: "p2" } : { connections: all.slice(99) },
        );
        try {
            const progress: number[] = [];
            const listed = await listAllConnections(tenant.client, { onPage: (fetched) => progress.push(fetched) });
            assert.deepEqual(ids(listed), ids(all));
            assert.deepEqual(progress, [100, 150]);
        } finally {
            await tenant.stop();
        }
    });

    it("takes a bare array (a server ignoring from and take) as the whole list", async () => {
        const all = connections(120);
        const tenant = await fakeTenant(() => all);
        try {
            assert.deepEqual(ids(await listAllConnections(tenant.client)), ids(all));
            assert.deepEqual(tenant.asked, [null]);
        } finally {
            await tenant.stop();
        }
    });

    it("ends at an empty or null next as at a missing one", async () => {
        for (const next of ["", null]) {
            const tenant = await fakeTenant(() => ({ connections: connections(3), next }));
            try {
                assert.equal((await listAllConnections(tenant.client)).length, 3);
                assert.equal(tenant.asked.length, 1);
            } finally {
                await tenant.stop();
            }
        }
    });

    it("fails, instead of asking forever, when the server ignores the checkpoint", async () => {
        const tenant = await fakeTenant(() => ({ connections: connections(100), next: "always-the-same" }));
        try {
            await assert.rejects(
                listAllConnections(tenant.client),
                /after 2 pages the next page was one already read; the server seems to ignore the from checkpoint/,
            );
            assert.deepEqual(tenant.asked, [null, "always-the-same"]);
        } finally {
            await tenant.stop();
        }
    });
});
