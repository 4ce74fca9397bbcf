/**
 * The YAML and Python examples, checked against what the plugin serves, since no Pulumi CLI can run
 * them here: each `Pulumi.yaml` is a valid project file naming the shipped plugin folder; the YAML
 * program's resource types, properties, interpolations and outputs, and the Python program's
 * resource classes and keyword arguments, are the schema's; every stack config key is a setting of
 * the plugin or a value the program reads.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { REPO_ROOT } from "../../harness/install";
import { PACKAGE_NAME, packageSchema } from "../../plugin/schema";

type Json = Record<string, unknown>;
interface ResourceSpec {
    inputProperties: Record<string, { type?: string }>;
    requiredInputs?: string[];
    properties: Record<string, unknown>;
}

const schema = packageSchema("0.0.0");
const resources = schema.resources as Record<string, ResourceSpec>;
const settings = Object.keys((schema.config as { variables: Json }).variables);
const examples = path.join(REPO_ROOT, "examples");
const read = (file: string) => parse(readFileSync(file, "utf8")) as Json;

// `auth0-deny-list:ConnectionDenyList` is short for `auth0-deny-list:index:ConnectionDenyList`.
function resourceOf(type: string): ResourceSpec | undefined {
    const [pkg, ...rest] = type.split(":");
    return resources[rest.length === 1 ? `${pkg}:index:${rest[0]}` : type];
}

function typeMatches(value: unknown, type: string | undefined): boolean {
    if (typeof value === "string" && /^\$\{[^}]+\}$/.test(value)) return true;
    if (type === "array") return Array.isArray(value);
    if (type === "boolean") return typeof value === "boolean";
    if (type === "string") return typeof value === "string";
    return true;
}

/** What in a YAML program does not match the plugin's schema; empty when everything does. */
function yamlProgramProblems(project: Json): string[] {
    const problems: string[] = [];
    const config = Object.keys((project.config as Json | undefined) ?? {});
    const declared = (project.resources as Record<string, { type: string; properties?: Json }>) ?? {};
    const reference = (where: string, text: string) => {
        for (const [, name, property] of text.matchAll(/\$\{([\w-]+)(?:\.(\w+))?\}/g)) {
            const target = declared[name];
            if (!target && !config.includes(name)) problems.push(`${where}: \${${name}} names nothing declared`);
            const spec = target && resourceOf(target.type);
            if (spec && property && !(property in spec.properties)) {
                problems.push(`${where}: ${name} has no output ${property}`);
            }
        }
    };
    for (const [name, resource] of Object.entries(declared)) {
        const spec = resourceOf(resource.type);
        if (!spec) {
            problems.push(`${name}: type ${resource.type} is not in the schema`);
            continue;
        }
        const properties = resource.properties ?? {};
        for (const [key, value] of Object.entries(properties)) {
            const input = spec.inputProperties[key];
            if (!input) problems.push(`${name}: ${key} is not an input of ${resource.type}`);
            else if (!typeMatches(value, input.type)) problems.push(`${name}: ${key} is not a ${input.type}`);
            reference(`${name}.${key}`, JSON.stringify(value));
        }
        for (const required of spec.requiredInputs ?? []) {
            if (!(required in properties)) problems.push(`${name}: ${required} is required`);
        }
    }
    for (const [name, value] of Object.entries((project.outputs as Json | undefined) ?? {})) {
        reference(`outputs.${name}`, JSON.stringify(value));
    }
    return problems;
}

/** Stack config keys that are neither a setting of the plugin nor one of `projectKeys`. */
function strangeStackKeys(stackFile: string, project: string, projectKeys: readonly string[]): string[] {
    const keys = Object.keys((read(stackFile).config as Json | undefined) ?? {});
    return keys.filter((key) => {
        const [namespace, name] = key.split(":");
        if (namespace === PACKAGE_NAME) return !settings.includes(name);
        return namespace !== project || !projectKeys.includes(name);
    });
}

function checkProjectFile(dir: string): Json {
    const project = read(path.join(dir, "Pulumi.yaml"));
    const projectSchema = JSON.parse(
        readFileSync(path.join(REPO_ROOT, "test", "fixtures", "pulumi-project-schema.json"), "utf8"),
    );
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(projectSchema);
    assert.equal(validate(project), true, JSON.stringify(validate.errors, null, 2));
    const source = (project.packages as Json)[PACKAGE_NAME] as string;
    assert.equal(path.resolve(dir, source), path.join(REPO_ROOT, "pulumi-plugin"), "the shipped plugin folder");
    assert.ok(existsSync(path.join(dir, source, "PulumiPlugin.yaml")));
    return project;
}

describe("the YAML and Python examples against the plugin's schema", () => {
    it("YAML: a valid project whose resources, properties, interpolations, outputs and stack config the schema has", () => {
        const dir = path.join(examples, "yaml");
        const project = checkProjectFile(dir);
        assert.deepEqual(yamlProgramProblems(project), []);
        for (const stack of ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
            const keys = Object.keys(project.config as Json);
            assert.deepEqual(strangeStackKeys(path.join(dir, stack), String(project.name), keys), [], stack);
        }
        // The check bites: a misspelt property, a wrong type, an unknown output, a missing required input.
        const broken = structuredClone(project) as { resources: Record<string, { properties: Json }>; outputs: Json };
        const db = broken.resources["database-deny-list"].properties;
        db.connectionname = db.connectionName;
        db.exclusive = "yes";
        delete db.attributes;
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Pulumi YAML interpolation, not a template
        broken.outputs.x = "${database-deny-list.owned}";
        assert.equal(yamlProgramProblems(broken).length, 4, yamlProgramProblems(broken).join("\n"));
    });

    it("Python: a valid project; its classes and keyword arguments, and its stack config, are the schema's", function () {
        const dir = path.join(examples, "python");
        const project = checkProjectFile(dir);
        assert.match(readFileSync(path.join(dir, "requirements.txt"), "utf8"), /^sdks\/auth0-deny-list$/m);
        const program = readFileSync(path.join(dir, "__main__.py"), "utf8");
        const projectKeys = [...program.matchAll(/config\.(?:require|get)_object\("(\w+)"\)/g)].map((m) => m[1]);
        for (const stack of ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
            assert.deepEqual(strangeStackKeys(path.join(dir, stack), String(project.name), projectKeys), [], stack);
        }
        let calls: { cls: string; keywords: string[] }[];
        try {
            // Python's own parser: every `deny_list.<Class>(…)` call with its keyword arguments.
            const script =
                "import ast,json,sys\n" +
                "tree=ast.parse(open(sys.argv[1]).read())\n" +
                "print(json.dumps([{'cls':n.func.attr,'keywords':[k.arg for k in n.keywords]} for n in ast.walk(tree)" +
                " if isinstance(n,ast.Call) and isinstance(n.func,ast.Attribute) and getattr(n.func.value,'id','')=='deny_list']))";
            calls = JSON.parse(
                execFileSync("python3", ["-c", script, path.join(dir, "__main__.py")], { encoding: "utf8" }),
            );
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
            this.skip(); // no python3 on PATH: the program cannot be parsed here
        }
        assert.deepEqual(calls.map((c) => c.cls).sort(), ["ConnectionDenyList", "TenantDenyList"]);
        const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        for (const call of calls) {
            const inputs = Object.keys(resourceOf(`${PACKAGE_NAME}:${call.cls}`)?.inputProperties ?? {}).map(snake);
            assert.deepEqual(
                call.keywords.filter((k) => !inputs.includes(k)),
                [],
                call.cls,
            );
        }
    });
});
