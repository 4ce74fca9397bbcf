/**
 * Installs the package the way a user does (`npm pack`, then `npm install` of the tarball into
 * a fresh project), so packaging mistakes (missing files, an `exports` map that blocks the deep
 * `require` in `__provider`) fail here and not in a user's stack.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The repository root (where package.json is). */
export const REPO_ROOT = path.resolve(__dirname, "../../..");

let installed: string | undefined;

/**
 * A temporary Pulumi project with the packed package installed; made once per process. The
 * package must be built (`npm run build`) first. `@pulumi/pulumi`, a peer dependency the user
 * brings, is linked from this repository's devDependencies.
 */
export function installedProject(): string {
    if (installed) return installed;
    const dir = mkdtempSync(path.join(os.tmpdir(), "auth0-deny-list-project-"));
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const quiet = { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
    execFileSync(npm, ["pack", "--pack-destination", dir], quiet);
    const tarball = readdirSync(dir).find((file) => file.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack produced no tarball");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "engine-test-project", private: true }));
    execFileSync(
        npm,
        ["install", "--no-audit", "--no-fund", "--prefer-offline", "--legacy-peer-deps", path.join(dir, tarball)],
        { ...quiet, cwd: dir },
    );
    mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    symlinkSync(
        path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"),
        path.join(dir, "node_modules", "@pulumi", "pulumi"),
    );
    installed = dir;
    return dir;
}
