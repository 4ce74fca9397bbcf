/**
 * Checkpoint paging of `GET /api/v2/connections` (`from`/`take` → `{connections, next}`), as
 * Auth0's reference documents it, beside the offset paging the other read tests cover.
 */
import assert from "node:assert/strict";
import type { Connection } from "../../emulator";
import { builtInSeed, SEED_IDS } from "../../emulator/seed";
import { accessToken, record, request, useEmulator } from "./helpers";

interface CheckpointPage {
    connections: Connection[];
    next?: string;
}

const seedIds = builtInSeed().map((c) => c.id);

describe("emulator GET /api/v2/connections, checkpoint paging", () => {
    const emulator = useEmulator();

    /** Follows `next` from the first page of `query`; every page's body, in order. */
    async function pages(query: string): Promise<CheckpointPage[]> {
        const token = await accessToken(emulator());
        const bodies: CheckpointPage[] = [];
        let from: string | undefined;
        do {
            const path = `/api/v2/connections?${query}${from === undefined ? "" : `&from=${encodeURIComponent(from)}`}`;
            const response = await request(emulator(), "GET", path, { token });
            assert.equal(response.status, 200, response.text);
            const body = response.json as CheckpointPage;
            bodies.push(body);
            from = body.next;
        } while (from !== undefined);
        return bodies;
    }

    it("answers {connections, next} page by page, and no next on the last page", async () => {
        const bodies = await pages("take=2");
        assert.deepEqual(
            bodies.map((body) => body.connections.map((c) => c.id)),
            [seedIds.slice(0, 2), seedIds.slice(2, 4), seedIds.slice(4)],
        );
        assert.deepEqual(
            bodies.map((body) => Object.keys(body)),
            [["connections", "next"], ["connections", "next"], ["connections"]],
        );
        assert.equal(typeof bodies[0].next, "string");
        assert.deepEqual(bodies[2].connections[0], builtInSeed()[4], "whole connections, options included");
    });

    it("ends without next when the last page is exactly full, and with an empty tenant", async () => {
        const full = await pages("take=5");
        assert.deepEqual(
            full.map((body) => body.connections.length),
            [5],
        );
        assert.deepEqual(
            full.map((body) => body.next),
            [undefined],
        );
        const emptied = await pages("take=5&name=no-such-connection");
        assert.deepEqual(emptied, [{ connections: [] }]);
    });

    it("defaults take to 50 when only from is given, and ignores include_totals", async () => {
        const first = record(
            await request(emulator(), "GET", "/api/v2/connections?take=1", {
                token: await accessToken(emulator()),
            }),
        );
        const rest = record(
            await request(emulator(), "GET", `/api/v2/connections?from=${first.next}&include_totals=true`, {
                token: await accessToken(emulator()),
            }),
        );
        assert.deepEqual(Object.keys(rest), ["connections"]);
        assert.deepEqual(
            (rest.connections as Connection[]).map((c) => c.id),
            seedIds.slice(1),
        );
    });

    it("filters by repeated strategy and by name", async () => {
        const strategies = await pages("take=1&strategy=oidc&strategy=auth0&strategy=waad");
        assert.deepEqual(
            strategies.map((body) => body.connections.map((c) => c.id)),
            [[SEED_IDS.auth0], [SEED_IDS.waad], [SEED_IDS.oidc]],
        );
        const named = await pages("take=1&name=acme-saml");
        assert.deepEqual(
            named.map((body) => body.connections.map((c) => c.id)),
            [[SEED_IDS.samlp]],
        );
    });

    it("keeps its place when connections are deleted or added between pages", async () => {
        const token = await accessToken(emulator());
        const list = (from?: string) =>
            request(emulator(), "GET", `/api/v2/connections?take=2${from ? `&from=${from}` : ""}`, { token });
        const first = (await list()).json as CheckpointPage;
        // The connection the checkpoint points at, and one not yet seen, are deleted; one is added.
        await request(emulator(), "DELETE", `/api/v2/connections/${seedIds[1]}`, { token });
        await request(emulator(), "DELETE", `/api/v2/connections/${seedIds[2]}`, { token });
        emulator().addConnections({ count: 1, strategies: ["oidc"] });
        const second = (await list(first.next)).json as CheckpointPage;
        const third = (await list(second.next)).json as CheckpointPage;
        assert.deepEqual(
            second.connections.map((c) => c.id),
            seedIds.slice(3),
        );
        assert.deepEqual(
            third.connections.map((c) => c.name),
            ["customer-oidc-1"],
        );
        assert.equal(third.next, undefined);
    });

    it("refuses a take outside 1..100 and a checkpoint it never issued", async () => {
        const token = await accessToken(emulator());
        for (const query of ["take=0", "take=101", "take=ten", "from=bm90LWEtY2hlY2twb2ludA", "from="]) {
            const response = await request(emulator(), "GET", `/api/v2/connections?${query}`, { token });
            assert.equal(response.status, 400, query);
            assert.equal(record(response).errorCode, "invalid_query_string", query);
            assert.match(String(record(response).message), /^Query validation error: /);
        }
    });

    it("pages without options when the token may not read them", async () => {
        emulator().setScopes(["read:connections"]);
        const bodies = await pages("take=3");
        const listed = bodies.flatMap((body) => body.connections);
        assert.equal(listed.length, 5);
        assert.ok(listed.every((c) => !("options" in c)));
    });
});
