import assert from "node:assert/strict";
import { Agent, request as httpRequest } from "node:http";
import { SEED_IDS } from "../../emulator/seed";
import { accessToken, apiErrorBody, record, request, requestToken, tokenForm, useEmulator } from "./helpers";

const PATH = `/api/v2/connections/${SEED_IDS.auth0}`;
const OVERSIZED = JSON.stringify({ options: { padding: "x".repeat(1024 * 1024) } });

describe("emulator malformed requests", () => {
    const emulator = useEmulator();
    let token: string;
    beforeEach(async () => {
        token = await accessToken(emulator());
    });
    const stillServes = async () => {
        const response = await request(emulator(), "GET", PATH, { token });
        assert.equal(response.status, 200);
        assert.equal(record(response).id, SEED_IDS.auth0);
    };

    it("answers 400 to malformed JSON", async () => {
        const response = await request(emulator(), "PATCH", PATH, {
            token,
            raw: '{"options": {',
            contentType: "application/json",
        });
        assert.equal(response.status, 400);
        assert.deepEqual(
            response.json,
            apiErrorBody(400, "Bad Request", "Invalid request payload JSON format", "invalid_json"),
        );
        await stillServes();
    });

    it("answers 400 to an empty JSON body", async () => {
        const response = await request(emulator(), "PATCH", PATH, { token, raw: "", contentType: "application/json" });
        assert.equal(response.status, 400);
        assert.equal(record(response).errorCode, "invalid_body");
    });

    it("answers 415 to a body that is not application/json", async () => {
        for (const contentType of ["text/plain", "application/x-www-form-urlencoded"]) {
            const response = await request(emulator(), "POST", "/api/v2/connections", {
                token,
                raw: "name=x&strategy=auth0",
                contentType,
            });
            assert.equal(response.status, 415, contentType);
            assert.equal(record(response).error, "Unsupported Media Type");
        }
        await stillServes();
    });

    it("answers 413 to a body over 1 MB, on any route", async () => {
        const patch = await request(emulator(), "PATCH", PATH, {
            token,
            raw: OVERSIZED,
            contentType: "application/json",
        });
        assert.equal(patch.status, 413);
        assert.equal(record(patch).statusCode, 413);
        const oauth = await request(emulator(), "POST", "/oauth/token", {
            raw: OVERSIZED,
            contentType: "application/json",
        });
        assert.equal(oauth.status, 413);
        assert.deepEqual(emulator().connection(SEED_IDS.auth0)?.options?.padding, undefined);
        await stillServes();
    });

    it("treats an unparseable token request as missing its parameters", async () => {
        const response = await request(emulator(), "POST", "/oauth/token", {
            raw: "{",
            contentType: "application/json",
        });
        assert.equal(response.status, 400);
        assert.equal(record(response).error, "invalid_request");
        assert.equal((await requestToken(emulator(), tokenForm(emulator()))).status, 200);
    });
});

describe("emulator connections", () => {
    const emulator = useEmulator();

    /** GET over an agent limited to one socket; resolves whether the socket was reused. */
    const get = (agent: Agent, path: string) =>
        new Promise<boolean>((resolve, reject) => {
            const req = httpRequest(`${emulator().url}${path}`, { agent }, (res) => {
                res.resume();
                res.on("end", () => resolve(req.reusedSocket));
            });
            req.on("error", reject);
            req.end();
        });

    it("keeps connections alive across requests, errors included", async () => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
            const reused = [];
            for (const path of ["/api/v2/connections", "/nowhere", "/api/v2/connections"])
                reused.push(await get(agent, path));
            assert.deepEqual(reused, [false, true, true]);
        } finally {
            agent.destroy();
        }
    });

    it("stop() closes idle keep-alive sockets at once", async () => {
        const agent = new Agent({ keepAlive: true });
        try {
            await get(agent, "/nowhere");
            const started = Date.now();
            await emulator().stop();
            assert.ok(Date.now() - started < 1000);
            await assert.rejects(fetch(`${emulator().url}/nowhere`));
        } finally {
            agent.destroy();
        }
    });
});
