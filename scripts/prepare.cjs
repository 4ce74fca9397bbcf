#!/usr/bin/env node
/**
 * `prepare`: builds dist/ whenever the package is installed from source rather than from a
 * tarball: `npm ci` in a clone, `npm install <git URL>`, `npm pack`, the examples'
 * `file:../..` link, and pulumi-plugin/'s `file:..` in a clone (a git source of the plugin). npm
 * installs devDependencies before `prepare` in the first three cases, but not for a `file:` link,
 * where TypeScript is then missing; install this checkout's own locked devDependencies first in
 * that case, so `cd examples/basic && npm install` works on a fresh clone.
 */
const { execFileSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

// An installed copy (a tarball's contents) has dist/ and no sources: nothing to build. npm runs this
// there when the shipped pulumi-plugin/ folder installs it as its `file:..` dependency.
if (!existsSync(path.join(root, "tsconfig.build.json"))) process.exit(0);

if (!existsSync(tsc)) {
    console.error("pulumi-auth0-deny-list: installing its build tools (npm ci) to build dist/ from source");
    // The outer npm's settings (e.g. omit=dev for a production install) must not leak into this one.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(npm, ["ci", "--ignore-scripts", "--include=dev", "--no-audit", "--no-fund"], {
        cwd: root,
        env,
        stdio: "inherit",
    });
}
// The same projects as `npm run build`: the package, then the policy pack and the plugin folder compiled against it.
execFileSync(process.execPath, [tsc, "-b", "tsconfig.build.json", "policy-pack", "pulumi-plugin"], {
    cwd: root,
    stdio: "inherit",
});
