/**
 * JSON for Management API bodies, read and written without loss: every number whose text would
 * not survive a round trip through a JavaScript number (an integer beyond 2^53, `1.50`, `1e3`)
 * stays as the text Auth0 sent, and an own key named `__proto__` stays a key at any depth. A
 * connection's options are sent back as read, so nothing we do not manage can change on the way.
 */
import { LosslessNumber, parse, stringify } from "lossless-json";

/** Parses `text`; throws a SyntaxError when it is not JSON. A repeated key keeps its last value, as in JSON.parse. */
export function parseJson(text: string): unknown {
    return parse(text, null, {
        parseNumber: (digits) => (String(Number(digits)) === digits ? Number(digits) : new LosslessNumber(digits)),
        onDuplicateKey: ({ newValue }) => newValue,
    });
}

/** Writes `value` as JSON, numbers kept by {@link parseJson} exactly as they were read. */
export function stringifyJson(value: unknown): string {
    const text = stringify(value);
    if (text === undefined) throw new TypeError("not a JSON value");
    return text;
}
