/**
 * Another stack or tool writes the connection (no `triggers` can see it): the list it wiped is
 * invisible to a plain preview, shown by `pulumi preview --refresh` and restored by
 * `pulumi up --refresh`, through the packed package in the dynamic-provider host.
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { stackConfigFor } from "../../harness/credentials";
import { MiniEngine } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { installedProject } from "../../harness/install";
import { listOn, optionsWithoutDenyList } from "../support/connection";
import { bridgedUpdate } from "../support/other-writer";
import { registered } from "../support/stack";

describe("a list wiped by another writer, repaired by a refresh", function () {
    this.timeout(60_000);
    let emulator: Emulator;
    let host: ProviderHost;

    beforeEach(async () => {
        emulator = await startEmulator();
        host = await ProviderHost.start(installedProject(), { AUTH0_DOMAIN: "" });
    });
    afterEach(async () => {
        await host.stop();
        await emulator.stop();
    });

    it("preview misses it; preview --refresh shows it with GETs only; up --refresh restores only the list", async () => {
        const id = SEED_IDS.google;
        const engine = new MiniEngine(host, stackConfigFor(emulator));
        const declared = registered(installedProject(), {
            g: { connectionId: id, attributes: ["birthdate", "gender"] },
        });
        await engine.up(declared);
        const wiped = await bridgedUpdate(emulator, id, { scope: ["email", "profile", "openid"] });
        assert.equal(wiped.options?.non_persistent_attrs, undefined);
        emulator.clearRequests();

        const plain = await engine.preview(declared);
        assert.deepEqual(
            plain.map((step) => step.op),
            ["same"],
            "nothing in the stack changed: only a refresh can see the wipe",
        );

        // pulumi preview --refresh: Read, then Check and Diff.
        const refresh = await engine.refresh();
        assert.deepEqual(
            refresh.map((step) => [step.op, step.removed]),
            [["refresh", ["birthdate", "gender"]]],
        );
        const refreshed = engine.state.get(declared[0].urn)?.outputs;
        assert.deepEqual(refreshed?.ownedAttributes, ["birthdate", "gender"], "what it wrote stays its own");
        const preview = await engine.preview(declared);
        assert.deepEqual(
            preview.map((step) => [step.op, step.added]),
            [["update", ["birthdate", "gender"]]],
        );
        assert.deepEqual(
            emulator.requests().map((request) => `${request.method} ${request.path}`),
            [`GET /api/v2/connections/${id}`],
            "one GET, the refresh's: preview itself sends nothing",
        );

        // pulumi up --refresh: the same Read, then the update writes the list back.
        await engine.refresh();
        const up = await engine.up(declared);
        assert.deepEqual(
            up.map((step) => [step.op, step.added, step.error]),
            [["update", ["birthdate", "gender"], undefined]],
        );
        const after = emulator.connection(id);
        assert.deepEqual(listOn(emulator, id), ["birthdate", "gender"]);
        assert.equal(optionsWithoutDenyList(after), optionsWithoutDenyList(wiped), "another option changed");
        assert.deepEqual(after?.options?.scope, ["email", "profile", "openid"], "the other writer's change is kept");
    });
});
