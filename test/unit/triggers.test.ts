/**
 * `triggers` in check and diff: validated as a list, compared as a whole value, never a
 * replace, unknown means "may change", and state from before triggers existed shows no change.
 */
import assert from "node:assert/strict";
import { checkInputs } from "../../provider/core/check";
import { diffInputs, sameValue } from "../../provider/core/diff";
import { StateSchema, UNKNOWN } from "../../provider/core/schema";

// What an update of a resource that stays on its connection never changes.
const STABLES = ["connectionId", "connectionName", "strategy", "tenant", "declaredBy"];

// The other outputs take their schema defaults; only these matter to the diff here.
const state = { connectionId: "con_abc", attributes: ["a", "b"], triggers: ["con_abc", { digest: "1f2e", size: 3 }] };
const news = { connectionId: "con_abc", attributes: ["a", "b"], exclusive: false };

describe("triggers", () => {
    it("check accepts any list, nested values and unknowns included, and passes it through unchanged", () => {
        for (const triggers of [[], ["x", 1, true, null, { a: [1] }], [UNKNOWN], UNKNOWN]) {
            const result = checkInputs({ ...news, triggers });
            assert.equal(result.failures, undefined, JSON.stringify(triggers));
            assert.deepEqual(result.inputs.triggers, triggers);
        }
        assert.equal("triggers" in checkInputs(news).inputs, false, "no triggers stays no triggers");
    });

    it("check fails, naming triggers, for anything but a list", () => {
        for (const triggers of ["x", 1, { a: 1 }, null, true]) {
            const { failures } = checkInputs({ ...news, triggers });
            assert.deepEqual(
                failures?.map((failure) => failure.property),
                ["triggers"],
                JSON.stringify(triggers),
            );
            assert.match(failures?.[0].reason ?? "", /^triggers must be a list/);
        }
    });

    it("an unchanged value is no change, whatever the key order of its objects", () => {
        const reordered = ["con_abc", { size: 3, digest: "1f2e" }];
        assert.deepEqual(diffInputs(state, { ...news, triggers: reordered }), { changes: false, stables: STABLES });
    });

    it("a changed value is an update, never a replace, and does not touch the target", () => {
        for (const triggers of [
            ["con_abc", { digest: "9a9a", size: 3 }],
            [{ digest: "1f2e", size: 3 }, "con_abc"],
            [],
        ]) {
            assert.deepEqual(
                diffInputs(state, { ...news, triggers }),
                { changes: true, stables: STABLES },
                JSON.stringify(triggers),
            );
        }
        assert.deepEqual(diffInputs(state, { ...news, connectionId: "con_other", triggers: state.triggers }), {
            changes: true,
            replaces: ["connectionId"],
            deleteBeforeReplace: true,
        });
    });

    it("an unknown value, or one holding an unknown, may change: an update, not a replace", () => {
        for (const triggers of [UNKNOWN, ["con_abc", UNKNOWN], ["con_abc", { digest: UNKNOWN, size: 3 }]]) {
            assert.deepEqual(
                diffInputs(state, { ...news, triggers }),
                { changes: true, stables: STABLES },
                JSON.stringify(triggers),
            );
        }
    });

    it("state written before triggers existed reads as none, and shows no change when the program passes none", () => {
        const { triggers: _ignored, ...old } = state;
        assert.deepEqual(StateSchema.parse(old).triggers, []);
        assert.deepEqual(diffInputs(old, news), { changes: false, stables: STABLES });
        assert.deepEqual(diffInputs(old, { ...news, triggers: [] }), { changes: false, stables: STABLES });
        assert.deepEqual(diffInputs(old, { ...news, triggers: ["v1"] }), { changes: true, stables: STABLES });
    });

    it("compares values deeply: types, nesting and array order count", () => {
        assert.equal(sameValue([1, "1"], [1, "1"]), true);
        assert.equal(sameValue([1], ["1"]), false);
        assert.equal(sameValue([{ a: [1, 2] }], [{ a: [2, 1] }]), false);
        assert.equal(sameValue([{ a: null }], [{}]), false);
        assert.equal(sameValue([{ a: { b: 1, c: 2 } }], [{ a: { c: 2, b: 1 } }]), true);
    });
});
