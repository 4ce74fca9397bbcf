import assert from "node:assert/strict";
import type { Connection } from "../../emulator";
import { builtInSeed, SEED_IDS } from "../../emulator/seed";
import { accessToken, apiErrorBody, authorized, record, request, useEmulator } from "./helpers";

const ids = (response: { json: unknown }) => (response.json as Connection[]).map((c) => c.id);

describe("emulator GET /api/v2/connections", () => {
    const emulator = useEmulator();

    it("lists every connection in creation order, options included", async () => {
        const response = await authorized(emulator(), "GET", "/api/v2/connections");
        assert.equal(response.status, 200);
        assert.deepEqual(response.json, builtInSeed());
    });

    it("filters by exact name", async () => {
        const found = await authorized(emulator(), "GET", "/api/v2/connections?name=acme-saml");
        assert.deepEqual(ids(found), [SEED_IDS.samlp]);
        const none = await authorized(emulator(), "GET", "/api/v2/connections?name=acme");
        assert.deepEqual(none.json, []);
    });

    it("filters by one or several strategies", async () => {
        const one = await authorized(emulator(), "GET", "/api/v2/connections?strategy=waad");
        assert.deepEqual(ids(one), [SEED_IDS.waad]);
        const two = await authorized(emulator(), "GET", "/api/v2/connections?strategy=oidc&strategy=auth0");
        assert.deepEqual(ids(two), [SEED_IDS.auth0, SEED_IDS.oidc]);
    });

    it("pages with page (0-based) and per_page", async () => {
        const token = await accessToken(emulator());
        const pages = [];
        for (const page of [0, 1, 2, 3]) {
            const response = await request(emulator(), "GET", `/api/v2/connections?per_page=2&page=${page}`, { token });
            pages.push(ids(response));
        }
        const all = builtInSeed().map((c) => c.id);
        assert.deepEqual(pages, [all.slice(0, 2), all.slice(2, 4), all.slice(4), []]);
    });

    it("wraps the page in {connections, start, limit, total} with include_totals=true", async () => {
        const path =
            "/api/v2/connections?include_totals=true&per_page=2&page=1&strategy=auth0&strategy=samlp&strategy=oidc";
        const body = record(await authorized(emulator(), "GET", path));
        assert.deepEqual(Object.keys(body), ["connections", "start", "limit", "total"]);
        assert.deepEqual(
            (body.connections as Connection[]).map((c) => c.id),
            [SEED_IDS.oidc],
        );
        assert.deepEqual([body.start, body.limit, body.total], [2, 2, 3]);
    });

    it("defaults per_page to 50 and caps it at 100", async () => {
        const token = await accessToken(emulator());
        const defaults = record(await request(emulator(), "GET", "/api/v2/connections?include_totals=true", { token }));
        assert.equal(defaults.limit, 50);
        for (const query of ["per_page=101", "per_page=two", "page=-1"]) {
            const response = await request(emulator(), "GET", `/api/v2/connections?${query}`, { token });
            assert.equal(response.status, 400, query);
            assert.equal(record(response).errorCode, "invalid_query_string");
        }
    });
});

describe("emulator GET /api/v2/connections/{id}", () => {
    const emulator = useEmulator();

    it("returns the whole connection", async () => {
        const response = await authorized(emulator(), "GET", `/api/v2/connections/${SEED_IDS.oidc}`);
        assert.equal(response.status, 200);
        assert.deepEqual(
            response.json,
            builtInSeed().find((c) => c.id === SEED_IDS.oidc),
        );
    });

    it("answers 404 inexistent_connection for an unknown id", async () => {
        const response = await authorized(emulator(), "GET", "/api/v2/connections/con_0000000000000000");
        assert.equal(response.status, 404);
        assert.deepEqual(
            response.json,
            apiErrorBody(404, "Not Found", "The connection does not exist", "inexistent_connection"),
        );
    });

    it("honours fields and include_fields", async () => {
        const token = await accessToken(emulator());
        const base = `/api/v2/connections/${SEED_IDS.google}`;
        const only = await request(emulator(), "GET", `${base}?fields=id,name,strategy`, { token });
        assert.deepEqual(only.json, { id: SEED_IDS.google, strategy: "google-oauth2", name: "google-oauth2" });
        const without = record(
            await request(emulator(), "GET", `${base}?fields=options&include_fields=false`, { token }),
        );
        assert.equal("options" in without, false);
        assert.equal(without.display_name, "Google");
    });

    it("answers unknown routes and methods with a JSON 404", async () => {
        const token = await accessToken(emulator());
        for (const [method, path] of [
            ["GET", "/api/v2/users"],
            ["PUT", `/api/v2/connections/${SEED_IDS.auth0}`],
            ["GET", "/nowhere"],
            ["GET", "/oauth/token"],
        ]) {
            const response = await request(emulator(), method, path, { token });
            assert.equal(response.status, 404, `${method} ${path}`);
            assert.equal(record(response).statusCode, 404);
        }
    });
});
