/**
 * The provider's whole HTTP stack is `auth0/transport.ts` on Node's own http: what an HTTP library
 * would otherwise decide (redirects, proxies, compression, query lists, a connection cut mid-answer)
 * is pinned here, over real HTTP against a local server.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Transport } from "../../provider/auth0/transport";

/** A local server answering with `handler`; the requests it received, with their bodies. */
async function server(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    const received: { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }[] = [];
    const http = createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => {
            body += chunk;
        });
        req.on("end", () => {
            received.push({ method: req.method, url: req.url, headers: req.headers, body });
            handler(req, res);
        });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    return { url, received, close: () => http.close() };
}

describe("transport: one exchange over Node's http", () => {
    it("sends the body byte for byte and the token as a bearer; a list parameter goes out repeated", async () => {
        const s = await server((_req, res) => res.writeHead(200, { "x-ratelimit-remaining": "9" }).end('{"ok":true}'));
        try {
            const body = '{"options":{"__proto__":{"x":1},"constructor":"c","é":"ü"}}';
            const answer = await new Transport(`${s.url}/`).send(
                {
                    method: "PATCH",
                    path: "/api/v2/connections/con_1",
                    params: { strategy: ["auth0", "oidc"], fields: "id,name" },
                    body,
                    contentType: "application/json",
                    token: "TOKEN",
                },
                2000,
            ).answer;
            assert.deepEqual(
                { status: answer.status, body: "body" in answer ? answer.body : undefined },
                { status: 200, body: '{"ok":true}' },
            );
            assert.equal("headers" in answer && answer.headers["x-ratelimit-remaining"], "9");
            const [got] = s.received;
            assert.equal(got.method, "PATCH");
            assert.equal(got.url, "/api/v2/connections/con_1?strategy=auth0&strategy=oidc&fields=id%2Cname");
            assert.equal(got.body, body);
            assert.equal(got.headers.authorization, "Bearer TOKEN");
            assert.equal(got.headers["content-type"], "application/json");
            assert.match(String(got.headers["user-agent"]), /^pulumi-auth0-deny-list \(node v\d+/);
            // Nothing asks for compression: the answer is read as sent.
            assert.equal(got.headers["accept-encoding"], undefined);
        } finally {
            s.close();
        }
    });

    it("a redirect is an answer, not followed: the token never goes to another host", async () => {
        const s = await server((_req, res) => res.writeHead(302, { location: "http://example.invalid/" }).end());
        try {
            const answer = await new Transport(s.url).send(
                { method: "GET", path: "/api/v2/connections", token: "T" },
                2000,
            ).answer;
            assert.equal(answer.status, 302);
            assert.equal(s.received.length, 1);
        } finally {
            s.close();
        }
    });

    it("a connection cut in the middle of an answer is ECONNRESET, not a shorter body", async () => {
        const s = await server((_req, res) => {
            res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
            res.write('{"id":"con_1",');
            setTimeout(() => res.destroy(), 20);
        });
        try {
            const answer = await new Transport(s.url).send({ method: "GET", path: "/api/v2/connections/con_1" }, 2000)
                .answer;
            assert.deepEqual(answer, { status: undefined, code: "ECONNRESET" });
        } finally {
            s.close();
        }
    });

    it("a proxy in the environment is not used: requests go to the tenant", async () => {
        const s = await server((_req, res) => res.writeHead(200).end("{}"));
        const saved = process.env.HTTP_PROXY;
        process.env.HTTP_PROXY = "http://127.0.0.1:1";
        try {
            const answer = await new Transport(s.url).send({ method: "GET", path: "/api/v2/connections" }, 2000).answer;
            assert.equal(answer.status, 200);
        } finally {
            if (saved === undefined) delete process.env.HTTP_PROXY;
            else process.env.HTTP_PROXY = saved;
            s.close();
        }
    });
});
