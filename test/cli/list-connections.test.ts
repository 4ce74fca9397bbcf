/**
 * The command line's paging (`listConnections` in cli/tenant.ts) against the emulator (totals)
 * and against stand-in servers for the shapes Auth0 could also send (no totals, a smaller page
 * size, a tenant changing while it is read, paging ignored).
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { listConnections } from "../../cli/tenant";
import { type Connection, startEmulator } from "../../emulator";
import { Auth0Client } from "../../provider/auth0/client";

function connections(n: number): Connection[] {
    return Array.from({ length: n }, (_, i) => ({
        id: `con_List${String(i).padStart(12, "0")}`,
        name: `c-${i}`,
        strategy: "auth0",
        options: { non_persistent_attrs: [] },
    }));
}

/** A stand-in Management API answering `GET /api/v2/connections` with `answer(page)`. */
async function fakeTenant(answer: (page: number) => unknown) {
    const pages: number[] = [];
    const server = http.createServer((req, res) => {
        const page = Number(new URL(req.url ?? "/", "http://x").searchParams.get("page"));
        pages.push(page);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(page)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = new Auth0Client({ baseUrl: `http://127.0.0.1:${port}`, apiToken: "FAKE-token" }, { log: () => {} });
    return {
        client,
        pages,
        stop: () => {
            server.closeAllConnections();
            return new Promise((resolve) => server.close(resolve));
        },
    };
}

describe("cli: listing every connection, page by page", () => {
    it("reads every page of the emulator, stopping at the total without an extra request", async () => {
        for (const size of [0, 100, 200, 201]) {
            const emulator = await startEmulator({ seed: connections(size) });
            try {
                const client = new Auth0Client({
                    baseUrl: emulator.url,
                    clientId: emulator.clientId,
                    clientSecret: emulator.clientSecret,
                });
                const progress: [number, number | undefined][] = [];
                const listed = await listConnections(client, (fetched, total) => progress.push([fetched, total]));
                assert.deepEqual(
                    listed.map((c) => c.id),
                    connections(size).map((c) => c.id),
                );
                const pages = Math.max(1, Math.ceil(size / 100));
                const gets = emulator.requests().filter((r) => r.method === "GET");
                assert.equal(gets.length, pages, `${size} connections`);
                assert.deepEqual(gets[0].query, { page: "0", per_page: "100", include_totals: "true" });
                assert.deepEqual(progress.at(-1), [size, size]);
            } finally {
                await emulator.stop();
            }
        }
    });

    it("without totals and with a smaller page size, reads until an empty page", async () => {
        const all = connections(120);
        const tenant = await fakeTenant((page) => all.slice(page * 50, page * 50 + 50));
        try {
            const progress: [number, number | undefined][] = [];
            const listed = await listConnections(tenant.client, (fetched, total) => progress.push([fetched, total]));
            assert.equal(listed.length, 120);
            assert.deepEqual(tenant.pages, [0, 1, 2, 3]);
            assert.deepEqual(progress, [
                [50, undefined],
                [100, undefined],
                [120, undefined],
                [120, undefined],
            ]);
        } finally {
            await tenant.stop();
        }
    });

    it("lists a connection once when the tenant shifts between pages", async () => {
        const all = connections(150);
        // A connection deleted after page 0 was read: page 1 starts one earlier and repeats c-99.
        const tenant = await fakeTenant((page) =>
            page === 0
                ? { connections: all.slice(0, 100), start: 0, limit: 100, total: 150 }
                : { connections: all.slice(99, 150), start: 100, limit: 100, total: 150 },
        );
        try {
            const listed = await listConnections(tenant.client);
            assert.deepEqual(
                listed.map((c) => c.id),
                all.map((c) => c.id),
            );
        } finally {
            await tenant.stop();
        }
    });

    it("fails, instead of asking forever, when the server ignores paging", async () => {
        const tenant = await fakeTenant(() => ({ connections: connections(100), start: 0, limit: 100, total: 500 }));
        try {
            await assert.rejects(listConnections(tenant.client), /page 1 held only connections already listed/);
            assert.deepEqual(tenant.pages, [0, 1]);
        } finally {
            await tenant.stop();
        }
    });
});
