/**
 * `npm run demo`: the per-environment example's dev stack, end to end, against the local Auth0
 * emulator. With a `pulumi` binary on PATH it uses the real CLI (local file backend); without
 * one it drives @pulumi/pulumi's dynamic-provider host through the engine driver, exactly as the
 * engine-level tests do, and then tours the tenant-baseline example's TenantDenyList: a
 * connection created after the first `up` is found by a refresh and written by the next `up`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { type Connection, type Emulator, startEmulator } from "../emulator";
import { stackConfigFor } from "../harness/credentials";
import { MiniEngine, type Step } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { installedProject, REPO_ROOT } from "../harness/install";
import { type Declared, runProgram } from "../harness/program";
import { runWithPulumiCli } from "./cli-mode";

const EXAMPLE = path.join(REPO_ROOT, "examples", "per-environment");
const TENANT_EXAMPLE = path.join(REPO_ROOT, "examples", "tenant-baseline");
const TENANT_PROJECT = "auth0-deny-list-tenant-baseline";

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const heading = (text: string) => console.log(`\n${bold(`━━ ${text}`)}`);

/** The dev stack's program config (everything but credentials) from an example's Pulumi.dev.yaml. */
function stackConfig(example = EXAMPLE): Record<string, unknown> {
    const file = parse(readFileSync(path.join(example, "Pulumi.dev.yaml"), "utf8")) as {
        config: Record<string, unknown>;
    };
    return Object.fromEntries(Object.entries(file.config).filter(([key]) => !key.startsWith("auth0:")));
}

/**
 * Prints steps as `pulumi preview`/`up` would. `alreadyLive` gives, per step, the entries already
 * on the connection's list: a create adopts those rather than writing them, so they are not
 * shown as additions.
 */
function printSteps(steps: Step[], verb: string, alreadyLive: (step: Step) => string[] = () => []): void {
    const symbol: Record<Step["op"], string> = {
        create: "+ ",
        update: "~ ",
        replace: "+-",
        delete: "- ",
        same: "  ",
        refresh: "~ ",
        gone: "- ",
    };
    for (const step of steps) {
        const op = step.op === "refresh" && !step.added && !step.removed ? "  " : symbol[step.op];
        const label = step.op === "refresh" ? (op === "  " ? "no drift" : "drift") : step.op;
        // The type is the URN's third part: urn:pulumi:<stack>::<project>::<type>::<name>.
        const type = step.urn.split("::")[2];
        console.log(`  ${op} ${type}  ${step.name}  ${label}${step.error ? `  ERROR: ${step.error}` : ""}`);
        const live = step.op === "create" ? alreadyLive(step) : [];
        for (const entry of step.added ?? []) {
            if (live.includes(entry))
                console.log(`        = attributes: ${JSON.stringify(entry)}  (already listed: adopted)`);
            else console.log(`        + attributes: ${JSON.stringify(entry)}`);
        }
        for (const entry of step.removed ?? []) console.log(`        - attributes: ${JSON.stringify(entry)}`);
    }
    const counts = new Map<string, number>();
    for (const step of steps) counts.set(step.op, (counts.get(step.op) ?? 0) + 1);
    console.log(`  ${verb}: ${[...counts].map(([op, n]) => `${n} ${op}`).join(", ")}`);
}

function printLists(emulator: Emulator, names: string[]): void {
    for (const connection of emulator.connections().filter((c) => names.includes(c.name))) {
        console.log(
            `  ${connection.name} (${connection.strategy}): ${JSON.stringify(connection.options?.non_persistent_attrs)}`,
        );
    }
}

/** Per resource (by URN), the live list of the connection it declares, from the tenant. */
function liveLists(emulator: Emulator, declared: Declared[]): (step: Step) => string[] {
    const lists = new Map<string, string[]>();
    for (const resource of declared) {
        const { connectionId, connectionName } = resource.inputs;
        const connection = emulator
            .connections()
            .find((c) => c.id === connectionId || (connectionId === undefined && c.name === connectionName));
        lists.set(resource.urn, (connection?.options?.non_persistent_attrs as string[] | null) ?? []);
    }
    return (step) => lists.get(step.urn) ?? [];
}

/** Per resource: what it owns (delete removes these) and what it adopted (delete leaves these). */
function ownership(engine: MiniEngine): Map<string, { owned: string[]; adopted: string[] }> {
    const result = new Map<string, { owned: string[]; adopted: string[] }>();
    for (const entry of engine.state.values()) {
        const owned = (entry.outputs.ownedAttributes as string[]) ?? [];
        const attributes = (entry.outputs.attributes as string[]) ?? [];
        result.set(entry.urn.split("::").pop() ?? entry.urn, {
            owned,
            adopted: attributes.filter((a) => !owned.includes(a)),
        });
    }
    return result;
}

function printOwnership(engine: MiniEngine): void {
    for (const [name, { owned, adopted }] of ownership(engine)) {
        console.log(
            `  ${name}: owns ${JSON.stringify(owned)} (destroy removes), adopted ${JSON.stringify(adopted)} (destroy leaves)`,
        );
    }
}

function apiRequests(emulator: Emulator): string {
    const all = emulator.requests();
    const api = all.filter((r) => r.path !== "/oauth/token");
    emulator.clearRequests();
    return `${api.length} Management API request(s) (${api.filter((r) => r.method === "PATCH").length} PATCH), ${all.length - api.length} token request(s)`;
}

// Everything except the deny list, per connection: must be identical before and after.
function changedBeyondDenyList(before: Connection[], after: Connection[]): number {
    const strip = (c: Connection) =>
        JSON.stringify({ ...c, options: { ...c.options, non_persistent_attrs: undefined } });
    return before.filter((c, i) => strip(c) !== strip(after[i])).length;
}

async function runWithEngineDriver(emulator: Emulator): Promise<void> {
    console.log("Mode: engine driver — no `pulumi` binary on PATH, so the demo drives @pulumi/pulumi's");
    console.log("dynamic-provider host over gRPC, as `pulumi up` would, using the packed package.");
    const project = installedProject();
    const config = stackConfig();
    const denyLists = config["auth0-deny-list:denyLists"] as Record<string, string[]>;
    const names = Object.keys(denyLists);
    const host = await ProviderHost.start(project);
    const engine = new MiniEngine(host, stackConfigFor(emulator));
    const seed = emulator.connections();
    try {
        heading("Live deny lists before (stack dev, emulator tenant)");
        printLists(emulator, names);

        const program = runProgram(project, path.join(EXAMPLE, "index.ts"), config);
        for (const line of program.log) console.log(`  program: ${line}`);

        heading("pulumi preview --stack dev");
        printSteps(await engine.preview(program.resources), "Resources", liveLists(emulator, program.resources));
        console.log(`  ${apiRequests(emulator)}`);

        heading("pulumi up --stack dev");
        const liveBeforeUp = liveLists(emulator, program.resources);
        printSteps(await engine.up(program.resources), "Resources", liveBeforeUp);
        console.log(`  ${apiRequests(emulator)}`);
        heading("Live deny lists after up");
        printLists(emulator, names);
        console.log("  Ownership in the stack's state:");
        printOwnership(engine);
        const adoptedAtCreate = ownership(engine);

        heading("pulumi up again (no change)");
        printSteps(await engine.up(program.resources), "Resources");
        console.log(`  ${apiRequests(emulator)}`);

        const grown = {
            ...config,
            "auth0-deny-list:denyLists": { ...denyLists, [names[0]]: [...denyLists[names[0]], "phone_number"] },
        };
        const changed = runProgram(project, path.join(EXAMPLE, "index.ts"), grown).resources;
        heading(`Add "phone_number" to ${names[0]} in Pulumi.dev.yaml, then pulumi preview`);
        printSteps(await engine.preview(changed), "Resources");
        console.log(`  ${apiRequests(emulator)}`);
        heading("pulumi up --stack dev");
        printSteps(await engine.up(changed), "Resources");
        console.log(`  ${apiRequests(emulator)}`);

        const target = emulator.connections().find((c) => c.name === names[0]);
        if (target) {
            heading(`Someone removes "gender" from ${names[0]} in the Auth0 dashboard; pulumi refresh`);
            emulator.update(target.id, (c) => {
                const options = c.options as Record<string, unknown>;
                options.non_persistent_attrs = (options.non_persistent_attrs as string[]).filter((a) => a !== "gender");
            });
            printSteps(await engine.refresh(), "Resources");
            console.log(`  ${apiRequests(emulator)}`);
            heading("pulumi up restores it (the resource now owns the entry it wrote back)");
            printSteps(await engine.up(changed), "Resources");
            console.log(`  ${apiRequests(emulator)}`);
            printLists(emulator, names);
        }

        heading("pulumi destroy --stack dev");
        console.log("  Ownership in the stack's state before destroy:");
        printOwnership(engine);
        // Entries a resource adopted at create but owns now: up wrote them back after they were removed.
        const nowOwned = [...ownership(engine)].flatMap(([name, { owned }]) =>
            (adoptedAtCreate.get(name)?.adopted ?? []).filter((entry) => owned.includes(entry)),
        );
        printSteps(await engine.destroy(), "Resources");
        console.log(`  ${apiRequests(emulator)}`);
        heading("Live deny lists after destroy");
        printLists(emulator, names);
        console.log("  Destroy removed the entries the stack owned and left the ones it adopted.");
        if (nowOwned.length > 0) {
            const shown = nowOwned.map((entry) => JSON.stringify(entry)).join(", ");
            console.log(
                `  ${shown}: adopted at create, then owned once \`pulumi up\` wrote it back after the dashboard ` +
                    "change, so destroy removed it too.",
            );
        }
        const changedConnections = changedBeyondDenyList(seed, emulator.connections());
        console.log(`\nConnections with any setting other than the deny list changed: ${changedConnections}`);
        if (changedConnections > 0) process.exitCode = 1;

        await tenantTour(emulator, project, host);
    } finally {
        await host.stop();
    }
}

/** Covered connections the TenantDenyList's state shows lacking an entry, with what each lacks. */
function printLacking(engine: MiniEngine): void {
    const [state] = engine.state.values();
    const covered = (state?.outputs.connections ?? []) as { name: string; lacking?: string[] }[];
    const lacking = covered.filter((c) => c.lacking);
    for (const c of lacking) console.log(`  ${c.name} lacks ${JSON.stringify(c.lacking)}`);
    console.log(`  ${covered.length} connections covered, ${lacking.length} lacking an entry`);
}

/**
 * The tenant-baseline example's dev stack: one TenantDenyList over every connection; a customer
 * adds an SSO connection, which only a refresh sees; the next `up` writes that one alone.
 */
async function tenantTour(emulator: Emulator, project: string, host: ProviderHost): Promise<void> {
    const config = stackConfig(TENANT_EXAMPLE);
    const attributes = config[`${TENANT_PROJECT}:attributes`] as string[];
    const program = runProgram(project, path.join(TENANT_EXAMPLE, "index.ts"), config, { project: TENANT_PROJECT });
    const engine = new MiniEngine(host, stackConfigFor(emulator));
    const before = emulator.connections();
    const holding = () =>
        emulator
            .connections()
            .filter((c) =>
                attributes.every((entry) => ((c.options?.non_persistent_attrs ?? []) as string[]).includes(entry)),
            ).length;

    heading(`TenantDenyList: ${JSON.stringify(attributes)} on every connection (examples/tenant-baseline, stack dev)`);
    printSteps(await engine.preview(program.resources), "Resources");
    console.log(`  ${apiRequests(emulator)}`);
    heading("pulumi up --stack dev");
    printSteps(await engine.up(program.resources), "Resources");
    console.log(`  ${apiRequests(emulator)}: the list pages, then a GET and a PATCH per connection lacking an entry`);
    console.log(`  ${holding()} of ${emulator.connections().length} connections hold every entry`);

    const [added] = emulator.addConnections({ count: 1, strategies: ["samlp"] });
    heading(`A customer adds the SSO connection ${added.name} (self-service); pulumi preview`);
    printSteps(await engine.preview(program.resources), "Resources");
    console.log(`  ${apiRequests(emulator)}: a preview alone cannot see it`);
    heading("pulumi refresh --stack dev");
    await engine.refresh();
    printLacking(engine);
    console.log(`  ${apiRequests(emulator)}`);
    heading("pulumi up --stack dev writes only the new connection");
    printSteps(await engine.up(program.resources), "Resources");
    console.log(`  ${apiRequests(emulator)}`);
    printLists(emulator, [added.name]);

    heading("pulumi destroy --stack dev");
    printSteps(await engine.destroy(), "Resources");
    console.log(`  ${apiRequests(emulator)}`);
    console.log(`  ${holding()} connections still hold every entry (destroy removed what the stack wrote)`);
    const changed = changedBeyondDenyList(before, emulator.connections());
    console.log(`\nConnections with any setting other than the deny list changed: ${changed}`);
    if (changed > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
    const emulator = await startEmulator();
    console.log(`Auth0 emulator (the embedded default tenant) at ${emulator.url}`);
    try {
        const pulumi = findPulumi();
        if (pulumi) await runWithPulumiCli(pulumi, emulator, EXAMPLE);
        else await runWithEngineDriver(emulator);
    } finally {
        await emulator.stop();
    }
}

function findPulumi(): string | undefined {
    try {
        return execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim() || undefined;
    } catch {
        return undefined;
    }
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
