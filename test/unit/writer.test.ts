/**
 * The writer's read–modify–write loop, with a scripted client instead of HTTP: each GET and PATCH
 * takes the next answer queued for it, on fake time, so settling, late landings, joins and
 * partial failures are exact and take no real time.
 */
import assert from "node:assert/strict";
import type { ConnectionPatch, SentPatch } from "../../provider/auth0/client";
import { Auth0Error, errorFromResponse, MAY_HAVE_APPLIED } from "../../provider/auth0/errors";
import { type Attempt, DEFAULT_RETRY, Retrier } from "../../provider/auth0/retry";
import type { Connection } from "../../provider/auth0/wire";
import { known } from "../../provider/core/declaration";
import type { Intent } from "../../provider/core/denylist";
import { OwnershipLedger } from "../../provider/host/ledger";
import { DenyListWriter, type Gathering, UnverifiedWrite, type WriterClient } from "../../provider/host/writer";
import { type FakeTime, fakeTime } from "../support/fake-time";

const ID = "con_Scripted00000001";
const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/auth0:ConnectionDenyList::${name}`;
const [A, B, C] = [urn("a"), urn("b"), urn("c")];

/** Answers one GET, given the connection as Auth0 holds it. */
type GetAnswer = (auth0: ScriptedClient) => Attempt<Connection | undefined> | Promise<Attempt<Connection | undefined>>;
/** Answers one PATCH, given the body sent. */
type PatchAnswer = (auth0: ScriptedClient, patch: ConnectionPatch) => SentPatch | Promise<SentPatch>;

/** A client whose GETs and PATCHes take the answers queued for them, in order; it sends nothing. */
class ScriptedClient implements WriterClient {
    readonly tenant = "https://scripted.example";
    readonly retry: Retrier;
    /** Every call, as "GET" or "PATCH [entries sent]". */
    readonly calls: string[] = [];
    /** Lines the retry loop and the writer logged. */
    readonly log: string[] = [];
    /** A PATCH whose answer was lost in flight and that has not landed yet. */
    inFlight?: ConnectionPatch;
    private readonly gets: GetAnswer[] = [];
    private readonly patches: PatchAnswer[] = [];

    constructor(
        /** The connection as Auth0 holds it. */
        public stored: Connection,
        readonly time: FakeTime,
    ) {
        const log = (line: string) => this.log.push(line);
        this.retry = new Retrier({ policy: DEFAULT_RETRY, clock: time.client, random: () => 0.5, log });
    }

    /** Queues answers for the next GETs. */
    answerGets(...answers: GetAnswer[]): this {
        this.gets.push(...answers);
        return this;
    }

    /** Queues answers for the next PATCHes. */
    answerPatches(...answers: PatchAnswer[]): this {
        this.patches.push(...answers);
        return this;
    }

    /** The live deny list. */
    list(): unknown {
        return this.stored.options?.non_persistent_attrs;
    }

    /** Auth0 applies `patch`: options replaced whole. */
    land(patch: ConnectionPatch): void {
        this.stored = { ...this.stored, options: structuredClone(patch.options) };
    }

    /** No token to fetch ahead. */
    prepare(): void {}

    async getConnection(id: string): Promise<Attempt<Connection | undefined>> {
        assert.equal(id, ID);
        this.calls.push("GET");
        const answer = this.gets.shift();
        assert.ok(answer, "a GET nobody scripted");
        return answer(this);
    }

    async patchConnection(connection: Pick<Connection, "id">, patch: ConnectionPatch): Promise<SentPatch> {
        assert.equal(connection.id, ID);
        this.calls.push(`PATCH ${JSON.stringify(patch.options.non_persistent_attrs)}`);
        const answer = this.patches.shift();
        assert.ok(answer, "a PATCH nobody scripted");
        return answer(this, patch);
    }
}

// GET answers.
const read: GetAnswer = (auth0) => ({ kind: "ok", value: structuredClone(auth0.stored) });
const readRefused: GetAnswer = () => ({
    kind: "fatal",
    error: new Auth0Error("Auth0 read connection failed: HTTP 403."),
});

// PATCH answers.
const settledNow = Promise.resolve();
const applied: PatchAnswer = (auth0, patch) => {
    auth0.land(patch);
    return { attempt: { kind: "ok", value: structuredClone(auth0.stored) }, settled: settledNow };
};
/** Applied, but the answer is lost. */
const answerLost: PatchAnswer = (auth0, patch) => {
    auth0.land(patch);
    return { attempt: mayHaveApplied("PATCH → answer lost"), settled: settledNow };
};
/** A 503: not applied, but the writer cannot know. */
const unavailable: PatchAnswer = () => ({ attempt: mayHaveApplied("PATCH → HTTP 503"), settled: settledNow });
/** The request timed out and counts as over, yet it lands later (a proxy held it): see `ScriptedClient.inFlight`. */
const heldByProxy: PatchAnswer = (auth0, patch) => {
    auth0.inFlight = patch;
    return { attempt: mayHaveApplied("PATCH → ETIMEDOUT"), settled: settledNow };
};
/** Times out after `answerMs`; the request lands, and is over, at `landMs` from its start. */
const lateAnswer =
    (answerMs: number, landMs: number): PatchAnswer =>
    async (auth0, patch) => {
        const settled = auth0.time.client.sleep(landMs).then(() => auth0.land(patch));
        await auth0.time.client.sleep(answerMs);
        return { attempt: mayHaveApplied("PATCH → ETIMEDOUT"), settled };
    };

function mayHaveApplied(reason: string): Attempt<never> {
    return { kind: "retry", reason, error: new Auth0Error(`${reason}.`, "nothing"), mayHaveApplied: true };
}

const ensure = (declared: string[], previouslyOwned: string[] = []): Intent => ({
    kind: "ensure",
    declared,
    exclusive: false,
    previouslyOwned,
});
const release = (remove: string[]): Intent => ({ kind: "release", remove });

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("DenyListWriter with a scripted client", () => {
    let time: FakeTime;
    let ledger: OwnershipLedger;
    let kept: string[];

    /** A writer on a scripted client holding a connection whose deny list is `list`. */
    function setup(list: string[], gathering?: Gathering): { auth0: ScriptedClient; writer: DenyListWriter } {
        time = fakeTime(0);
        ledger = new OwnershipLedger();
        kept = [];
        const connection = {
            id: ID,
            name: "scripted",
            strategy: "auth0",
            options: { keep: 1, non_persistent_attrs: list },
        };
        const auth0 = new ScriptedClient(connection, time);
        return { auth0, writer: new DenyListWriter(auth0, ledger, (line) => kept.push(line), gathering) };
    }

    it("after a PATCH with an unknown outcome sends nothing until it can no longer land, then owns what it added", async () => {
        const { auth0, writer } = setup([]);
        auth0.answerGets(read, read).answerPatches(lateAnswer(3_000, 8_000));
        const applying = writer.apply(ID, { by: A, intent: ensure(["a"]) });
        // The retry waits for that PATCH, past its own backoff, with one line saying so.
        await time.run(time.client.sleep(7_999));
        assert.deepEqual(auth0.calls, ["GET", 'PATCH ["a"]']);
        assert.deepEqual(auth0.log, [
            "auth0: PATCH → ETIMEDOUT; retrying in 0.3 s (attempt 2 of 8)",
            `auth0: waiting up to 116.8 s for an earlier update of connection ${ID} whose answer is late, before reading it again`,
        ]);
        const applied = await time.run(applying);
        assert.equal(time.elapsed(), 8_000);
        // It landed: the re-read finds it and sends nothing more; found after our own write, it is owned, not adopted.
        assert.deepEqual(auth0.calls, ["GET", 'PATCH ["a"]', "GET"]);
        assert.deepEqual(applied?.owned, ["a"]);
    });

    it('an earlier PATCH that lands after a later one is caught by the check read: "changed right after our update"', async () => {
        const { auth0, writer } = setup([]);
        const landLate: GetAnswer = (scripted) => {
            if (scripted.inFlight) scripted.land(scripted.inFlight);
            return read(scripted);
        };
        auth0.answerGets(read, read, landLate, read, read).answerPatches(heldByProxy, applied, applied);
        const a = writer.apply(ID, { by: A, intent: ensure(["a"]) });
        await until(() => auth0.calls.length === 2);
        // b comes while a waits to retry: it joins a's next read–modify–write.
        const b = writer.apply(ID, { by: B, intent: ensure(["b"]) });
        const [forA, forB] = await time.run(Promise.all([a, b]));
        assert.deepEqual(auth0.calls, [
            "GET",
            'PATCH ["a"]',
            "GET",
            'PATCH ["a","b"]',
            // The check read finds the earlier PATCH landed over ours: b's entry is gone.
            "GET",
            "GET",
            'PATCH ["a","b"]',
            "GET",
        ]);
        assert.match(
            auth0.log.join("\n"),
            /connection con_Scripted00000001 changed right after our update \(an earlier update landing late\?\); retrying/,
        );
        assert.deepEqual(auth0.list(), ["a", "b"]);
        assert.deepEqual([forA?.owned, forB?.owned], [["a"], ["b"]]);
    });

    it("a release after an unknown outcome still owns what the lost write added, and removes it", async () => {
        const { auth0, writer } = setup([]);
        auth0.answerGets(read, readRefused).answerPatches(answerLost);
        const failure = await time
            .run(writer.apply(ID, { by: A, intent: ensure(["x"]) }))
            .catch((error: unknown) => error);
        assert.ok(failure instanceof UnverifiedWrite);
        assert.deepEqual(failure.outcome.owned, ["x"]);
        assert.deepEqual(auth0.list(), ["x"], "the lost write landed");
        // The engine records that partial state; the resource's delete releases what it owns.
        auth0.answerGets(read, read).answerPatches(applied);
        await time.run(writer.apply(ID, { by: A, intent: release(failure.outcome.owned) }));
        assert.deepEqual(auth0.list(), []);
        // Still unsettled from the lost write: the release looks once more before reporting success.
        assert.deepEqual(auth0.calls, ["GET", 'PATCH ["x"]', "GET", "GET", "PATCH []", "GET"]);
    });

    it("operations that arrive during a GET join it: one GET and one PATCH for all", async () => {
        const { auth0, writer } = setup(["old"]);
        let answer: () => void = () => {};
        const held: GetAnswer = (scripted) =>
            new Promise((resolve) => {
                answer = () => resolve(read(scripted) as Attempt<Connection>);
            });
        auth0.answerGets(held).answerPatches(applied);
        const a = writer.apply(ID, { by: A, intent: ensure(["a"]) });
        await until(() => auth0.calls.length === 1);
        const others = [
            writer.apply(ID, { by: B, intent: ensure(["b"]) }),
            writer.apply(ID, { by: C, intent: ensure(["c"]) }),
        ];
        answer();
        const results = await time.run(Promise.all([a, ...others]));
        assert.deepEqual(auth0.calls, ["GET", 'PATCH ["old","a","b","c"]']);
        assert.deepEqual(
            results.map((applied) => applied?.owned),
            [["a"], ["b"], ["c"]],
        );
    });

    it("operations that keep arriving a few milliseconds apart are gathered into one GET and one PATCH", async () => {
        // The engine sends a connection's creates a Check round trip apart: the wait before the GET
        // lasts while they keep coming (the quiet window), however many event-loop turns pass.
        const { auth0, writer } = setup([], { maxMs: 2_000, quietMs: 250, maxQuietMs: 250 });
        auth0.answerGets(read).answerPatches(applied);
        const pause = () => new Promise((resolve) => setTimeout(resolve, 15));
        const a = writer.apply(ID, { by: A, intent: ensure(["a"]) });
        await pause();
        const b = writer.apply(ID, { by: B, intent: ensure(["b"]) });
        await pause();
        const c = writer.apply(ID, { by: C, intent: ensure(["c"]) });
        await time.run(Promise.all([a, b, c]));
        assert.deepEqual(auth0.calls, ["GET", 'PATCH ["a","b","c"]']);
    });

    it("a stream's pace outlives a batch: after the first goes alone, the rest of the stream waits for one another", async () => {
        // The first operation cannot know more are coming and waits only `quietMs`; the second
        // arrives after that, within `maxQuietMs`: the stream is under way, and its batch lasts while
        // operations keep arriving at that pace.
        const { auth0, writer } = setup([], { maxMs: 2_000, quietMs: 5, maxQuietMs: 500 });
        auth0.answerGets(read, read).answerPatches(applied, applied);
        const pause = () => new Promise((resolve) => setTimeout(resolve, 40));
        const applying = [writer.apply(ID, { by: A, intent: ensure(["a"]) })];
        for (const entry of ["b", "c", "d", "e"]) {
            await pause();
            applying.push(writer.apply(ID, { by: urn(entry), intent: ensure([entry]) }));
        }
        await time.run(Promise.all(applying));
        assert.deepEqual(auth0.calls, ["GET", 'PATCH ["a"]', "GET", 'PATCH ["a","b","c","d","e"]']);
    });

    it("keeps an entry another resource declares, says so, and leaves it for the last of them to remove", async () => {
        const { auth0, writer } = setup(["x", "y"]);
        ledger.declare({ by: B, reach: { kind: "connection", id: ID }, attributes: known(["x"]) });
        auth0.answerGets(read).answerPatches(applied);
        await time.run(writer.apply(ID, { by: A, intent: release(["x", "y"]) }));
        assert.deepEqual(auth0.calls, ["GET", 'PATCH ["x"]']);
        assert.deepEqual(kept, [`keeping "x" on connection scripted (${ID}): "b" declares it`]);
        assert.deepEqual(ledger.pendingOn(ID), ["x"], "the stack wrote it: b's own delete removes it if it goes last");
    });

    it("a lost answer followed by reads that all fail says one outcome: it may have been applied", async () => {
        const { auth0, writer } = setup([]);
        // Every read after the lost answer fails as Auth0's 503 does: its own message says nothing was written.
        const unavailableRead: GetAnswer = () => ({
            kind: "retry",
            reason: "GET → HTTP 503",
            error: errorFromResponse({ operation: "read connection", connection: ID, tenant: auth0.tenant }, 503, "{}"),
        });
        auth0.answerGets(read, ...Array.from({ length: 8 }, () => unavailableRead)).answerPatches(answerLost);
        const failure = await time.run(writer.apply(ID, { by: A, intent: ensure(["x"]) })).catch((e: unknown) => e);
        assert.ok(failure instanceof UnverifiedWrite);
        assert.ok(failure.message.endsWith(MAY_HAVE_APPLIED), failure.message);
        assert.doesNotMatch(failure.message, /Nothing was written/);
        assert.match(failure.message, /HTTP 503.*\(\d+ attempts in [\d.]+ s\)/);
    });

    it("a partial failure owns both what it tried to add and what it tried to remove, and says it may have been applied", async () => {
        const { auth0, writer } = setup(["x", "y"]);
        auth0.answerGets(read, readRefused).answerPatches(unavailable);
        // It wrote x and y before; now it declares x and z: y goes, z comes.
        const failure = await time
            .run(writer.apply(ID, { by: A, intent: ensure(["x", "z"], ["x", "y"]) }))
            .catch((error: unknown) => error);
        assert.ok(failure instanceof UnverifiedWrite);
        assert.deepEqual(failure.outcome, { next: ["x", "z"], owned: ["x", "y", "z"] });
        assert.ok(failure.message.endsWith(MAY_HAVE_APPLIED), failure.message);
        assert.doesNotMatch(failure.message, /Nothing was written/);
        assert.equal(failure.connection.id, ID);
        assert.deepEqual(auth0.list(), ["x", "y"], "the 503 PATCH did not land");
    });
});
