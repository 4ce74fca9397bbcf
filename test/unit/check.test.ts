import assert from "node:assert/strict";
import fc from "fast-check";
import { checkInputs } from "../../provider/check";
import { UNKNOWN } from "../../provider/schema";

const ok = { connectionId: "con_abc123", attributes: ["gender"] };

function reasons(news: Record<string, unknown>): string[] {
    return (checkInputs(news).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
}

describe("check", () => {
    it("accepts valid inputs and normalises the attributes", () => {
        const result = checkInputs({ connectionName: "acme", attributes: ["b", "a", "b"] });
        assert.equal(result.failures, undefined);
        assert.deepEqual(result.inputs, { connectionName: "acme", attributes: ["a", "b"], exclusive: false });
    });

    it("accepts claim URLs from an upstream IdP", () => {
        assert.deepEqual(reasons({ ...ok, attributes: ["https://acme.com/temporary_idtoken"] }), []);
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

    it("returns failures or passes for arbitrary input, and never throws", () => {
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
                    return (
                        result.failures === undefined ||
                        result.failures.every((f) => typeof f.reason === "string" && f.reason.length > 0)
                    );
                },
            ),
            { numRuns: 500 },
        );
    });
});
