/**
 * The provider plugin serving TenantDenyList, spawned from the packed package and driven in the
 * engine's order against the emulator: preview sends nothing, create covers the strategies, a
 * refresh finds a new connection and the next diff names it, update and delete write only what
 * they must.
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { installedProject } from "../../harness/install";
import { PluginHost, pluginUrn } from "../../harness/plugin";
import { listOn } from "../support/connection";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("the provider plugin: TenantDenyList", function () {
    this.timeout(60_000);
    let emulator: Emulator;
    let plugin: PluginHost;
    const urn = pluginUrn("TenantDenyList", "baseline");
    const holding = (entry: string) =>
        emulator
            .connections()
            .filter((c) => listOn(emulator, c.id).includes(entry))
            .map((c) => c.id)
            .sort();
    const patched = () =>
        emulator
            .requests()
            .filter((r) => r.method === "PATCH")
            .map((r) => r.path);

    beforeEach(async () => {
        emulator = await startEmulator();
        plugin = await PluginHost.start({ project: installedProject() });
        await plugin.configure({
            domain: emulator.url,
            clientId: emulator.clientId,
            clientSecret: emulator.clientSecret,
        });
    });
    afterEach(async () => {
        await plugin.stop();
        await emulator.stop();
    });

    it("preview, create, refresh finding a new connection, the update naming it, a narrower scope, destroy", async () => {
        const declared = { attributes: ["national_id"], strategies: ["waad", "samlp", "oidc"] };
        const { inputs, failures } = await plugin.check(urn, {}, declared);
        assert.deepEqual(failures, []);
        assert.deepEqual(inputs.strategies, ["oidc", "samlp", "waad"]);

        const preview = await plugin.create(urn, inputs, true);
        assert.equal(preview.properties.connections, UNKNOWN);
        assert.deepEqual(emulator.requests(), [], "a preview sends no request");

        const created = await plugin.create(urn, inputs);
        assert.match(created.id, /^tdl_/);
        assert.deepEqual(holding("national_id"), [SEED_IDS.oidc, SEED_IDS.samlp, SEED_IDS.waad].sort());
        assert.equal(created.properties.declaredBy, urn);
        const state = JSON.stringify(created.properties);
        assert.ok(!state.includes("FAKE-") && !state.includes("client_secret"), "no options or secret in state");

        const [added] = emulator.addConnections({ count: 1, strategies: ["oidc"] });
        const unchanged = await plugin.diff(urn, created.id, created.properties, inputs);
        assert.equal(unchanged.changes, "none", "without a refresh nothing is known of it");
        const refreshed = await plugin.read(urn, created.id, created.properties, inputs);
        const diff = await plugin.diff(urn, refreshed.id, refreshed.properties, inputs);
        assert.deepEqual([diff.changes, diff.diffs, diff.detailedDiff], ["some", [], {}]);
        assert.ok(
            plugin.logs().some((l) => l.urn === urn && l.message.includes(`${added.name} (national_id)`)),
            "the diff names the connection the update writes",
        );
        emulator.clearRequests();
        const updated = await plugin.update(urn, refreshed.id, refreshed.properties, inputs);
        assert.deepEqual(patched(), [`/api/v2/connections/${added.id}`]);

        const narrower = (await plugin.check(urn, inputs, { ...declared, strategies: ["samlp"] })).inputs;
        const narrowing = await plugin.diff(urn, created.id, updated.properties, narrower);
        assert.deepEqual([narrowing.changes, narrowing.detailedDiff], ["some", { strategies: "update" }]);
        const narrowed = await plugin.update(urn, created.id, updated.properties, narrower);
        assert.deepEqual(holding("national_id"), [SEED_IDS.samlp]);

        await plugin.delete(urn, created.id, narrowed.properties);
        assert.deepEqual(holding("national_id"), []);
    });

    it("entries already on a connection are adopted, never removed by its delete", async () => {
        const created = await plugin.create(urn, { attributes: ["gender"] });
        assert.deepEqual(holding("gender").includes(SEED_IDS.auth0), true);
        await plugin.delete(urn, created.id, created.properties);
        assert.deepEqual(
            listOn(emulator, SEED_IDS.auth0),
            ["ethnicity", "gender"],
            "the database connection had gender",
        );
        assert.deepEqual(holding("gender"), [SEED_IDS.auth0]);
    });
});
