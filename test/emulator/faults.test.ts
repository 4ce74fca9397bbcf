import assert from "node:assert/strict";
import type { Emulator, FaultKind } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { accessToken, apiErrorBody, record, request, requestToken, tokenForm, useEmulator } from "./helpers";

const LIST = "/api/v2/connections";

describe("emulator faults", () => {
    describe("queued rules", () => {
        const emulator = useEmulator();
        let token: string;
        beforeEach(async () => {
            token = await accessToken(emulator());
        });
        const list = () => request(emulator(), "GET", LIST, { token });

        for (const [kind, error] of [
            ["500", "Internal Server Error"],
            ["502", "Bad Gateway"],
            ["503", "Service Unavailable"],
            ["408", "Request Timeout"],
        ] as const) {
            it(`${kind} answers a JSON error once, then the API is back`, async () => {
                emulator().injectFault({ kind });
                const faulted = await list();
                assert.equal(faulted.status, Number(kind));
                assert.deepEqual(faulted.json, { statusCode: Number(kind), error, message: error });
                assert.ok(faulted.headers.has("x-ratelimit-limit"));
                assert.equal((await list()).status, 200);
            });
        }

        it("429 answers too_many_requests with retry-after when the rule sets it", async () => {
            emulator().injectFault({ kind: "429", retryAfterSeconds: 2 });
            emulator().injectFault({ kind: "429" });
            const first = await list();
            assert.equal(first.status, 429);
            assert.deepEqual(
                first.json,
                apiErrorBody(429, "Too Many Requests", "Global limit has been reached", "too_many_requests"),
            );
            assert.equal(first.headers.get("retry-after"), "2");
            assert.equal(first.headers.get("x-ratelimit-remaining"), "0");
            const reset = Number(first.headers.get("x-ratelimit-reset"));
            assert.ok(Math.abs(reset - (Date.now() / 1000 + 2)) <= 1.5);
            const second = await list();
            assert.equal(second.status, 429);
            assert.equal(second.headers.get("retry-after"), null);
        });

        it("401 refuses a valid token as Auth0 refuses an invalid one", async () => {
            emulator().injectFault({ kind: "401" });
            const refused = await list();
            assert.equal(refused.status, 401);
            assert.deepEqual(refused.json, apiErrorBody(401, "Unauthorized", "Invalid token.", "invalid_token"));
            assert.equal((await list()).status, 200);
        });

        it("drop destroys the socket without an answer", async () => {
            emulator().injectFault({ kind: "drop" });
            await assert.rejects(list(), TypeError);
            assert.equal((await list()).status, 200);
            const [dropped] = emulator()
                .requests()
                .filter((r) => r.path === LIST);
            assert.equal(dropped.fault, "drop");
            assert.equal(dropped.status, 0);
        });

        it("slow delays the normal answer by slowMs", async () => {
            emulator().injectFault({ kind: "slow", slowMs: 150 });
            const started = Date.now();
            const response = await list();
            assert.ok(Date.now() - started >= 140);
            assert.equal(response.status, 200);
            assert.equal((response.json as unknown[]).length, 5);
        });

        it("slow lets a client time out while the server carries on", async () => {
            emulator().injectFault({ kind: "slow", slowMs: 300 });
            await assert.rejects(request(emulator(), "GET", LIST, { token, signal: AbortSignal.timeout(50) }));
            assert.equal((await list()).status, 200);
        });

        it("nonjson answers 200 with an HTML body", async () => {
            emulator().injectFault({ kind: "nonjson" });
            const response = await list();
            assert.equal(response.status, 200);
            assert.match(String(response.headers.get("content-type")), /^text\/html/);
            assert.equal(response.json, undefined);
            assert.match(response.text, /<html>/);
        });

        it("huge answers 200 with over 2 MB of JSON that is not a connection", async () => {
            emulator().injectFault({ kind: "huge" });
            const response = await request(emulator(), "GET", `${LIST}/${SEED_IDS.auth0}`, { token });
            assert.equal(response.status, 200);
            assert.ok(response.text.length > 2 * 1024 * 1024);
            assert.equal(record(response).id, undefined);
        });

        it("stale applies a PATCH but answers with the connection as it was", async () => {
            emulator().injectFault({ kind: "stale", method: "PATCH" });
            const body = { options: { non_persistent_attrs: ["stale_test"] } };
            const response = await request(emulator(), "PATCH", `${LIST}/${SEED_IDS.google}`, { token, body });
            assert.equal(response.status, 200);
            const answered = record(response).options as Record<string, unknown>;
            assert.notDeepEqual(answered.non_persistent_attrs, ["stale_test"]);
            assert.deepEqual(emulator().connection(SEED_IDS.google)?.options, { non_persistent_attrs: ["stale_test"] });
        });

        it("lost applies a PATCH and then drops the socket", async () => {
            emulator().injectFault({ kind: "lost", method: "PATCH" });
            const body = { options: { non_persistent_attrs: ["lost_test"] } };
            await assert.rejects(request(emulator(), "PATCH", `${LIST}/${SEED_IDS.google}`, { token, body }));
            assert.deepEqual(emulator().connection(SEED_IDS.google)?.options, { non_persistent_attrs: ["lost_test"] });
        });

        it("matches method and path, and is used up after `times` requests", async () => {
            emulator().injectFault({ kind: "503", method: "patch", path: /con_Oidc/, times: 2 });
            const patch = () =>
                request(emulator(), "PATCH", `${LIST}/${SEED_IDS.oidc}`, { token, body: { display_name: "x" } });
            assert.equal((await request(emulator(), "GET", `${LIST}/${SEED_IDS.oidc}`, { token })).status, 200);
            assert.equal(
                (await request(emulator(), "PATCH", `${LIST}/${SEED_IDS.auth0}`, { token, body: {} })).status,
                200,
            );
            assert.deepEqual([(await patch()).status, (await patch()).status, (await patch()).status], [503, 503, 200]);
        });

        it("matches a string path and everything under it", async () => {
            emulator().injectFault({ kind: "500", path: LIST, times: 2 });
            assert.equal((await request(emulator(), "GET", `${LIST}/${SEED_IDS.auth0}`, { token })).status, 500);
            assert.equal((await list()).status, 500);
            assert.equal((await list()).status, 200);
        });

        it("leaves /oauth/token alone unless a rule names its path", async () => {
            emulator().injectFault({ kind: "503" });
            assert.equal((await requestToken(emulator(), tokenForm(emulator()))).status, 200);
            emulator().injectFault({ kind: "502", path: "/oauth/token" });
            assert.equal((await requestToken(emulator(), tokenForm(emulator()))).status, 502);
            assert.equal((await list()).status, 503);
        });

        it("records every request with its fault", async () => {
            emulator().clearRequests();
            emulator().injectFault({ kind: "500" });
            await list();
            await list();
            const recorded = emulator().requests();
            assert.deepEqual(
                recorded.map((r) => [r.method, r.path, r.status, r.fault]),
                [
                    ["GET", LIST, 500, "500"],
                    ["GET", LIST, 200, undefined],
                ],
            );
        });

        it("refuses an unknown kind", () => {
            assert.throws(() => emulator().injectFault({ kind: "418" as FaultKind }), TypeError);
        });
    });

    describe("rules given at start", () => {
        const emulator = useEmulator(() => ({ faults: { rules: [{ kind: "503", path: "/oauth/token" }] } }));

        it("apply from the first request", async () => {
            assert.equal((await requestToken(emulator(), tokenForm(emulator()))).status, 503);
            assert.equal((await requestToken(emulator(), tokenForm(emulator()))).status, 200);
        });
    });

    describe("rates", () => {
        let rolls: number[] = [];
        const emulator = useEmulator(() => ({
            faults: { rates: { "503": 0.25, "429": 0.25 }, random: () => rolls.shift() ?? 0.99 },
        }));

        it("draw each kind with its probability from the injected PRNG, /api/v2 only", async () => {
            // Rolls are set before the token request: a draw for /oauth/token would shift every status.
            rolls = [0.1, 0.3, 0.6, 0.24, 0.49];
            const token = await accessToken(emulator());
            const statuses = [];
            for (let i = 0; i < 5; i++) statuses.push((await request(emulator(), "GET", LIST, { token })).status);
            assert.deepEqual(statuses, [503, 429, 200, 503, 429]);
            assert.deepEqual(rolls, [], "one draw per /api/v2 request, none for /oauth/token");
        });
    });

    describe("rates with the default PRNG", () => {
        const statuses = async (emulator: () => Emulator) => {
            const token = await accessToken(emulator());
            const seen = [];
            for (let i = 0; i < 20; i++) seen.push((await request(emulator(), "GET", LIST, { token })).status);
            return seen;
        };
        const rates: Partial<Record<FaultKind, number>> = { "500": 0.3 };
        const first = useEmulator(() => ({ faults: { rates } }));
        const second = useEmulator(() => ({ faults: { rates } }));

        it("are deterministic from run to run", async () => {
            const a = await statuses(first);
            const b = await statuses(second);
            assert.deepEqual(a, b);
            assert.ok(a.includes(500) && a.includes(200), a.join(","));
        });
    });
});
