import assert from "node:assert/strict";
import { type Connection, DEFAULT_SCOPES } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { accessToken, apiErrorBody, record, request, requestToken, tokenForm, useEmulator } from "./helpers";

const PATH = `/api/v2/connections/${SEED_IDS.samlp}`;

const insufficient = (scope: string) =>
    apiErrorBody(403, "Forbidden", `Insufficient scope; expected any of: ${scope}`, "insufficient_scope");

const without = (...missing: string[]) => DEFAULT_SCOPES.filter((scope) => !missing.includes(scope));

describe("emulator scopes", () => {
    describe("without read:connections_options", () => {
        const emulator = useEmulator(() => ({ scopes: without("read:connections_options") }));

        it("issues tokens naming only the granted scopes", async () => {
            const response = await requestToken(emulator(), tokenForm(emulator()));
            assert.equal(record(response).scope, without("read:connections_options").join(" "));
        });

        it("omits the options key from GET, the list and the PATCH response", async () => {
            const token = await accessToken(emulator());
            const one = record(await request(emulator(), "GET", PATH, { token }));
            assert.equal(one.id, SEED_IDS.samlp);
            assert.equal("options" in one, false);
            const list = (await request(emulator(), "GET", "/api/v2/connections", { token })).json as Connection[];
            assert.equal(list.length, 5);
            assert.ok(list.every((c) => !("options" in c)));
            const patched = await request(emulator(), "PATCH", PATH, { token, body: { display_name: "x" } });
            assert.equal(patched.status, 200);
            assert.equal("options" in record(patched), false);
        });
    });

    describe("without update:connections_options", () => {
        const emulator = useEmulator(() => ({ scopes: without("update:connections_options") }));

        it("refuses a PATCH carrying options, naming the scope, and allows one without", async () => {
            const token = await accessToken(emulator());
            const refused = await request(emulator(), "PATCH", PATH, { token, body: { options: {} } });
            assert.equal(refused.status, 403);
            assert.deepEqual(refused.json, insufficient("update:connections_options"));
            assert.ok(emulator().connection(SEED_IDS.samlp)?.options?.signing_key);
            const allowed = await request(emulator(), "PATCH", PATH, { token, body: { display_name: "SSO" } });
            assert.equal(allowed.status, 200);
        });
    });

    describe("without read, update, create and delete", () => {
        const emulator = useEmulator(() => ({ scopes: ["read:connections_options", "update:connections_options"] }));

        it("refuses each route, naming the scope it needs", async () => {
            const token = await accessToken(emulator());
            const cases: [string, string, unknown, string][] = [
                ["GET", "/api/v2/connections", undefined, "read:connections"],
                ["GET", PATH, undefined, "read:connections"],
                ["PATCH", PATH, { display_name: "x" }, "update:connections"],
                ["POST", "/api/v2/connections", { name: "new-db", strategy: "auth0" }, "create:connections"],
                ["DELETE", PATH, undefined, "delete:connections"],
            ];
            for (const [method, path, body, scope] of cases) {
                const response = await request(emulator(), method, path, { token, body });
                assert.equal(response.status, 403, `${method} ${path}`);
                assert.deepEqual(response.json, insufficient(scope));
            }
            assert.equal(emulator().connections().length, 5);
        });
    });

    describe("setScopes()", () => {
        const emulator = useEmulator();

        it("applies at once to tokens already issued, and to the scope of new ones", async () => {
            const token = await accessToken(emulator());
            emulator().setScopes(["read:connections"]);
            const read = record(await request(emulator(), "GET", PATH, { token }));
            assert.equal("options" in read, false);
            const patched = await request(emulator(), "PATCH", PATH, { token, body: { display_name: "x" } });
            assert.deepEqual(patched.json, insufficient("update:connections"));
            const fresh = await requestToken(emulator(), tokenForm(emulator()));
            assert.equal(record(fresh).scope, "read:connections");
            emulator().setScopes(DEFAULT_SCOPES);
            assert.equal(
                (await request(emulator(), "PATCH", PATH, { token, body: { display_name: "x" } })).status,
                200,
            );
        });
    });
});
