/** The writer's planning as a function: from the GET's list and the queued operations to the PATCH's list and each result. */
import assert from "node:assert/strict";
import { type Declaration, known } from "../../provider/core/declaration";
import type { Intent } from "../../provider/core/denylist";
import type { LedgerSnapshot } from "../../provider/core/ownership";
import { MAX_ATTRIBUTES } from "../../provider/core/schema";
import { type Operation, planWrite, type ReadConnection } from "../../provider/core/write-plan";
import { OwnershipLedger } from "../../provider/host/ledger";

const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/auth0:ConnectionDenyList::${name}`;
const [A, B] = [urn("a"), urn("b")];
const connection = (live: string[]): ReadConnection => ({ id: "con_C", name: "c", strategy: "auth0", live });
const declaration = (by: string, attributes: readonly string[], exclusive = false): Declaration => ({
    by,
    reach: { kind: "connection", id: "con_C" },
    attributes: known(attributes),
    exclusive,
});
const ensure = (declared: string[], previouslyOwned: string[] = [], exclusive = false): Intent => ({
    kind: "ensure",
    declared,
    exclusive,
    previouslyOwned,
});
const empty: LedgerSnapshot = new OwnershipLedger().snapshot("con_C");
const op = (by: string, intent: Intent, ledger: LedgerSnapshot = empty, more: Partial<Operation> = {}): Operation => ({
    by,
    intent,
    declaration: intent.kind === "ensure" ? declaration(by, intent.declared, intent.exclusive) : undefined,
    sources: { ledger },
    ...more,
});

describe("planWrite", () => {
    it("applies a batch in order: one list for all, the first writer owns, a later declarer of the same entry owns it too", () => {
        const plan = planWrite(connection(["old"]), [op(A, ensure(["x"])), op(B, ensure(["x", "y"]))]);
        assert.deepEqual(plan.next, ["old", "x", "y"]);
        assert.equal(plan.changes, true);
        assert.deepEqual(
            plan.results.map((r) => (r.kind === "applied" ? r.owned : r.reason)),
            [["x"], ["x", "y"]],
        );
    });

    it("an entry there before the stack is adopted, not owned; a list that already holds everything needs no write", () => {
        const plan = planWrite(connection(["x"]), [op(A, ensure(["x"]))]);
        assert.equal(plan.changes, false);
        assert.deepEqual(plan.results, [{ kind: "applied", owned: [], kept: {}, sharedWith: {} }]);
    });

    it("keeps an entry another resource declares and says who; the remover still owns it", () => {
        const ledger = new OwnershipLedger();
        ledger.declare(declaration(B, ["x"]));
        const plan = planWrite(connection(["x", "a"]), [op(A, ensure(["a"], ["a", "x"]), ledger.snapshot("con_C"))]);
        assert.equal(plan.changes, false);
        const [result] = plan.results;
        assert.equal(result.kind, "applied");
        if (result.kind === "applied") {
            assert.deepEqual(result.kept, { x: { by: [B], count: 1 } });
            assert.deepEqual(result.owned, ["a", "x"]);
            assert.deepEqual(result.sharedWith, { x: { by: [B], count: 1 } });
        }
    });

    it("refuses one operation alone (exclusive beside another, too long, renamed), and the others still apply", () => {
        const ledger = new OwnershipLedger();
        ledger.declare(declaration(B, ["b"]));
        const tooMany = Array.from({ length: MAX_ATTRIBUTES }, (_, i) => `e${i}`);
        const plan = planWrite(connection(["keep"]), [
            op(A, ensure(["a"], [], true), ledger.snapshot("con_C")),
            op(urn("long"), ensure(tooMany)),
            op(urn("renamed"), ensure(["r"]), empty, { expectedName: "old-name" }),
            op(B, ensure(["b"]), ledger.snapshot("con_C")),
        ]);
        const [exclusive, long, renamed, fine] = plan.results;
        assert.match(exclusive.kind === "refused" ? exclusive.reason : "", /exclusive ConnectionDenyList and another/);
        assert.match(long.kind === "refused" ? long.reason : "", /would have 97 entries; Auth0 accepts at most 96/);
        assert.match(
            renamed.kind === "refused" ? renamed.reason : "",
            /renamed from "old-name" to "c" outside Pulumi.*connectionName "c"/,
        );
        assert.equal(fine.kind, "applied");
        assert.deepEqual(plan.next, ["keep", "b"]);
    });

    it("a release removes what it owns unless another declares it; an entry a deleted resource kept is the last one's to remove", () => {
        const ledger = new OwnershipLedger();
        ledger.keepForOthers("con_C", "x");
        ledger.declare(declaration(B, ["x"]));
        const plan = planWrite(connection(["x", "y"]), [
            op(A, { kind: "release", remove: ["x", "y"] }, ledger.snapshot("con_C")),
        ]);
        assert.deepEqual(plan.next, ["x"]);
        const stillB = planWrite(connection(["x"]), [op(B, ensure(["x"]), ledger.snapshot("con_C"))]);
        assert.deepEqual(
            stillB.results[0].kind === "applied" && stillB.results[0].owned,
            ["x"],
            "b owns what was kept for it",
        );
    });
});
