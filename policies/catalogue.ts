/**
 * The rule catalogue: every aiguard rule, in one list, each tied to clause IDs.
 * The pack (index.ts), the meta-tests and the compliance report all read this list.
 */
import type { Rule } from "./framework/rule";
import { FOUNDATION_RULES } from "./rules/foundation";
import { DATA_STORE_RULES } from "./rules/data-stores";
import { SERVICE_RULES } from "./rules/services";

export const RULES: readonly Rule[] = [...FOUNDATION_RULES, ...SERVICE_RULES, ...DATA_STORE_RULES];

export function ruleByName(name: string): Rule | undefined {
    return RULES.find((r) => r.name === name);
}
