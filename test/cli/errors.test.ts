/**
 * Everything that stops the command line: usage mistakes, a secret given as a flag, missing
 * credentials, wrong credentials, missing scopes, a domain that does not answer or is not an
 * Auth0 tenant. Each ends with exit code 2 and one readable `error:` line on stderr: no stack
 * trace, no secret, nothing on stdout.
 */
import assert from "node:assert/strict";
import { lookup } from "node:dns/promises";
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { envFor } from "../../harness/credentials";
import { makeTempDir } from "../../harness/temp";
import { type CliResult, runCli } from "./support";

/** Asserts a clean failure and returns its error line. */
function failure(result: CliResult, secrets: (string | undefined)[] = []): string {
    assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
    assert.equal(result.stdout, "");
    assert.doesNotMatch(result.stderr, /\n\s+at /, "a stack trace");
    for (const secret of secrets) if (secret) assert.ok(!result.stderr.includes(secret), "a secret in stderr");
    const lines = result.stderr.trimEnd().split("\n");
    const last = lines[lines.length - 1];
    assert.match(last, /^error: \S/);
    assert.equal(lines.filter((line) => line.startsWith("error:")).length, 1);
    return last;
}

async function closedPort(): Promise<number> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

describe("cli: usage and errors", () => {
    let emulator: Emulator;
    beforeEach(async () => {
        emulator = await startEmulator();
    });
    afterEach(() => emulator.stop());

    it("--help prints usage on stdout and exits 0, for the tool and for each command", async () => {
        for (const [argv, heading] of [
            [["--help"], /^Usage: pulumi-auth0-deny-list <command>/],
            [["-h"], /^Usage: pulumi-auth0-deny-list <command>/],
            [["audit", "--help"], /^Usage: pulumi-auth0-deny-list audit/],
            [["help", "adopt"], /^Usage: pulumi-auth0-deny-list adopt/],
        ] as const) {
            const { code, stdout, stderr } = await runCli([...argv], {});
            assert.equal(code, 0);
            assert.match(stdout, heading);
            assert.equal(stderr, "");
        }
        assert.deepEqual(emulator.requests(), []);
    });

    it("refuses a secret given as a flag, naming why and never repeating it", async () => {
        const secret = "super-secret-value-1234";
        for (const argv of [
            ["audit", "--client-secret", secret],
            ["adopt", `--client-secret=${secret}`],
            ["audit", `--api-token=${secret}`],
        ]) {
            const line = failure(await runCli(argv, envFor(emulator)), [secret]);
            assert.match(line, /is not accepted: .*shell history.*Set AUTH0_CLIENT_SECRET \(or AUTH0_API_TOKEN\)/);
        }
        assert.deepEqual(emulator.requests(), []);
    });

    it("explains usage mistakes", async () => {
        const cases: [string[], RegExp][] = [
            [[], /Give a command: audit, adopt or emulator/],
            [["import"], /Unknown command "import": use audit, adopt or emulator\.$/],
            [["audt"], /Unknown command "audt": use audit, adopt or emulator\. Did you mean audit\?$/],
            [["emulatr"], /Unknown command "emulatr": .* Did you mean emulator\?$/],
            [["audit", "--jsn"], /Unknown option '--jsn'\. Did you mean --json\? Run with --help/],
            [["adopt", "--conection", "x"], /Unknown option '--conection'\. Did you mean --connection\? Run/],
            [["audit", "--verbose"], /Unknown option '--verbose'\. Run with --help/],
            [["audit", "--domain"], /Option '--domain <value>' argument missing/],
            [["adopt", "--compare", "x.env"], /--compare is not an option of adopt/],
            [["audit", "--out", "x.ts"], /--out is not an option of audit/],
            [["audit", "extra"], /Unexpected argument "extra"/],
            [["audit", "--fail-on-differences"], /--fail-on-differences needs --compare/],
            [["audit", "--same-credentials"], /--same-credentials needs --compare <domain>/],
            [["adopt", "--same-credentials"], /--same-credentials is not an option of adopt/],
            [["audit", "--domain", " "], /--domain needs a value/],
        ];
        for (const [argv, message] of cases) assert.match(failure(await runCli(argv, envFor(emulator))), message);
        assert.deepEqual(emulator.requests(), []);
    });

    it("says which credential is missing and how to give it", async () => {
        const none = failure(await runCli(["audit"], {}));
        assert.match(none, /No Auth0 tenant in the environment: set AUTH0_DOMAIN or pass --domain/);
        const noSecret = failure(
            await runCli(["audit", "--domain", emulator.url, "--client-id", emulator.clientId], {}),
        );
        assert.match(noSecret, /\(AUTH0_CLIENT_SECRET not set\).*read from the environment only/);
        const plainHttp = failure(await runCli(["audit"], envFor(emulator, { AUTH0_DOMAIN: "http://acme.example" })));
        assert.match(plainHttp, /plain http, allowed only for loopback hosts/);
        const password = "FAKE-url-password-4242";
        const withPassword = await runCli(
            ["audit"],
            envFor(emulator, { AUTH0_DOMAIN: `https://ops:${password}@127.0.0.1:1` }),
        );
        assert.match(
            failure(withPassword, [password]),
            /error: AUTH0_DOMAIN: Auth0 domain .* carries a user name or password: .*credentials in AUTH0_CLIENT_ID\/AUTH0_CLIENT_SECRET$/,
        );
        const flagged = await runCli(["audit", "--domain", `https://ops:${password}@127.0.0.1:1`], envFor(emulator));
        assert.match(failure(flagged, [password]), /error: --domain: Auth0 domain .* carries a user name or password/);
        assert.doesNotMatch(flagged.stderr, /auth0:/, "the tool reads no stack config, so no hint names it");
        const noScheme = failure(await runCli(["audit"], envFor(emulator, { AUTH0_DOMAIN: "localhost:4010" })));
        assert.match(noScheme, /"localhost:4010" is a loopback host without a scheme: use http:\/\/localhost:4010/);
        assert.deepEqual(emulator.requests(), []);
    });

    it("wrong credentials: 401 with the hint to check them, the secret never shown", async () => {
        const wrong = "FAKE-wrong-secret-99999999";
        const line = failure(await runCli(["audit"], envFor(emulator, { AUTH0_CLIENT_SECRET: wrong })), [
            wrong,
            emulator.clientSecret,
        ]);
        assert.match(
            line,
            /get token on .* failed: HTTP 401 access_denied "Unauthorized"\. Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET: they must belong[^.]*\.$/,
        );
        assert.doesNotMatch(line, /auth0:/, "the tool never reads stack config, so its hint does not name it");
        // Given as a flag, the client id is named as the flag.
        const flagged = failure(
            await runCli(
                ["audit", "--client-id", emulator.clientId],
                envFor(emulator, { AUTH0_CLIENT_ID: undefined, AUTH0_CLIENT_SECRET: wrong }),
            ),
            [wrong],
        );
        assert.match(flagged, /HTTP 401 .*\. Check --client-id and AUTH0_CLIENT_SECRET: they must belong/);
    });

    it("a token and client credentials both set: says the token is used, and names it when Auth0 rejects it", async () => {
        const token = "FAKE-revoked-token-0123456789";
        const result = await runCli(["audit"], envFor(emulator, { AUTH0_API_TOKEN: token }));
        const line = failure(result, [token, emulator.clientSecret]);
        assert.match(
            result.stderr,
            /^note: both AUTH0_API_TOKEN and AUTH0_CLIENT_ID\/AUTH0_CLIENT_SECRET are set; using AUTH0_API_TOKEN/,
        );
        assert.match(line, /HTTP 401.*\. Check AUTH0_API_TOKEN: Auth0 rejected the token/);
        assert.deepEqual(
            emulator.requests().map((request) => request.path),
            ["/api/v2/connections"],
            "the client credentials were not used",
        );
    });

    it("missing read:connections: 403 naming the scopes the tool needs", async () => {
        emulator.setScopes(["read:connections_options"]);
        const line = failure(await runCli(["audit"], envFor(emulator)), [emulator.clientSecret]);
        assert.match(line, /list connections on .* failed: HTTP 403 insufficient_scope/);
        assert.match(line, /This tool needs read:connections and read:connections_options \(it never writes\)/);
    });

    it("missing read:connections_options: Auth0 hides options, the audit refuses rather than report empty lists", async () => {
        emulator.setScopes(["read:connections"]);
        const line = failure(await runCli(["adopt"], envFor(emulator)));
        assert.match(line, /without options .*lacks the read:connections_options scope/);
    });

    it("an emulator that is not running: fails at once, naming the command that starts one and the setting used", async () => {
        const port = await closedPort();
        const result = await runCli(["audit"], envFor(emulator, { AUTH0_DOMAIN: `http://127.0.0.1:${port}` }));
        const line = failure(result, [emulator.clientSecret]);
        assert.match(
            line,
            /nothing is listening on http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start the emulator \(npx pulumi-auth0-deny-list emulator\) or correct AUTH0_DOMAIN\. Nothing was written\.$/,
        );
        assert.doesNotMatch(result.stderr, /retrying in/, "nothing local starts while we wait");
        const flagged = failure(await runCli(["audit", "--domain", `http://127.0.0.1:${port}`], envFor(emulator)));
        assert.match(flagged, /start the emulator \(npx pulumi-auth0-deny-list emulator\) or correct --domain\./);
        assert.doesNotMatch(flagged, /auth0:domain|AUTH0_DOMAIN/);
    });

    it("a --compare tenant's problems name its env file's lines", async () => {
        const port = await closedPort();
        const dir = makeTempDir("cli-compare-hints-");
        writeFileSync(
            path.join(dir, "dev.env"),
            `AUTH0_DOMAIN=http://127.0.0.1:${port}\nAUTH0_CLIENT_ID=${emulator.clientId}\nAUTH0_CLIENT_SECRET=x\n`,
        );
        const line = failure(await runCli(["audit", "--compare", "dev.env"], envFor(emulator), { cwd: dir }));
        assert.match(
            line,
            /ECONNREFUSED\): start the emulator \(npx pulumi-auth0-deny-list emulator\) or correct AUTH0_DOMAIN in dev\.env\./,
        );
        writeFileSync(
            path.join(dir, "dev.env"),
            `AUTH0_DOMAIN=${emulator.url}\nAUTH0_CLIENT_ID=${emulator.clientId}\nAUTH0_CLIENT_SECRET=FAKE-wrong\n`,
        );
        const rejected = failure(await runCli(["audit", "--compare", "dev.env"], envFor(emulator), { cwd: dir }));
        assert.match(
            rejected,
            /HTTP 401 .*\. Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET from dev\.env: they must belong/,
        );
    });

    it("a domain that does not resolve names the setting it came from", async function () {
        const host = "tenant.does-not-exist.invalid";
        const code = await lookup(host).then(
            () => "resolved",
            (error: NodeJS.ErrnoException) => error.code,
        );
        // `.invalid` never resolves (RFC 6761); without any resolver the answer is EAI_AGAIN, which is transient.
        if (code !== "ENOTFOUND") this.skip();
        const line = failure(await runCli(["audit", "--domain", host], envFor(emulator)));
        assert.match(line, /does not resolve \(ENOTFOUND\): check --domain \(e\.g\. acme\.eu\.auth0\.com\)/);
    });

    it("a domain that is not an Auth0 tenant", async () => {
        const server = http.createServer((_req, res) =>
            res.writeHead(404, { "content-type": "text/html" }).end("<h1>no</h1>"),
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { port } = server.address() as AddressInfo;
            const line = failure(
                await runCli(["audit"], envFor(emulator, { AUTH0_DOMAIN: `http://127.0.0.1:${port}` })),
            );
            assert.match(line, /HTTP 404\. The Management API was not found on http:\/\/127\.0\.0\.1:\d+: check/);
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });
});
