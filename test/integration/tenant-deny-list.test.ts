/**
 * TenantDenyList against the emulator over real HTTP: paging, what costs a request, adoption,
 * refresh finding a new connection, partial failure, and life beside ConnectionDenyLists.
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { listOn, optionsWithoutDenyList } from "../support/connection";
import { startTenant, type Tenant } from "../support/tenant";

describe("TenantDenyList against the emulator", function () {
    this.timeout(30_000);
    let tenant: Tenant;
    afterEach(async () => {
        await tenant?.emulator.stop();
    });

    const allIds = () => tenant.emulator.connections().map((c) => c.id);
    // Requests beyond the list pages.
    const writes = () => tenant.apiCalls().filter((call) => call !== "GET /api/v2/connections");

    it("create covers every connection of the chosen strategies, GET+PATCH only where an entry is missing", async () => {
        tenant = await startTenant();
        const before = Object.fromEntries(tenant.emulator.connections().map((c) => [c.id, optionsWithoutDenyList(c)]));
        tenant.emulator.update(SEED_IDS.oidc, (c) => {
            if (c.options) c.options.non_persistent_attrs = ["national_id"];
        });
        const created = await tenant.tenantProvider.create({
            attributes: ["national_id"],
            strategies: ["oidc", "samlp", "waad"],
        });
        // oidc already had it: adopted, no request beyond the list.
        assert.deepEqual(writes().sort(), [
            `GET /api/v2/connections/${SEED_IDS.samlp}`,
            `GET /api/v2/connections/${SEED_IDS.waad}`,
            `PATCH /api/v2/connections/${SEED_IDS.samlp}`,
            `PATCH /api/v2/connections/${SEED_IDS.waad}`,
        ]);
        for (const id of [SEED_IDS.oidc, SEED_IDS.samlp, SEED_IDS.waad])
            assert.ok(listOn(tenant.emulator, id).includes("national_id"));
        for (const id of [SEED_IDS.auth0, SEED_IDS.google])
            assert.ok(!listOn(tenant.emulator, id).includes("national_id"));
        const connections = created.outs.connections as { id: string; owned: string[] }[];
        assert.deepEqual(
            connections.map((c) => [c.id, c.owned]).sort(),
            [
                [SEED_IDS.oidc, []],
                [SEED_IDS.samlp, ["national_id"]],
                [SEED_IDS.waad, ["national_id"]],
            ].sort(),
        );
        for (const c of tenant.emulator.connections()) assert.equal(optionsWithoutDenyList(c), before[c.id], c.name);
        const state = JSON.stringify(created.outs);
        assert.ok(!state.includes("FAKE-"), "no connection secret in state");

        // Delete removes only what it wrote: the adopted entry stays.
        await tenant.tenantProvider.delete(created.id, created.outs);
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.oidc), ["national_id"]);
        assert.ok(
            !listOn(tenant.emulator, SEED_IDS.samlp).includes("national_id") &&
                !listOn(tenant.emulator, SEED_IDS.waad).includes("national_id"),
        );
    });

    it("a connection created later shows as lacking at refresh; the update writes exactly that one", async () => {
        tenant = await startTenant();
        const created = await tenant.tenantProvider.create({ attributes: ["birthdate"], excludeConnections: ["nope"] });
        assert.match(tenant.log.join("\n"), /excludeConnections names "nope", which no connection of the tenant has/);
        const [added] = tenant.emulator.addConnections({ count: 1, strategies: ["samlp"] });
        const read = await tenant.tenantProvider.read(created.id, created.outs);
        const covered = (read.props?.connections ?? []) as { id: string; lacking?: string[] }[];
        const lacking = covered.filter((c) => c.lacking);
        assert.deepEqual(lacking, [
            { id: added.id, name: added.name, strategy: "samlp", owned: [], lacking: ["birthdate"] },
        ]);
        const inputs = { attributes: ["birthdate"], excludeConnections: ["nope"] };
        assert.equal((await tenant.tenantProvider.diff(created.id, read.props ?? {}, inputs)).changes, true);
        tenant.emulator.clearRequests();
        const updated = await tenant.tenantProvider.update(created.id, read.props ?? {}, inputs);
        assert.deepEqual(writes(), [`GET /api/v2/connections/${added.id}`, `PATCH /api/v2/connections/${added.id}`]);
        assert.ok(listOn(tenant.emulator, added.id).includes("birthdate"));
        const after = updated.outs.connections as { id: string; lacking?: string[] }[];
        assert.ok(after.every((c) => !c.lacking));
        assert.equal(after.length, allIds().length);
    });

    it("one line per run names the written connections that keep root-profile copies of denied attributes", async () => {
        tenant = await startTenant();
        tenant.emulator.update(SEED_IDS.oidc, (c) => {
            if (c.options) c.options.set_user_root_attributes = "never_on_login";
        });
        await tenant.tenantProvider.create({ attributes: ["national_id"] });
        const warnings = tenant.log.filter((line) => /set_user_root_attributes/.test(line));
        assert.deepEqual(warnings, [
            'warning: 2 connections do not sync profile attributes at each login (acme-azure-ad "on_first_login", ' +
                'acme-oidc "never_on_login"): a denied attribute Auth0 already stored for a user leaves that ' +
                "user's identity at the next login but stays on the root profile. Set set_user_root_attributes to " +
                '"on_each_login" on them (dashboard: Sync user profile attributes at each login) so the next login ' +
                "clears it there too.",
        ]);
    });

    it("one connection refusing never stops the others; the failure names it and state keeps what was written", async () => {
        tenant = await startTenant();
        tenant.emulator.update(SEED_IDS.waad, (c) => {
            if (c.options) c.options.non_persistent_attrs = "not a list" as unknown as string[];
        });
        const failure = await tenant.tenantProvider.create({ attributes: ["ssn"] }).then(
            () => assert.fail("expected a partial failure"),
            (error: Error & { id?: string; properties?: Record<string, unknown> }) => error,
        );
        assert.match(failure.message, /1 of \d+ connection\(s\) could not be written/);
        assert.match(failure.message, new RegExp(`acme-azure-ad \\(${SEED_IDS.waad}\\): .*not a list of strings`));
        for (const id of allIds().filter((id) => id !== SEED_IDS.waad))
            assert.ok(listOn(tenant.emulator, id).includes("ssn"), id);
        const recorded = failure.properties?.connections as { id: string; owned: string[]; lacking?: string[] }[];
        assert.deepEqual(
            recorded.find((c) => c.id === SEED_IDS.waad),
            { id: SEED_IDS.waad, name: "acme-azure-ad", strategy: "waad", owned: [], lacking: ["ssn"] },
        );
        // The next up retries the rest once the connection is fixed; destroy removes what it wrote.
        tenant.emulator.update(SEED_IDS.waad, (c) => {
            if (c.options) c.options.non_persistent_attrs = [];
        });
        const props = failure.properties ?? {};
        const updated = await tenant.tenantProvider.update(failure.id ?? "", props, { attributes: ["ssn"] });
        assert.ok(listOn(tenant.emulator, SEED_IDS.waad).includes("ssn"));
        await tenant.tenantProvider.delete(failure.id ?? "", updated.outs);
        for (const id of allIds()) assert.ok(!listOn(tenant.emulator, id).includes("ssn"), id);
    });

    it("beside a ConnectionDenyList: neither removes what the other declares", async () => {
        tenant = await startTenant();
        const urn = (name: string) => `urn:pulumi:dev::p::t::${name}`;
        const cdl = await tenant.provider.create({
            connectionId: SEED_IDS.google,
            attributes: ["ssn"],
            declaredBy: urn("cdl"),
        });
        const tdl = await tenant.tenantProvider.create({ attributes: ["ssn"], declaredBy: urn("tdl") });
        // The tenant-wide list adopted ssn on google (the ConnectionDenyList wrote it) and owns it elsewhere.
        await tenant.tenantProvider.delete(tdl.id, tdl.outs);
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), ["ssn"], "kept: the ConnectionDenyList declares it");
        assert.ok(!listOn(tenant.emulator, SEED_IDS.samlp).includes("ssn"));
        // And the ConnectionDenyList's own delete, with the tenant-wide list declared again, keeps it too.
        const again = await tenant.tenantProvider.create({ attributes: ["ssn"], declaredBy: urn("tdl") });
        await tenant.provider.delete(cdl.id, cdl.outs);
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), ["ssn"]);
        assert.match(tenant.log.join("\n"), /keeping "ssn" on connection google-oauth2 .*"tdl" declares it/);
        // Kept for the tenant-wide list, the entry is now its to remove: a whole destroy leaves nothing.
        await tenant.tenantProvider.delete(again.id, again.outs);
        assert.deepEqual(listOn(tenant.emulator, SEED_IDS.google), []);
    });
});
