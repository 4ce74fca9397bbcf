/**
 * Engine-level tests: the packed package, installed into a fresh project, driven through
 * @pulumi/pulumi's dynamic-provider host over gRPC in the engine's call order.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { type Emulator, SEED_IDS, SEED_SECRETS, startEmulator } from "../../emulator";
import type { ConnectionDenyListArgs } from "../../provider";
import { MiniEngine, stackConfigFor } from "../support/engine/engine";
import { ProviderHost } from "../support/engine/host";
import { installedProject } from "../support/engine/install";
import { type Declared, runProgram } from "../support/engine/program";

const PROGRAM = path.join(__dirname, "fixtures", "program.ts");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("through the Pulumi dynamic-provider host (packed package)", function () {
    this.timeout(60_000);
    let project: string;
    let emulator: Emulator;
    let host: ProviderHost;
    let engine: MiniEngine;

    function declare(resources: { name: string; args: ConnectionDenyListArgs }[]): Declared[] {
        return runProgram(project, PROGRAM, { "auth0-deny-list:resources": resources }).resources;
    }
    const list = (id: string) => emulator.connection(id)?.options?.non_persistent_attrs;

    before(() => {
        project = installedProject();
    });
    beforeEach(async () => {
        emulator = await startEmulator();
        // Credentials reach the host only through Configure (stack config), never its environment.
        host = await ProviderHost.start(project, { AUTH0_DOMAIN: "", AUTH0_CLIENT_ID: "", AUTH0_CLIENT_SECRET: "" });
        engine = new MiniEngine(host, stackConfigFor(emulator));
    });
    afterEach(async () => {
        await host.stop();
        await emulator.stop();
    });

    it("serializes a small facade that requires the installed package, with no credential or data", () => {
        const [resource] = declare([{ name: "db", args: { connectionId: SEED_IDS.auth0, attributes: ["a"] } }]);
        assert.equal(resource.type, "pulumi-nodejs:dynamic/auth0:ConnectionDenyList");
        const provider = String(resource.inputs.__provider);
        assert.match(provider, /require\("pulumi-auth0-deny-list\/dist\/provider\/shared\.js"\)/);
        assert.ok(provider.length < 4000, `__provider is ${provider.length} bytes`);
        assert.ok(!provider.includes(emulator.clientSecret));
    });

    it("preview runs Check and Diff only and sends no request; up then creates; a second up sends nothing", async () => {
        // Independent resources reach the engine in no set order: put them back in declaration order.
        const declared = declare([
            {
                name: "db",
                args: { connectionName: "Username-Password-Authentication", attributes: ["birthdate", "gender"] },
            },
            { name: "oidc", args: { connectionId: SEED_IDS.oidc, attributes: ["https://acme.com/x"] } },
        ]).sort((a, b) => a.name.localeCompare(b.name));
        const preview = await engine.preview(declared);
        assert.deepEqual(
            preview.map((s) => [s.name, s.op, s.added]),
            [
                ["db", "create", ["birthdate", "gender"]],
                ["oidc", "create", ["https://acme.com/x"]],
            ],
        );
        assert.deepEqual(emulator.requests(), []);

        const up = await engine.up(declared);
        assert.deepEqual(
            up.map((s) => [s.name, s.op, s.error]),
            [
                ["db", "create", undefined],
                ["oidc", "create", undefined],
            ],
        );
        assert.deepEqual(list(SEED_IDS.auth0), ["ethnicity", "gender", "birthdate"]);
        const db = engine.state.get(declared[0].urn);
        assert.equal(db?.id, SEED_IDS.auth0);
        assert.deepEqual(db?.outputs.ownedAttributes, ["birthdate"]);

        emulator.clearRequests();
        const again = await engine.up(declared);
        assert.deepEqual(
            again.map((s) => s.op),
            ["same", "same"],
        );
        assert.deepEqual(emulator.requests(), [], "a no-op up sends no request");
    });

    it("update, refresh after an out-of-band change, and destroy restore exactly what was there", async () => {
        const before = emulator.connection(SEED_IDS.google);
        await engine.up(declare([{ name: "g", args: { connectionId: SEED_IDS.google, attributes: ["a", "b"] } }]));
        const changed = declare([{ name: "g", args: { connectionId: SEED_IDS.google, attributes: ["b", "c"] } }]);
        const preview = await engine.preview(changed);
        assert.deepEqual(
            preview.map((s) => [s.op, s.added, s.removed]),
            [["update", ["c"], ["a"]]],
        );
        emulator.clearRequests();
        await engine.up(changed);
        assert.equal(emulator.requests().filter((r) => r.path !== "/oauth/token").length, 2);
        assert.deepEqual(list(SEED_IDS.google), ["b", "c"]);

        emulator.update(SEED_IDS.google, (c) => {
            (c.options as Record<string, unknown>).non_persistent_attrs = ["b"];
        });
        const refresh = await engine.refresh();
        assert.deepEqual(
            refresh.map((s) => [s.op, s.removed]),
            [["refresh", ["c"]]],
        );
        const restore = await engine.up(changed);
        assert.deepEqual(
            restore.map((s) => [s.op, s.added]),
            [["update", ["c"]]],
        );
        assert.deepEqual(list(SEED_IDS.google), ["b", "c"]);

        await engine.destroy();
        assert.deepEqual(emulator.connection(SEED_IDS.google), {
            ...before,
            options: { ...before?.options, non_persistent_attrs: [] },
        });
        assert.equal(engine.state.size, 0);
    });

    it("moving to another connection deletes the old list before creating the new one", async () => {
        await engine.up(declare([{ name: "r", args: { connectionId: SEED_IDS.google, attributes: ["a"] } }]));
        emulator.clearRequests();
        const moved = declare([{ name: "r", args: { connectionId: SEED_IDS.waad, attributes: ["a"] } }]);
        const steps = await engine.up(moved);
        assert.deepEqual(
            steps.map((s) => s.op),
            ["replace"],
        );
        const patches = emulator
            .requests()
            .filter((r) => r.method === "PATCH")
            .map((r) => r.path);
        assert.deepEqual(patches, [`/api/v2/connections/${SEED_IDS.google}`, `/api/v2/connections/${SEED_IDS.waad}`]);
        assert.deepEqual(list(SEED_IDS.google), []);
        assert.deepEqual(list(SEED_IDS.waad), ["a"]);
    });

    it("unknown values in preview pass check and show as a possible change", async () => {
        const [declared] = declare([{ name: "u", args: { connectionId: SEED_IDS.google, attributes: ["a"] } }]);
        await engine.up([declared]);
        const state = engine.state.get(declared.urn);
        await host.configure({});
        const unknownInputs = { ...declared.inputs, attributes: ["a", UNKNOWN] };
        const checked = await host.check(declared.urn, state?.inputs ?? {}, unknownInputs);
        assert.deepEqual(checked.failures, []);
        const diff = await host.diff(declared.urn, state?.id ?? "", state?.outputs ?? {}, checked.inputs);
        assert.equal(diff.changes, "some");
        const retarget = await host.check(
            declared.urn,
            {},
            { ...declared.inputs, connectionId: UNKNOWN, attributes: UNKNOWN },
        );
        assert.deepEqual(retarget.failures, []);
        const replace = await host.diff(declared.urn, state?.id ?? "", state?.outputs ?? {}, retarget.inputs);
        assert.deepEqual(replace, { changes: "some", replaces: ["connectionId"], deleteBeforeReplace: true });
    });

    it("the program warns, attached to the resource, about email/name/nickname and about duplicates", () => {
        const { log } = runProgram(project, PROGRAM, {
            "auth0-deny-list:resources": [
                { name: "a", args: { connectionId: SEED_IDS.auth0, attributes: ["email", "nickname", "x"] } },
                { name: "b", args: { connectionId: SEED_IDS.auth0, attributes: ["x"] } },
                { name: "c", args: { connectionId: SEED_IDS.google, attributes: ["x"] } },
            ],
        });
        const warnings = log.filter((line) => line.startsWith("warning:"));
        assert.equal(warnings.length, 3, log.join("\n"));
        assert.ok(warnings.some((w) => /denying `email` stops Auth0 from mapping it to custom claims/.test(w)));
        assert.ok(warnings.some((w) => /denying `nickname` drops it from ID tokens/.test(w)));
        assert.ok(warnings.some((w) => /b and a both declare "x" on connection con_DbUsers000000001/.test(w)));
    });

    it("check failures stop the resource before any request", async () => {
        const steps = await engine.up(
            declare([{ name: "bad", args: { connectionId: SEED_IDS.google, attributes: ["user.name"] } }]),
        );
        assert.match(steps[0].error ?? "", /attributes: attributes\[0\] "user.name" is a nested path.*use "name"/);
        assert.deepEqual(emulator.requests(), []);
    });

    it("many resources on one connection in one deployment lose no update and share one GET+PATCH", async () => {
        const resources = Array.from({ length: 20 }, (_, i) => ({
            name: `r${i}`,
            args: { connectionId: SEED_IDS.oidc, attributes: [`attr_${i}`] },
        }));
        const steps = await engine.up(declare(resources));
        assert.ok(steps.every((s) => s.op === "create" && !s.error));
        const live = list(SEED_IDS.oidc) as string[];
        for (let i = 0; i < 20; i++) assert.ok(live.includes(`attr_${i}`), `attr_${i} lost`);
        assert.ok(live.includes("https://acme.com/temporary_idtoken"));
        const api = emulator.requests().filter((r) => r.path !== "/oauth/token");
        const patches = api.filter((r) => r.method === "PATCH").length;
        assert.ok(
            api.length <= 2 * patches && patches < 20,
            `${api.length} requests, ${patches} PATCHes for 20 resources`,
        );
    });

    it("a partial failure (PATCH applied, answer wrong) leaves state the next refresh and destroy can use", async () => {
        const declared = declare([{ name: "p", args: { connectionId: SEED_IDS.google, attributes: ["a"] } }]);
        emulator.injectFault({ kind: "stale", method: "PATCH" });
        const [step] = await engine.up(declared);
        assert.match(step.error ?? "", /does not hold the deny list sent/);
        const recorded = engine.state.get(declared[0].urn);
        assert.equal(recorded?.id, SEED_IDS.google);
        assert.deepEqual(recorded?.outputs.ownedAttributes, ["a"]);
        assert.equal(typeof recorded?.outputs.__provider, "string");
        const [refreshed] = await engine.refresh();
        assert.deepEqual(refreshed.added, ["a"], "refresh reports what Auth0 really stored");
        await engine.destroy();
        assert.deepEqual(list(SEED_IDS.google), []);
        assert.equal(engine.state.size, 0);
    });

    it("the repository's root project (Pulumi.yaml → examples/per-environment) runs in place", async () => {
        // As `pulumi up` from the repository root would: program and host resolve the package
        // through the repository's own node_modules link, not through an installed copy.
        const root = path.resolve(__dirname, "..", "..");
        const program = path.join(root, "examples", "per-environment", "index.ts");
        const config = {
            "auth0-deny-list:denyLists": { "acme-oidc": ["birthdate"] },
            "auth0-deny-list:denyEverywhere": ["ethnicity"],
        };
        const { resources } = runProgram(root, program, config, { inPlace: true });
        const rootHost = await ProviderHost.start(root, { AUTH0_DOMAIN: "" });
        try {
            const rootEngine = new MiniEngine(rootHost, stackConfigFor(emulator));
            const steps = await rootEngine.up(resources);
            assert.deepEqual(
                steps.map((s) => [s.name, s.op, s.error]),
                [["deny-acme-oidc", "create", undefined]],
            );
            assert.deepEqual(list(SEED_IDS.oidc), ["https://acme.com/temporary_idtoken", "birthdate", "ethnicity"]);
        } finally {
            await rootHost.stop();
        }
    });

    it("nothing secret reaches state, __provider or anything the host printed", async () => {
        const declared = declare([
            { name: "saml", args: { connectionId: SEED_IDS.samlp, attributes: ["a"] } },
            { name: "google", args: { connectionName: "google-oauth2", attributes: ["b"] } },
        ]);
        await engine.up(declared);
        await engine.refresh();
        const everything = JSON.stringify([...engine.state.values()]) + host.output().join("\n");
        const secrets = [...SEED_SECRETS, emulator.clientSecret, ...emulator.issuedTokens()];
        for (const secret of secrets) assert.ok(!everything.includes(secret), `leaked ${secret.slice(0, 12)}…`);
        assert.ok(!everything.includes("client_secret") && !everything.includes("signing_key"));
        assert.match(host.output().join("\n"), /samlp connection with Debug Mode on/);
    });
});
