/**
 * TenantDenyList as a sequence of deployments, a new provider host context per command, through
 * both drivers: preview sends nothing, up covers the tenant, refresh finds a new connection and
 * the next up writes it, update and destroy follow the ownership rules beside ConnectionDenyLists.
 * That the program refuses an exclusive ConnectionDenyList on a covered connection is
 * program.test.ts's; the real dynamic-provider host runs one in tenant-example.test.ts.
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { listOn } from "../support/connection";
import { DYNAMIC, PLUGIN } from "../support/drivers";
import { errors, localStackPerTest } from "../support/stack";

for (const driver of [DYNAMIC, PLUGIN]) {
    describe(`TenantDenyList, a new provider host for each command, through the ${driver.name}`, function () {
        this.timeout(20_000);
        const t = localStackPerTest(driver);

        const holding = (entry: string) =>
            t.emulator
                .connections()
                .filter((c) => listOn(t.emulator, c.id).includes(entry))
                .map((c) => c.id);
        const enterprise = { tenant: { attributes: ["national_id"], strategies: ["samlp", "oidc", "waad"] } };

        it("preview is offline; up covers the strategies; refresh finds a new connection; the next up writes only it", async () => {
            const preview = await t.stack.preview({ ids: enterprise });
            assert.deepEqual(
                preview.map((s) => s.op),
                ["create"],
            );
            assert.deepEqual(t.emulator.requests(), []);
            assert.deepEqual(errors(await t.stack.up({ ids: enterprise })), []);
            assert.deepEqual(holding("national_id").sort(), [SEED_IDS.oidc, SEED_IDS.samlp, SEED_IDS.waad].sort());
            const state = JSON.stringify(t.stack.outputs("ids"));
            assert.ok(!state.includes("FAKE-") && !state.includes("client_secret"), "no options or secret in state");

            const [added] = t.emulator.addConnections({ count: 1, strategies: ["oidc"] });
            assert.deepEqual(
                (await t.stack.preview({ ids: enterprise })).map((s) => s.op),
                ["same"],
                "without a refresh nothing is known of it",
            );
            await t.stack.refresh();
            assert.deepEqual(
                (await t.stack.preview({ ids: enterprise })).map((s) => s.op),
                ["update"],
            );
            t.emulator.clearRequests();
            assert.deepEqual(errors(await t.stack.up({ ids: enterprise })), []);
            const writes = t.emulator
                .requests()
                .filter((r) => r.method === "PATCH")
                .map((r) => r.path);
            assert.deepEqual(writes, [`/api/v2/connections/${added.id}`]);

            // A narrower scope releases what it wrote on the connections it leaves.
            await t.stack.up({ ids: { tenant: { ...enterprise.tenant, strategies: ["samlp"] } } });
            assert.deepEqual(holding("national_id"), [SEED_IDS.samlp]);
            await t.stack.destroy();
            assert.deepEqual(holding("national_id"), []);
        });

        it("beside a ConnectionDenyList on a covered connection: neither removes what the other declares", async () => {
            const all = { tenant: { attributes: ["ssn"] } };
            const db = { connectionName: "Username-Password-Authentication", attributes: ["ssn", "db1"] };
            await t.stack.up({ db });
            await t.stack.up({ db, all });
            const everywhere = t.emulator.connections().map((c) => c.id);
            assert.deepEqual(holding("ssn").sort(), everywhere.sort());
            // The tenant-wide list leaves the program: db still declares ssn on its connection.
            await t.stack.up({ db });
            assert.deepEqual(holding("ssn"), [SEED_IDS.auth0], "db wrote ssn there: the tenant-wide list adopted it");
            // One destroy, the deletes in either order: none of the stack's entries is left.
            for (const order of [
                ["db", "all"],
                ["all", "db"],
            ]) {
                await t.stack.up({ db, all });
                await t.stack.command(async (engine) => {
                    for (const name of order) await engine.destroy({ target: [name] });
                });
                assert.deepEqual(holding("ssn"), [], `deleted ${order.join(" then ")}`);
                assert.ok(!listOn(t.emulator, SEED_IDS.auth0).includes("db1"));
            }
        });

        it("a connection renamed out of its exclusion: the list that wrote an entry there keeps it for the tenant-wide one", async () => {
            // Found by the ownership soak. The tenant-wide list owns entries elsewhere, and this
            // process still has to count it on a connection where it owns nothing (yet).
            const all = { tenant: { attributes: ["y"], excludeConnections: ["google-oauth2"] } };
            await t.stack.up({ all, a: { connectionName: "google-oauth2", attributes: ["y"] } });
            assert.deepEqual(holding("y").length, t.emulator.connections().length);
            t.emulator.update(SEED_IDS.google, (c) => {
                c.name = "google-renamed";
            });
            // `a` moves off it (a delete, then a create on a connection that does not exist, which fails).
            await t.stack.up({ all, a: { connectionName: "no-such-connection", attributes: [] } });
            assert.ok(listOn(t.emulator, SEED_IDS.google).includes("y"), "the tenant-wide list reaches it now");
            assert.ok(
                t.stack.printed.some((line) =>
                    /keeping "y" on connection google-renamed .*"all" declares it/.test(line),
                ),
                t.stack.printed.join("\n"),
            );
        });
    });
}
