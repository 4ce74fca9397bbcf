/**
 * The whole operation is bounded (DESIGN §4: 2 minutes), a token renewal inside it included
 * (issue 23 i): a renewal late in an operation must not start a 2-minute deadline of its own.
 * Over real HTTP against the emulator, on fake time shared by both.
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { DEFAULT_RETRY } from "../../provider/auth0/retry";
import { type FakeTime, fakeTime } from "../support/fake-time";
import { startTenant, type Tenant } from "../support/tenant";

describe("the operation's time bound", () => {
    let tenant: Tenant;
    let time: FakeTime;
    afterEach(() => tenant?.emulator.stop());

    it("covers a token renewal late in the operation: a token endpoint failing then ends it at the bound", async () => {
        time = fakeTime();
        tenant = await startTenant({ clock: time.emulator() }, { client: { ...time.client, random: () => 0.5 } });
        // The operation's first token, before the faults.
        await time.run(tenant.provider.read(SEED_IDS.google, { connectionId: SEED_IDS.google }));
        const started = time.elapsed();
        // 100 s of waiting at the rate limit, then the token is refused and the token endpoint fails
        // on every try: its own retries (8 attempts, about 32 s) would end past the 120 s bound.
        tenant.emulator.injectFault({ kind: "429", method: "GET", retryAfterSeconds: 25, times: 4 });
        tenant.emulator.injectFault({ kind: "401", method: "GET" });
        tenant.emulator.injectFault({ kind: "503", path: "/oauth/token", times: 100 });
        const creating = tenant.provider.create({ connectionId: SEED_IDS.google, attributes: ["a"] });
        const error = await time.run(
            creating.then(
                () => assert.fail("the token endpoint never answered"),
                (e: Error) => e,
            ),
            { limitMs: 600_000, emulator: tenant.emulator },
        );
        assert.ok(
            time.elapsed() - started <= DEFAULT_RETRY.maxTotalMs,
            `ended after ${(time.elapsed() - started) / 1000} s: ${error.message}`,
        );
        assert.match(error.message, /Nothing was written/);
    });
});
