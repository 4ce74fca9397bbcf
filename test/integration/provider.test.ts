import assert from "node:assert/strict";
import { builtInSeed, SEED_IDS } from "../../emulator/seed";
import { stackConfigFor } from "../../harness/credentials";
import { listOn, optionsWithoutDenyList } from "../support/connection";
import { startTenant, type Tenant } from "../support/tenant";

describe("provider against the emulator", () => {
    let tenant: Tenant;
    afterEach(() => tenant?.emulator.stop());

    it("round-trips every seeded strategy with every other option, display_name, metadata and realms unchanged", async () => {
        tenant = await startTenant();
        for (const seeded of builtInSeed()) {
            const before = tenant.emulator.connection(seeded.id);
            const created = await tenant.provider.create({ connectionId: seeded.id, attributes: ["x_test_attr"] });
            const during = tenant.emulator.connection(seeded.id);
            assert.ok(
                (during?.options?.non_persistent_attrs as string[] | undefined)?.includes("x_test_attr"),
                seeded.strategy,
            );
            assert.deepEqual(created.outs.ownedAttributes, ["x_test_attr"]);
            await tenant.provider.delete(seeded.id, created.outs);
            const after = tenant.emulator.connection(seeded.id);
            for (const snapshot of [during, after]) {
                assert.equal(
                    optionsWithoutDenyList(snapshot),
                    optionsWithoutDenyList(before),
                    `${seeded.strategy} options changed`,
                );
                const { options: _a, ...restNow } = snapshot ?? {};
                const { options: _b, ...restBefore } = before ?? {};
                assert.deepEqual(restNow, restBefore, `${seeded.strategy} top-level fields changed`);
            }
            const original = (before?.options?.non_persistent_attrs as string[] | null) ?? [];
            assert.deepEqual(after?.options?.non_persistent_attrs, original, `${seeded.strategy} list not restored`);
        }
        // Never send fields Auth0 rejects, and never null.
        for (const request of tenant.emulator.requests().filter((r) => r.method === "PATCH")) {
            const body = request.body as Record<string, unknown>;
            assert.deepEqual(Object.keys(body).sort(), ["display_name", "options"]);
            assert.ok(Array.isArray((body.options as Record<string, unknown>).non_persistent_attrs));
        }
    });

    it("adopts a list that is already present: no PATCH, owns nothing, delete sends nothing", async () => {
        tenant = await startTenant();
        const created = await tenant.provider.create({
            connectionId: SEED_IDS.auth0,
            attributes: ["gender", "ethnicity"],
        });
        assert.deepEqual(created.outs.ownedAttributes, []);
        assert.deepEqual(tenant.apiCalls(), [`GET /api/v2/connections/${SEED_IDS.auth0}`]);
        tenant.emulator.clearRequests();
        await tenant.provider.delete(SEED_IDS.auth0, created.outs);
        assert.deepEqual(tenant.emulator.requests(), []);
        assert.deepEqual(tenant.emulator.connection(SEED_IDS.auth0)?.options?.non_persistent_attrs, [
            "ethnicity",
            "gender",
        ]);
    });

    it("adopts a list already present by name with one request more: the list filtered by name, then the GET by id", async () => {
        tenant = await startTenant();
        const created = await tenant.provider.create({
            connectionName: "Username-Password-Authentication",
            attributes: ["gender", "ethnicity"],
        });
        assert.deepEqual(created.outs.ownedAttributes, []);
        assert.deepEqual(tenant.apiCalls(), ["GET /api/v2/connections", `GET /api/v2/connections/${SEED_IDS.auth0}`]);
        assert.deepEqual(tenant.emulator.requests()[1].query, { name: "Username-Password-Authentication" });
        assert.equal(tenant.tokenCalls(), 1);
    });

    it("spends 2 requests per create/update/delete, 1 per read and one token per process", async () => {
        tenant = await startTenant();
        const id = SEED_IDS.google;
        const created = await tenant.provider.create({ connectionId: id, attributes: ["b"] });
        assert.equal(tenant.apiCalls().length, 2);
        const read = await tenant.provider.read(id, created.outs);
        assert.equal(tenant.apiCalls().length, 3);
        const updated = await tenant.provider.update(id, read.props ?? {}, {
            connectionId: id,
            attributes: ["a", "b"],
        });
        assert.equal(tenant.apiCalls().length, 5);
        await tenant.provider.delete(id, updated.outs ?? {});
        assert.deepEqual(tenant.apiCalls(), [
            `GET /api/v2/connections/${id}`,
            `PATCH /api/v2/connections/${id}`,
            `GET /api/v2/connections/${id}`,
            `GET /api/v2/connections/${id}`,
            `PATCH /api/v2/connections/${id}`,
            `GET /api/v2/connections/${id}`,
            `PATCH /api/v2/connections/${id}`,
        ]);
        assert.equal(tenant.tokenCalls(), 1);
        assert.deepEqual(tenant.emulator.connection(id)?.options?.non_persistent_attrs, []);
    });

    it("concurrent reads of one connection share one GET; a later read sends its own", async () => {
        tenant = await startTenant({ latencyMs: 20 });
        const created = await Promise.all(
            ["a", "b", "c", "d"].map((attr) =>
                tenant.provider.create({ connectionId: SEED_IDS.oidc, attributes: [attr] }),
            ),
        );
        const before = tenant.apiCalls().length;
        const reads = await Promise.all(
            Array.from({ length: 20 }, (_, i) => tenant.provider.read(SEED_IDS.oidc, created[i % 4].outs)),
        );
        assert.deepEqual(tenant.apiCalls().slice(before), [`GET /api/v2/connections/${SEED_IDS.oidc}`]);
        assert.deepEqual(
            reads.map((r) => r.props?.attributes),
            Array.from({ length: 20 }, (_, i) => [["a", "b", "c", "d"][i % 4]]),
        );
        // Never an older answer: a read that starts after the GET returned sends a new one.
        tenant.emulator.update(SEED_IDS.oidc, (c) => {
            (c.options as Record<string, unknown>).non_persistent_attrs = [];
        });
        const later = await tenant.provider.read(SEED_IDS.oidc, created[0].outs);
        assert.deepEqual(later.props?.attributes, []);
        assert.equal(tenant.apiCalls().length, before + 2);
    });

    it("resolves a connection by name, then reads it itself: options from the list are never written back", async () => {
        tenant = await startTenant();
        const created = await tenant.provider.create({ connectionName: "acme-oidc", attributes: ["birthdate"] });
        assert.equal(created.id, SEED_IDS.oidc);
        assert.deepEqual(tenant.apiCalls(), [
            "GET /api/v2/connections",
            `GET /api/v2/connections/${SEED_IDS.oidc}`,
            `PATCH /api/v2/connections/${SEED_IDS.oidc}`,
        ]);
        // Created without a URN (no program): each create is a resource of its own.
        assert.match(String(created.outs.declaredBy), /^anonymous:[0-9a-f-]{36}$/);
        assert.deepEqual(created.outs, {
            connectionId: SEED_IDS.oidc,
            connectionName: "acme-oidc",
            strategy: "oidc",
            attributes: ["birthdate"],
            exclusive: false,
            ownedAttributes: ["birthdate"],
            triggers: [],
            tenant: tenant.emulator.url,
            declaredBy: created.outs.declaredBy,
            sharedWith: {},
            schemaVersion: 1,
        });
    });

    it("update adds new entries, removes dropped owned ones and keeps adopted ones", async () => {
        tenant = await startTenant();
        const id = SEED_IDS.auth0; // live: ethnicity, gender
        const created = await tenant.provider.create({ connectionId: id, attributes: ["gender", "birthdate"] });
        assert.deepEqual(created.outs.ownedAttributes, ["birthdate"]);
        const updated = await tenant.provider.update(id, created.outs, { connectionId: id, attributes: ["nickname"] });
        assert.deepEqual(tenant.emulator.connection(id)?.options?.non_persistent_attrs, [
            "ethnicity",
            "gender",
            "nickname",
        ]);
        assert.deepEqual(updated.outs?.ownedAttributes, ["nickname"]);
    });

    it("exclusive mode makes the list exactly the declared entries and delete removes them", async () => {
        tenant = await startTenant();
        const id = SEED_IDS.auth0;
        const created = await tenant.provider.create({
            connectionId: id,
            attributes: ["gender", "zip"],
            exclusive: true,
        });
        assert.deepEqual(tenant.emulator.connection(id)?.options?.non_persistent_attrs, ["gender", "zip"]);
        assert.deepEqual(created.outs.ownedAttributes, ["gender", "zip"]);
        tenant.emulator.update(id, (c) => {
            (c.options as Record<string, unknown>).non_persistent_attrs = ["gender", "zip", "extra"];
        });
        const read = await tenant.provider.read(id, created.outs);
        assert.deepEqual(read.props?.attributes, ["extra", "gender", "zip"], "exclusive drift shows the extra entry");
        await tenant.provider.delete(id, created.outs);
        assert.deepEqual(tenant.emulator.connection(id)?.options?.non_persistent_attrs, ["extra"]);
    });

    it("a refresh keeps the triggers it was given, so it cannot cause an update by itself", async () => {
        tenant = await startTenant();
        const id = SEED_IDS.auth0;
        const created = await tenant.provider.create({ connectionId: id, attributes: ["birthdate"], triggers: [1] });
        const read = await tenant.provider.read(id, created.outs);
        assert.deepEqual(read.props?.triggers, [1]);
    });

    it("treats a deleted connection as gone on read and delete, and names it on create", async () => {
        tenant = await startTenant();
        const created = await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        const missing = "con_Missing000000001";
        assert.deepEqual(await tenant.provider.read(missing, { ...created.outs, connectionId: missing }), {
            id: "",
            props: {},
        });
        await tenant.provider.delete(missing, { ...created.outs, connectionId: missing });
        await assert.rejects(
            tenant.provider.create({ connectionId: missing, attributes: ["a"] }),
            new RegExp(`Connection ${missing} does not exist in tenant ${tenant.emulator.url}`),
        );
        await assert.rejects(tenant.provider.create({ connectionName: "nope", attributes: ["a"] }), (error: Error) => {
            assert.match(error.message, /Connection nope does not exist/);
            assert.doesNotMatch(error.message, /Did you mean/, "nothing close to suggest");
            return true;
        });
    });

    it("a misspelled connectionName names the closest connections of the tenant, and writes nothing", async () => {
        tenant = await startTenant();
        tenant.emulator.clearRequests();
        await assert.rejects(
            tenant.provider.create({ connectionName: "google-oath2", attributes: ["a"] }),
            /Connection google-oath2 does not exist in tenant .* Did you mean "google-oauth2"\? Nothing was written\./,
        );
        assert.deepEqual(
            tenant.emulator.requests().filter((r) => r.method === "PATCH"),
            [],
        );
    });

    it("refuses to write when the token cannot read options, naming the scope, and sends no PATCH", async () => {
        tenant = await startTenant({
            scopes: ["read:connections", "update:connections", "update:connections_options"],
        });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.auth0, attributes: ["a"] }),
            /without options.*read:connections_options.*Nothing was written/,
        );
        assert.ok(!tenant.apiCalls().some((call) => call.startsWith("PATCH")));
    });

    it("reports a 403 on PATCH with the scope to grant, and leaves the connection unchanged", async () => {
        tenant = await startTenant({ scopes: ["read:connections", "read:connections_options", "update:connections"] });
        const before = tenant.emulator.connection(SEED_IDS.auth0);
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.auth0, attributes: ["a"] }),
            /HTTP 403 insufficient_scope.*Grant the scope update:connections_options/,
        );
        assert.deepEqual(tenant.emulator.connection(SEED_IDS.auth0), before);
    });

    it("reports wrong credentials with a hint and without the secret", async () => {
        const secret = "wrong-secret-that-must-not-leak";
        tenant = await startTenant({}, {}, { AUTH0_CLIENT_SECRET: secret });
        const error = await tenant.provider
            .create({ connectionId: SEED_IDS.auth0, attributes: ["a"] })
            .catch((e: Error) => e);
        assert.ok(error instanceof Error);
        assert.match(error.message, /get token on .* failed: HTTP 401 .*Check auth0:clientId\/auth0:clientSecret/);
        assert.ok(!error.message.includes(secret));
        assert.ok(!tenant.apiCalls().some((call) => call.startsWith("PATCH")));
    });

    it("refuses only the operations that would push a list past 96 entries; the rest of the batch is written", async () => {
        tenant = await startTenant();
        const id = SEED_IDS.google;
        const fill = Array.from({ length: 90 }, (_, i) => `f${i}`);
        const results = await Promise.allSettled([
            tenant.provider.create({ connectionId: id, attributes: fill }),
            tenant.provider.create({ connectionId: id, attributes: Array.from({ length: 10 }, (_, i) => `x${i}`) }),
            tenant.provider.create({ connectionId: id, attributes: ["small"] }),
        ]);
        assert.deepEqual(
            results.map((r) => r.status),
            ["fulfilled", "rejected", "fulfilled"],
        );
        assert.match(
            String((results[1] as PromiseRejectedResult).reason),
            /would have 100 entries; Auth0 accepts at most 96/,
        );
        assert.equal(listOn(tenant.emulator, id).length, 91);
        assert.equal(tenant.apiCalls().length, 2, "still one GET and one PATCH");
    });

    it("warns when the target is a samlp connection with debug mode on", async () => {
        tenant = await startTenant();
        await tenant.provider.create({ connectionId: SEED_IDS.samlp, attributes: ["a"] });
        assert.ok(tenant.log.some((line) => /samlp connection with Debug Mode on/.test(line)));
    });

    it("warns once per connection that keeps root-profile copies of what it denies, naming the setting and the fix", async () => {
        tenant = await startTenant();
        // acme-azure-ad syncs profile attributes on first login only; google-oauth2 at each login.
        await tenant.provider.create({ connectionId: SEED_IDS.waad, attributes: ["gender"] });
        await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["gender"] });
        const state = await tenant.provider.create({ connectionName: "acme-azure-ad", attributes: ["birthdate"] });
        await tenant.provider.update(SEED_IDS.waad, state.outs, { connectionId: SEED_IDS.waad, attributes: ["ssn"] });
        const warnings = tenant.log.filter((line) => /set_user_root_attributes/.test(line));
        assert.deepEqual(warnings, [
            'warning: connection acme-azure-ad: set_user_root_attributes is "on_first_login": a denied attribute Auth0 ' +
                "already stored for a user leaves that user's identity at the next login but stays on the root profile. " +
                'Set set_user_root_attributes to "on_each_login" (dashboard: Sync user profile attributes at each login) ' +
                "so the next login clears it there too.",
        ]);
    });

    it("uses stack config from configure whole: a conflicting token and tenant in the environment are ignored", async () => {
        const envToken = "FAKE-env-api-token-that-must-not-be-used";
        tenant = await startTenant({}, { env: { AUTH0_DOMAIN: "http://127.0.0.1:9", AUTH0_API_TOKEN: envToken } });
        await tenant.provider.configure({
            config: {
                get: (key: string) => stackConfigFor(tenant.emulator)[key],
                require: () => "",
            },
        } as never);
        const created = await tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        assert.equal(created.id, SEED_IDS.google);
        // The stack's client credentials got a token: the environment's token was not used.
        assert.equal(tenant.tokenCalls(), 1);
    });

    it("fails clearly without credentials and sends nothing", async () => {
        tenant = await startTenant({}, { env: {} });
        await assert.rejects(
            tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] }),
            /Auth0 domain is not set: run `pulumi config set auth0:domain/,
        );
        assert.deepEqual(tenant.emulator.requests(), []);
    });
});
