/**
 * The emulator-and-plugin hooks the plugin tests share: before each test a fresh emulator and a
 * plugin spawned from the installed package, configured for it as an explicit provider's
 * arguments would (client secret wrapped as a secret); both stopped after it.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { installedProject } from "../../harness/install";
import { PluginHost } from "../../harness/plugin";
import { secret } from "../../plugin/secrets";

/** What each test gets. */
export interface PluginFixture {
    emulator: Emulator;
    plugin: PluginHost;
}

/** Registers the hooks; read the fields inside tests. */
export function pluginPerTest(): PluginFixture {
    const fixture = {} as PluginFixture;
    beforeEach(async () => {
        fixture.emulator = await startEmulator();
        fixture.plugin = await PluginHost.start({ project: installedProject() });
        await fixture.plugin.configure({
            domain: fixture.emulator.url,
            clientId: fixture.emulator.clientId,
            clientSecret: secret(fixture.emulator.clientSecret),
        });
    });
    afterEach(async () => {
        await fixture.plugin.stop();
        await fixture.emulator.stop();
    });
    return fixture;
}
