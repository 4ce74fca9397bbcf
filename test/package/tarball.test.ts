/**
 * What `npm pack` ships (the installed copy is exactly the tarball's contents) and that a current
 * build is left alone, so `npm run emulator` starts without recompiling.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { installedProject, REPO_ROOT } from "../../harness/install";

function filesUnder(dir: string, base = dir): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
    });
}

describe("the packed package", function () {
    this.timeout(120_000);

    it("carries the built dist, the policy pack, LICENSE, README and package.json, and no source map or build info", () => {
        const files = filesUnder(path.join(installedProject(), "node_modules", "pulumi-auth0-deny-list"));
        const outside = files.filter((file) => !file.startsWith(`dist${path.sep}`));
        const pack = [
            "PulumiPolicy.yaml",
            "package.json",
            ...["policy-pack/index.js", "policy/index.js", "provider/core/schema.js"].map((file) =>
                path.join("lib", file),
            ),
        ].map((file) => path.join("policy-pack", file));
        const packLib = path.join("policy-pack", "lib", "");
        const shipped = outside.filter((file) => !file.startsWith(packLib) || pack.includes(file));
        assert.deepEqual(shipped.sort(), ["LICENSE", "README.md", "package.json", ...pack].sort());
        assert.ok(outside.filter((file) => file.startsWith(packLib)).every((file) => file.endsWith(".js")));
        const built = [
            "provider/index.js",
            "provider/index.d.ts",
            "emulator/index.d.ts",
            "cli/main.js",
            "policy/index.d.ts",
            "testing/index.d.ts",
        ];
        for (const entry of built) {
            assert.ok(files.includes(path.join("dist", entry)), entry);
        }
        assert.deepEqual(
            files.filter((file) => file.endsWith(".map") || file.endsWith(".tsbuildinfo")),
            [],
        );
    });

    it("a second `npm run build` on a current dist writes nothing", () => {
        const probe = path.join(REPO_ROOT, "dist", "cli", "emulator.js");
        execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        const before = statSync(probe).mtimeMs;
        execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        assert.equal(statSync(probe).mtimeMs, before);
    });
});
