/**
 * The provider plugin serving TenantDenyList, spawned from the packed package and driven in the
 * engine's order against the emulator: preview sends nothing, create covers the strategies, a
 * refresh finds a new connection and the next diff names it, update and delete write only what
 * they must.
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { pluginUrn } from "../../harness/plugin";
import { listOn } from "../support/connection";
import { pluginPerTest } from "../support/plugin";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("the provider plugin: TenantDenyList", function () {
    this.timeout(60_000);
    const t = pluginPerTest();
    const urn = pluginUrn("TenantDenyList", "baseline");
    const holding = (entry: string) =>
        t.emulator
            .connections()
            .filter((c) => listOn(t.emulator, c.id).includes(entry))
            .map((c) => c.id)
            .sort();
    const patched = () =>
        t.emulator
            .requests()
            .filter((r) => r.method === "PATCH")
            .map((r) => r.path);

    it("preview, create, refresh finding a new connection, the update naming it, a narrower scope, destroy", async () => {
        const declared = { attributes: ["national_id"], strategies: ["waad", "samlp", "oidc"] };
        const { inputs, failures } = await t.plugin.check(urn, {}, declared);
        assert.deepEqual(failures, []);
        assert.deepEqual(inputs.strategies, ["oidc", "samlp", "waad"]);

        const preview = await t.plugin.create(urn, inputs, true);
        assert.equal(preview.properties.connections, UNKNOWN);
        assert.deepEqual(t.emulator.requests(), [], "a preview sends no request");

        const created = await t.plugin.create(urn, inputs);
        assert.match(created.id, /^tdl_/);
        assert.deepEqual(holding("national_id"), [SEED_IDS.oidc, SEED_IDS.samlp, SEED_IDS.waad].sort());
        assert.equal(created.properties.declaredBy, urn);
        const state = JSON.stringify(created.properties);
        assert.ok(!state.includes("FAKE-") && !state.includes("client_secret"), "no options or secret in state");

        const [added] = t.emulator.addConnections({ count: 1, strategies: ["oidc"] });
        const unchanged = await t.plugin.diff(urn, created.id, created.properties, inputs);
        assert.equal(unchanged.changes, "none", "without a refresh nothing is known of it");
        const refreshed = await t.plugin.read(urn, created.id, created.properties, inputs);
        const diff = await t.plugin.diff(urn, refreshed.id, refreshed.properties, inputs);
        assert.deepEqual([diff.changes, diff.diffs, diff.detailedDiff], ["some", [], {}]);
        assert.ok(
            t.plugin.logs().some((l) => l.urn === urn && l.message.includes(`${added.name} (national_id)`)),
            "the diff names the connection the update writes",
        );
        t.emulator.clearRequests();
        const updated = await t.plugin.update(urn, refreshed.id, refreshed.properties, inputs);
        assert.deepEqual(patched(), [`/api/v2/connections/${added.id}`]);

        const narrower = (await t.plugin.check(urn, inputs, { ...declared, strategies: ["samlp"] })).inputs;
        const narrowing = await t.plugin.diff(urn, created.id, updated.properties, narrower);
        assert.deepEqual([narrowing.changes, narrowing.detailedDiff], ["some", { strategies: "update" }]);
        const narrowed = await t.plugin.update(urn, created.id, updated.properties, narrower);
        assert.deepEqual(holding("national_id"), [SEED_IDS.samlp]);

        await t.plugin.delete(urn, created.id, narrowed.properties);
        assert.deepEqual(holding("national_id"), []);
    });

    it("entries already on a connection are adopted, never removed by its delete", async () => {
        const created = await t.plugin.create(urn, { attributes: ["gender"] });
        assert.deepEqual(holding("gender").includes(SEED_IDS.auth0), true);
        await t.plugin.delete(urn, created.id, created.properties);
        assert.deepEqual(
            listOn(t.emulator, SEED_IDS.auth0),
            ["ethnicity", "gender"],
            "the database connection had gender",
        );
        assert.deepEqual(holding("gender"), [SEED_IDS.auth0]);
    });
});
