/**
 * Fake time for tests over real HTTP, or with a scripted client: a sinon clock of the test's own,
 * shared by the emulator (`startEmulator({ clock })`) and the Auth0 client (`now`/`sleep`), while
 * the process's timers stay real so sockets keep working. `run` moves the clock to its next timer whenever real I/O
 * has gone quiet, so waits of minutes take milliseconds and rate limits are exact.
 */
import sinon from "sinon";
import type { Emulator, EmulatorClock } from "../../emulator";

/** A private fake clock and the seams that put the emulator and the client on it. */
export interface FakeTime {
    clock: sinon.SinonFakeTimers;
    /** Client seams (`ClientOptions`): time and sleeping on the fake clock. */
    client: { now: () => number; sleep: (ms: number) => Promise<void> };
    /**
     * The clock for `startEmulator`: this one, with Auth0's time `aheadMs` ahead of the client's
     * (a client clock behind Auth0's, or a proxy rewriting its headers).
     */
    emulator(aheadMs?: number): EmulatorClock;
    /** Fake milliseconds since the clock started. */
    elapsed(): number;
    /**
     * Awaits `work`, advancing fake time; rejects once it has taken more than `limitMs` of fake
     * time. The clock moves only once real I/O has gone quiet: a few real milliseconds passed and,
     * when `emulator` is given, it received and answered nothing new meanwhile.
     */
    run<T>(work: Promise<T>, options?: { limitMs?: number; emulator?: Emulator }): Promise<T>;
}

/** Midnight UTC, 1 January 2026: where fake time starts. */
export const FAKE_START = Date.UTC(2026, 0, 1);

// Real time given to sockets between two moves of the fake clock.
const QUIET_MS = 2;

/** A fake clock starting at `start`, not installed globally. */
export function fakeTime(start = FAKE_START): FakeTime {
    // sinon installs the fake timers on `global` (its types omit the option): a stand-in object,
    // so the process's own timers stay real.
    const standIn = { Date, Promise, setTimeout, clearTimeout, setInterval, clearInterval };
    const clock = sinon.useFakeTimers({
        now: start,
        global: standIn,
        toFake: ["Date", "setTimeout", "clearTimeout"],
    } as Parameters<typeof sinon.useFakeTimers>[0]);
    return {
        clock,
        client: {
            now: () => clock.now,
            sleep: (ms) => new Promise<void>((resolve) => clock.setTimeout(() => resolve(), ms)),
        },
        emulator: (aheadMs = 0) => ({
            Date: { now: () => clock.now + aheadMs },
            setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
            clearTimeout: (handle) => clock.clearTimeout(handle as never),
        }),
        elapsed: () => clock.now - start,
        async run<T>(
            work: Promise<T>,
            { limitMs = 3_600_000, emulator }: { limitMs?: number; emulator?: Emulator } = {},
        ) {
            const from = clock.now;
            let done = false;
            const settled = work.finally(() => {
                done = true;
            });
            settled.catch(() => {});
            // What the emulator has seen and answered: while it changes, requests are under way.
            const activity = () =>
                emulator
                    ?.requests()
                    .map((r) => r.status)
                    .join() ?? "";
            let last = activity();
            while (!done) {
                await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
                const now = activity();
                const busy = now !== last;
                last = now;
                if (done || busy || clock.countTimers() === 0) continue;
                if (clock.now - from > limitMs) {
                    throw new Error(`still running after ${(limitMs / 1000).toFixed(0)} s of fake time`);
                }
                await clock.nextAsync();
            }
            return settled;
        },
    };
}
