/**
 * Two string helpers shared by the provider and the command line, so that "blank" and
 * "shortened for a message" mean the same everywhere.
 */

/** `value` trimmed, or `undefined` when it is missing or only whitespace. */
export function nonEmpty(value: string | undefined): string | undefined {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
}

/**
 * `value` cut to `max` code points with `…` appended when it is longer (messages quote tenant
 * data). Counting code points never splits a character in two.
 */
export function truncate(value: string, max = 60): string {
    const codePoints = [...value];
    return codePoints.length > max ? `${codePoints.slice(0, max).join("")}…` : value;
}
