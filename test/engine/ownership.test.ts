/**
 * Ownership under every Pulumi operation (DESIGN.md §3, issue 17): each case is a sequence of
 * deployments, each in a new dynamic-provider host as the Pulumi CLI starts one per command,
 * against the emulator over real HTTP. Merge mode removes only what a resource wrote, never an
 * entry another resource of the stack declares; a whole-stack destroy leaves none of them.
 * `--target` and a stack pointed at another tenant: targeted.test.ts.
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { installedProject } from "../../harness/install";
import { listOn } from "../support/connection";
import { errors, type Resources, TestStack } from "../support/stack";

describe("ownership across deployments, a new provider host for each", function () {
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

    it("identical outputs: two resources that both wrote x are told apart, in an update and in a delete", async () => {
        assert.deepEqual(errors(await up({ a: { connectionId: G, attributes: ["x"] } })), []);
        emulator.update(G, (c) => {
            if (c.options) c.options.non_persistent_attrs = [];
        });
        // b writes x again, so a and b now hold the same list, owned entries and target.
        assert.deepEqual(
            errors(await up({ a: { connectionId: G, attributes: ["x"] }, b: { connectionId: G, attributes: ["x"] } })),
            [],
        );
        assert.deepEqual(outputs("a")?.ownedAttributes, ["x"]);
        assert.deepEqual(outputs("b")?.ownedAttributes, ["x"]);
        // b moves to z while a still declares x.
        await up({ a: { connectionId: G, attributes: ["x"] }, b: { connectionId: G, attributes: ["z"] } });
        assert.deepEqual([...listOn(emulator, G)].sort(), ["x", "z"]);
        // Then a leaves the program while b declares x again: a's delete keeps it.
        await up({ b: { connectionId: G, attributes: ["x", "z"] } });
        assert.deepEqual([...listOn(emulator, G)].sort(), ["x", "z"]);
        assert.match(
            stack.printed.join("\n"),
            /keeping "x" on connection google-oauth2 \(con_Google0000000001\): "b" declares it/,
        );
        await destroy();
        assert.deepEqual(listOn(emulator, G), [], "the whole-stack destroy leaves none of the stack's entries");
    });

    it("a rename without aliases (new created, old deleted in one up) leaves the entry on the list", async () => {
        await up({ old: { connectionId: G, attributes: ["x"] } });
        assert.deepEqual(outputs("old")?.ownedAttributes, ["x"]);
        const renamed = { renamed: { connectionId: G, attributes: ["x"] } };
        const steps = await up(renamed);
        assert.deepEqual(
            steps.map((s) => [s.name, s.op, s.error]),
            [
                ["renamed", "create", undefined],
                ["old", "delete", undefined],
            ],
        );
        assert.deepEqual(listOn(emulator, G), ["x"], "state says the renamed resource declares it");
        assert.deepEqual(outputs("renamed")?.attributes, ["x"]);
        assert.deepEqual(
            (await stack.preview(renamed)).map((s) => s.op),
            ["same"],
        );
    });

    it("an attribute moved from one resource to another in one up stays on the list, whichever step runs first", async () => {
        const moved = { a: { connectionId: G, attributes: ["y"] }, b: { connectionId: G, attributes: ["x"] } };
        // The engine runs independent steps concurrently, so in any order: all at once, a's update first, b's create first.
        for (const order of [undefined, ["a", "b"], ["b", "a"]]) {
            // Each order on a stack of its own, from an empty list.
            stack = new TestStack(project, emulator);
            emulator.update(G, (c) => {
                if (c.options) c.options.non_persistent_attrs = [];
            });
            await up({ a: { connectionId: G, attributes: ["x", "y"] } });
            const steps = await stack.command(async (engine) => {
                const declared = stack.program(moved);
                if (!order) return engine.up(declared);
                const done = [];
                for (const name of order) done.push(...(await engine.up(declared, { target: [name] })));
                return done.filter((step) => step.op !== "same");
            });
            assert.deepEqual(
                steps.map((s) => [s.name, s.op, s.error]).sort(),
                [
                    ["a", "update", undefined],
                    ["b", "create", undefined],
                ],
                `order ${order}`,
            );
            assert.deepEqual([...listOn(emulator, G)].sort(), ["x", "y"], `order ${order}`);
        }
    });

    it("an update whose outcome is unknown still owns what it was removing, so destroy removes it", async () => {
        await up({ a: { connectionId: G, attributes: ["x", "y"] } });
        // The PATCH answers 503 (it may or may not have landed); the re-read gets garbage: the outcome stays unknown.
        emulator.injectFault({ kind: "slow", slowMs: 1, method: "GET" });
        emulator.injectFault({ kind: "503", method: "PATCH" });
        emulator.injectFault({ kind: "nonjson", method: "GET" });
        const [step] = await up({ a: { connectionId: G, attributes: ["x"] } });
        assert.match(step.error ?? "", /may have been applied: run `pulumi refresh`/);
        assert.doesNotMatch(step.error ?? "", /Nothing was written/);
        assert.deepEqual(listOn(emulator, G), ["x", "y"], "the 503 PATCH did not land");
        assert.deepEqual(outputs("a")?.ownedAttributes, ["x", "y"], "y is still a's until a read shows it gone");
        await destroy();
        assert.deepEqual(listOn(emulator, G), []);
    });

    it("another resource's change is no change for a resource whose own inputs and co-declarers stayed", async () => {
        await up({ a: { connectionId: G, attributes: ["x"] }, b: { connectionId: G, attributes: ["y"] } });
        const steps = await up({
            a: { connectionId: G, attributes: ["x"] },
            b: { connectionId: G, attributes: ["y", "z"] },
        });
        assert.deepEqual(
            steps.map((s) => [s.name, s.op]),
            [
                ["a", "same"],
                ["b", "update"],
            ],
        );
    });
});
