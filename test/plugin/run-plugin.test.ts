/**
 * The shipped plugin folder as Pulumi runs it: after `pulumi package add` ran `npm install` in
 * `pulumi-plugin/`, the engine starts `node <@pulumi/pulumi/cmd/run-plugin> <folder> <engine
 * address>` from the program's directory (`RunPlugin`, sdk/nodejs/cmd/pulumi-language-nodejs/main.go,
 * pulumi/pulumi v3.248.0), and run-plugin requires the folder, whose `main` serves the provider.
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { installedProject } from "../../harness/install";
import { PluginHost, pluginUrn, projectWithInstalledPluginFolder } from "../../harness/plugin";
import { listOn } from "../support/connection";

describe("the provider plugin through run-plugin and the shipped folder", function () {
    this.timeout(90_000);
    let emulator: Emulator;
    let plugin: PluginHost;

    before(async () => {
        const { project, folder } = projectWithInstalledPluginFolder(installedProject());
        emulator = await startEmulator();
        plugin = await PluginHost.start({ project, folder, via: "run-plugin" });
    });
    after(async () => {
        await plugin?.stop();
        await emulator?.stop();
    });

    it("prints its port first and serves the same provider: schema, settings, a create and a delete", async () => {
        assert.match(plugin.firstLine, /^\d+$/);
        assert.equal((await plugin.schema()).name, "auth0-deny-list");
        await plugin.handshake();
        await plugin.configure({
            domain: emulator.url,
            clientId: emulator.clientId,
            clientSecret: emulator.clientSecret,
        });
        const urn = pluginUrn("ConnectionDenyList", "via-folder");
        const { inputs } = await plugin.check(urn, {}, { connectionId: SEED_IDS.google, attributes: ["email"] });
        const created = await plugin.create(urn, inputs);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["email"]);
        await plugin.delete(urn, created.id, created.properties);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), []);
        assert.ok(plugin.logs().some((l) => l.urn === urn && /denying `email`/.test(l.message)));
        assert.deepEqual(plugin.output(), []);
    });
});
