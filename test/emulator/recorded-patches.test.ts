/**
 * Replays Auth0's recorded PATCH exchanges (test/fixtures/auth0-recorded-patches.json) against the
 * emulator: seeded with the connection as Auth0 had it, sent the same body, it must answer as
 * Auth0 did in everything the provider relies on.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type Connection, startEmulator } from "../../emulator";
import { authorized, record } from "./helpers";

const connection = z.looseObject({ id: z.string(), name: z.string(), strategy: z.string() });

/** One recorded exchange: the connection before, the PATCH body and Auth0's answer. */
const recordedCase = z.object({
    before: connection,
    patch: z.record(z.string(), z.unknown()),
    after: connection,
    source: z.string(),
});

const FIXTURE = join(__dirname, "..", "fixtures", "auth0-recorded-patches.json");
const cases = z.object({ cases: z.array(recordedCase) }).parse(JSON.parse(readFileSync(FIXTURE, "utf8"))).cases;

type Json = Record<string, unknown>;

const optionsOf = (value: Json): Json => (value.options ?? {}) as Json;

describe("emulator replays Auth0's recorded PATCHes", () => {
    it("has all 22 recorded cases to replay", () => {
        // A truncated fixture would otherwise pass with fewer checks.
        assert.equal(cases.length, 22);
    });

    for (const [index, { before, patch, after, source }] of cases.entries()) {
        const cassette = source.split("/").pop();
        it(`case ${index + 1}: ${before.strategy} (${cassette})`, async () => {
            const emulator = await startEmulator({ seed: [before as Connection] });
            try {
                const response = await authorized(emulator, "PATCH", `/api/v2/connections/${before.id}`, {
                    body: patch,
                });
                assert.equal(response.status, 200, response.text);
                const answer = record(response);
                assert.equal(answer.name, before.name);
                assert.equal(answer.strategy, before.strategy);
                assert.equal(answer.display_name, after.display_name, "display_name");
                for (const key of Object.keys(patch).filter((k) => k !== "options")) {
                    assert.deepEqual(answer[key], after[key], key);
                }
                const sent = optionsOf(patch);
                const answered = optionsOf(answer);
                const recorded = optionsOf(after);
                assert.deepEqual(answered.non_persistent_attrs, recorded.non_persistent_attrs, "non_persistent_attrs");
                for (const key of Object.keys(answered).filter((k) => !Object.hasOwn(sent, k))) {
                    // A key the emulator kept or added on its own must be one Auth0 kept or added, as Auth0 had it.
                    assert.ok(Object.hasOwn(recorded, key), `options.${key} survived but Auth0 dropped it`);
                    assert.deepEqual(answered[key], recorded[key], `options.${key}`);
                }
                assert.deepEqual(emulator.connection(before.id), answer, "stored as answered");
            } finally {
                await emulator.stop();
            }
        });
    }
});
