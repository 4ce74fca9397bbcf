/**
 * The package as a Pulumi user's project sees it. examples/testing, copied into a project that
 * installed the packed package, is compiled with its own tsconfig (Pulumi's TypeScript template:
 * `moduleResolution: node`, no `skipLibCheck`, no `esModuleInterop`) beside a program using the
 * main and emulator entry points, so the published types of every entry point must compile as
 * they are (one compiler run: most of its time is checking the SDK's types); then the example's
 * own mocha test runs on the compiled code. And `exports` must let through the entry points and
 * the facade's path and nothing else.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { installedProject, linkFromRepository, REPO_ROOT } from "../../harness/install";

const run = promisify(execFile);

// The template's tsconfig, as `pulumi new typescript` writes it (pulumi/templates typescript/tsconfig.json).
const TEMPLATE_OPTIONS = {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
};

// A program using the main and emulator entry points (examples/testing uses the testing one).
const CONSUMER = `import * as pulumi from "@pulumi/pulumi";
import { ConnectionDenyList } from "pulumi-auth0-deny-list";
import { startEmulator } from "pulumi-auth0-deny-list/emulator";

const list = new ConnectionDenyList("db", { connectionName: "Username-Password-Authentication", attributes: ["gender"] });
export const owned: pulumi.Output<string[]> = list.ownedAttributes;
export const url: Promise<string> = startEmulator({ port: 0 }).then((tenant) => tenant.url);
`;

describe("a consumer project (Pulumi's TypeScript template)", function () {
    this.timeout(120_000);
    let project: string;

    before(() => {
        project = installedProject();
    });

    it("examples/testing and a program on the main and emulator entry points compile under the template's tsconfig, and the example's tests pass", async () => {
        // The example's devDependencies, as its `npm install` would bring them.
        for (const name of ["mocha", "@types/mocha", "@types/node", "typescript"]) {
            if (!existsSync(path.join(project, "node_modules", name))) linkFromRepository(project, name);
        }
        const example = path.join(project, "example-testing");
        cpSync(path.join(REPO_ROOT, "examples", "testing"), example, {
            recursive: true,
            filter: (source) => !/[\\/](node_modules|bin)$/.test(source) && !source.endsWith("package-lock.json"),
        });
        const tsconfig = JSON.parse(readFileSync(path.join(example, "tsconfig.json"), "utf8"));
        const { pretty: _, ...options } = tsconfig.compilerOptions;
        assert.deepEqual(options, TEMPLATE_OPTIONS, "examples/testing compiles under the template's options");
        assert.deepEqual(tsconfig.include, ["*.ts", "test/*.ts"]);
        writeFileSync(path.join(example, "consumer.ts"), CONSUMER);

        const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
        // TypeScript's own lib files (lib.dom.d.ts…) are TypeScript's to check: a third of the time, none of it ours.
        await run(process.execPath, [tsc, "-p", ".", "--skipDefaultLibCheck"], { cwd: example }).catch(
            (error: { stdout: string }) =>
                assert.fail(`tsc rejected the example or the consumer:\n${error.stdout.slice(0, 4000)}`),
        );
        const mocha = path.join(project, "node_modules", "mocha", "bin", "mocha.js");
        const { stdout } = await run(process.execPath, [mocha, "--reporter", "dot", "bin/test/**/*.test.js"], {
            cwd: example,
        }).catch((error: { stdout: string; stderr: string }) =>
            assert.fail(`the example's tests failed:\n${error.stdout}\n${error.stderr}`),
        );
        assert.match(stdout, /\b4 passing\b/);
        assert.doesNotMatch(stdout, /failing|pending/);
    });

    it("exports the entry points and the stored facade's path, and no other internal module", () => {
        // In a plain node process in the project: the test runner's own resolver knows tsconfig paths.
        const ids = [
            "pulumi-auth0-deny-list",
            "pulumi-auth0-deny-list/emulator",
            "pulumi-auth0-deny-list/testing",
            "pulumi-auth0-deny-list/dist/provider/shared.js",
            "pulumi-auth0-deny-list/package.json",
            "pulumi-auth0-deny-list/dist/provider/host/provider.js",
            "pulumi-auth0-deny-list/dist/provider/auth0/client.js",
            "pulumi-auth0-deny-list/dist/cli/main.js",
        ];
        const script = `for (const id of ${JSON.stringify(ids)}) {
            try { require.resolve(id); console.log(id + " ok"); } catch (error) { console.log(id + " " + error.code); }
        }`;
        const lines = execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" });
        assert.deepEqual(lines.trim().split("\n"), [
            "pulumi-auth0-deny-list ok",
            "pulumi-auth0-deny-list/emulator ok",
            "pulumi-auth0-deny-list/testing ok",
            "pulumi-auth0-deny-list/dist/provider/shared.js ok",
            "pulumi-auth0-deny-list/package.json ok",
            "pulumi-auth0-deny-list/dist/provider/host/provider.js ERR_PACKAGE_PATH_NOT_EXPORTED",
            "pulumi-auth0-deny-list/dist/provider/auth0/client.js ERR_PACKAGE_PATH_NOT_EXPORTED",
            "pulumi-auth0-deny-list/dist/cli/main.js ERR_PACKAGE_PATH_NOT_EXPORTED",
        ]);
    });
});
