import assert from "node:assert/strict";
import { applyIntent } from "../../provider/core/denylist";
import { declarersOf, exclusiveConflict, OwnershipLedger, staleRecord } from "../../provider/host/ownership";

const C = { id: "con_C", name: "c" };
const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/auth0:ConnectionDenyList::${name}`;
const [A, B, D] = [urn("a"), urn("b"), urn("d")];

describe("ownership: who else declares an entry", () => {
    it("resources are told apart by identity, even with identical declarations", () => {
        const ledger = new OwnershipLedger();
        ledger.declare({ by: A, connectionId: C.id, attributes: ["x"] });
        ledger.declare({ by: B, connectionId: C.id, attributes: ["x"] });
        assert.deepEqual(declarersOf(["x"], C, { by: B }, ledger), { x: [A] });
        assert.deepEqual(declarersOf(["x"], C, { by: A }, ledger), { x: [B] });
        ledger.release(A);
        assert.deepEqual(declarersOf(["x"], C, { by: B }, ledger), {});
    });

    it("the program view counts where the ledger knows nothing; a known target elsewhere does not", () => {
        const ledger = new OwnershipLedger();
        const view = [
            { by: B, connectionName: "c", attributes: ["x"] },
            { by: D, connectionId: "con_Other", attributes: ["y"] },
        ];
        assert.deepEqual(declarersOf(["x", "y"], C, { by: A, view }, ledger), { x: [B] });
    });

    it("an unknown target or unknown attributes in the view keep the entry (over-deny)", () => {
        const ledger = new OwnershipLedger();
        assert.deepEqual(declarersOf(["x"], C, { by: A, view: [{ by: B, attributes: ["x"] }] }, ledger), { x: [B] });
        assert.deepEqual(declarersOf(["x"], C, { by: A, view: [{ by: B, connectionId: C.id }] }, ledger), { x: [B] });
    });

    it("the ledger is fresher than the view and the record: it can say a declarer moved or was deleted", () => {
        const ledger = new OwnershipLedger();
        ledger.declare({ by: B, connectionId: "con_Other", attributes: ["x"] });
        ledger.release(D);
        const remover = { by: A, view: [{ by: B, connectionId: C.id, attributes: ["x"] }], recorded: { x: [B, D] } };
        assert.deepEqual(declarersOf(["x"], C, remover, ledger), {});
    });

    it("the record counts for declarers this process never saw (destroy --target)", () => {
        const ledger = new OwnershipLedger();
        assert.deepEqual(declarersOf(["x", "y"], C, { by: A, recorded: { x: [B] } }, ledger), { x: [B] });
    });

    it("an entry kept for a deleted resource passes to the declarer, whose own delete removes it", () => {
        const ledger = new OwnershipLedger();
        ledger.handOver(C.id, "x", [B]);
        assert.deepEqual(ledger.inheritedBy(B, C.id), ["x"]);
        assert.deepEqual(ledger.inheritedBy(B, "con_Other"), []);
        assert.deepEqual(ledger.inheritedBy(D, C.id), []);
    });

    it("an exclusive declaration beside any other on one connection is a conflict naming both", () => {
        assert.equal(exclusiveConflict(C, { by: A, exclusive: true }, []), undefined);
        assert.equal(exclusiveConflict(C, { by: A }, [{ by: B }]), undefined);
        const message = exclusiveConflict(C, { by: A, exclusive: true, attributes: ["x"] }, [
            { by: B, attributes: ["y"] },
        ]);
        assert.match(message ?? "", /"a" \(exclusive \["x"\]\), "b" \(merge \["y"\]\)/);
        const tenant = exclusiveConflict(C, { by: A }, [
            { by: B, exclusive: true },
            { by: D, tenantWide: true },
        ]);
        assert.match(tenant ?? "", /"b" \(exclusive/);
        assert.doesNotMatch(tenant ?? "", /"d"/, "two merge-mode declarations do not conflict");
    });

    it("a tenant-wide declaration covers its strategies, all when it names none, but not what it excludes", () => {
        const ledger = new OwnershipLedger();
        ledger.declare({
            by: B,
            tenantWide: true,
            strategies: ["samlp"],
            excludeConnections: ["legacy"],
            attributes: ["x"],
        });
        const on = (name: string, strategy?: string) =>
            declarersOf(["x"], { id: "con_Z", name, strategy }, { by: A }, ledger);
        assert.deepEqual(on("acme", "samlp"), { x: [B] });
        assert.deepEqual(on("acme", "oidc"), {});
        assert.deepEqual(on("legacy", "samlp"), {});
        assert.deepEqual(on("acme"), { x: [B] }, "an unknown strategy may be covered");
    });

    it("a record is stale when the program's fully known co-declarers of owned entries differ from it", () => {
        const view = [{ by: B, connectionId: C.id, attributes: ["x"] }];
        assert.equal(staleRecord(["x"], {}, C, view), true, "b began declaring x");
        assert.equal(staleRecord(["x"], { x: [B] }, C, view), false);
        assert.equal(staleRecord(["x"], { x: [B] }, C, []), true, "b stopped declaring x");
        assert.equal(staleRecord(["y"], {}, C, view), false, "b declares nothing a owns");
        // Not fully known: never a reason to update, or every run would show one.
        assert.equal(staleRecord(["x"], {}, C, [{ by: B, attributes: ["x"] }]), false);
        assert.equal(staleRecord(["x"], { x: [B] }, C, [{ by: B, connectionId: C.id }]), false);
    });
});

describe("applyIntent with entries others declare", () => {
    it("an owned entry dropped but declared elsewhere stays on the list and stays owned", () => {
        const intent = { kind: "ensure", declared: ["a"], exclusive: false, previouslyOwned: ["a", "x"] } as const;
        assert.deepEqual(applyIntent(["a", "x"], intent, new Set(["x"])), { next: ["a", "x"], owned: ["a", "x"] });
        assert.deepEqual(applyIntent(["a", "x"], intent), { next: ["a"], owned: ["a"] });
        // Not live any more: nothing to own.
        assert.deepEqual(applyIntent(["a"], intent, new Set(["x"])), { next: ["a"], owned: ["a"] });
    });
});
