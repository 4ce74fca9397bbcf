import assert from "node:assert/strict";
import { DEFAULT_SCOPES } from "../../emulator";
import { accessToken, apiErrorBody, record, request, requestToken, tokenForm, useEmulator } from "./helpers";

const INVALID_TOKEN = apiErrorBody(401, "Unauthorized", "Invalid token.", "invalid_token");

describe("emulator /oauth/token", () => {
    const emulator = useEmulator(() => ({ tokenTtlSeconds: 3600 }));

    it("issues an opaque bearer token for a form-encoded client-credentials request", async () => {
        const response = await requestToken(emulator(), tokenForm(emulator()));
        assert.equal(response.status, 200);
        const body = record(response);
        assert.match(String(body.access_token), /^emu_[A-Za-z0-9_-]{20,}$/);
        assert.equal(body.expires_in, 3600);
        assert.equal(body.scope, DEFAULT_SCOPES.join(" "));
        assert.equal(body.token_type, "Bearer");
        assert.deepEqual(emulator().issuedTokens(), [body.access_token]);
    });

    it("accepts a JSON body and the audience without its trailing slash", async () => {
        const body = { ...tokenForm(emulator()), audience: `${emulator().url}/api/v2` };
        const response = await request(emulator(), "POST", "/oauth/token", { body });
        assert.equal(response.status, 200);
        assert.equal(record(response).token_type, "Bearer");
    });

    it("answers 401 access_denied to a wrong secret or client id", async () => {
        for (const wrong of [{ client_secret: "nope" }, { client_id: "someone-else" }] as Record<string, string>[]) {
            const response = await requestToken(emulator(), { ...tokenForm(emulator()), ...wrong });
            assert.equal(response.status, 401);
            assert.deepEqual(response.json, { error: "access_denied", error_description: "Unauthorized" });
        }
        assert.deepEqual(emulator().issuedTokens(), []);
    });

    it("answers 403 access_denied to another audience", async () => {
        const response = await requestToken(emulator(), {
            ...tokenForm(emulator()),
            audience: "https://tenant.eu.auth0.com/api/v2/",
        });
        assert.equal(response.status, 403);
        assert.equal(record(response).error, "access_denied");
    });

    it("refuses other grant types and a missing grant type", async () => {
        const password = await requestToken(emulator(), { ...tokenForm(emulator()), grant_type: "password" });
        assert.equal(password.status, 403);
        assert.equal(record(password).error, "unsupported_grant_type");
        const missing = await requestToken(emulator(), { client_id: emulator().clientId });
        assert.equal(missing.status, 400);
        assert.equal(record(missing).error, "invalid_request");
    });
});

describe("emulator bearer tokens", () => {
    const emulator = useEmulator(() => ({ tokenTtlSeconds: 0.2 }));

    it("answers 401 Invalid token. without a token or with an unknown one", async () => {
        const missing = await request(emulator(), "GET", "/api/v2/connections");
        assert.equal(missing.status, 401);
        assert.deepEqual(missing.json, INVALID_TOKEN);
        const unknown = await request(emulator(), "GET", "/api/v2/connections", { token: "emu_made_up" });
        assert.deepEqual(unknown.json, INVALID_TOKEN);
    });

    it("expires tokens after their lifetime", async () => {
        const token = await accessToken(emulator());
        assert.equal((await request(emulator(), "GET", "/api/v2/connections", { token })).status, 200);
        await new Promise((resolve) => setTimeout(resolve, 250));
        const expired = await request(emulator(), "GET", "/api/v2/connections", { token });
        assert.equal(expired.status, 401);
        assert.equal(record(expired).message, "Expired token received for JSON Web Token validation");
    });
});

describe("emulator expireTokens()", () => {
    const emulator = useEmulator();

    it("expires every token issued so far, and only those", async () => {
        const old = await accessToken(emulator());
        emulator().expireTokens();
        const expired = await request(emulator(), "GET", "/api/v2/connections", { token: old });
        assert.deepEqual(
            expired.json,
            apiErrorBody(401, "Unauthorized", "Expired token received for JSON Web Token validation", "invalid_token"),
        );
        const fresh = await accessToken(emulator());
        assert.equal((await request(emulator(), "GET", "/api/v2/connections", { token: fresh })).status, 200);
        assert.deepEqual(emulator().issuedTokens(), [old, fresh]);
    });
});
