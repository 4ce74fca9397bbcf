import assert from "node:assert/strict";
import { diffInputs } from "../../provider/core/diff";
import { UNKNOWN } from "../../provider/core/schema";

// What an update of a resource that stays on its connection never changes.
const STABLES = ["connectionId", "connectionName", "strategy", "tenant", "declaredBy"];

const state = {
    connectionId: "con_abc",
    connectionName: "acme",
    strategy: "auth0",
    attributes: ["a", "b"],
    exclusive: false,
    ownedAttributes: ["a"],
    schemaVersion: 1,
};

describe("diff", () => {
    it("order and duplicates are not changes", () => {
        assert.deepEqual(
            diffInputs(state, { connectionId: "con_abc", attributes: ["b", "a", "a"], exclusive: false }),
            { changes: false, stables: STABLES },
        );
    });

    it("by name, the same name is no change", () => {
        assert.deepEqual(diffInputs(state, { connectionName: "acme", attributes: ["a", "b"] }), {
            changes: false,
            stables: STABLES,
        });
    });

    it("a different attribute list or mode is an update", () => {
        assert.deepEqual(diffInputs(state, { connectionId: "con_abc", attributes: ["a"] }), {
            changes: true,
            stables: STABLES,
        });
        assert.deepEqual(diffInputs(state, { connectionId: "con_abc", attributes: ["a", "b"], exclusive: true }), {
            changes: true,
            stables: STABLES,
        });
    });

    it("another connection is a delete-before-replace", () => {
        assert.deepEqual(diffInputs(state, { connectionId: "con_other", attributes: ["a", "b"] }), {
            changes: true,
            replaces: ["connectionId"],
            deleteBeforeReplace: true,
        });
        assert.deepEqual(diffInputs(state, { connectionName: "other", attributes: ["a", "b"] }).replaces, [
            "connectionName",
        ]);
    });

    it("unknown values are a possible change, never no change", () => {
        assert.equal(diffInputs(state, { connectionId: "con_abc", attributes: UNKNOWN }).changes, true);
        assert.equal(diffInputs(state, { connectionId: "con_abc", attributes: ["a", UNKNOWN] }).changes, true);
        assert.equal(
            diffInputs(state, { connectionId: "con_abc", attributes: ["a", "b"], exclusive: UNKNOWN }).changes,
            true,
        );
        assert.deepEqual(diffInputs(state, { connectionName: UNKNOWN, attributes: ["a", "b"] }).replaces, [
            "connectionName",
        ]);
    });

    it("reads state written before ownership existed", () => {
        assert.deepEqual(
            diffInputs({ connectionId: "con_abc", attributes: ["a"] }, { connectionId: "con_abc", attributes: ["a"] }),
            {
                changes: false,
                stables: STABLES,
            },
        );
    });
});
