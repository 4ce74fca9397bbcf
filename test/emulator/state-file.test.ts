import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { builtInSeed, SEED_IDS } from "../../emulator/seed";
import { accessToken, request } from "./helpers";

describe("emulator stateFile", () => {
    let dir: string;
    let stateFile: string;
    const running: Emulator[] = [];
    const start = async (seed = builtInSeed()) => {
        const emulator = await startEmulator({ stateFile, seed });
        running.push(emulator);
        return emulator;
    };

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "emulator-state-"));
        stateFile = join(dir, "nested", "state.json");
    });
    afterEach(async () => {
        await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
        rmSync(dir, { recursive: true, force: true });
    });

    it("keeps PATCH, POST, DELETE and out-of-band changes across a restart", async () => {
        const first = await start();
        const token = await accessToken(first);
        const denyList = { options: { non_persistent_attrs: ["gender"] } };
        await request(first, "PATCH", `/api/v2/connections/${SEED_IDS.auth0}`, { token, body: denyList });
        const created = await request(first, "POST", "/api/v2/connections", {
            token,
            body: { name: "partners-db", strategy: "auth0" },
        });
        await request(first, "DELETE", `/api/v2/connections/${SEED_IDS.google}`, { token });
        first.update(SEED_IDS.oidc, (c) => {
            c.display_name = "Changed elsewhere";
        });
        const before = first.connections();
        await first.stop();

        // The state file wins over the seed.
        const second = await start([]);
        assert.deepEqual(second.connections(), before);
        assert.deepEqual(second.connection(SEED_IDS.auth0)?.options?.non_persistent_attrs, ["gender"]);
        assert.equal(second.connection((created.json as { id: string }).id)?.name, "partners-db");
        assert.equal(second.connection(SEED_IDS.google), undefined);
    });

    it("writes whole JSON files through a temporary file, leaving nothing else behind", async () => {
        const emulator = await start();
        const token = await accessToken(emulator);
        for (const name of ["a", "b", "c"]) {
            const path = `/api/v2/connections/${SEED_IDS.samlp}`;
            await request(emulator, "PATCH", path, { token, body: { display_name: name } });
            const saved = JSON.parse(readFileSync(stateFile, "utf8"));
            assert.equal(saved.connections.length, 5);
            assert.equal(saved.connections[2].display_name, name);
        }
        assert.deepEqual(readdirSync(join(dir, "nested")), ["state.json"]);
    });

    it("starts from the seed without writing while nothing changes", async () => {
        const emulator = await start();
        assert.deepEqual(emulator.connections(), builtInSeed());
        assert.deepEqual(readdirSync(join(dir, "nested")), []);
    });

    it("refuses a file that is not a state file", async () => {
        for (const content of [JSON.stringify({ connections: [{ id: 1 }] }), "{", "null"]) {
            writeFileSync(join(dir, "bad.json"), content);
            await assert.rejects(startEmulator({ stateFile: join(dir, "bad.json") }), /not an emulator state file/);
        }
    });
});
