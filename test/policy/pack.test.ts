/**
 * The shipped policy pack as the Pulumi CLI runs it: the packed package installed in a project
 * with @pulumi/policy beside it, `node <@pulumi/pulumi>/cmd/run-policy-pack` started in
 * node_modules/pulumi-auth0-deny-list/policy-pack, and the engine's Analyzer calls over gRPC. The
 * stacks are the example programs run under Pulumi's runtime mocks (resources as registered,
 * property dependencies included), and the same stacks as a first preview sees them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type Diagnostic, type EngineResource, PolicyAnalyzer, type PolicyConfig } from "../../harness/analyzer";
import { installedProject, linkFromRepository, REPO_ROOT } from "../../harness/install";
import { runProgram } from "../../harness/program";
import { CONNECTION_TYPE } from "../../policy";
import { BAD_CONFIGS, UNKNOWN } from "./support";

const REQUIRED = "auth0-deny-list-required";
const WIPES = "auth0-connection-wipes-deny-list";

const stacks = new Map<string, EngineResource[]>();

// An example program's resources as AnalyzeStack receives them after `up` (outputs = inputs under
// mocks). A run takes seconds and the programs are deterministic: each runs once.
function exampleStack(example: string): EngineResource[] {
    const program = path.join(REPO_ROOT, "examples", example, "index.ts");
    const stack =
        stacks.get(example) ??
        runProgram(REPO_ROOT, program, {}, { inPlace: true, shared: true }).resources.map((resource) => ({
            type: resource.type,
            urn: resource.urn,
            properties: resource.inputs,
            propertyDependencies: resource.propertyDependencies,
        }));
    stacks.set(example, stack);
    return stack;
}

// The example's policy-config.json over each policy's default level, as the CLI sends Configure.
function exampleConfig(example: string): Record<string, PolicyConfig> {
    const file = path.join(REPO_ROOT, "examples", example, "policy-config.json");
    const { attributes } = JSON.parse(readFileSync(file, "utf8"))[REQUIRED];
    return { [REQUIRED]: { enforcementLevel: "mandatory", properties: { attributes } }, [WIPES]: {} };
}

// [policy, level, resource name, message without the policy's description line], sorted by the
// first three: the order of the stack's resources is the order the program registered them in.
function summary(diagnostics: Diagnostic[]): string[][] {
    const key = (row: string[]) => row.slice(0, 3).join(" ");
    return diagnostics
        .map((diagnostic) => [
            diagnostic.policyName,
            diagnostic.enforcementLevel,
            diagnostic.urn.split("::").at(-1) ?? "",
            diagnostic.message.split("\n").slice(1).join("\n"),
        ])
        .sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

describe("policy pack auth0-deny-list, run as the CLI runs it", function () {
    this.timeout(60_000);
    let analyzer: PolicyAnalyzer;

    before(async () => {
        const project = installedProject();
        linkFromRepository(project, "@pulumi/policy");
        analyzer = await PolicyAnalyzer.start(
            path.join(project, "node_modules", "pulumi-auth0-deny-list", "policy-pack"),
        );
    });
    after(() => analyzer?.stop());

    it("describes itself: name, the package's version, a mandatory and an advisory stack policy, a config schema", async () => {
        const info = await analyzer.info();
        const version = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version;
        assert.equal(info.name, "auth0-deny-list");
        assert.equal(info.version, version);
        assert.deepEqual(
            info.policies.map((policy) => [policy.name, policy.enforcementLevel, policy.type]),
            [
                [REQUIRED, "mandatory", "stack"],
                [WIPES, "advisory", "stack"],
            ],
        );
        // The CLI validates --policy-pack-config against this schema (wrapped in an object schema) first.
        const schema = info.policies[0]?.configSchema;
        assert.ok(schema);
        const cli = z.fromJSONSchema({ type: "object", ...schema } as Parameters<typeof z.fromJSONSchema>[0]);
        for (const [config] of BAD_CONFIGS) assert.equal(cli.safeParse(config).success, false, JSON.stringify(config));
        assert.equal(cli.safeParse({ attributes: ["birthdate"], strategies: ["samlp"] }).success, true);
    });

    it("rejects a bad config itself too: AnalyzeStack fails naming the problem", async () => {
        for (const [properties, problem] of BAD_CONFIGS) {
            await analyzer.configure({ [REQUIRED]: { enforcementLevel: "mandatory", properties } });
            await assert.rejects(analyzer.analyzeStack([]), (error: Error) => {
                assert.match(error.message, /invalid configuration of auth0-deny-list-required/);
                assert.match(error.message, problem);
                return true;
            });
        }
    });

    it("examples/policy-fails: mandatory violations naming what each lacks, and the wipe advisory", async () => {
        await analyzer.configure(exampleConfig("policy-fails"));
        assert.deepEqual(summary(await analyzer.analyzeStack(exampleStack("policy-fails"))), [
            [
                WIPES,
                "advisory",
                "members",
                'auth0.Connection "members" declares no options.nonPersistentAttrs, so its next update wipes the entries ' +
                    'ConnectionDenyList "members-deny-list" wrote (Auth0 replaces options whole). Compute the triggers of ' +
                    'ConnectionDenyList "members-deny-list" from the Connection\'s outputs so it re-applies them in the same ' +
                    "update (docs/with-pulumi-auth0.md).",
            ],
            [
                REQUIRED,
                "mandatory",
                "google",
                'auth0.Connection "google" does not deny birthdate, gender: add them to its options.nonPersistentAttrs, ' +
                    "to a ConnectionDenyList on it, or to a TenantDenyList that covers it.",
            ],
            [
                REQUIRED,
                "mandatory",
                "members",
                'auth0.Connection "members" does not deny gender: add them to its options.nonPersistentAttrs, ' +
                    "to a ConnectionDenyList on it, or to a TenantDenyList that covers it.",
            ],
            [
                REQUIRED,
                "mandatory",
                "members-deny-list",
                'ConnectionDenyList "members-deny-list" does not deny gender: every deny list must include them.',
            ],
        ]);
    });

    it("examples/policy-passes: no diagnostic at all", async () => {
        await analyzer.configure(exampleConfig("policy-passes"));
        assert.deepEqual(await analyzer.analyzeStack(exampleStack("policy-passes")), []);
    });

    it("at a first preview, what the engine does not know yet is at most an advisory 'may'", async () => {
        // The bridged provider computes a new Connection's nonPersistentAttrs; its id is not known either.
        const preview = exampleStack("policy-fails").map((resource) => {
            const { properties } = resource;
            if (resource.type === CONNECTION_TYPE) {
                const options = { ...(properties.options as object), nonPersistentAttrs: UNKNOWN };
                return { ...resource, properties: { ...properties, options } };
            }
            return { ...resource, properties: { ...properties, connectionId: UNKNOWN } };
        });
        await analyzer.configure(exampleConfig("policy-fails"));
        const diagnostics = summary(await analyzer.analyzeStack(preview));
        assert.deepEqual(
            diagnostics.map(([policy, level, name]) => [policy, level, name]),
            [
                [WIPES, "advisory", "members"],
                [REQUIRED, "advisory", "google"],
                [REQUIRED, "advisory", "members"],
                // Its own attributes are known: still a violation.
                [REQUIRED, "mandatory", "members-deny-list"],
            ],
        );
        assert.equal(
            diagnostics[1]?.[3],
            'auth0.Connection "google" may not deny birthdate, gender (not known until the update: its options.nonPersistentAttrs).',
        );
        assert.match(
            diagnostics[0]?.[3] ?? "",
            /^auth0\.Connection "members" may declare no options\.nonPersistentAttrs/,
        );
    });

    it("applies a configured enforcement level: advisory reports the same findings, disabled none", async () => {
        const stack = exampleStack("policy-fails");
        const config = exampleConfig("policy-fails");
        const properties = config[REQUIRED]?.properties;
        await analyzer.configure({ ...config, [REQUIRED]: { enforcementLevel: "advisory", properties } });
        const levels = (await analyzer.analyzeStack(stack)).map((diagnostic) => diagnostic.enforcementLevel);
        assert.deepEqual(levels, ["advisory", "advisory", "advisory", "advisory"]);
        await analyzer.configure({
            [REQUIRED]: { enforcementLevel: "disabled", properties },
            [WIPES]: { enforcementLevel: "disabled" },
        });
        assert.deepEqual(await analyzer.analyzeStack(stack), []);
    });

    it("Analyze reports nothing per resource: both are stack policies, so each problem is reported once", async () => {
        await analyzer.configure(exampleConfig("policy-fails"));
        const stack = exampleStack("policy-fails");
        for (const resource of stack) assert.deepEqual(await analyzer.analyze(resource), [], resource.urn);
        assert.notDeepEqual(await analyzer.analyzeStack(stack), []);
        assert.deepEqual(analyzer.output(), []);
    });
});
