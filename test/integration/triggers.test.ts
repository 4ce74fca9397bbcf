/**
 * `triggers` against the emulator: an update it causes re-reads the connection and re-applies
 * the declared list, with a PATCH only when an entry is missing (after another writer's
 * full-options PATCH wiped it) and every other option left as that writer set it.
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { bridgedUpdate } from "../support/other-writer";
import { optionsWithoutDenyList, startTenant, type Tenant } from "../support/tenant";

describe("provider: triggers against the emulator", () => {
    let tenant: Tenant;
    const id = SEED_IDS.auth0;
    const list = () => tenant.emulator.connection(id)?.options?.non_persistent_attrs;
    beforeEach(async () => {
        tenant = await startTenant();
    });
    afterEach(() => tenant.emulator.stop());

    it("an update for new triggers with nothing missing sends one GET and no PATCH", async () => {
        const created = await tenant.provider.create({ connectionId: id, attributes: ["birthdate"], triggers: ["v1"] });
        assert.deepEqual(created.outs.triggers, ["v1"]);
        const before = tenant.emulator.connection(id);
        tenant.emulator.clearRequests();
        const updated = await tenant.provider.update(id, created.outs, {
            connectionId: id,
            attributes: ["birthdate"],
            triggers: ["v2"],
        });
        assert.deepEqual(tenant.apiCalls(), [`GET /api/v2/connections/${id}`]);
        assert.deepEqual(updated.outs?.triggers, ["v2"]);
        assert.deepEqual(tenant.emulator.connection(id), before);
    });

    it("after another writer wiped the list, the update restores it and changes nothing else", async () => {
        const created = await tenant.provider.create({ connectionId: id, attributes: ["birthdate", "gender"] });
        assert.deepEqual(created.outs.ownedAttributes, ["birthdate"], "gender was already there: adopted");
        const wiped = await bridgedUpdate(tenant.emulator, id, { passwordPolicy: "excellent" });
        assert.equal(wiped.options?.non_persistent_attrs, undefined, "Auth0 replaced options whole");
        tenant.emulator.clearRequests();

        const updated = await tenant.provider.update(id, created.outs, {
            connectionId: id,
            attributes: ["birthdate", "gender"],
            triggers: ["passwordPolicy=excellent"],
        });
        assert.deepEqual(tenant.apiCalls(), [`GET /api/v2/connections/${id}`, `PATCH /api/v2/connections/${id}`]);
        assert.deepEqual(list(), ["birthdate", "gender"]);
        const after = tenant.emulator.connection(id);
        assert.equal(optionsWithoutDenyList(after), optionsWithoutDenyList(wiped), "another option changed");
        assert.equal(after?.options?.passwordPolicy, "excellent", "the other writer's change is kept");
        const { options: _a, ...restAfter } = after ?? {};
        const { options: _b, ...restWiped } = wiped;
        assert.deepEqual(restAfter, restWiped);
        // Everything it wrote back is now its own: a later delete removes it.
        assert.deepEqual(updated.outs?.ownedAttributes, ["birthdate", "gender"]);
        assert.deepEqual(updated.outs?.triggers, ["passwordPolicy=excellent"]);
    });

    it("a refresh keeps the triggers it was given, so it cannot cause an update by itself", async () => {
        const created = await tenant.provider.create({ connectionId: id, attributes: ["birthdate"], triggers: [1] });
        const read = await tenant.provider.read(id, created.outs);
        assert.deepEqual(read.props?.triggers, [1]);
    });
});
