/**
 * examples/tenant-baseline: its program run in place under Pulumi's runtime mocks with the config
 * of its own stack files, then `up` through the dynamic-provider host against the emulator: every
 * covered connection gets the list, and a connection created later is found by a refresh and
 * written by the next `up`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { type Emulator, startEmulator } from "../../emulator";
import { stackConfigFor } from "../../harness/credentials";
import { MiniEngine } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { type Declared, runProgram } from "../../harness/program";
import { listOn } from "../support/connection";

const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "tenant-baseline");
const PROJECT = "auth0-deny-list-tenant-baseline";
const TYPE = "pulumi-nodejs:dynamic/auth0:TenantDenyList";

/** The program's own config keys from `Pulumi.<stack>.yaml` (the `auth0:*` ones point at a real tenant). */
function stackConfig(stack: "dev" | "prod"): Record<string, unknown> {
    const file = parse(readFileSync(path.join(EXAMPLE, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
    };
    return Object.fromEntries(Object.entries(file.config).filter(([key]) => key.startsWith(`${PROJECT}:`)));
}

/** The one TenantDenyList the example declares with `stack`'s config (the example resolves the package from the repository). */
function runExample(stack: "dev" | "prod"): Declared {
    const { resources } = runProgram(ROOT, path.join(EXAMPLE, "index.ts"), stackConfig(stack), {
        inPlace: true,
        stack,
        project: PROJECT,
        shared: true,
    });
    assert.deepEqual(
        resources.map((resource) => resource.type),
        [TYPE],
    );
    return resources[0];
}

describe("examples/tenant-baseline", function () {
    this.timeout(60_000);
    let emulator: Emulator;
    let host: ProviderHost;
    let engine: MiniEngine;
    const list = (id: string) => listOn(emulator, id);
    const holding = (entries: string[]) =>
        emulator
            .connections()
            .filter((c) => entries.every((entry) => list(c.id).includes(entry)))
            .map((c) => c.name)
            .sort();

    beforeEach(async () => {
        emulator = await startEmulator({ generated: { count: 6, strategies: ["samlp", "oidc", "waad"] } });
        host = await ProviderHost.start(ROOT, { AUTH0_DOMAIN: "" });
        engine = new MiniEngine(host, stackConfigFor(emulator));
    });
    afterEach(async () => {
        await host.stop();
        await emulator.stop();
    });

    it("dev: every connection of the tenant; one created later is lacking after a refresh and the next up writes it", async () => {
        const baseline = runExample("dev");
        assert.deepEqual(baseline.inputs.attributes, ["national_id", "birthdate"]);
        assert.equal(baseline.inputs.strategies, undefined);
        const first = await engine.up([baseline]);
        assert.deepEqual(
            first.map((step) => [step.op, step.error]),
            [["create", undefined]],
        );
        const everyone = emulator
            .connections()
            .map((c) => c.name)
            .sort();
        assert.deepEqual(holding(["national_id", "birthdate"]), everyone);

        const [added] = emulator.addConnections({ count: 1, strategies: ["samlp"] });
        await engine.refresh();
        const covered = engine.state.get(baseline.urn)?.outputs.connections as { name: string; lacking?: string[] }[];
        assert.deepEqual(
            covered.filter((c) => c.lacking).map((c) => [c.name, c.lacking]),
            [[added.name, ["birthdate", "national_id"]]],
        );
        emulator.clearRequests();
        const second = await engine.up([baseline]);
        assert.deepEqual(
            second.map((step) => [step.op, step.error]),
            [["update", undefined]],
        );
        const writes = emulator.requests().filter((r) => r.method === "PATCH");
        assert.deepEqual(
            writes.map((r) => r.path),
            [`/api/v2/connections/${added.id}`],
        );
        assert.deepEqual(holding(["national_id", "birthdate"]), [...everyone, added.name].sort());
    });

    it("prod: only the enterprise strategies; an exclusion no connection has is a warning", async () => {
        const baseline = runExample("prod");
        assert.deepEqual(baseline.inputs.strategies, ["samlp", "oidc", "waad"]);
        const steps = await engine.up([baseline]);
        assert.deepEqual(
            steps.map((step) => [step.op, step.error]),
            [["create", undefined]],
        );
        const enterprise = emulator
            .connections()
            .filter((c) => ["samlp", "oidc", "waad"].includes(c.strategy))
            .map((c) => c.name)
            .sort();
        assert.deepEqual(holding(["national_id", "birthdate"]), enterprise);
        assert.match(host.output().join("\n"), /excludeConnections names "legacy-partner-saml", which no connection/);
    });
});
