/**
 * Pulumi keeps the serialized `__provider` in state and runs that copy for later refreshes and
 * deletes, so the path it `require`s must resolve in every later version of the package. The
 * fixture is the facade exactly as version 0.1.0 serialised it; it must keep working against
 * the package installed today.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { stackConfigFor } from "../../harness/credentials";
import { ProviderHost } from "../../harness/host";
import { installedProject } from "../../harness/install";
import { listOn } from "../support/connection";

const FACADE_0_1_0 = readFileSync(path.join(__dirname, "fixtures", "facade-0.1.0.txt"), "utf8");
const URN = "urn:pulumi:dev::auth0-deny-list::pulumi-nodejs:dynamic/auth0:ConnectionDenyList::old";

describe("a __provider stored by an earlier version", function () {
    this.timeout(60_000);
    let emulator: Emulator;
    let host: ProviderHost;

    beforeEach(async () => {
        emulator = await startEmulator();
        host = await ProviderHost.start(installedProject(), { AUTH0_DOMAIN: "" });
        await host.configure(stackConfigFor(emulator));
    });
    afterEach(async () => {
        await host.stop();
        await emulator.stop();
    });

    it("0.1.0's facade requires the installed package and runs check, create, read, update and delete", async () => {
        assert.match(FACADE_0_1_0, /require\("pulumi-auth0-deny-list\/dist\/provider\/shared\.js"\)/);
        const news = { connectionId: SEED_IDS.google, attributes: ["a"], __provider: FACADE_0_1_0 };

        const checked = await host.check(URN, {}, news);
        assert.deepEqual(checked.failures, []);
        const created = await host.create(URN, checked.inputs);
        assert.equal(created.id, SEED_IDS.google);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["a"]);
        assert.equal(created.properties.__provider, FACADE_0_1_0, "the stored facade stays in state");

        const read = await host.read(URN, created.id, created.properties);
        assert.deepEqual(read.properties.attributes, ["a"]);
        const updated = await host.update(URN, created.id, read.properties, { ...checked.inputs, attributes: ["b"] });
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["b"]);
        await host.delete(URN, created.id, updated.properties);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), []);
    });
});
