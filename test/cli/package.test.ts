/**
 * The command line as a user gets it: the packed package's `bin`, run as a real process, and
 * the adoption round trip: `adopt` on a seeded tenant → `tsc` on the generated program in the
 * installed project → the program under the engine driver → `up` creates every resource and
 * sends zero PATCHes (and `destroy` removes nothing it adopted). Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { AuditReportSchema } from "../../cli/report";
import { type Emulator, startEmulator } from "../../emulator";
import { envFor, stackConfigFor } from "../../harness/credentials";
import { MiniEngine } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { installedProject, REPO_ROOT } from "../../harness/install";
import { runProgram } from "../../harness/program";
import { BIG_TENANT_SIZE, bigSeed, EXPECTED_FINDINGS, runCli } from "./support";

const run = promisify(execFile);

describe("cli: the installed package", function () {
    this.timeout(60_000);
    let project: string;
    let emulator: Emulator;

    // The bin as npm linked it, run with the `node` running the tests first on PATH.
    async function bin(args: string[], env: NodeJS.ProcessEnv) {
        const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`;
        const file = path.join(project, "node_modules", ".bin", "pulumi-auth0-deny-list");
        try {
            const { stdout, stderr } = await run(file, args, { cwd: project, env: { PATH, ...env } });
            return { code: 0, stdout, stderr };
        } catch (error) {
            const failed = error as { code: number; stdout: string; stderr: string };
            return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
        }
    }

    before(() => {
        project = installedProject();
    });
    beforeEach(async () => {
        emulator = await startEmulator({ seed: bigSeed() });
    });
    afterEach(() => emulator.stop());

    it("`npx pulumi-auth0-deny-list audit` runs from the packed package, as a real process", async () => {
        const audit = await bin(["audit", "--json", "--fail-on-findings"], envFor(emulator));
        assert.equal(audit.code, 1, audit.stderr);
        const report = AuditReportSchema.parse(JSON.parse(audit.stdout));
        assert.equal(report.connections.length, BIG_TENANT_SIZE);
        assert.equal(report.findings.length, EXPECTED_FINDINGS.length);
        assert.equal(
            audit.stderr,
            `fetched 100 connections from ${emulator.url}\nfetched 120 connections from ${emulator.url}\n`,
        );

        const broken = await bin(["audit"], { AUTH0_DOMAIN: emulator.url, AUTH0_CLIENT_ID: emulator.clientId });
        assert.equal(broken.code, 2);
        assert.equal(broken.stdout, "");
        assert.match(
            broken.stderr,
            /^error: No Auth0 credentials in the environment \(AUTH0_CLIENT_SECRET not set\)[^\n]*\n$/,
        );
    });

    it("`npx pulumi-auth0-deny-list emulator` serves the connections of a state file until SIGTERM", async () => {
        const stateFile = path.join(project, "tenant.json");
        writeFileSync(
            stateFile,
            JSON.stringify({
                connections: [{ id: "con_Members000000001", name: "members", strategy: "auth0", options: {} }],
            }),
        );
        const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`;
        const file = path.join(project, "node_modules", ".bin", "pulumi-auth0-deny-list");
        const child = spawn(file, ["emulator", "--port", "0", "--state-file", "tenant.json"], {
            cwd: project,
            env: { PATH },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const exited = once(child, "exit");
        try {
            let stdout = "";
            child.stdout.on("data", (chunk) => {
                stdout += chunk;
            });
            const url = await new Promise<string>((resolve, reject) => {
                child.stdout.on("data", () => {
                    const found = /^ {2}AUTH0_DOMAIN=(\S+)$/m.exec(stdout);
                    if (found) resolve(found[1]);
                });
                child.once("exit", () => reject(new Error(`exited early: ${stdout}`)));
            });
            assert.match(stdout, /con_Members000000001 {2}auth0 {10}members/);
            const audit = await bin(["audit", "--json"], {
                AUTH0_DOMAIN: url,
                AUTH0_CLIENT_ID: "emulator-client-id",
                AUTH0_CLIENT_SECRET: "FAKE-emulator-client-secret-0000000000000000",
            });
            assert.equal(audit.code, 0, audit.stderr);
            assert.deepEqual(
                AuditReportSchema.parse(JSON.parse(audit.stdout)).connections.map((c) => c.name),
                ["members"],
            );
            child.kill("SIGTERM");
            assert.deepEqual(await exited, [0, null]);
        } finally {
            child.kill("SIGKILL");
        }
    });

    it("adoption round trip: the generated program compiles and its `up` creates every resource with zero PATCHes", async () => {
        const adopt = await runCli(["adopt"], envFor(emulator));
        assert.equal(adopt.code, 0, adopt.stderr);
        const program = path.join(project, "adopted.ts");
        writeFileSync(program, adopt.stdout);

        const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
        const flags = ["--strict", "--target", "ES2022", "--module", "node16", "--moduleResolution", "node16"];
        await run(process.execPath, [tsc, "--noEmit", "--skipLibCheck", ...flags, "adopted.ts"], {
            cwd: project,
        }).catch((error: { stdout: string }) => assert.fail(`tsc rejected the generated program:\n${error.stdout}`));

        const declared = runProgram(project, program, {}, { shared: true }).resources;
        const expected = adopt.stdout.match(/^new ConnectionDenyList\(/gm)?.length ?? 0;
        assert.equal(declared.length, expected);
        assert.ok(expected > 70, `only ${expected} resources`);

        const before = emulator.connections();
        emulator.clearRequests();
        const host = await ProviderHost.start(project, {
            AUTH0_DOMAIN: "",
            AUTH0_CLIENT_ID: "",
            AUTH0_CLIENT_SECRET: "",
        });
        try {
            const engine = new MiniEngine(host, stackConfigFor(emulator));
            const steps = await engine.up(declared);
            assert.deepEqual(
                steps.filter((step) => step.op !== "create" || step.error),
                [],
                "every resource is created",
            );
            assert.equal(engine.state.size, expected);
            for (const entry of engine.state.values()) {
                assert.deepEqual(entry.outputs.ownedAttributes, [], `${entry.urn} owns what it adopted`);
            }
            const methods = emulator.requests().map((request) => request.method);
            assert.equal(methods.filter((method) => method === "PATCH").length, 0, "zero PATCHes");
            assert.deepEqual(emulator.connections(), before);

            // Adopted entries stay when the stack goes away: destroy sends nothing.
            emulator.clearRequests();
            const destroyed = await engine.destroy();
            assert.deepEqual(
                destroyed.filter((step) => step.error),
                [],
            );
            assert.deepEqual(emulator.requests(), []);
            assert.deepEqual(emulator.connections(), before);
        } finally {
            await host.stop();
        }
    });
});
