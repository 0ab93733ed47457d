/**
 * One source of truth for the snapshot shape: the zod schema that reads and writes snapshots
 * and the model the code uses must be exactly the same type, so a field added to the model
 * can never be silently stripped on write (zod drops what the schema does not name), and a
 * field the schema accepts is one the code knows. Checked by `npm run typecheck`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { Inventory, Scope } from '../../src/inventory/model.js';
import { inventorySchema } from '../../src/inventory/snapshot-schema.js';
import { healthyWorld } from '../support/fixtures.js';
import { inventoryOf } from '../support/engine-fixtures.js';

type SchemaInventory = z.output<typeof inventorySchema>;

describe('snapshot schema and model', () => {
  it('are exactly the same type, down to every nested field', () => {
    expectTypeOf<SchemaInventory>().toEqualTypeOf<Inventory>();
    expectTypeOf<SchemaInventory['scopes'][number]>().toEqualTypeOf<Scope>();
    expectTypeOf<SchemaInventory['scopes'][number]['loadBalancers'][number]>().toEqualTypeOf<Scope['loadBalancers'][number]>();
    expectTypeOf<SchemaInventory['scopes'][number]['targetGroups'][number]>().toEqualTypeOf<Scope['targetGroups'][number]>();
  });

  it('writes back every field of a full inventory', () => {
    const inventory = inventoryOf([healthyWorld().scope]);
    expect(inventorySchema.parse(JSON.parse(JSON.stringify(inventory)))).toEqual(JSON.parse(JSON.stringify(inventory)));
  });
});
