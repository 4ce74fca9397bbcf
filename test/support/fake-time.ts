/**
 * Fake time for tests over real HTTP: a sinon clock of the test's own, shared by the emulator
 * (`startEmulator({ clock })`) and the Auth0 client (`now`/`sleep`), while the process's timers
 * stay real so sockets keep working. `run` moves the clock to its next timer whenever real I/O
 * has gone quiet, so waits of minutes take milliseconds and rate limits are exact.
 */
import sinon from "sinon";

/** A private fake clock and the seams that put the emulator and the client on it. */
export interface FakeTime {
    clock: sinon.SinonFakeTimers;
    /** Client seams (`ClientOptions`): time and sleeping on the fake clock. */
    client: { now: () => number; sleep: (ms: number) => Promise<void> };
    /** Fake milliseconds since the clock started. */
    elapsed(): number;
    /** Awaits `work`, advancing fake time; rejects once it has taken more than `limitMs` of fake time. */
    run<T>(work: Promise<T>, limitMs?: number): Promise<T>;
}

/** Midnight UTC, 1 January 2026: where fake time starts. */
export const FAKE_START = Date.UTC(2026, 0, 1);

// Real time given to sockets between two moves of the fake clock.
const QUIET_MS = 2;

/** A fake clock starting at `start`, not installed globally. */
export function fakeTime(start = FAKE_START): FakeTime {
    const clock = sinon.useFakeTimers({
        now: start,
        global: { Date, Promise, setTimeout, clearTimeout, setInterval, clearInterval } as never,
        toFake: ["Date", "setTimeout", "clearTimeout"],
    });
    return {
        clock,
        client: {
            now: () => clock.now,
            sleep: (ms) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms)),
        },
        elapsed: () => clock.now - start,
        async run<T>(work: Promise<T>, limitMs = 3_600_000): Promise<T> {
            const from = clock.now;
            let done = false;
            const settled = work.finally(() => {
                done = true;
            });
            settled.catch(() => {});
            while (!done) {
                await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
                if (done || clock.countTimers() === 0) continue;
                if (clock.now - from > limitMs) {
                    throw new Error(`still running after ${(limitMs / 1000).toFixed(0)} s of fake time`);
                }
                await clock.nextAsync();
            }
            return settled;
        },
    };
}
