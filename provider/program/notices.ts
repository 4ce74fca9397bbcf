/**
 * What the program says about a deny list resource: warnings attached to it, and the error that
 * stops the program before the resource is registered. Runs in the program process.
 */
import * as pulumi from "@pulumi/pulumi";
import { plain } from "./registry";

/**
 * The view input, or the error that stops the program: an input that cannot be resolved keeps
 * the resource from being registered, so nothing is written for it.
 */
export function refusedFor(view: Promise<string>, self: { resource?: pulumi.Resource }): Promise<string> {
    return view.catch((error: Error) => {
        throw new pulumi.ResourceError(error.message, self.resource, true);
    });
}

/**
 * Attaches the warnings `of` finds in `values` to `resource`: at once for plain values, once they
 * are known otherwise (an Output and its apply cost a resource as much as a small resource).
 */
export function warnOnce(resource: pulumi.Resource, values: unknown[], of: (values: unknown[]) => string[]): void {
    const say = (known: unknown[]) => {
        for (const warning of of(known)) pulumi.log.warn(warning, resource);
    };
    if (plain(values)) say(values);
    else pulumi.all(values).apply((known) => say(known as unknown[]));
}

/** The strings of a list as the program gave it (entries not known yet are left out). */
export function names(attributes: unknown): string[] {
    return Array.isArray(attributes) ? attributes.filter((entry): entry is string => typeof entry === "string") : [];
}

/** Attaches the registry's warnings about a resource to it. */
export function warnAbout(resource: pulumi.Resource, warnings: Promise<string[]>): void {
    void warnings.then((lines) => {
        for (const line of lines) pulumi.log.warn(line, resource);
    });
}
