/**
 * What a rule reports about one resource, and how its messages name resources and attributes.
 */
import { CONNECTION_TYPE, type StackResource } from "./stack";

/** One thing a rule found. */
export interface Finding {
    /** The resource it is about. */
    urn: string;
    message: string;
    /**
     * False when it depends on values not known until the update (preview): the message says
     * "may", and it is reported as advisory, never as a violation of a mandatory policy.
     */
    certain: boolean;
}

/** A resource as messages name it: `auth0.Connection "members"`, `ConnectionDenyList "x"`. */
export function describe(resource: StackResource): string {
    const kind = resource.type === CONNECTION_TYPE ? "auth0.Connection" : resource.type.split(":").at(-1);
    return `${kind} "${resource.name}"`;
}

/** Attribute names for a message, in the order given. */
export function listed(names: string[]): string {
    return names.join(", ");
}
