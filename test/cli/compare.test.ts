/**
 * `audit --compare` against two emulators: an env file with the other tenant's own credentials,
 * or a bare domain reached with the same credentials; the differences per connection name and
 * the `--fail-on-differences` gate.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CompareReportSchema } from "../../cli/report";
import { type Connection, type Emulator, startEmulator } from "../../emulator";
import { envFor } from "../../harness/credentials";
import { makeTempDir, removeTempDir } from "../../harness/temp";
import { bigSeed, EXPECTED_FINDINGS, requestLines, runCli } from "./support";

const DEV_CLIENT = { clientId: "dev-client-id", clientSecret: "FAKE-dev-client-secret-1111111111111111" };

// The dev tenant: like prod, but some lists differ, one connection is missing and two are new.
function devSeed(): Connection[] {
    const setList = (c: Connection, list: string[] | null) => ({
        ...c,
        options: { ...c.options, non_persistent_attrs: list },
    });
    const seed = bigSeed()
        .filter((c) => c.name !== "profile-db")
        .map((c) => {
            if (c.name === "Username-Password-Authentication") return setList(c, ["ethnicity"]);
            if (c.name === "marketing-db") return setList(c, ["email", "birthdate", "phone_number"]);
            if (c.name === "app-010") return setList(c, []); // null in prod: the same (empty) list
            return c;
        });
    const extra = (n: number, name: string, list: string[]): Connection => ({
        id: `con_DevOnly00000000${n}`,
        name,
        strategy: "auth0",
        options: { non_persistent_attrs: list },
    });
    return [...seed, extra(1, "dev-only", ["x_debug_claim"]), extra(2, "dev-empty", [])];
}

describe("cli: audit --compare", () => {
    let prod: Emulator;
    let dev: Emulator;
    let dir: string;
    beforeEach(async () => {
        prod = await startEmulator({ seed: bigSeed() });
        dev = await startEmulator({ seed: devSeed(), ...DEV_CLIENT });
        dir = makeTempDir("cli-compare-");
    });
    afterEach(async () => {
        removeTempDir(dir);
        await prod.stop();
        await dev.stop();
    });

    function devEnvFile(lines: string[]): string {
        const file = path.join(dir, "dev.env");
        writeFileSync(file, `${lines.join("\n")}\n`);
        return file;
    }

    it("compares with a tenant described by an env file, per connection name, both ways", async () => {
        const file = devEnvFile([
            "# the dev tenant",
            `export AUTH0_DOMAIN=${dev.url}`,
            `AUTH0_CLIENT_ID="${DEV_CLIENT.clientId}"`,
            `AUTH0_CLIENT_SECRET='${DEV_CLIENT.clientSecret}'  # from the vault`,
            "UNRELATED=1",
        ]);
        const { code, stdout, stderr } = await runCli(
            ["audit", "--compare", path.relative(dir, file), "--json"],
            envFor(prod),
            { cwd: dir },
        );
        assert.equal(code, 0, stderr);
        const report = CompareReportSchema.parse(JSON.parse(stdout));
        assert.equal(report.left.tenant, prod.url);
        assert.equal(report.right.tenant, dev.url);
        assert.equal(report.left.connections.length, 120);
        assert.equal(report.right.connections.length, 121);
        assert.deepEqual(report.differences, [
            { connection: "dev-only", presentIn: "right", onlyLeft: [], onlyRight: ["x_debug_claim"] },
            { connection: "marketing-db", presentIn: "both", onlyLeft: [], onlyRight: ["phone_number"] },
            { connection: "profile-db", presentIn: "left", onlyLeft: ["name", "nickname"], onlyRight: [] },
            { connection: "Username-Password-Authentication", presentIn: "both", onlyLeft: ["gender"], onlyRight: [] },
        ]);
        assert.equal(report.left.summary.findings, EXPECTED_FINDINGS.length);
        assert.equal(report.right.summary.findings, EXPECTED_FINDINGS.length - 2);
        // Each tenant was read with its own credentials, and only read.
        const tokenClient = (emulator: Emulator) =>
            (emulator.requests().find((r) => r.path === "/oauth/token")?.body as Record<string, string> | undefined)
                ?.client_id;
        assert.equal(tokenClient(prod), prod.clientId);
        assert.equal(tokenClient(dev), DEV_CLIENT.clientId);
        for (const emulator of [prod, dev]) {
            assert.deepEqual(requestLines(emulator), [
                "POST /oauth/token",
                "GET /api/v2/connections",
                "GET /api/v2/connections",
            ]);
        }
        assert.match(stderr, new RegExp(`fetched 120 connections from ${prod.url}`));
        assert.match(stderr, new RegExp(`fetched 121 connections from ${dev.url}`));
        assert.ok(!stdout.includes(DEV_CLIENT.clientSecret) && !stderr.includes(DEV_CLIENT.clientSecret));
    });

    it("prints the differences as text, and --fail-on-differences / --fail-on-findings gate on them", async () => {
        const file = devEnvFile([
            `AUTH0_DOMAIN=${dev.url}`,
            `AUTH0_CLIENT_ID=${DEV_CLIENT.clientId}`,
            `AUTH0_CLIENT_SECRET=${DEV_CLIENT.clientSecret}`,
        ]);
        const text = await runCli(["audit", "--compare", file, "--fail-on-differences"], envFor(prod));
        assert.equal(text.code, 1);
        const lines = text.stdout.split("\n");
        assert.equal(
            lines[0],
            `Comparing deny lists of ${prod.url} (left) and ${dev.url} (right), by connection name:`,
        );
        assert.deepEqual(lines.slice(2, 11), [
            `dev-only (no such connection in ${prod.url})`,
            `  denied only in ${dev.url}: x_debug_claim`,
            "marketing-db",
            `  denied only in ${dev.url}: phone_number`,
            `profile-db (no such connection in ${dev.url})`,
            `  denied only in ${prod.url}: name, nickname`,
            "Username-Password-Authentication",
            `  denied only in ${prod.url}: gender`,
            "",
        ]);
        assert.match(
            lines[11],
            /^4 connections differ\. Findings: 10 in .*, 8 in .* \(run audit on each for details\)\.$/,
        );

        const findings = await runCli(["audit", "--compare", file, "--fail-on-findings"], envFor(prod));
        assert.equal(findings.code, 1);
        const neither = await runCli(["audit", "--compare", file], envFor(prod));
        assert.equal(neither.code, 0, "without a gate, differences are reported, not failed");
    });

    it("a domain is reached with the same credentials only with --same-credentials; identical tenants have no differences", async () => {
        const twin = await startEmulator({ seed: bigSeed() });
        try {
            const { code, stdout, stderr } = await runCli(
                ["audit", "--compare", twin.url, "--same-credentials", "--fail-on-differences"],
                envFor(prod),
            );
            assert.equal(code, 0, stderr);
            assert.match(stdout, /No differences: both tenants deny the same entries on every connection\./);
            const body = twin.requests().find((r) => r.path === "/oauth/token")?.body as Record<string, string>;
            assert.equal(body.client_id, prod.clientId);
            assert.deepEqual(new Set(twin.requests().map((r) => r.method)), new Set(["POST", "GET"]));
        } finally {
            await twin.stop();
        }
    });

    it("refuses an env file without credentials, naming the file and what to add, before any request", async () => {
        const file = devEnvFile([`AUTH0_DOMAIN=${dev.url}`, `AUTH0_CLIENT_ID=${DEV_CLIENT.clientId}`]);
        const { code, stdout, stderr } = await runCli(["audit", "--compare", file], envFor(prod));
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.match(
            stderr.trim().split("\n").pop() ?? "",
            /^error: No Auth0 credentials in .*dev\.env \(AUTH0_CLIENT_SECRET not set\): add AUTH0_CLIENT_ID/,
        );
        assert.deepEqual(dev.requests(), []);
        assert.deepEqual(prod.requests(), [], "both tenants' credentials are checked before any request");
    });

    it("refuses a file name or path that does not exist, before any request and without reaching it as a domain", async () => {
        for (const target of ["dev.env", "./nowhere/dev.env", "prod", "secrets/dev.json"]) {
            const { code, stdout, stderr } = await runCli(["audit", "--compare", target], envFor(prod), { cwd: dir });
            assert.equal(code, 2, target);
            assert.equal(stdout, "");
            assert.match(
                stderr,
                new RegExp(`error: --compare "${target.replace(/\./g, "\\.")}": no such file \\(`),
                target,
            );
            assert.ok(!stderr.includes(prod.clientSecret));
        }
        // With --same-credentials too: a file name is still not a domain.
        const flagged = await runCli(["audit", "--compare", "dev.env", "--same-credentials"], envFor(prod), {
            cwd: dir,
        });
        assert.equal(flagged.code, 2);
        assert.match(flagged.stderr, /no such file/);
        assert.deepEqual(prod.requests(), []);
    });

    it("refuses a domain without --same-credentials: the first tenant's secret is not sent there", async () => {
        const { code, stderr } = await runCli(["audit", "--compare", dev.url], envFor(prod));
        assert.equal(code, 2);
        assert.match(stderr, /is not an existing file, so it is a domain .* Add --same-credentials/);
        assert.deepEqual(dev.requests(), []);
        assert.deepEqual(prod.requests(), []);
        const file = devEnvFile([`AUTH0_DOMAIN=${dev.url}`, "AUTH0_API_TOKEN=t"]);
        const both = await runCli(["audit", "--compare", file, "--same-credentials"], envFor(prod));
        assert.equal(both.code, 2);
        assert.match(both.stderr, /--same-credentials applies to a --compare domain, but .* is a file/);
    });
});
