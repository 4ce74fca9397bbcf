/**
 * The policy pack as an organisation publishes it: a copy of the shipped `policy-pack/` folder,
 * outside any project that has this package, installed from the npm registry alone (`npm
 * install`, which `pulumi policy publish` needs to run the pack, and which every machine that
 * enforces it runs on the published copy), started as the CLI starts a pack, and packed as
 * `pulumi policy publish` packs it (`npm pack`). Its manifest is kept in step with the package's.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import path from "node:path";
import { PolicyAnalyzer } from "../../harness/analyzer";
import { installedProject, REPO_ROOT } from "../../harness/install";
import { runProgram } from "../../harness/program";
import { makeTempDir } from "../../harness/temp";
import { UNKNOWN } from "./support";

const REQUIRED = "auth0-deny-list-required";

type Manifest = {
    version: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
};

const manifest = (file: string): Manifest => JSON.parse(readFileSync(file, "utf8"));

describe("policy pack, published from a copy of its folder", function () {
    this.timeout(180_000);

    it("keeps its manifest in step with the package: version, zod and @pulumi/policy ranges, and @pulumi/pulumi as that @pulumi/policy needs", () => {
        const pack = manifest(path.join(REPO_ROOT, "policy-pack", "package.json"));
        const root = manifest(path.join(REPO_ROOT, "package.json"));
        const policySdk = manifest(path.join(REPO_ROOT, "node_modules", "@pulumi", "policy", "package.json"));
        assert.equal(pack.version, root.version);
        assert.equal(pack.dependencies?.["@pulumi/policy"], root.peerDependencies?.["@pulumi/policy"]);
        assert.equal(pack.dependencies?.zod, root.dependencies?.zod);
        // @pulumi/policy brings its own @pulumi/pulumi (run-policy-pack comes from it): one copy, in its range.
        assert.equal(pack.dependencies?.["@pulumi/pulumi"], policySdk.dependencies?.["@pulumi/pulumi"]);
        assert.deepEqual(Object.keys(pack.dependencies ?? {}).sort(), ["@pulumi/policy", "@pulumi/pulumi", "zod"]);
    });

    it("a copy installs from the registry alone, runs as the CLI runs it, and packs with its rules", async () => {
        const shipped = path.join(installedProject(), "node_modules", "pulumi-auth0-deny-list", "policy-pack");
        const copy = path.join(makeTempDir("auth0-deny-list-pack-"), "auth0-deny-list-pack");
        cpSync(shipped, copy, { recursive: true });
        const quiet = { cwd: copy, stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
        // Newer @pulumi/pulumi declares engines node>=22; npm only warns unless engine-strict is set.
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--engine-strict=false"], quiet);
        // Resolved as the pack's own process would: this package is nowhere to be found from the copy.
        const probe = "require.resolve('pulumi-auth0-deny-list/package.json')";
        assert.throws(() => execFileSync(process.execPath, ["-e", probe], quiet), /Cannot find module/);

        const analyzer = await PolicyAnalyzer.start(copy);
        try {
            const info = await analyzer.info();
            assert.equal(info.name, "auth0-deny-list");
            assert.equal(info.version, manifest(path.join(REPO_ROOT, "package.json")).version);
            const program = path.join(REPO_ROOT, "examples", "policy-fails", "index.ts");
            const stack = runProgram(REPO_ROOT, program, {}, { inPlace: true, shared: true }).resources.map(
                (resource) => ({
                    type: resource.type,
                    urn: resource.urn,
                    properties: resource.inputs,
                    propertyDependencies: resource.propertyDependencies,
                }),
            );
            await analyzer.configure({
                [REQUIRED]: { enforcementLevel: "mandatory", properties: { attributes: ["birthdate", "gender"] } },
            });
            const diagnostics = await analyzer.analyzeStack(stack);
            assert.ok(
                diagnostics.some((d) => d.policyName === REQUIRED && d.enforcementLevel === "mandatory"),
                JSON.stringify(diagnostics),
            );
            assert.ok(!JSON.stringify(diagnostics).includes(UNKNOWN));
        } finally {
            await analyzer.stop();
        }

        // `pulumi policy publish` uploads what `npm pack` makes of the folder.
        const [packed] = JSON.parse(
            execFileSync("npm", ["pack", "--dry-run", "--json"], { ...quiet, encoding: "utf8" }),
        );
        const files = (packed.files as { path: string }[]).map((file) => file.path).sort();
        assert.ok(files.includes("PulumiPolicy.yaml") && files.includes("package.json"), files.join(", "));
        for (const rule of ["lib/policy-pack/index.js", "lib/policy/required.js", "lib/provider/core/schema.js"])
            assert.ok(files.includes(rule), rule);
        assert.ok(!files.some((file) => file.startsWith("node_modules/")), "installed modules are not published");
    });
});
