/**
 * examples/with-auth0-provider: an `auth0.Connection` (real @pulumi/auth0, under Pulumi's runtime
 * mocks) and a `ConnectionDenyList` on it whose `triggers` come from the Connection's outputs.
 * Under mocks: the wiring the engine orders by. Through the dynamic-provider host: the
 * Connection's update (played over HTTP, as the bridged provider sends it) wipes the list
 * between two ups, and the second up, its triggers changed, restores it and changes nothing else.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { stackConfigFor } from "../../harness/credentials";
import { MiniEngine } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { type Declared, runProgram } from "../../harness/program";
import { listOn, optionsWithoutDenyList } from "../support/connection";
import { bridgedUpdate } from "../support/other-writer";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "examples", "with-auth0-provider", "index.ts");
const CONNECTION_TYPE = "auth0:index/connection:Connection";
const DENY_LIST_TYPE = "pulumi-nodejs:dynamic/auth0:ConnectionDenyList";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const runs = new Map<string, { connection: Declared; denyList: Declared }>();

/**
 * Runs the example in place (it resolves @pulumi/auth0 and the package from the repository).
 * The program is deterministic: each configuration runs once, in the program process the tests
 * share, unless `shared` is false (a new process, and a new run).
 */
function runExample(passwordPolicy?: string, { shared = true } = {}): { connection: Declared; denyList: Declared } {
    const key = passwordPolicy ?? "";
    const cached = runs.get(key);
    if (cached && shared) return cached;
    const config = passwordPolicy === undefined ? {} : { "auth0-deny-list:passwordPolicy": passwordPolicy };
    // The mock gives the Connection the id of a seeded emulator connection, as Auth0 would give it one.
    const { resources } = runProgram(ROOT, PROGRAM, config, {
        inPlace: true,
        ids: { members: SEED_IDS.auth0 },
        shared,
    });
    const connection = resources.find((resource) => resource.type === CONNECTION_TYPE);
    const denyList = resources.find((resource) => resource.type === DENY_LIST_TYPE);
    assert.ok(connection && denyList, `registered: ${resources.map((resource) => resource.type).join(", ")}`);
    runs.set(key, { connection, denyList });
    return { connection, denyList };
}

describe("examples/with-auth0-provider", function () {
    this.timeout(60_000);

    describe("under Pulumi's runtime mocks", () => {
        it("the deny list depends on the Connection through connectionId and triggers", () => {
            const { connection, denyList } = runExample();
            assert.equal(denyList.inputs.connectionId, SEED_IDS.auth0);
            assert.deepEqual(denyList.propertyDependencies.connectionId, [connection.urn]);
            assert.deepEqual(denyList.propertyDependencies.triggers, [connection.urn]);
            // The Connection leaves the list to the ConnectionDenyList (else the two would fight over it).
            const options = connection.inputs.options as Record<string, unknown>;
            assert.equal("nonPersistentAttrs" in options, false);
        });

        it("triggers hold a digest of the Connection's outputs: stable for the same Connection, new when it changes", () => {
            const first = runExample().denyList.inputs.triggers as unknown[];
            assert.equal(first.length, 1);
            assert.match(String(first[0]), /^[0-9a-f]{64}$/, "a digest, not the options themselves");
            // A process of its own, to show the digest does not depend on the run.
            assert.deepEqual(runExample(undefined, { shared: false }).denyList.inputs.triggers, first);
            const changed = runExample("excellent");
            assert.equal((changed.connection.inputs.options as Record<string, unknown>).passwordPolicy, "excellent");
            assert.notDeepEqual(changed.denyList.inputs.triggers, first);
        });
    });

    describe("through the dynamic-provider host", () => {
        let emulator: Emulator;
        let host: ProviderHost;
        let engine: MiniEngine;
        const id = SEED_IDS.auth0;
        const apiCalls = () =>
            emulator
                .requests()
                .filter((request) => request.path !== "/oauth/token")
                .map((request) => `${request.method} ${request.path}`);

        beforeEach(async () => {
            emulator = await startEmulator();
            host = await ProviderHost.start(ROOT, { AUTH0_DOMAIN: "" });
            engine = new MiniEngine(host, stackConfigFor(emulator));
        });
        afterEach(async () => {
            await host.stop();
            await emulator.stop();
        });

        it("the Connection's update wipes the list; the next up, its triggers changed, restores only the list", async () => {
            const first = await engine.up([runExample().denyList]);
            assert.deepEqual(
                first.map((step) => [step.op, step.error]),
                [["create", undefined]],
            );
            assert.deepEqual(listOn(emulator, id), ["ethnicity", "gender", "birthdate"]);
            const owned = () => engine.state.get(runExample().denyList.urn)?.outputs.ownedAttributes;
            assert.deepEqual(owned(), ["birthdate"], "gender was already there: adopted");

            // The program changes the Connection; @pulumi/auth0 sends its options without the list.
            const wiped = await bridgedUpdate(emulator, id, { passwordPolicy: "excellent" });
            assert.equal(wiped.options?.non_persistent_attrs, undefined);
            const { denyList } = runExample("excellent");

            emulator.clearRequests();
            const preview = await engine.preview([denyList]);
            assert.deepEqual(
                preview.map((step) => step.op),
                ["update"],
            );
            assert.deepEqual(emulator.requests(), [], "preview stays offline");

            const second = await engine.up([denyList]);
            assert.deepEqual(
                second.map((step) => [step.op, step.error]),
                [["update", undefined]],
            );
            assert.deepEqual(apiCalls(), [`GET /api/v2/connections/${id}`, `PATCH /api/v2/connections/${id}`]);
            // Entries the resource declares come back; one nobody declares (ethnicity) stays gone.
            assert.deepEqual(listOn(emulator, id), ["birthdate", "gender"]);
            const after = emulator.connection(id);
            assert.equal(optionsWithoutDenyList(after), optionsWithoutDenyList(wiped), "another option changed");
            const { options: _a, ...restAfter } = after ?? {};
            const { options: _b, ...restWiped } = wiped;
            assert.deepEqual(restAfter, restWiped, "a top-level field changed");
            // Everything it wrote back is now its own: a later delete removes it.
            assert.deepEqual(owned(), ["birthdate", "gender"]);

            emulator.clearRequests();
            const third = await engine.up([denyList]);
            assert.deepEqual(
                third.map((step) => step.op),
                ["same"],
            );
            assert.deepEqual(emulator.requests(), [], "unchanged triggers: no change, no request");
        });

        it("new triggers with the list intact: an update that sends one GET and no PATCH", async () => {
            await engine.up([runExample().denyList]);
            const before = emulator.connection(id);
            // The Connection changed in a way that kept the list (say, a provider that sends it back).
            const { denyList } = runExample("fair");
            emulator.clearRequests();
            const steps = await engine.up([denyList]);
            assert.deepEqual(
                steps.map((step) => [step.op, step.error]),
                [["update", undefined]],
            );
            assert.deepEqual(apiCalls(), [`GET /api/v2/connections/${id}`]);
            assert.deepEqual(emulator.connection(id), before);
            assert.deepEqual(engine.state.get(denyList.urn)?.outputs.triggers, denyList.inputs.triggers);
        });

        it("triggers not known in preview pass check and show as a possible update, never a replace", async () => {
            const { denyList } = runExample();
            await engine.up([denyList]);
            const state = engine.state.get(denyList.urn);
            assert.ok(state);
            emulator.clearRequests();
            for (const triggers of [UNKNOWN, [UNKNOWN]]) {
                const checked = await host.check(denyList.urn, state.inputs, { ...denyList.inputs, triggers });
                assert.deepEqual(checked.failures, []);
                const diff = await host.diff(denyList.urn, state.id, state.outputs, checked.inputs);
                assert.deepEqual(diff, { changes: "some", replaces: [], deleteBeforeReplace: false });
            }
            const bad = await host.check(denyList.urn, state.inputs, { ...denyList.inputs, triggers: "v2" });
            assert.deepEqual(
                bad.failures.map((failure) => failure.property),
                ["triggers"],
            );
            assert.deepEqual(emulator.requests(), []);
        });
    });
});
