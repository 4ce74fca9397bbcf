/**
 * The serialized provider (`__provider`): one facade object shared by every resource of a program,
 * serialized once, byte-identical to what version 0.1.0 stored (so state written by either
 * version is read, refreshed and deleted by the installed package alike), and free of the
 * credentials the program process holds. One program run serves every case.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SEED_IDS } from "../../emulator/seed";
import { stackConfigFor } from "../../harness/credentials";
import { installedProject } from "../../harness/install";
import { type ProgramRun, runProgram } from "../../harness/program";
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

// The program process holds credentials, as a real one does: in stack config and in its environment.
const CONFIG: Record<string, string> = {
    ...stackConfigFor({
        url: "http://127.0.0.1:4011",
        clientId: "FAKE-client-id",
        clientSecret: "FAKE-secret-in-config",
    }),
    "auth0:apiToken": "FAKE-api-token-in-config",
};
const ENV = { AUTH0_CLIENT_SECRET: "FAKE-secret-in-env", AUTH0_API_TOKEN: "FAKE-api-token-in-env" };

describe("the serialized provider facade (packed package)", function () {
    this.timeout(60_000);
    let run: ProgramRun;

    before(() => {
        const saved = { ...process.env };
        Object.assign(process.env, ENV);
        try {
            run = runProgram(installedProject(), COUNTING_PROGRAM, {
                ...CONFIG,
                "auth0-deny-list:resources": RESOURCES,
            });
        } finally {
            for (const key of Object.keys(ENV)) {
                if (saved[key] === undefined) delete process.env[key];
                else process.env[key] = saved[key];
            }
        }
    });

    it("is one object for every resource in a program, serialized once", () => {
        const line = run.log.find((entry) => entry.includes("@@SERIALIZED@@"));
        assert.ok(line, `the program reported nothing:\n${run.log.join("\n")}`);
        assert.deepEqual(JSON.parse(line.split("@@SERIALIZED@@")[1]), { calls: 1, providers: 1 });
    });

    it("is byte-identical across resources and to what version 0.1.0 serialized", () => {
        assert.equal(run.resources.length, 3);
        for (const resource of run.resources) assert.equal(resource.inputs.__provider, FACADE_0_1_0);
    });

    it("is a small facade that requires the installed package, with no credential or data", () => {
        const [resource] = run.resources;
        assert.equal(resource.type, "pulumi-nodejs:dynamic/auth0:ConnectionDenyList");
        const provider = String(resource.inputs.__provider);
        assert.match(provider, /require\("pulumi-auth0-deny-list\/dist\/provider\/shared\.js"\)/);
        assert.ok(provider.length < 4000, `__provider is ${provider.length} bytes`);
        for (const secret of [...Object.values(ENV), CONFIG["auth0:clientSecret"], CONFIG["auth0:apiToken"]]) {
            assert.ok(!provider.includes(secret), `__provider holds ${secret.slice(0, 8)}…`);
        }
    });
});
