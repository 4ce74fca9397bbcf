/**
 * The plugin as a process and its schema: the port is the first thing on stdout, GetPluginInfo and
 * Handshake answer as the engine needs, GetSchema is valid against Pulumi's package metaschema
 * (test/fixtures/pulumi-package-metaschema.json) with a description on every property, and the
 * calls the plugin leaves out answer UNIMPLEMENTED.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { installedProject, REPO_ROOT } from "../../harness/install";
import { PluginHost, pluginUrn } from "../../harness/plugin";

type Json = Record<string, unknown>;

// Every property bag of a schema, with where it is, for the description check.
function propertyBags(schema: Json): [string, Record<string, Json>][] {
    const resources = Object.entries(schema.resources as Record<string, Json>);
    const types = Object.entries(schema.types as Record<string, Json>);
    return [
        ["config.variables", (schema.config as Json).variables as Record<string, Json>],
        ["provider.inputProperties", (schema.provider as Json).inputProperties as Record<string, Json>],
        ...resources.flatMap(([token, r]): [string, Record<string, Json>][] => [
            [`${token}.inputProperties`, r.inputProperties as Record<string, Json>],
            [`${token}.properties`, r.properties as Record<string, Json>],
        ]),
        ...types.map(([token, t]): [string, Record<string, Json>] => [
            `${token}.properties`,
            t.properties as Record<string, Json>,
        ]),
    ];
}

describe("the provider plugin: process, handshake and schema", function () {
    this.timeout(60_000);
    let plugin: PluginHost;
    let schema: Json;

    before(async () => {
        // The flags the engine may put before its address must not be taken for it.
        plugin = await PluginHost.start({ project: installedProject(), flags: ["--logtostderr", "-v=9"] });
        schema = await plugin.schema();
    });
    after(async () => {
        await plugin.stop();
    });

    it("prints its port as the first line of stdout and nothing else", async () => {
        assert.match(plugin.firstLine, /^\d+$/);
        assert.deepEqual(plugin.output(), []);
    });

    it("reports the package version, and answers Handshake and Configure committing to secrets and previews", async () => {
        const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        assert.equal(await plugin.pluginVersion(), version);
        assert.deepEqual(await plugin.handshake(), {
            acceptSecrets: true,
            acceptResources: true,
            acceptOutputs: false,
            supportsAutonamingConfiguration: false,
        });
        assert.deepEqual(await plugin.configure({}), {
            acceptSecrets: true,
            supportsPreview: true,
            acceptResources: true,
            acceptOutputs: false,
        });
    });

    it("finds the engine's address behind the logging flags: diagnostics reach its Log service", async () => {
        const urn = pluginUrn("ConnectionDenyList", "flags");
        await plugin.check(urn, {}, { connectionId: "con_Flags", attributes: ["nickname"] });
        await plugin.cancel();
        assert.ok(plugin.logs().some((l) => l.urn === urn && /nickname/.test(l.message)));
    });

    it("is valid against Pulumi's package metaschema (v3.248.0)", () => {
        const metaschema = JSON.parse(
            readFileSync(path.join(REPO_ROOT, "test", "fixtures", "pulumi-package-metaschema.json"), "utf8"),
        );
        const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
        addFormats(ajv, ["regex", "uri-reference"]);
        const validate = ajv.compile(metaschema);
        assert.equal(validate(schema), true, JSON.stringify(validate.errors, null, 2));
        // The validator bites: a misspelt type or token fails.
        const broken = structuredClone(schema) as { config: { variables: { domain: Json } }; resources: Json };
        broken.config.variables.domain.type = "text";
        assert.equal(validate(broken), false);
        assert.equal(validate({ ...schema, resources: { "auth0-deny-list:ConnectionDenyList": {} } }), false);
    });

    it("checks what the metaschema cannot: a description on every property, the tokens, namespace and language names", () => {
        const undescribed = propertyBags(schema).flatMap(([where, bag]) =>
            Object.entries(bag)
                .filter(([, property]) => typeof property.description !== "string" || property.description === "")
                .map(([name]) => `${where}.${name}`),
        );
        assert.deepEqual(undescribed, []);
        assert.equal(schema.name, "auth0-deny-list");
        assert.deepEqual(Object.keys(schema.resources as Json).sort(), [
            "auth0-deny-list:index:ConnectionDenyList",
            "auth0-deny-list:index:TenantDenyList",
        ]);
        assert.equal(typeof schema.namespace, "string");
        const language = schema.language as Record<string, Json>;
        assert.equal(language.python.packageName, "pulumi_auth0_deny_list");
        assert.ok(language.nodejs.packageName && language.go.importBasePath && language.csharp.rootNamespace);
        assert.ok(language.java.basePackage);
        const secrets = Object.entries((schema.config as Json).variables as Record<string, Json>)
            .filter(([, v]) => v.secret === true)
            .map(([name]) => name);
        assert.deepEqual(secrets, ["clientSecret", "apiToken"]);
        // The dynamic resources' program-only inputs are not the plugin's.
        const inputs = (schema.resources as Record<string, Json>)["auth0-deny-list:index:ConnectionDenyList"]
            .inputProperties as Json;
        assert.deepEqual(Object.keys(inputs), [
            "connectionId",
            "connectionName",
            "attributes",
            "exclusive",
            "triggers",
        ]);
    });

    it("without an engine address its diagnostics go to stderr", async () => {
        const alone = await PluginHost.start({ project: installedProject(), withoutEngine: true });
        try {
            await alone.check(
                pluginUrn("ConnectionDenyList", "alone"),
                {},
                { connectionId: "con_A", attributes: ["name"] },
            );
        } finally {
            await alone.stop();
        }
        assert.deepEqual(alone.logs(), []);
        assert.ok(
            alone.output().some((line) => /^warning: denying `name`/.test(line)),
            alone.output().join("\n"),
        );
    });

    it("refuses a schema version it does not have, and answers UNIMPLEMENTED for what it leaves out", async () => {
        await assert.rejects(plugin.schema(1), /one schema \(version 0\)/);
        await assert.rejects(plugin.parameterize(["x"]), (error: { code?: number }) => error.code === 12);
    });
});
