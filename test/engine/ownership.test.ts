/**
 * Ownership under every Pulumi operation (DESIGN.md §3, issue 17): each case is a sequence of
 * deployments, each in a new dynamic-provider host as the Pulumi CLI starts one per command,
 * against the emulator over real HTTP. Merge mode removes only what a resource wrote, never an
 * entry another resource of the stack declares; a whole-stack destroy leaves none of them.
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
            await destroy();
            assert.deepEqual(listOn(emulator, G), []);
        }
    });

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
