/**
 * The record a resource keeps of who else declares what it owns is what `destroy --target`
 * relies on (no program runs): it must follow the program for both resource kinds, per
 * connection. Each case is a sequence of deployments, a new provider host per command, against
 * the emulator over real HTTP (issue 23, defects a, b, c).
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { listOn } from "../support/connection";
import { DYNAMIC, PLUGIN } from "../support/drivers";
import { errors, localStackPerTest } from "../support/stack";

for (const driver of [DYNAMIC, PLUGIN]) {
    describe(`records of co-declarers, across both resource kinds, through the ${driver.name}`, function () {
        this.timeout(20_000);
        const G = SEED_IDS.google; // seeded with an empty deny list
        const t = localStackPerTest(driver);
        const tenantWide = { tenant: { attributes: ["x"] } };
        const onGoogle = { connectionId: G, attributes: ["x"] };

        // The program's view tells a resource of one added later: the plugin sees no program (docs/ownership.md, Limits).
        if (driver.programView) {
            it("a TenantDenyList learns of a ConnectionDenyList added later: destroy --target of it keeps that entry", async () => {
                assert.deepEqual(errors(await t.stack.up({ all: tenantWide })), []);
                assert.deepEqual(errors(await t.stack.up({ all: tenantWide, google: onGoogle })), []);
                assert.deepEqual(errors(await t.stack.destroy({ target: ["all"] })), []);
                assert.deepEqual(listOn(t.emulator, G), ["x"], "google still declares x on its connection");
                assert.ok(!listOn(t.emulator, SEED_IDS.oidc).includes("x"), "elsewhere the tenant-wide entry is gone");
            });
        }

        it("a TenantDenyList update that changes only triggers keeps its record of the connections it leaves as they are", async () => {
            await t.stack.up({ google: onGoogle });
            // The tenant-wide list writes x on google's connection itself (it was wiped), so it owns it there.
            t.emulator.update(G, (c) => {
                if (c.options) c.options.non_persistent_attrs = [];
            });
            await t.stack.up({ google: onGoogle, all: tenantWide });
            const covered = (t.stack.outputs("all")?.connections ?? []) as { id: string; owned: string[] }[];
            const owned = covered.find((c) => c.id === G);
            assert.deepEqual(owned?.owned, ["x"]);
            const retriggered = { tenant: { ...tenantWide.tenant, triggers: [1] } };
            assert.deepEqual(errors(await t.stack.up({ google: onGoogle, all: retriggered })), []);
            assert.deepEqual(errors(await t.stack.destroy({ target: ["all"] })), []);
            assert.deepEqual(listOn(t.emulator, G), ["x"], "google still declares x on its connection");
        });

        // The program's view tells a resource of one added later: the plugin sees no program (docs/ownership.md, Limits).
        if (driver.programView) {
            it("a ConnectionDenyList learns of a TenantDenyList added later: destroy --target of it keeps that entry", async () => {
                await t.stack.up({ google: onGoogle });
                assert.deepEqual(errors(await t.stack.up({ google: onGoogle, all: tenantWide })), []);
                assert.deepEqual(errors(await t.stack.destroy({ target: ["google"] })), []);
                assert.deepEqual(
                    listOn(t.emulator, G),
                    ["x"],
                    "the tenant-wide list still declares x on every connection",
                );
            });
        }
    });
}
