import assert from "node:assert/strict";
import { covers, lackingOn, planTenant } from "../../provider/core/tenant-plan";

const conn = (id: string, strategy: string, live?: string[]) => ({ id, name: `n-${id}`, strategy, live });

describe("TenantDenyList planning (pure)", () => {
    it("covers a connection by strategy and name", () => {
        const scope = { strategies: ["samlp"], excludeConnections: ["legacy"] };
        assert.equal(covers(scope, { id: "con_1", name: "acme", strategy: "samlp" }), true);
        assert.equal(covers(scope, { id: "con_1", name: "acme", strategy: "oidc" }), false);
        assert.equal(covers(scope, { id: "con_1", name: "legacy", strategy: "samlp" }), false);
        assert.equal(covers({ excludeConnections: [] }, { id: "con_1", name: "x", strategy: "anything" }), true);
    });

    it("a connection holding every entry costs nothing; one lacking an entry, or of unknown list, is written", () => {
        const plan = planTenant(
            [conn("a", "samlp", ["ssn", "other"]), conn("b", "samlp", []), conn("c", "samlp")],
            ["ssn"],
            { excludeConnections: [] },
            [],
        );
        assert.deepEqual(plan.unchanged, [{ id: "a", name: "n-a", strategy: "samlp", owned: [] }]);
        assert.deepEqual(
            plan.work.map((w) => [w.kind, w.id]),
            [
                ["ensure", "b"],
                ["ensure", "c"],
            ],
        );
    });

    it("an owned entry no longer declared is a write; a connection no longer covered releases what it owned", () => {
        const previous = [
            { id: "a", name: "n-a", owned: ["ssn", "old"] },
            { id: "b", name: "n-b", owned: ["ssn"] },
            { id: "gone", name: "n-gone", owned: ["ssn"] },
        ];
        const plan = planTenant(
            [conn("a", "samlp", ["ssn", "old"]), conn("b", "oidc", ["ssn"])],
            ["ssn"],
            { strategies: ["samlp"], excludeConnections: ["missing"] },
            previous,
        );
        assert.deepEqual(plan.work, [
            { kind: "ensure", id: "a", name: "n-a", strategy: "samlp", previouslyOwned: ["ssn", "old"] },
            { kind: "release", id: "b", name: "n-b", strategy: "oidc", remove: ["ssn"] },
        ]);
        assert.deepEqual(plan.unknownExclusions, ["missing"]);
    });

    it("a refresh reports what each covered connection lacks, and keeps uncovered ones it still owns entries on", () => {
        const previous = [{ id: "b", name: "n-b", owned: ["ssn"] }];
        const refreshed = lackingOn(
            [conn("a", "samlp", ["ssn"]), conn("new", "samlp", []), conn("b", "oidc", ["ssn"])],
            ["ssn"],
            { strategies: ["samlp"], excludeConnections: [] },
            previous,
        );
        assert.deepEqual(refreshed, [
            { id: "a", name: "n-a", strategy: "samlp", owned: [] },
            { id: "new", name: "n-new", strategy: "samlp", owned: [], lacking: ["ssn"] },
            { id: "b", name: "n-b", owned: ["ssn"] },
        ]);
    });
});
