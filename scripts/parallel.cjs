#!/usr/bin/env node
/**
 * Runs the npm scripts named as arguments at the same time (`npm test` type-checks and builds side
 * by side: the build does not need the type check, and the machine has two cores), each one's
 * output printed whole when it ends, so lines of two scripts never interleave. Exits with the
 * first failing script's code.
 */
const { spawn } = require("node:child_process");

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const runs = process.argv.slice(2).map(
    (script) =>
        new Promise((resolve) => {
            const child = spawn(npm, ["run", script], { stdio: ["ignore", "pipe", "pipe"] });
            const output = [];
            child.stdout.on("data", (chunk) => output.push(chunk));
            child.stderr.on("data", (chunk) => output.push(chunk));
            child.on("close", (code) => {
                process.stdout.write(Buffer.concat(output));
                resolve(code ?? 1);
            });
        }),
);
Promise.all(runs).then((codes) => {
    process.exitCode = codes.find((code) => code !== 0) ?? 0;
});
