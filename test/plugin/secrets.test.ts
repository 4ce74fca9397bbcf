/**
 * No credential, token or connection secret leaves the plugin: not in an answer, a diagnostic, a
 * line it prints or an error, across a whole lifecycle and a refused token; and an input the
 * program marked secret comes back secret in every output that carries it.
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS, SEED_SECRETS } from "../../emulator/seed";
import { installedProject } from "../../harness/install";
import { PluginHost, pluginUrn } from "../../harness/plugin";
import { isSecret, secret } from "../../plugin/secrets";

const CLIENT_SECRET = "FAKE-plugin-client-secret-4d1f0c9e7b2a";

describe("the provider plugin: secrets", function () {
    this.timeout(60_000);
    let emulator: Emulator;
    let plugin: PluginHost;

    beforeEach(async () => {
        emulator = await startEmulator({ clientSecret: CLIENT_SECRET });
        plugin = await PluginHost.start({ project: installedProject() });
    });
    afterEach(async () => {
        await plugin.stop();
        await emulator.stop();
    });

    it("a configured client secret, the tokens and the connections' secrets reach no answer, diagnostic, printed line or error", async () => {
        const seen: string[] = [];
        const keep = <T>(value: T): T => {
            seen.push(JSON.stringify(value));
            return value;
        };
        const settings = { domain: emulator.url, clientId: emulator.clientId, clientSecret: secret(CLIENT_SECRET) };
        keep(await plugin.diffConfig({}, { ...settings, clientSecret: CLIENT_SECRET }));
        keep(await plugin.configure(settings));
        const urn = pluginUrn("ConnectionDenyList", "s");
        const tenantUrn = pluginUrn("TenantDenyList", "all");
        for (const connectionId of [SEED_IDS.google, SEED_IDS.samlp, SEED_IDS.oidc, SEED_IDS.waad]) {
            const { inputs } = keep(await plugin.check(urn, {}, { connectionId, attributes: ["email", "ssn"] }));
            const created = keep(await plugin.create(urn, inputs));
            keep(await plugin.diff(urn, created.id, created.properties, inputs));
            const read = keep(await plugin.read(urn, created.id, created.properties, inputs));
            keep(await plugin.read(urn, created.id));
            keep(await plugin.update(urn, created.id, read.properties, { ...inputs, attributes: ["ssn"] }));
            await plugin.delete(urn, created.id, read.properties);
        }
        const tenant = keep(await plugin.create(tenantUrn, { attributes: ["ssn"] }));
        keep(await plugin.read(tenantUrn, tenant.id, tenant.properties));
        await plugin.delete(tenantUrn, tenant.id, tenant.properties);

        // A refused token and a failed write: their errors too.
        emulator.expireTokens();
        emulator.injectFault({ kind: "401", path: "/oauth/token", times: 5 });
        emulator.injectFault({ kind: "401", times: 5 });
        await plugin.create(urn, { connectionId: SEED_IDS.google, attributes: ["x"] }).then(
            () => assert.fail("the write should fail"),
            (error: Error) => seen.push(error.message),
        );
        const wrong = await PluginHost.start({ project: installedProject() });
        try {
            await wrong.configure({ ...settings, clientSecret: secret(`${CLIENT_SECRET}-wrong`) });
            await wrong.create(urn, { connectionId: SEED_IDS.google, attributes: ["x"] }).then(
                () => assert.fail("a wrong secret should fail"),
                (error: Error) => seen.push(error.message),
            );
        } finally {
            await wrong.stop();
            seen.push(...wrong.output(), ...wrong.logs().map((l) => l.message));
        }
        await plugin.stop();
        seen.push(...plugin.output(), ...plugin.logs().map((l) => l.message));

        const text = seen.join("\n");
        assert.ok(text.includes("ssn"), "the scan saw the answers");
        for (const value of [CLIENT_SECRET, ...SEED_SECRETS, ...emulator.issuedTokens()]) {
            assert.ok(!text.includes(value), `leaked: ${value.slice(0, 24)}…`);
        }
        assert.ok(!text.includes("client_secret"), "no connection option in any answer");
    });

    it("an input marked secret comes back secret in the checked inputs and in every output that carries it", async () => {
        await plugin.configure({ domain: emulator.url, clientId: emulator.clientId, clientSecret: CLIENT_SECRET });
        const urn = pluginUrn("ConnectionDenyList", "marked");
        const news = { connectionId: SEED_IDS.google, attributes: secret(["x"]), triggers: secret(["digest-1"]) };
        const { inputs } = await plugin.check(urn, {}, news);
        assert.ok(isSecret(inputs.attributes) && isSecret(inputs.triggers), JSON.stringify(inputs));
        const created = await plugin.create(urn, inputs);
        for (const key of ["attributes", "triggers", "ownedAttributes", "sharedWith"]) {
            assert.ok(isSecret(created.properties[key]), `${key}: ${JSON.stringify(created.properties[key])}`);
        }
        assert.equal(isSecret(created.properties.connectionId), false);
        const read = await plugin.read(urn, created.id, created.properties, inputs);
        assert.ok(isSecret(read.properties.attributes) && isSecret(read.properties.triggers));
        const diff = await plugin.diff(urn, created.id, created.properties, inputs);
        assert.equal(diff.changes, "none", "secrets compare by value");
    });
});
