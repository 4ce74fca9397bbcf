/**
 * The serialized provider (`__provider`): one facade object shared by every resource of a program,
 * serialized once, and byte-identical to what version 0.1.0 stored, so state written by either
 * version is read, refreshed and deleted by the installed package alike.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SEED_IDS } from "../../emulator/seed";
import { installedProject } from "../../harness/install";
import { CONFIG_PROGRAM, runProgram } from "../../harness/program";
import type { ConnectionDenyListArgs } from "../../provider";

const COUNTING_PROGRAM = path.join(__dirname, "fixtures", "serializations-program.ts");
// `__provider` as version 0.1.0 serialized it (one facade built per resource). That state written
// with it still refreshes and deletes is stored-facade.test.ts's job.
const FACADE_0_1_0 = readFileSync(path.join(__dirname, "fixtures", "facade-0.1.0.txt"), "utf8");

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
        const { resources } = runProgram(project, CONFIG_PROGRAM, { "auth0-deny-list:resources": RESOURCES });
        assert.equal(resources.length, 3);
        for (const resource of resources) assert.equal(resource.inputs.__provider, FACADE_0_1_0);
    });
});
