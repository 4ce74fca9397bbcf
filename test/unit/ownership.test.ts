import assert from "node:assert/strict";
import { type ConnectionFacts, type Declaration, known, reaches, UNKNOWN_NAMES } from "../../provider/core/declaration";
import { applyIntent } from "../../provider/core/denylist";
import {
    exclusiveProblem,
    type LedgerSnapshot,
    othersDeclaring,
    recordOf,
    stackWritten,
    staleRecord,
} from "../../provider/core/ownership";
import { groupDeclarations, NAMED_DECLARERS, viewOf } from "../../provider/core/view";
import { OwnershipLedger } from "../../provider/host/ledger";

const C: ConnectionFacts = { id: "con_C", name: "c", strategy: "auth0" };
const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/auth0:ConnectionDenyList::${name}`;
const [A, B, D] = [urn("a"), urn("b"), urn("d")];
const on = (by: string, id: string | undefined, attributes: string[] | undefined, more: Partial<Declaration> = {}) =>
    ({
        by,
        reach: { kind: "connection", ...(id ? { id } : {}) },
        attributes: attributes ? known(attributes) : UNKNOWN_NAMES,
        ...more,
    }) as Declaration;
const empty: LedgerSnapshot = new OwnershipLedger().snapshot("con_C");
const ledgerOf = (build: (ledger: OwnershipLedger) => void): LedgerSnapshot => {
    const ledger = new OwnershipLedger();
    build(ledger);
    return ledger.snapshot("con_C");
};

describe("the reach rule: does a declaration reach a connection", () => {
    it("compares the first thing both sides know: id, then source resource, then name", () => {
        assert.equal(reaches({ kind: "connection", id: "con_C" }, C), "yes");
        assert.equal(reaches({ kind: "connection", id: "con_X" }, C), "no");
        assert.equal(reaches({ kind: "connection", name: "c" }, C), "yes");
        assert.equal(reaches({ kind: "connection", name: "other" }, C), "no");
        assert.equal(reaches({ kind: "connection", id: "con_C", name: "old-name" }, C), "yes", "the id decides");
        assert.equal(reaches({ kind: "connection" }, C), "maybe", "an unknown target may be anywhere");
        assert.equal(reaches({ kind: "connection", id: "con_C" }, { name: "c" }), "maybe", "an id against a name");
    });

    it("one source resource is one connection; two auth0.Connection resources are two; other sources may be one", () => {
        const conn = (n: number) => `auth0:index/connection:Connection#${n}`;
        assert.equal(reaches({ kind: "connection", from: conn(1) }, { from: conn(1) }), "yes");
        assert.equal(reaches({ kind: "connection", from: conn(1) }, { from: conn(2) }), "no");
        assert.equal(
            reaches({ kind: "connection", from: "random:index/randomId:RandomId#3" }, { from: conn(2) }),
            "maybe",
        );
    });

    it("a tenant scope covers its strategies, every one when it names none, but not what it excludes; unknowns are maybe", () => {
        const scope = { kind: "tenant", strategies: known(["samlp"]), excluded: known(["legacy"]) } as const;
        assert.equal(reaches(scope, { name: "acme", strategy: "samlp" }), "yes");
        assert.equal(reaches(scope, { name: "acme", strategy: "oidc" }), "no");
        assert.equal(reaches(scope, { name: "legacy", strategy: "samlp" }), "no");
        assert.equal(reaches(scope, { name: "acme" }), "maybe", "an unknown strategy");
        assert.equal(reaches({ kind: "tenant", excluded: known([]) }, {}), "yes", "everything, nothing excluded");
        assert.equal(reaches({ kind: "tenant", excluded: UNKNOWN_NAMES }, { name: "acme" }), "maybe");
    });
});

describe("views: what a resource carries about the others", () => {
    it("merges declarations per target, leaves out the resource itself and targets surely elsewhere", () => {
        const groups = groupDeclarations([on(A, "con_C", ["x"]), on(B, "con_C", ["x", "y"]), on(D, "con_X", ["x"])]);
        const view = viewOf(on(A, "con_C", ["x"]), groups);
        assert.deepEqual(view, [
            {
                reach: { kind: "connection", id: "con_C" },
                entries: { x: { by: [B], count: 1 }, y: { by: [B], count: 1 } },
            },
        ]);
    });

    it("names at most a handful of declarers per entry and counts the rest: the size follows the entries, not the resources", () => {
        const many = Array.from({ length: 300 }, (_, i) => on(urn(`r${String(i).padStart(3, "0")}`), "con_C", ["x"]));
        const [group] = viewOf(many[0], groupDeclarations(many));
        assert.equal(group.entries.x.by.length, NAMED_DECLARERS);
        assert.equal(group.entries.x.count, 299);
        assert.ok(!group.entries.x.by.includes(many[0].by));
    });
});

describe("ownership: who else declares an entry", () => {
    it("resources are told apart by identity, even with identical declarations; a deleted one no longer counts", () => {
        const both = ledgerOf((l) => {
            l.declare(on(A, "con_C", ["x"]));
            l.declare(on(B, "con_C", ["x"]));
        });
        assert.deepEqual(othersDeclaring("x", B, C, { ledger: both }), { by: [A], count: 1 });
        assert.deepEqual(othersDeclaring("x", A, C, { ledger: both }), { by: [B], count: 1 });
        const released = ledgerOf((l) => {
            l.declare(on(B, "con_C", ["x"]));
            l.release(A, on(A, "con_C", ["x"]), {});
        });
        assert.equal(othersDeclaring("x", B, C, { ledger: released }).count, 0);
    });

    it("a tenant-wide or by-name declaration counts on every connection, also one where it owns nothing yet", () => {
        const T = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/auth0:TenantDenyList::t";
        const ledger = ledgerOf((l) => {
            l.declare(
                { by: T, reach: { kind: "tenant", excluded: known([]) }, attributes: known(["x"]) },
                { con_A: ["x"] },
            );
            l.declare(on(B, undefined, ["x"], { reach: { kind: "connection", name: "c" } }), { con_A: ["x"] });
            l.declare(on(D, "con_A", ["x"]), { con_A: ["x"] });
        });
        assert.deepEqual(othersDeclaring("x", A, C, { ledger }), { by: [T, B].sort(), count: 2 });
    });

    it("the view counts where the ledger knows nothing; the ledger says where a viewed resource really is", () => {
        const view = viewOf(on(A, undefined, ["x"]), groupDeclarations([on(B, undefined, ["x"])]));
        assert.deepEqual(othersDeclaring("x", A, C, { ledger: empty, view }), { by: [B], count: 1 }, "maybe here");
        const moved = ledgerOf((l) => l.declare(on(B, "con_Other", ["x"])));
        assert.equal(othersDeclaring("x", A, C, { ledger: moved, view }).count, 0);
    });

    it("a resource the program declares still counts while it is being replaced (deleted, then created again)", () => {
        const view = viewOf(on(A, "con_C", []), groupDeclarations([on(B, "con_C", ["x"])]));
        const replacing = ledgerOf((l) => l.release(B, on(B, "con_C", ["x"]), {}));
        assert.equal(othersDeclaring("x", A, C, { ledger: replacing, view }).count, 1);
    });

    it("without a view the record counts, less the recorded declarers this process saw deleted", () => {
        const record = { x: { by: [B], count: 3 } };
        assert.deepEqual(othersDeclaring("x", A, C, { ledger: empty, record }), { by: [B], count: 3 });
        const someGone = ledgerOf((l) => {
            l.release(B, on(B, "con_C", ["x"]), {});
            l.release(D, on(D, "con_C", ["x"]), {});
        });
        assert.deepEqual(othersDeclaring("x", A, C, { ledger: someGone, record }), { by: [], count: 1 });
        assert.equal(othersDeclaring("y", A, C, { ledger: empty, record }).count, 0);
    });

    it("a record comes from the view alone, so the same program always gives the same record", () => {
        const view = viewOf(on(A, "con_C", ["x"]), groupDeclarations([on(B, "con_C", ["x"])]));
        const seen = ledgerOf((l) => l.declare(on(D, "con_C", ["x"])));
        assert.deepEqual(recordOf(["x"], A, C, { ledger: seen, view }), { x: { by: [B], count: 1 } });
        assert.equal(staleRecord(["x"], { x: { by: [B], count: 1 } }, A, C, { ledger: seen, view }), false);
        assert.equal(staleRecord(["x"], {}, A, C, { ledger: seen, view }), true, "b began declaring x");
        assert.equal(staleRecord(["x"], { x: { by: [B], count: 1 } }, A, C, { ledger: empty, view: [] }), true);
    });

    it("what other resources of the stack wrote on a connection, and what a deleted one kept there, is stack-written", () => {
        const ledger = ledgerOf((l) => {
            l.declare(on(B, "con_C", ["x"]), { con_C: ["x"] });
            l.keepForOthers("con_C", "y");
        });
        assert.deepEqual([...stackWritten(A, "con_C", ledger)].sort(), ["x", "y"]);
        assert.deepEqual([...stackWritten(B, "con_C", ledger)], ["y"], "not its own");
        assert.deepEqual([...stackWritten(A, "con_Other", ledger)], []);
        const deleting = ledgerOf((l) => l.release(D, on(D, "con_C", ["z"]), { con_C: ["z"] }));
        assert.deepEqual([...stackWritten(A, "con_C", deleting)], ["z"], "from the start of its delete, not its end");
    });

    it("an exclusive declaration beside another surely on its connection is a problem naming both", () => {
        const mine = on(A, "con_C", ["x"], { exclusive: true });
        assert.equal(exclusiveProblem(mine, C, { ledger: empty }), undefined);
        const beside = ledgerOf((l) => l.declare(on(B, "con_C", ["y"])));
        assert.match(
            exclusiveProblem(mine, C, { ledger: beside }) ?? "",
            /"a" \(exclusive \["x"\]\), "b" \(merge \["y"\]\)/,
        );
        const elsewhere = ledgerOf((l) => l.declare(on(B, "con_X", ["y"])));
        assert.equal(exclusiveProblem(mine, C, { ledger: elsewhere }), undefined);
        const view = viewOf(mine, groupDeclarations([on(B, "con_C", ["y"])]));
        assert.match(exclusiveProblem(mine, C, { ledger: empty, view }) ?? "", /"b"/);
    });
});

describe("applyIntent with entries others declare or wrote", () => {
    const intent = { kind: "ensure", declared: ["a"], exclusive: false, previouslyOwned: ["a", "x"] } as const;

    it("an owned entry dropped but declared elsewhere stays on the list and stays owned", () => {
        assert.deepEqual(applyIntent(["a", "x"], intent, new Set(["x"])), { next: ["a", "x"], owned: ["a", "x"] });
        assert.deepEqual(applyIntent(["a", "x"], intent), { next: ["a"], owned: ["a"] });
        // Not live any more: nothing to own.
        assert.deepEqual(applyIntent(["a"], intent, new Set(["x"])), { next: ["a"], owned: ["a"] });
    });

    it("a declared entry another resource of the stack wrote is owned too; one there before the stack is adopted", () => {
        const declares = { kind: "ensure", declared: ["w", "p"], exclusive: false, previouslyOwned: [] } as const;
        assert.deepEqual(applyIntent(["w", "p"], declares, new Set(), new Set(["w"])), {
            next: ["w", "p"],
            owned: ["w"],
        });
    });
});
