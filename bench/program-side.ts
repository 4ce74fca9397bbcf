/**
 * Program side: what each further `ConnectionDenyList` costs a Pulumi program under the runtime
 * mocks, against minimal dynamic resources registered the same way in the same run.
 */

import path from "node:path";
import { runProgram } from "../harness/program";
import { median, project, ratio, table } from "./support";

const PROGRAM = path.join(__dirname, "fixtures", "registration-program.ts");

/**
 * The two layouts DESIGN §8 sets targets for: how many resources first, how many in all, the
 * target, and how many interleaved runs (96 resources take a quarter of a second: a median of
 * three moved by 0.4× between identical runs).
 */
const LAYOUTS = {
    distinct: { few: 100, many: 1000, target: 1.3, repeats: 3, title: "each on a connection of its own" },
    one: { few: 10, many: 96, target: 1.5, repeats: 9, title: "all on one connection, each with its own entry" },
} as const;
type Layout = keyof typeof LAYOUTS;

const KINDS = {
    minimal: "minimal dynamic resource, its 2 inputs (baseline)",
    "minimal-same-props": "minimal dynamic resource, the same 10 properties (baseline)",
    "deny-list": "ConnectionDenyList",
} as const;
type Kind = keyof typeof KINDS;

/** Microseconds per resource beyond the first `few`, for each kind; the repeats are interleaved. */
function perExtraResource(layout: Layout): Record<Kind, number[]> {
    const { few, many, repeats } = LAYOUTS[layout];
    const times: Record<Kind, number[]> = { minimal: [], "minimal-same-props": [], "deny-list": [] };
    for (let repeat = 0; repeat < repeats; repeat++) {
        for (const kind of Object.keys(KINDS) as Kind[]) {
            const { log } = runProgram(project, PROGRAM, {
                "auth0-deny-list:kind": kind,
                "auth0-deny-list:few": String(few),
                "auth0-deny-list:many": String(many),
                "auth0-deny-list:layout": layout,
            });
            const line = log.find((entry) => entry.includes("@@ELAPSED@@"));
            if (!line) throw new Error(`registration program printed no time:\n${log.join("\n")}`);
            times[kind].push((Number(line.split("@@ELAPSED@@")[1]) * 1000) / (many - few));
        }
    }
    return times;
}

/**
 * Prints the cost per extra resource of `ConnectionDenyList` against the two baselines, for each
 * layout: what a resource carries about the others must grow with the entries on its connection,
 * never with the number of resources.
 */
export async function programSide(): Promise<void> {
    for (const layout of Object.keys(LAYOUTS) as Layout[]) {
        const { few, many, target, repeats, title } = LAYOUTS[layout];
        const times = perExtraResource(layout);
        const cost = (kind: Kind) => median(times[kind]);
        table(
            `Program side under runtime mocks, ${many} resources ${title}: cost per resource after the first ${few} ` +
                `(median of ${repeats} interleaved runs; target ≤ ${target}× the same-properties baseline)`,
            ["resource", "µs per extra resource", "runs µs", "ConnectionDenyList ÷ this"],
            (Object.keys(KINDS) as Kind[]).map((kind) => [
                KINDS[kind],
                cost(kind).toFixed(0),
                times[kind].map((t) => t.toFixed(0)).join(" / "),
                ratio(cost("deny-list"), cost(kind)),
            ]),
        );
    }
}
