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
import { runProgram } from "../../harness/program";
import { listOn } from "../support/connection";
import { registered } from "../support/stack";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("through the Pulumi dynamic-provider host (packed package)", function () {
    this.timeout(60_000);
    let project: string;
    let emulator: Emulator;
    let host: ProviderHost;
    let engine: MiniEngine;

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

    it("preview runs Check and Diff only and sends no request; up then creates; a second up sends nothing", async () => {
        // Independent resources reach the engine in no set order: put them back in declaration order.
        const declared = registered(project, {
            db: { connectionName: "Username-Password-Authentication", attributes: ["birthdate", "gender"] },
            oidc: { connectionId: SEED_IDS.oidc, attributes: ["https://acme.com/x"] },
        }).sort((a, b) => a.name.localeCompare(b.name));
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
        assert.deepEqual(listOn(emulator, SEED_IDS.auth0), ["ethnicity", "gender", "birthdate"]);
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

    it("an update sends one GET and one PATCH, and destroy restores exactly what was there", async () => {
        const before = emulator.connection(SEED_IDS.google);
        await engine.up(registered(project, { g: { connectionId: SEED_IDS.google, attributes: ["a", "b"] } }));
        const changed = registered(project, { g: { connectionId: SEED_IDS.google, attributes: ["b", "c"] } });
        const preview = await engine.preview(changed);
        assert.deepEqual(
            preview.map((s) => [s.op, s.added, s.removed]),
            [["update", ["c"], ["a"]]],
        );
        emulator.clearRequests();
        await engine.up(changed);
        assert.equal(emulator.requests().filter((r) => r.path !== "/oauth/token").length, 2);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["b", "c"]);

        await engine.destroy();
        assert.deepEqual(emulator.connection(SEED_IDS.google), {
            ...before,
            options: { ...before?.options, non_persistent_attrs: [] },
        });
        assert.equal(engine.state.size, 0);
    });

    it("moving to another connection deletes the old list before creating the new one", async () => {
        await engine.up(registered(project, { r: { connectionId: SEED_IDS.google, attributes: ["a"] } }));
        emulator.clearRequests();
        const moved = registered(project, { r: { connectionId: SEED_IDS.waad, attributes: ["a"] } });
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
        assert.deepEqual(listOn(emulator, SEED_IDS.google), []);
        assert.deepEqual(listOn(emulator, SEED_IDS.waad), ["a"]);
    });

    it("unknown values in preview pass check and show as a possible change", async () => {
        const [declared] = registered(project, { u: { connectionId: SEED_IDS.google, attributes: ["a"] } });
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

    it("check failures stop the resource before any request", async () => {
        const steps = await engine.up(
            registered(project, { bad: { connectionId: SEED_IDS.google, attributes: ["user.name"] } }),
        );
        assert.match(steps[0].error ?? "", /attributes: attributes\[0\] "user.name" is a nested path.*use "name"/);
        assert.deepEqual(emulator.requests(), []);
    });

    it("many resources on one connection in one deployment lose no update and share GET+PATCH batches", async () => {
        const resources = Object.fromEntries(
            Array.from({ length: 20 }, (_, i) => [`r${i}`, { connectionId: SEED_IDS.oidc, attributes: [`attr_${i}`] }]),
        );
        const steps = await engine.up(registered(project, resources));
        assert.ok(steps.every((s) => s.op === "create" && !s.error));
        const live = listOn(emulator, SEED_IDS.oidc);
        for (let i = 0; i < 20; i++) assert.ok(live.includes(`attr_${i}`), `attr_${i} lost`);
        assert.ok(live.includes("https://acme.com/temporary_idtoken"));
        const api = emulator.requests().filter((r) => r.path !== "/oauth/token");
        const patches = api.filter((r) => r.method === "PATCH").length;
        // Each batch is exactly one GET and one PATCH. How many batches the creates form depends on
        // how spread out they reach the host (one on an idle machine; bench/ counts it); that
        // operations arriving together share one is the writer's unit tests' to show exactly.
        const methods = api.map((r) => r.method);
        assert.ok(patches < 20, `${patches} PATCHes for 20 resources: ${methods.join(",")}`);
        assert.deepEqual(methods, Array.from({ length: patches }, () => ["GET", "PATCH"]).flat());
    });

    it("a partial failure (PATCH applied, answer lost, re-read fails) leaves state the next refresh and destroy can use", async () => {
        const declared = registered(project, { p: { connectionId: SEED_IDS.google, attributes: ["a"] } });
        emulator.injectFault({ kind: "lost", method: "PATCH" });
        // The first GET passes (a 1 ms delay uses up that rule); the re-read after the lost answer gets garbage.
        emulator.injectFault({ kind: "slow", slowMs: 1, method: "GET" });
        emulator.injectFault({ kind: "nonjson", method: "GET" });
        const [step] = await engine.up(declared);
        assert.match(step.error ?? "", /unexpected body \(not JSON\)/);
        assert.deepEqual(listOn(emulator, SEED_IDS.google), ["a"], "the PATCH whose answer was lost did land");
        const recorded = engine.state.get(declared[0].urn);
        assert.equal(recorded?.id, SEED_IDS.google);
        assert.deepEqual(recorded?.outputs.ownedAttributes, ["a"], "it owns what it tried to add");
        assert.equal(recorded?.outputs.__provider, declared[0].inputs.__provider, "later reads and deletes need it");
        const [refreshed] = await engine.refresh();
        assert.deepEqual(refreshed.added, ["a"], "refresh reports what Auth0 really stored");
        await engine.destroy();
        assert.deepEqual(listOn(emulator, SEED_IDS.google), []);
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
        const { resources } = runProgram(root, program, config, { inPlace: true, shared: true });
        const rootHost = await ProviderHost.start(root, { AUTH0_DOMAIN: "" });
        try {
            const rootEngine = new MiniEngine(rootHost, stackConfigFor(emulator));
            const steps = await rootEngine.up(resources);
            assert.deepEqual(
                steps.map((s) => [s.name, s.op, s.error]),
                [["deny-acme-oidc", "create", undefined]],
            );
            assert.deepEqual(listOn(emulator, SEED_IDS.oidc), [
                "https://acme.com/temporary_idtoken",
                "birthdate",
                "ethnicity",
            ]);
        } finally {
            await rootHost.stop();
        }
    });

    it("nothing secret reaches state, __provider or anything the host printed", async () => {
        const declared = registered(project, {
            saml: { connectionId: SEED_IDS.samlp, attributes: ["a"] },
            google: { connectionName: "google-oauth2", attributes: ["b"] },
        });
        await engine.up(declared);
        await engine.refresh();
        const everything = JSON.stringify([...engine.state.values()]) + host.output().join("\n");
        const secrets = [...SEED_SECRETS, emulator.clientSecret, ...emulator.issuedTokens()];
        for (const secret of secrets) assert.ok(!everything.includes(secret), `leaked ${secret.slice(0, 12)}…`);
        assert.ok(!everything.includes("client_secret") && !everything.includes("signing_key"));
        assert.match(host.output().join("\n"), /samlp connection with Debug Mode on/);
    });
});
