/**
 * Refresh is quiet when nothing changed, and a connection renamed out of band keeps its list:
 * each case a sequence of deployments, a new provider host per command, against the emulator
 * over real HTTP (issue 23, defects d and e).
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { listOn } from "../support/connection";
import { DYNAMIC, PLUGIN } from "../support/drivers";
import { errors, localStackPerTest } from "../support/stack";

for (const driver of [DYNAMIC, PLUGIN]) {
    describe(`refresh on an unchanged tenant, and a connection renamed out of band, through the ${driver.name}`, function () {
        this.timeout(20_000);
        const G = SEED_IDS.google; // seeded with an empty deny list
        const t = localStackPerTest(driver);

        it("an owned entry kept for another resource is no drift: refresh then preview shows no change", async () => {
            await t.stack.up({ a: { connectionId: G, attributes: ["x"] } });
            const moved = { a: { connectionId: G, attributes: ["y"] }, b: { connectionId: G, attributes: ["x"] } };
            assert.deepEqual(errors(await t.stack.up(moved)), []);
            assert.deepEqual([...listOn(t.emulator, G)].sort(), ["x", "y"]);
            for (let round = 0; round < 2; round++) {
                await t.stack.refresh();
                const steps = await t.stack.preview(moved);
                assert.deepEqual(
                    steps.map((s) => [s.name, s.op]),
                    [
                        ["a", "same"],
                        ["b", "same"],
                    ],
                    `refresh ${round + 1}`,
                );
            }
        });

        it("an entry dropped from the program while a refresh had it lacking: the next up lets it go, and refresh stays quiet", async () => {
            // Found by the ownership soak through the plugin, which sees no program view.
            await t.stack.up({ a: { connectionId: G, attributes: ["y"] } });
            t.emulator.update(G, (c) => {
                c.options = { ...c.options, non_persistent_attrs: [] };
            });
            await t.stack.refresh();
            assert.deepEqual(t.stack.outputs("a")?.lacking, ["y"]);
            const dropped = { a: { connectionId: G, attributes: [] }, b: { connectionId: G, attributes: ["y"] } };
            const up = await t.stack.up(dropped);
            assert.deepEqual(errors(up), []);
            assert.deepEqual(
                up.map((s) => [s.name, s.op]),
                [
                    ["a", "update"],
                    ["b", "create"],
                ],
            );
            assert.deepEqual(t.stack.outputs("a")?.ownedAttributes, [], "a no longer declares y, nor owns it");
            await t.stack.refresh();
            assert.deepEqual(
                (await t.stack.preview(dropped)).map((s) => [s.name, s.op]),
                [
                    ["a", "same"],
                    ["b", "same"],
                ],
            );
        });

        it("a TenantDenyList beside a ConnectionDenyList: refresh then preview shows no change", async () => {
            const resources = {
                all: { tenant: { attributes: ["x"] } },
                google: { connectionId: G, attributes: ["x", "y"] },
            };
            await t.stack.up(resources);
            await t.stack.refresh();
            assert.deepEqual(
                (await t.stack.preview(resources)).map((s) => s.op),
                ["same", "same"],
            );
        });

        it("renamed in the dashboard: up --refresh fails before any write, naming both names and the ways out", async () => {
            const byName = { a: { connectionName: "google-oauth2", attributes: ["x"] } };
            await t.stack.up(byName);
            t.emulator.update(G, (c) => {
                c.name = "google-renamed";
            });
            await t.stack.refresh();
            t.emulator.clearRequests();
            const steps = await t.stack.up(byName);
            const [error] = errors(steps);
            assert.match(error ?? "", /google-oauth2/);
            assert.match(error ?? "", /google-renamed/);
            assert.match(error ?? "", /rename it back|connectionName|connectionId/);
            assert.deepEqual(
                t.emulator.requests().filter((r) => r.method === "PATCH"),
                [],
                "nothing written",
            );
            assert.deepEqual(listOn(t.emulator, G), ["x"], "the list stays on the renamed connection");
            // Declaring the new name is the same connection: an update that writes nothing, never a replace.
            const renamed = { a: { connectionName: "google-renamed", attributes: ["x"] } };
            const next = await t.stack.up(renamed);
            assert.deepEqual(errors(next), []);
            assert.notEqual(next[0].op, "replace");
            assert.deepEqual(listOn(t.emulator, G), ["x"]);
        });
    });
}
