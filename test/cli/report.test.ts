/**
 * The pure parts of the audit: findings for entries the big tenant does not cover, the
 * comparison's edge cases, and the table's handling of hostile tenant data.
 */
import assert from "node:assert/strict";
import { auditConnections, compareReports } from "../../cli/audit";
import { parseEnvFile } from "../../cli/credentials";
import { renderAuditTable, shown } from "../../cli/render";
import { AuditReportSchema, CompareReportSchema } from "../../cli/report";
import type { Connection } from "../../provider/auth0/wire";
import { rootCopiesProblem } from "../../provider/core/stored-data";

function conn(name: string, list: unknown, extra: Record<string, unknown> = {}, strategy = "auth0"): Connection {
    return { id: `con_${name.replace(/\W/g, "")}`, name, strategy, options: { non_persistent_attrs: list, ...extra } };
}

describe("cli: audit report (pure)", () => {
    it("every entry that is not a root field or claim name is a finding, once, with the provider's explanation", () => {
        const report = auditConnections("https://t", [
            conn("db", [" name", "", "tab\there", "gender", "user.name", "user.name", "https://acme.com/a.b"]),
        ]);
        AuditReportSchema.parse(report);
        assert.deepEqual(
            report.findings.map((f) => [f.kind, f.attribute, f.message]),
            [
                ["not-root-field", " name", '" name" has leading or trailing whitespace: write "name"'],
                ["not-root-field", "", 'entry "" is empty: remove it'],
                ["not-root-field", "tab\there", '"tab\\there" contains a control character: remove it'],
                [
                    "not-root-field",
                    "user.name",
                    '"user.name" is a nested path; Auth0 denies root profile fields: use "name"',
                ],
            ],
        );
    });

    it("follows the provider's rules: SAML names are fine, invisible characters are findings, length in code points", () => {
        const emoji = "\u{1F600}".repeat(200);
        const report = auditConnections("https://t", [
            conn("saml", ["urn:oid:2.5.4.42", "acme.com/roles", emoji, "em\u200Bail", "x".repeat(256)]),
        ]);
        assert.deepEqual(
            report.findings.map((f) => [f.kind, f.attribute]),
            [
                ["not-root-field", "em\u200Bail"],
                ["too-long", "x".repeat(256)],
            ],
        );
        assert.match(report.findings[0].message, /contains the invisible character U\+200B at position 3/);
    });

    it("saml-debug only for samlp connections with debug on, whatever their list", () => {
        const report = auditConnections("https://t", [
            conn("saml-on-empty", null, { debug: true }, "samlp"),
            conn("saml-off", ["x"], { debug: false }, "samlp"),
            conn("oidc-debug", ["x"], { debug: true }, "oidc"),
        ]);
        assert.deepEqual(
            report.findings.map((f) => [f.connection, f.kind]),
            [["saml-on-empty", "saml-debug"]],
        );
        assert.match(report.findings[0].message, /any attribute denied later still appears there/);
    });

    it("root-copies-kept for a connection with a deny list that does not sync profile attributes at each login", () => {
        const report = auditConnections("https://t", [
            conn("sso-first", ["gender"], { set_user_root_attributes: "on_first_login" }, "waad"),
            conn("sso-never", ["gender"], { set_user_root_attributes: "never_on_login" }, "oidc"),
            conn("sso-each", ["gender"], { set_user_root_attributes: "on_each_login" }, "samlp"),
            conn("sso-default", ["gender"], {}, "oidc"),
            conn("sso-no-list", null, { set_user_root_attributes: "on_first_login" }, "waad"),
        ]);
        AuditReportSchema.parse(report);
        assert.deepEqual(
            report.findings.map((f) => [f.connection, f.kind, f.attribute, f.message]),
            [
                ["sso-first", "root-copies-kept", undefined, rootCopiesProblem("on_first_login")],
                ["sso-never", "root-copies-kept", undefined, rootCopiesProblem("never_on_login")],
            ],
        );
        assert.ok(!("set_user_root_attributes" in report.connections[0]), "options never reach the report");
    });

    it("a malformed list stops the audit with the provider's explanation", () => {
        assert.throws(() => auditConnections("https://t", [conn("db", [1, 2])]), /not a list of strings/);
    });

    it("compares by name: null and [] are the same list; a connection on one side only differs by its list", () => {
        const left = auditConnections("https://l", [conn("a", null), conn("b", ["x", "y"]), conn("c", [])]);
        const right = auditConnections("https://r", [conn("a", []), conn("b", ["y", "x"]), conn("d", ["z"])]);
        const report = CompareReportSchema.parse(compareReports(left, right));
        assert.deepEqual(report.differences, [{ connection: "d", presentIn: "right", onlyLeft: [], onlyRight: ["z"] }]);
        assert.deepEqual(compareReports(left, left).differences, []);
    });

    it("the table quotes and shortens tenant data that could mislead or drive a terminal", () => {
        assert.equal(shown("gender"), "gender");
        assert.equal(shown("a,b"), '"a,b"');
        assert.equal(shown("\u001b[2Jboom"), '"\\u001b[2Jboom"');
        assert.equal(shown(" x"), '" x"');
        assert.equal(shown("\u202Eevil"), '"\\u202eevil"');
        assert.equal(shown("y".repeat(70)), `${"y".repeat(60)}…`);
        const table = renderAuditTable(auditConnections("https://t", [conn("db", ["\u001b[31mred", "ok"])]));
        assert.ok(!table.includes("\u001b"), "an escape sequence reached the terminal");
    });

    it("reads dotenv-style files: export, quotes, comments", () => {
        assert.deepEqual(
            parseEnvFile(
                [
                    "# comment",
                    "",
                    "export AUTH0_DOMAIN=acme.eu.auth0.com # prod",
                    'AUTH0_CLIENT_ID="id with # hash"',
                    "AUTH0_CLIENT_SECRET='s3cr\"t'",
                    'QUOTED="a\\"b\\nc"',
                    "EMPTY=",
                ].join("\r\n"),
                "f",
            ),
            {
                AUTH0_DOMAIN: "acme.eu.auth0.com",
                AUTH0_CLIENT_ID: "id with # hash",
                AUTH0_CLIENT_SECRET: 's3cr"t',
                QUOTED: 'a"b\nc',
                EMPTY: "",
            },
        );
        assert.throws(
            () => parseEnvFile("AUTH0_DOMAIN=x\nnot a line with SECRET", "dev.env"),
            (error: Error) => {
                assert.equal(error.message, "dev.env, line 2: expected KEY=VALUE");
                return true;
            },
        );
    });
});
