/**
 * What `npm pack` ships (the installed copy is exactly the tarball's contents) and that a current
 * build is left alone, so `npm run emulator` starts without recompiling.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { installedProject, REPO_ROOT } from "../../harness/install";

function filesUnder(dir: string, base = dir): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
    });
}

describe("the packed package", function () {
    this.timeout(120_000);

    it("carries the built dist, the policy pack, the plugin folder, LICENSE, README and the docs it links, package.json, and no source map or build info", () => {
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
        // The plugin folder's `file:..` dependency makes npm run the package's prepare there: it ships, and does nothing.
        const plugin = ["PulumiPlugin.yaml", "index.js", "package.json"].map((file) =>
            path.join("pulumi-plugin", file),
        );
        const prepare = path.join("scripts", "prepare.cjs");
        // README's links into docs/ (and the policy's hint at docs/with-pulumi-auth0.md) resolve in the installed copy.
        const docs = readdirSync(path.join(REPO_ROOT, "docs")).map((file) => path.join("docs", file));
        const shipped = outside.filter((file) => !file.startsWith(packLib) || pack.includes(file));
        assert.deepEqual(
            shipped.sort(),
            ["LICENSE", "README.md", "package.json", ...pack, ...plugin, prepare, ...docs].sort(),
        );
        assert.ok(outside.filter((file) => file.startsWith(packLib)).every((file) => file.endsWith(".js")));
        const built = [
            "provider/index.js",
            "provider/index.d.ts",
            "emulator/index.d.ts",
            "cli/main.js",
            "policy/index.d.ts",
            "testing/index.d.ts",
            "plugin/main.js",
            "plugin/index.d.ts",
        ];
        for (const entry of built) {
            assert.ok(files.includes(path.join("dist", entry)), entry);
        }
        assert.deepEqual(
            files.filter((file) => file.endsWith(".map") || file.endsWith(".tsbuildinfo")),
            [],
        );
    });

    it("ships the plugin folder as Pulumi runs it: runtime nodejs, compiled main, the package's version, the enclosing package as its dependency", () => {
        const installed = path.join(installedProject(), "node_modules", "pulumi-auth0-deny-list");
        const folder = path.join(installed, "pulumi-plugin");
        assert.deepEqual(parse(readFileSync(path.join(folder, "PulumiPlugin.yaml"), "utf8")), { runtime: "nodejs" });
        const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
        assert.equal(manifest.version, JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")).version);
        assert.deepEqual(manifest.dependencies, { "pulumi-auth0-deny-list": "file:.." });
        assert.ok(existsSync(path.join(folder, manifest.main)), "main is compiled JavaScript");
        assert.doesNotThrow(() => execFileSync(process.execPath, [path.join(installed, "scripts", "prepare.cjs")]));
    });

    it("a second `npm run build` on a current dist writes nothing", () => {
        const probe = path.join(REPO_ROOT, "dist", "cli", "emulator.js");
        execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        const before = statSync(probe).mtimeMs;
        execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        assert.equal(statSync(probe).mtimeMs, before);
    });
});
