#!/usr/bin/env node
/**
 * Runs the npm scripts named as arguments at the same time (`npm test` type-checks while mocha
 * runs: neither needs the other). The first script's output is shown as it comes; the others run
 * at the lowest priority, on what the first leaves of the cores (mocha's workers wait on
 * processes, sockets and timers), and each one's output is printed whole once it has ended and
 * the first has too, so lines of two scripts never interleave. Exits with the first failing
 * script's code.
 */
const { spawn } = require("node:child_process");
const os = require("node:os");

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const [shown, ...held] = process.argv.slice(2);

function run(script, print, priority) {
    return new Promise((resolve) => {
        const child = spawn(npm, ["run", script], { stdio: ["ignore", "pipe", "pipe"] });
        // Set before npm starts the script's own processes, which inherit it.
        if (priority !== undefined) os.setPriority(child.pid, priority);
        child.stdout.on("data", print);
        child.stderr.on("data", print);
        child.on("close", (code) => resolve(code ?? 1));
    });
}

const outputs = held.map(() => []);
const runs = [
    run(shown, (chunk) => process.stdout.write(chunk)),
    ...held.map((script, index) =>
        run(script, (chunk) => outputs[index].push(chunk), os.constants.priority.PRIORITY_LOWEST),
    ),
];
Promise.all(runs).then((codes) => {
    for (const output of outputs) process.stdout.write(Buffer.concat(output));
    process.exitCode = codes.find((code) => code !== 0) ?? 0;
});
