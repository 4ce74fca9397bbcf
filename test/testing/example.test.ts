/**
 * examples/testing as its user runs it: the program and its mocha test copied into a project
 * that installed the packed package (`npm pack`, then `npm install` of the tarball), compiled
 * with the example's own tsconfig (Pulumi's template: no skipLibCheck, so the published types of
 * `pulumi-auth0-deny-list/testing` must compile as they are), then `mocha` on the compiled test.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { installedProject, linkFromRepository, REPO_ROOT } from "../../harness/install";

const run = promisify(execFile);

describe("testing: examples/testing, run by its own mocha test against the installed package", function () {
    this.timeout(120_000);

    it("compiles under the template's tsconfig and its tests pass", async () => {
        const project = installedProject();
        // The example's devDependencies, as its `npm install` would bring them.
        for (const name of ["mocha", "@types/mocha", "@types/node", "typescript"]) {
            if (!existsSync(path.join(project, "node_modules", name))) linkFromRepository(project, name);
        }
        const example = path.join(project, "example-testing");
        cpSync(path.join(REPO_ROOT, "examples", "testing"), example, {
            recursive: true,
            filter: (source) => !/[\\/](node_modules|bin)$/.test(source) && !source.endsWith("package-lock.json"),
        });
        const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
        await run(process.execPath, [tsc, "-p", "."], { cwd: example }).catch((error: { stdout: string }) =>
            assert.fail(`tsc rejected the example:\n${error.stdout.slice(0, 4000)}`),
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
});
