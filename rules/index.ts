/**
 * The explicit, sorted registry of every rule. One import per rule file; the file
 * name is the rule id. test/unit/registry.test.ts keeps this list, the files, the
 * docs and the tests in step.
 */
import type { Rule } from '../src/engine/types.js';

export const rules: readonly Rule[] = [];
