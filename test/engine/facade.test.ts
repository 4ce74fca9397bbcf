/**
 * The serialized provider (`__provider`): one facade object shared by every resource of a program,
 * serialized once, and byte-identical to what version 0.1.0 stored, so state written by either
 * version is read, refreshed and deleted by the installed package alike.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Emulator, SEED_IDS, startEmulator } from "../../emulator";
import type { ConnectionDenyListArgs } from "../../provider";
import { MiniEngine, stackConfigFor } from "../support/engine/engine";
import { ProviderHost } from "../support/engine/host";
import { installedProject } from "../support/engine/install";
import { runProgram } from "../support/engine/program";

const PROGRAM = path.join(__dirname, "fixtures", "program.ts");
const COUNTING_PROGRAM = path.join(__dirname, "fixtures", "serializations-program.ts");
// `__provider` as version 0.1.0 serialized it (one facade built per resource).
const FACADE_0_1_0 = readFileSync(path.join(__dirname, "..", "fixtures", "provider-facade-0.1.0.txt"), "utf8");

const RESOURCES: { name: string; args: ConnectionDenyListArgs }[] = [
    { name: "db", args: { connectionId: SEED_IDS.auth0, attributes: ["a"] } },
    { name: "google", args: { connectionId: SEED_IDS.google, attributes: ["b"] } },
    { name: "oidc", args: { connectionName: "oidc-connection", attributes: ["c"] } },
];

describe("the serialized provider facade (packed package)", function () {
    this.timeout(60_000);
    let project: string;

    before(() => {
        project = installedProject();
    });

    it("is one object for every resource in a program, serialized once", () => {
        const { log } = runProgram(project, COUNTING_PROGRAM, { "auth0-deny-list:resources": RESOURCES });
        const line = log.find((entry) => entry.includes("@@SERIALIZED@@"));
        assert.ok(line, `the program reported nothing:\n${log.join("\n")}`);
        assert.deepEqual(JSON.parse(line.split("@@SERIALIZED@@")[1]), { calls: 1, providers: 1 });
    });

    it("is byte-identical across resources and to what version 0.1.0 serialized", () => {
        const { resources } = runProgram(project, PROGRAM, { "auth0-deny-list:resources": RESOURCES });
        assert.equal(resources.length, 3);
        for (const resource of resources) assert.equal(resource.inputs.__provider, FACADE_0_1_0);
    });

    describe("state written by version 0.1.0", () => {
        let emulator: Emulator;
        let host: ProviderHost;

        beforeEach(async () => {
            emulator = await startEmulator();
            host = await ProviderHost.start(project);
        });
        afterEach(async () => {
            await host.stop();
            await emulator.stop();
        });

        it("is refreshed and deleted through its stored facade", async () => {
            const [declared] = runProgram(project, PROGRAM, {
                "auth0-deny-list:resources": [
                    { name: "db", args: { connectionId: SEED_IDS.auth0, attributes: ["old_version_attr"] } },
                ],
            }).resources;
            const engine = new MiniEngine(host, stackConfigFor(emulator));
            await engine.up([{ ...declared, inputs: { ...declared.inputs, __provider: FACADE_0_1_0 } }]);
            const entry = engine.state.get(declared.urn);
            assert.equal(entry?.outputs.__provider, FACADE_0_1_0);
            const live = () => emulator.connection(SEED_IDS.auth0)?.options?.non_persistent_attrs as string[];
            assert.ok(live().includes("old_version_attr"));

            const refreshed = await engine.refresh();
            assert.deepEqual(
                refreshed.map((step) => [step.op, step.error]),
                [["refresh", undefined]],
            );
            assert.deepEqual(engine.state.get(declared.urn)?.outputs.attributes, ["old_version_attr"]);

            const destroyed = await engine.destroy();
            assert.deepEqual(
                destroyed.map((step) => [step.op, step.error]),
                [["delete", undefined]],
            );
            assert.ok(!live().includes("old_version_attr"));
        });
    });
});
