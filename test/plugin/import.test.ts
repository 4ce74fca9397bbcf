/**
 * `pulumi import auth0-deny-list:index:ConnectionDenyList NAME con_…`, as the engine runs it
 * (`ImportStep.Apply`, pkg/resource/deploy/step.go, pulumi/pulumi v3.248.0): Read with the id alone
 * (no inputs, no state; Read answering no inputs fails the import with "provider does not support
 * importing resources"), the outputs become the state, the inputs become the inputs in state and
 * of the generated program, and Check runs with those inputs as both olds and news (its failures
 * only warn). The next `pulumi up` of the generated program is then Check and Diff.
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { pluginUrn } from "../../harness/plugin";
import { listOn } from "../support/connection";
import { pluginPerTest } from "../support/plugin";

describe("the provider plugin: pulumi import", function () {
    this.timeout(60_000);
    const t = pluginPerTest();
    const urn = pluginUrn("ConnectionDenyList", "imported");

    it("adopts the current list with no write; the generated program's next preview is a no-op; destroy keeps what it adopted", async () => {
        const before = t.emulator.connection(SEED_IDS.auth0);
        const imported = await t.plugin.read(urn, SEED_IDS.auth0);
        assert.equal(imported.id, SEED_IDS.auth0);
        assert.deepEqual(imported.inputs, { connectionId: SEED_IDS.auth0, attributes: ["ethnicity", "gender"] });
        assert.deepEqual(imported.properties.ownedAttributes, [], "adopted, not owned");
        assert.equal(imported.properties.exclusive, false);
        assert.equal(imported.properties.connectionName, "Username-Password-Authentication");
        assert.deepEqual(
            t.emulator.requests().map((r) => r.method),
            ["POST", "GET"],
            "a token and one read, no write",
        );
        const importCheck = await t.plugin.check(urn, imported.inputs ?? {}, imported.inputs ?? {});
        assert.deepEqual(importCheck.failures, []);

        // The generated program passes exactly the inputs Read answered.
        const { inputs } = await t.plugin.check(urn, imported.inputs ?? {}, imported.inputs ?? {});
        const diff = await t.plugin.diff(urn, imported.id, imported.properties, inputs, imported.inputs);
        assert.deepEqual([diff.changes, diff.detailedDiff], ["none", {}]);
        // The generated code names the connection by id; by its name (one program for every stack) it is the same one.
        const byName = { connectionName: "Username-Password-Authentication", attributes: ["ethnicity", "gender"] };
        const named = await t.plugin.check(urn, imported.inputs ?? {}, byName);
        assert.deepEqual(named.failures, []);
        const renamed = await t.plugin.diff(urn, imported.id, imported.properties, named.inputs, imported.inputs);
        assert.deepEqual([renamed.changes, renamed.replaces], ["none", []]);

        await t.plugin.delete(urn, imported.id, imported.properties);
        assert.deepEqual(t.emulator.connection(SEED_IDS.auth0), before, "nothing it adopted is removed");
    });

    it("an id Auth0 does not know answers no resource; an id that is not a connection id says so before any request", async () => {
        assert.equal((await t.plugin.read(urn, "con_Missing000000001")).id, "");
        t.emulator.clearRequests();
        await assert.rejects(
            t.plugin.read(urn, "Username-Password-Authentication"),
            /takes the connection's id \(con_ followed by letters and digits.*"Username-Password-Authentication" is not one/,
        );
        assert.deepEqual(t.emulator.requests(), []);
    });

    it("a TenantDenyList cannot be imported, and says what to do instead", async () => {
        await assert.rejects(
            t.plugin.read(pluginUrn("TenantDenyList", "baseline"), "tdl_x"),
            /cannot be imported.*Declare it in the program and run `pulumi up`/s,
        );
        assert.deepEqual(listOn(t.emulator, SEED_IDS.auth0), ["ethnicity", "gender"]);
    });
});
