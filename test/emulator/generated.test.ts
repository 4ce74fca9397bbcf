/** Tenants of realistic size: the `generated` seed option and `addConnections` on a running emulator. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Connection, startEmulator } from "../../emulator";
import { builtInSeed, SEED_SECRETS } from "../../emulator/seed";
import { accessToken, record, request, useEmulator } from "./helpers";

const template = (strategy: string) => builtInSeed().find((c) => c.strategy === strategy) as Connection;

/** What must hold for every made-up connection, whatever its strategy. */
function assertRealistic(connection: Connection): void {
    const model = template(connection.strategy);
    assert.match(connection.id, /^con_[A-Za-z0-9]{16}$/);
    assert.deepEqual(connection.realms, [connection.name]);
    assert.deepEqual(
        Object.keys(connection).sort(),
        Object.keys(model).sort(),
        `${connection.name}: the top-level keys of the seed's ${connection.strategy} connection`,
    );
    const options = connection.options as Record<string, unknown>;
    assert.deepEqual(Object.keys(options).sort(), Object.keys(model.options ?? {}).sort(), connection.name);
    for (const key of ["client_secret", "signing_key", "decryptionKey", "configuration"]) {
        assert.deepEqual(options[key], model.options?.[key], `${connection.name}: ${key} is the seed's FAKE one`);
    }
    if ("domain_aliases" in options) assert.deepEqual(options.domain_aliases, [`${connection.name}.example`]);
}

describe("emulator generated connections", () => {
    describe("the generated seed option", () => {
        const emulator = useEmulator(() => ({ generated: { count: 1000, strategies: ["samlp", "oidc", "waad"] } }));

        it("adds that many connections after the seed, strategies in turn, with realistic shapes", () => {
            const all = emulator().connections();
            assert.equal(all.length, 1005);
            assert.deepEqual(all.slice(0, 5), builtInSeed());
            const generated = all.slice(5);
            assert.deepEqual(
                generated.slice(0, 4).map((c) => c.name),
                ["customer-samlp-1", "customer-oidc-2", "customer-waad-3", "customer-samlp-4"],
            );
            assert.equal(new Set(all.map((c) => c.id)).size, 1005);
            assert.equal(new Set(all.map((c) => c.name.toLowerCase())).size, 1005);
            for (const connection of generated) assertRealistic(connection);
            const secrets = generated.flatMap((c) => {
                const options = c.options as Record<string, { key?: string } | string>;
                return [options.client_secret, (options.signing_key as { key?: string } | undefined)?.key];
            });
            assert.ok(secrets.every((secret) => secret === undefined || SEED_SECRETS.includes(secret as string)));
        });

        it("serves them through both paging styles", async () => {
            const token = await accessToken(emulator());
            const totals = record(
                await request(emulator(), "GET", "/api/v2/connections?include_totals=true&strategy=waad", { token }),
            );
            assert.equal(totals.total, 334);
            let pages = 0;
            let seen = 0;
            let from = "";
            do {
                const path = `/api/v2/connections?take=100${from ? `&from=${from}` : ""}`;
                const body = record(await request(emulator(), "GET", path, { token }));
                seen += (body.connections as Connection[]).length;
                from = (body.next as string | undefined) ?? "";
                pages++;
            } while (from);
            assert.deepEqual([pages, seen], [11, 1005]);
        });
    });

    describe("addConnections", () => {
        const emulator = useEmulator();

        it("appends made-up connections to a running tenant and returns copies of them", () => {
            const added = emulator().addConnections({ count: 7 });
            assert.deepEqual(
                added.map((c) => c.strategy),
                ["auth0", "google-oauth2", "samlp", "waad", "oidc", "auth0", "google-oauth2"],
            );
            for (const connection of added) assertRealistic(connection);
            added[0].name = "changed by the caller";
            assert.deepEqual(
                emulator()
                    .connections()
                    .slice(5)
                    .map((c) => c.name),
                [
                    "customer-auth0-1",
                    "customer-google-oauth2-2",
                    "customer-samlp-3",
                    "customer-waad-4",
                    "customer-oidc-5",
                    "customer-auth0-6",
                    "customer-google-oauth2-7",
                ],
            );
        });

        it("never reuses a name, also across calls and prefixes in any case", () => {
            emulator().addConnections({ count: 2, strategies: ["oidc"], namePrefix: "Acme" });
            const again = emulator().addConnections({ count: 2, strategies: ["oidc"], namePrefix: "acme" });
            assert.deepEqual(
                again.map((c) => c.name),
                ["acme-oidc-3", "acme-oidc-4"],
            );
        });

        it("refuses a strategy without a seed shape and a count that is not a whole number", () => {
            assert.throws(() => emulator().addConnections({ count: 1, strategies: ["okta"] }), /unknown: okta/);
            assert.throws(() => emulator().addConnections({ count: 1, strategies: [] }), /strategies must be/);
            assert.throws(() => emulator().addConnections({ count: -1 }), /count must be a whole number/);
            assert.throws(() => emulator().addConnections({ count: 1.5 }), /count must be a whole number/);
            assert.equal(emulator().connections().length, 5);
        });
    });

    it("makes nothing up over an existing state file", async () => {
        const dir = mkdtempSync(join(tmpdir(), "emulator-generated-"));
        const stateFile = join(dir, "state.json");
        try {
            const first = await startEmulator({ stateFile, generated: { count: 20 } });
            first.addConnections({ count: 5 });
            await first.stop();
            const second = await startEmulator({ stateFile, generated: { count: 20 } });
            assert.equal(second.connections().length, 30);
            await second.stop();
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
