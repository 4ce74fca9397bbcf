/**
 * Installs the package the way a user does (`npm pack`, then `npm install` of the tarball into
 * a fresh project), so packaging mistakes (missing files, an `exports` map that blocks the deep
 * `require` in `__provider`) fail here and not in a user's stack.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempDir, RUN_TEMP_VARIABLE } from "./temp";

/** The repository root (where package.json is). */
export const REPO_ROOT = path.resolve(__dirname, "..");

/**
 * Set to an `@pulumi/pulumi` version (e.g. `3.139.0`) to install that version from the registry
 * next to the tarball, as a user would, instead of linking this repository's devDependency. CI's
 * peer-range matrix (`npm run test:peers`) uses it.
 */
export const PULUMI_VERSION_VARIABLE = "DENY_LIST_TEST_PULUMI_VERSION";

let installed: string | undefined;

/**
 * A temporary Pulumi project with the packed package installed; made once per process and removed
 * when it exits. `npm pack` builds the package (its `prepare` script). `@pulumi/pulumi`, a peer
 * dependency the user brings, is linked from this repository's devDependencies, or installed at
 * the version {@link PULUMI_VERSION_VARIABLE} names.
 */
export function installedProject(): string {
    installed ??=
        process.env.MOCHA_WORKER_ID === undefined ? install(makeTempDir("auth0-deny-list-project-")) : shared();
    return installed;
}

/**
 * The project mocha's parallel workers share, in the run's folder (which the run's main process
 * removes, test/support/global-fixtures.ts): the first to need it packs and installs it, the
 * others wait for it (a directory is made atomically). Packing builds the package, so once is
 * worth sharing.
 */
function shared(): string {
    const run = process.env[RUN_TEMP_VARIABLE];
    if (!run) throw new Error(`mocha's workers share a project in the run's folder: ${RUN_TEMP_VARIABLE} is unset`);
    const dir = path.join(run, "installed-project");
    const ready = path.join(dir, ".ready");
    try {
        mkdirSync(dir);
    } catch {
        const waited = Date.now();
        while (!existsSync(ready)) {
            if (Date.now() - waited > 300_000) throw new Error(`${dir} was never installed`);
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        }
        return dir;
    }
    install(dir);
    writeFileSync(ready, "");
    return dir;
}

// Packs the package and installs it into `dir`, with @pulumi/pulumi linked or of the version asked for.
function install(dir: string): string {
    const quiet = { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
    execFileSync(npm(), ["pack", "--pack-destination", dir], quiet);
    const tarball = readdirSync(dir).find((file) => file.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack produced no tarball");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "engine-test-project", private: true }));
    const version = process.env[PULUMI_VERSION_VARIABLE];
    const add = ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(dir, tarball)];
    if (version) {
        // Newer @pulumi/pulumi declares engines node>=22; npm only warns unless engine-strict is set.
        execFileSync(npm(), [...add, `@pulumi/pulumi@${version}`, "--engine-strict=false"], { ...quiet, cwd: dir });
    } else {
        execFileSync(npm(), [...add, "--legacy-peer-deps"], { ...quiet, cwd: dir });
        linkFromRepository(dir, "@pulumi/pulumi");
    }
    return dir;
}

/** Links `name` from this repository's node_modules into `project`'s (a dependency the user brings). */
export function linkFromRepository(project: string, name: string): void {
    const target = path.join(project, "node_modules", name);
    mkdirSync(path.dirname(target), { recursive: true });
    symlinkSync(path.join(REPO_ROOT, "node_modules", name), target);
}

function npm(): string {
    return process.platform === "win32" ? "npm.cmd" : "npm";
}
