import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { accessToken, request, useEmulator } from "./helpers";

describe("emulator request log", () => {
    const emulator = useEmulator(() => ({ latencyMs: 30 }));

    it("records every request with method, path, query, body, status and arrival time", async () => {
        const started = Date.now();
        await accessToken(emulator());
        const token = emulator().issuedTokens()[0];
        const path = `/api/v2/connections/${SEED_IDS.auth0}`;
        await request(emulator(), "GET", "/api/v2/connections?strategy=auth0&strategy=oidc&page=0", { token });
        await request(emulator(), "PATCH", path, { token, body: { display_name: "x" } });
        const log = emulator().requests();
        assert.deepEqual(
            log.map(({ method, path, query, status }) => ({ method, path, query, status })),
            [
                { method: "POST", path: "/oauth/token", query: {}, status: 200 },
                {
                    method: "GET",
                    path: "/api/v2/connections",
                    query: { strategy: "auth0,oidc", page: "0" },
                    status: 200,
                },
                { method: "PATCH", path, query: {}, status: 200 },
            ],
        );
        assert.equal((log[0].body as Record<string, string>).grant_type, "client_credentials");
        assert.equal(log[1].body, undefined);
        assert.deepEqual(log[2].body, { display_name: "x" });
        assert.ok(log.every((entry, i) => entry.time >= started && (i === 0 || entry.time >= log[i - 1].time)));
        assert.ok(log.every((entry) => entry.fault === undefined));
    });

    it("adds latencyMs before every response", async () => {
        const started = Date.now();
        await request(emulator(), "GET", "/nowhere");
        assert.ok(Date.now() - started >= 25);
    });

    it("hands out copies, and forgets everything on clearRequests()", async () => {
        await request(emulator(), "GET", "/nowhere");
        emulator().requests()[0].status = 999;
        assert.equal(emulator().requests()[0].status, 404);
        emulator().clearRequests();
        assert.deepEqual(emulator().requests(), []);
    });
});
