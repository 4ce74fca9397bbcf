import assert from "node:assert/strict";
import fc from "fast-check";
import { applyIntent, isChange, normalise, observedAttributes, sameEntries } from "../../provider/core/denylist";

const entry = fc.constantFrom(
    "gender",
    "ethnicity",
    "email",
    "name",
    "nickname",
    "birthdate",
    "https://acme.com/claim",
);
const list = fc.array(entry, { maxLength: 8 });

describe("deny-list algebra", () => {
    it("normalise de-duplicates and sorts", () => {
        assert.deepEqual(normalise(["b", "a", "b", "C"]), ["C", "a", "b"]);
        fc.assert(
            fc.property(
                list,
                (l) => sameEntries(normalise(l), l) && normalise(normalise(l)).join() === normalise(l).join(),
            ),
        );
    });

    it("merge ensures every declared entry and keeps every other live entry", () => {
        fc.assert(
            fc.property(list, list, (live, declared) => {
                const { next } = applyIntent(live, { kind: "ensure", declared, exclusive: false, previouslyOwned: [] });
                return declared.every((e) => next.includes(e)) && live.every((e) => next.includes(e));
            }),
        );
    });

    it("merge is idempotent: a second apply changes nothing and owns what the first wrote", () => {
        fc.assert(
            fc.property(list, list, (live, declared) => {
                const first = applyIntent(live, { kind: "ensure", declared, exclusive: false, previouslyOwned: [] });
                const second = applyIntent(first.next, {
                    kind: "ensure",
                    declared,
                    exclusive: false,
                    previouslyOwned: first.owned,
                });
                return !isChange(first.next, second.next) && sameEntries(second.owned, first.owned);
            }),
        );
    });

    it("merge is insensitive to the order and repetition of declared entries", () => {
        fc.assert(
            fc.property(list, list, (live, declared) => {
                const a = applyIntent(live, { kind: "ensure", declared, exclusive: false, previouslyOwned: [] });
                const shuffled = [...declared].reverse().concat(declared);
                const b = applyIntent(live, {
                    kind: "ensure",
                    declared: shuffled,
                    exclusive: false,
                    previouslyOwned: [],
                });
                return a.next.join() === b.next.join() && a.owned.join() === b.owned.join();
            }),
        );
    });

    it("adopts entries already present: a fully present list is no change and owns nothing", () => {
        const outcome = applyIntent(["gender", "ethnicity"], {
            kind: "ensure",
            declared: ["ethnicity"],
            exclusive: false,
            previouslyOwned: [],
        });
        assert.deepEqual(outcome, { next: ["gender", "ethnicity"], owned: [] });
    });

    it("owns exactly the entries it added", () => {
        fc.assert(
            fc.property(list, list, (live, declared) => {
                const { owned } = applyIntent(live, {
                    kind: "ensure",
                    declared,
                    exclusive: false,
                    previouslyOwned: [],
                });
                return sameEntries(
                    owned,
                    declared.filter((e) => !live.includes(e)),
                );
            }),
        );
    });

    it("release removes exactly the owned set after create", () => {
        fc.assert(
            fc.property(list, list, (live, declared) => {
                const created = applyIntent(live, { kind: "ensure", declared, exclusive: false, previouslyOwned: [] });
                const released = applyIntent(created.next, { kind: "release", remove: created.owned });
                return sameEntries(released.next, live) && released.next.every((e) => !created.owned.includes(e));
            }),
        );
    });

    it("update drops owned entries no longer declared and never drops adopted ones", () => {
        const outcome = applyIntent(["gender", "email", "name"], {
            kind: "ensure",
            declared: ["name"],
            exclusive: false,
            previouslyOwned: ["email", "name"],
        });
        // gender was adopted or foreign: kept; email was owned and dropped: removed.
        assert.deepEqual(outcome, { next: ["gender", "name"], owned: ["name"] });
    });

    it("exclusive replaces the list with exactly the declared entries and owns them", () => {
        fc.assert(
            fc.property(list, list, (live, declared) => {
                const { next, owned } = applyIntent(live, {
                    kind: "ensure",
                    declared,
                    exclusive: true,
                    previouslyOwned: [],
                });
                return sameEntries(next, declared) && sameEntries(owned, declared);
            }),
        );
    });

    it("exclusive with the same entries in another order is no change", () => {
        const { next } = applyIntent(["b", "a"], {
            kind: "ensure",
            declared: ["a", "b", "a"],
            exclusive: true,
            previouslyOwned: [],
        });
        assert.equal(isChange(["b", "a"], next), false);
    });

    it("observedAttributes reports declared ∩ live in merge mode and all of live in exclusive mode", () => {
        assert.deepEqual(observedAttributes(["x", "b"], ["a", "b"], false), ["b"]);
        assert.deepEqual(observedAttributes(["x", "b"], ["a", "b"], true), ["b", "x"]);
    });
});
