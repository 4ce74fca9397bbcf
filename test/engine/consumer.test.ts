/**
 * The package as a Pulumi user's project sees it: Pulumi's TypeScript template compiler options
 * (`moduleResolution: node`, no `skipLibCheck`, no `esModuleInterop`) must type-check both entry
 * points, and `exports` must let through the entry points and the facade's path and nothing else.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { installedProject, linkFromRepository, REPO_ROOT } from "../../harness/install";

const run = promisify(execFile);

// pulumi/templates typescript/tsconfig.json (also aws-typescript/), as `pulumi new typescript` writes it.
const TEMPLATE_TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: false,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
    files: ["consumer.ts"],
};

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
        // The template's devDependency; the repository's copy stands in for it.
        if (!existsSync(path.join(project, "node_modules", "@types", "node"))) {
            linkFromRepository(project, "@types/node");
        }
    });

    it("type-checks `pulumi-auth0-deny-list` and `pulumi-auth0-deny-list/emulator` under the template's tsconfig", async () => {
        writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 4));
        writeFileSync(path.join(project, "consumer.ts"), CONSUMER);
        const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
        await run(process.execPath, [tsc, "--noEmit", "-p", "."], { cwd: project }).catch((error: { stdout: string }) =>
            assert.fail(`tsc rejected the consumer:\n${error.stdout.slice(0, 4000)}`),
        );
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
