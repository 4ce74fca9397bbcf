/**
 * Program side: what each further `ConnectionDenyList` costs a Pulumi program under the runtime
 * mocks, against minimal dynamic resources registered the same way in the same run.
 */

import path from "node:path";
import { runProgram } from "../harness/program";
import { median, project, ratio, table } from "./support";

const PROGRAM = path.join(__dirname, "fixtures", "registration-program.ts");
const FEW = 30;
const MANY = 300;
const REPEATS = 3;

const KINDS = {
    minimal: "minimal dynamic resource, its 2 inputs (baseline)",
    "minimal-same-props": "minimal dynamic resource, the same 10 properties (baseline)",
    "deny-list": "ConnectionDenyList",
} as const;
type Kind = keyof typeof KINDS;

/** Microseconds per resource beyond the first FEW, for each kind; the repeats are interleaved. */
function perExtraResource(): Record<Kind, number[]> {
    const times: Record<Kind, number[]> = { minimal: [], "minimal-same-props": [], "deny-list": [] };
    for (let repeat = 0; repeat < REPEATS; repeat++) {
        for (const kind of Object.keys(KINDS) as Kind[]) {
            const { log } = runProgram(project, PROGRAM, {
                "auth0-deny-list:kind": kind,
                "auth0-deny-list:few": String(FEW),
                "auth0-deny-list:many": String(MANY),
            });
            const line = log.find((entry) => entry.includes("@@ELAPSED@@"));
            if (!line) throw new Error(`registration program printed no time:\n${log.join("\n")}`);
            times[kind].push((Number(line.split("@@ELAPSED@@")[1]) * 1000) / (MANY - FEW));
        }
    }
    return times;
}

/** Prints the cost per extra resource of `ConnectionDenyList` and of the two baselines. */
export async function programSide(): Promise<void> {
    const times = perExtraResource();
    const cost = (kind: Kind) => median(times[kind]);
    table(
        `Program side under runtime mocks: cost per resource after the first ${FEW} (${MANY - FEW} more; median of ${REPEATS} interleaved runs)`,
        ["resource", "µs per extra resource", "runs µs", "ConnectionDenyList ÷ this"],
        (Object.keys(KINDS) as Kind[]).map((kind) => [
            KINDS[kind],
            cost(kind).toFixed(0),
            times[kind].map((t) => t.toFixed(0)).join(" / "),
            ratio(cost("deny-list"), cost(kind)),
        ]),
    );
}
