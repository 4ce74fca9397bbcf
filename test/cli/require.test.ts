/**
 * `audit --require`: the CI check that a declared deny list is live. Its answer alone (no table,
 * no unrelated finding unless `--fail-on-findings` makes findings count); exit 1 naming each
 * connection and the entries it lacks (a list another writer wiped included; an entry listed in
 * another case pointed out), 0 when every checked list holds them, 2 for bad usage; GET requests
 * only; `--json` validated by its schema.
 */
import assert from "node:assert/strict";
import { AuditReportSchema } from "../../cli/report";
import { checkRequired } from "../../cli/require";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { envFor } from "../../harness/credentials";
import { bridgedUpdate } from "../support/other-writer";
import { requestLines, runCli } from "./support";

const DB = "Username-Password-Authentication";

describe("cli: audit --require", () => {
    let emulator: Emulator;
    beforeEach(async () => {
        emulator = await startEmulator();
    });
    afterEach(() => emulator.stop());

    it("exits 0 when the named connection denies every required entry, printing that answer alone", async () => {
        const { code, stdout, stderr } = await runCli(
            ["audit", "--require", "gender,ethnicity", "--connection", DB],
            envFor(emulator),
        );
        assert.equal(code, 0, stderr);
        // No connections table, no finding about another connection (acme-saml's Debug Mode): only a count.
        assert.equal(
            stdout,
            `Required entries (gender, ethnicity): denied on all 1 connection checked in ${emulator.url}.\n` +
                "\n" +
                "Not part of this check: 1 finding in the tenant's audit; run audit without --require to list them.\n",
        );
        assert.deepEqual(requestLines(emulator), ["POST /oauth/token", "GET /api/v2/connections"]);
    });

    it("points out a required entry the list holds in another case: Auth0 compares names exactly", async () => {
        const { code, stdout } = await runCli(
            ["audit", "--require", "Gender,ethnicity", "--connection", DB],
            envFor(emulator),
        );
        assert.equal(code, 1);
        assert.deepEqual(stdout.split("\n").slice(0, 3), [
            `Required entries (Gender, ethnicity): MISSING on 1 of 1 connection checked in ${emulator.url}:`,
            "  Username-Password-Authentication  (con_DbUsers000000001)  lacks Gender",
            '      Auth0 compares names exactly: the list has "gender", not "Gender".',
        ]);
        const json = await runCli(["audit", "--require", "Gender", "--connection", DB, "--json"], envFor(emulator));
        assert.deepEqual(AuditReportSchema.parse(JSON.parse(json.stdout)).required?.lacking, [
            {
                connection: DB,
                connectionId: SEED_IDS.auth0,
                missing: ["Gender"],
                otherCase: [{ required: "Gender", listed: ["gender"] }],
            },
        ]);
    });

    it("exits 1 after another writer wiped the list, naming the connection and every missing entry", async () => {
        await bridgedUpdate(emulator, SEED_IDS.auth0, { passwordPolicy: "excellent" });
        const { code, stdout } = await runCli(
            ["audit", "--require", "gender", "--require", "ethnicity", "--connection", DB],
            envFor(emulator),
        );
        assert.equal(code, 1);
        const lines = stdout.split("\n");
        assert.equal(
            lines[0],
            `Required entries (gender, ethnicity): MISSING on 1 of 1 connection checked in ${emulator.url}:`,
        );
        assert.match(
            lines[1],
            /^ {2}Username-Password-Authentication\s+\(con_DbUsers000000001\)\s+lacks gender, ethnicity$/,
        );
    });

    it("without --connection checks every connection; --json carries the check in its schema", async () => {
        const { code, stdout, stderr } = await runCli(["audit", "--require", "gender", "--json"], envFor(emulator));
        assert.equal(code, 1, stderr);
        const report = AuditReportSchema.parse(JSON.parse(stdout));
        assert.deepEqual(report.required, {
            attributes: ["gender"],
            connections: ["acme-azure-ad", "acme-oidc", "acme-saml", "google-oauth2", DB],
            lacking: [
                { connection: "acme-azure-ad", connectionId: SEED_IDS.waad, missing: ["gender"] },
                { connection: "acme-oidc", connectionId: SEED_IDS.oidc, missing: ["gender"] },
                { connection: "acme-saml", connectionId: SEED_IDS.samlp, missing: ["gender"] },
                { connection: "google-oauth2", connectionId: SEED_IDS.google, missing: ["gender"] },
            ],
        });
        // A plain audit's JSON is unchanged: no `required` key.
        const plain = await runCli(["audit", "--json"], envFor(emulator));
        assert.equal("required" in JSON.parse(plain.stdout), false);
    });

    it("--fail-on-findings and --require combine: either failing exits 1, the findings after the answer", async () => {
        // acme-saml has Debug Mode on, a finding; the required entry is there.
        const { code, stdout } = await runCli(
            ["audit", "--require", "gender", "--connection", DB, "--fail-on-findings"],
            envFor(emulator),
        );
        assert.equal(code, 1);
        const lines = stdout.trimEnd().split("\n");
        assert.equal(lines[0], `Required entries (gender): denied on all 1 connection checked in ${emulator.url}.`);
        assert.deepEqual(lines.slice(1, 3), ["", "Findings:"]);
        assert.match(lines[3], /^ {2}acme-saml\s+saml-debug\s+Debug Mode is on/);
        assert.equal(lines.length, 4);
    });

    it("bad usage exits 2 with one error line and sends nothing", async () => {
        const cases: [string[], RegExp][] = [
            [["audit", "--require", "user.name"], /--require: "user\.name" is a nested path.*use "name"/],
            [["audit", "--require", "gender,,birthdate"], /--require: "" is empty: remove it/],
            [["audit", "--require", "gender, "], /--require: "" is empty/],
            [["audit", "--connection", DB], /--connection needs --require/],
            [["audit", "--require", "gender", "--compare", "other.env"], /--require checks one tenant/],
            [["audit", "--require"], /argument missing/],
        ];
        for (const [argv, message] of cases) {
            const { code, stdout, stderr } = await runCli(argv, envFor(emulator));
            assert.equal(code, 2, argv.join(" "));
            assert.equal(stdout, "");
            assert.match(stderr, /^error: /);
            assert.match(stderr, message);
        }
        assert.deepEqual(emulator.requests(), []);
    });

    it("a --connection the tenant does not have exits 2, naming it", async () => {
        const { code, stdout, stderr } = await runCli(
            ["audit", "--require", "gender", "--connection", "members"],
            envFor(emulator),
        );
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.match(stderr, /error: No connection named "members" in http:\/\/127\.0\.0\.1:\d+/);
    });

    it("checkRequired keeps the order given and reports only what each connection lacks", () => {
        const report = {
            report: "audit" as const,
            tenant: "https://t",
            connections: [
                { id: "con_a", name: "a", strategy: "auth0", denyList: ["y"] },
                { id: "con_b", name: "b", strategy: "auth0", denyList: ["x", "y", "z"] },
                { id: "con_c", name: "c", strategy: "auth0", denyList: [] },
            ],
            findings: [],
            summary: { connections: 3, withDenyList: 2, findings: 0 },
        };
        assert.deepEqual(checkRequired(report, ["z", "y", "x"], ["a", "b"]), {
            attributes: ["z", "y", "x"],
            connections: ["a", "b"],
            lacking: [{ connection: "a", connectionId: "con_a", missing: ["z", "x"] }],
        });
        assert.deepEqual(
            checkRequired(report, ["y"], []).lacking.map((entry) => entry.connection),
            ["c"],
        );
        assert.deepEqual(checkRequired(report, ["Z", "y"], ["b"]).lacking, [
            { connection: "b", connectionId: "con_b", missing: ["Z"], otherCase: [{ required: "Z", listed: ["z"] }] },
        ]);
    });
});
