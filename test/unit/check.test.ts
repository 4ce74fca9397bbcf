import assert from "node:assert/strict";
import fc from "fast-check";
import { checkInputs } from "../../provider/core/check";
import { containsUnknown, InputsSchema, UNKNOWN } from "../../provider/core/schema";
import type { ConnectionDenyListArgs } from "../../provider/program/resource";

const ok = { connectionId: "con_abc123", attributes: ["gender"] };
const FIELDS = ["connectionId", "connectionName", "attributes", "exclusive"];

function reasons(news: Record<string, unknown>): string[] {
    return (checkInputs(news).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
}

describe("check", () => {
    it("accepts valid inputs and normalises the attributes", () => {
        const result = checkInputs({ connectionName: "acme", attributes: ["b", "a", "b"] });
        assert.equal(result.failures, undefined);
        assert.deepEqual(result.inputs, { connectionName: "acme", attributes: ["a", "b"], exclusive: false });
    });

    it("accepts claim URLs, SAML attribute URNs and dotted claim names from an upstream IdP", () => {
        const names = [
            "https://acme.com/temporary_idtoken",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "urn:oid:2.5.4.42",
            "urn:mace:dir:attribute-def:eduPersonPrincipalName",
            "acme.com/roles",
            "employee.id",
            "username",
            "identities",
            "address",
        ];
        for (const name of names) assert.deepEqual(reasons({ ...ok, attributes: [name] }), [], name);
    });

    it("counts length in code points, as JSON Schema does: 255 emoji are accepted, 256 are not", () => {
        assert.deepEqual(reasons({ ...ok, attributes: ["\u{1F600}".repeat(255)] }), []);
        assert.match(reasons({ ...ok, attributes: ["\u{1F600}".repeat(256)] })[0], /is 256 characters long/);
    });

    // Every Default_Ignorable_Code_Point, not a hand-made list: zero-width and bidi controls, the soft
    // hyphen, invisible operators, the combining grapheme joiner, variation selectors, tag characters,
    // Hangul fillers.
    const invisible = [
        0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x202a, 0x202e, 0x2066, 0x2069, 0x00ad, 0x2061, 0x2062, 0x2063, 0x2064,
        0x034f, 0xfe0f, 0xfe00, 0xe0041, 0xe007f, 0x3164, 0x115f, 0x1160, 0xffa0, 0x180e, 0x17b4,
    ];
    for (const codePoint of invisible) {
        const label = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
        it(`refuses ${label}, naming the code point and its position`, () => {
            const found = reasons({ ...ok, attributes: ["gender", `ss${String.fromCodePoint(codePoint)}n`] });
            assert.equal(found.length, 1, JSON.stringify(found));
            assert.match(
                found[0],
                new RegExp(
                    `^attributes: attributes\\[1\\] ".*" contains the invisible character ${label.replace("+", "\\+")} at position 3: remove it$`,
                ),
            );
        });
    }

    it("refuses an invisible character at either end by its name, not as whitespace", () => {
        assert.match(
            reasons({ ...ok, attributes: ["\uFEFFemail"] })[0],
            /contains the invisible character U\+FEFF at position 1/,
        );
    });

    it("refuses a name not in NFC, giving the NFC spelling", () => {
        const decomposed = "pre\u0301nom";
        const found = reasons({ ...ok, attributes: [decomposed] });
        assert.equal(found.length, 1);
        assert.ok(found[0].includes(`is not in Unicode NFC form`), found[0]);
        assert.ok(found[0].endsWith(`write ${JSON.stringify("pr\u00E9nom")}`), found[0]);
        assert.deepEqual(reasons({ ...ok, attributes: ["pr\u00E9nom"] }), []);
    });

    it("refuses a lone surrogate", () => {
        assert.match(reasons({ ...ok, attributes: ["a\uD800b"] })[0], /lone UTF-16 surrogate/);
    });

    const table: [string, Record<string, unknown>, RegExp][] = [
        ["neither target", { attributes: ["a"] }, /connectionId: no connection given: set exactly one/],
        ["both targets", { ...ok, connectionName: "x" }, /connectionName: both connectionId and connectionName/],
        ["malformed id", { ...ok, connectionId: "abc" }, /connectionId "abc" is not an Auth0 connection id \(con_/],
        ["id with symbols", { ...ok, connectionId: "con_ab-c" }, /is not an Auth0 connection id/],
        ["non-string id", { ...ok, connectionId: 42 }, /connectionId must be a string/],
        ["empty name", { connectionName: "", attributes: ["a"] }, /connectionName is empty/],
        ["missing attributes", { connectionId: "con_a1" }, /attributes: is required/],
        ["attributes not a list", { ...ok, attributes: "gender" }, /attributes must be a list/],
        ["non-string entry", { ...ok, attributes: ["a", 7] }, /attributes\[1\] must be a string/],
        ["empty entry", { ...ok, attributes: [""] }, /attributes\[0\] is empty: remove it/],
        [
            "too long",
            { ...ok, attributes: ["x".repeat(256)] },
            /attributes\[0\] is 256 characters long; Auth0 accepts at most 255/,
        ],
        [
            "whitespace",
            { ...ok, attributes: [" name"] },
            /attributes\[0\] " name" has leading or trailing whitespace: write "name"/,
        ],
        ["control character", { ...ok, attributes: ["na\u0007me"] }, /contains a control character/],
        [
            "user.name",
            { ...ok, attributes: ["user.name"] },
            /nested path; Auth0 denies root profile fields: use "name"/,
        ],
        [
            "user_metadata path",
            { ...ok, attributes: ["user_metadata.x"] },
            /user_metadata path; only root profile fields/,
        ],
        ["app_metadata path", { ...ok, attributes: ["app_metadata.x"] }, /app_metadata path/],
        ["user.address.country", { ...ok, attributes: ["user.address.country"] }, /nested path; .*: use "address"/],
        ["identities path", { ...ok, attributes: ["identities.0.access_token"] }, /deny "identities" or remove it/],
        ["identities index", { ...ok, attributes: ["identities[0].profileData"] }, /deny "identities" or remove it/],
        [
            "address.country",
            { ...ok, attributes: ["address.country"] },
            /only root fields can be denied: deny "address"/,
        ],
        [
            "more than 96",
            { ...ok, attributes: Array.from({ length: 97 }, (_, i) => `a${i}`) },
            /attributes has 97 distinct entries; Auth0 accepts at most 96/,
        ],
        ["exclusive not boolean", { ...ok, exclusive: "yes" }, /exclusive must be true or false/],
    ];
    for (const [name, news, expected] of table) {
        it(`fails for ${name}, naming the field and the fix`, () => {
            const found = reasons(news);
            assert.ok(
                found.some((r) => expected.test(r)),
                `expected ${expected} in ${JSON.stringify(found)}`,
            );
        });
    }

    it("96 entries, duplicates counted once, are accepted", () => {
        const attributes = Array.from({ length: 96 }, (_, i) => `a${i}`);
        assert.deepEqual(reasons({ ...ok, attributes: [...attributes, "a0"] }), []);
    });

    it("never fails on unknown values, at any depth", () => {
        assert.deepEqual(reasons({ connectionId: UNKNOWN, attributes: UNKNOWN }), []);
        assert.deepEqual(reasons({ connectionName: UNKNOWN, attributes: ["a", UNKNOWN], exclusive: UNKNOWN }), []);
        assert.deepEqual(checkInputs({ ...ok, attributes: ["b", UNKNOWN, "a"] }).inputs?.attributes, [
            "b",
            UNKNOWN,
            "a",
        ]);
    });

    it("for arbitrary input, never throws, and passes only what create/update accept", () => {
        const anything = fc.oneof(
            fc.anything(),
            fc.constant(UNKNOWN),
            fc.array(
                fc.oneof(
                    fc.string({ unit: "grapheme" }),
                    fc.string({ unit: "binary" }),
                    fc.constant(UNKNOWN),
                    fc.anything(),
                ),
            ),
            fc.array(fc.string(), { minLength: 90, maxLength: 200 }),
            fc.string({ minLength: 200, maxLength: 400 }),
        );
        fc.assert(
            fc.property(
                fc.record(
                    { connectionId: anything, connectionName: anything, attributes: anything, exclusive: anything },
                    { requiredKeys: [] },
                ),
                (news) => {
                    const result = checkInputs(news);
                    if (result.failures !== undefined) {
                        // Refused: every failure names an input field, and the inputs come back as given.
                        assert.ok(result.failures.length > 0);
                        for (const f of result.failures) assert.ok(FIELDS.includes(f.property), f.property);
                        assert.equal(result.inputs, news);
                        return;
                    }
                    // Accepted: exactly one target, and what is known is what create/update will parse.
                    const inputs = result.inputs as Record<string, unknown>;
                    assert.equal([news.connectionId, news.connectionName].filter((v) => v !== undefined).length, 1);
                    if (!containsUnknown(inputs))
                        assert.ok(InputsSchema.safeParse(inputs).success, JSON.stringify(inputs));
                },
            ),
            { numRuns: 500 },
        );
    });
});

describe("ConnectionDenyListArgs", () => {
    it("admits exactly one target: both or neither fails to type-check (tsc runs over this file)", () => {
        const byId: ConnectionDenyListArgs = { connectionId: "con_a", attributes: ["x"] };
        const byName: ConnectionDenyListArgs = { connectionName: "members", attributes: ["x"] };
        // @ts-expect-error both targets
        const both: ConnectionDenyListArgs = { connectionId: "con_a", connectionName: "members", attributes: [] };
        // @ts-expect-error neither target
        const neither: ConnectionDenyListArgs = { attributes: [] };
        // What the type cannot stop (an untyped program) check still refuses.
        assert.deepEqual(
            [byId, byName, both, neither].map((args) => checkInputs({ ...args }).failures?.length ?? 0),
            [0, 0, 1, 1],
        );
    });
});
