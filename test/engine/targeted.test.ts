/**
 * Ownership when a command acts on part of the stack (`up --target`, `destroy --target`) or the
 * stack's credentials point at another tenant: each case a sequence of deployments, each in a new
 * dynamic-provider host, against the emulator over real HTTP.
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { installedProject } from "../../harness/install";
import { listOn } from "../support/connection";
import { errors, type Resources, TestStack } from "../support/stack";

describe("ownership under --target and a switched tenant, a new provider host for each command", function () {
    this.timeout(60_000);
    const G = SEED_IDS.google; // seeded with an empty deny list
    let project: string;
    let emulator: Emulator;
    let stack: TestStack;

    before(() => {
        project = installedProject();
    });
    beforeEach(async () => {
        emulator = await startEmulator();
        stack = new TestStack(project, emulator);
    });
    afterEach(async () => {
        await emulator.stop();
    });

    const up = (resources: Resources, targeting?: { target?: string[] }) => stack.up(resources, targeting);
    const destroy = (targeting?: { target?: string[] }) => stack.destroy(targeting);
    const outputs = (name: string) => stack.outputs(name);

    it("up --target a: the program's view of b keeps the entry b declares, as a plain up does", async () => {
        for (const targeting of [{ target: ["a"] }, {}]) {
            await up({ a: { connectionId: G, attributes: ["a1", "x"] } });
            await up({
                a: { connectionId: G, attributes: ["a1", "x"] },
                b: { connectionName: "google-oauth2", attributes: ["x"] },
            });
            assert.deepEqual(outputs("b")?.ownedAttributes, [], "b adopted x, which a wrote");
            const steps = await up(
                {
                    a: { connectionId: G, attributes: ["a1"] },
                    b: { connectionName: "google-oauth2", attributes: ["x"] },
                },
                targeting,
            );
            assert.deepEqual(
                steps.map((s) => [s.name, s.op, s.error]),
                [
                    ["a", "update", undefined],
                    ["b", targeting.target ? "same" : "same", undefined],
                ],
            );
            assert.deepEqual(listOn(emulator, G), ["a1", "x"], `x kept with ${JSON.stringify(targeting)}`);
            await destroy();
            assert.deepEqual(listOn(emulator, G), [], "and destroy takes both entries off");
        }
    });

    it("a stack switched to another tenant fails at preview naming both tenants, and sends nothing there", async () => {
        const other = await startEmulator();
        try {
            const resources = { a: { connectionName: "google-oauth2", attributes: ["x"] } };
            await up(resources);
            assert.equal(outputs("a")?.tenant, emulator.url);
            other.clearRequests();
            stack.tenant = other;
            const preview = stack.preview(resources);
            await assert.rejects(preview, (error: Error) => {
                assert.match(
                    error.message,
                    new RegExp(`google-oauth2 \\(${G}\\) was written to tenant ${emulator.url}`),
                );
                assert.match(error.message, new RegExp(`now point at tenant ${other.url}`));
                assert.match(error.message, /pulumi destroy.*pulumi state delete/s);
                return true;
            });
            const steps = await stack.up({ a: { ...resources.a, attributes: ["x", "y"] } });
            assert.match(errors(steps).join(), /was written to tenant http/);
            const destroyed = await stack.destroy();
            assert.match(errors(destroyed).join(), /now point at tenant/);
            assert.deepEqual(
                other.requests().filter((r) => r.path.startsWith("/api/")),
                [],
                "no connection id of one tenant reaches the other",
            );
            assert.deepEqual(listOn(emulator, G), ["x"], "the first tenant keeps its entry until a destroy there");
            // State written before the tenant was recorded is taken as the stack's tenant, without a diff.
            for (const entry of stack.state()?.values() ?? []) delete entry.outputs.tenant;
            const again = await stack.preview(resources);
            assert.deepEqual(
                again.map((s) => s.op),
                ["same"],
            );
        } finally {
            await other.stop();
        }
    });

    it("destroy --target a keeps what b declares and says so; a whole destroy, in either order, removes everything", async () => {
        await up({ a: { connectionId: G, attributes: ["x"] } });
        await up({ a: { connectionId: G, attributes: ["x"] }, b: { connectionId: G, attributes: ["x", "b1"] } });
        assert.deepEqual(outputs("a")?.sharedWith, { x: [outputs("b")?.declaredBy] });
        // Deletes in one destroy, a's first, then b's (the engine may run them in any order).
        await stack.command(async (e) => {
            await e.destroy({ target: ["a"] });
            await e.destroy({ target: ["b"] });
        });
        assert.deepEqual(listOn(emulator, G), []);
        // b's first, then a's.
        await up({ a: { connectionId: G, attributes: ["x"] } });
        await up({ a: { connectionId: G, attributes: ["x"] }, b: { connectionId: G, attributes: ["x", "b1"] } });
        await stack.command(async (e) => {
            await e.destroy({ target: ["b"] });
            await e.destroy({ target: ["a"] });
        });
        assert.deepEqual(listOn(emulator, G), []);
        // `destroy --target a` alone: no program runs, a's state recorded that b declares x.
        await up({ a: { connectionId: G, attributes: ["x"] } });
        await up({ a: { connectionId: G, attributes: ["x"] }, b: { connectionId: G, attributes: ["x", "b1"] } });
        stack.printed = [];
        assert.deepEqual(errors(await destroy({ target: ["a"] })), []);
        assert.deepEqual([...listOn(emulator, G)].sort(), ["b1", "x"]);
        assert.match(
            stack.printed.join("\n"),
            /keeping "x" on connection google-oauth2 \(con_Google0000000001\): "b" declares it/,
        );
        // The residual the README states: b adopted x, so b's own destroy later leaves it.
        await destroy();
        assert.deepEqual(listOn(emulator, G), ["x"]);
    });
});
