/**
 * The provider plugin serving ConnectionDenyList: spawned from the packed, installed package as
 * the engine spawns a resource plugin, driven over gRPC in the engine's order against the emulator.
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { pluginUrn } from "../../harness/plugin";
import { listOn } from "../support/connection";
import { pluginPerTest } from "../support/plugin";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DB = "Username-Password-Authentication";

describe("the provider plugin: ConnectionDenyList", function () {
    this.timeout(60_000);
    const t = pluginPerTest();
    const urn = pluginUrn("ConnectionDenyList", "db");
    const writes = () => t.emulator.requests().filter((r) => r.method === "PATCH").length;

    it("preview sends nothing; up creates; a second diff is a no-op; an update shows in the detailed diff; destroy restores the list", async () => {
        const { inputs, failures } = await t.plugin.check(
            urn,
            {},
            { connectionName: DB, attributes: ["gender", "birthdate", "gender"] },
        );
        assert.deepEqual(failures, []);
        assert.deepEqual(inputs, { connectionName: DB, attributes: ["birthdate", "gender"], exclusive: false });

        const preview = await t.plugin.create(urn, inputs, true);
        assert.deepEqual(preview.properties.attributes, ["birthdate", "gender"]);
        assert.equal(preview.properties.ownedAttributes, UNKNOWN, "what only a write knows is unknown in preview");
        assert.deepEqual(t.emulator.requests(), [], "a preview sends no request");

        const created = await t.plugin.create(urn, inputs);
        assert.equal(created.id, SEED_IDS.auth0);
        assert.deepEqual(listOn(t.emulator, SEED_IDS.auth0), ["ethnicity", "gender", "birthdate"]);
        assert.deepEqual(created.properties.ownedAttributes, ["birthdate"], "gender was there: adopted, not owned");
        assert.equal(created.properties.declaredBy, urn, "the URN is the resource's identity");
        assert.equal(created.properties.tenant, t.emulator.url);

        const same = await t.plugin.diff(urn, created.id, created.properties, inputs);
        assert.deepEqual([same.changes, same.diffs, same.detailedDiff], ["none", [], {}]);

        const next = (await t.plugin.check(urn, inputs, { connectionName: DB, attributes: ["gender", "ssn"] })).inputs;
        const diff = await t.plugin.diff(urn, created.id, created.properties, next);
        assert.deepEqual(
            [diff.changes, diff.replaces, diff.diffs, diff.detailedDiff],
            ["some", [], ["attributes"], { attributes: "update" }],
        );
        t.emulator.clearRequests();
        const updatePreview = await t.plugin.update(urn, created.id, created.properties, next, true);
        assert.equal(updatePreview.properties.ownedAttributes, UNKNOWN);
        assert.deepEqual(t.emulator.requests(), [], "a preview of an update sends no request");
        const updated = await t.plugin.update(urn, created.id, created.properties, next);
        assert.deepEqual(updated.properties.ownedAttributes, ["ssn"]);
        assert.deepEqual(listOn(t.emulator, SEED_IDS.auth0), ["ethnicity", "gender", "ssn"]);

        await t.plugin.delete(urn, created.id, updated.properties);
        assert.deepEqual(listOn(t.emulator, SEED_IDS.auth0), ["ethnicity", "gender"], "only what it wrote goes");
    });

    it("refresh reports a removed entry as drift, keeps the inputs, and the next diff shows the entry coming back", async () => {
        const inputs = { connectionId: SEED_IDS.google, attributes: ["a", "b"], exclusive: false };
        const created = await t.plugin.create(urn, inputs);
        t.emulator.update(SEED_IDS.google, (c) => {
            c.options = { ...c.options, non_persistent_attrs: ["a"] };
        });
        t.emulator.clearRequests();
        const refreshed = await t.plugin.read(urn, created.id, created.properties, inputs);
        assert.equal(writes(), 0, "a refresh writes nothing");
        assert.equal(refreshed.id, SEED_IDS.google);
        assert.deepEqual(refreshed.properties.attributes, ["a"]);
        assert.deepEqual(refreshed.inputs, inputs);
        const diff = await t.plugin.diff(urn, refreshed.id, refreshed.properties, inputs);
        assert.deepEqual([diff.changes, diff.detailedDiff], ["some", { attributes: "update" }]);
    });

    it("refresh of a connection Auth0 says is gone answers a blank id", async () => {
        const created = await t.plugin.create(urn, { connectionId: SEED_IDS.waad, attributes: ["a"] });
        const gone = await t.plugin.read(urn, "con_Missing000000001", {
            ...created.properties,
            connectionId: "con_Missing000000001",
        });
        assert.equal(gone.id, "");
    });

    it("another connection is a delete-before-replace, and the detailed diff says which input replaces", async () => {
        const created = await t.plugin.create(urn, {
            connectionId: SEED_IDS.google,
            attributes: ["a"],
            exclusive: false,
        });
        const diff = await t.plugin.diff(urn, created.id, created.properties, {
            connectionId: SEED_IDS.waad,
            attributes: ["a"],
            exclusive: false,
        });
        assert.deepEqual([diff.changes, diff.replaces, diff.deleteBeforeReplace], ["some", ["connectionId"], true]);
        assert.deepEqual(diff.detailedDiff, { connectionId: "update-replace" });
    });

    it("unknown inputs in preview pass check and show as a possible change of that input", async () => {
        const created = await t.plugin.create(urn, {
            connectionId: SEED_IDS.google,
            attributes: ["a"],
            exclusive: false,
        });
        const { inputs, failures } = await t.plugin.check(
            urn,
            {},
            { connectionId: SEED_IDS.google, attributes: ["a", UNKNOWN] },
        );
        assert.deepEqual(failures, []);
        const diff = await t.plugin.diff(urn, created.id, created.properties, inputs);
        assert.deepEqual([diff.changes, diff.detailedDiff], ["some", { attributes: "update" }]);
    });

    it("check refuses bad input naming the field, and inputs the schema does not have (the dynamic resources' program-only ones)", async () => {
        const bad = await t.plugin.check(urn, {}, { connectionId: "con_x!", attributes: ["user.name"] });
        assert.deepEqual(
            bad.failures.map((f) => f.property),
            ["connectionId", "attributes"],
        );
        assert.match(bad.failures[1].reason, /use "name"/);
        const spoofed = await t.plugin.check(
            urn,
            {},
            { connectionId: SEED_IDS.google, attributes: ["a"], declaredBy: "urn:x" },
        );
        assert.deepEqual(spoofed.failures, [
            {
                property: "declaredBy",
                reason: "declaredBy is not an input of ConnectionDenyList: it takes connectionId, connectionName, attributes, exclusive, triggers",
            },
        ]);
        assert.deepEqual(t.emulator.requests(), []);
    });

    it("privacy warnings reach the engine's log as warnings on the resource; samlp Debug Mode on a write as a warning", async () => {
        await t.plugin.check(urn, {}, { connectionId: SEED_IDS.samlp, attributes: ["email", "Email"] });
        await t.plugin.create(urn, { connectionId: SEED_IDS.samlp, attributes: ["email"], exclusive: false });
        await t.plugin.stop();
        const warnings = t.plugin.logs().filter((l) => l.severity === "warning");
        assert.ok(
            warnings.some((w) => w.urn === urn && /denying `email`/.test(w.message)),
            JSON.stringify(warnings),
        );
        assert.ok(warnings.some((w) => w.urn === urn && /Email/.test(w.message)));
        assert.ok(warnings.some((w) => /Debug Mode on/.test(w.message)));
        assert.deepEqual(t.plugin.output(), [], "nothing on stdout or stderr: the engine would not show it");
    });

    it("a write whose outcome is unknown is a partial failure the engine records, without the serialized provider", async () => {
        t.emulator.injectFault({ kind: "lost", method: "PATCH" });
        // The first GET passes (a 1 ms delay uses up that rule); the re-read after the lost answer gets garbage.
        t.emulator.injectFault({ kind: "slow", slowMs: 1, method: "GET" });
        t.emulator.injectFault({ kind: "nonjson", method: "GET" });
        const failed = await t.plugin
            .create(urn, { connectionId: SEED_IDS.oidc, attributes: ["x"], exclusive: false })
            .then(
                () => assert.fail("create succeeded"),
                (error) => error,
            );
        assert.match(failed.message, /unexpected body \(not JSON\)/);
        assert.equal(failed.initFailed?.id, SEED_IDS.oidc);
        assert.deepEqual(failed.initFailed?.properties.ownedAttributes, ["x"], "it still owns what it tried to add");
        assert.equal("__provider" in (failed.initFailed?.properties ?? {}), false);
    });
});
