/**
 * The ownership model-based test (test/model/ownership-model.ts) at soak length:
 * `npm run soak -- [sequences] [seed] [path] [replayPath]` (default 5000 sequences, a random seed; a
 * failure's seed, path and replayPath replay it); `SOAK_DRIVER=plugin` runs it through the
 * provider plugin instead of the dynamic providers. Prints how many sequences and commands ran, or the first broken
 * invariant with its shrunk sequence, seed and path.
 */
import { checkOwnership, DYNAMIC, PLUGIN } from "../test/model/ownership-model";

const sequences = Number(process.argv[2] ?? 5000);
const seed = process.argv[3] === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.argv[3]);
const started = Date.now();
const [path, replayPath] = process.argv.slice(4);
const driver = process.env.SOAK_DRIVER === "plugin" ? PLUGIN : DYNAMIC;
checkOwnership({
    driver,
    runs: sequences,
    seed,
    ...(path ? { path } : {}),
    ...(replayPath ? { replayPath } : {}),
}).then(
    (run) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
            `ownership soak (${driver.name}), seed ${seed}: ${run.sequences} sequences, ${run.commands} commands ` +
                `(${run.pulumiCommands} Pulumi commands, each in a new provider host context) in ${seconds} s: no invariant broken`,
        );
    },
    (error: Error) => {
        console.log(`ownership soak, seed ${seed}: an invariant broke\n${error.message}`);
        process.exitCode = 1;
    },
);
