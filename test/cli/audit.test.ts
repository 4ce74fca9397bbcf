/**
 * `audit` over real HTTP against the emulator: a 120-connection tenant read page by page,
 * findings of every kind, the table, `--json` (validated with the exported schema), the
 * `--fail-on-findings` gate, and proof that nothing but GETs and the token request is sent.
 */
import assert from "node:assert/strict";
import { AuditReportSchema } from "../../cli/report";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS, SEED_SECRETS } from "../../emulator/seed";
import { envFor } from "../../harness/credentials";
import { rootCopiesProblem } from "../../provider/core/stored-data";
import { caseWarnings } from "../../provider/program/warnings";
import { BIG_TENANT_SIZE, bigSeed, EXPECTED_FINDINGS, LONG_ENTRY, requestLines, runCli } from "./support";

describe("cli: audit", () => {
    let emulator: Emulator;
    beforeEach(async () => {
        emulator = await startEmulator({ seed: bigSeed() });
    });
    afterEach(() => emulator.stop());

    it("--json lists every connection of a 120-connection tenant with a finding of each kind", async () => {
        const before = emulator.connections();
        const { code, stdout, stderr } = await runCli(["audit", "--json"], envFor(emulator));
        assert.equal(code, 0, stderr);
        const report = AuditReportSchema.parse(JSON.parse(stdout));
        assert.equal(report.tenant, emulator.url);
        assert.equal(report.connections.length, BIG_TENANT_SIZE);
        assert.deepEqual(
            report.connections.map((connection) => connection.id).sort(),
            before.map((connection) => connection.id).sort(),
        );
        const byName = new Map(report.connections.map((connection) => [connection.name, connection]));
        assert.deepEqual(byName.get("Username-Password-Authentication"), {
            id: "con_DbUsers000000001",
            name: "Username-Password-Authentication",
            strategy: "auth0",
            denyList: ["ethnicity", "gender"],
        });
        assert.deepEqual(byName.get("acme-azure-ad")?.denyList, [], "a null list reads as empty");
        assert.deepEqual(byName.get("long-claims")?.denyList, ["https://acme.com/claims/short", LONG_ENTRY]);
        assert.deepEqual(
            report.findings.map((finding) => [finding.connection, finding.kind, finding.attribute]),
            EXPECTED_FINDINGS,
        );
        assert.match(report.findings[1].message, /"user\.name" is a nested path.*use "name"/);
        assert.match(report.findings[4].message, /is 304 characters long; Auth0 accepts at most 255/);
        assert.match(report.findings[5].message, /custom claims/);
        assert.match(report.findings[6].message, /Debug Mode is on.*the 1 denied attribute\(s\) included/);
        // The program's own warning for a declared root field in the wrong case, word for word.
        assert.equal(report.findings[9].message, caseWarnings(["Given_Name"])[0]);
        assert.match(report.findings[9].message, /^"Given_Name" is not the profile field "given_name"/);
        assert.deepEqual(report.summary, {
            connections: BIG_TENANT_SIZE,
            withDenyList: before.filter((c) => ((c.options?.non_persistent_attrs as string[] | null) ?? []).length)
                .length,
            findings: EXPECTED_FINDINGS.length,
        });
        // Progress on stderr, one line per page.
        assert.deepEqual(stderr.trim().split("\n"), [
            `fetched 100 connections from ${emulator.url}`,
            `fetched 120 connections from ${emulator.url}`,
        ]);
        // Read-only: one token, two pages of GETs, nothing written.
        assert.deepEqual(requestLines(emulator), [
            "POST /oauth/token",
            "GET /api/v2/connections",
            "GET /api/v2/connections",
        ]);
        // By checkpoint: the second page starts where the first one's `next` said.
        const [, first, second] = emulator.requests().map((request) => request.query);
        assert.deepEqual(first, { take: "100" });
        assert.equal(second.take, "100");
        assert.match(second.from, /^\S+$/);
        assert.deepEqual(emulator.connections(), before);
        // Only deny lists leave the tenant: no option values, no secret.
        for (const secret of [...SEED_SECRETS, emulator.clientSecret, ...emulator.issuedTokens()]) {
            assert.ok(!stdout.includes(secret) && !stderr.includes(secret), "a secret reached the output");
        }
        assert.ok(!stdout.includes("idp.example"), "option values reached the output");
    });

    it("prints a readable table by default: every connection, its strategy and list, then the findings", async () => {
        const { code, stdout } = await runCli(["audit"], envFor(emulator));
        assert.equal(code, 0);
        const lines = stdout.split("\n");
        assert.equal(lines[0], `Tenant ${emulator.url}: 120 connections, 73 with a deny list, 10 findings`);
        assert.match(lines[2], /^CONNECTION\s+STRATEGY\s+DENY LIST$/);
        assert.ok(lines.some((line) => /^Username-Password-Authentication\s+auth0\s+ethnicity, gender$/.test(line)));
        assert.ok(lines.some((line) => /^acme-azure-ad\s+waad\s+-$/.test(line)));
        // Over-long entries are shortened in the table (the JSON has them whole).
        assert.ok(
            lines.some((line) => /^long-claims\s+oidc\s+https:\/\/acme\.com\/claims\/short, https:.{50,}…$/.test(line)),
        );
        const findings = lines.slice(lines.indexOf("Findings:") + 1).filter((line) => line.trim() !== "");
        assert.equal(findings.length, EXPECTED_FINDINGS.length);
        assert.match(findings[0], /^ {2}acme-saml\s+saml-debug\s+Debug Mode is on/);
        assert.match(findings[8], /^ {2}profile-db\s+name-denied\s+denying `nickname` drops it from ID tokens/);
        assert.match(findings[9], /^ {2}staff-oidc\s+wrong-case\s+"Given_Name" is not the profile field "given_name"/);
    });

    it("a connection that keeps root-profile copies is a finding once it denies something, in the table and --json", async () => {
        // acme-azure-ad syncs profile attributes on first login only; its list is null: nothing is kept yet.
        assert.ok(!(await runCli(["audit"], envFor(emulator))).stdout.includes("root-copies-kept"));
        emulator.update(SEED_IDS.waad, (connection) => {
            if (connection.options) connection.options.non_persistent_attrs = ["gender"];
        });
        const json = await runCli(["audit", "--json"], envFor(emulator));
        const report = AuditReportSchema.parse(JSON.parse(json.stdout));
        assert.deepEqual(
            report.findings.filter((finding) => finding.kind === "root-copies-kept"),
            [
                {
                    connection: "acme-azure-ad",
                    connectionId: SEED_IDS.waad,
                    kind: "root-copies-kept",
                    message: rootCopiesProblem("on_first_login"),
                },
            ],
        );
        const table = await runCli(["audit"], envFor(emulator));
        assert.match(
            table.stdout,
            /^ {2}acme-azure-ad\s+root-copies-kept\s+set_user_root_attributes is "on_first_login"/m,
        );
    });

    it("on a terminal, progress rewrites one line", async () => {
        const { code, stderr } = await runCli(["audit", "--json"], envFor(emulator), { interactive: true });
        assert.equal(code, 0);
        assert.equal(
            stderr,
            `\rfetched 100 connections from ${emulator.url}\u001b[K` +
                `\rfetched 120 connections from ${emulator.url}\u001b[K\n`,
        );
    });

    it("--fail-on-findings exits 1 when there are findings and 0 when there are none", async () => {
        const failing = await runCli(["audit", "--fail-on-findings"], envFor(emulator));
        assert.equal(failing.code, 1);
        assert.match(failing.stdout, /10 findings/);

        const clean = await startEmulator({
            seed: bigSeed().filter((c) => c.name.startsWith("app-") || c.name === "Username-Password-Authentication"),
        });
        try {
            const passing = await runCli(["audit", "--fail-on-findings", "--json"], envFor(clean));
            assert.equal(passing.code, 0, passing.stderr);
            assert.deepEqual(AuditReportSchema.parse(JSON.parse(passing.stdout)).findings, []);
        } finally {
            await clean.stop();
        }
    });

    it("takes the tenant from --domain/--client-id, the secret from the environment", async () => {
        const env = envFor(emulator, { AUTH0_DOMAIN: "wrong.example", AUTH0_CLIENT_ID: "wrong-id" });
        const { code, stderr } = await runCli(
            ["audit", "--domain", emulator.url, "--client-id", emulator.clientId, "--json"],
            env,
        );
        assert.equal(code, 0, stderr);
        const token = emulator.requests()[0];
        assert.equal((token.body as Record<string, string>).client_id, emulator.clientId);
    });

    it("with --client-id uses the client credentials even when AUTH0_API_TOKEN is set", async () => {
        const env = envFor(emulator, { AUTH0_API_TOKEN: "FAKE-stale-token-from-another-shell" });
        const { code, stderr } = await runCli(["audit", "--client-id", emulator.clientId, "--json"], env);
        assert.equal(code, 0, stderr);
        assert.equal(emulator.requests()[0].path, "/oauth/token");
    });

    it("accepts a Management API token from AUTH0_API_TOKEN instead of client credentials", async () => {
        const first = await runCli(["audit", "--json"], envFor(emulator));
        assert.equal(first.code, 0);
        const [token] = emulator.issuedTokens();
        emulator.clearRequests();
        const { code } = await runCli(
            ["audit", "--json"],
            envFor(emulator, { AUTH0_CLIENT_ID: undefined, AUTH0_CLIENT_SECRET: undefined, AUTH0_API_TOKEN: token }),
        );
        assert.equal(code, 0);
        assert.deepEqual(requestLines(emulator), ["GET /api/v2/connections", "GET /api/v2/connections"]);
    });

    it("rides out 429s and 503s with the provider's retry policy, still sending only GETs", async () => {
        emulator.injectFault({ kind: "429", method: "GET", retryAfterSeconds: 0 });
        emulator.injectFault({ kind: "503", method: "GET", times: 2 });
        const { code, stdout, stderr } = await runCli(["audit", "--json"], envFor(emulator));
        assert.equal(code, 0, stderr);
        assert.equal(AuditReportSchema.parse(JSON.parse(stdout)).connections.length, BIG_TENANT_SIZE);
        assert.match(stderr, /auth0: GET \/api\/v2\/connections → HTTP 503; retrying/);
        assert.deepEqual(new Set(emulator.requests().map((r) => r.method)), new Set(["POST", "GET"]));
        assert.deepEqual(
            emulator
                .requests()
                .filter((r) => r.method === "POST")
                .map((r) => r.path),
            ["/oauth/token"],
        );
    });
});
