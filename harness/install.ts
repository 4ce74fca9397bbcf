/**
 * Installs the package the way a user does (`npm pack`, then `npm install` of the tarball into
 * a fresh project), so packaging mistakes (missing files, an `exports` map that blocks the deep
 * `require` in `__provider`) fail here and not in a user's stack.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempDir } from "./temp";

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
    if (installed) return installed;
    const dir = makeTempDir("auth0-deny-list-project-");
    const quiet = { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
    execFileSync(npm(), ["pack", "--pack-destination", dir], quiet);
    const tarball = readdirSync(dir).find((file) => file.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack produced no tarball");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "engine-test-project", private: true }));
    const version = process.env[PULUMI_VERSION_VARIABLE];
    const install = ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(dir, tarball)];
    if (version) {
        // Newer @pulumi/pulumi declares engines node>=22; npm only warns unless engine-strict is set.
        execFileSync(npm(), [...install, `@pulumi/pulumi@${version}`, "--engine-strict=false"], { ...quiet, cwd: dir });
    } else {
        execFileSync(npm(), [...install, "--legacy-peer-deps"], { ...quiet, cwd: dir });
        linkFromRepository(dir, "@pulumi/pulumi");
    }
    installed = dir;
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
