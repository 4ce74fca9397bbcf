import assert from "node:assert/strict";
import type { Connection } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { accessToken, apiErrorBody, record, request, useEmulator } from "./helpers";

const LIST = "/api/v2/connections";

describe("emulator POST /api/v2/connections", () => {
    const emulator = useEmulator();
    let token: string;
    beforeEach(async () => {
        token = await accessToken(emulator());
    });
    const create = (body: unknown) => request(emulator(), "POST", LIST, { token, body });

    it("creates a connection with Auth0's defaults and a con_ id", async () => {
        const response = await create({
            name: "partners-db",
            strategy: "auth0",
            options: { non_persistent_attrs: [] },
        });
        assert.equal(response.status, 201);
        const created = response.json as Connection;
        assert.match(created.id, /^con_[A-Za-z0-9]{16}$/);
        assert.deepEqual(created, {
            id: created.id,
            options: { non_persistent_attrs: [] },
            realms: ["partners-db"],
            enabled_clients: [],
            is_domain_connection: false,
            name: "partners-db",
            strategy: "auth0",
        });
        assert.deepEqual(emulator().connection(created.id), created);
        const listed = await request(emulator(), "GET", `${LIST}?name=partners-db`, { token });
        assert.deepEqual(listed.json, [created]);
    });

    it("answers 409 connection_conflict to a name already in use", async () => {
        const response = await create({ name: "ACME-SAML", strategy: "samlp" });
        assert.equal(response.status, 409);
        assert.deepEqual(
            response.json,
            apiErrorBody(409, "Conflict", "A connection with the same name already exists", "connection_conflict"),
        );
    });

    it("requires name and strategy, and a valid name", async () => {
        const missing = await create({ name: "no-strategy" });
        assert.equal(record(missing).message, "Payload validation error: 'Missing required property: strategy'.");
        const badName = await create({ name: "bad name!", strategy: "auth0" });
        assert.equal(badName.status, 400);
        assert.match(String(record(badName).message), /String does not match pattern .* on property name\.$/);
        const extra = await create({ name: "ok", strategy: "auth0", id: "con_0000000000000000" });
        assert.equal(record(extra).message, "Payload validation error: 'Additional properties not allowed: id'.");
        assert.equal(emulator().connections().length, 5);
    });
});

describe("emulator DELETE /api/v2/connections/{id}", () => {
    const emulator = useEmulator();

    it("deletes with 202, then the connection is gone", async () => {
        const token = await accessToken(emulator());
        const path = `${LIST}/${SEED_IDS.google}`;
        const deleted = await request(emulator(), "DELETE", path, { token });
        assert.equal(deleted.status, 202);
        assert.equal(deleted.text, "");
        assert.equal((await request(emulator(), "GET", path, { token })).status, 404);
        assert.equal((await request(emulator(), "DELETE", path, { token })).status, 404);
        assert.equal(emulator().connection(SEED_IDS.google), undefined);
        assert.equal(emulator().connections().length, 4);
    });
});
