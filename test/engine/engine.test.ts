/**
 * Engine-level tests: the packed package, installed into a fresh project, driven through
 * @pulumi/pulumi's dynamic-provider host over gRPC in the engine's call order.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS, SEED_SECRETS } from "../../emulator/seed";
import { stackConfigFor } from "../../harness/credentials";
import { MiniEngine } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { installedProject } from "../../harness/install";
import { CONFIG_PROGRAM, type Declared, runProgram } from "../../harness/program";
import type { ConnectionDenyListArgs } from "../../provider";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("through the Pulumi dynamic-provider host (packed package)", function () {
    this.timeout(60_000);
    let project: string;
    let emulator: Emulator;
    let host: ProviderHost;
    let engine: MiniEngine;

    function declare(resources: { name: string; args: ConnectionDenyListArgs }[]): Declared[] {
        return runProgram(project, CONFIG_PROGRAM, { "auth0-deny-list:resources": resources }).resources;
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
        // The program process holds the secret, as a real one does: in stack config and in its environment.
        const secretEnv = { AUTH0_CLIENT_SECRET: emulator.clientSecret, AUTH0_API_TOKEN: "FAKE-api-token-in-env" };
        const saved = { ...process.env };
        Object.assign(process.env, secretEnv);
        let resource: Declared;
        try {
            [resource] = runProgram(project, CONFIG_PROGRAM, {
                ...stackConfigFor(emulator),
                "auth0:apiToken": "FAKE-api-token-in-config",
                "auth0-deny-list:resources": [
                    { name: "db", args: { connectionId: SEED_IDS.auth0, attributes: ["a"] } },
                ],
            }).resources;
        } finally {
            for (const key of Object.keys(secretEnv)) {
                if (saved[key] === undefined) delete process.env[key];
                else process.env[key] = saved[key];
            }
        }
        assert.equal(resource.type, "pulumi-nodejs:dynamic/auth0:ConnectionDenyList");
        const provider = String(resource.inputs.__provider);
        assert.match(provider, /require\("pulumi-auth0-deny-list\/dist\/provider\/shared\.js"\)/);
        assert.ok(provider.length < 4000, `__provider is ${provider.length} bytes`);
        for (const secret of [emulator.clientSecret, "FAKE-api-token-in-env", "FAKE-api-token-in-config"]) {
            assert.ok(!provider.includes(secret), `__provider holds ${secret.slice(0, 8)}…`);
        }
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
        const { log } = runProgram(project, CONFIG_PROGRAM, {
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

    it("a rename without aliases (new created, old deleted in one up) leaves the entry on the list", async () => {
        await engine.up(declare([{ name: "old", args: { connectionId: SEED_IDS.google, attributes: ["x"] } }]));
        assert.deepEqual(list(SEED_IDS.google), ["x"]);
        const steps = await engine.up(
            declare([{ name: "renamed", args: { connectionId: SEED_IDS.google, attributes: ["x"] } }]),
        );
        assert.deepEqual(
            steps.map((s) => [s.name, s.op, s.error]),
            [
                ["renamed", "create", undefined],
                ["old", "delete", undefined],
            ],
        );
        assert.deepEqual(list(SEED_IDS.google), ["x"], "state says the renamed resource declares it");
        const preview = await engine.preview(
            declare([{ name: "renamed", args: { connectionId: SEED_IDS.google, attributes: ["x"] } }]),
        );
        assert.deepEqual(
            preview.map((s) => s.op),
            ["same"],
        );
    });

    it("an attribute moved from one resource to another in one up stays on the list", async () => {
        await engine.up(declare([{ name: "a", args: { connectionId: SEED_IDS.google, attributes: ["x", "y"] } }]));
        const steps = await engine.up(
            declare([
                { name: "a", args: { connectionId: SEED_IDS.google, attributes: ["y"] } },
                { name: "b", args: { connectionId: SEED_IDS.google, attributes: ["x"] } },
            ]),
        );
        assert.deepEqual(
            steps.map((s) => [s.name, s.op, s.error]),
            [
                ["a", "update", undefined],
                ["b", "create", undefined],
            ],
        );
        assert.deepEqual([...((list(SEED_IDS.google) as string[]) ?? [])].sort(), ["x", "y"]);
    });

    it("the program warns about a root field in the wrong case, an empty exclusive list, and duplicates by name", () => {
        const { log } = runProgram(project, CONFIG_PROGRAM, {
            "auth0-deny-list:resources": [
                { name: "cased", args: { connectionId: SEED_IDS.google, attributes: ["Email", "Given_Name", "x"] } },
                { name: "empty", args: { connectionId: SEED_IDS.oidc, attributes: [], exclusive: true } },
                { name: "a", args: { connectionName: "Username-Password-Authentication", attributes: ["x"] } },
                { name: "b", args: { connectionName: "Username-Password-Authentication", attributes: ["x"] } },
            ],
        });
        const warnings = log.filter((line) => line.startsWith("warning:"));
        assert.equal(warnings.length, 4, log.join("\n"));
        assert.ok(warnings.some((w) => /"Email" is not the profile field "email".*Write "email"/.test(w)));
        assert.ok(warnings.some((w) => /"Given_Name" is not the profile field "given_name"/.test(w)));
        assert.ok(
            warnings.some((w) => /exclusive is true and attributes is empty: `pulumi up` removes every entry/.test(w)),
        );
        assert.ok(
            warnings.some((w) => /b and a both declare "x" on connection "Username-Password-Authentication";/.test(w)),
            warnings.join("\n"),
        );
    });

    it("the program fails, naming both resources, when an exclusive resource shares a connection with another", () => {
        for (const [first, second] of [
            [true, false],
            [false, true],
        ]) {
            assert.throws(
                () =>
                    runProgram(project, CONFIG_PROGRAM, {
                        "auth0-deny-list:resources": [
                            {
                                name: "owner",
                                args: { connectionId: SEED_IDS.auth0, attributes: ["a"], exclusive: first },
                            },
                            {
                                name: "other",
                                args: { connectionId: SEED_IDS.auth0, attributes: ["b"], exclusive: second },
                            },
                            {
                                name: "elsewhere",
                                args: { connectionId: SEED_IDS.google, attributes: ["b"], exclusive: true },
                            },
                        ],
                    }),
                (error: Error) =>
                    /ConnectionDenyList resources "owner" and "other" both target connection con_DbUsers000000001, and "(owner|other)" is exclusive/.test(
                        error.message,
                    ),
            );
        }
        // Two merge-mode resources on one connection, or exclusive ones on different connections, are fine.
        const { resources } = runProgram(project, CONFIG_PROGRAM, {
            "auth0-deny-list:resources": [
                { name: "one", args: { connectionId: SEED_IDS.auth0, attributes: ["a"] } },
                { name: "two", args: { connectionId: SEED_IDS.auth0, attributes: ["b"] } },
                { name: "three", args: { connectionId: SEED_IDS.google, attributes: ["b"], exclusive: true } },
            ],
        });
        assert.equal(resources.length, 3);
    });

    it("check failures stop the resource before any request", async () => {
        const steps = await engine.up(
            declare([{ name: "bad", args: { connectionId: SEED_IDS.google, attributes: ["user.name"] } }]),
        );
        assert.match(steps[0].error ?? "", /attributes: attributes\[0\] "user.name" is a nested path.*use "name"/);
        assert.deepEqual(emulator.requests(), []);
    });

    it("many resources on one connection in one deployment lose no update and share a GET+PATCH (one batch, two at most)", async () => {
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
        // Each batch is exactly one GET and one PATCH; the engine's 20 creates arrive close enough
        // together to form one batch (measured: always one here), two at most on a slow machine.
        const methods = api.map((r) => r.method);
        assert.ok(patches <= 2, `${patches} PATCHes for 20 resources: ${methods.join(",")}`);
        assert.deepEqual(methods, Array.from({ length: patches }, () => ["GET", "PATCH"]).flat());
    });

    it("a partial failure (PATCH applied, answer lost, re-read fails) leaves state the next refresh and destroy can use", async () => {
        const declared = declare([{ name: "p", args: { connectionId: SEED_IDS.google, attributes: ["a"] } }]);
        emulator.injectFault({ kind: "lost", method: "PATCH" });
        // The first GET passes (a 1 ms delay uses up that rule); the re-read after the lost answer gets garbage.
        emulator.injectFault({ kind: "slow", slowMs: 1, method: "GET" });
        emulator.injectFault({ kind: "nonjson", method: "GET" });
        const [step] = await engine.up(declared);
        assert.match(step.error ?? "", /unexpected body \(not JSON\)/);
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
