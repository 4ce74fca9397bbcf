/**
 * The plugin's settings, sent as the engine sends them (plugin/config.ts): an explicit provider's
 * arguments or the default provider's stack config in CheckConfig and Configure, the stack config
 * again as `PULUMI_CONFIG`, and `AUTH0_*` — each source used whole.
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { installedProject } from "../../harness/install";
import { PluginHost, pluginUrn } from "../../harness/plugin";
import { SECRET_SIGNATURE, SIGNATURE_KEY, secret } from "../../plugin/secrets";
import { listOn } from "../support/connection";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("the provider plugin: settings", function () {
    this.timeout(60_000);
    let project: string;
    let emulator: Emulator;
    const started: PluginHost[] = [];
    const urn = pluginUrn("ConnectionDenyList", "c");
    const inputs = { connectionId: SEED_IDS.google, attributes: ["a"], exclusive: false };

    async function plugin(env: Record<string, string> = {}): Promise<PluginHost> {
        const host = await PluginHost.start({ project, env });
        started.push(host);
        return host;
    }
    const settings = () => ({ domain: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret });

    before(() => {
        project = installedProject();
    });
    beforeEach(async () => {
        emulator = await startEmulator();
    });
    afterEach(async () => {
        await Promise.all(started.splice(0).map((host) => host.stop()));
        await emulator.stop();
    });

    it("CheckConfig refuses a bad domain, incomplete credentials and a key in the wrong case, naming the fix; other keys pass", async () => {
        const host = await plugin();
        const failures = async (news: Record<string, unknown>) => (await host.checkConfig(news)).failures;
        assert.deepEqual(await failures({ domain: "http://acme.eu.auth0.com", apiToken: "t" }), [
            {
                property: "domain",
                reason: 'Auth0 domain "http://acme.eu.auth0.com" uses plain http, allowed only for loopback hosts: use https://acme.eu.auth0.com',
            },
        ]);
        const [incomplete] = await failures({ domain: "acme.eu.auth0.com", clientId: "id" });
        assert.equal(incomplete.property, "clientSecret");
        assert.match(incomplete.reason, /auth0-deny-list:clientSecret is not set/);
        assert.deepEqual(await failures({ domain: "acme.eu.auth0.com", clientID: "id", clientSecret: "s" }), [
            { property: "clientID", reason: "clientID is not a setting of this provider: write clientId" },
        ]);
        assert.deepEqual(await failures({ domain: 42 }), [{ property: "domain", reason: "domain must be a string" }]);
        // The engine's own keys, a project's config in the same namespace, values not known yet, nothing at all.
        assert.deepEqual(await failures({ ...settings(), version: "0.1.0", denyLists: "{}" }), []);
        assert.deepEqual(await failures({ domain: UNKNOWN, clientId: "id" }), []);
        assert.deepEqual(await failures({}), []);
    });

    it("CheckConfig returns the secret settings wrapped as secrets, so the provider's inputs in state are encrypted", async () => {
        const host = await plugin();
        const { inputs: checked } = await host.checkConfig({ ...settings(), apiToken: "FAKE-token" });
        assert.deepEqual(checked.clientSecret, { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: emulator.clientSecret });
        assert.deepEqual(checked.apiToken, { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "FAKE-token" });
        assert.equal(checked.domain, emulator.url);
    });

    it("DiffConfig names the settings that changed, and never replaces the provider", async () => {
        const host = await plugin();
        const diff = await host.diffConfig(settings(), { ...settings(), domain: "http://127.0.0.1:1" });
        assert.deepEqual([diff.changes, diff.diffs, diff.replaces], ["some", ["domain"], []]);
        assert.equal((await host.diffConfig(settings(), settings())).changes, "none");
    });

    it("an explicit provider's arguments, secrets wrapped, point it at a tenant", async () => {
        const host = await plugin();
        await host.configure({ ...settings(), clientSecret: secret(emulator.clientSecret) }, "dev-tenant");
        await host.create(urn, inputs);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["a"]);
    });

    it("the default provider with no arguments takes PULUMI_CONFIG; an explicit provider never does", async () => {
        const stackConfig = { PULUMI_CONFIG: JSON.stringify(settings()) };
        const byDefault = await plugin(stackConfig);
        await byDefault.configure({}, "default_0_1_0");
        await byDefault.create(urn, inputs);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["a"]);

        const explicit = await plugin(stackConfig);
        await explicit.configure({}, "prod");
        await assert.rejects(
            explicit.create(urn, { ...inputs, connectionId: SEED_IDS.waad }),
            /Auth0 domain is not set: run `pulumi config set auth0-deny-list:domain <tenant>\.auth0\.com` \(or the provider's `domain` argument\) or set AUTH0_DOMAIN/,
        );
        assert.deepEqual(listOn(emulator, SEED_IDS.waad), []);
    });

    it("without settings it reads AUTH0_* whole; with settings the environment neither completes nor overrides them", async () => {
        const env = {
            AUTH0_DOMAIN: emulator.url,
            AUTH0_CLIENT_ID: emulator.clientId,
            AUTH0_CLIENT_SECRET: emulator.clientSecret,
        };
        const fromEnv = await plugin(env);
        await fromEnv.configure({});
        await fromEnv.create(urn, inputs);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["a"]);

        const partial = await plugin(env);
        await partial.configure({ domain: emulator.url, clientId: emulator.clientId });
        await assert.rejects(
            partial.create(urn, { ...inputs, connectionId: SEED_IDS.waad }),
            /credentials in stack config are incomplete: auth0-deny-list:clientSecret is not set \(AUTH0_\* environment variables are not mixed/,
        );
    });

    it("without any setting, Configure still succeeds: checks, diffs and previews work offline, writes fail naming the setting", async () => {
        const host = await plugin();
        assert.equal((await host.configure({})).supportsPreview, true);
        const checked = await host.check(urn, {}, inputs);
        assert.deepEqual(checked.failures, []);
        const preview = await host.create(urn, checked.inputs, true);
        assert.equal(preview.properties.connectionId, SEED_IDS.google);
        await assert.rejects(host.create(urn, checked.inputs), /Auth0 domain is not set/);
        assert.deepEqual(emulator.requests(), []);
    });

    it("a resource written to one tenant fails its diff once the provider points at another, naming both", async () => {
        const first = await plugin();
        await first.configure(settings());
        const created = await first.create(urn, inputs);
        const other = await startEmulator();
        try {
            const second = await plugin();
            await second.configure({ domain: other.url, clientId: other.clientId, clientSecret: other.clientSecret });
            await assert.rejects(
                second.diff(urn, created.id, created.properties, inputs),
                (error: Error) => error.message.includes(emulator.url) && error.message.includes(other.url),
            );
            assert.deepEqual(other.requests(), []);
        } finally {
            await other.stop();
        }
    });
});
